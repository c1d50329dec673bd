// 81-search-filters: the richer search. Open at a given moment (weekly,
// overnight, monthly, closures, special hours, British Summer Time), the
// patient's age, free only, accepting referrals, service areas matched as
// well as distance, overdue reviews sinking, sort orders and place names.
// Fixtures are services made here (names start "Zedfix"), so what each
// search should return is known without reading linksd's SQL; they are
// removed at the end.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';

import { expectProblem, qs, search, searchAll, T, waitForStack } from './lib/api.mjs';
import { lit, psql, sql, sqlOne } from './lib/db.mjs';

const GGC = () => sqlOne(`SELECT id FROM board WHERE slug = 'ggc'`).id;
const ORG = randomUUID();
const made = [];      // service ids

/** A fixture service of NHS GGC at `postcode`, with extra columns and rows. */
function fixture(name, { postcode = 'G12 8QQ', columns = {}, schedules = [], exceptions = [], areas = [] } = {}) {
    const id = randomUUID(), loc = randomUUID();
    const cols = { last_reviewed: 'current_date', ...columns };
    const names = Object.keys(cols).join(', ');
    const values = Object.values(cols).join(', ');
    const b = GGC();
    let text = `
        INSERT INTO service (board_id, id, organization_id, name, description, area, ${names})
        VALUES (${b}, ${lit(id)}, ${lit(ORG)}, ${lit(name)}, 'Zedfix test fixture', 'local', ${values});
        INSERT INTO location (board_id, id, organization_id, name, address_1, city, postcode)
        VALUES (${b}, ${lit(loc)}, ${lit(ORG)}, ${lit(`${name} venue`)}, '1 Test Street', 'Glasgow', ${lit(postcode)});
        INSERT INTO service_at_location (board_id, service_id, location_id) VALUES (${b}, ${lit(id)}, ${lit(loc)});`;
    for (const s of schedules)
        text += `INSERT INTO schedule (board_id, service_id, freq, byday, opens_at, closes_at)
                 VALUES (${b}, ${lit(id)}, ${lit(s.freq ?? 'WEEKLY')}, ${lit(s.byday)}, ${lit(s.opens)}, ${lit(s.closes)});`;
    for (const e of exceptions)
        text += `INSERT INTO schedule_exception (board_id, service_id, starts_on, ends_on, closed, opens_at, closes_at)
                 VALUES (${b}, ${lit(id)}, ${lit(e.from)}, ${lit(e.to ?? e.from)}, ${e.closed}, ${e.opens ? lit(e.opens) : 'NULL'},
                         ${e.closes ? lit(e.closes) : 'NULL'});`;
    for (const a of areas)
        text += `INSERT INTO service_area (board_id, service_id, kind, code, name)
                 VALUES (${b}, ${lit(id)}, ${lit(a.kind)}, ${lit(a.code)}, ${lit(a.name)});`;
    psql(['-c', `BEGIN; ${text} COMMIT;`]);
    made.push(id);
    return id;
}

/** Fixture names a search returns, in its order. */
async function fixtures(params) {
    const body = await searchAll('ggc', { q: 'zedfix', ...params });
    return body.items.map((i) => i.name);
}

before(async () => {
    await waitForStack();
    psql(['-c', `INSERT INTO organization (board_id, id, name, description) VALUES (${GGC()}, ${lit(ORG)}, 'Zedfix organisation', 'Test fixtures')`]);
});

after(() => {
    if (made.length)
        psql(['-c', `DELETE FROM service WHERE id IN (${made.map(lit).join(', ')})`]);
    psql(['-c', `DELETE FROM location WHERE organization_id = ${lit(ORG)}; DELETE FROM organization WHERE id = ${lit(ORG)};`]);
});

describe('open at a given moment', () => {
    before(() => {
        fixture('Zedfix Monday Club', {
            schedules: [{ byday: 'MO', opens: '10:00', closes: '12:00' }],
            exceptions: [{ from: '2027-01-11', closed: true },
                         { from: '2027-01-25', closed: false, opens: '18:00', closes: '20:00' }],
        });
        fixture('Zedfix Night Shelter', { schedules: [{ byday: 'FR', opens: '22:00', closes: '08:00' }] });
        fixture('Zedfix Monthly Cafe', {
            schedules: [{ freq: 'MONTHLY', byday: '1TU', opens: '14:00', closes: '16:00' },
                        { freq: 'MONTHLY', byday: '-1FR', opens: '10:00', closes: '11:00' }],
        });
        fixture('Zedfix No Hours Known');
    });

    // 2027-01-04 is a Monday, 2027-01-08 a Friday, 2027-01-05 the first Tuesday of January,
    // 2027-01-29 its last Friday. Times are UK local unless they carry a zone.
    const cases = [
        ['2027-01-04T10:30', ['Zedfix Monday Club'], 'a Monday, within its hours'],
        ['2027-01-04T09:59', [], 'a minute before it opens'],
        ['2027-01-04T12:00', [], 'the minute it closes'],
        ['2027-01-11T10:30', [], 'a Monday it is closed (exception)'],
        ['2027-01-18T10:30', ['Zedfix Monday Club'], 'the Monday after the closure'],
        ['2027-01-25T10:30', [], 'a Monday of special hours, at the usual time'],
        ['2027-01-25T19:00', ['Zedfix Monday Club'], 'a Monday of special hours, in them'],
        ['2027-01-08T23:00', ['Zedfix Night Shelter'], 'Friday night'],
        ['2027-01-09T03:00', ['Zedfix Night Shelter'], 'early Saturday: Friday\'s hours run past midnight'],
        ['2027-01-09T08:00', [], 'Saturday 08:00: closed'],
        ['2027-01-07T23:00', [], 'Thursday night: not its night'],
        ['2027-01-05T15:00', ['Zedfix Monthly Cafe'], 'the first Tuesday of the month'],
        ['2027-01-12T15:00', [], 'the second Tuesday'],
        ['2027-01-29T10:30', ['Zedfix Monthly Cafe'], 'the last Friday of the month'],
        ['2027-01-22T10:30', [], 'a Friday that is not the last'],
        // British Summer Time: 10:30 in Glasgow on 5 July is 09:30 UTC
        ['2027-07-05T09:30:00Z', ['Zedfix Monday Club'], 'summer, 10:30 BST given in UTC'],
        ['2027-07-05T11:30:00Z', [], 'summer, 12:30 BST given in UTC'],
        ['2027-07-05T10:30:00+01:00', ['Zedfix Monday Club'], 'summer, with an offset'],
    ];
    for (const [at, want, why] of cases) {
        test(`open_at=${at}: ${why}`, async () => {
            assert.deepEqual(await fixtures({ open_at: at }), want);
        });
    }

    test('every item says whether it is open at the moment asked about; null when its hours are unknown', async () => {
        const body = await searchAll('ggc', { q: 'zedfix' });
        const byName = Object.fromEntries(body.items.map((i) => [i.name, i]));
        assert.equal(byName['Zedfix No Hours Known'].open, null);
        const at = await searchAll('ggc', { q: 'zedfix', open_at: '2027-01-08T23:00' });
        assert.deepEqual(at.items.map((i) => [i.name, i.open]), [['Zedfix Night Shelter', true]]);
        assert.equal(at.query.open_at, '2027-01-08T23:00');
    });

    test('open_now: the fixtures open all day today are in, those of another day are out', async () => {
        const today = sqlOne(`SELECT to_char(now() AT TIME ZONE 'Europe/London', 'ID')::int AS d`).d;   // 1 = Monday
        const days = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'];
        fixture('Zedfix Open All Day Today', { schedules: [{ byday: days[today - 1], opens: '00:00', closes: '23:59:59' }] });
        fixture('Zedfix Open Another Day', { schedules: [{ byday: days[today % 7], opens: '09:00', closes: '10:00' }] });
        const open = await fixtures({ open_now: true });
        assert.ok(open.includes('Zedfix Open All Day Today'), JSON.stringify(open));
        assert.ok(!open.includes('Zedfix Open Another Day'));
    });
});

describe('age, free and referrals', () => {
    before(() => {
        fixture('Zedfix Youth Club', { columns: { minimum_age: 11, maximum_age: 18 } });
        fixture('Zedfix Adults Only', { columns: { minimum_age: 18 } });
        fixture('Zedfix Under Fives', { columns: { maximum_age: 5, is_free: false, fees_description: lit('£1') } });
        fixture('Zedfix Referrals Room', { columns: { accepts_referrals: true, capacity_available: 3, capacity_maximum: 10, capacity_updated: 'now()' } });
        fixture('Zedfix Referrals Full', { columns: { accepts_referrals: true, capacity_available: 0, capacity_maximum: 10, capacity_updated: 'now()' } });
        fixture('Zedfix Referrals Unknown', { columns: { accepts_referrals: true } });
    });

    test('age: services whose range includes the age, bounds inclusive; no range fits every age', async () => {
        const ranged = ['Zedfix Youth Club', 'Zedfix Adults Only', 'Zedfix Under Fives'];
        const has = async (age) => (await fixtures({ age })).filter((n) => ranged.includes(n)).sort();
        assert.deepEqual(await has(3), ['Zedfix Under Fives']);
        assert.deepEqual(await has(5), ['Zedfix Under Fives']);
        assert.deepEqual(await has(10), []);
        assert.deepEqual(await has(11), ['Zedfix Youth Club']);
        assert.deepEqual(await has(18), ['Zedfix Adults Only', 'Zedfix Youth Club']);
        assert.deepEqual(await has(19), ['Zedfix Adults Only']);
        assert.ok((await fixtures({ age: 40 })).includes('Zedfix Referrals Unknown'), 'a service without ages fits');
    });

    test('age across the demo directory: every result admits the age, and none that admits it is missing', async () => {
        const body = await searchAll('ggc', { postcode: 'G12 8QQ', age: 15, radius_km: 3 });
        for (const i of body.items)
            assert.ok((i.minimum_age ?? 0) <= 15 && (i.maximum_age ?? 200) >= 15, `${i.name}: ${i.minimum_age}-${i.maximum_age}`);
        const all = await searchAll('ggc', { postcode: 'G12 8QQ', radius_km: 3 });
        const admits = all.items.filter((i) => (i.minimum_age ?? 0) <= 15 && (i.maximum_age ?? 200) >= 15);
        assert.deepEqual(body.items.map((i) => i.id).sort(), admits.map((i) => i.id).sort());
        assert.ok(all.items.length > body.items.length, 'some services are for other ages');
    });

    test('free: only free services, and all of them', async () => {
        const body = await searchAll('ggc', { postcode: 'G12 8QQ', free: true, radius_km: 3 });
        const all = await searchAll('ggc', { postcode: 'G12 8QQ', radius_km: 3 });
        assert.deepEqual(body.items.map((i) => i.id).sort(), all.items.filter((i) => i.is_free).map((i) => i.id).sort());
        assert.ok(all.items.some((i) => !i.is_free));
        assert.ok(!(await fixtures({ free: true })).includes('Zedfix Under Fives'));
    });

    test('accepting_referrals: takes referrals and has room, or does not say how full it is', async () => {
        const names = await fixtures({ accepting_referrals: true });
        assert.deepEqual(names.filter((n) => n.startsWith('Zedfix Referrals')).sort(),
                         ['Zedfix Referrals Room', 'Zedfix Referrals Unknown']);
        assert.ok(!names.includes('Zedfix Youth Club'), 'a service that does not take referrals is left out');
        const body = await searchAll('ggc', { postcode: 'G12 8QQ', accepting_referrals: true });
        assert.ok(body.items.length > 0 && body.items.every((i) => i.accepts_referrals));
    });

    test('filters combine with AND', async () => {
        assert.deepEqual(await fixtures({ age: 15, accepting_referrals: true, free: true }),
                         (await fixtures({ accepting_referrals: true })).filter((n) => n !== 'Zedfix Referrals Full'));
        assert.deepEqual(await fixtures({ age: 4, free: true }), (await fixtures({ free: true, age: 4 })));
        assert.ok(!(await fixtures({ age: 4, free: true })).includes('Zedfix Under Fives'), 'under fives but not free');
    });
});

describe('service areas', () => {
    let far;
    before(() => {
        // Helensburgh (G84, Argyll and Bute): far from Glasgow's west end.
        far = sqlOne(`SELECT postcode FROM postcode WHERE district = 'G84' ORDER BY postcode LIMIT 1`).postcode;
        fixture('Zedfix Covers Glasgow City', { postcode: far, areas: [{ kind: 'council', code: 'S12000049', name: 'Glasgow City' }] });
        fixture('Zedfix Covers G12', { postcode: far, areas: [{ kind: 'district', code: 'G12', name: 'Hillhead (G12)' }] });
        fixture('Zedfix Covers Nothing Here', { postcode: far });
    });

    test('a service that covers the patient\'s council area or district is found wherever it is, shown by what it covers', async () => {
        const body = await searchAll('ggc', { q: 'zedfix covers', postcode: 'G12 8QQ', radius_km: 2 });
        const byName = Object.fromEntries(body.items.map((i) => [i.name, i]));
        assert.deepEqual(Object.keys(byName).sort(), ['Zedfix Covers G12', 'Zedfix Covers Glasgow City']);
        assert.equal(byName['Zedfix Covers Glasgow City'].covers, 'Glasgow City');
        assert.equal(byName['Zedfix Covers Glasgow City'].distance_km, null, 'never a distance for an area match');
        assert.equal(byName['Zedfix Covers G12'].covers, 'Hillhead (G12)');
        // Glasgow City is the patient's own council: the Glasgow plugin's first preference
        assert.equal(byName['Zedfix Covers Glasgow City'].rank_tier, 0);
    });

    test('another council\'s patient does not get a Glasgow City service; one near it gets it by distance', async () => {
        // Bearsden (G61, East Dunbartonshire), 2 km radius
        const bearsden = await fixtures({ q: 'zedfix covers', postcode: 'G61 3RD', radius_km: 2 });
        assert.deepEqual(bearsden, []);
        const near = await searchAll('ggc', { q: 'zedfix covers', postcode: far, radius_km: 1 });
        assert.equal(near.items.length, 3);
        assert.ok(near.items.every((i) => i.covers === null && i.distance_km !== null));
    });
});

describe('reviews', () => {
    before(() => {
        const b = sqlOne(`SELECT review_period_days + review_grace_days AS days FROM board WHERE slug = 'ggc'`).days;
        fixture('Zedfix Review Aaa Overdue', { columns: { last_reviewed: `current_date - ${b + 1}` } });
        fixture('Zedfix Review Bbb Last Day Of Grace', { columns: { last_reviewed: `current_date - ${b}` } });
        fixture('Zedfix Review Ccc Current', { columns: { last_reviewed: 'current_date - 10' } });
        fixture('Zedfix Review Ddd Never Reviewed', { columns: { last_reviewed: 'NULL' } });
    });

    test('services overdue for review (or never reviewed) sink below current ones, and say so', async () => {
        const body = await searchAll('ggc', { q: 'zedfix review', postcode: 'G12 8QQ' });
        const names = body.items.map((i) => [i.name, i.review_overdue]);
        // Same place, same tier: by name, except that the overdue ones go last.
        assert.deepEqual(names, [['Zedfix Review Bbb Last Day Of Grace', false], ['Zedfix Review Ccc Current', false],
                                 ['Zedfix Review Aaa Overdue', true], ['Zedfix Review Ddd Never Reviewed', true]]);
    });

    test('a board that shortens its review period sees more services sink', async () => {
        const before = await searchAll('ggc', { q: 'zedfix review', postcode: 'G12 8QQ' });
        psql(['-c', `UPDATE board SET review_period_days = 30, review_grace_days = 0 WHERE slug = 'ggc'`]);
        try {
            const afterChange = await searchAll('ggc', { q: 'zedfix review', postcode: 'G12 8QQ' });
            assert.deepEqual(afterChange.items.map((i) => [i.name, i.review_overdue]),
                             [['Zedfix Review Ccc Current', false], ['Zedfix Review Aaa Overdue', true],
                              ['Zedfix Review Bbb Last Day Of Grace', true], ['Zedfix Review Ddd Never Reviewed', true]]);
        } finally {
            psql(['-c', `UPDATE board SET review_period_days = 365, review_grace_days = 30 WHERE slug = 'ggc'`]);
        }
        assert.equal(before.items.filter((i) => i.review_overdue).length, 2);
    });

    test('sort=reviewed: most recently reviewed first within each tier, overdue still last', async () => {
        const body = await searchAll('ggc', { postcode: 'G12 8QQ', sort: 'reviewed' });
        assert.equal(body.query.sort, 'reviewed');
        for (let i = 1; i < body.items.length; i++) {
            const a = body.items[i - 1], b = body.items[i];
            assert.ok(!a.review_overdue || b.review_overdue, 'overdue last');
            if (a.review_overdue === b.review_overdue && a.rank_tier === b.rank_tier)
                assert.ok((a.last_reviewed ?? '') >= (b.last_reviewed ?? ''), `${a.name} ${a.last_reviewed} before ${b.name} ${b.last_reviewed}`);
        }
    });

    test('sort=relevance with a place: best match first within each tier', async () => {
        const body = await searchAll('ggc', { q: 'walking group', postcode: 'G12 8QQ', sort: 'relevance' });
        const rank = Object.fromEntries(sql(`SELECT id, ts_rank_cd(search_vector, websearch_to_tsquery('english', 'walking group')) AS r
                                               FROM service WHERE id IN (${body.items.map((i) => lit(i.id)).join(', ')})`)
            .map((x) => [x.id, x.r]));
        for (let i = 1; i < body.items.length; i++) {
            const a = body.items[i - 1], b = body.items[i];
            if (a.review_overdue === b.review_overdue && a.rank_tier === b.rank_tier)
                assert.ok(rank[a.id] >= rank[b.id] - 1e-6, `${a.name} (${rank[a.id]}) before ${b.name} (${rank[b.id]})`);
        }
    });
});

describe('place names', () => {
    test('a town or neighbourhood is searched from its centre, in any case', async () => {
        const place = sqlOne(`SELECT name, lat, lon, district FROM place WHERE name = 'Partick'`);
        for (const text of ['Partick', 'partick', '  PARTICK ']) {
            const body = await search('ggc', { q: 'walking', postcode: text });
            assert.equal(body.origin.kind, 'place');
            assert.equal(body.origin.place_name, 'Partick');
            assert.equal(body.origin.district, place.district);
            assert.ok(Math.abs(body.origin.lat - place.lat) < 1e-6 && Math.abs(body.origin.lon - place.lon) < 1e-6);
        }
        const fife = await search('fife', { q: 'walking', postcode: 'St. Andrews' });
        assert.equal(fife.origin.place_name, 'St Andrews');
        assert.match(fife.ranking, /North East Fife/);
    });

    test('an unknown place is a 400 that suggests the closest known one', async () => {
        await expectProblem(T.search, `/api/v1/boards/ggc/resources${qs({ postcode: 'Partik' })}`, 400,
                            { field: 'postcode', detail: /did you mean Partick\?/ });
        await expectProblem(T.search, `/api/v1/boards/ggc/resources${qs({ postcode: 'Xyzzyville' })}`, 400,
                            { field: 'postcode', detail: /not a place this directory knows/ });
    });
});

describe('stable pages', () => {
    /** Every page of a search through its cursor: ids in order, pages checked. */
    async function pagesThrough(params, first, perPage) {
        const ids = first.items.map((i) => i.id);
        const pages = Math.ceil(first.total / perPage);
        for (let page = 2; page <= pages; page++) {
            const body = await search('ggc', { ...params, per_page: perPage, page, cursor: first.cursor });
            assert.equal(body.total, first.total, 'the total stays that of the first page');
            assert.equal(body.cursor, first.cursor);
            ids.push(...body.items.map((i) => i.id));
        }
        return ids;
    }

    test('a search paged through while services are added, moved and closed shows each result once', async () => {
        const params = { postcode: 'G12 8QQ', radius_km: 2 };
        const perPage = 10;
        const first = await search('ggc', { ...params, per_page: perPage });
        assert.ok(first.total > 3 * perPage, `enough results to page through (${first.total})`);
        assert.match(first.cursor, /^[0-9a-f]{32}$/);
        // What the search found, in order, before anything changes.
        const before = await pagesThrough(params, first, perPage);
        assert.equal(new Set(before).size, first.total);

        // Meanwhile: a new service right at the patient's postcode (it would come first),
        // a service from the last page moved there too, and one from the middle closed.
        fixture('Zedfix Arrived Meanwhile', { postcode: 'G12 8QQ' });
        const moved = before.at(-1), closed = before[Math.floor(before.length / 2)];
        const origin = sqlOne(`SELECT lat, lon FROM postcode WHERE postcode = 'G12 8QQ'`);
        psql(['-c', `UPDATE location SET lat = ${origin.lat}, lon = ${origin.lon}
                      WHERE id IN (SELECT location_id FROM service_at_location WHERE service_id = ${lit(moved)});
                     UPDATE service SET status = 'temporarily closed' WHERE id = ${lit(closed)};`]);
        try {
            const fresh = await search('ggc', { ...params, per_page: perPage });
            assert.equal(fresh.items.find((i) => i.name === 'Zedfix Arrived Meanwhile')?.distance_km, 0,
                         'a new search sees the change');
            const after = await pagesThrough(params, first, perPage);
            assert.deepEqual(after, before.filter((id) => id !== closed),
                             'the kept search: the same results in the same order, less the one closed');
        } finally {
            psql(['-c', `UPDATE service SET status = 'active' WHERE id = ${lit(closed)}`]);
        }
    });

    test('one page of results keeps nothing; a cursor of other parameters, an expired or unknown one is 410', async () => {
        const single = await search('ggc', { q: 'zedfix monday' });
        assert.equal(single.total, 1);
        assert.equal(single.cursor, null);
        const first = await search('ggc', { postcode: 'G12 8QQ', per_page: 5 });
        const other = { postcode: 'G11 5AA', per_page: 5, page: 2, cursor: first.cursor };
        await expectProblem(T.search, `/api/v1/boards/ggc/resources${qs(other)}`, 410, { title: 'Search expired' });
        const unknown = { postcode: 'G12 8QQ', per_page: 5, page: 2, cursor: '0'.repeat(32) };
        await expectProblem(T.search, `/api/v1/boards/ggc/resources${qs(unknown)}`, 410);
        // Another board never reads a board's kept search.
        const fife = { postcode: 'G12 8QQ', per_page: 5, page: 2, cursor: first.cursor };
        await expectProblem(T.search, `/api/v1/boards/fife/resources${qs(fife)}`, 410);
        const ok = await search('ggc', { postcode: 'G12 8QQ', per_page: 5, page: 2, cursor: first.cursor });
        assert.equal(ok.items.length, 5);
        psql(['-c', `UPDATE search_snapshot SET created_at = now() - interval '31 minutes' WHERE token = ${lit(first.cursor)}`]);
        await expectProblem(T.search, `/api/v1/boards/ggc/resources${qs({ postcode: 'G12 8QQ', per_page: 5, page: 2, cursor: first.cursor })}`,
                            410, { detail: /30 minutes/ });
    });

    test('expired kept searches are cleared by later searches', async () => {
        const first = await search('ggc', { postcode: 'G12 8QQ', per_page: 5 });
        psql(['-c', `UPDATE search_snapshot SET created_at = now() - interval '2 hours' WHERE token = ${lit(first.cursor)}`]);
        await search('ggc', { postcode: 'G11 5AA', per_page: 5 });
        assert.equal(sqlOne(`SELECT count(*)::int AS n FROM search_snapshot WHERE token = ${lit(first.cursor)}`).n, 0);
    });
});

describe('bad input', () => {
    const bad = [
        [{ open_now: 'yes' }, 'open_now'],
        [{ open_now: true, open_at: '2027-01-04T10:00' }, 'open_at'],
        [{ open_at: 'tomorrow' }, 'open_at'],
        [{ open_at: '2027-01-04' }, 'open_at'],
        [{ open_at: '2027-02-30T10:00' }, 'open_at'],
        [{ age: -1 }, 'age'],
        [{ age: 121 }, 'age'],
        [{ age: 'ten' }, 'age'],
        [{ age: '1.5' }, 'age'],
        [{ free: '1' }, 'free'],
        [{ accepting_referrals: 'maybe' }, 'accepting_referrals'],
        [{ sort: 'nearest' }, 'sort'],
        [{ sort: 'relevance' }, 'sort'],
        [{ sort: 'distance', q: 'food' }, 'sort'],
        [{ postcode: 'Glasgow; DROP TABLE service' }, 'postcode'],
        [{ postcode: 'x'.repeat(41) }, 'postcode'],
        [{ cursor: 'abc' }, 'cursor'],
        [{ cursor: 'A'.repeat(32) }, 'cursor'],
    ];
    for (const [params, field] of bad)
        test(`${JSON.stringify(params)} is a 400 on ${field}`, async () => {
            await expectProblem(T.search, `/api/v1/boards/ggc/resources${qs(params)}`, 400, { field });
        });
});
