// 90-regional: each region's own report, made by its plugin's report hook.
// Glasgow groups practices by the SIMD decile of their data zone and by
// whether they have a links worker; Fife by locality. The groups expected
// are worked out here from the database (deciles, links workers) and from
// the Fife plugin's documented locality of a postcode sector; counts come
// from signposts written by SQL on a random past day of the test's own.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';

import { waitForStack } from './lib/api.mjs';
import { lit, psql, sql, sqlOne } from './lib/db.mjs';
import { signInDemo } from './lib/staff.mjs';

const REPORT = '/api/v1/boards/{board}/reports/regional';
const DAY = new Date(Date.UTC(2001, 0, 1) + Math.floor(Math.random() * 8000) * 86400e3).toISOString().slice(0, 10);
const PERIOD = `from=${DAY}&to=${DAY}`;
const sessions = {};
let kirkcaldy;      // a Fife practice whose postcode is in sector KY1 1 (Kirkcaldy locality, docs/PLUGINS.md)

const report = (who, board, query = PERIOD) => sessions[who].get(REPORT, `/api/v1/boards/${board}/reports/regional?${query}`);

function signposts(practiceId, username, n) {
    psql(['-c', `INSERT INTO signpost (board_id, at, staff_id, practice_id, links_worker)
                 SELECT p.board_id, ${lit(`${DAY} 11:00+00`)}, (SELECT id FROM staff WHERE username = ${lit(username)}), p.id, true
                   FROM practice p, generate_series(1, ${n}) WHERE p.id = ${lit(practiceId)}`]);
}

before(async () => {
    await waitForStack();
    for (const [board, role] of [['ggc', 'board_admin'], ['ggc', 'gp'], ['fife', 'board_admin'], ['fife', 'receptionist']])
        sessions[`${board}.${role}`] = await signInDemo(board, role);
    assert.equal(sqlOne(`SELECT count(*)::int AS n FROM signpost WHERE at >= ${lit(DAY)}::date - 1 AND at < ${lit(DAY)}::date + 2`).n, 0);
    kirkcaldy = sqlOne(`SELECT p.id, p.name FROM practice p JOIN board b ON b.id = p.board_id
                         WHERE b.slug = 'fife' AND p.postcode LIKE 'KY1 1%' ORDER BY p.code LIMIT 1`);
    assert.ok(kirkcaldy, 'a Fife practice in KY1 1');
    signposts(kirkcaldy.id, 'fife.receptionist', 7);
    const ggc = sql(`SELECT p.id FROM practice p JOIN board b ON b.id = p.board_id WHERE b.slug = 'ggc' ORDER BY p.code LIMIT 2`);
    signposts(ggc[0].id, 'ggc.receptionist', 9);
    signposts(ggc[1].id, 'ggc.receptionist', 6);
});

describe('regional reports', () => {
    test('Glasgow: by SIMD decile of the practice\'s data zone and by links worker, every practice in one group of each', async () => {
        const r = await report('ggc.board_admin', 'ggc');
        assert.equal(r.status, 200, r.text);
        assert.equal(r.body.region, 'glasgow');
        assert.deepEqual(r.body.dimensions.map((d) => d.title),
                         ['SIMD decile of the practice\'s data zone', 'Practices with and without an attached links worker']);
        const practices = sql(`SELECT coalesce(dz.simd_decile, 0) AS decile, p.has_links_worker, coalesce(p.list_size, 0) AS list_size
                                 FROM practice p JOIN board b ON b.id = p.board_id LEFT JOIN postcode pc ON pc.postcode = p.postcode
                                 LEFT JOIN data_zone dz ON dz.code = pc.data_zone WHERE b.slug = 'ggc'`);
        const label = (d) => (d === 0 ? 'Decile not known' : d === 1 ? 'Decile 1 (most deprived)' : d === 10 ? 'Decile 10 (least deprived)' : `Decile ${d}`);
        const expected = {};
        for (const p of practices) expected[label(p.decile)] = (expected[label(p.decile)] ?? 0) + 1;
        const [deciles, workers] = r.body.dimensions;
        assert.deepEqual(Object.fromEntries(deciles.groups.map((g) => [g.group, g.practices])), expected);
        const order = deciles.groups.map((g) => g.group).filter((g) => g.startsWith('Decile ') && g !== 'Decile not known');
        assert.deepEqual(order, [...order].sort((a, b) => Number(a.split(' ')[1]) - Number(b.split(' ')[1])), 'deciles in order');
        assert.deepEqual(Object.fromEntries(workers.groups.map((g) => [g.group, g.practices])),
                         Object.fromEntries(['With a links worker', 'Without a links worker']
                             .map((k, i) => [k, practices.filter((p) => p.has_links_worker === (i === 0)).length])
                             .filter(([, n]) => n > 0)));
        for (const d of r.body.dimensions) {
            assert.equal(d.signposts_total, 15);
            assert.equal(d.groups.reduce((s, g) => s + g.signposts, 0), 15, `${d.title}: the groups add up to the board`);
            assert.equal(d.groups.reduce((s, g) => s + g.list_size, 0), practices.reduce((s, p) => s + p.list_size, 0));
            for (const g of d.groups.filter((x) => x.list_size > 0))
                assert.ok(Math.abs(g.signposts_per_1000 - (g.signposts * 1000) / g.list_size) < 1e-6);
        }
    });

    test('Fife: by locality, the practice in KY1 1 counted in Kirkcaldy', async () => {
        const r = await report('fife.board_admin', 'fife');
        assert.equal(r.status, 200, r.text);
        assert.equal(r.body.region, 'fife');
        assert.deepEqual(r.body.dimensions.map((d) => d.title), ['Locality']);
        const groups = Object.fromEntries(r.body.dimensions[0].groups.map((g) => [g.group, g]));
        assert.equal(groups.Kirkcaldy.signposts, 7);
        assert.equal(r.body.dimensions[0].signposts_total, 7);
        const fifePractices = sqlOne(`SELECT count(*)::int AS n FROM practice p JOIN board b ON b.id = p.board_id WHERE b.slug = 'fife'`).n;
        assert.equal(r.body.dimensions[0].groups.reduce((s, g) => s + g.practices, 0), fifePractices);
    });

    test('each region\'s report only for its board; the rule outside administrators and in CSV; receptionists none', async () => {
        for (const [who, board] of [['fife.board_admin', 'ggc'], ['ggc.board_admin', 'fife']]) {
            const cross = await report(who, board);
            assert.ok([403, 404].includes(cross.status), `${who} on ${board}: ${cross.status}`);
        }
        const gp = await report('ggc.gp', 'ggc');
        assert.equal(gp.status, 200, gp.text);
        assert.equal(gp.body.suppressed, true);
        assert.match(gp.body.disclosure_rule, /1 to 4/);
        for (const d of gp.body.dimensions) {
            const hidden = d.groups.filter((g) => typeof g.signposts === 'string').length;
            assert.ok(typeof d.signposts_total === 'string' || hidden !== 1, `${d.title}: never one hidden with the total shown`);
        }
        assert.equal((await report('fife.receptionist', 'fife')).status, 403);
        const csv = await report('fife.board_admin', 'fife', `${PERIOD}&format=csv`);
        assert.equal(csv.status, 200);
        const lines = csv.text.trim().split('\r\n');
        assert.equal(lines[0], '"grouping","group","practices","list_size","signposts","referrals"');
        assert.ok(lines.some((l) => l.startsWith('"Locality","Kirkcaldy",') && l.endsWith(',"7","0"')), csv.text.slice(0, 400));
        assert.match(lines.at(-1), /Counts from 1 to 4/);
    });
    test('the outcomes report narrowed to one of the plugin\'s groups counts only its practices\' referrals', async () => {
        const dunfermline = sqlOne(`SELECT p.id FROM practice p JOIN board b ON b.id = p.board_id
                                     WHERE b.slug = 'fife' AND split_part(p.postcode, ' ', 1) IN ('KY11', 'KY12') ORDER BY p.code LIMIT 1`);
        assert.ok(dunfermline, 'a Fife practice in Dunfermline locality (KY11, KY12)');
        const gp = await signInDemo('fife', 'gp');
        const made = await gp.send('POST', '/api/v1/boards/{board}/referrals', '/api/v1/boards/fife/referrals', {
            links_worker: true, postcode: 'KY1 1AB', chi: '0303031239', name: 'Regional Fixture', contact_method: 'phone',
            contact_detail: '01592 000000', reason: 'regional fixture', consent: true, needs: ['money', 'housing-and-homelessness', 'food-nutrition'],
        }, { headers: { 'Idempotency-Key': `regional-fixture-${Date.now()}` } });
        assert.equal(made.status, 201, made.text);
        for (const [practice, n] of [[kirkcaldy.id, 6], [dunfermline.id, 4]])
            psql(['-c', `INSERT INTO referral (board_id, patient_id, practice_id, referrer_id, links_worker, route, route_reason,
                                               decided_by, reason, consent_recorded_by, status, idempotency_key, request_hash, created_at)
                         SELECT r.board_id, r.patient_id, ${lit(practice)}, r.referrer_id, true, 'links_worker', 'regional test', 'core',
                                'regional test', r.consent_recorded_by, 'received', 'regional-' || gen_random_uuid(), 'x', ${lit(`${DAY} 12:00+00`)}
                           FROM referral r, generate_series(1, ${n}) WHERE r.id = ${lit(made.body.id)}`]);
        const outcomes = (query) => sessions['fife.board_admin'].get('/api/v1/boards/{board}/reports/outcomes',
                                                                      `/api/v1/boards/fife/reports/outcomes?${PERIOD}${query}`);
        const all = await outcomes('');
        assert.equal(all.status, 200, all.text);
        assert.equal(all.body.referrals, 10);
        assert.equal(all.body.group, null);
        const localities = all.body.groupings.find((g) => g.grouping === 'Locality');
        assert.ok(localities.groups.includes('Kirkcaldy') && localities.groups.includes('Dunfermline'), JSON.stringify(all.body.groupings));
        const one = await outcomes(`&practice=${kirkcaldy.id.toUpperCase()}`);
        assert.equal(one.status, 200, one.text);
        assert.equal(one.body.referrals, 6, 'one practice, its id in capitals');
        for (const [group, n] of [['Kirkcaldy', 6], ['Dunfermline', 4]]) {
            const r = await outcomes(`&group=${encodeURIComponent(group)}`);
            assert.equal(r.status, 200, r.text);
            assert.equal(r.body.group, group);
            assert.equal(r.body.referrals, n, group);
            assert.equal(r.body.by_status.find((x) => x.status === 'received').count, n);
        }
        const glasgowPractice = sqlOne(`SELECT p.id FROM practice p JOIN board b ON b.id = p.board_id WHERE b.slug = 'ggc' LIMIT 1`).id;
        for (const [query, field] of [['&group=Atlantis', 'group'], [`&group=Kirkcaldy&practice=${kirkcaldy.id}`, 'practice'],
                                      [`&practice=${glasgowPractice}`, 'practice'], ['&practice=00000000-0000-0000-0000-000000000000', 'practice']]) {
            const r = await outcomes(query);
            assert.equal(r.status, 400, query);
            assert.ok(r.body.errors.some((e) => e.field === field), r.text);
        }
    });
});
