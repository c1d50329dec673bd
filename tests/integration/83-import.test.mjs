// 83-import: `linksctl import` of Open Referral HSDS (JSON, the tabular form,
// the CSV datapackage) and of the ALISS CSV export. The standard's own
// examples must come back out of the /hsds/ API without loss and valid; a
// second import of the same file must change nothing; bad records are
// rejected with their reasons while the rest import; one board's import
// never touches another board's directory.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { before, describe, test } from 'node:test';

import { get, waitForStack } from './lib/api.mjs';
import { readCsv } from './lib/csv.mjs';
import { lit, sql, sqlOne } from './lib/db.mjs';
import { env } from './lib/env.mjs';
import { assertValid, HSDS_DIR } from './lib/hsds.mjs';

const EXAMPLES = path.join(HSDS_DIR, 'examples');
const ALISS = path.join(path.dirname(HSDS_DIR), 'aliss');

const ownerConninfo = () => `host=${env.run}/pgsock port=${env.pgPort} dbname=links user=links_owner`;
function linksctl(args, { tty = false } = {}) {
    const argv = [`${env.build}/linksctl`, '-d', ownerConninfo(), '-s', env.src, ...args];
    if (!tty)
        return spawnSync(argv[0], argv.slice(1), { encoding: 'utf8', timeout: 300000 });
    // util-linux script(1) gives linksctl a terminal, as a person has
    const quoted = argv.map((a) => `'${a.replace(/'/g, "'\\''")}'`).join(' ');
    return spawnSync('script', ['-qec', quoted, '/dev/null'], { encoding: 'utf8', timeout: 300000 });
}
const importFile = (board, file, extra = []) => linksctl(['import', '--board', board, ...extra, file]);

/** The summary line's counts. */
function summary(r) {
    const m = /created (\d+), updated (\d+), unchanged (\d+), rejected (\d+)/.exec(r.stdout);
    assert.ok(m, `no summary in: ${r.stdout}\n${r.stderr}`);
    const [created, updated, unchanged, rejected] = m.slice(1).map(Number);
    return { created, updated, unchanged, rejected };
}

/**
 * What of `expected` is not in `actual`: every member, at every depth,
 * with the same value; list elements matched by id when they have one.
 */
function losses(expected, actual, where = '$') {
    if (Array.isArray(expected)) {
        if (!Array.isArray(actual))
            return [`${where}: a list became ${JSON.stringify(actual)}`];
        return expected.flatMap((e, i) => {
            const match = e && typeof e === 'object' && 'id' in e ? actual.find((a) => a?.id === e.id) : actual[i];
            return match === undefined ? [`${where}[${i}]: missing ${JSON.stringify(e).slice(0, 100)}`]
                : losses(e, match, `${where}[${i}]`);
        });
    }
    if (expected && typeof expected === 'object') {
        if (!actual || typeof actual !== 'object')
            return [`${where}: an object became ${JSON.stringify(actual)}`];
        return Object.keys(expected).flatMap((k) => (k in actual ? losses(expected[k], actual[k], `${where}.${k}`)
            : [`${where}.${k}: missing`]));
    }
    return expected === actual ? [] : [`${where}: ${JSON.stringify(expected)} became ${JSON.stringify(actual)}`];
}

async function hsdsGet(pathname) {
    const template = pathname.replace(/\?.*/, '').replace(/^\/hsds\/[^/]+/, '/hsds/{board}').replace(/[0-9a-f-]{36}$/, '{id}');
    const r = await get(template, pathname);
    assert.equal(r.status, 200, `${pathname}: ${r.text.slice(0, 300)}`);
    return r.body;
}

/** Every object with an id anywhere in these documents, by id. */
function objectsById(docs) {
    const byId = new Map();
    const walk = (v) => {
        if (Array.isArray(v))
            v.forEach(walk);
        else if (v && typeof v === 'object') {
            if (typeof v.id === 'string')
                byId.set(v.id, [...(byId.get(v.id) ?? []), v]);
            Object.values(v).forEach(walk);
        }
    };
    docs.forEach(walk);
    return byId;
}

// Columns naming a row's owners: nested, a child is under its owner
// instead (the CSV export's test checks that they come back).
const LINK_COLUMNS = new Set(['service_id', 'location_id', 'organization_id', 'service_at_location_id', 'phone_id',
                              'contact_id', 'link_id', 'resource_id']);

/** A tabular row (strings from CSV, or typed) is one of the objects with its id. */
function rowLosses(table, row, byId) {
    const candidates = byId.get(row.id) ?? [];
    const same = (want, got) => got !== undefined && (String(want) === String(got) ||
                                                      (want !== '' && Number(want) === Number(got)));
    const fits = (o) => Object.entries(row).every(([k, v]) => v === '' || LINK_COLUMNS.has(k) || same(v, o[k]));
    return candidates.some(fits) ? [] : [`${table} row ${row.id}: ${candidates.length ? 'changed' : 'missing'}`];
}

const GGC_EXAMPLE_SERVICE = 'ac148810-d857-441c-9679-408f346de14b';

before(async () => {
    await waitForStack();
});

describe('linksctl import: the HSDS 3.0 examples', () => {
    // example file -> where the API publishes the same object, and its schema
    const SINGLE = [
        ['taxonomy.json', (d) => `/hsds/ggc/taxonomies/${d.id}`, 'taxonomy.json'],
        ['taxonomy_term.json', (d) => `/hsds/ggc/taxonomy_terms/${d.id}`, 'taxonomy_term.json'],
        ['organization_full.json', (d) => `/hsds/ggc/organizations/${d.id}?full_service=true`, 'organization.json'],
        ['service_full.json', (d) => `/hsds/ggc/services/${d.id}`, 'service.json'],
        ['service_at_location_full.json', (d) => `/hsds/ggc/service_at_locations/${d.id}`, 'service_at_location.json'],
    ];

    for (const [file, where, schema] of SINGLE) {
        test(`${file} imports, comes back out of the API without loss, and a second import changes nothing`, async () => {
            const example = JSON.parse(fs.readFileSync(path.join(EXAMPLES, file), 'utf8'));
            const first = importFile('ggc', path.join(EXAMPLES, file));
            assert.equal(first.status, 0, first.stderr);
            assert.equal(summary(first).rejected, 0);
            const published = await hsdsGet(where(example));
            assertValid(schema, published, file);
            assert.deepEqual(losses(example, published), [], `${file}: lost in the round trip`);
            const again = importFile('ggc', path.join(EXAMPLES, file));
            assert.equal(again.status, 0, again.stderr);
            const s = summary(again);
            assert.equal(s.created + s.updated, 0, `${file}: the second import changed something: ${again.stdout}`);
            assert.deepEqual(await hsdsGet(where(example)), published, `${file}: published the same after the second import`);
        });
    }

    test('location.json updates the location a service brought, without loss', async () => {
        const example = JSON.parse(fs.readFileSync(path.join(EXAMPLES, 'location.json'), 'utf8'));
        const r = importFile('ggc', path.join(EXAMPLES, 'location.json'));
        assert.equal(r.status, 0, r.stderr);
        const sal = await hsdsGet('/hsds/ggc/service_at_locations/e94c9f38-1e8f-4564-91d4-d53501ab1765');
        assert.equal(sal.location.id, example.id);
        assertValid('location.json', sal.location, 'location');
        assert.deepEqual(losses(example, sal.location), []);
    });

    test('list pages import their summaries without wiping what the full records brought', async () => {
        const full = JSON.parse(fs.readFileSync(path.join(EXAMPLES, 'service_full.json'), 'utf8'));
        assert.equal(importFile('ggc', path.join(EXAMPLES, 'service_full.json')).status, 0);
        const before = await hsdsGet(`/hsds/ggc/services/${full.id}`);
        for (const [file, collection] of [['service_list.json', 'services'], ['organization_list.json', 'organizations'],
                                          ['service_at_location_list.json', 'service_at_locations'],
                                          ['taxonomy_list.json', 'taxonomies'], ['taxonomy_term_list.json', 'taxonomy_terms']]) {
            const page = JSON.parse(fs.readFileSync(path.join(EXAMPLES, file), 'utf8'));
            const r = importFile('ggc', path.join(EXAMPLES, file));
            assert.equal(r.status, 0, `${file}: ${r.stderr}`);
            assert.equal(summary(r).rejected, 0, file);
            for (const item of page.contents)
                assert.deepEqual(losses(item, await hsdsGet(`/hsds/ggc/${collection}/${item.id}`)), [], file);
        }
        // the summaries have no phones, schedules or languages: every one
        // of those the full service had is still there
        const after = objectsById([await hsdsGet(`/hsds/ggc/services/${full.id}`)]);
        const had = [...objectsById([before]).keys()];
        assert.ok(had.length > 10);
        assert.deepEqual(had.filter((id) => !after.has(id)), [], 'objects the summaries wiped');
    });

    test('the tabular form (tabular.json) and the CSV datapackage import without loss', async () => {
        const tabular = JSON.parse(fs.readFileSync(path.join(EXAMPLES, 'tabular.json'), 'utf8'));
        const csvDir = path.join(EXAMPLES, 'csv');
        for (const [source, tables] of [
            ['tabular.json', Object.fromEntries(Object.entries(tabular).map(([k, rows]) => [k.replace('.csv', ''), rows]))],
            ['csv', Object.fromEntries(fs.readdirSync(csvDir).filter((f) => f.endsWith('.csv'))
                                       .map((f) => [f.replace('.csv', ''), readCsv(path.join(csvDir, f))]))],
        ]) {
            const r = importFile('ggc', source === 'csv' ? csvDir : path.join(EXAMPLES, source));
            // Rows that cannot be kept are said so, with why: the dataset's own
            // table descriptions, and (the example has them) attributes and
            // metadata whose link names nothing in the dataset.
            const owners = new Set(['services', 'organizations', 'locations']
                .flatMap((t) => (tables[t] ?? []).map((row) => row.id)));
            const unplaceable = [
                ...tables.meta_table_descriptions.map((row) => row.id),
                ...tables.attributes.filter((row) => !owners.has(row.link_id)).map((row) => row.id),
                ...tables.metadata.filter((row) => !owners.has(row.resource_id)).map((row) => row.id),
            ];
            assert.ok(unplaceable.length >= 1);
            assert.equal(r.status, 3, `${source}: ${r.stdout}${r.stderr}`);
            const rejected = new Set([...r.stderr.matchAll(/^rejected [a-z_ ]+ ([0-9a-f-]{36})/gm)].map((m) => m[1]));
            assert.deepEqual([...rejected].sort(), [...unplaceable].sort(), `${source}: what was rejected`);
            assert.match(r.stderr, /rejected meta_table_description .*describes the source dataset/);
            assert.match(r.stderr, /rejected attribute .*link_id .*names no owner in this dataset/);

            const docs = [];
            for (const org of tables.organizations)
                docs.push(await hsdsGet(`/hsds/ggc/organizations/${org.id}?full_service=true`));
            const byId = objectsById(docs);
            // Taxonomies and their terms are national: an import adds those
            // missing and never changes one that is there.
            for (const t of [...tables.taxonomy_terms, ...tables.taxonomies]) {
                const kind = 'parent_id' in t || 'taxonomy' in t ? 'taxonomy_terms' : 'taxonomies';
                assert.equal((await hsdsGet(`/hsds/ggc/${kind}/${t.id}`)).id, t.id);
            }
            const lost = Object.entries(tables)
                .filter(([name]) => !['meta_table_descriptions', 'taxonomy_terms', 'taxonomies'].includes(name))
                .flatMap(([name, rows]) => rows.filter((row) => !rejected.has(row.id))
                    .flatMap((row) => rowLosses(name, row, byId)));
            assert.deepEqual(lost, [], `${source}: rows lost`);
        }
    });

    test('the API\'s root document is refused with its reason', () => {
        const r = importFile('ggc', path.join(EXAMPLES, 'base.json'));
        assert.equal(r.status, 3);
        assert.match(r.stderr, /the API's root document holds no directory data/);
        assert.deepEqual(summary(r), { created: 0, updated: 0, unchanged: 0, rejected: 1 });
    });
});

describe('linksctl export hsds --format csv', () => {
    test('writes the standard\'s tables, holding every row the CSV example brought', () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'links-csv-'));
        const out = path.join(dir, 'ggc');
        try {
            const csvDir = path.join(EXAMPLES, 'csv');
            const imported = importFile('ggc', csvDir);
            const rejected = new Set([...imported.stderr.matchAll(/^rejected [a-z_ ]+ ([0-9a-f-]{36})/gm)].map((m) => m[1]));
            const r = linksctl(['export', 'hsds', '--board', 'ggc', '--format', 'csv', '--output', out]);
            assert.equal(r.status, 0, r.stderr);
            assert.ok(!fs.existsSync(`${out}.partial`), 'no partial directory left');
            const standard = JSON.parse(fs.readFileSync(path.join(env.src, 'schema', 'data', 'hsds-datapackage.json'), 'utf8'));
            for (const res of standard.resources) {
                const file = path.join(out, res.path);
                assert.ok(fs.existsSync(file), `${res.path} written`);
                const header = fs.readFileSync(file, 'utf8').split('\n')[0].split(',').map((h) => h.replace(/"/g, ''));
                assert.deepEqual(header.slice(0, res.schema.fields.length), res.schema.fields.map((f) => f.name),
                                 `${res.path}: the standard's columns, in its order`);
            }
            assert.ok(fs.existsSync(path.join(out, 'datapackage.json')));
            const ggc = sqlOne("SELECT id FROM board WHERE slug = 'ggc'").id;
            const services = readCsv(path.join(out, 'services.csv'));
            assert.equal(services.length,
                         sqlOne(`SELECT count(*)::int AS n FROM service WHERE board_id IS NULL OR board_id = ${ggc}`).n);
            assert.equal(new Set(services.map((x) => x.id)).size, services.length, 'one row per service');
            // every row of the example is there, as it came
            const exported = new Map();
            for (const f of fs.readdirSync(out).filter((x) => x.endsWith('.csv')))
                for (const row of readCsv(path.join(out, f)))
                    exported.set(`${f}:${row.id}`, row);
            const lost = [];
            for (const f of fs.readdirSync(csvDir).filter((x) => x.endsWith('.csv') && x !== 'meta_table_descriptions.csv')) {
                for (const row of readCsv(path.join(csvDir, f))) {
                    if (rejected.has(row.id) || f.startsWith('taxonom'))
                        continue;
                    const got = exported.get(`${f}:${row.id}`);
                    for (const [k, v] of Object.entries(row))
                        if (v !== '' && !(got && (got[k] === v || Number(got[k]) === Number(v))))
                            lost.push(`${f} ${row.id}.${k}: ${JSON.stringify(v)} became ${JSON.stringify(got?.[k])}`);
                }
            }
            assert.deepEqual(lost, []);
            // an existing directory is never written over
            const again = linksctl(['export', 'hsds', '--board', 'ggc', '--format', 'csv', '--output', out]);
            assert.equal(again.status, 2);
            assert.match(again.stderr, /already exists/);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});

describe('linksctl export, then import: the same directory', () => {
    test('a board\'s own export (JSON, then CSV) imported again publishes exactly what it did; national services are refused', () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'links-roundtrip-'));
        try {
            const exportTo = (file) => {
                const r = linksctl(['export', 'hsds', '--board', 'fife', '--output', file]);
                assert.equal(r.status, 0, r.stderr);
                return JSON.parse(fs.readFileSync(file, 'utf8'));
            };
            const first = exportTo(path.join(dir, 'first.json'));
            const r = importFile('fife', path.join(dir, 'first.json'));
            // national services and organizations are every board's: one board cannot change them
            const national = sql('SELECT id FROM service WHERE board_id IS NULL').map((x) => x.id);
            assert.ok(national.length > 0);
            for (const id of national)
                assert.match(r.stderr, new RegExp(`rejected service ${id} .*is national \\(every board's directory has it\\)`));
            assert.equal(r.status, 3);
            const second = exportTo(path.join(dir, 'second.json'));
            for (const part of ['services', 'organizations', 'taxonomies', 'taxonomy_terms'])
                assert.deepEqual(second[part], first[part], `${part} after the round trip`);

            // the same through the CSV datapackage
            const csv = linksctl(['export', 'hsds', '--board', 'fife', '--format', 'csv', '--output', path.join(dir, 'csv')]);
            assert.equal(csv.status, 0, csv.stderr);
            const viaCsv = importFile('fife', path.join(dir, 'csv'));
            assert.equal(viaCsv.status, 3);
            assert.doesNotMatch(viaCsv.stderr.split('\n').filter((l) => !/is national/.test(l)).join('\n'), /rejected/);
            const third = exportTo(path.join(dir, 'third.json'));
            for (const part of ['services', 'organizations', 'taxonomies', 'taxonomy_terms'])
                assert.deepEqual(third[part], first[part], `${part} after the round trip through CSV`);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});

describe('linksctl import: the ALISS CSV export', () => {
    const services = readCsv(path.join(ALISS, 'aliss_service_result.csv'));
    const organisations = readCsv(path.join(ALISS, 'aliss_organisation_result.csv'));
    const aliss = (id) => sqlOne(`SELECT count(*)::int AS n FROM service WHERE id = ${lit(id)}`).n;
    // the state of everything an import writes, to compare after a second one
    const directoryState = () => sql(`
        SELECT s.id, s.version, s.import_digest, hsds_service(s, true)::text AS published,
               (SELECT count(*) FROM service_change c WHERE c.service_id = s.id) AS changes
          FROM service s WHERE s.board_id = (SELECT id FROM board WHERE slug = 'fife') AND s.import_digest IS NOT NULL
         ORDER BY s.id`);

    test('the rows that break the rules are rejected with their reasons; the rest import', () => {
        const r = linksctl(['import', '--board', 'fife', ALISS], { tty: true });
        assert.equal(r.status, 3, r.stdout);
        // the terminal gets a progress bar
        const total = [...r.stdout.matchAll(/\[[#.]+\] (\d+)\/(\d+) records/g)];
        assert.ok(total.length > 0, 'a progress bar');
        assert.equal(total.at(-1)[1], total.at(-1)[2], 'the bar ends full');
        const s = summary(r);

        // Worked out from the CSV here: a service needs a location or a service area...
        const unplaced = services.filter((x) => x.locations_ids.trim() === '' && /ServiceArea\.None/.test(x.service_areas));
        assert.ok(unplaced.length >= 5, 'the export has test services with no place');
        for (const x of unplaced) {
            assert.match(r.stdout, new RegExp(`rejected service ${x.id} .*no location and no service area`));
            assert.equal(aliss(x.id), 0, `${x.name} was imported`);
        }
        // ...an organisation needs a name...
        const nameless = organisations.filter((o) => o.name.trim() === '');
        assert.ok(nameless.length >= 1);
        for (const o of nameless)
            assert.match(r.stdout, new RegExp(`rejected organization ${o.id}: no name`));
        // ...and phone numbers must be UK numbers (these are all zeros)
        const zeros = organisations.filter((o) => /^0+$/.test(o.phone.replace(/\s/g, '')));
        assert.ok(zeros.length >= 1);
        for (const o of zeros) {
            assert.match(r.stdout, new RegExp(`rejected organization ${o.id} .*not a UK number`));
            for (const x of services.filter((y) => y.organisation_id === o.id)) {
                assert.match(r.stdout, new RegExp(`rejected service ${x.id} .*its organisation was rejected`));
                assert.equal(aliss(x.id), 0);
            }
        }
        // every service not rejected is in the directory, as the CSV has it
        const rejected = new Set([...r.stdout.matchAll(/rejected service ([0-9a-f-]{36})/g)].map((m) => m[1]));
        const kept = services.filter((x) => !rejected.has(x.id));
        // (updated or unchanged when an earlier run against the same database imported them)
        assert.equal(s.created + s.updated + s.unchanged, kept.length,
                     'one record per service kept (its organisation comes with it)');
        for (const x of kept) {
            const row = sqlOne(`SELECT name, url, email, phone, board_id FROM service WHERE id = ${lit(x.id)}`);
            assert.equal(row.name, x.name);
            assert.equal(row.url, x.url || null);
            assert.equal(row.phone, x.phone_number || null);
            assert.equal(row.board_id, sqlOne("SELECT id FROM board WHERE slug = 'fife'").id);
        }
        // categories became the directory's ALISS categories
        const money = services.find((x) => x.name === 'Support with Money and Benefits');
        assert.deepEqual(sql(`SELECT c.name FROM service_category sc JOIN category c ON c.id = sc.category_id
                               WHERE sc.service_id = ${lit(money.id)} ORDER BY c.name`).map((c) => c.name),
                         ['Energy Advice', 'Money Advice']);
    });

    test('importing the export twice gives the same directory as once', () => {
        const before = directoryState();
        assert.ok(before.length > 0);
        const r = linksctl(['import', '--board', 'fife', ALISS]);
        assert.equal(r.status, 3);
        const s = summary(r);
        assert.equal(s.created + s.updated, 0, r.stdout);
        assert.deepEqual(directoryState(), before);
    });
});

describe('linksctl import: bad input and boards', () => {
    const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'links-import-'));
    const service = (id, name, extra = {}) => ({
        id, name, status: 'active', description: 'test',
        organization: { id: '0b7e1c1e-55aa-4c55-9f3e-000000000001', name: 'Import Test Org', description: '' },
        ...extra,
    });

    test('a bad record is rejected with its reason and the others import', () => {
        const dir = tmp();
        const [good1, tooOld, oddStatus, good2] = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
        const org = { id: randomUUID(), name: 'Import Test Org', description: '' };
        try {
            const file = path.join(dir, 'three.json');
            fs.writeFileSync(file, JSON.stringify([
                service(good1, 'Good One', { organization: org }),
                service(tooOld, 'Too Old', { minimum_age: 200, organization: org }),
                service('not-a-uuid', 'Bad Id', { organization: org }),
                service(oddStatus, 'Odd Status', { status: 'maybe', organization: org }),
                service(good2, 'Good Two', { organization: org }),
            ]));
            const r = importFile('ggc', file);
            assert.equal(r.status, 3, r.stderr);
            assert.deepEqual(summary(r), { created: 2, updated: 0, unchanged: 0, rejected: 3 });
            assert.match(r.stderr, new RegExp(`rejected service ${tooOld} "Too Old": .*minimum_age`));
            assert.match(r.stderr, /rejected service not-a-uuid "Bad Id": service id "not-a-uuid" is not a UUID/);
            assert.match(r.stderr, /rejected service .*"Odd Status": .*status "maybe" is not one of/);
            const ids = (list) => list.map(lit).join(', ');
            assert.equal(sqlOne(`SELECT count(*)::int AS n FROM service WHERE id IN (${ids([good1, good2])})`).n, 2);
            assert.equal(sqlOne(`SELECT count(*)::int AS n FROM service WHERE id IN (${ids([tooOld, oddStatus])})`).n, 0);
            // the import is in each service's history, field by field
            const history = sql(`SELECT action, actor_name, field, new_value FROM service_change
                                  WHERE service_id = ${lit(good1)} ORDER BY id`);
            assert.ok(history.length > 0);
            assert.ok(history.every((h) => h.action === 'imported' && h.actor_name === 'linksctl import'));
            assert.deepEqual(history.find((h) => h.field === 'name').new_value, 'Good One');

            // a changed source updates the service and records old and new values
            fs.writeFileSync(file, JSON.stringify([service(good1, 'Good One Renamed', { organization: org })]));
            const again = importFile('ggc', file);
            assert.deepEqual(summary(again), { created: 0, updated: 1, unchanged: 0, rejected: 0 }, again.stderr);
            const renamed = sqlOne(`SELECT old_value, new_value FROM service_change
                                     WHERE service_id = ${lit(good1)} AND field = 'name'
                                     ORDER BY id DESC LIMIT 1`);
            assert.deepEqual(renamed, { old_value: 'Good One', new_value: 'Good One Renamed' });
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    test('one board\'s import cannot touch another board\'s services', () => {
        const dir = tmp();
        try {
            const fifeService = sqlOne(`SELECT id, name, version FROM service
                                         WHERE board_id = (SELECT id FROM board WHERE slug = 'fife') LIMIT 1`);
            const file = path.join(dir, 'steal.json');
            fs.writeFileSync(file, JSON.stringify(service(fifeService.id, 'Taken Over')));
            const r = importFile('ggc', file);
            assert.equal(r.status, 3);
            assert.match(r.stderr, /belongs to another board's directory/);
            assert.deepEqual(sqlOne(`SELECT id, name, version FROM service WHERE id = ${lit(fifeService.id)}`), fifeService);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    test('a file that is not JSON, a missing file, an unknown board or format stop before writing', () => {
        const dir = tmp();
        try {
            const before = sqlOne('SELECT count(*)::int AS n FROM service').n;
            const broken = path.join(dir, 'broken.json');
            fs.writeFileSync(broken, '[{"id": "0b7e1c1e-55aa-4c55-9f3e-00000000000e", "name": "x",');
            let r = importFile('ggc', broken);
            assert.equal(r.status, 2);
            assert.match(r.stderr, /broken\.json:1:\d+: not valid JSON/);
            r = importFile('ggc', path.join(dir, 'absent.json'));
            assert.equal(r.status, 2);
            assert.match(r.stderr, /cannot read/);
            r = importFile('nowhere', path.join(EXAMPLES, 'service_full.json'));
            assert.equal(r.status, 2);
            assert.match(r.stderr, /no board "nowhere"/);
            r = importFile('ggc', path.join(EXAMPLES, 'service_full.json'), ['--format', 'xml']);
            assert.equal(r.status, 2);
            assert.match(r.stderr, /unknown import format "xml"/);
            r = linksctl(['import', path.join(EXAMPLES, 'service_full.json')]);
            assert.equal(r.status, 2);
            assert.match(r.stderr, /usage: linksctl import --board/);
            r = importFile('ggc', dir);     // a directory with no tables in it
            assert.equal(r.status, 2);
            assert.match(r.stderr, /holds none of the HSDS tables/);
            assert.equal(sqlOne('SELECT count(*)::int AS n FROM service').n, before);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});
