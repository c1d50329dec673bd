// 10-api: every endpoint's normal behaviour, with expected values taken from
// the configuration, the documentation and the database (never from linksd).
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { before, describe, test } from 'node:test';

import { call, expectProblem, get, qs, search, searchAll, T, waitForStack } from './lib/api.mjs';
import { lit, sql, sqlOne } from './lib/db.mjs';
import { boardRow, candidates, glasgowPlan, haversineKm, place, withinRadius } from './lib/model.mjs';

const BOARDS = [
    { code: 'S08000031', slug: 'ggc', name: 'NHS Greater Glasgow and Clyde', plugin: 'glasgow' },
    { code: 'S08000029', slug: 'fife', name: 'NHS Fife', plugin: 'fife' },
];
const DEFAULT_RADIUS_KM = 5;
const ROUNDING_KM = 0.0051;       // distance_km is rounded to 0.01

before(async () => {
    await waitForStack();
});

/** Generic properties of any search with an origin. */
function checkPlaceOrdering(body, label) {
    const radius = body.query.radius_km;
    assert.ok(body.origin, `${label}: no origin`);
    assert.ok(body.total >= body.items.length, `${label}: total ${body.total} < ${body.items.length} items`);
    for (let i = 1; i < body.items.length; i++) {
        const a = body.items[i - 1], b = body.items[i];
        // overdue services after all current ones; then by tier, then nearest
        assert.ok(!a.review_overdue || b.review_overdue, `${label}: current ${b.name} after overdue ${a.name}`);
        if (a.review_overdue !== b.review_overdue)
            continue;
        assert.ok(a.rank_tier <= b.rank_tier, `${label}: rank_tier falls from ${a.name} to ${b.name}`);
        if (a.rank_tier === b.rank_tier) {
            if (a.distance_km === null)
                assert.equal(b.distance_km, null, `${label}: ${b.name} (with a distance) after ${a.name} (without) in one tier`);
            else if (b.distance_km !== null)
                assert.ok(a.distance_km <= b.distance_km, `${label}: tier ${a.rank_tier}: ${a.name} ${a.distance_km} km before ${b.name} ${b.distance_km} km`);
        }
    }
    for (const item of body.items) {
        if (item.area === 'local' && item.covers === null) {
            assert.notEqual(item.distance_km, null, `${label}: local ${item.name} without distance or area`);
            assert.ok(item.distance_km <= radius + ROUNDING_KM, `${label}: local ${item.name} at ${item.distance_km} km, radius ${radius}`);
        }
        if (item.covers !== null) {
            // found by its service area, outside the radius: no distance shown
            assert.equal(item.area, 'local');
            assert.equal(item.distance_km, null, `${label}: ${item.name} covers ${item.covers} yet has a distance`);
        } else if (item.location) {
            // The location shown is the nearest one, and distance_km is to it.
            const d = haversineKm(body.origin.lat, body.origin.lon, item.location.lat, item.location.lon);
            assert.ok(Math.abs(d - item.distance_km) <= 0.011, `${label}: ${item.name}: distance_km ${item.distance_km}, its location is ${d.toFixed(3)} km away`);
        } else {
            assert.equal(item.distance_km, null, `${label}: ${item.name} has no location but a distance`);
        }
    }
}

function sameIds(items) {
    return items.map((i) => i.id);
}

describe('health', () => {
    test('GET /healthz is ok', async () => {
        const r = await get(T.health, '/healthz');
        assert.equal(r.status, 200);
        assert.deepEqual(r.body, { status: 'ok' });
    });

    test('GET /readyz is ready: database ok, every board in service', async () => {
        const r = await get(T.ready, '/readyz');
        assert.equal(r.status, 200);
        assert.equal(r.body.status, 'ready');
        assert.equal(r.body.database, 'ok');
        assert.deepEqual(r.body.boards.map((b) => [b.code, b.in_service]), BOARDS.map((b) => [b.code, true]));
    });
});

describe('boards', () => {
    test('GET /api/v1/boards lists NHS GGC (S08000031, ggc) and NHS Fife (S08000029, fife) with their plugins', async () => {
        const r = await get(T.boards, '/api/v1/boards');
        assert.equal(r.status, 200);
        assert.equal(r.body.boards.length, BOARDS.length);
        for (const want of BOARDS) {
            const b = r.body.boards.find((x) => x.code === want.code);
            assert.ok(b, `${want.code} missing`);
            assert.equal(b.slug, want.slug);
            assert.equal(b.name, want.name);
            assert.equal(b.in_service, true);
            assert.equal(b.reason, null);
            assert.equal(b.plugin?.name, want.plugin);
            // the database agrees on code, slug and name
            const row = boardRow(want.slug);
            assert.deepEqual([row.code, row.name], [want.code, want.name]);
        }
    });

    test('a board by code and by slug is the same document as in the list', async () => {
        const list = (await get(T.boards, '/api/v1/boards')).body.boards;
        for (const want of BOARDS) {
            const byCode = await get(T.board, `/api/v1/boards/${want.code}`);
            const bySlug = await get(T.board, `/api/v1/boards/${want.slug}`);
            assert.equal(byCode.status, 200);
            assert.equal(bySlug.status, 200);
            assert.deepEqual(byCode.body, bySlug.body);
            assert.deepEqual(byCode.body, list.find((b) => b.code === want.code));
            // People type "GGC" or "s08000031": the same board.
            const upper = await get(T.board, `/api/v1/boards/${want.slug.toUpperCase()}`);
            const lower = await get(T.board, `/api/v1/boards/${want.code.toLowerCase()}`);
            assert.deepEqual(upper.body, byCode.body);
            assert.deepEqual(lower.body, byCode.body);
        }
    });

    test('HEAD /api/v1/boards: 200, JSON, no body', async () => {
        const r = await call('HEAD', T.boards, '/api/v1/boards');
        assert.equal(r.status, 200);
        assert.equal(r.text, '');
        assert.match(r.headers.get('content-type'), /^application\/json/);
    });

    test('HEAD on a search and on a missing board: same status as GET, no body', async () => {
        const ok = await call('HEAD', T.search, '/api/v1/boards/ggc/resources?q=walking');
        assert.equal(ok.status, 200);
        assert.equal(ok.text, '');
        const missing = await call('HEAD', T.board, '/api/v1/boards/nowhere');
        assert.equal(missing.status, 404);
        assert.equal(missing.text, '');
        assert.match(missing.headers.get('content-type'), /^application\/problem\+json/);
    });

    test('POST, PUT, DELETE and PATCH are 405 with Allow: GET, HEAD', async () => {
        const cases = [['POST', T.boards, '/api/v1/boards'], ['PUT', T.board, '/api/v1/boards/ggc'],
                       ['DELETE', T.search, '/api/v1/boards/ggc/resources'], ['PATCH', T.categories, '/api/v1/categories'],
                       ['POST', T.health, '/healthz']];
        for (const [method, template, path] of cases) {
            const r = await expectProblem(template, path, 405, { method, body: method === 'DELETE' ? undefined : '{}',
                                                                  headers: { 'content-type': 'application/json' } });
            assert.equal(r.headers.get('allow'), 'GET, HEAD', `${method} ${path}`);
            assert.equal(r.body.title, 'Method not allowed');
            assert.match(r.body.request_id, /^[0-9a-f]{32}$/);
        }
    });

    test('linksd responses are marked Cache-Control: no-store and HEAD carries Content-Length', async () => {
        // core/worker.c sends both; patients' searches must not be cached by
        // browsers or proxies.
        for (const path of ['/api/v1/boards', '/api/v1/boards/ggc/resources?q=walking&postcode=G12+8QQ']) {
            const r = await get(path.includes('resources') ? T.search : T.boards, path);
            assert.equal(r.headers.get('cache-control'), 'no-store', `${path}: Cache-Control`);
        }
        const h = await call('HEAD', T.boards, '/api/v1/boards');
        const g = await get(T.boards, '/api/v1/boards');
        assert.equal(h.headers.get('content-length'), String(Buffer.byteLength(g.text)), 'HEAD Content-Length');
    });
});

describe('categories', () => {
    test('the tree has two or more levels, every parent exists one level up, and matches the database', async () => {
        const r = await get(T.categories, '/api/v1/categories');
        assert.equal(r.status, 200);
        const cats = r.body.categories;
        const bySlug = new Map(cats.map((c) => [c.slug, c]));
        assert.equal(bySlug.size, cats.length, 'slugs are unique');
        const levels = new Set(cats.map((c) => c.level));
        assert.ok(levels.has(1) && levels.has(2), `levels ${[...levels]}`);
        for (const c of cats) {
            if (c.level === 1) {
                assert.equal(c.parent, null, `${c.slug} is top-level`);
            } else {
                assert.ok(bySlug.has(c.parent), `${c.slug}: parent ${c.parent} is not in the list`);
                assert.equal(bySlug.get(c.parent).level, c.level - 1, `${c.slug}: level`);
            }
        }
        // Top-level categories come first.
        const firstChild = cats.findIndex((c) => c.level > 1);
        assert.ok(cats.slice(firstChild).every((c) => c.level > 1), 'top-level categories first');
        const db = sql(`SELECT c.slug, c.name, p.slug AS parent FROM category c LEFT JOIN category p ON p.id = c.parent_id`);
        assert.equal(cats.length, db.length);
        for (const row of db)
            assert.deepEqual([bySlug.get(row.slug)?.name, bySlug.get(row.slug)?.parent], [row.name, row.parent], row.slug);
    });
});

describe('search', () => {
    async function checkAgainstDirectory(boardSlug, q, postcode, label) {
        const origin = place(postcode.trim().toUpperCase().replace(/\s+/g, ' '));
        assert.ok(origin, `${postcode} is not in the postcode data`);
        const body = await searchAll(boardSlug, { q, postcode });
        assert.equal(body.board.slug, boardSlug);
        assert.ok(Math.abs(body.origin.lat - origin.lat) < 1e-6 && Math.abs(body.origin.lon - origin.lon) < 1e-6, `${label}: origin position`);
        assert.equal(body.origin.council_code, origin.council_code);
        assert.equal(body.origin.simd_decile, origin.simd_decile);
        checkPlaceOrdering(body, label);
        // The radius used is the asked one unless the Glasgow plugin narrows it.
        const radius = boardSlug === 'ggc' ? glasgowPlan(origin, DEFAULT_RADIUS_KM).radiusKm : DEFAULT_RADIUS_KM;
        assert.equal(body.query.radius_km, radius);
        const want = withinRadius(candidates(boardSlug, { q }), origin, radius);
        assert.ok(want.length > 0, `${label}: the demo data has no "${q}" services near ${postcode}`);
        assert.deepEqual(sameIds(body.items).sort(), want.map((s) => s.id).sort(), `${label}: result set`);
        return body;
    }

    test('ggc: q=walking from g12 8qq: nearest first within each tier, all local ones within 5 km', async () => {
        const body = await checkAgainstDirectory('ggc', 'walking', 'g12 8qq', 'ggc walking G12 8QQ');
        assert.equal(body.query.postcode, 'G12 8QQ');
        assert.equal(body.origin.postcode, 'G12 8QQ');
        assert.equal(body.origin.kind, 'postcode');
        assert.equal(body.query.q, 'walking');
        assert.equal(body.corrected_query, null);
        assert.ok(body.items.every((i) => i.distance_km !== null || i.covers !== null), 'a distance, or the area covered');
    });

    test('fife: q=walking from KY16 9AJ (St Andrews)', async () => {
        const body = await checkAgainstDirectory('fife', 'walking', 'KY16 9AJ', 'fife walking KY16 9AJ');
        assert.equal(body.origin.district, 'KY16');
        assert.equal(body.ranking, 'North East Fife locality first, then Fife-wide services');
    });

    test('a postcode in any case and spacing gives the identical answer', async () => {
        const base = await search('ggc', { q: 'walking', postcode: 'G12 8QQ' });
        for (const variant of ['g128qq', ' G12  8QQ ', 'g12 8QQ', '\tG12 8qq']) {
            const other = await search('ggc', { q: 'walking', postcode: variant });
            assert.deepEqual(other, base, `postcode ${JSON.stringify(variant)}`);
        }
    });

    test('a district ("G12") and a sector ("G12 8") search from their centroids', async () => {
        for (const [text, kind] of [['G12', 'district'], ['G12 8', 'sector']]) {
            const area = place(text);
            assert.ok(area, `${text} is not in postcode_area`);
            const body = await searchAll('ggc', { q: 'walking', postcode: text });
            assert.equal(body.origin.kind, kind);
            assert.equal(body.origin.postcode, null);
            assert.equal(body.origin.district, 'G12');
            assert.equal(body.origin.data_zone, null);
            assert.ok(Math.abs(body.origin.lat - area.lat) < 1e-6 && Math.abs(body.origin.lon - area.lon) < 1e-6);
            checkPlaceOrdering(body, text);
            const want = withinRadius(candidates('ggc', { q: 'walking' }), area, DEFAULT_RADIUS_KM);
            assert.deepEqual(sameIds(body.items).sort(), want.map((s) => s.id).sort(), `${text}: result set`);
        }
    });

    test('without a place: every visible active service, relevance order, no distances', async () => {
        const body = await search('ggc', {});
        const n = sqlOne(`SELECT count(*)::int AS n FROM service s JOIN board b ON b.slug = 'ggc'
                           WHERE s.status = 'active' AND (s.board_id = b.id OR s.board_id IS NULL)`).n;
        assert.equal(body.total, n);
        assert.equal(body.per_page, 20, 'default per_page');
        assert.equal(body.page, 1);
        assert.equal(body.items.length, Math.min(20, n));
        assert.equal(body.origin, null);
        assert.equal(body.query.radius_km, null);
        assert.equal(body.ranking, null);
        assert.ok(body.items.every((i) => i.distance_km === null && i.rank_tier === 0));
    });

    test('pagination: pages do not overlap, totals agree, and together they are the whole result', async () => {
        const params = { q: 'walking', postcode: 'G12 8QQ', radius_km: 10 };
        const all = await searchAll('ggc', params);
        assert.ok(all.total > 10, `need more than 10 results, got ${all.total}`);
        const p1 = await search('ggc', { ...params, per_page: 5, page: 1 });
        const p2 = await search('ggc', { ...params, per_page: 5, page: 2 });
        assert.equal(p1.total, all.total);
        assert.equal(p2.total, all.total);
        assert.equal(p2.page, 2);
        assert.equal(p1.items.length, 5);
        assert.equal(p2.items.length, 5);
        const ids1 = new Set(sameIds(p1.items));
        assert.ok(p2.items.every((i) => !ids1.has(i.id)), 'page 2 repeats page 1');
        assert.deepEqual([...sameIds(p1.items), ...sameIds(p2.items)], sameIds(all.items).slice(0, 10));
        const last = Math.ceil(all.total / 5);
        const beyond = await search('ggc', { ...params, per_page: 5, page: last + 1 });
        assert.deepEqual(beyond.items, []);
        assert.equal(beyond.total, all.total);
    });

    test('per_page: 100 is allowed, 101 is not', async () => {
        const body = await search('ggc', { per_page: 100 });
        assert.equal(body.per_page, 100);
        assert.equal(body.items.length, Math.min(100, body.total));
        await expectProblem(T.search, `/api/v1/boards/ggc/resources${qs({ per_page: 101 })}`, 400, { field: 'per_page' });
    });

    test('category: every result is in the category or a descendant, and descendants count', async () => {
        const tree = (await get(T.categories, '/api/v1/categories')).body.categories;
        const children = new Map();
        for (const c of tree)
            if (c.parent)
                children.set(c.parent, [...(children.get(c.parent) ?? []), c.slug]);
        const subtree = (slug) => [slug, ...(children.get(slug) ?? []).flatMap(subtree)];
        // The top-level category with the most ggc services that are only in its descendants.
        const pick = sqlOne(`
            WITH RECURSIVE t AS (SELECT id, id AS root FROM category WHERE parent_id IS NULL
                                 UNION ALL SELECT c.id, t.root FROM category c JOIN t ON c.parent_id = t.id)
            SELECT r.slug, count(DISTINCT sc.service_id) FILTER (WHERE t.id <> t.root) AS via_descendants
              FROM t JOIN category r ON r.id = t.root
              JOIN service_category sc ON sc.category_id = t.id
              JOIN service s ON s.id = sc.service_id AND s.status = 'active' AND (s.board_id = 1 OR s.board_id IS NULL)
             GROUP BY r.slug ORDER BY 2 DESC, 1 LIMIT 1`);
        assert.ok(pick && pick.via_descendants > 0, 'no category with services in its descendants');
        const allowed = new Set(subtree(pick.slug));
        const body = await searchAll('ggc', { category: pick.slug });
        assert.equal(body.query.category, pick.slug);
        const want = candidates('ggc', { category: pick.slug });
        assert.deepEqual(sameIds(body.items).sort(), want.map((s) => s.id).sort(), 'result set');
        let viaDescendant = 0;
        for (const item of body.items) {
            const slugs = item.categories.map((c) => c.slug);
            assert.ok(slugs.some((s) => allowed.has(s)), `${item.name} (${slugs}) is not in ${pick.slug} or below`);
            viaDescendant += slugs.includes(pick.slug) ? 0 : 1;
        }
        assert.ok(viaDescendant > 0, 'no result came from a descendant category');
        // A leaf category narrows further, with a place too.
        const leaf = [...allowed].find((s) => !children.has(s) &&
            sqlOne(`SELECT count(*)::int AS n FROM service_category sc JOIN category c ON c.id = sc.category_id
                     JOIN service s ON s.id = sc.service_id WHERE c.slug = ${lit(s)} AND s.status = 'active'
                      AND (s.board_id = 1 OR s.board_id IS NULL)`).n > 0);
        assert.ok(leaf, `no leaf under ${pick.slug} with services`);
        const narrow = await searchAll('ggc', { category: leaf });
        assert.ok(narrow.total > 0 && narrow.total <= body.total);
        assert.ok(narrow.items.every((i) => i.categories.some((c) => c.slug === leaf)));
    });

    test('a misspelling ("walkng") is corrected to "walking" and finds what "walking" finds', async () => {
        const typo = await search('ggc', { q: 'walkng', postcode: 'G12 8QQ' });
        const right = await search('ggc', { q: 'walking', postcode: 'G12 8QQ' });
        assert.equal(typo.corrected_query, 'walking');
        assert.equal(typo.query.q, 'walkng');
        assert.ok(typo.total > 0);
        assert.equal(typo.total, right.total);
        assert.deepEqual(sameIds(typo.items), sameIds(right.items));
        assert.equal(right.corrected_query, null);
        // Nothing to correct to: no results and no correction.
        const none = await search('ggc', { q: 'qqqqzzzzxxxx' });
        assert.equal(none.total, 0);
        assert.equal(none.corrected_query, null);
        assert.deepEqual(none.items, []);
    });
});

describe('resource detail', () => {
    test('an item from a search, in full, as the database has it', async () => {
        const body = await search('ggc', { q: 'walking', postcode: 'G12 8QQ' });
        assert.ok(body.items.length > 0);
        for (const item of body.items.slice(0, 3)) {
            const r = await get(T.resource, `/api/v1/boards/ggc/resources/${item.id}`);
            assert.equal(r.status, 200);
            const d = r.body;
            assert.equal(d.id, item.id);
            assert.equal(d.name, item.name);
            assert.equal(d.is_free, item.is_free);
            assert.equal(d.area, item.area);
            assert.equal(d.status, 'active');
            assert.deepEqual(d.categories, item.categories);
            assert.deepEqual(d.organization.id, item.organization.id);
            assert.deepEqual(d.board, { code: 'S08000031', slug: 'ggc', name: 'NHS Greater Glasgow and Clyde' });
            assert.ok(d.locations.some((l) => l.id === item.location.id), 'the shown location is one of its locations');
            const row = sqlOne(`SELECT s.name, s.description, s.eligibility_description AS eligibility, s.fees_description AS fees,
                                       s.last_reviewed::text, o.name AS organization,
                                       (SELECT count(*)::int FROM service_at_location sal WHERE sal.service_id = s.id) AS nloc
                                  FROM service s JOIN organization o ON o.id = s.organization_id WHERE s.id = ${lit(item.id)}`);
            assert.deepEqual([d.description, d.eligibility, d.fees, d.last_reviewed, d.organization.name, d.locations.length],
                             [row.description, row.eligibility, row.fees, row.last_reviewed, row.organization, row.nloc]);
        }
    });

    test('opening times: the schedule rows, days in week order, HH:MM; in search items and in detail', async () => {
        const WEEK = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'];
        const DAY_NAME = { MO: 'Monday', TU: 'Tuesday', WE: 'Wednesday', TH: 'Thursday', FR: 'Friday', SA: 'Saturday', SU: 'Sunday' };
        const body = await search('ggc', { q: 'walking', postcode: 'G12 8QQ', per_page: 50 });
        const withTimes = body.items.filter((i) => i.schedules.length > 0);
        assert.ok(withTimes.length >= 3, `only ${withTimes.length} walking services near G12 8QQ have opening times`);
        for (const item of withTimes.slice(0, 5)) {
            const rows = sql(`SELECT location_id, freq, byday, bymonthday, opens_at::text, closes_at::text, description
                                FROM schedule WHERE service_id = ${lit(item.id)}`);
            // Expected order worked out here: first day of the week, then opening time.
            rows.sort((a, b) => WEEK.indexOf(a.byday.split(',')[0]) - WEEK.indexOf(b.byday.split(',')[0]) ||
                                a.opens_at.localeCompare(b.opens_at));
            const expected = rows.map((r) => ({ location_id: r.location_id, freq: r.freq, byday: r.byday,
                                                 bymonthday: r.bymonthday, opens_at: r.opens_at.slice(0, 5),
                                                 closes_at: r.closes_at.slice(0, 5), description: r.description }));
            assert.deepEqual(item.schedules, expected, `${item.name}: search item schedules`);
            const d = await get(T.resource, `/api/v1/boards/ggc/resources/${item.id}`);
            assert.deepEqual(d.body.schedules, expected, `${item.name}: detail schedules`);
            // Demo data: the schedule is the day its description names.
            for (const s of expected)
                assert.match(item.description, new RegExp(DAY_NAME[s.byday]), `${item.name}: meets on ${s.byday} but says otherwise`);
        }
        const without = body.items.find((i) => i.schedules.length === 0);
        if (without)
            assert.equal(sqlOne(`SELECT count(*)::int AS n FROM schedule WHERE service_id = ${lit(without.id)}`).n, 0);
    });

    test('a random UUID is 404, a non-UUID is 400 (field id)', async () => {
        await expectProblem(T.resource, `/api/v1/boards/ggc/resources/${randomUUID()}`, 404, { title: 'Resource not found' });
        await expectProblem(T.resource, '/api/v1/boards/ggc/resources/not-a-uuid', 400, { field: 'id' });
        await expectProblem(T.resource, '/api/v1/boards/ggc/resources/1fa8af24-00ff-bf13-06ae-12c9db81e61', 400, { field: 'id' });
        await expectProblem(T.resource, '/api/v1/boards/ggc/resources/1fa8af24x00ff-bf13-06ae-12c9db81e61f', 400, { field: 'id' });
    });

    test('board isolation: a local Glasgow service is 404 under fife and never in its searches; national ones are in both', async () => {
        const local = sqlOne(`SELECT s.id, s.name FROM service s WHERE s.board_id = (SELECT id FROM board WHERE slug = 'ggc')
                               AND s.area = 'local' AND s.status = 'active' ORDER BY s.name, s.id LIMIT 1`);
        assert.ok(local, 'no local ggc service');
        const here = await get(T.resource, `/api/v1/boards/ggc/resources/${local.id}`);
        assert.equal(here.status, 200);
        await expectProblem(T.resource, `/api/v1/boards/fife/resources/${local.id}`, 404, { title: 'Resource not found' });
        await expectProblem(T.resource, `/api/v1/boards/S08000029/resources/${local.id}`, 404);
        // Its own name, searched in Fife, does not find it; every Fife result is Fife's or national.
        const fife = await searchAll('fife', { q: local.name });
        assert.ok(fife.items.every((i) => i.id !== local.id), `${local.name} leaked into a fife search`);
        const allowed = new Set(sql(`SELECT s.id FROM service s WHERE s.board_id = (SELECT id FROM board WHERE slug = 'fife')
                                         OR s.board_id IS NULL`).map((r) => r.id));
        assert.ok(fife.items.every((i) => allowed.has(i.id)), 'a fife search returned another board\'s service');

        const national = sqlOne(`SELECT id FROM service WHERE board_id IS NULL AND status = 'active' ORDER BY name, id LIMIT 1`);
        assert.ok(national, 'no national service in the demo data');
        for (const b of BOARDS) {
            const r = await get(T.resource, `/api/v1/boards/${b.slug}/resources/${national.id}`);
            assert.equal(r.status, 200, `national service under ${b.slug}`);
            assert.equal(r.body.area, 'national');
            assert.equal(r.body.board.code, b.code);
        }
    });
});
