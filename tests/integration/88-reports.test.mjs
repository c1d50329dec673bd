// 88-reports: the practices report — signposts and referrals per 1,000
// registered patients for each practice against the board's rate on a
// funnel plot, and by staff role. Counts made here (by SQL, on a past day
// of their own, chosen at random so that the file can run again on the
// same database) are known, so every figure is checked against
// arithmetic done in this file: rates, the board's rate, and that the
// disclosure rule hides small counts for everyone but the board's
// administrators and in every CSV export, in a way subtraction cannot undo.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';

import { call, waitForStack } from './lib/api.mjs';
import { lit, psql, sql, sqlOne } from './lib/db.mjs';
import { signIn, signInDemo } from './lib/staff.mjs';

const REPORT = '/api/v1/boards/{board}/reports/practices';
// a day between 2001 and 2023
const DAY = new Date(Date.UTC(2001, 0, 1) + Math.floor(Math.random() * 8000) * 86400e3).toISOString().slice(0, 10);
const PERIOD = `from=${DAY}&to=${DAY}`;
const sessions = {};
let practices;      // the three Glasgow practices given counts, with the counts
let staff;

const report = (who, query = PERIOD, board = 'ggc', headers) =>
    (headers ? call('GET', REPORT, `/api/v1/boards/${board}/reports/practices?${query}`, { headers: { ...sessions[who].headers(), ...headers } })
             : sessions[who].get(REPORT, `/api/v1/boards/${board}/reports/practices?${query}`));

/** Signposts in the period, by SQL: `n` for a practice by a member of staff. */
function signposts(practice, staffId, n, day = DAY) {
    psql(['-c', `INSERT INTO signpost (board_id, at, staff_id, practice_id, category_id)
                 SELECT p.board_id, ${lit(`${day} 10:00:00+00`)}::timestamptz, ${lit(staffId)}, p.id,
                        (SELECT id FROM category WHERE parent_id IS NULL ORDER BY slug LIMIT 1)
                   FROM practice p, generate_series(1, ${n}) WHERE p.id = ${lit(practice)}`]);
}

/** Referrals in the period, by SQL, each a copy of a fixture referral (its patient, its referrer). */
function referrals(practice, n, template) {
    psql(['-c', `INSERT INTO referral (board_id, patient_id, practice_id, referrer_id, links_worker, route, route_reason,
                                       decided_by, reason, consent_recorded_by, status, idempotency_key, request_hash, created_at)
                 SELECT r.board_id, r.patient_id, ${lit(practice)}, r.referrer_id, true, 'links_worker', 'report test', 'core',
                        'report test', r.consent_recorded_by, 'received', 'report-' || gen_random_uuid(), 'x', ${lit(`${DAY} 12:00+00`)}
                   FROM referral r, generate_series(1, ${n}) WHERE r.id = ${lit(template)}`]);
}

before(async () => {
    await waitForStack();
    for (const [board, role] of [['ggc', 'board_admin'], ['ggc', 'gp'], ['ggc', 'receptionist'], ['ggc', 'champion'],
                                 ['fife', 'board_admin']])
        sessions[`${board}.${role}`] = await signInDemo(board, role);
    sessions.system = await signIn(null, 'admin');
    // nothing else wrote on that day
    assert.equal(sqlOne(`SELECT count(*)::int AS n FROM signpost WHERE at >= ${lit(DAY)}::date - 1 AND at < ${lit(DAY)}::date + 2`).n, 0);
    assert.equal(sqlOne(`SELECT count(*)::int AS n FROM referral WHERE created_at >= ${lit(DAY)}::date - 1 AND created_at < ${lit(DAY)}::date + 2`).n, 0);
    practices = sql(`SELECT p.id, p.name, p.list_size FROM practice p JOIN board b ON b.id = p.board_id
                      WHERE b.slug = 'ggc' AND p.list_size > 0 ORDER BY p.list_size DESC LIMIT 3`);
    staff = Object.fromEntries(sql(`SELECT username, id FROM staff WHERE username IN ('ggc.receptionist', 'ggc.gp', 'ggc.nurse')`)
        .map((s) => [s.username, s.id]));
    // the largest practice 30 signposts (20 by the receptionist, 10 by the GP), the next 12 (nurse), the third 3 (receptionist)
    signposts(practices[0].id, staff['ggc.receptionist'], 20);
    signposts(practices[0].id, staff['ggc.gp'], 10);
    signposts(practices[1].id, staff['ggc.nurse'], 12);
    signposts(practices[2].id, staff['ggc.receptionist'], 3);
    // a withdrawn slip and one outside the period do not count
    const nextDay = new Date(Date.parse(`${DAY}T00:00:00Z`) + 86400e3).toISOString().slice(0, 10);
    signposts(practices[2].id, staff['ggc.receptionist'], 1, nextDay);
    psql(['-c', `WITH one AS (SELECT id FROM signpost WHERE practice_id = ${lit(practices[1].id)} AND at = ${lit(`${DAY} 10:00+00`)} LIMIT 1)
                 INSERT INTO signpost (board_id, at, staff_id, practice_id, links_worker, withdrawn_at, withdrawn_by)
                 SELECT board_id, at, staff_id, practice_id, true, now(), staff_id FROM signpost WHERE id = (SELECT id FROM one)`]);
    // referrals: 2 from the largest practice, 9 from the second
    const gp = sessions['ggc.gp'];
    const made = await gp.send('POST', '/api/v1/boards/{board}/referrals', '/api/v1/boards/ggc/referrals', {
        links_worker: true, postcode: 'G12 8QQ', chi: '0202021238', name: 'Report Fixture', contact_method: 'phone',
        contact_detail: '0141 496 0000', reason: 'report fixture', consent: true,
    }, { headers: { 'Idempotency-Key': `report-fixture-${Date.now()}` } });
    assert.equal(made.status, 201, made.text);
    referrals(practices[0].id, 2, made.body.id);
    referrals(practices[1].id, 9, made.body.id);
});

const byId = (r) => Object.fromEntries(r.body.practices.map((p) => [p.id, p]));

describe('the practices report', () => {
    test('the board\'s administrator sees every count, rates per 1,000 and the board\'s rate, worked out here', async () => {
        const r = await report('ggc.board_admin');
        assert.equal(r.status, 200, r.text);
        assert.equal(r.body.suppressed, false);
        assert.equal(r.body.from, DAY);
        const rows = byId(r);
        const expected = [[30, 2], [12, 9], [3, 0]];
        practices.forEach((p, i) => {
            const row = rows[p.id];
            assert.equal(row.signposts.count, expected[i][0], p.name);
            assert.equal(row.referrals.count, expected[i][1], p.name);
            assert.ok(Math.abs(row.signposts.per_1000 - (expected[i][0] * 1000) / p.list_size) < 1e-9);
            assert.equal(row.list_size, p.list_size);
        });
        const listed = sqlOne(`SELECT sum(list_size)::int AS n FROM practice p JOIN board b ON b.id = p.board_id
                                WHERE b.slug = 'ggc' AND p.list_size > 0`).n;
        assert.equal(r.body.list_size_total, listed);
        assert.ok(Math.abs(r.body.measures.signposts.board_per_1000 - (45 * 1000) / listed) < 1e-9);
        assert.ok(Math.abs(r.body.measures.referrals.board_per_1000 - (11 * 1000) / listed) < 1e-9);
        assert.equal(r.body.measures.signposts.total, 45);
        // every other practice: zero, and within its limits (nothing expected, nothing seen)
        const others = r.body.practices.filter((p) => !practices.some((x) => x.id === p.id));
        assert.ok(others.every((p) => p.signposts.count === 0 && p.referrals.count === 0));
        // the flags agree with each practice's own limits, and the named list with the flags
        for (const m of ['signposts', 'referrals']) {
            for (const p of r.body.practices.filter((x) => x[m].per_1000 !== null)) {
                const { per_1000: rate, limits: l, position } = p[m];
                const want = rate > l.upper_998 ? 'above 99.8%' : rate > l.upper_95 ? 'above 95%'
                    : rate < l.lower_998 ? 'below 99.8%' : rate < l.lower_95 ? 'below 95%' : 'within';
                assert.equal(position, want, `${m} ${p.name}`);
                // (with next to nothing expected the interpolated limits fall to 0, below the board's rate:
                // only their order holds everywhere)
                assert.ok(l.lower_998 <= l.lower_95 && l.lower_95 <= l.upper_95 && l.upper_95 <= l.upper_998, `${m} ${p.name}`);
            }
            assert.deepEqual(r.body.measures[m].outside_limits.map((o) => o.id).sort(),
                             r.body.practices.filter((p) => p[m].position && p[m].position !== 'within').map((p) => p.id).sort());
            assert.ok(r.body.measures[m].funnel.length > 10, 'curves to draw');
        }
        // 30 signposts where 45 x list/total are expected is far above: the largest practice is named
        assert.ok(r.body.measures.signposts.outside_limits.some((o) => o.id === practices[0].id));
        // by SIMD quintile: signposts by their practice's data zone, referrals by the patient's (G12 8QQ here)
        const quintile = (decile) => (decile ? ['1 (most deprived)', '2', '3', '4', '5 (least deprived)'][Math.floor((decile - 1) / 2)] : 'not known');
        const practiceDecile = (id) => sqlOne(`SELECT dz.simd_decile FROM practice p LEFT JOIN postcode pc ON pc.postcode = p.postcode
                                               LEFT JOIN data_zone dz ON dz.code = pc.data_zone WHERE p.id = ${lit(id)}`)?.simd_decile ?? null;
        // (a list, not an object: '2', '3', '4' would come first as an object's keys)
        const want = ['1 (most deprived)', '2', '3', '4', '5 (least deprived)', 'not known'].map((q) => [q, 0, 0]);
        const row = (q) => want.find((w) => w[0] === q);
        practices.forEach((p, i) => { row(quintile(practiceDecile(p.id)))[1] += expected[i][0]; });
        const patientDecile = sqlOne(`SELECT dz.simd_decile FROM postcode pc JOIN data_zone dz ON dz.code = pc.data_zone
                                       WHERE pc.postcode = 'G12 8QQ'`)?.simd_decile ?? null;
        row(quintile(patientDecile))[2] += 11;
        assert.deepEqual(r.body.by_simd_quintile.map((x) => [x.quintile, x.signposts, x.referrals]), [...want, ['all', 45, 11]]);
        assert.deepEqual(r.body.by_role.map((x) => [x.role, x.signposts, x.referrals]),
                         [['receptionist', 23, 0], ['practice_nurse', 12, 0], ['gp', 10, 11], ['links_worker', 0, 0], ['all', 45, 11]]);
    });

    test('for other roles small counts are hidden and subtraction cannot find them; the rule is stated', async () => {
        for (const who of ['ggc.gp', 'ggc.champion']) {
            const r = await report(who);
            assert.equal(r.status, 200, r.text);
            assert.equal(r.body.suppressed, true);
            assert.match(r.body.disclosure_rule, /1 to 4 are shown as "<5"/);
            const rows = byId(r);
            assert.equal(rows[practices[2].id].signposts.count, '<5');
            assert.equal(rows[practices[2].id].signposts.per_1000, null, 'the rate would give the count away');
            assert.equal(rows[practices[2].id].signposts.position, null);
            // one small count and the total shown: the next smallest (12) is hidden too
            assert.equal(rows[practices[1].id].signposts.count, '*');
            assert.equal(rows[practices[0].id].signposts.count, 30);
            assert.equal(r.body.measures.signposts.total, 45);
            assert.equal(rows[practices[0].id].referrals.count, '<5');
            assert.equal(rows[practices[1].id].referrals.count, '*');
            for (const m of ['signposts', 'referrals']) {
                const hidden = r.body.practices.filter((p) => typeof p[m].count === 'string').length;
                assert.ok(typeof r.body.measures[m].total === 'string' || hidden !== 1, `${m}: one hidden count and the total shown`);
                const shownSum = r.body.practices.reduce((s, p) => s + (typeof p[m].count === 'number' ? p[m].count : 0), 0);
                if (hidden > 0 && typeof r.body.measures[m].total === 'number')
                    assert.ok(r.body.measures[m].total - shownSum >= 5, 'what is hidden adds up to 5 or more');
            }
            // the same in the breakdowns whose rows add up to their total (the "all" row)
            for (const [table, key] of [['by_role', 'role'], ['by_simd_quintile', 'quintile']])
                for (const m of ['signposts', 'referrals']) {
                    const cells = r.body[table].filter((x) => x[key] !== 'all'), all = r.body[table].find((x) => x[key] === 'all')[m];
                    const hiddenCells = cells.filter((x) => typeof x[m] === 'string');
                    const shownSum = cells.reduce((s, x) => s + (typeof x[m] === 'number' ? x[m] : 0), 0);
                    if (hiddenCells.length > 0 && typeof all === 'number') {
                        assert.ok(hiddenCells.length >= 2, `${table} ${m}: one hidden with the total shown`);
                        assert.ok(all - shownSum >= 5, `${table} ${m}: what is hidden (${all - shownSum}) adds up to 5 or more`);
                    }
                }
            const roles = Object.fromEntries(r.body.by_role.map((x) => [x.role, x]));
            assert.equal(roles.links_worker.signposts, 0, 'zeros are shown');
            assert.equal(roles.gp.referrals, 11);
        }
    });

    test('CSV export: suppressed even for the administrator, the rule in its last row; by format or by Accept', async () => {
        for (const [query, headers] of [[`${PERIOD}&format=csv`, undefined], [PERIOD, { Accept: 'text/csv' }]]) {
            const r = await report('ggc.board_admin', query, 'ggc', headers);
            assert.equal(r.status, 200, r.text);
            assert.match(r.headers.get('content-type'), /^text\/csv/);
            assert.equal(r.headers.get('content-disposition'), `attachment; filename="ggc-practices-${DAY}-to-${DAY}.csv"`);
            const lines = r.text.trim().split('\r\n');
            assert.equal(lines[0], '"practice_code","practice_name","list_size","signposts","signposts_per_1000","signposts_position","referrals","referrals_per_1000","referrals_position"');
            const third = lines.find((l) => l.includes(`"${practices[2].name.replace(/"/g, '""')}"`));
            assert.match(third, /,"<5","","",/);
            assert.match(lines.at(-2), /^"","All practices","\d+","45",/);
            assert.ok(lines.at(-1).includes(`Period ${DAY} to ${DAY}. Counts from 1 to 4 are shown as ""<5""`), lines.at(-1));
            const dataRows = sql(`SELECT count(*)::int AS n FROM practice p JOIN board b ON b.id = p.board_id WHERE b.slug = 'ggc'`)[0].n;
            assert.equal(lines.length, dataRows + 3);
        }
    });

    test('each board sees only its own practices; receptionists see no reports', async () => {
        const ggc = await report('ggc.board_admin');
        const mine = sql(`SELECT p.id FROM practice p JOIN board b ON b.id = p.board_id WHERE b.slug = 'ggc'`).map((p) => p.id).sort();
        assert.deepEqual(ggc.body.practices.map((p) => p.id).sort(), mine);
        const fife = await report('fife.board_admin', PERIOD, 'fife');
        assert.equal(fife.status, 200, fife.text);
        assert.ok(fife.body.practices.every((p) => !mine.includes(p.id)));
        assert.equal(fife.body.measures.signposts.total, 0, 'Glasgow\'s signposts are not Fife\'s');
        const cross = await report('fife.board_admin', PERIOD, 'ggc');
        assert.ok([403, 404].includes(cross.status), cross.text);
        assert.equal((await report('ggc.receptionist')).status, 403);
        // a board's reports are its own people's: the deployment's administrators have none (docs/PERMISSIONS.md)
        assert.equal((await sessions.system.get(REPORT, `/api/v1/boards/ggc/reports/practices?${PERIOD}`)).status, 403);
    });

    test('bad parameters are a 400 naming them', async () => {
        for (const [query, field] of [['from=2024-13-01&to=2024-03-31', 'from'], ['from=2024-03-31&to=2024-03-01', 'to'],
                                      ['from=2024-03-01', 'to'], ['to=2024-03-01', 'from'], ['from=2024-02-30&to=2024-03-01', 'from'], [`${PERIOD}&format=xml`, 'format'],
                                      [`${PERIOD}&practice=x`, 'practice'], ['from=yesterday&to=today', 'from']]) {
            const r = await report('ggc.board_admin', query);
            assert.equal(r.status, 400, `${query}: ${r.text}`);
            assert.ok(r.body.errors.some((e) => e.field === field), `${query}: ${r.text}`);
        }
        const dflt = await report('ggc.board_admin', '');
        assert.equal(dflt.status, 200);
        assert.match(dflt.body.to, /^\d{4}-\d{2}-\d{2}$/);
    });
});
