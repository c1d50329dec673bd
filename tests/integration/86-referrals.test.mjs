// 86-referrals: making a referral (with consent, routed by the board's
// rules, idempotent under retries) and moving it on, with every change in
// its history; one board never sees another's referrals or patients.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import { before, describe, test } from 'node:test';

import { sleep, waitForStack } from './lib/api.mjs';
import { lit, psql, sql, sqlOne } from './lib/db.mjs';
import { env } from './lib/env.mjs';
import { auditRows, signInDemo } from './lib/staff.mjs';

const R = {
    create: '/api/v1/boards/{board}/referrals',
    one: '/api/v1/boards/{board}/referrals/{id}',
    status: '/api/v1/boards/{board}/referrals/{id}/status',
};
const sessions = {};
let service;        // a Glasgow service that takes referrals, with places
let postcode;       // a Glasgow postcode outside the most deprived deciles

/** A valid CHI number (modulus 11) for a date of birth and serial. */
function chi(ddmmyy, serial) {
    for (let s = serial; ; s = (s + 1) % 1000) {
        const nine = `${ddmmyy}${String(s).padStart(3, '0')}`;
        const check = (11 - ([...nine].reduce((acc, d, i) => acc + Number(d) * (10 - i), 0) % 11)) % 11;
        if (check !== 10)
            return `${nine}${check}`;
    }
}

function body(extra = {}) {
    return {
        service_id: service, postcode, chi: chi('150680', 200), name: 'Alex Example', contact_method: 'phone',
        contact_detail: '0141 496 0000', reason: 'Lonely since moving; would like company', consent: true,
        needs: ['food-nutrition'], ...extra,
    };
}

const create = (session, payload, key = randomUUID(), board = 'ggc') =>
    session.send('POST', R.create, `/api/v1/boards/${board}/referrals`, payload, { headers: key === null ? {} : { 'Idempotency-Key': key } });

before(async () => {
    await waitForStack();
    for (const [board, role] of [['ggc', 'gp'], ['ggc', 'practice_nurse'], ['ggc', 'links_worker'], ['ggc', 'receptionist'],
                                 ['fife', 'links_worker'], ['fife', 'gp']])
        sessions[`${board}.${role}`] = await signInDemo(board, role);
    service = sqlOne(`SELECT s.id FROM service s JOIN board b ON b.id = s.board_id WHERE b.slug = 'ggc' AND s.status = 'active'
                       AND s.area = 'local' ORDER BY s.id OFFSET 7 LIMIT 1`).id;
    psql(['-c', `UPDATE service SET accepts_referrals = true, capacity_available = NULL, capacity_maximum = NULL,
                             capacity_updated = NULL, minimum_age = NULL, maximum_age = NULL WHERE id = ${lit(service)}`]);
    postcode = sqlOne(`SELECT pc.postcode FROM postcode pc JOIN data_zone dz ON dz.code = pc.data_zone
                        WHERE pc.postcode LIKE 'G%' AND dz.simd_decile >= 6 ORDER BY pc.postcode LIMIT 1`).postcode;
});

describe('making a referral', () => {
    test('a GP refers with consent: routed, stored with the patient, history started, audited without the CHI', async () => {
        const gp = sessions['ggc.gp'];
        const payload = body();
        const r = await create(gp, payload);
        assert.equal(r.status, 201, r.text);
        assert.equal(r.body.status, 'received');
        assert.equal(r.body.route, 'service');
        assert.equal(r.body.service.id, service);
        assert.equal(r.body.patient.chi, payload.chi);
        assert.equal(r.body.snomed_code, '871731000000106');
        assert.equal(r.body.consent.recorded_by, gp.me.staff.id);
        assert.deepEqual(r.body.history.map((h) => [h.from, h.to]), [[null, 'received']]);
        const row = sqlOne(`SELECT r.referrer_id, r.status, p.chi, b.slug FROM referral r JOIN patient p ON p.id = r.patient_id
                             JOIN board b ON b.id = r.board_id WHERE r.id = ${lit(r.body.id)}`);
        assert.deepEqual(row, { referrer_id: gp.me.staff.id, status: 'received', chi: payload.chi, slug: 'ggc' });
        const audit = auditRows(`a.action = 'referral.created' AND a.object_id = ${lit(r.body.id)}`);
        assert.equal(audit.length, 1);
        assert.ok(!JSON.stringify(audit[0]).includes(payload.chi), 'the audit log holds no CHI number');
    });

    test('no consent, no referral; bad input is a 400 naming the field, and writes nothing', async () => {
        const gp = sessions['ggc.gp'];
        const before = sqlOne('SELECT (SELECT count(*) FROM referral)::int AS r, (SELECT count(*) FROM patient)::int AS p');
        const cases = [
            [body({ consent: false }), 'consent'],
            [body({ consent: undefined }), 'consent'],
            [body({ chi: '0101011238' }), 'chi'],
            [body({ chi: undefined }), 'chi'],
            [body({ name: '' }), 'name'],
            [body({ contact_method: 'pigeon' }), 'contact_method'],
            [body({ reason: undefined }), 'reason'],
            [body({ postcode: 'G12' }), 'postcode'],
            [body({ needs: ['no-such-category'] }), 'needs'],
            [body({ service_id: undefined }), 'service_id'],
            [body({ nhs_number: '123' }), 'nhs_number'],
        ];
        for (const [payload, field] of cases) {
            const r = await create(gp, JSON.parse(JSON.stringify(payload)));
            assert.equal(r.status, 400, `${field}: ${r.text}`);
            assert.ok(r.body.errors.some((e) => e.field === field), `${field}: ${r.text}`);
        }
        const noKey = await create(gp, body(), null);
        assert.equal(noKey.status, 400);
        assert.match(noKey.body.title, /Idempotency-Key/);
        assert.deepEqual(sqlOne('SELECT (SELECT count(*) FROM referral)::int AS r, (SELECT count(*) FROM patient)::int AS p'), before);
    });

    test('a referral the board\'s rules refuse is a 422 with the reason, and writes nothing', async () => {
        const none = sqlOne(`SELECT s.id FROM service s JOIN board b ON b.id = s.board_id WHERE b.slug = 'ggc'
                              AND s.status = 'active' AND NOT s.accepts_referrals LIMIT 1`).id;
        const before = sqlOne('SELECT count(*)::int AS n FROM referral').n;
        const r = await create(sessions['ggc.gp'], body({ service_id: none }));
        assert.equal(r.status, 422, r.text);
        assert.match(r.body.detail, /does not take referrals/);
        assert.equal(sqlOne('SELECT count(*)::int AS n FROM referral').n, before);
    });

    test('receptionists may not refer; a Fife member cannot see a Glasgow referral', async () => {
        const r = await create(sessions['ggc.receptionist'], body());
        assert.equal(r.status, 403);
        const made = await create(sessions['ggc.practice_nurse'], body({ chi: chi('020390', 300) }));
        assert.equal(made.status, 201, made.text);
        for (const who of ['fife.links_worker', 'fife.gp']) {
            const seen = await sessions[who].get(R.one, `/api/v1/boards/fife/referrals/${made.body.id}`);
            assert.equal(seen.status, 404, `${who}: ${seen.text}`);
            const moved = await sessions[who].send('POST', R.status, `/api/v1/boards/fife/referrals/${made.body.id}/status`, { status: 'contacted' });
            assert.ok([403, 404].includes(moved.status), `${who}: ${moved.text}`);
        }
        assert.equal(sqlOne(`SELECT status FROM referral WHERE id = ${lit(made.body.id)}`).status, 'received');
    });
});

describe('one patient per CHI number', () => {
    test('a CHI number already held under another name is refused; under the same name it updates the contact details', async () => {
        const gp = sessions['ggc.gp'];
        const number = chi('230477', 310);
        const first = await create(gp, body({ chi: number, name: 'Morag Example' }));
        assert.equal(first.status, 201, first.text);
        const before = sqlOne('SELECT count(*)::int AS n FROM referral').n;
        const other = await create(gp, body({ chi: number, name: 'Someone Else', contact_detail: '07700 900999' }));
        assert.equal(other.status, 400, other.text);
        assert.equal(other.body.errors[0].field, 'chi');
        assert.match(other.body.errors[0].message, /another name/);
        assert.equal(sqlOne('SELECT count(*)::int AS n FROM referral').n, before, 'nothing written');
        const same = await create(gp, body({ chi: number, name: '  morag   example ', contact_method: 'text', contact_detail: '07700 900123' }));
        assert.equal(same.status, 201, same.text);
        assert.equal(same.body.patient.id, first.body.patient.id);
        const patient = sqlOne(`SELECT name, contact_method, contact_detail FROM patient WHERE id = ${lit(first.body.patient.id)}`);
        assert.deepEqual(patient, { name: 'Morag Example', contact_method: 'text', contact_detail: '07700 900123' },
                         'the name as first recorded; the newest contact details');
    });
});

describe('Idempotency-Key', () => {
    test('a retry gets the first answer; the same key with another body is refused', async () => {
        const gp = sessions['ggc.gp'];
        const key = randomUUID();
        const payload = body({ chi: chi('101275', 400) });
        const first = await create(gp, payload, key);
        assert.equal(first.status, 201, first.text);
        // the same body, members in another order: the same request
        const reordered = Object.fromEntries(Object.entries(payload).reverse());
        const retry = await create(gp, reordered, key);
        assert.equal(retry.status, 201);
        assert.deepEqual(retry.body, first.body);
        assert.equal(sqlOne(`SELECT count(*)::int AS n FROM referral WHERE idempotency_key = ${lit(key)}`).n, 1);
        const other = await create(gp, { ...payload, reason: 'Something else entirely' }, key);
        assert.equal(other.status, 422);
        assert.match(other.body.title, /already used/);
        // keys are each referrer's own: a colleague's same key is a new referral
        const colleague = await create(sessions['ggc.practice_nurse'], payload, key);
        assert.equal(colleague.status, 201);
        assert.notEqual(colleague.body.id, first.body.id);
    });

    test('a retry while the first is still being made gets 409', async () => {
        const gp = sessions['ggc.gp'];
        const key = randomUUID();
        const board = sqlOne("SELECT id FROM board WHERE slug = 'ggc'").id;
        // Hold the key's lock from another session, as an in-flight first request would.
        const holder = holdLock(`${board}:${gp.me.staff.id}:${key}`, 4);
        await sleep(1000);
        const r = await create(gp, body({ chi: chi('050505', 500) }), key);
        assert.equal(r.status, 409, r.text);
        assert.match(r.body.title, /in progress/);
        await holder;
        const after = await create(gp, body({ chi: chi('050505', 500) }), key);
        assert.equal(after.status, 201, after.text);
    });
});

/** Take the advisory lock a referral creation takes for a key, for `seconds`. */
function holdLock(text, seconds) {
    const stmt = `SELECT pg_advisory_lock(hashtextextended(${lit(text)}, 0)); SELECT pg_sleep(${seconds});`;
    const args = ['-X', '-q', '-h', `${env.run}/pgsock`, '-p', String(env.pgPort), '-U', 'postgres', '-d', 'links', '-c', stmt];
    const [cmd, argv] = os.userInfo().username === 'postgres' ? ['psql', args] : ['runuser', ['-u', 'postgres', '--', 'psql', ...args]];
    return new Promise((resolve, reject) => execFile(cmd, argv, { timeout: (seconds + 10) * 1000 },
                                                     (err) => (err ? reject(err) : resolve())));
}

describe('moving a referral on', () => {
    test('the links worker records each step; every change is in the history; closing needs a reason', async () => {
        const made = await create(sessions['ggc.gp'], body({ chi: chi('121212', 600) }));
        assert.equal(made.status, 201, made.text);
        const lw = sessions['ggc.links_worker'];
        const move = (payload) => lw.send('POST', R.status, `/api/v1/boards/ggc/referrals/${made.body.id}/status`, payload);
        let r = await move({ status: 'engaged' });
        assert.equal(r.status, 409, 'received cannot become engaged');
        r = await move({ status: 'contacted', note: 'Rang; coming in on Tuesday' });
        assert.equal(r.status, 200, r.text);
        r = await move({ status: 'engaged' });
        assert.equal(r.status, 200);
        r = await move({ status: 'closed' });
        assert.equal(r.status, 400);
        assert.equal(r.body.errors[0].field, 'closing_reason');
        r = await move({ status: 'contacted', closing_reason: 'completed' });
        assert.equal(r.status, 400);
        r = await move({ status: 'closed', closing_reason: 'declined', note: 'Decided not to go' });
        assert.equal(r.status, 200, r.text);
        assert.equal(r.body.status, 'closed');
        assert.equal(r.body.closing_reason, 'declined');
        assert.equal(r.body.snomed_code, '871711000000103', 'a declined referral carries the declined concept');
        assert.deepEqual(r.body.history.map((h) => [h.from, h.to, h.by]),
                         [[null, 'received', 'Demo GP (ggc)'], ['received', 'contacted', 'Demo Links worker (ggc)'],
                          ['contacted', 'engaged', 'Demo Links worker (ggc)'], ['engaged', 'closed', 'Demo Links worker (ggc)']]);
        assert.equal(r.body.history[1].note, 'Rang; coming in on Tuesday');
        const db = sql(`SELECT from_status, to_status FROM referral_event WHERE referral_id = ${lit(made.body.id)} ORDER BY id`);
        assert.deepEqual(db.map((e) => [e.from_status, e.to_status]), r.body.history.map((h) => [h.from, h.to]));
        assert.equal((await move({ status: 'contacted' })).status, 409, 'closed is final');
        // the GP, who may read it but not run the caseload, cannot move it
        const gpMove = await sessions['ggc.gp'].send('POST', R.status, `/api/v1/boards/ggc/referrals/${made.body.id}/status`, { status: 'contacted' });
        assert.equal(gpMove.status, 403);
        const seen = await sessions['ggc.gp'].get(R.one, `/api/v1/boards/ggc/referrals/${made.body.id}`);
        assert.equal(seen.status, 200);
        assert.equal(seen.body.status, 'closed');
    });
});

describe('the links worker\'s caseload', () => {
    test('referrals for the links worker, grouped: overdue first contact, new, active, waiting; closed ones gone', async () => {
        const gp = sessions['ggc.gp'];
        const lw = sessions['ggc.links_worker'];
        const toWorker = (serial, extra = {}) => create(gp, body({ service_id: undefined, links_worker: true, chi: chi('010170', serial), ...extra }));
        const fresh = await toWorker(700);
        const old = await toWorker(710);
        const active = await toWorker(720, { urgent: true });
        const closed = await toWorker(730);
        for (const r of [fresh, old, active, closed])
            assert.equal(r.status, 201, r.text);
        // a referral made a week ago is overdue for first contact
        psql(['-c', `UPDATE referral SET created_at = now() - interval '7 days' WHERE id = ${lit(old.body.id)}`]);
        const move = (id, payload) => lw.send('POST', R.status, `/api/v1/boards/ggc/referrals/${id}/status`, payload);
        assert.equal((await move(active.body.id, { status: 'contacted' })).status, 200);
        assert.equal((await move(closed.body.id, { status: 'closed', closing_reason: 'completed' })).status, 200);

        const r = await lw.get('/api/v1/boards/{board}/caseload', '/api/v1/boards/ggc/caseload');
        assert.equal(r.status, 200, r.text);
        const group = (id) => r.body.referrals.find((x) => x.id === id)?.group;
        assert.equal(group(old.body.id), 'overdue');
        assert.equal(group(fresh.body.id), 'new');
        assert.equal(group(active.body.id), 'active');
        assert.equal(group(closed.body.id), undefined, 'closed referrals leave the caseload');
        const order = ['overdue', 'follow_up_due', 'new', 'active', 'waiting'];
        const ranks = r.body.referrals.map((x) => order.indexOf(x.group));
        assert.deepEqual(ranks, [...ranks].sort((a, b) => a - b), 'grouped in order');
        // only this worker's practice, and never another board's
        const practice = sqlOne("SELECT practice_id FROM staff WHERE username = 'ggc.linksworker'").practice_id;
        const ids = r.body.referrals.map((x) => lit(x.id)).join(',');
        assert.deepEqual(sql(`SELECT DISTINCT practice_id FROM referral WHERE id IN (${ids})`).map((x) => x.practice_id), [practice]);
        const fife = await sessions['fife.links_worker'].get('/api/v1/boards/{board}/caseload', '/api/v1/boards/fife/caseload');
        assert.equal(fife.status, 200);
        assert.ok(fife.body.referrals.every((x) => ![fresh, old, active].some((m) => m.body.id === x.id)));
        // only links workers have a caseload
        assert.equal((await gp.get('/api/v1/boards/{board}/caseload', '/api/v1/boards/ggc/caseload')).status, 403);
    });
});
