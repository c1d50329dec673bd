// 30-plugins: each board's plugin changes the order of the same search the
// way docs/PLUGINS.md says. Patients' postcodes are chosen from the database
// (SIMD deciles, council areas) and the expected orders are computed from the
// directory's tables with lib/model.mjs, never taken from the API.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';

import { searchAll, waitForStack } from './lib/api.mjs';
import { lit, sql } from './lib/db.mjs';
import {
    assertOrder, candidates, fifeLocality, fifePlan, fifeSettings, glasgowPlan, glasgowSettings, haversineKm,
    place, restrictTo, sectorOf, withinRadius,
} from './lib/model.mjs';

const ASKED_RADIUS_KM = 5;
const ROUNDING_KM = 0.0051;
const GLASGOW_CITY = 'S12000049';
const Q_GLASGOW = 'walking';
const Q_FIFE = 'money advice';

before(async () => {
    await waitForStack();
});

/** Expected result of a search from `origin`: { plan, services (with distance_km) }. */
function expected(boardSlug, services, origin, askedRadius) {
    const plan = boardSlug === 'ggc' ? glasgowPlan(origin, askedRadius) : fifePlan(origin, askedRadius);
    return { plan, services: withinRadius(services, origin, plan.radiusKm) };
}

/** Sort like the rules do (ties broken by name only, for choosing test cases). */
function modelOrder({ plan, services }) {
    return [...services].sort((a, b) => {
        // overdue services after every current one
        const ka = [a.overdue ? 1 : 0, ...plan.key(a)], kb = [b.overdue ? 1 : 0, ...plan.key(b)];
        for (let i = 0; i < ka.length; i++)
            if (ka[i] !== kb[i])
                return ka[i] - kb[i];
        return (a.distance_km === null) - (b.distance_km === null) || (a.distance_km ?? 0) - (b.distance_km ?? 0) ||
               a.name.localeCompare(b.name);
    });
}

/** Some item comes before a nearer one: the order is not plain distance. */
function notByDistance(items) {
    for (let i = 0; i < items.length; i++)
        for (let j = i + 1; j < items.length; j++)
            if (items[i].distance_km !== null && items[j].distance_km !== null && items[i].distance_km > items[j].distance_km + 0.01)
                return [items[i], items[j]];
    return null;
}

/** The board's postcodes with what the plugins look at. */
function postcodes(where) {
    return sql(`SELECT p.postcode, p.district, p.sector, p.lat, p.lon, p.council_code, ca.name AS council_name,
                       p.data_zone, dz.simd_decile
                  FROM postcode p LEFT JOIN data_zone dz ON dz.code = p.data_zone
                  LEFT JOIN council_area ca ON ca.code = p.council_code
                 WHERE ${where} ORDER BY p.postcode`);
}

/** Pairs of postcodes from a and b at most maxKm apart, nearest first (grid-bucketed). */
function nearPairs(a, b, maxKm) {
    const cell = (p) => `${Math.floor(p.lat / 0.01)},${Math.floor(p.lon / 0.016)}`;
    const grid = new Map();
    for (const p of b)
        grid.set(cell(p), [...(grid.get(cell(p)) ?? []), p]);
    const pairs = [];
    for (const p of a) {
        const la = Math.floor(p.lat / 0.01), lo = Math.floor(p.lon / 0.016);
        for (let i = -1; i <= 1; i++)
            for (let j = -1; j <= 1; j++)
                for (const q of grid.get(`${la + i},${lo + j}`) ?? []) {
                    const d = haversineKm(p.lat, p.lon, q.lat, q.lon);
                    if (q.postcode !== p.postcode && d <= maxKm)
                        pairs.push({ a: p, b: q, km: d });
                }
    }
    return pairs.sort((x, y) => x.km - y.km || x.a.postcode.localeCompare(y.a.postcode) || x.b.postcode.localeCompare(y.b.postcode));
}

describe('glasgow plugin (NHS GGC)', () => {
    const settings = glasgowSettings();
    let services;
    before(() => {
        services = candidates('ggc', { q: Q_GLASGOW });
        assert.ok(services.length > 10, `the demo data has only ${services.length} "${Q_GLASGOW}" services in ggc`);
    });

    test('most deprived vs a neighbour that is not: free first within 3 km, versus paid and free by distance to 5 km', async () => {
        const city = postcodes(`p.council_code = ${lit(GLASGOW_CITY)} AND dz.simd_decile IS NOT NULL`);
        const deprived = city.filter((p) => p.simd_decile <= settings.decileMax);
        const others = city.filter((p) => p.simd_decile > settings.decileMax);
        assert.ok(deprived.length > 0 && others.length > 0, 'Glasgow City has postcodes in both kinds of data zone');

        // A deprived patient whose nearby results mix free and paid, with more beyond 3 km;
        // and the nearest non-deprived neighbour whose distance order puts a paid service
        // before a free one that the deprived patient also gets.
        const dOk = new Map();
        const dInfo = (d) => {
            if (!dOk.has(d.postcode)) {
                const e = expected('ggc', services, d, ASKED_RADIUS_KM);
                const local = e.services.filter((s) => s.area === 'local');
                const wider = withinRadius(services, d, ASKED_RADIUS_KM).filter((s) => s.area === 'local' && s.distance_km > e.plan.radiusKm + 0.01);
                const ok = local.filter((s) => s.is_free).length >= 2 && local.some((s) => !s.is_free) && wider.length > 0;
                dOk.set(d.postcode, ok ? { e, ids: new Set(e.services.map((s) => s.id)), wider } : null);
            }
            return dOk.get(d.postcode);
        };
        let chosen = null;
        for (const { a: d, b: n, km } of nearPairs(deprived, others, 1.0)) {
            const di = dInfo(d);
            if (!di)
                continue;
            const en = expected('ggc', services, n, ASKED_RADIUS_KM);
            const order = modelOrder(en);
            if (!order.some((s) => s.area === 'local' && s.distance_km > 3.01))
                continue;
            let paid = null;
            for (const s of order) {
                if (!di.ids.has(s.id) || s.overdue)
                    continue;
                if (!s.is_free && !paid)
                    paid = s;
                else if (s.is_free && paid && JSON.stringify(en.plan.key(s)) === JSON.stringify(en.plan.key(paid))) {
                    chosen = { d, n, km, di, en, paid, free: s };
                    break;
                }
            }
            if (chosen)
                break;
        }
        assert.ok(chosen, 'no suitable pair of neighbouring Glasgow City postcodes in the demo data');
        const { d, n, di, en } = chosen;
        const label = `deprived ${d.postcode} (decile ${d.simd_decile}) vs ${n.postcode} (decile ${n.simd_decile}), ${(chosen.km * 1000).toFixed(0)} m apart`;

        // Most deprived: radius_km=5 asked, 3 km used; free services first.
        const dep = await searchAll('ggc', { q: Q_GLASGOW, postcode: d.postcode, radius_km: ASKED_RADIUS_KM });
        assert.equal(dep.origin.simd_decile, d.simd_decile, label);
        assert.equal(dep.query.radius_km, settings.deprivedRadiusKm, `${label}: radius used`);
        assert.equal(dep.ranking, di.e.plan.explanation, `${label}: ranking`);
        assert.equal(dep.ranking, `Most deprived area (SIMD decile ${d.simd_decile}): free services first, ` +
                                  `within ${settings.deprivedRadiusKm} km; services in Glasgow City first`);
        for (const item of dep.items.filter((i) => i.area === 'local'))
            assert.ok(item.distance_km <= settings.deprivedRadiusKm + ROUNDING_KM, `${label}: ${item.name} at ${item.distance_km} km`);
        // (among services whose review is current: overdue ones come after them all)
        const current = dep.items.filter((i) => !i.review_overdue);
        const firstPaid = current.findIndex((i) => !i.is_free);
        assert.ok(firstPaid > 0, `${label}: expected free results then paid ones`);
        assert.ok(current.slice(firstPaid).every((i) => !i.is_free), `${label}: a free service after a paid one`);
        assert.ok(current.slice(0, firstPaid).every((i) => i.rank_tier < current[firstPaid].rank_tier), `${label}: free services in lower tiers`);
        for (const s of di.wider)
            assert.ok(!dep.items.some((i) => i.id === s.id), `${label}: ${s.name} is ${s.distance_km.toFixed(2)} km away, beyond 3 km`);
        assertOrder(dep.items, di.e.services, di.e.plan.key, label);

        // Not deprived, same query: paid and free interleaved by distance, out to 5 km.
        const not = await searchAll('ggc', { q: Q_GLASGOW, postcode: n.postcode, radius_km: ASKED_RADIUS_KM });
        assert.equal(not.query.radius_km, ASKED_RADIUS_KM);
        assert.equal(not.ranking, 'Services in Glasgow City first');
        assert.ok(not.items.some((i) => i.area === 'local' && i.distance_km > 3), `${n.postcode}: nothing beyond 3 km`);
        const paidAt = not.items.findIndex((i) => i.id === chosen.paid.id);
        const freeAt = not.items.findIndex((i) => i.id === chosen.free.id);
        assert.ok(paidAt >= 0 && freeAt > paidAt, `${n.postcode}: paid ${chosen.paid.name} should come before free ${chosen.free.name}`);
        assertOrder(not.items, en.services, en.plan.key, n.postcode);

        // Same query, different order.
        const common = dep.items.map((i) => i.id).filter((id) => not.items.some((i) => i.id === id));
        assert.notDeepEqual(restrictTo(dep.items, common), restrictTo(not.items, common), `${label}: same order`);
        const depPaidAt = dep.items.findIndex((i) => i.id === chosen.paid.id);
        const depFreeAt = dep.items.findIndex((i) => i.id === chosen.free.id);
        assert.ok(depFreeAt >= 0 && depPaidAt > depFreeAt, `${label}: for the deprived patient ${chosen.free.name} (free) comes first`);
    });

    test('at the Glasgow City boundary each patient sees their own council area first: same query, different order', async () => {
        const ggcCouncils = sql(`SELECT DISTINCT council_code FROM postcode WHERE board_code = (SELECT code FROM board WHERE slug = 'ggc')
                                   AND council_code IS NOT NULL`).map((r) => r.council_code);
        const notDeprived = `(dz.simd_decile IS NULL OR dz.simd_decile > ${settings.decileMax})`;
        const inCity = postcodes(`p.council_code = ${lit(GLASGOW_CITY)} AND ${notDeprived}`);
        const outside = postcodes(`p.council_code IN (${ggcCouncils.filter((c) => c !== GLASGOW_CITY).map(lit).join(', ') || "''"}) AND ${notDeprived}`);

        // Inverted: a service outside the patient's council is nearer than one inside, both found.
        const cache = new Map();
        const info = (p) => {
            if (!cache.has(p.postcode)) {
                const e = expected('ggc', services, p, ASKED_RADIUS_KM);
                const own = (s) => s.locations.some((l) => l.council_code === p.council_code);
                const mine = e.services.filter(own), theirs = e.services.filter((s) => !own(s));
                const nearestTheirs = theirs.reduce((m, s) => (m === null || s.distance_km < m.distance_km ? s : m), null);
                const farthestMine = mine.reduce((m, s) => (m === null || s.distance_km > m.distance_km ? s : m), null);
                const ok = mine.length >= 1 && theirs.length >= 1 && nearestTheirs.distance_km < farthestMine.distance_km - 0.05;
                cache.set(p.postcode, ok ? { e, nearestTheirs, farthestMine } : null);
            }
            return cache.get(p.postcode);
        };
        const pair = nearPairs(inCity, outside, 0.5).find(({ a, b }) => info(a) && info(b));
        assert.ok(pair, 'no neighbouring postcodes either side of the Glasgow City boundary with services on both sides');
        const results = [];
        for (const p of [pair.a, pair.b]) {
            const i = info(p);
            const body = await searchAll('ggc', { q: Q_GLASGOW, postcode: p.postcode });
            const label = `${p.postcode} (${p.council_name})`;
            assert.equal(body.origin.council_code, p.council_code, label);
            assert.equal(body.ranking, `Services in ${p.council_name} first`, label);
            assert.equal(body.ranking, i.e.plan.explanation);
            const own = (item) => i.e.services.find((s) => s.id === item.id).locations.some((l) => l.council_code === p.council_code);
            const firstOther = body.items.findIndex((item) => !own(item));
            assert.ok(firstOther > 0, `${label}: own council area first`);
            assert.ok(body.items.slice(firstOther).every((item) => !own(item)), `${label}: an own-council service after another council's`);
            const near = body.items.findIndex((item) => item.id === i.nearestTheirs.id);
            const far = body.items.findIndex((item) => item.id === i.farthestMine.id);
            assert.ok(far >= 0 && near > far, `${label}: ${i.farthestMine.name} (own council, ${i.farthestMine.distance_km.toFixed(2)} km) ` +
                      `should come before ${i.nearestTheirs.name} (${i.nearestTheirs.distance_km.toFixed(2)} km)`);
            assert.ok(notByDistance(body.items), `${label}: the order is plain distance`);
            assertOrder(body.items, i.e.services, i.e.plan.key, label);
            results.push(body);
        }
        const common = results[0].items.map((i) => i.id).filter((id) => results[1].items.some((i) => i.id === id));
        assert.ok(common.length >= 2);
        assert.notDeepEqual(restrictTo(results[0].items, common), restrictTo(results[1].items, common),
                            `${pair.a.postcode} and ${pair.b.postcode} (${(pair.km * 1000).toFixed(0)} m apart) got the same order`);
    });

    test('without a place the plugin changes nothing; a district (no data zone) gets its council first', async () => {
        const none = await searchAll('ggc', { q: Q_GLASGOW });
        assert.equal(none.ranking, null);
        assert.ok(none.items.every((i) => i.rank_tier === 0));
        const origin = place('G12');
        const body = await searchAll('ggc', { q: Q_GLASGOW, postcode: 'G12', radius_km: 10 });
        const e = expected('ggc', services, origin, 10);
        assert.equal(body.ranking, `Services in ${origin.council_name} first`);
        assert.equal(body.query.radius_km, 10);
        assertOrder(body.items, e.services, e.plan.key, 'G12 district');
    });
});

describe('fife plugin (NHS Fife)', () => {
    const settings = fifeSettings();
    const RADIUS = 50;          // all of Fife from either town, so both localities' services are found
    let services;
    before(() => {
        services = candidates('fife', { q: Q_FIFE });
        assert.ok(services.length > 5, `the demo data has only ${services.length} "${Q_FIFE}" services in fife`);
    });

    const inLocality = (s, locality) => s.locations.some((l) => fifeLocality(settings, sectorOf(l.postcode)) === locality);

    test('Kirkcaldy (KY1) and Dunfermline (KY12) patients: same query, each sees their own locality first', async () => {
        const patients = [{ postcode: 'KY1 1AB', locality: 'Kirkcaldy', other: 'Dunfermline' },
                          { postcode: 'KY12 7AB', locality: 'Dunfermline', other: 'Kirkcaldy' }];
        const results = {};
        for (const pt of patients) {
            const origin = place(pt.postcode);
            assert.ok(origin, `${pt.postcode} is not in the postcode data`);
            const e = expected('fife', services, origin, RADIUS);
            assert.equal(e.plan.locality, pt.locality, `${pt.postcode} is in ${pt.locality} (docs/PLUGINS.md)`);
            const mine = e.services.filter((s) => inLocality(s, pt.locality));
            const theirs = e.services.filter((s) => inLocality(s, pt.other) && !inLocality(s, pt.locality));
            const wide = e.services.filter((s) => s.area !== 'local' && !inLocality(s, pt.locality));
            assert.ok(mine.length > 0 && theirs.length > 0 && wide.length > 0,
                      `${pt.postcode}: the demo data needs "${Q_FIFE}" services in ${pt.locality}, in ${pt.other} and Fife-wide`);

            const body = await searchAll('fife', { q: Q_FIFE, postcode: pt.postcode, radius_km: RADIUS });
            const label = `${pt.postcode} (${pt.locality})`;
            assert.equal(body.ranking, `${pt.locality} locality first, then Fife-wide services`, label);
            assert.equal(body.query.radius_km, RADIUS, `${label}: the Fife plugin never changes the radius`);
            // Locality services, then Fife-wide ones, then the rest.
            const rank = (item) => {
                const s = e.services.find((x) => x.id === item.id);
                return inLocality(s, pt.locality) ? 0 : s.area !== 'local' ? 1 : 2;
            };
            const ranks = body.items.map(rank);
            assert.deepEqual(ranks, [...ranks].sort((a, b) => a - b), `${label}: locality, then Fife-wide, then the rest`);
            assert.ok(ranks.includes(0) && ranks.includes(1) && ranks.includes(2), label);
            assert.ok(notByDistance(body.items), `${label}: the order is plain distance`);
            assertOrder(body.items, e.services, e.plan.key, label);
            results[pt.locality] = { body, mine, theirs };
        }
        // The same services, opposite orders: Kirkcaldy's first for one, Dunfermline's for the other.
        const k = results.Kirkcaldy, d = results.Dunfermline;
        const kFirst = k.mine.find((s) => !inLocality(s, 'Dunfermline') && s.area === 'local');
        const dFirst = d.mine.find((s) => !inLocality(s, 'Kirkcaldy') && s.area === 'local');
        assert.ok(kFirst && dFirst, 'local services only in Kirkcaldy and only in Dunfermline');
        const pos = (body, id) => body.items.findIndex((i) => i.id === id);
        assert.ok(pos(k.body, kFirst.id) < pos(k.body, dFirst.id), `Kirkcaldy patient: ${kFirst.name} before ${dFirst.name}`);
        assert.ok(pos(d.body, dFirst.id) < pos(d.body, kFirst.id), `Dunfermline patient: ${dFirst.name} before ${kFirst.name}`);
        const common = k.body.items.map((i) => i.id).filter((id) => pos(d.body, id) >= 0);
        assert.notDeepEqual(restrictTo(k.body.items, common), restrictTo(d.body.items, common));
    });

    test('a sector listed under another locality overrides its district: KY11 9 is South West Fife, KY1 4 is Levenmouth', async () => {
        for (const [area, locality] of [['KY11 9', 'South West Fife'], ['KY1 4', 'Levenmouth'], ['KY11 4', 'Dunfermline']]) {
            const origin = place(area);
            assert.ok(origin, `${area} is not in postcode_area`);
            const e = expected('fife', services, origin, RADIUS);
            assert.equal(e.plan.locality, locality);
            const body = await searchAll('fife', { q: Q_FIFE, postcode: area, radius_km: RADIUS });
            assert.equal(body.origin.kind, 'sector');
            assert.equal(body.ranking, `${locality} locality first, then Fife-wide services`, area);
            assertOrder(body.items, e.services, e.plan.key, area);
        }
    });

    test('outside every locality (KY13, Kinross): Fife-wide services first', async () => {
        const origin = place('KY13');
        assert.ok(origin, 'KY13 is not in postcode_area');
        const e = expected('fife', services, origin, RADIUS);
        assert.equal(e.plan.locality, null);
        const body = await searchAll('fife', { q: Q_FIFE, postcode: 'KY13', radius_km: RADIUS });
        assert.equal(body.ranking, 'Not in a Fife locality: Fife-wide services first');
        const firstLocal = body.items.findIndex((i) => i.area === 'local');
        assert.ok(firstLocal > 0, 'Fife-wide services, then local ones');
        assert.ok(body.items.slice(firstLocal).every((i) => i.area === 'local'));
        assertOrder(body.items, e.services, e.plan.key, 'KY13');
    });
});
