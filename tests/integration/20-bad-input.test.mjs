// 20-bad-input: every bad input gets a 4xx problem+json naming what is
// wrong (DESIGN.md §5), never a 500, and nothing is left broken behind it.
import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, describe, test } from 'node:test';

import { call, expectProblem, get, qs, search, T, waitForStack } from './lib/api.mjs';
import { schemaErrors } from './lib/contract.mjs';
import { env } from './lib/env.mjs';

const SEARCH = '/api/v1/boards/ggc/resources';
const INVALID = 'Invalid request';

before(async () => {
    await waitForStack();
});

after(async () => {
    // The stack still answers normally after all of this.
    const body = await search('ggc', { q: 'walking', postcode: 'G12 8QQ' });
    assert.ok(body.total > 0);
});

/** Send raw bytes to nginx; returns { status, headers (lower-case names), body }. */
function rawRequest(bytes, timeoutMs = 5000) {
    const url = new URL(env.baseUrl);
    return new Promise((resolve, reject) => {
        const chunks = [];
        const sock = net.connect({ host: url.hostname, port: Number(url.port || 80) }, () => sock.end(bytes));
        sock.setTimeout(timeoutMs, () => sock.destroy(new Error('timed out')));
        sock.on('data', (c) => chunks.push(c));
        sock.on('error', reject);
        sock.on('close', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            const [head, ...rest] = text.split('\r\n\r\n');
            const lines = head.split('\r\n');
            const status = Number(lines[0].split(' ')[1]);
            const headers = Object.fromEntries(lines.slice(1).map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]));
            resolve({ status, headers, body: rest.join('\r\n\r\n') });
        });
    });
}

/** A 400 from linksd whose errors name `field` (and, when given, whose message matches). */
async function invalid(query, field, message) {
    const r = await expectProblem(T.search, `${SEARCH}?${query}`, 400, { field, title: INVALID });
    assert.match(r.body.request_id ?? '', /^[0-9a-f]{32}$/, 'linksd problems carry the request id');
    if (message) {
        const e = r.body.errors.find((x) => x.field === field);
        assert.match(e.message, message, `${query.slice(0, 80)}: message for ${field}`);
    }
    if (r.body.errors.length === 1)
        assert.ok(r.body.detail.startsWith(`${field} `), `detail names the field: ${r.body.detail}`);
    return r;
}

describe('unknown things', () => {
    test('unknown board: 404 "Unknown board", for the board and everything under it', async () => {
        await expectProblem(T.board, '/api/v1/boards/nowhere', 404, { title: 'Unknown board', detail: /nowhere/ });
        await expectProblem(T.board, '/api/v1/boards/S08000099', 404, { title: 'Unknown board' });
        await expectProblem(T.search, '/api/v1/boards/nowhere/resources?q=walking', 404, { title: 'Unknown board' });
        await expectProblem(T.resource, '/api/v1/boards/GGCX/resources/00000000-0000-0000-0000-000000000000', 404, { title: 'Unknown board' });
        // A name that is not printable text is not echoed back.
        await expectProblem(T.board, '/api/v1/boards/%ff%fe', 404, { title: 'Unknown board', detail: /There is no board with that name/ });
    });

    test('an unknown category slug: 400 on category, pointing at /api/v1/categories', async () => {
        await invalid('category=no-such-category', 'category', /not a known category.*\/api\/v1\/categories/);
    });

    test('a category that is not slug-shaped: 400 on category', async () => {
        for (const c of ['Food_Nutrition', 'food--nutrition', '-food', 'food-', 'FOOD', 'a'.repeat(101), '%C3%A9'])
            await invalid(`category=${c}`, 'category', /slug/);
    });

    test('an unknown parameter ("radius=5"), on every endpoint', async () => {
        await invalid('radius=5&postcode=G12', 'radius', /not a parameter/);
        await expectProblem(T.boards, '/api/v1/boards?page=2', 400, { field: 'page' });
        await expectProblem(T.board, '/api/v1/boards/ggc?verbose=1', 400, { field: 'verbose' });
        await expectProblem(T.categories, '/api/v1/categories?q=x', 400, { field: 'q' });
        await expectProblem(T.resource, '/api/v1/boards/ggc/resources/00000000-0000-0000-0000-000000000000?x=1', 400, { field: 'x' });
    });

    test('a parameter without a name ("=x") is refused, and the error still names a field', async () => {
        // FieldError.field has minLength 1 in the contract: an error must say where it is.
        const r = await expectProblem(T.search, `${SEARCH}?=x`, 400, { title: INVALID });
        assert.ok(r.body.errors.length > 0 && r.body.errors.every((e) => e.field.length > 0),
                  `an error without a field name: ${JSON.stringify(r.body.errors)}`);
    });

    test('paths that are not in the API are 404 problems (checked against the Problem schema)', async () => {
        for (const path of ['/api/v1/nothing', '/api/v2/boards', '/api/v1/boards/ggc/things',
                            '/api/v1/boards/ggc/resources/00000000-0000-0000-0000-000000000000/more', '/api/v1/boards/a/b/c/d/e/f/g/h/i']) {
            const res = await fetch(`${env.baseUrl}${path}`, { signal: AbortSignal.timeout(10000) });
            const text = await res.text();
            assert.equal(res.status, 404, `${path}: ${text.slice(0, 200)}`);
            assert.match(res.headers.get('content-type') ?? '', /^application\/problem\+json/, path);
            const body = JSON.parse(text);
            assert.equal(schemaErrors('Problem', body), null, `${path}: ${text}`);
            assert.equal(body.status, 404);
        }
    });
});

describe('postcode', () => {
    test('malformed postcodes: 400 on postcode with an example of a good one', async () => {
        for (const p of ['G12 8Q', 'not-a-postcode', '<script>', 'G12 8QQ X', '12 8QQ', 'GGG12 8QQ', 'G12 8QQQ', 'G12 Q8Q',
                         'G1é', 'G12\n8QQ', 'G12-8QQ', 'A'.repeat(24)])
            await invalid(qs({ postcode: p }).slice(1), 'postcode', /G12 8QQ/);
    });

    test('a well-formed but unknown postcode ("G99 9ZZ"): 400 that suggests its district', async () => {
        const r = await invalid(qs({ postcode: 'G99 9ZZ' }).slice(1), 'postcode', /"G99 9ZZ" was not found.*"G99"/);
        assert.ok(!r.body.errors.some((e) => e.field !== 'postcode'));
        // A district is not told to try its own district.
        const d = await invalid(qs({ postcode: 'ZZ9' }).slice(1), 'postcode', /"ZZ9" is not a postcode district this directory covers/);
        assert.doesNotMatch(d.body.errors[0].message, /try just its district/);
    });
});

describe('radius_km', () => {
    for (const v of ['five', '-1', '0', '0.0', '-0', '51', '50.0001', 'nan', 'NaN', 'inf', '1e3', '1e1', '0x10', '+5', '5km', '', ' 5', '1.2.3', '.']) {
        test(`radius_km=${JSON.stringify(v)} is refused`, async () => {
            if (v === '') {
                // Present but empty is not a number either.
                await invalid('postcode=G12&radius_km=', 'radius_km', /above 0 and at most 50/);
                return;
            }
            await invalid(`postcode=G12&${qs({ radius_km: v }).slice(1)}`, 'radius_km', /above 0 and at most 50/);
        });
    }

    test('the limits themselves are accepted: 50, 0.5, .5 and 5.', async () => {
        for (const v of ['50', '0.5', '.5', '5.']) {
            const body = await search('ggc', { postcode: 'G12 8QQ', radius_km: v, q: 'walking' });
            assert.equal(body.query.radius_km, Number(v));
        }
    });

    test('radius_km without a postcode: 400 "needs a postcode"', async () => {
        await invalid('radius_km=5', 'radius_km', /needs a postcode/);
        await invalid('radius_km=5&postcode=', 'radius_km', /needs a postcode/);
    });
});

describe('page and per_page', () => {
    const cases = [['per_page', '100000'], ['per_page', '0'], ['per_page', 'ten'], ['per_page', '-5'], ['per_page', '20.5'],
                   ['per_page', '99999999999999999999'], ['page', '0'], ['page', '-1'], ['page', '10001'], ['page', 'two'],
                   ['page', '1e2'], ['page', '']];
    for (const [name, v] of cases) {
        test(`${name}=${JSON.stringify(v)} is refused`, async () => {
            await invalid(`${name}=${encodeURIComponent(v)}`, name, /whole number/);
        });
    }

    test('several bad parameters are reported together in one 400', async () => {
        const r = await invalid('page=0&per_page=0&radius_km=99&postcode=G12&category=Bad_Slug&colour=red', 'page');
        const fields = r.body.errors.map((e) => e.field).sort();
        assert.deepEqual(fields, ['category', 'colour', 'page', 'per_page', 'radius_km']);
        assert.match(r.body.detail, /5 parameters are invalid/);
    });
});

describe('q', () => {
    test('q of 200 characters (multi-byte too) is accepted; 201 is not', async () => {
        assert.equal((await search('ggc', { q: 'a'.repeat(200) })).query.q, 'a'.repeat(200));
        assert.equal((await search('ggc', { q: 'é'.repeat(200) })).query.q, 'é'.repeat(200));
        await invalid(qs({ q: 'a'.repeat(201) }).slice(1), 'q', /at most 200/);
        await invalid(qs({ q: 'é'.repeat(201) }).slice(1), 'q', /201 characters/);
    });

    test('a 10 KB q: 400 from linksd (field q), not 414 from nginx', async () => {
        const r = await invalid(`q=${'w'.repeat(10 * 1024)}`, 'q', /is too long \(10240 characters\)/);
        assert.equal(r.body.title, INVALID);
    });

    test('invalid UTF-8 (%ff%fe): 400 on q', async () => {
        await invalid('q=%ff%fe', 'q', /UTF-8/);
        await invalid('q=%C0%AF', 'q', /UTF-8/);            // overlong "/"
        await invalid('q=%ED%A0%80', 'q', /UTF-8/);         // a surrogate
        await invalid('q=abc%E2%82', 'q', /UTF-8/);         // truncated
    });

    test('%00 in q: 400 on q', async () => {
        await invalid('q=walk%00ing', 'q', /NUL/);
        await invalid('q=%00', 'q', /NUL/);
    });

    test('a malformed escape (%zz, a trailing %): 400 on q', async () => {
        await invalid('q=%zz', 'q', /malformed %-escape/);
        await invalid('q=walking%', 'q', /malformed %-escape/);
        await invalid('q=walking%4', 'q', /malformed %-escape/);
    });

    test('a repeated parameter (q=a&q=b): 400 on q', async () => {
        await invalid('q=a&q=b', 'q', /more than once/);
        await invalid('postcode=G12&postcode=G11', 'postcode', /more than once/);
    });

    test('text with words in it (operators, quotes, SQL, markup) is just text: 200', async () => {
        for (const q of ['"unterminated quote', "'; DROP TABLE service; --", 'walking & | ! ( ) :*', '<script>alert(1)</script>',
                         'walking -football', 'walking or swimming', '\\x00 %s %n'])
            assert.ok((await search('ggc', { q })).total >= 0);
    });

    test('text without a searchable word ("-", "!!!", "the"): no results or a 400 on q, never a 500', async () => {
        for (const q of ['-', '!!!', 'the', 'or', '&', '()']) {
            const r = await call('GET', T.search, `${SEARCH}${qs({ q })}`);
            assert.ok(r.status === 200 || r.status === 400, `q=${q}: ${r.status}`);
            if (r.status === 200)
                assert.equal(r.body.total, 0, `q=${q}`);
            else
                assert.deepEqual(r.body.errors.map((e) => e.field), ['q'], `q=${q}`);
        }
    });
});

describe('answered by nginx', () => {
    test('a 40 KB query string: 414 problem+json', async () => {
        const r = await call('GET', T.search, `${SEARCH}?q=${'a'.repeat(40 * 1024)}`);
        assert.equal(r.status, 414, `got ${r.status} ${r.headers.get('content-type')}: ${r.text.slice(0, 200)}`);
        assert.match(r.headers.get('content-type') ?? '', /^application\/problem\+json/);
        assert.equal(r.body.status, 414);
    });

    test('a request line nginx cannot parse: 400 problem+json', async () => {
        const { status, headers, body } = await rawRequest('GARBAGE\r\n\r\n');
        assert.equal(status, 400, `got ${status} ${headers['content-type']}: ${body.slice(0, 200)}`);
        assert.match(headers['content-type'] ?? '', /^application\/problem\+json/);
        assert.equal(schemaErrors('Problem', JSON.parse(body)), null, body);
    });

    test('a 40 KB header: 431 problem+json', async () => {
        const r = await call('GET', T.boards, '/api/v1/boards', { headers: { 'x-padding': 'p'.repeat(40 * 1024) } });
        assert.equal(r.status, 431);
        assert.match(r.headers.get('content-type') ?? '', /^application\/problem\+json/);
    });

    test('a 100 KB body: 413 problem+json', async () => {
        const r = await call('POST', T.boards, '/api/v1/boards', { body: 'x'.repeat(100 * 1024), headers: { 'content-type': 'text/plain' } });
        assert.equal(r.status, 413);
        assert.match(r.headers.get('content-type') ?? '', /^application\/problem\+json/);
    });
});

describe('still healthy', () => {
    test('after all that, /readyz is ready', async () => {
        const r = await get(T.ready, '/readyz');
        assert.equal(r.status, 200);
        assert.equal(r.body.status, 'ready');
    });
});
