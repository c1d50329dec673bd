// 89-outcomes: the outcomes report — what happened to the referrals made
// in a period. Twelve referrals with a known history are written by SQL on
// a random past day of their own; every figure expected here is worked out
// by hand from that history (written beside each), and the disclosure
// rule is checked on the same figures for a role outside the board's
// administrators.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';

import { waitForStack } from './lib/api.mjs';
import { lit, psql, sqlOne } from './lib/db.mjs';
import { signInDemo } from './lib/staff.mjs';

const REPORT = '/api/v1/boards/{board}/reports/outcomes';
const DAY = new Date(Date.UTC(2001, 0, 1) + Math.floor(Math.random() * 8000) * 86400e3).toISOString().slice(0, 10);
const sessions = {};
let practice;
let otherPractice;

const report = (who, query = `from=${DAY}&to=${DAY}`, board = 'ggc') =>
    sessions[who].get(REPORT, `/api/v1/boards/${board}/reports/outcomes?${query}`);

// Referral i's history (days after it was made, 09:00 on DAY):
//   0..7 contacted after 1, 2, 2, 3, 3, 4, 5, 10 days; 0..4 then engaged;
//   0, 1, 2 closed completed; 5, 6 closed did not engage; 7 closed declined;
//   3, 4 still engaged; 8, 9 never contacted; 10 on a waiting list still;
//   11 on a waiting list, off it (received) after 7 days.
// SWEMWBS at first contact 20 + i, at closing 20 + i + change, change for
//   0..5 = 2, 3, 1, 4, 0, 2. ONS4 for the same six: 0..3 from low to high
//   (anxiety high to low: all improved), 4, 5 medium both times (same).
const CONTACT_DAYS = [1, 2, 2, 3, 3, 4, 5, 10];
const CHANGES = [2, 3, 1, 4, 0, 2];

function fixture(practiceId, referrerId, patientId) {
    psql(['-v', 'ON_ERROR_STOP=1', '-c', `DO $$
DECLARE
    made timestamptz := ${lit(`${DAY} 09:00:00+00`)};
    contact_days int[] := ARRAY[${CONTACT_DAYS.join(',')}];
    changes numeric[] := ARRAY[${CHANGES.join(',')}];
    closing text[] := ARRAY['completed', 'completed', 'completed', NULL, NULL, 'did_not_engage', 'did_not_engage', 'declined'];
    board smallint := (SELECT board_id FROM practice WHERE id = ${lit(practiceId)});
    rid uuid;
    status text;
BEGIN
    FOR i IN 0..11 LOOP
        status := CASE WHEN i IN (0, 1, 2, 5, 6, 7) THEN 'closed' WHEN i IN (3, 4) THEN 'engaged'
                       WHEN i = 10 THEN 'waiting' ELSE 'received' END;
        INSERT INTO referral (board_id, patient_id, practice_id, referrer_id, links_worker, route, route_reason, decided_by,
                              reason, consent_recorded_by, status, closing_reason, idempotency_key, request_hash, created_at)
        VALUES (board, ${lit(patientId)}, ${lit(practiceId)}, ${lit(referrerId)}, true, 'links_worker', 'outcomes test', 'core',
                'outcomes test', ${lit(referrerId)}, status, CASE WHEN i < 8 THEN closing[i + 1] END,
                'outcomes-' || gen_random_uuid(), 'x', made)
        RETURNING id INTO rid;
        INSERT INTO referral_event (board_id, referral_id, actor_id, from_status, to_status, at)
        VALUES (board, rid, ${lit(referrerId)}, NULL, CASE WHEN i IN (10, 11) THEN 'waiting' ELSE 'received' END, made);
        IF i = 11 THEN
            INSERT INTO referral_event (board_id, referral_id, actor_id, from_status, to_status, at)
            VALUES (board, rid, ${lit(referrerId)}, 'waiting', 'received', made + interval '7 days');
        END IF;
        IF i < 8 THEN
            INSERT INTO referral_event (board_id, referral_id, actor_id, from_status, to_status, at)
            VALUES (board, rid, ${lit(referrerId)}, 'received', 'contacted', made + contact_days[i + 1] * interval '1 day');
        END IF;
        IF i < 5 THEN
            INSERT INTO referral_event (board_id, referral_id, actor_id, from_status, to_status, at)
            VALUES (board, rid, ${lit(referrerId)}, 'contacted', 'engaged', made + interval '20 days');
        END IF;
        IF i < 6 THEN
            INSERT INTO wellbeing_measure (board_id, referral_id, patient_id, stage, measured_on, swemwbs_items, swemwbs_raw,
                                           swemwbs_metric, life_satisfaction, life_satisfaction_band, worthwhile, worthwhile_band,
                                           happiness, happiness_band, anxiety, anxiety_band, recorded_by)
            VALUES (board, rid, ${lit(patientId)}, 'first_contact', made::date, '{3,3,3,3,3,3,3}', 21, 20 + i,
                    CASE WHEN i < 4 THEN 3 ELSE 5 END, CASE WHEN i < 4 THEN 'low' ELSE 'medium' END,
                    CASE WHEN i < 4 THEN 3 ELSE 5 END, CASE WHEN i < 4 THEN 'low' ELSE 'medium' END,
                    CASE WHEN i < 4 THEN 3 ELSE 5 END, CASE WHEN i < 4 THEN 'low' ELSE 'medium' END,
                    CASE WHEN i < 4 THEN 7 ELSE 4 END, CASE WHEN i < 4 THEN 'high' ELSE 'medium' END, ${lit(referrerId)}),
                   (board, rid, ${lit(patientId)}, 'closing', made::date, '{3,3,3,3,3,3,3}', 21, 20 + i + changes[i + 1],
                    CASE WHEN i < 4 THEN 7 ELSE 5 END, CASE WHEN i < 4 THEN 'high' ELSE 'medium' END,
                    CASE WHEN i < 4 THEN 7 ELSE 5 END, CASE WHEN i < 4 THEN 'high' ELSE 'medium' END,
                    CASE WHEN i < 4 THEN 7 ELSE 5 END, CASE WHEN i < 4 THEN 'high' ELSE 'medium' END,
                    CASE WHEN i < 4 THEN 2 ELSE 4 END, CASE WHEN i < 4 THEN 'low' ELSE 'medium' END, ${lit(referrerId)});
        END IF;
    END LOOP;
END $$`]);
}

before(async () => {
    await waitForStack();
    for (const [board, role] of [['ggc', 'board_admin'], ['ggc', 'gp'], ['ggc', 'receptionist'], ['fife', 'board_admin']])
        sessions[`${board}.${role}`] = await signInDemo(board, role);
    const made = await sessions['ggc.gp'].send('POST', '/api/v1/boards/{board}/referrals', '/api/v1/boards/ggc/referrals', {
        links_worker: true, postcode: 'G12 8QQ', chi: '0303031239', name: 'Outcome Fixture', contact_method: 'phone',
        contact_detail: '0141 496 0000', reason: 'outcomes fixture', consent: true,
    }, { headers: { 'Idempotency-Key': `outcomes-fixture-${Date.now()}` } });
    assert.equal(made.status, 201, made.text);
    practice = made.body.practice_id;
    otherPractice = sqlOne(`SELECT p.id FROM practice p JOIN board b ON b.id = p.board_id WHERE b.slug = 'ggc'
                            AND p.id <> ${lit(practice)} LIMIT 1`).id;
    assert.equal(sqlOne(`SELECT count(*)::int AS n FROM referral WHERE created_at >= ${lit(DAY)}::date - 1
                          AND created_at < ${lit(DAY)}::date + 2`).n, 0, 'nothing else was made that day');
    fixture(practice, made.body.referrer.id, made.body.patient.id);
});

describe('the outcomes report', () => {
    test('the board\'s administrator: every figure as worked out by hand', async () => {
        const r = await report('ggc.board_admin');
        assert.equal(r.status, 200, r.text);
        const b = r.body;
        assert.equal(b.suppressed, false);
        assert.equal(b.referrals, 12);
        assert.deepEqual(Object.fromEntries(b.by_status.map((x) => [x.status, x.count])),
                         { received: 3, waiting: 1, contacted: 0, engaged: 2, closed: 6 });   // 8, 9, 11 / 10 / – / 3, 4 / 0-2, 5-7
        assert.equal(b.reached.contacted, 8);
        assert.equal(b.reached.engaged, 5);
        assert.ok(Math.abs(b.reached.engagement_rate - (5 / 12) * 100) < 1e-6);
        assert.ok(Math.abs(b.reached.contact_rate - (8 / 12) * 100) < 1e-6);
        assert.equal(b.first_contact.referrals_contacted, 8);
        assert.equal(b.first_contact.median_days, 3);                                        // 1 2 2 3 | 3 4 5 10
        assert.deepEqual(Object.fromEntries(b.closing_reasons.map((x) => [x.reason, x.count])),
                         { completed: 3, did_not_engage: 2, declined: 1, moved_away: 0, referred_on: 0 });
        assert.deepEqual(b.waiting_list, { joined: 2, still_waiting: 1, median_days_waited: 7 });
        // SWEMWBS changes 2, 3, 1, 4, 0, 2: mean 2; deviations 0, 1, -1, 2, -2, 0, squares 10, sd sqrt(10 / 5) = 1.414214;
        // t(5) = 2.571, half-width 2.571 x 1.414214 / sqrt(6) = 1.484363; means at first contact 20 + 2.5 = 22.5, at closing 24.5
        assert.equal(b.swemwbs.pairs, 6);
        assert.ok(Math.abs(b.swemwbs.mean_change - 2) < 1e-9);
        assert.ok(Math.abs(b.swemwbs.mean_first - 22.5) < 1e-9);
        assert.ok(Math.abs(b.swemwbs.mean_closing - 24.5) < 1e-9);
        assert.ok(Math.abs(b.swemwbs.ci_lower - 0.515637) < 1e-5, `${b.swemwbs.ci_lower}`);
        assert.ok(Math.abs(b.swemwbs.ci_upper - 3.484363) < 1e-5, `${b.swemwbs.ci_upper}`);
        for (const item of b.ons4)
            assert.deepEqual(item, { item: item.item, pairs: 6, improved: 4, same: 2, worse: 0 }, item.item);
    });

    test('a GP: small counts hidden by the rule, rates and medians from fewer than 5 not shown', async () => {
        const r = await report('ggc.gp');
        assert.equal(r.status, 200, r.text);
        const b = r.body;
        assert.equal(b.suppressed, true);
        assert.match(b.disclosure_rule, /1 to 4/);
        assert.equal(b.referrals, 12);
        assert.deepEqual(Object.fromEntries(b.by_status.map((x) => [x.status, x.count])),
                         { received: '<5', waiting: '<5', contacted: 0, engaged: '<5', closed: 6 });
        assert.deepEqual(Object.fromEntries(b.closing_reasons.map((x) => [x.reason, x.count])),
                         { completed: '<5', did_not_engage: '<5', declined: '<5', moved_away: 0, referred_on: 0 });
        assert.equal(b.reached.contact_rate, null, '4 not contacted: the rate would give it away');
        assert.equal(b.reached.contacted, '*', '8 of 12 contacted would give away the 4 not contacted');
        assert.equal(b.reached.engaged, 5, '5 engaged, 7 not: nothing small');
        assert.ok(Math.abs(b.reached.engagement_rate - (5 / 12) * 100) < 1e-6, '5 engaged, 7 not: shown');
        assert.equal(b.first_contact.median_days, 3);
        assert.deepEqual(b.waiting_list, { joined: '<5', still_waiting: '<5', median_days_waited: null });
        assert.equal(b.swemwbs.pairs, 6);
        assert.ok(b.ons4.every((x) => x.improved === '<5' && x.same === '<5' && x.worse === 0 && x.pairs === 6));
        for (const table of [b.by_status, b.closing_reasons])
            assert.notEqual(table.filter((x) => typeof x.count === 'string').length, 1, 'never exactly one hidden with the total shown');
    });

    test('one practice at a time; CSV; another board and receptionists see nothing of it', async () => {
        const mine = await report('ggc.board_admin', `from=${DAY}&to=${DAY}&practice=${practice}`);
        assert.equal(mine.body.referrals, 12);
        assert.equal(mine.body.practice, practice);
        const other = await report('ggc.board_admin', `from=${DAY}&to=${DAY}&practice=${otherPractice}`);
        assert.equal(other.body.referrals, 0);
        assert.equal(other.body.swemwbs.mean_change, null);
        const csv = await report('ggc.board_admin', `from=${DAY}&to=${DAY}&format=csv`);
        assert.equal(csv.status, 200);
        assert.match(csv.headers.get('content-type'), /^text\/csv/);
        const lines = csv.text.trim().split('\r\n');
        assert.equal(lines[0], '"section","measure","value"');
        assert.ok(lines.includes('"closing_reasons","completed count","<5"'), 'the export hides small counts, even for the administrator');
        assert.ok(lines.includes('"report","referrals","12"'));
        assert.match(lines.at(-1), /^"note","disclosure","Counts from 1 to 4/);
        const fife = await report('fife.board_admin', `from=${DAY}&to=${DAY}`, 'fife');
        assert.equal(fife.body.referrals, 0, 'Glasgow\'s referrals are not Fife\'s');
        assert.ok([403, 404].includes((await report('fife.board_admin', `from=${DAY}&to=${DAY}`, 'ggc')).status));
        assert.equal((await report('ggc.receptionist')).status, 403);
        for (const [q, field] of [['practice=nope', 'practice'], [`from=${DAY}`, 'to'], ['colour=red', 'colour']]) {
            const bad = await report('ggc.board_admin', q);
            assert.equal(bad.status, 400, bad.text);
            assert.equal(bad.body.errors[0].field, field);
        }
    });
});
