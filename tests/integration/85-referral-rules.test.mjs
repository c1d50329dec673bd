// 85-referral-rules: where a referral would go under each board's rules,
// and the reason staff are shown before they confirm
// (POST /referrals/preview). The services, postcodes and deprivation
// deciles are chosen from the database here; the expected routes come from
// the rules as the referrals issue states them.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { before, describe, test } from 'node:test';

import { waitForStack } from './lib/api.mjs';
import { lit, psql, sql, sqlOne } from './lib/db.mjs';
import { env } from './lib/env.mjs';
import { signInDemo } from './lib/staff.mjs';

const PREVIEW = '/api/v1/boards/{board}/referrals/preview';
const sessions = {};
const fx = {};

/** A valid CHI number for a date of birth (DDMMYY), by modulus 11. */
function chiFor(ddmmyy, serial = '123') {
    const nine = `${ddmmyy}${serial}`;
    const sum = [...nine].reduce((acc, d, i) => acc + Number(d) * (10 - i), 0);
    const check = (11 - (sum % 11)) % 11;
    assert.notEqual(check, 10, 'choose another serial: this one has no modulus 11 digit');
    return `${nine}${check}`;
}
const CHILD_CHI = chiFor('010115');         // 1 January 2015: under 16
const ADULT_CHI = chiFor('150680', '234');  // 15 June 1980

const preview = (board, body) => sessions[board].send('POST', PREVIEW, `/api/v1/boards/${board}/referrals/preview`, body);

/** A service of the board (active, local) set up for a rule, by SQL. */
function fixtureService(board, offset, set) {
    const s = sqlOne(`SELECT s.id FROM service s JOIN board b ON b.id = s.board_id
                       WHERE b.slug = ${lit(board)} AND s.status = 'active' AND s.area = 'local'
                       ORDER BY s.id OFFSET ${offset} LIMIT 1`);
    psql(['-c', `UPDATE service SET ${set} WHERE id = ${lit(s.id)}`]);
    return s.id;
}

function postcodeWithDecile(prefix, decile) {
    return sqlOne(`SELECT pc.postcode FROM postcode pc JOIN data_zone dz ON dz.code = pc.data_zone
                    WHERE pc.postcode LIKE ${lit(`${prefix}%`)} AND dz.simd_decile = ${decile}
                    ORDER BY pc.postcode LIMIT 1`).postcode;
}

before(async () => {
    await waitForStack();
    sessions.ggc = await signInDemo('ggc', 'gp');
    sessions.fife = await signInDemo('fife', 'gp');
    sessions.ggcReceptionist = await signInDemo('ggc', 'receptionist');
    sessions.ggcChampion = await signInDemo('ggc', 'champion');
    const practiceHasWorker = (username) => sqlOne(`SELECT p.has_links_worker FROM staff s JOIN practice p ON p.id = s.practice_id
                                                     WHERE s.username = ${lit(username)}`).has_links_worker;
    assert.ok(practiceHasWorker('ggc.gp'), 'the demo GP\'s practice has a links worker');
    const referrals = (accepts, { places = null, ages = [null, null], self = false } = {}) =>
        `accepts_referrals = ${accepts}, self_referral = ${self}, minimum_age = ${ages[0] ?? 'NULL'}, maximum_age = ${ages[1] ?? 'NULL'}, `
        + (places === null ? 'capacity_available = NULL, capacity_maximum = NULL, capacity_updated = NULL'
            : `capacity_maximum = 10, capacity_available = ${places}, capacity_updated = now()`);
    fx.ggcService = fixtureService('ggc', 0, referrals(true));
    fx.ggcSelfReferral = fixtureService('ggc', 1, referrals(true, { self: true }));
    fx.fifeOpen = fixtureService('fife', 0, referrals(true, { places: 4 }));
    fx.fifeFull = fixtureService('fife', 1, referrals(true, { places: 0 }));
    fx.fifeNoReferrals = fixtureService('fife', 2, referrals(false));
    fx.fifeAdultsOnly = fixtureService('fife', 3, referrals(true, { ages: [18, null] }));
    fx.deprived = postcodeWithDecile('G', 1);
    fx.affluent = postcodeWithDecile('G', 10);
    fx.kirkcaldy = sqlOne("SELECT postcode FROM postcode WHERE postcode LIKE 'KY1 1%' ORDER BY postcode LIMIT 1").postcode;
    fx.levenmouth = sqlOne("SELECT postcode FROM postcode WHERE postcode LIKE 'KY1 4%' ORDER BY postcode LIMIT 1").postcode;
    fx.needs = sql('SELECT slug FROM category WHERE parent_id IS NULL ORDER BY slug LIMIT 3').map((c) => c.slug);
});

describe('Glasgow: deprivation sends referrals to the links worker first', () => {
    test('a patient from a most deprived data zone goes to the practice\'s links worker, with the reason', async () => {
        const r = await preview('ggc', { service_id: fx.ggcService, postcode: fx.deprived });
        assert.equal(r.status, 200, r.text);
        assert.equal(r.body.route, 'links_worker');
        assert.equal(r.body.decided_by, 'glasgow');
        assert.match(r.body.reason, /most deprived data zones \(SIMD decile 1, at or below 2\)/);
        assert.equal(r.body.patient.simd_decile, 1);
        assert.equal(r.body.notify_links_worker, false);
    });

    test('elsewhere the referral goes to the service', async () => {
        const r = await preview('ggc', { service_id: fx.ggcService, postcode: fx.affluent });
        assert.equal(r.status, 200, r.text);
        assert.equal(r.body.route, 'service');
        assert.equal(r.body.decided_by, 'core');
        assert.equal(r.body.patient.simd_decile, 10);
    });

    test('unless the patient asks to go directly to a service that takes self-referrals', async () => {
        const direct = await preview('ggc', { service_id: fx.ggcSelfReferral, postcode: fx.deprived, patient_asks_for_service: true });
        assert.equal(direct.body.route, 'service');
        assert.match(direct.body.reason, /asked to go to the service directly and it takes self-referrals/);
        // asking for a service that takes no self-referrals changes nothing
        const notSelf = await preview('ggc', { service_id: fx.ggcService, postcode: fx.deprived, patient_asks_for_service: true });
        assert.equal(notSelf.body.route, 'links_worker');
    });

    test('an urgent referral is flagged to the links worker whatever the decile', async () => {
        for (const postcode of [fx.deprived, fx.affluent]) {
            const r = await preview('ggc', { service_id: fx.ggcService, postcode, urgent: true });
            assert.equal(r.status, 200, r.text);
            assert.equal(r.body.notify_links_worker, true, postcode);
            assert.match(r.body.reason, /[Uu]rgent/);
        }
    });
});

describe('Glasgow: self-referral is the champions\' to set', () => {
    test('a champion marks a service as taking self-referrals (in its history); a patient who asks for it then goes straight there', async () => {
        const ONE = '/api/v1/boards/{board}/directory/services/{id}';
        const champion = sessions.ggcChampion;
        const id = fixtureService('ggc', 2, 'accepts_referrals = true, self_referral = false, capacity_available = NULL, '
                                            + 'capacity_maximum = NULL, capacity_updated = NULL, minimum_age = NULL, maximum_age = NULL');
        const asks = { service_id: id, postcode: fx.deprived, patient_asks_for_service: true };
        assert.equal((await preview('ggc', asks)).body.route, 'links_worker', 'not yet: the service takes no self-referrals');
        const before = await champion.get(ONE, `/api/v1/boards/ggc/directory/services/${id}`);
        assert.equal(before.status, 200, before.text);
        assert.equal(before.body.self_referral, false);
        const bad = await champion.send('PATCH', ONE, `/api/v1/boards/ggc/directory/services/${id}`, { self_referral: 'yes' },
                                        { headers: { 'If-Match': `"${before.body.version}"` } });
        assert.equal(bad.status, 400);
        assert.equal(bad.body.errors[0].field, 'self_referral');
        const r = await champion.send('PATCH', ONE, `/api/v1/boards/ggc/directory/services/${id}`, { self_referral: true },
                                      { headers: { 'If-Match': `"${before.body.version}"` } });
        assert.equal(r.status, 200, r.text);
        assert.equal(r.body.self_referral, true);
        const history = (await champion.get('/api/v1/boards/{board}/directory/services/{id}/history',
                                            `/api/v1/boards/ggc/directory/services/${id}/history`)).body.changes;
        assert.deepEqual(history.filter((c) => c.field === 'self_referral').map((c) => [c.from, c.to, c.by]), [[false, true, 'ggc.champion']]);
        const now = await preview('ggc', asks);
        assert.equal(now.body.route, 'service', now.text);
        assert.match(now.body.reason, /takes self-referrals/);
    });
});

describe('Fife: capacity, waiting lists, the locality links worker, under-16s', () => {
    test('straight to a service with places; onto the waiting list of a full one; refused where it takes no referrals', async () => {
        const open = await preview('fife', { service_id: fx.fifeOpen, postcode: fx.kirkcaldy });
        assert.equal(open.body.route, 'service');
        assert.match(open.body.reason, /has places/);
        const full = await preview('fife', { service_id: fx.fifeFull, postcode: fx.kirkcaldy });
        assert.equal(full.body.route, 'waiting_list');
        assert.match(full.body.reason, /waiting list/);
        const none = await preview('fife', { service_id: fx.fifeNoReferrals, postcode: fx.kirkcaldy });
        assert.equal(none.body.route, 'refused');
        assert.match(none.body.reason, /does not take referrals/);
        for (const r of [open, full, none])
            assert.equal(r.body.decided_by, 'fife');
    });

    test('three or more needs go to the patient\'s locality\'s community links worker', async () => {
        const kirkcaldy = await preview('fife', { service_id: fx.fifeOpen, postcode: fx.kirkcaldy, needs: fx.needs });
        assert.equal(kirkcaldy.body.route, 'locality_links_worker');
        assert.equal(kirkcaldy.body.locality, 'Kirkcaldy');
        assert.match(kirkcaldy.body.reason, /3 or more needs: the Kirkcaldy locality's community links worker/);
        const levenmouth = await preview('fife', { service_id: fx.fifeOpen, postcode: fx.levenmouth, needs: fx.needs });
        assert.equal(levenmouth.body.locality, 'Levenmouth', 'KY1 4 is Levenmouth\'s, though KY1 is Kirkcaldy\'s');
        const two = await preview('fife', { service_id: fx.fifeOpen, postcode: fx.kirkcaldy, needs: fx.needs.slice(0, 2) });
        assert.equal(two.body.route, 'service');
    });

    test('under-16s only to services whose age range fits', async () => {
        const child = await preview('fife', { service_id: fx.fifeAdultsOnly, postcode: fx.kirkcaldy, chi: CHILD_CHI });
        assert.equal(child.status, 200, child.text);
        assert.equal(child.body.patient.age, 11);
        assert.equal(child.body.route, 'refused');
        assert.match(child.body.reason, /Under-16s/);
        const adult = await preview('fife', { service_id: fx.fifeAdultsOnly, postcode: fx.kirkcaldy, chi: ADULT_CHI });
        assert.equal(adult.body.route, 'service');
        assert.equal(adult.body.patient.age, 46);
    });
});

describe('the preview refuses what it cannot decide on', () => {
    test('bad input is a 400 naming the field; roles without referral rights get 403', async () => {
        const cases = [
            [{ postcode: fx.kirkcaldy }, 'service_id'],
            [{ service_id: fx.fifeOpen, links_worker: true, postcode: fx.kirkcaldy }, 'service_id'],
            [{ service_id: 'nope', postcode: fx.kirkcaldy }, 'service_id'],
            [{ service_id: fx.ggcService, postcode: fx.kirkcaldy }, 'service_id'],       // another board's service
            [{ service_id: fx.fifeOpen }, 'postcode'],
            [{ service_id: fx.fifeOpen, postcode: 'KY1' }, 'postcode'],
            [{ service_id: fx.fifeOpen, postcode: fx.kirkcaldy, chi: '0101011238' }, 'chi'],
            [{ service_id: fx.fifeOpen, postcode: fx.kirkcaldy, chi: '3201011237' }, 'chi'],
            [{ service_id: fx.fifeOpen, postcode: fx.kirkcaldy, needs: 'food' }, 'needs'],
            [{ service_id: fx.fifeOpen, postcode: fx.kirkcaldy, needs: ['no-such-category'] }, 'needs'],
            [{ service_id: fx.fifeOpen, postcode: fx.kirkcaldy, patient_name: 'x' }, 'patient_name'],
        ];
        for (const [body, field] of cases) {
            const r = await preview('fife', body);
            assert.equal(r.status, 400, `${JSON.stringify(body)}: ${r.text}`);
            assert.ok(r.body.errors.some((e) => e.field === field), `${JSON.stringify(body)}: ${r.text}`);
        }
        for (const who of [sessions.ggcReceptionist, sessions.ggcChampion]) {
            const r = await who.send('POST', PREVIEW, '/api/v1/boards/ggc/referrals/preview', { service_id: fx.ggcService, postcode: fx.deprived });
            assert.equal(r.status, 403);
        }
    });

    test('CHI numbers sent in bodies never reach a log line', () => {
        const logs = [path.join(env.run, 'linksd.log'), path.join(env.run, 'nginx', 'access.log'), path.join(env.run, 'nginx', 'error.log')]
            .filter((f) => fs.existsSync(f));
        assert.ok(logs.length >= 2, `logs found: ${logs}`);
        for (const f of logs) {
            const text = fs.readFileSync(f, 'utf8');
            for (const chi of [CHILD_CHI, ADULT_CHI, '0101011238', '3201011237'])
                assert.ok(!text.includes(chi), `${f} holds a CHI number`);
        }
    });
});
