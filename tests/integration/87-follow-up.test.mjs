// 87-follow-up: what a links worker records after a referral arrives —
// contacts (reached or not), follow-up dates, wellbeing at first contact
// and at closing (SWEMWBS metric scores and ONS4 bands checked against the
// published tables in schema/data, not against the code), and referrals
// on to other services, routed by each board's rules for referrals on.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { before, describe, test } from 'node:test';

import { T, waitForStack } from './lib/api.mjs';
import { lit, psql, sql, sqlOne } from './lib/db.mjs';
import { env } from './lib/env.mjs';
import { auditRows, signInDemo } from './lib/staff.mjs';

const sessions = {};
let today;          // YYYY-MM-DD where the staff work
let serial = 100;

/** A valid CHI number (modulus 11) for a date of birth; each call a new patient. */
function chi(ddmmyy = '150680') {
    for (;;) {
        serial += 1;
        const nine = `${ddmmyy}${String(serial % 1000).padStart(3, '0')}`;
        const check = (11 - ([...nine].reduce((acc, d, i) => acc + Number(d) * (10 - i), 0) % 11)) % 11;
        if (check !== 10)
            return `${nine}${check}`;
    }
}

const day = (offset) => sqlOne(`SELECT to_char((now() AT TIME ZONE 'Europe/London')::date + ${Number(offset)}, 'YYYY-MM-DD') AS d`).d;

/** A referral to the links worker, made by the board's GP. */
async function referral(board = 'ggc', extra = {}) {
    const r = await sessions[`${board}.gp`].send('POST', T.referrals, `/api/v1/boards/${board}/referrals`, {
        links_worker: true, postcode: board === 'ggc' ? 'G12 8QQ' : 'KY1 1AB', chi: chi(), name: 'Sam Follow',
        contact_method: 'phone', contact_detail: '0141 496 0001', reason: 'Low mood since retiring', consent: true, ...extra,
    }, { headers: { 'Idempotency-Key': randomUUID() } });
    assert.equal(r.status, 201, r.text);
    return r.body;
}

const post = (who, template, id, suffix, payload, board = 'ggc', headers = {}) =>
    sessions[who].send('POST', template, `/api/v1/boards/${board}/referrals/${id}/${suffix}`, payload, { headers });
const contact = (id, payload, who = 'ggc.links_worker') => post(who, T.referralContacts, id, 'contacts', payload);
const followUp = (id, payload, who = 'ggc.links_worker') => post(who, T.referralFollowUp, id, 'follow-up', payload);
const wellbeing = (id, payload, who = 'ggc.links_worker', board = 'ggc') => post(who, T.referralWellbeing, id, 'wellbeing', payload, board);
const referOn = (id, payload, { who = 'ggc.links_worker', board = 'ggc', key = randomUUID() } = {}) =>
    post(who, T.referOn, id, 'refer-on', payload, board, { 'Idempotency-Key': key });

const writes = () => sqlOne(`SELECT (SELECT count(*) FROM referral_contact)::int AS contacts,
                                    (SELECT count(*) FROM wellbeing_measure)::int AS measures,
                                    (SELECT count(*) FROM referral_event)::int AS events,
                                    (SELECT count(*) FROM referral)::int AS referrals`);

/** The published SWEMWBS conversion: raw score → metric score. */
function swemwbsTable() {
    const text = readFileSync(path.join(env.src, 'schema/data/swemwbs_raw_to_metric.csv'), 'utf8');
    const [header, ...rows] = text.trim().split(/\r?\n/).map((l) => l.trim().split(','));
    const raw = header.indexOf('raw_score'), metric = header.indexOf('metric_score');
    assert.ok(raw >= 0 && metric >= 0, `columns of the conversion table: ${header}`);
    return new Map(rows.map((r) => [Number(r[raw]), Number(r[metric])]));
}

/** The ONS bands of an item from ons4_questions.csv ("low 0-4; medium 5-6; ..."). */
function onsBand(item, score) {
    const lines = readFileSync(path.join(env.src, 'schema/data/ons4_questions.csv'), 'utf8').trim().split(/\r?\n/).map((l) => l.trim());
    const line = lines.find((l) => l.startsWith(`${item},`));
    const bands = line.slice(line.lastIndexOf('"', line.length - 2) + 1, -1);
    for (const part of bands.split(';')) {
        const m = part.trim().match(/^([a-z ]+?) (\d+)-(\d+)/);
        if (m && score >= Number(m[2]) && score <= Number(m[3]))
            return m[1];
    }
    throw new Error(`no band for ${item} ${score} in "${bands}"`);
}

before(async () => {
    await waitForStack();
    for (const [board, role] of [['ggc', 'gp'], ['ggc', 'links_worker'], ['ggc', 'receptionist'], ['fife', 'gp'], ['fife', 'links_worker']])
        sessions[`${board}.${role}`] = await signInDemo(board, role);
    today = day(0);
});

describe('contacts', () => {
    test('each attempt is logged; the first that reaches the patient makes the referral contacted', async () => {
        const ref = await referral();
        let r = await contact(ref.id, { contacted_on: today, method: 'phone', reached: false, note: 'No answer', follow_up_on: day(2) });
        assert.equal(r.status, 200, r.text);
        assert.equal(r.body.status, 'received', 'an unanswered call is not a contact made');
        assert.equal(r.body.follow_up_on, day(2));
        assert.deepEqual(r.body.contacts.map((c) => [c.on, c.method, c.reached, c.note, c.by]),
                         [[today, 'phone', false, 'No answer', 'Demo Links worker (ggc)']]);
        r = await contact(ref.id, { contacted_on: today, method: 'in_person', reached: true, follow_up_on: null });
        assert.equal(r.status, 200, r.text);
        assert.equal(r.body.status, 'contacted');
        assert.equal(r.body.follow_up_on, null, 'null clears the follow-up');
        assert.deepEqual(r.body.history.map((h) => [h.from, h.to, h.note]).slice(-1), [['received', 'contacted', 'First contact made']]);
        // a later contact leaves the state alone, and the follow-up too when not given
        await followUp(ref.id, { follow_up_on: day(7) });
        r = await contact(ref.id, { contacted_on: day(-1), method: 'text', reached: true });
        assert.equal(r.status, 400, 'a contact cannot come before the referral was made');
        assert.match(r.body.errors[0].message, /since the referral was made/);
        r = await contact(ref.id, { contacted_on: today, method: 'text', reached: true });
        assert.equal(r.status, 200);
        assert.equal(r.body.status, 'contacted');
        assert.equal(r.body.follow_up_on, day(7));
        assert.deepEqual(r.body.contacts.map((c) => c.method), ['phone', 'in_person', 'text'], 'in date order, then as recorded');
        assert.equal(r.body.history.filter((h) => h.to === 'contacted' && h.from === 'received').length, 1);
        const rows = sql(`SELECT contacted_on::text, method, reached FROM referral_contact WHERE referral_id = ${lit(ref.id)} ORDER BY id`);
        assert.deepEqual(rows.map((x) => [x.contacted_on, x.method, x.reached]),
                         [[today, 'phone', false], [today, 'in_person', true], [today, 'text', true]]);
        const audit = auditRows(`a.action = 'referral.contact_recorded' AND a.object_id = ${lit(ref.id)}`);
        assert.equal(audit.length, 3);
        assert.ok(audit.every((a) => !JSON.stringify(a).includes('No answer')), 'notes stay out of the audit log');
    });

    test('bad contacts are a 400 naming the field and write nothing; closed referrals take none', async () => {
        const ref = await referral();
        const good = { contacted_on: today, method: 'phone', reached: true };
        const cases = [
            [{ ...good, contacted_on: day(1) }, 'contacted_on'],
            [{ ...good, contacted_on: day(-800) }, 'contacted_on'],
            [{ ...good, contacted_on: '03/12/2026' }, 'contacted_on'],
            [{ ...good, contacted_on: '2026-02-30' }, 'contacted_on'],
            [{ ...good, contacted_on: undefined }, 'contacted_on'],
            [{ ...good, method: 'pigeon' }, 'method'],
            [{ ...good, reached: 'yes' }, 'reached'],
            [{ ...good, reached: undefined }, 'reached'],
            [{ ...good, note: 'x'.repeat(2001) }, 'note'],
            [{ ...good, follow_up_on: day(-1) }, 'follow_up_on'],
            [{ ...good, follow_up_on: day(400) }, 'follow_up_on'],
            [{ ...good, outcome: 'fine' }, 'outcome'],
        ];
        const before = writes();
        for (const [payload, field] of cases) {
            const r = await contact(ref.id, JSON.parse(JSON.stringify(payload)));
            assert.equal(r.status, 400, `${field}: ${r.text}`);
            assert.ok(r.body.errors.some((e) => e.field === field), `${field}: ${r.text}`);
        }
        assert.deepEqual(writes(), before);
        assert.equal((await contact(randomUUID(), good)).status, 404);
        assert.equal((await contact('not-a-uuid', good)).status, 404);
        assert.equal((await contact(ref.id, good, 'ggc.gp')).status, 403, 'GPs do not run the caseload');
        const lw = sessions['ggc.links_worker'];
        await lw.send('POST', T.referralStatus, `/api/v1/boards/ggc/referrals/${ref.id}/status`, { status: 'closed', closing_reason: 'did_not_engage' });
        const closed = await contact(ref.id, good);
        assert.equal(closed.status, 409, closed.text);
        assert.equal((await followUp(ref.id, { follow_up_on: today })).status, 409);
        assert.equal(sqlOne(`SELECT count(*)::int AS n FROM referral_contact WHERE referral_id = ${lit(ref.id)}`).n, 0);
    });
});

describe('follow-up dates', () => {
    test('a follow-up due today puts the referral first after overdue ones; it can be moved and cleared', async () => {
        const ref = await referral();
        await contact(ref.id, { contacted_on: today, method: 'phone', reached: true });
        let r = await followUp(ref.id, { follow_up_on: today, note: 'Check the walking group went well' });
        assert.equal(r.status, 200, r.text);
        assert.equal(r.body.follow_up_on, today);
        assert.match(r.body.history.at(-1).note, /^Follow-up on [A-Z][a-z]+day [1-9][0-9]? [A-Z][a-z]+ 20[0-9]{2}: Check the walking group went well$/);
        const lw = sessions['ggc.links_worker'];
        let cl = await lw.get(T.caseload, '/api/v1/boards/ggc/caseload');
        let mine = cl.body.referrals.find((x) => x.id === ref.id);
        assert.equal(mine.group, 'follow_up_due');
        assert.equal(mine.follow_up_on, today);
        assert.deepEqual(mine.last_contact, { on: today, method: 'phone', reached: true });
        r = await followUp(ref.id, { follow_up_on: day(3) });
        assert.equal(r.status, 200);
        cl = await lw.get(T.caseload, '/api/v1/boards/ggc/caseload');
        mine = cl.body.referrals.find((x) => x.id === ref.id);
        assert.equal(mine.group, 'active', 'not due yet');
        r = await followUp(ref.id, { follow_up_on: null });
        assert.equal(r.status, 200);
        assert.equal(r.body.follow_up_on, null);
        assert.equal(r.body.history.at(-1).note, 'No follow-up planned');
        const order = ['overdue', 'follow_up_due', 'new', 'active', 'waiting'];
        const ranks = cl.body.referrals.map((x) => order.indexOf(x.group));
        assert.ok(ranks.every((x) => x >= 0));
        assert.deepEqual(ranks, [...ranks].sort((a, b) => a - b), 'grouped in order');
    });

    test('bad follow-ups are a 400 and change nothing', async () => {
        const ref = await referral();
        await followUp(ref.id, { follow_up_on: day(5) });
        for (const [payload, field] of [[{}, 'follow_up_on'], [{ follow_up_on: day(-1) }, 'follow_up_on'],
                                        [{ follow_up_on: 'tomorrow' }, 'follow_up_on'], [{ follow_up_on: 20261203 }, 'follow_up_on'],
                                        [{ follow_up_on: today, note: 'y'.repeat(501) }, 'note']]) {
            const r = await followUp(ref.id, payload);
            assert.equal(r.status, 400, `${JSON.stringify(payload)}: ${r.text}`);
            assert.equal(r.body.errors[0].field, field);
        }
        assert.equal(sqlOne(`SELECT follow_up_on::text AS d FROM referral WHERE id = ${lit(ref.id)}`).d, day(5));
    });
});

describe('wellbeing', () => {
    test('SWEMWBS raw and metric scores, ONS4 bands, and the change from first contact to closing', async () => {
        const ref = await referral();
        const table = swemwbsTable();
        const first = [2, 2, 3, 2, 1, 2, 2];
        const last = [4, 3, 4, 3, 3, 4, 3];
        const sum = (xs) => xs.reduce((a, b) => a + b, 0);
        let r = await wellbeing(ref.id, { stage: 'first_contact', measured_on: today, swemwbs: first,
                                          ons4: { life_satisfaction: 3, worthwhile: 5, happiness: 4, anxiety: 7 } });
        assert.equal(r.status, 200, r.text);
        const f = r.body.wellbeing.first_contact;
        assert.deepEqual(f.swemwbs, { items: first, raw: sum(first), metric: table.get(sum(first)) });
        for (const [item, score] of Object.entries({ life_satisfaction: 3, worthwhile: 5, happiness: 4, anxiety: 7 }))
            assert.deepEqual(f.ons4[item], { score, band: onsBand(item, score) }, item);
        assert.equal(r.body.wellbeing.closing, null);
        assert.equal(r.body.wellbeing.change, null);

        r = await wellbeing(ref.id, { stage: 'closing', measured_on: today, swemwbs: last,
                                      ons4: { life_satisfaction: 6, worthwhile: 7, happiness: 6, anxiety: 3 } });
        assert.equal(r.status, 200, r.text);
        const change = r.body.wellbeing.change;
        assert.ok(Math.abs(change.swemwbs_metric - (table.get(sum(last)) - table.get(sum(first)))) < 0.001,
                  `${change.swemwbs_metric} vs the table`);
        assert.deepEqual({ ...change, swemwbs_metric: undefined },
                         { swemwbs_metric: undefined, life_satisfaction: 3, worthwhile: 2, happiness: 2, anxiety: -4 });
        assert.equal(r.body.wellbeing.closing.ons4.anxiety.band, onsBand('anxiety', 3));

        // a correction of SWEMWBS alone: the latest SWEMWBS counts, the stage's ONS4 stays; both measures are kept
        r = await wellbeing(ref.id, { stage: 'first_contact', measured_on: today, swemwbs: [1, 1, 1, 1, 1, 1, 1] });
        assert.equal(r.status, 200, r.text);
        assert.equal(r.body.wellbeing.first_contact.swemwbs.metric, table.get(7));
        assert.deepEqual(r.body.wellbeing.first_contact.ons4.life_satisfaction, { score: 3, band: onsBand('life_satisfaction', 3) },
                         'the ONS4 scores the correction did not give are still the stage\'s');
        assert.equal(r.body.wellbeing.corrected, 1);
        assert.equal(r.body.wellbeing.change.life_satisfaction, 3);
        assert.ok(Math.abs(r.body.wellbeing.change.swemwbs_metric - (table.get(sum(last)) - table.get(7))) < 0.001);
        assert.equal(sqlOne(`SELECT count(*)::int AS n FROM wellbeing_measure WHERE referral_id = ${lit(ref.id)}`).n, 3);

        const audit = auditRows(`a.action = 'referral.wellbeing_recorded' AND a.object_id = ${lit(ref.id)}`);
        assert.equal(audit.length, 3);
        assert.deepEqual(audit.at(-1).detail, { stage: 'first_contact', swemwbs: true, ons4: true }, 'what was measured, never the scores');
    });

    test('every raw score converts as the published table says', async () => {
        const ref = await referral();
        const table = swemwbsTable();
        assert.equal(table.size, 29);
        for (let raw = 7; raw <= 35; raw++) {
            // seven items summing to raw: as many 5s as fit, the rest spread
            const items = Array(7).fill(1);
            for (let left = raw - 7, i = 0; left > 0; i++) {
                const add = Math.min(4, left);
                items[i] += add;
                left -= add;
            }
            const r = await wellbeing(ref.id, { stage: 'closing', measured_on: today, swemwbs: items });
            assert.equal(r.status, 200, r.text);
            assert.equal(r.body.wellbeing.closing.swemwbs.raw, raw);
            assert.equal(r.body.wellbeing.closing.swemwbs.metric, table.get(raw), `raw ${raw}`);
        }
    });

    test('bad scores are a 400 naming the member and write nothing', async () => {
        const ref = await referral();
        const ok = { stage: 'first_contact', measured_on: today };
        const ons4 = { life_satisfaction: 5, worthwhile: 5, happiness: 5, anxiety: 5 };
        const cases = [
            [{ ...ok }, 'swemwbs'],
            [{ ...ok, swemwbs: [3, 3, 3, 3, 3, 3] }, 'swemwbs'],
            [{ ...ok, swemwbs: [3, 3, 3, 3, 3, 3, 3, 3] }, 'swemwbs'],
            [{ ...ok, swemwbs: [3, 3, 3, 0, 3, 3, 3] }, 'swemwbs'],
            [{ ...ok, swemwbs: [3, 3, 3, 6, 3, 3, 3] }, 'swemwbs'],
            [{ ...ok, swemwbs: [3, 3, 3, 2.5, 3, 3, 3] }, 'swemwbs'],
            [{ ...ok, swemwbs: '3333333' }, 'swemwbs'],
            [{ ...ok, ons4: { ...ons4, anxiety: undefined } }, 'ons4'],
            [{ ...ok, ons4: { ...ons4, happiness: 11 } }, 'ons4'],
            [{ ...ok, ons4: { ...ons4, happiness: -1 } }, 'ons4'],
            [{ ...ok, ons4: { ...ons4, mood: 4 } }, 'ons4'],
            [{ ...ok, ons4: [5, 5, 5, 5] }, 'ons4'],
            [{ ...ok, ons4, stage: 'midway' }, 'stage'],
            [{ ...ok, ons4, stage: undefined }, 'stage'],
            [{ ...ok, ons4, measured_on: day(1) }, 'measured_on'],
            [{ ...ok, ons4, measured_on: undefined }, 'measured_on'],
            [{ ...ok, ons4, total: 20 }, 'total'],
        ];
        const before = writes();
        for (const [payload, field] of cases) {
            const r = await wellbeing(ref.id, JSON.parse(JSON.stringify(payload)));
            assert.equal(r.status, 400, `${JSON.stringify(payload)}: ${r.text}`);
            assert.ok(r.body.errors.some((e) => e.field === field), `${field}: ${r.text}`);
        }
        assert.deepEqual(writes(), before);
        assert.equal((await wellbeing(ref.id, { ...ok, ons4 }, 'ggc.gp')).status, 403);
    });
});

describe('referring on', () => {
    let service;        // a Glasgow service that takes referrals, with places
    before(() => {
        service = sqlOne(`SELECT s.id, s.name FROM service s JOIN board b ON b.id = s.board_id WHERE b.slug = 'ggc'
                          AND s.status = 'active' AND s.area = 'local' ORDER BY s.id OFFSET 11 LIMIT 1`);
        psql(['-c', `UPDATE service SET accepts_referrals = true, capacity_available = NULL, capacity_maximum = NULL,
                                 capacity_updated = NULL, minimum_age = NULL, maximum_age = NULL WHERE id = ${lit(service.id)}`]);
    });

    test('a Glasgow links worker refers a patient from the most deprived decile on to a service: not back to themselves', async () => {
        const deprived = sqlOne(`SELECT pc.postcode FROM postcode pc JOIN data_zone dz ON dz.code = pc.data_zone
                                  WHERE pc.postcode LIKE 'G%' AND dz.simd_decile = 1 ORDER BY pc.postcode LIMIT 1`).postcode;
        const ref = await referral('ggc', { postcode: deprived });
        // the same patient, referred by the GP to that service, goes to the links worker first (the rule)
        const gpPreview = await sessions['ggc.gp'].send('POST', T.referralPreview, '/api/v1/boards/ggc/referrals/preview',
                                                         { service_id: service.id, postcode: deprived });
        assert.equal(gpPreview.body.route, 'links_worker', gpPreview.text);
        const key = randomUUID();
        const payload = { service_id: service.id, reason: 'Would like to join the group', needs: ['food-nutrition'], consent: true };
        const r = await referOn(ref.id, payload, { key });
        assert.equal(r.status, 201, r.text);
        assert.equal(r.body.route, 'service');
        assert.equal(r.body.service.id, service.id);
        assert.equal(r.body.referred_on_from, ref.id);
        assert.equal(r.body.patient.id, ref.patient.id, 'the same patient');
        assert.equal(r.body.practice_id, ref.practice_id);
        assert.equal(r.body.referrer.name, 'Demo Links worker (ggc)');
        const origin = await sessions['ggc.links_worker'].get(T.referral, `/api/v1/boards/ggc/referrals/${ref.id}`);
        assert.deepEqual(origin.body.referred_on.map((o) => [o.id, o.service]), [[r.body.id, service.name]]);
        assert.equal(origin.body.history.at(-1).note, `Referred on to ${service.name}: Would like to join the group`);
        assert.equal(origin.body.status, 'received', 'the first referral stays open until the links worker closes it');
        // a retry is the first answer; the same key for another body is refused
        const retry = await referOn(ref.id, payload, { key });
        assert.equal(retry.status, 201);
        assert.equal(retry.body.id, r.body.id);
        assert.equal((await referOn(ref.id, { ...payload, reason: 'Other' }, { key })).status, 422);
        assert.equal(sqlOne(`SELECT count(*)::int AS n FROM referral WHERE referred_on_from = ${lit(ref.id)}`).n, 1);
        const audit = auditRows(`a.action = 'referral.referred_on' AND a.object_id = ${lit(r.body.id)}`);
        assert.equal(audit.length, 1);
        assert.equal(audit[0].detail.referred_on_from, ref.id);
    });

    test('a Fife links worker refers on a patient with many needs: to the service, not the locality again', async () => {
        const fifeService = sqlOne(`SELECT s.id FROM service s JOIN board b ON b.id = s.board_id WHERE b.slug = 'fife'
                                    AND s.status = 'active' AND s.area = 'local' ORDER BY s.id OFFSET 5 LIMIT 1`).id;
        psql(['-c', `UPDATE service SET accepts_referrals = true, capacity_available = 3, capacity_maximum = 10,
                                 capacity_updated = now(), minimum_age = NULL, maximum_age = NULL WHERE id = ${lit(fifeService)}`]);
        const ref = await referral('fife');
        const needs = sql('SELECT slug FROM category ORDER BY slug LIMIT 4').map((c) => c.slug);
        const r = await referOn(ref.id, { service_id: fifeService, reason: 'Several needs; this first', needs, consent: true },
                                { who: 'fife.links_worker', board: 'fife' });
        assert.equal(r.status, 201, r.text);
        assert.equal(r.body.route, 'service');
        assert.equal(r.body.decided_by, 'fife');
        // full: the waiting list
        psql(['-c', `UPDATE service SET capacity_available = 0 WHERE id = ${lit(fifeService)}`]);
        const full = await referOn(ref.id, { service_id: fifeService, reason: 'Again', consent: true }, { who: 'fife.links_worker', board: 'fife' });
        assert.equal(full.status, 201, full.text);
        assert.equal(full.body.route, 'waiting_list');
        assert.equal(full.body.status, 'waiting');
        // another board's links worker cannot refer on from it
        const cross = await referOn(ref.id, { service_id: fifeService, reason: 'x', consent: true });
        assert.ok([403, 404].includes(cross.status), cross.text);
    });

    test('no consent, bad input, a service that takes no referrals, a closed referral: refused, nothing written', async () => {
        const ref = await referral();
        const none = sqlOne(`SELECT s.id FROM service s JOIN board b ON b.id = s.board_id WHERE b.slug = 'ggc'
                              AND s.status = 'active' AND NOT s.accepts_referrals LIMIT 1`).id;
        const before = writes();
        for (const [payload, field] of [[{ service_id: service.id, reason: 'r', consent: false }, 'consent'],
                                        [{ service_id: service.id, reason: 'r' }, 'consent'],
                                        [{ service_id: 'x', reason: 'r', consent: true }, 'service_id'],
                                        [{ reason: 'r', consent: true }, 'service_id'],
                                        [{ service_id: service.id, consent: true }, 'reason'],
                                        [{ service_id: service.id, reason: 'r', consent: true, needs: ['nope'] }, 'needs'],
                                        [{ service_id: service.id, reason: 'r', consent: true, links_worker: true }, 'links_worker']]) {
            const r = await referOn(ref.id, payload);
            assert.equal(r.status, 400, `${field}: ${r.text}`);
            assert.ok(r.body.errors.some((e) => e.field === field), `${field}: ${r.text}`);
        }
        const noKey = await sessions['ggc.links_worker'].send('POST', T.referOn, `/api/v1/boards/ggc/referrals/${ref.id}/refer-on`,
                                                              { service_id: service.id, reason: 'r', consent: true });
        assert.equal(noKey.status, 400);
        const refused = await referOn(ref.id, { service_id: none, reason: 'r', consent: true });
        assert.equal(refused.status, 422, refused.text);
        assert.match(refused.body.detail, /does not take referrals/);
        assert.equal((await referOn(randomUUID(), { service_id: service.id, reason: 'r', consent: true })).status, 404);
        assert.deepEqual(writes(), before);
        assert.equal((await referOn(ref.id, { service_id: service.id, reason: 'r', consent: true }, { who: 'ggc.gp' })).status, 403);
        await sessions['ggc.links_worker'].send('POST', T.referralStatus, `/api/v1/boards/ggc/referrals/${ref.id}/status`,
                                                { status: 'closed', closing_reason: 'completed' });
        const closed = await referOn(ref.id, { service_id: service.id, reason: 'r', consent: true });
        assert.equal(closed.status, 409, closed.text);
    });
});

describe('board isolation', () => {
    test('a Fife links worker can neither read nor record anything against a Glasgow referral', async () => {
        const ref = await referral();
        const before = writes();
        const fife = 'fife.links_worker';
        const attempts = [
            await post(fife, T.referralContacts, ref.id, 'contacts', { contacted_on: today, method: 'phone', reached: true }, 'fife'),
            await post(fife, T.referralFollowUp, ref.id, 'follow-up', { follow_up_on: today }, 'fife'),
            await wellbeing(ref.id, { stage: 'first_contact', measured_on: today, swemwbs: [3, 3, 3, 3, 3, 3, 3] }, fife, 'fife'),
            await sessions[fife].get(T.referral, `/api/v1/boards/fife/referrals/${ref.id}`),
            await post(fife, T.referralContacts, ref.id, 'contacts', { contacted_on: today, method: 'phone', reached: true }, 'ggc'),
        ];
        for (const r of attempts)
            assert.ok([403, 404].includes(r.status), `${r.status} ${r.text}`);
        assert.deepEqual(writes(), before);
    });
});
