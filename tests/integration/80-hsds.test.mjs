// 80-hsds: the public Open Referral HSDS 3.0 API. Every response is checked
// against the official schemas (lib/hsds.mjs) as well as docs/openapi.yaml;
// what each list should hold is worked out from the database here, never
// taken from linksd.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { before, describe, test } from 'node:test';

import { call, expectProblem, get, qs, waitForStack } from './lib/api.mjs';
import { lit, psql, sql, sqlOne } from './lib/db.mjs';
import { env } from './lib/env.mjs';
import { assertOnlyStandardMembers, assertPage, assertValid, HSDS_DIR } from './lib/hsds.mjs';
import { haversineKm } from './lib/model.mjs';

const COLLECTIONS = {
    services: 'service.json',
    organizations: 'organization.json',
    taxonomies: 'taxonomy.json',
    taxonomy_terms: 'taxonomy_term.json',
    service_at_locations: 'service_at_location.json',
};
// Feeds: the deployment's, then each board's (by slug and by code).
const FEEDS = [
    { base: '/hsds', tbase: '/hsds', board: null },
    { base: '/hsds/ggc', tbase: '/hsds/{board}', board: 'ggc' },
    { base: '/hsds/S08000029', tbase: '/hsds/{board}', board: 'fife' },
];

const boardId = (slug) => sqlOne(`SELECT id FROM board WHERE slug = ${lit(slug)}`).id;
/** SQL: the rows of table alias `t` that a feed publishes. */
const inFeed = (feed, t) => (feed.board ? `(${t}.board_id IS NULL OR ${t}.board_id = ${boardId(feed.board)})` : 'true');

async function hsds(feed, collection, params = {}, { id } = {}) {
    const template = `${feed.tbase}${collection ? `/${collection}` : ''}${id ? '/{id}' : ''}`;
    const path = `${feed.base}${collection ? `/${collection}` : '/'}${id ? `/${id}` : ''}${qs(params)}`;
    const r = await get(template, path);
    assert.equal(r.headers.get('access-control-allow-origin'), '*', `${path}: open to every origin`);
    return r;
}

/** Every item of a list, page by page, each page checked. */
async function allPages(feed, collection, params = {}, perPage = 200) {
    const items = [];
    let total;
    for (let page = 1; page <= 100; page++) {
        const r = await hsds(feed, collection, { ...params, page, per_page: perPage });
        assert.equal(r.status, 200, r.text.slice(0, 300));
        assertPage(r.body, COLLECTIONS[collection], { page, perPage }, `${feed.base}/${collection} page ${page}`);
        total ??= r.body.total_items;
        assert.equal(r.body.total_items, total, 'total_items is the same on every page');
        items.push(...r.body.contents);
        if (r.body.last_page)
            break;
    }
    assert.equal(items.length, total, `${collection}: every page fetched`);
    return items;
}

const ids = (items) => items.map((i) => i.id).sort();
const sortedIds = (rows) => rows.map((r) => r.id).sort();

before(async () => {
    await waitForStack();
});

describe('the HSDS checks themselves', () => {
    test('the standard\'s own examples pass them, and drifted objects do not', () => {
        const example = (f) => JSON.parse(fs.readFileSync(path.join(HSDS_DIR, 'examples', f), 'utf8'));
        const service = example('service_full.json');
        assertValid('service.json', service, 'service_full.json');
        assertOnlyStandardMembers('service.json', service, 'service_full.json');
        assertValid('organization.json', example('organization_full.json'), 'organization_full.json');
        assertValid('service_at_location.json', example('service_at_location_full.json'), 'service_at_location_full.json');
        assertPage(example('service_list.json'), 'service.json', { page: 1, perPage: 1 }, 'service_list.json');
        assert.throws(() => assertValid('service.json', { ...service, status: 'open' }), /not a valid HSDS service.json/);
        assert.throws(() => assertValid('service.json', { ...service, url: null }), /not a valid HSDS service.json/);
        assert.throws(() => assertValid('service.json', { ...service, minimum_age: '12' }), /not a valid HSDS service.json/);
        const { name, ...nameless } = service;
        assert.throws(() => assertValid('service.json', nameless), /name/);
        assert.throws(() => assertOnlyStandardMembers('service.json', { ...service, review_due: '2027-01-01' }), /review_due/);
        const sal = { ...service.service_at_locations[0], location: { ...service.service_at_locations[0].location, champion: 'x' } };
        assert.throws(() => assertOnlyStandardMembers('service.json', { ...service, service_at_locations: [sal] }),
                      /service_at_locations\[0\]\.location: "champion"/);
        const page = example('service_list.json');
        assert.throws(() => assertPage({ ...page, size: 2 }, 'service.json', { page: 1, perPage: 1 }, 'drift'), /size/);
        assert.throws(() => assertPage({ ...page, last_page: true }, 'service.json', { page: 1, perPage: 1 }, 'drift'), /last_page/);
    });
});

describe('the HSDS API', () => {
    test('GET / names HSDS 3.0 and the standard OpenAPI document, for the deployment and each board', async () => {
        for (const feed of FEEDS) {
            const r = await hsds(feed, null);
            assert.equal(r.status, 200);
            assert.equal(r.body.version, '3.0');
            assert.match(r.body.openapi_url, /^https:\/\/.*openreferral.*openapi\.json$/);
        }
    });

    for (const feed of FEEDS) {
        test(`${feed.base}: every list pages through exactly the rows the feed publishes, each valid HSDS`, async () => {
            const expected = {
                services: sql(`SELECT s.id FROM service s WHERE ${inFeed(feed, 's')}`),
                organizations: sql(`SELECT o.id FROM organization o WHERE ${inFeed(feed, 'o')}`),
                taxonomies: sql('SELECT id FROM taxonomy'),
                taxonomy_terms: sql('SELECT id FROM category'),
                service_at_locations: sql(`SELECT sal.id FROM service_at_location sal JOIN service s ON s.id = sal.service_id
                                            WHERE ${inFeed(feed, 's')}`),
            };
            for (const collection of Object.keys(COLLECTIONS)) {
                const items = await allPages(feed, collection);
                assert.deepEqual(ids(items), sortedIds(expected[collection]), `${feed.base}/${collection}: ids`);
                assert.equal(new Set(ids(items)).size, items.length, `${collection}: no item twice`);
                // ordered by id, so that pages follow each other without gaps
                assert.deepEqual(items.map((i) => i.id), ids(items), `${collection}: in id order`);
            }
        });
    }

    test('a board feed never shows another board\'s services or organizations', async () => {
        const fife = boardId('fife');
        const ggcItems = await allPages(FEEDS[1], 'services');
        const fifeIds = new Set(sql(`SELECT id FROM service WHERE board_id = ${fife}`).map((r) => r.id));
        assert.ok(fifeIds.size > 0);
        assert.ok(ggcItems.every((s) => !fifeIds.has(s.id)), 'no Fife service in the Glasgow feed');
        const fifeService = [...fifeIds][0];
        const r = await hsds(FEEDS[1], 'services', {}, { id: fifeService });
        assert.equal(r.status, 404, 'a Fife service is not found in the Glasgow feed');
        assert.equal((await hsds(FEEDS[0], 'services', {}, { id: fifeService })).status, 200, 'but is in the national one');
    });

    test('fully nested services, organizations and services at locations validate; nothing but HSDS members', async () => {
        // A spread of services: national, board-wide, local; with areas,
        // languages, several locations, schedules, capacity.
        const sample = sql(`(SELECT id FROM service WHERE board_id IS NULL ORDER BY id LIMIT 3)
            UNION (SELECT id FROM service WHERE area = 'board' ORDER BY id LIMIT 3)
            UNION (SELECT s.id FROM service s WHERE cardinality(s.location_points) > 1 ORDER BY id LIMIT 3)
            UNION (SELECT service_id FROM service_area WHERE kind = 'council' ORDER BY service_id LIMIT 3)
            UNION (SELECT service_id FROM language WHERE code <> 'en' AND service_id IS NOT NULL ORDER BY service_id LIMIT 3)
            UNION (SELECT service_id FROM schedule WHERE service_id IS NOT NULL ORDER BY service_id LIMIT 3)`);
        assert.ok(sample.length >= 12, `a spread of services (${sample.length})`);
        for (const { id } of sample) {
            const r = await hsds(FEEDS[0], 'services', {}, { id });
            assert.equal(r.status, 200);
            assertValid('service.json', r.body, `service ${id}`);
            assertOnlyStandardMembers('service.json', r.body, `service ${id}`);
            const db = sqlOne(`SELECT name, status, organization_id, minimum_age, maximum_age, last_reviewed::text AS reviewed,
                                      (SELECT count(*)::int FROM service_at_location WHERE service_id = s.id) AS nsal,
                                      (SELECT count(*)::int FROM service_area WHERE service_id = s.id) AS nareas,
                                      (SELECT count(*)::int FROM service_category WHERE service_id = s.id) AS ncat,
                                      (SELECT count(*)::int FROM language WHERE service_id = s.id) AS nlang,
                                      (SELECT array_agg(number ORDER BY position, id) FROM phone WHERE service_id = s.id) AS phones
                                 FROM service s WHERE id = ${lit(id)}`);
            assert.equal(r.body.name, db.name);
            assert.equal(r.body.status, db.status);
            assert.equal(r.body.organization.id, db.organization_id);
            assert.equal(r.body.minimum_age, db.minimum_age ?? undefined);
            assert.equal(r.body.maximum_age, db.maximum_age ?? undefined);
            assert.equal(r.body.assured_date, db.reviewed ?? undefined);
            assert.equal(r.body.service_at_locations.length, db.nsal);
            assert.equal(r.body.service_areas.length, db.nareas);
            assert.equal(r.body.attributes.length, db.ncat);
            assert.equal(r.body.languages.length, db.nlang);
            assert.deepEqual(r.body.phones.map((p) => p.number), db.phones ?? []);
            for (const sal of r.body.service_at_locations) {
                const one = await hsds(FEEDS[0], 'service_at_locations', {}, { id: sal.id });
                assert.equal(one.status, 200);
                assertValid('service_at_location.json', one.body, `service_at_location ${sal.id}`);
                assertOnlyStandardMembers('service_at_location.json', one.body);
                assert.equal(one.body.service.id, id);
                assert.equal(one.body.location.id, sal.location.id);
            }
            const org = await hsds(FEEDS[0], 'organizations', { full_service: true }, { id: db.organization_id });
            assert.equal(org.status, 200);
            assertValid('organization.json', org.body, `organization ${db.organization_id}`);
            assertOnlyStandardMembers('organization.json', org.body);
            assert.ok(org.body.services.some((s) => s.id === id), 'the organization lists its service');
            for (const s of org.body.services)
                assertValid('service.json', s, `organization ${db.organization_id} service`);
        }
        const full = await hsds(FEEDS[1], 'services', { full: true, per_page: 100 });
        assertPage(full.body, 'service.json', { page: 1, perPage: 100 }, 'full=true');
        assert.ok(full.body.contents.every((s) => Array.isArray(s.service_at_locations)), 'full=true nests locations');
    });

    test('schedules, areas, languages, accessibility and phones come out as stored', async () => {
        const sc = sqlOne(`SELECT sc.id, sc.service_id, sc.byday, sc.opens_at::text AS opens, sc.closes_at::text AS closes
                             FROM schedule sc WHERE sc.service_id IS NOT NULL AND sc.location_id IS NULL ORDER BY sc.id LIMIT 1`);
        const svc = (await hsds(FEEDS[0], 'services', {}, { id: sc.service_id })).body;
        const out = svc.schedules.find((x) => x.id === sc.id);
        assert.deepEqual({ byday: out.byday, opens: out.opens_at, closes: out.closes_at, freq: out.freq },
                         { byday: sc.byday, opens: sc.opens, closes: sc.closes, freq: 'WEEKLY' });
        const area = sqlOne(`SELECT a.service_id, a.name, a.uri FROM service_area a WHERE a.kind = 'council' ORDER BY a.id LIMIT 1`);
        const withArea = (await hsds(FEEDS[0], 'services', {}, { id: area.service_id })).body;
        assert.ok(withArea.service_areas.some((a) => a.name === area.name && a.uri === area.uri), 'service area published');
        const acc = sqlOne(`SELECT a.id, a.description, sal.id AS sal FROM accessibility a
                              JOIN service_at_location sal ON sal.location_id = a.location_id ORDER BY a.id LIMIT 1`);
        const sal = (await hsds(FEEDS[0], 'service_at_locations', {}, { id: acc.sal })).body;
        assert.deepEqual(sal.location.accessibility.map((a) => a.description), [acc.description]);
        const loc = sqlOne(`SELECT l.postcode, l.city, l.lat FROM location l JOIN service_at_location s ON s.location_id = l.id
                             WHERE s.id = ${lit(acc.sal)}`);
        assert.equal(sal.location.addresses[0].postal_code, loc.postcode);
        assert.equal(sal.location.addresses[0].city, loc.city);
        assert.equal(sal.location.addresses[0].country, 'GB');
        assert.ok(Math.abs(sal.location.latitude - loc.lat) < 1e-6);
    });

    test('filters combine with AND, each checked against the database', async () => {
        const term = sqlOne(`SELECT sc.category_id AS id, count(*) FROM service_category sc GROUP BY 1 ORDER BY 2 DESC LIMIT 1`).id;
        const org = sqlOne(`SELECT s.organization_id AS id FROM service s JOIN service_category sc ON sc.service_id = s.id
                             WHERE sc.category_id = ${lit(term)} GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1`).id;
        const byTerm = sql(`SELECT s.id FROM service s WHERE EXISTS (SELECT 1 FROM service_category sc
                             WHERE sc.service_id = s.id AND sc.category_id = ${lit(term)})`);
        assert.deepEqual(ids(await allPages(FEEDS[0], 'services', { taxonomy_term_id: term })), sortedIds(byTerm));
        const both = sql(`SELECT s.id FROM service s WHERE s.organization_id = ${lit(org)} AND EXISTS (SELECT 1 FROM service_category sc
                           WHERE sc.service_id = s.id AND sc.category_id = ${lit(term)})`);
        assert.ok(both.length >= 1 && both.length < byTerm.length);
        assert.deepEqual(ids(await allPages(FEEDS[0], 'services', { taxonomy_term_id: term, organization_id: org })), sortedIds(both));
        // search: the directory's own text search
        const walks = sql(`SELECT s.id FROM service s WHERE s.search_vector @@ websearch_to_tsquery('english', 'walking')
                             AND (s.board_id IS NULL OR s.board_id = ${boardId('ggc')})`);
        assert.ok(walks.length > 0);
        assert.deepEqual(ids(await allPages(FEEDS[1], 'services', { search: 'walking' })), sortedIds(walks));
        // taxonomy: every term belongs to the ALISS taxonomy
        const taxonomy = sqlOne('SELECT id FROM taxonomy').id;
        assert.equal((await hsds(FEEDS[0], 'services', { taxonomy_id: taxonomy, per_page: 1 })).body.total_items,
                     sqlOne('SELECT count(DISTINCT service_id)::int AS n FROM service_category').n);
        assert.equal((await hsds(FEEDS[0], 'services', { taxonomy_id: randomUUID(), per_page: 1 })).body.total_items, 0);
        // taxonomy terms: top level, children of one parent
        const tops = await allPages(FEEDS[0], 'taxonomy_terms', { top_only: true });
        assert.deepEqual(ids(tops), sortedIds(sql('SELECT id FROM category WHERE parent_id IS NULL')));
        const parent = tops[0].id;
        assert.deepEqual(ids(await allPages(FEEDS[0], 'taxonomy_terms', { parent_id: parent })),
                         sortedIds(sql(`SELECT id FROM category WHERE parent_id = ${lit(parent)}`)));
        // minimal: id and last_modified only
        const minimal = (await hsds(FEEDS[0], 'services', { minimal: true, per_page: 5 })).body.contents;
        assert.ok(minimal.every((s) => Object.keys(s).sort().join() === 'id,last_modified'));
    });

    test('modified_after returns what changed since', async () => {
        const svc = sqlOne(`SELECT id FROM service WHERE board_id = ${boardId('ggc')} ORDER BY id LIMIT 1`).id;
        // A moment after every change so far; then one service changes.
        const stamp = sqlOne(`SELECT to_char((max(last_modified) + interval '1 second') AT TIME ZONE 'UTC',
                                             'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS stamp FROM service`).stamp;
        psql(['-c', `UPDATE service SET last_modified = ${lit(stamp)}::timestamptz + interval '1 second' WHERE id = ${lit(svc)}`]);
        const changed = await allPages(FEEDS[1], 'services', { modified_after: stamp });
        assert.deepEqual(ids(changed), [svc]);
        assert.equal((await hsds(FEEDS[2], 'services', { modified_after: stamp })).body.total_items, 0, 'not in the Fife feed');
        const dateOnly = await hsds(FEEDS[1], 'services', { modified_after: '2000-01-01', per_page: 1 });
        assert.equal(dateOnly.body.total_items, sql(`SELECT id FROM service WHERE board_id IS NULL OR board_id = ${boardId('ggc')}`).length);
    });

    test('service_at_locations by postcode and proximity: within the distance, nearest first, areas respected', async () => {
        const origin = sqlOne(`SELECT lat, lon, council_code FROM postcode WHERE postcode = 'G12 8QQ'`);
        const r = await allPages(FEEDS[1], 'service_at_locations', { postcode: 'g128qq', proximity: 2000 });
        assert.ok(r.length > 0);
        const coords = Object.fromEntries(sql(`SELECT sal.id, l.lat, l.lon FROM service_at_location sal
                                               JOIN location l ON l.id = sal.location_id`).map((x) => [x.id, x]));
        const km = r.map((s) => haversineKm(origin.lat, origin.lon, coords[s.id].lat, coords[s.id].lon));
        assert.ok(km.every((d) => d <= 2.0001), 'all within 2000 m');
        for (let i = 1; i < km.length; i++)
            assert.ok(km[i - 1] <= km[i] + 1e-9, 'nearest first');
        // expected set, worked out here: within 2 km, and a service with areas must cover G12 8QQ
        const expected = sql(`SELECT sal.id, l.lat, l.lon, s.id AS service,
                                     (SELECT coalesce(array_agg(a.kind || ':' || coalesce(a.code, '')), '{}') FROM service_area a
                                       WHERE a.service_id = s.id) AS areas
                                FROM service_at_location sal JOIN service s ON s.id = sal.service_id
                                JOIN location l ON l.id = sal.location_id
                               WHERE (s.board_id IS NULL OR s.board_id = ${boardId('ggc')})`)
            .filter((x) => haversineKm(origin.lat, origin.lon, x.lat, x.lon) <= 2)
            .filter((x) => x.areas.length === 0 || x.areas.some((a) => a === 'scotland:S92000003' || a === `council:${origin.council_code}`
                                                               || a === 'board:S08000031' || a === 'district:G12'));
        assert.deepEqual(ids(r), sortedIds(expected));
        // postcode without proximity: coverage only; a Fife-only service area never covers G12
        const covered = await allPages(FEEDS[0], 'service_at_locations', { postcode: 'G12 8QQ' });
        const fifeOnly = new Set(sql(`SELECT sal.id FROM service_at_location sal JOIN service_area a ON a.service_id = sal.service_id
                                      WHERE a.code IN ('S08000029', 'S12000047')
                                        AND NOT EXISTS (SELECT 1 FROM service_area b WHERE b.service_id = sal.service_id
                                                        AND b.code NOT IN ('S08000029', 'S12000047'))`).map((x) => x.id));
        assert.ok(fifeOnly.size > 0);
        assert.ok(covered.every((s) => !fifeOnly.has(s.id)), 'services covering only Fife are left out for a Glasgow postcode');
    });

    test('bad input is a 400 problem naming the parameter, still open to every origin', async () => {
        const bad = [
            ['services', { colour: 'red' }, 'colour'],
            ['services', { page: 0 }, 'page'],
            ['services', { page: 'two' }, 'page'],
            ['services', { per_page: 201 }, 'per_page'],
            ['services', { format: 'ndjson' }, 'format'],
            ['services', { taxonomy_term_id: 'food' }, 'taxonomy_term_id'],
            ['services', { organization_id: "1' OR '1'='1" }, 'organization_id'],
            ['services', { modified_after: 'yesterday' }, 'modified_after'],
            ['services', { modified_after: '2026-13-01' }, 'modified_after'],
            ['services', { modified_after: '2026-01-01T25:00:00Z' }, 'modified_after'],
            ['services', { full: 'yes' }, 'full'],
            ['services', { full: true, minimal: true }, 'minimal'],
            ['services', { search: 'x'.repeat(201) }, 'search'],
            ['organizations', { full_service: 1 }, 'full_service'],
            ['taxonomy_terms', { parent_id: 'top' }, 'parent_id'],
            ['taxonomies', { full: true }, 'full'],
            ['service_at_locations', { proximity: 500 }, 'proximity'],
            ['service_at_locations', { postcode: 'G12 8QQ', proximity: -5 }, 'proximity'],
            ['service_at_locations', { postcode: 'G12 8QQ', proximity: '1e9' }, 'proximity'],
            ['service_at_locations', { postcode: 'not a postcode' }, 'postcode'],
            ['service_at_locations', { postcode: 'EH1 1AA' }, 'postcode'],
        ];
        for (const [collection, params, field] of bad) {
            const path = `/hsds/${collection}${qs(params)}`;
            const r = await expectProblem(`/hsds/${collection}`, path, 400, { field });
            assert.equal(r.headers.get('access-control-allow-origin'), '*', path);
        }
        await expectProblem('/hsds/services/{id}', `/hsds/services/${randomUUID()}`, 404);
        await expectProblem('/hsds/services/{id}', '/hsds/services/not-an-id', 404);
        await expectProblem('/hsds/services/{id}', `/hsds/services/${randomUUID()}?full=true`, 400, { field: 'full' });
        await expectProblem('/hsds/{board}/services', '/hsds/nowhere/services', 404);
        const post = await call('POST', '/hsds/services', '/hsds/services', { body: '{}', headers: { 'Content-Type': 'application/json' } });
        assert.equal(post.status, 405);
    });

    test('past the last page: an empty page, not an error', async () => {
        const r = await hsds(FEEDS[2], 'services', { page: 1000, per_page: 200 });
        assert.equal(r.status, 200);
        assert.deepEqual(r.body.contents, []);
        assert.equal(r.body.size, 0);
        assert.equal(r.body.last_page, true);
    });

    test('no staff data reaches the public API', async () => {
        // Everything the API publishes for a board, fully nested...
        const text = JSON.stringify(await allPages(FEEDS[1], 'organizations', { full_service: true }, 100));
        // ...names no member of staff, and no staff, review or referral field.
        const staff = sql(`SELECT username FROM staff WHERE length(username) >= 6`);
        assert.ok(staff.length > 10);
        for (const { username } of staff)
            assert.ok(!text.includes(`"${username}"`), `${username} appears in the HSDS output`);
        for (const field of ['review_due', 'accepts_referrals', 'capacity_available', 'demo', 'champion', 'board_id', 'hsds_extra'])
            assert.ok(!text.includes(`"${field}"`), `"${field}" appears in the HSDS output`);
    });
});

describe('linksctl export hsds', () => {
    const ownerConninfo = () => `host=${env.run}/pgsock port=${env.pgPort} dbname=links user=links_owner`;
    const linksctl = (args) => spawnSync(`${env.build}/linksctl`, ['-d', ownerConninfo(), ...args],
                                         { encoding: 'utf8', timeout: 300000, maxBuffer: 512 * 1024 * 1024 });

    test('a board\'s whole directory in one HSDS document: the same objects the API serves, all valid', async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'links-export-'));
        try {
            const file = path.join(dir, 'ggc.json');
            const r = linksctl(['export', 'hsds', '--board', 'ggc', '--output', file]);
            assert.equal(r.status, 0, r.stderr);
            assert.match(r.stderr, /^exported \d+ services, \d+ organizations, 1 taxonomies, \d+ taxonomy terms to /m);
            assert.ok(!fs.existsSync(`${file}.partial`), 'no partial file left');
            const doc = JSON.parse(fs.readFileSync(file, 'utf8'));
            assert.equal(doc.version, '3.0');
            const ggc = boardId('ggc');
            assert.deepEqual(ids(doc.services), sortedIds(sql(`SELECT id FROM service WHERE board_id IS NULL OR board_id = ${ggc}`)));
            assert.deepEqual(ids(doc.organizations), sortedIds(sql(`SELECT id FROM organization WHERE board_id IS NULL OR board_id = ${ggc}`)));
            assert.deepEqual(ids(doc.taxonomy_terms), sortedIds(sql('SELECT id FROM category')));
            for (const s of doc.services) {
                assertValid('service.json', s, `export service ${s.id}`);
                assertOnlyStandardMembers('service.json', s, `export service ${s.id}`);
            }
            for (const o of doc.organizations)
                assertValid('organization.json', o, `export organization ${o.id}`);
            // Exactly what the API answers for the same service.
            for (const s of doc.services.filter((_, i) => i % 97 === 0)) {
                const api = await hsds(FEEDS[1], 'services', {}, { id: s.id });
                assert.deepEqual(s, api.body, `service ${s.id}: export and API agree`);
            }
            const all = linksctl(['export', 'hsds']);
            assert.equal(all.status, 0, all.stderr);
            assert.equal(JSON.parse(all.stdout).services.length, sqlOne('SELECT count(*)::int AS n FROM service').n);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    test('an unknown board or a bad command line is refused, and writes nothing', () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'links-export-'));
        try {
            const file = path.join(dir, 'out.json');
            let r = linksctl(['export', 'hsds', '--board', 'nowhere', '--output', file]);
            assert.equal(r.status, 2);
            assert.match(r.stderr, /no board "nowhere"/);
            assert.ok(!fs.existsSync(file));
            r = linksctl(['export', 'csv']);
            assert.equal(r.status, 2);
            assert.match(r.stderr, /usage: linksctl export hsds/);
            r = linksctl(['export', 'hsds', '--output', path.join(dir, 'missing-dir', 'x.json')]);
            assert.equal(r.status, 1);
            assert.match(r.stderr, /cannot write/);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});
