// 91-report-summaries: the practices report reads whole months from the
// monthly summaries (schema 0016, built by `linksctl report-summaries`)
// and the rest of its period from the tables, and gives the same figures
// either way; withdrawing a signpost after its month was summarised still
// takes it out; the breakdown by category of need counts a signpost under
// its category's top-level category (a service's under each of its own),
// a referral once under each top-level category its needs name. Counts
// are made here by SQL in a month of their own (chosen at random, so the
// file can run again on the same database) and checked against figures
// worked out in this file. Also: referral_progress, which the outcomes
// report reads, agrees with the referrals' histories and measures.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { before, describe, test } from 'node:test';

import { parseCsv } from './lib/csv.mjs';
import { env } from './lib/env.mjs';
import { lit, psql, sql, sqlOne } from './lib/db.mjs';
import { signInDemo } from './lib/staff.mjs';

const REPORT = '/api/v1/boards/{board}/reports/practices';
// a summer month (British Summer Time: London days and months start an
// hour before UTC's) between 2002 and 2022 (its first day), with a part of
// the month before and of the month after in the period
const MONTH = new Date(Date.UTC(2002 + Math.floor(Math.random() * 20), 4 + Math.floor(Math.random() * 4), 1));
const day = (monthOffset, dayOfMonth) =>
    new Date(Date.UTC(MONTH.getUTCFullYear(), MONTH.getUTCMonth() + monthOffset, dayOfMonth)).toISOString().slice(0, 10);
const FROM = day(-1, 10), TO = day(1, 5);
const PERIOD = `from=${FROM}&to=${TO}`;
let admin, practices, staff, tops, service;

function linksctl(args) {
    const r = spawnSync(`${env.build}/linksctl`,
                        ['-d', `host=${env.run}/pgsock port=${env.pgPort} dbname=links user=links_owner`, '-s', env.src, ...args],
                        { encoding: 'utf8', timeout: 120000 });
    assert.equal(r.status, 0, r.stderr);
    return r.stdout;
}

/** `n` signposts at `time` (noon by default) on `date` in London, by SQL. */
function signposts(date, practice, staffId, n, subject, time = '12:00') {
    const [category, serviceId, linksWorker] = subject.category ? [lit(subject.category), 'NULL', 'false']
        : subject.service ? ['NULL', lit(subject.service), 'false'] : ['NULL', 'NULL', 'true'];
    psql(['-c', `INSERT INTO signpost (board_id, at, staff_id, practice_id, category_id, service_id, links_worker)
                 SELECT p.board_id, (${lit(date)}::date + ${lit(time)}::time) AT TIME ZONE 'Europe/London', ${lit(staffId)}, p.id,
                        ${category}, ${serviceId}, ${linksWorker}
                   FROM practice p, generate_series(1, ${n}) WHERE p.id = ${lit(practice)}`]);
}

/** `n` referrals at noon on `date`, copies of a fixture referral with these needs. */
function referrals(date, practice, template, n, needs) {
    psql(['-c', `INSERT INTO referral (board_id, patient_id, practice_id, referrer_id, links_worker, route, route_reason,
                                       decided_by, reason, needs, consent_recorded_by, status, idempotency_key, request_hash, created_at)
                 SELECT r.board_id, r.patient_id, ${lit(practice)}, r.referrer_id, true, 'links_worker', 'summary test', 'core',
                        'summary test', ${lit(`{${needs.join(',')}}`)}::text[], r.consent_recorded_by, 'received',
                        'summary-' || gen_random_uuid(), 'x', (${lit(date)}::date + time '12:00') AT TIME ZONE 'Europe/London'
                   FROM referral r, generate_series(1, ${n}) WHERE r.id = ${lit(template)}`]);
}

const report = async () => {
    const r = await admin.get(REPORT, `/api/v1/boards/ggc/reports/practices?${PERIOD}`);
    assert.equal(r.status, 200, r.text);
    return r.body;
};
const need = (body, key) => body.by_need.find((row) => row.need === key);
const practiceRow = (body, id) => body.practices.find((p) => p.id === id);

before(async () => {
    admin = await signInDemo('ggc', 'board_admin');
    const empty = sqlOne(`SELECT (SELECT count(*) FROM signpost WHERE at >= ${lit(day(-1, 1))}::date AND at < ${lit(day(2, 1))}::date)
                               + (SELECT count(*) FROM referral WHERE created_at >= ${lit(day(-1, 1))}::date
                                                                  AND created_at < ${lit(day(2, 1))}::date) AS n`);
    assert.equal(Number(empty.n), 0, 'nothing else was made in these months');
    practices = sql(`SELECT p.id FROM practice p JOIN board b ON b.id = p.board_id WHERE b.slug = 'ggc' AND p.list_size > 0
                      ORDER BY p.list_size DESC LIMIT 2`).map((p) => p.id);
    staff = Object.fromEntries(sql(`SELECT username, id FROM staff WHERE username IN ('ggc.receptionist', 'ggc.gp', 'ggc.nurse')`)
        .map((s) => [s.username, s.id]));
    // two top-level categories, each with two categories below it
    tops = sql(`SELECT t.slug, t.id, array_agg(c.id ORDER BY c.slug) AS children, array_agg(c.slug ORDER BY c.slug) AS child_slugs
                  FROM category t JOIN category c ON c.parent_id = t.id WHERE t.parent_id IS NULL
                 GROUP BY t.slug, t.id HAVING count(*) >= 2 ORDER BY t.slug LIMIT 2`);
    assert.equal(tops.length, 2);
    // a Glasgow service filed under categories of two top-level categories
    service = sqlOne(`SELECT s.id, array_agg(t.slug ORDER BY t.slug) AS tops FROM service s
                        JOIN category t ON t.parent_id IS NULL AND t.id = ANY (s.category_lineage)
                       WHERE s.board_id = 1 GROUP BY s.id HAVING count(*) = 2 ORDER BY s.id LIMIT 1`);
    assert.ok(service, 'a demo service under two top-level categories');

    const [a, b] = tops;
    // the whole month: 7 under A by the receptionist (and a slip withdrawn
    // before the summaries are built), 3 to the two-category service by the
    // GP, 2 to the links worker by the nurse
    signposts(day(0, 3), practices[0], staff['ggc.receptionist'], 7, { category: a.children[0] });
    signposts(day(0, 4), practices[0], staff['ggc.receptionist'], 1, { category: a.children[1] });
    psql(['-c', `UPDATE signpost SET withdrawn_at = at + interval '5 minutes', withdrawn_by = staff_id
                  WHERE practice_id = ${lit(practices[0])} AND category_id = ${lit(a.children[1])}
                    AND at >= ${lit(day(0, 4))}::date AND at < ${lit(day(0, 5))}::date`]);
    signposts(day(0, 15), practices[1], staff['ggc.gp'], 3, { service: service.id });
    signposts(day(0, 28), practices[1], staff['ggc.nurse'], 2, {});
    // the part months: 4 on the 20th of the month before, 2 on the 2nd of the month after
    signposts(day(-1, 20), practices[0], staff['ggc.receptionist'], 4, { category: a.children[0] });
    signposts(day(1, 2), practices[0], staff['ggc.receptionist'], 2, { category: a.children[1] });
    // at the months' edges in London time (the evening before in UTC): half
    // past midnight on the 1st of the month and of the month after
    signposts(day(0, 1), practices[0], staff['ggc.receptionist'], 1, { category: a.children[0] }, '00:30');
    signposts(day(1, 1), practices[0], staff['ggc.receptionist'], 1, { category: a.children[0] }, '00:30');
    // outside the period: the 5th of the month before, the 10th of the month after
    signposts(day(-1, 5), practices[0], staff['ggc.receptionist'], 5, { category: a.children[0] });
    signposts(day(1, 10), practices[1], staff['ggc.gp'], 5, { category: b.children[0] });

    const made = await (await signInDemo('ggc', 'gp')).send('POST', '/api/v1/boards/{board}/referrals', '/api/v1/boards/ggc/referrals', {
        links_worker: true, postcode: 'G12 8QQ', chi: '0202021238', name: 'Report Fixture', contact_method: 'phone',
        contact_detail: '0141 496 0000', reason: 'report fixture', consent: true,
    }, { headers: { 'Idempotency-Key': `summary-fixture-${Date.now()}` } });
    assert.equal(made.status, 201, made.text);
    // 3 naming two needs under A and one under B; 2 naming none; 1 in the part month after, under B
    referrals(day(0, 9), practices[0], made.body.id, 3, [a.child_slugs[0], a.child_slugs[1], b.child_slugs[0]]);
    referrals(day(0, 10), practices[1], made.body.id, 2, []);
    referrals(day(1, 1), practices[1], made.body.id, 1, [b.child_slugs[1]]);
    referrals(day(1, 20), practices[1], made.body.id, 4, [b.child_slugs[1]]);       // after the period
});

/** The figures worked out by hand from what before() made. */
function checkFigures(body, { withdrawnLater = 0 } = {}) {
    const [a, b] = tops;
    const underA = 7 + 4 + 2 + 2 - withdrawnLater;
    assert.equal(body.measures.signposts.total, underA + 3 + 2);
    assert.equal(body.measures.referrals.total, 3 + 2 + 1);
    assert.equal(practiceRow(body, practices[0]).signposts.count, underA);
    assert.equal(practiceRow(body, practices[1]).signposts.count, 5);
    assert.equal(practiceRow(body, practices[0]).referrals.count, 3);
    assert.equal(practiceRow(body, practices[1]).referrals.count, 3);
    const role = Object.fromEntries(body.by_role.map((r) => [r.role, r.signposts]));
    assert.deepEqual(role, { receptionist: underA, practice_nurse: 2, gp: 3, links_worker: 0, all: underA + 5 });
    // a service signpost counts under each of its top-level categories
    const expectSignposts = { [a.slug]: underA, [b.slug]: 0 };
    for (const top of service.tops)
        expectSignposts[top] = (expectSignposts[top] ?? 0) + 3;
    for (const [slug, n] of Object.entries(expectSignposts))
        assert.equal(need(body, slug).signposts, n, `signposts under ${slug}`);
    assert.equal(need(body, 'links_worker').signposts, 2);
    // a referral naming two needs under A counts once under A
    assert.equal(need(body, a.slug).referrals, 3);
    assert.equal(need(body, b.slug).referrals, 3 + 1);
    assert.equal(need(body, 'none').referrals, 2);
    assert.equal(need(body, 'all').referrals, 6, 'the total is of referrals, not of the rows above it');
}

describe('monthly report summaries', () => {
    test('the report is the same counted from the tables and from the summaries, and matches the figures worked out here', async () => {
        psql(['-c', 'DELETE FROM report_summary']);
        const fromTables = await report();
        checkFigures(fromTables);
        const out = linksctl(['report-summaries']);
        assert.match(out, /ggc\s+months before \d{4}-\d{2}-01: \d+ signposts, \d+ referrals summarised/);
        // the month is summarised (every signpost, the withdrawn one too), the part months are not
        const summarised = sqlOne(`SELECT coalesce(sum(n), 0)::int AS n FROM report_signpost_month
                                    WHERE month = ${lit(day(0, 1))} AND practice_id IN (${practices.map(lit).join(', ')})`);
        assert.equal(summarised.n, 7 + 1 + 1 + 3 + 2, 'the month\'s signposts, the withdrawn slip and 00:30 on the 1st too');
        assert.equal(Number(sqlOne(`SELECT count(*) AS n FROM report_signpost_month WHERE month = ${lit(day(-1, 1))}
                                      AND practice_id IN (${practices.map(lit).join(', ')})`).n) > 0, true,
                     'the month before is summarised too, and the report must not count all of it');
        const fromSummaries = await report();
        assert.deepEqual(fromSummaries, fromTables);
        // the whole month alone (from its 1st to its last day): its summary and nothing else
        const last = day(1, 0);
        const month = await admin.get(REPORT, `/api/v1/boards/ggc/reports/practices?from=${day(0, 1)}&to=${last}`);
        assert.equal(month.status, 200, month.text);
        assert.equal(month.body.measures.signposts.total, 7 + 1 + 3 + 2, 'the 1st at 00:30 counts in its own month');
        assert.equal(month.body.measures.referrals.total, 3 + 2);
    });

    test('the report reads the whole month from its summary', async () => {
        const bump = `UPDATE report_signpost_month SET n = n + 1000 WHERE month = ${lit(day(0, 1))} AND practice_id = ${lit(practices[1])}
                        AND staff_id = ${lit(staff['ggc.gp'])}`;
        psql(['-c', bump]);
        try {
            const body = await report();
            assert.equal(practiceRow(body, practices[1]).signposts.count, 5 + 1000);
        } finally {
            linksctl(['report-summaries']);
        }
        checkFigures(await report());
    });

    test('a signpost withdrawn after its month was summarised no longer counts', async () => {
        const [a] = tops;
        psql(['-c', `UPDATE signpost SET withdrawn_at = now(), withdrawn_by = staff_id
                      WHERE id = (SELECT id FROM signpost WHERE practice_id = ${lit(practices[0])} AND category_id = ${lit(a.children[0])}
                                     AND withdrawn_at IS NULL AND at >= ${lit(day(0, 3))}::date AND at < ${lit(day(0, 4))}::date LIMIT 1)`]);
        checkFigures(await report(), { withdrawnLater: 1 });
        linksctl(['report-summaries']);
        checkFigures(await report(), { withdrawnLater: 1 });
    });
});

describe('a breakdown as CSV', () => {
    test('each breakdown downloads on its own, under the rule, as a GP sees it', async () => {
        const gp = await signInDemo('ggc', 'gp');
        const json = (await gp.get(REPORT, `/api/v1/boards/ggc/reports/practices?${PERIOD}`)).body;
        assert.equal(json.suppressed, true);
        for (const [breakdown, member, labelled] of [['role', 'by_role', false], ['quintile', 'by_simd_quintile', false],
                                                     ['need', 'by_need', true]]) {
            const r = await admin.get(REPORT, `/api/v1/boards/ggc/reports/practices?${PERIOD}&format=csv&breakdown=${breakdown}`);
            assert.equal(r.status, 200, r.text);
            assert.match(r.headers.get('content-disposition'), new RegExp(`ggc-practices-by-${breakdown}-${FROM}-to-${TO}\\.csv`));
            assert.equal(r.text.split('\r\n')[0], [breakdown, ...(labelled ? ['name'] : []), 'signposts', 'referrals']
                .map((h) => `"${h}"`).join(','));
            const rows = parseCsv(r.text);
            const note = rows.pop();
            assert.deepEqual(rows.map((x) => [x[breakdown], x.signposts, x.referrals]),
                             json[member].map((x) => [x[breakdown], String(x.signposts), String(x.referrals)]),
                             `${breakdown}: the export hides what the GP's report hides`);
            assert.equal(note[breakdown], 'note');
            assert.match(note.referrals, /Counts from 1 to 4/);
        }
        for (const query of ['format=csv&breakdown=colour', 'breakdown=need']) {
            const r = await admin.get(REPORT, `/api/v1/boards/ggc/reports/practices?${PERIOD}&${query}`);
            assert.equal(r.status, 400, query);
            assert.ok(r.body.errors.some((e) => e.field === 'breakdown'), r.text);
        }
    });
});

describe('referral progress', () => {
    test('agrees with every referral\'s history and latest measures', () => {
        const events = sqlOne(`
            WITH e AS (SELECT referral_id, min(at) FILTER (WHERE to_status = 'contacted') AS first_contact,
                              bool_or(to_status = 'engaged') AS engaged, bool_or(to_status = 'waiting') AS waited,
                              min(at) FILTER (WHERE from_status = 'waiting' AND to_status <> 'waiting') AS left_waiting
                         FROM referral_event GROUP BY 1)
            SELECT count(*) AS referrals,
                   count(*) FILTER (WHERE (e.first_contact, e.engaged, e.waited, e.left_waiting)
                                          IS DISTINCT FROM (p.first_contact_at, coalesce(p.engaged, false),
                                                            coalesce(p.waited, false), p.left_waiting_at)) AS differ
              FROM e LEFT JOIN referral_progress p ON p.referral_id = e.referral_id`);
        assert.ok(Number(events.referrals) > 0);
        assert.equal(Number(events.differ), 0);
        const measures = sqlOne(`
            WITH latest AS (SELECT DISTINCT ON (referral_id, stage, scale) referral_id, stage, scale, metric, bands
                              FROM (SELECT w.id, w.referral_id, w.stage, 'swemwbs' AS scale, w.swemwbs_metric AS metric, NULL::text[] AS bands
                                      FROM wellbeing_measure w WHERE w.swemwbs_raw IS NOT NULL
                                    UNION ALL
                                    SELECT w.id, w.referral_id, w.stage, 'ons4', NULL,
                                           ARRAY[w.life_satisfaction_band, w.worthwhile_band, w.happiness_band, w.anxiety_band]
                                      FROM wellbeing_measure w WHERE w.life_satisfaction IS NOT NULL) m
                             ORDER BY referral_id, stage, scale, id DESC)
            SELECT count(*) AS measures,
                   count(*) FILTER (WHERE (l.metric, l.bands) IS DISTINCT FROM
                       (CASE WHEN l.scale = 'swemwbs' THEN CASE l.stage WHEN 'first_contact' THEN p.first_swemwbs ELSE p.closing_swemwbs END END,
                        CASE WHEN l.scale = 'ons4' THEN CASE l.stage WHEN 'first_contact' THEN p.first_ons4 ELSE p.closing_ons4 END END)) AS differ
              FROM latest l LEFT JOIN referral_progress p ON p.referral_id = l.referral_id`);
        assert.ok(Number(measures.measures) > 0, 'earlier tests recorded wellbeing measures');
        assert.equal(Number(measures.differ), 0);
    });
});
