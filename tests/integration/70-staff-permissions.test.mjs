// 70-staff-permissions: every role of each board, signed in, against every
// staff endpoint; the expected outcomes are the matrix of docs/PERMISSIONS.md
// written out here by hand. Then the board boundary: another board's
// addresses and records are 404, and lists hold only the board's own rows.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';

import { call, T } from './lib/api.mjs';
import { lit, psql, sql, sqlOne } from './lib/db.mjs';
import { BOARD_ROLES, freshPracticeCode, freshUsername, JSON_TYPE, Session, signIn, signInDemo } from './lib/staff.mjs';

const BOARDS = ['ggc', 'fife'];
const ALL_ROLES = [...BOARD_ROLES, 'system_admin'];
const ADMINS = ['board_admin', 'system_admin'];

// Who may do what (docs/PERMISSIONS.md).
const MATRIX = [
    { name: 'see own session', allowed: ALL_ROLES, run: (s) => s.get(T.session, '/api/v1/session'), ok: 200 },
    { name: 'list practices', allowed: ALL_ROLES, run: (s, b) => s.get(T.practices, `/api/v1/boards/${b}/practices`), ok: 200 },
    { name: 'list staff', allowed: ADMINS, run: (s, b) => s.get(T.staffList, `/api/v1/boards/${b}/staff`), ok: 200 },
    { name: 'see a staff account', allowed: ADMINS, run: (s, b, f) => s.get(T.staff, `/api/v1/boards/${b}/staff/${f.target}`), ok: 200 },
    {
        name: 'create a staff account', allowed: ADMINS, ok: 201,
        run: (s, b) => s.send('POST', T.staffList, `/api/v1/boards/${b}/staff`, {
            username: freshUsername('matrix'), display_name: 'Matrix Test', role: 'receptionist', password: 'temporary password 1',
        }),
    },
    {
        name: 'change a staff account', allowed: ADMINS, ok: 200,
        run: (s, b, f) => s.send('PATCH', T.staff, `/api/v1/boards/${b}/staff/${f.target}`, { display_name: 'Target Renamed' }),
    },
    {
        name: 'reset a password', allowed: ADMINS, ok: 200,
        run: (s, b, f) => s.send('POST', T.staffPassword, `/api/v1/boards/${b}/staff/${f.target}/password`, { password: 'another temporary 2' }),
    },
    { name: 'see a practice', allowed: ALL_ROLES, run: (s, b, f) => s.get(T.practice, `/api/v1/boards/${b}/practices/${f.practice}`), ok: 200 },
    {
        name: 'add a practice', allowed: ADMINS, ok: 201,
        run: (s, b) => s.send('POST', T.practices, `/api/v1/boards/${b}/practices`, {
            code: freshPracticeCode(), name: 'Matrix Medical Practice', address: '1 Test Street', postcode: b === 'ggc' ? 'G12 8QQ' : 'KY1 1AB', list_size: 4000,
        }),
    },
    {
        name: 'change a practice', allowed: ADMINS, ok: 200,
        run: (s, b, f) => s.send('PATCH', T.practice, `/api/v1/boards/${b}/practices/${f.practice}`, { has_links_worker: f.practiceHasLinksWorker }),
    },
    { name: 'list API tokens', allowed: ADMINS, run: (s, b) => s.get(T.tokens, `/api/v1/boards/${b}/tokens`), ok: 200 },
    {
        name: 'make an API token', allowed: ADMINS, ok: 201,
        run: (s, b) => s.send('POST', T.tokens, `/api/v1/boards/${b}/tokens`, { name: 'matrix test', role: 'receptionist' }),
    },
    { name: 'revoke an API token', allowed: ADMINS, run: (s, b, f) => s.send('DELETE', T.token, `/api/v1/boards/${b}/tokens/${f.token}`), ok: 200 },
    {
        // every practice role is attached to a practice in the demo; a category needs no service fixture
        name: 'record a signpost', allowed: ['receptionist', 'practice_nurse', 'gp', 'links_worker'], ok: 201,
        run: (s, b) => s.send('POST', T.signposts, `/api/v1/boards/${b}/signposts`, { category: 'food-nutrition' }),
    },
    {
        name: 'preview where a referral would go', allowed: ['practice_nurse', 'gp', 'links_worker'], ok: 200,
        run: (s, b) => s.send('POST', T.referralPreview, `/api/v1/boards/${b}/referrals/preview`,
                              { links_worker: true, postcode: b === 'ggc' ? 'G12 8QQ' : 'KY1 1AB' }),
    },
    {
        name: 'refer a patient to the links worker', allowed: ['practice_nurse', 'gp', 'links_worker'], ok: 201,
        run: (s, b) => s.send('POST', T.referrals, `/api/v1/boards/${b}/referrals`, {
            links_worker: true, postcode: b === 'ggc' ? 'G12 8QQ' : 'KY1 1AB', chi: '0101011237', name: 'Matrix Patient',
            contact_method: 'phone', contact_detail: '0141 496 0000', reason: 'matrix test', consent: true,
        }, { headers: { 'Idempotency-Key': freshUsername('matrix-key') } }),
    },
    {
        name: 'read a referral', allowed: ['practice_nurse', 'gp', 'links_worker'], ok: 200,
        run: (s, b, f) => s.get(T.referral, `/api/v1/boards/${b}/referrals/${f.referral}`),
    },
    { name: 'see the caseload', allowed: ['links_worker'], ok: 200, run: (s, b) => s.get(T.caseload, `/api/v1/boards/${b}/caseload`) },
    {
        name: 'record a contact', allowed: ['links_worker'], ok: 200,
        run: (s, b, f) => s.send('POST', T.referralContacts, `/api/v1/boards/${b}/referrals/${f.referral}/contacts`,
                                 { contacted_on: f.today, method: 'phone', reached: false }),
    },
    {
        name: 'set a follow-up', allowed: ['links_worker'], ok: 200,
        run: (s, b, f) => s.send('POST', T.referralFollowUp, `/api/v1/boards/${b}/referrals/${f.referral}/follow-up`,
                                 { follow_up_on: f.today }),
    },
    {
        name: 'record wellbeing', allowed: ['links_worker'], ok: 200,
        run: (s, b, f) => s.send('POST', T.referralWellbeing, `/api/v1/boards/${b}/referrals/${f.referral}/wellbeing`,
                                 { stage: 'first_contact', measured_on: f.today, ons4: { life_satisfaction: 5, worthwhile: 5, happiness: 5, anxiety: 5 } }),
    },
    {
        name: 'refer on to a service', allowed: ['links_worker'], ok: 201,
        run: (s, b, f) => s.send('POST', T.referOn, `/api/v1/boards/${b}/referrals/${f.referral}/refer-on`,
                                 { service_id: f.service, reason: 'matrix test', consent: true },
                                 { headers: { 'Idempotency-Key': freshUsername('matrix-on') } }),
    },
    {
        name: 'move a referral on', allowed: ['links_worker'], ok: 200,
        run: (s, b, f) => s.send('POST', T.referralStatus, `/api/v1/boards/${b}/referrals/${f.referral}/status`,
                                 { status: 'engaged' }),
    },
    {
        name: 'read the practices report', allowed: ['gp', 'links_worker', 'champion', 'board_admin'], ok: 200,
        run: (s, b) => s.get(T.practiceReport, `/api/v1/boards/${b}/reports/practices`),
    },
    {
        name: 'read the directory report', allowed: ['gp', 'links_worker', 'champion', 'board_admin'], ok: 200,
        run: (s, b) => s.get(T.directoryReport, `/api/v1/boards/${b}/reports/directory`),
    },
    { name: 'read the audit log', allowed: ADMINS, run: (s, b) => s.get(T.audit, `/api/v1/boards/${b}/audit?limit=5`), ok: 200 },
    { name: 'read the deployment\'s audit log', allowed: ['system_admin'], run: (s) => s.get(T.deploymentAudit, '/api/v1/audit?limit=5'), ok: 200 },
];

const sessions = {};      // sessions[board][role]
const fixtures = {};      // fixtures[board] = { target, practice, token, ... }

before(async () => {
    const system = await signIn(null, 'admin');
    for (const b of BOARDS) {
        sessions[b] = { system_admin: system };
        for (const role of BOARD_ROLES)
            sessions[b][role] = await signInDemo(b, role);
        const admin = sessions[b].board_admin;
        const created = await admin.send('POST', T.staffList, `/api/v1/boards/${b}/staff`, {
            username: freshUsername(`target-${b}`), display_name: 'Target', role: 'receptionist', password: 'temporary password 1',
        });
        assert.equal(created.status, 201, created.text);
        const token = await admin.send('POST', T.tokens, `/api/v1/boards/${b}/tokens`, { name: 'fixture', role: 'receptionist' });
        assert.equal(token.status, 201, token.text);
        const practice = sqlOne(`SELECT p.id, p.has_links_worker FROM practice p JOIN board b ON b.id = p.board_id
                                 WHERE b.slug = ${lit(b)} ORDER BY p.code LIMIT 1`);
        // a referral to the links worker, already contacted (so "engaged" is a move it may make, again and again:
        // the test puts it back before each role), and a service that takes referrals, to refer on to
        const referral = await sessions[b].gp.send('POST', T.referrals, `/api/v1/boards/${b}/referrals`, {
            links_worker: true, postcode: b === 'ggc' ? 'G12 8QQ' : 'KY1 1AB', chi: '0101011237', name: 'Matrix Patient',
            contact_method: 'phone', contact_detail: '0141 496 0000', reason: 'matrix fixture', consent: true,
        }, { headers: { 'Idempotency-Key': freshUsername('matrix-fixture') } });
        assert.equal(referral.status, 201, referral.text);
        const service = sqlOne(`SELECT s.id FROM service s JOIN board b ON b.id = s.board_id WHERE b.slug = ${lit(b)}
                                AND s.status = 'active' AND s.accepts_referrals AND s.minimum_age IS NULL
                                AND (s.capacity_available IS NULL OR s.capacity_available > 0) ORDER BY s.id LIMIT 1`);
        fixtures[b] = { target: created.body.id, token: token.body.id, tokenSecret: token.body.token,
                        practice: practice.id, practiceHasLinksWorker: practice.has_links_worker,
                        referral: referral.body.id, service: service.id,
                        today: sqlOne("SELECT to_char((now() AT TIME ZONE 'Europe/London')::date, 'YYYY-MM-DD') AS d").d };
    }
});

describe('the permission matrix, endpoint by endpoint, for every role of both boards', () => {
    for (const b of BOARDS) {
        for (const role of ALL_ROLES) {
            test(`${b}: ${role}`, async () => {
                const s = sessions[b][role];
                psql(['-c', `UPDATE referral SET status = 'contacted' WHERE id = ${lit(fixtures[b].referral)}`]);
                for (const m of MATRIX) {
                    const r = await m.run(s, b, fixtures[b]);
                    const expected = m.allowed.includes(role) ? m.ok : 403;
                    assert.equal(r.status, expected, `${b} ${role} may ${m.allowed.includes(role) ? '' : 'not '}${m.name}: got ${r.status} ${r.text.slice(0, 200)}`);
                    if (expected === 403)
                        assert.equal(r.body.title, 'Not allowed for your role');
                }
            });
        }
    }

    test('nobody signed in gets 401 from every staff endpoint (public search still answers)', async () => {
        const anonymous = new Session();
        for (const m of MATRIX) {
            const r = await m.run(anonymous, 'ggc', fixtures.ggc);
            assert.equal(r.status, 401, `${m.name}: ${r.text.slice(0, 200)}`);
            assert.equal(r.headers.get('www-authenticate'), 'Bearer realm="Community Links"');
            assert.equal(r.body.title, 'Sign-in required');
        }
        const search = await call('GET', T.search, '/api/v1/boards/ggc/resources?q=walking');
        assert.equal(search.status, 200);
    });

    test('a role change takes effect on the next request of a session already open', async () => {
        const admin = sessions.ggc.board_admin;
        const username = freshUsername('promoted');
        const created = await admin.send('POST', T.staffList, '/api/v1/boards/ggc/staff',
                                         { username, display_name: 'To Be Promoted', role: 'receptionist', password: 'temporary password 1' });
        const person = await signIn('ggc', username, 'temporary password 1');
        const changed = await person.send('POST', T.password, '/api/v1/session/password',
                                          { current_password: 'temporary password 1', new_password: 'my own password 1' });
        assert.equal(changed.status, 200, changed.text);
        assert.equal((await person.get(T.staffList, '/api/v1/boards/ggc/staff')).status, 403);
        const promoted = await admin.send('PATCH', T.staff, `/api/v1/boards/ggc/staff/${created.body.id}`, { role: 'board_admin' });
        assert.equal(promoted.body.role, 'board_admin');
        assert.equal((await person.get(T.staffList, '/api/v1/boards/ggc/staff')).status, 200);
        const audit = sql(`SELECT detail FROM audit_log WHERE action = 'staff.role_changed' AND object_id = ${lit(created.body.id)}`);
        assert.deepEqual(audit.map((a) => a.detail), [{ from: 'receptionist', to: 'board_admin', account: username }]);
    });

    test('a board administrator cannot give the system administrator role, nor change their own role or disable themselves', async () => {
        const admin = sessions.ggc.board_admin;
        const own = admin.me.staff.id;
        // The same id in capitals is the same account.
        const shouted = await admin.send('PATCH', T.staff, `/api/v1/boards/ggc/staff/${own.toUpperCase()}`, { disabled: true, role: 'gp' });
        assert.equal(shouted.status, 400);
        assert.deepEqual(shouted.body.errors.map((e) => e.field).sort(), ['disabled', 'role']);
        const r1 = await admin.send('PATCH', T.staff, `/api/v1/boards/ggc/staff/${own}`, { role: 'receptionist' });
        assert.equal(r1.status, 400);
        assert.deepEqual(r1.body.errors.map((e) => e.field), ['role']);
        const r2 = await admin.send('PATCH', T.staff, `/api/v1/boards/ggc/staff/${own}`, { disabled: true });
        assert.equal(r2.status, 400);
        const r3 = await admin.send('POST', T.staffList, '/api/v1/boards/ggc/staff',
                                    { username: freshUsername('sys'), display_name: 'X', role: 'system_admin', password: 'temporary password 1' });
        assert.equal(r3.status, 400);
        assert.deepEqual(r3.body.errors.map((e) => e.field), ['role']);
    });
});

describe('one board never sees another board\'s staff, practices, tokens or audit log', () => {
    test('Fife staff get 404 for Glasgow addresses and for Glasgow record ids under Fife', async () => {
        const fife = sessions.fife.board_admin;
        const g = fixtures.ggc;
        const cases = [
            ['GET', T.staffList, '/api/v1/boards/ggc/staff'],
            ['GET', T.staff, `/api/v1/boards/ggc/staff/${g.target}`],
            ['GET', T.staff, `/api/v1/boards/fife/staff/${g.target}`],
            ['PATCH', T.staff, `/api/v1/boards/fife/staff/${g.target}`, { display_name: 'Hijacked' }],
            ['PATCH', T.staff, `/api/v1/boards/fife/staff/${g.target}`, { disabled: true }],
            ['POST', T.staffPassword, `/api/v1/boards/fife/staff/${g.target}/password`, { password: 'taken over by fife' }],
            ['PATCH', T.practice, `/api/v1/boards/fife/practices/${g.practice}`, { has_links_worker: !g.practiceHasLinksWorker }],
            ['GET', T.practice, `/api/v1/boards/fife/practices/${g.practice}`],
            ['DELETE', T.token, `/api/v1/boards/fife/tokens/${g.token}`],
            ['GET', T.audit, '/api/v1/boards/ggc/audit'],
            ['GET', T.practices, '/api/v1/boards/ggc/practices'],
        ];
        const before = sqlOne(`SELECT display_name, disabled_at, password_hash FROM staff WHERE id = ${lit(g.target)}`);
        const practiceBefore = sqlOne(`SELECT has_links_worker FROM practice WHERE id = ${lit(g.practice)}`);
        for (const [method, template, path, body] of cases) {
            const r = method === 'GET' ? await fife.get(template, path) : await fife.send(method, template, path, body);
            assert.equal(r.status, 404, `${method} ${path}: ${r.text.slice(0, 200)}`);
            assert.equal(r.body.title, 'Not found');
        }
        // Nothing changed.
        assert.deepEqual(sqlOne(`SELECT display_name, disabled_at, password_hash FROM staff WHERE id = ${lit(g.target)}`), before);
        assert.deepEqual(sqlOne(`SELECT has_links_worker FROM practice WHERE id = ${lit(g.practice)}`), practiceBefore);
        // Fife's receptionist too.
        const r = await sessions.fife.receptionist.get(T.practices, '/api/v1/boards/ggc/practices');
        assert.equal(r.status, 404);
    });

    for (const b of BOARDS) {
        test(`${b}: staff, practice, token and audit lists hold exactly the board's own rows`, async () => {
            const admin = sessions[b].board_admin;
            const board = `(SELECT id FROM board WHERE slug = ${lit(b)})`;
            const staff = (await admin.get(T.staffList, `/api/v1/boards/${b}/staff`)).body.staff.map((s) => s.id).sort();
            assert.deepEqual(staff, sql(`SELECT id FROM staff WHERE board_id = ${board}`).map((r) => r.id).sort());
            const practices = (await admin.get(T.practices, `/api/v1/boards/${b}/practices`)).body.practices.map((p) => p.id).sort();
            assert.deepEqual(practices, sql(`SELECT id FROM practice WHERE board_id = ${board}`).map((r) => r.id).sort());
            const tokens = (await admin.get(T.tokens, `/api/v1/boards/${b}/tokens`)).body.tokens.map((t) => t.id).sort();
            assert.deepEqual(tokens, sql(`SELECT id FROM api_token WHERE board_id = ${board}`).map((r) => r.id).sort());
            const audit = (await admin.get(T.audit, `/api/v1/boards/${b}/audit?limit=200`)).body.entries.map((e) => e.id);
            const own = new Set(sql(`SELECT id FROM audit_log WHERE board_id = ${board}`).map((r) => r.id));
            assert.ok(audit.length > 0);
            for (const id of audit)
                assert.ok(own.has(id), `audit entry ${id} is not ${b}'s`);
            // The system administrator sees the same lists, and no system accounts among them.
            const sys = (await sessions[b].system_admin.get(T.staffList, `/api/v1/boards/${b}/staff`)).body.staff.map((s) => s.id).sort();
            assert.deepEqual(sys, staff);
        });
    }

    test('the audit log filters by action, actor and date, and pages with next_before', async () => {
        const admin = sessions.ggc.board_admin;
        const mine = await admin.get(T.audit, `/api/v1/boards/ggc/audit?actor=ggc.admin&action=staff.&limit=2`);
        assert.equal(mine.status, 200);
        assert.equal(mine.body.entries.length, 2);
        for (const e of mine.body.entries) {
            assert.equal(e.actor, 'ggc.admin');
            assert.ok(e.action.startsWith('staff.'));
        }
        assert.ok(mine.body.next_before !== null);
        const next = await admin.get(T.audit, `/api/v1/boards/ggc/audit?actor=ggc.admin&action=staff.&limit=2&before=${mine.body.next_before}`);
        assert.ok(next.body.entries.every((e) => e.id < mine.body.next_before));
        const expected = sql(`SELECT id FROM audit_log WHERE board_id = (SELECT id FROM board WHERE slug = 'ggc')
                              AND actor_name = 'ggc.admin' AND action LIKE 'staff.%' ORDER BY id DESC LIMIT 4`).map((r) => r.id);
        assert.deepEqual([...mine.body.entries, ...next.body.entries].map((e) => e.id), expected);
        const future = await admin.get(T.audit, '/api/v1/boards/ggc/audit?from=2999-01-01');
        assert.deepEqual(future.body.entries, []);
        for (const bad of ['from=yesterday', 'limit=0', 'limit=201', 'before=-1', 'colour=red', 'to=2026-02-30'])
            assert.equal((await admin.get(T.audit, `/api/v1/boards/ggc/audit?${bad}`)).status, 400, bad);
    });
});

describe('API tokens', () => {
    test('act with their role on their board only, need no CSRF token, and stop at once when revoked', async () => {
        const admin = sessions.ggc.board_admin;
        const made = await admin.send('POST', T.tokens, '/api/v1/boards/ggc/tokens', { name: 'integration test', role: 'board_admin', expires_in_days: 30 });
        assert.equal(made.status, 201);
        assert.match(made.body.token, /^S08000031\./);
        const stored = sqlOne(`SELECT encode(token_hash, 'hex') AS h FROM api_token WHERE id = ${lit(made.body.id)}`);
        assert.ok(!stored.h.includes(Buffer.from(made.body.token).toString('hex')), 'only a hash is stored');
        assert.equal((await admin.get(T.tokens, '/api/v1/boards/ggc/tokens')).text.includes(made.body.token), false);

        const integration = new Session(null, null, null, made.body.token);
        assert.equal((await integration.get(T.staffList, '/api/v1/boards/ggc/staff')).status, 200);
        const created = await integration.send('POST', T.staffList, '/api/v1/boards/ggc/staff',
                                               { username: freshUsername('viatoken'), display_name: 'Via Token', role: 'gp', password: 'temporary password 1' });
        assert.equal(created.status, 201, created.text);
        const audit = sqlOne(`SELECT actor_token_id, actor_id FROM audit_log WHERE action = 'staff.created' AND object_id = ${lit(created.body.id)}`);
        assert.equal(audit.actor_token_id, made.body.id);
        assert.equal(audit.actor_id, admin.me.staff.id);
        assert.equal((await integration.get(T.staffList, '/api/v1/boards/fife/staff')).status, 404);

        const receptionistToken = new Session(null, null, null, fixtures.fife.tokenSecret);
        const fifeRevoked = sqlOne(`SELECT revoked_at FROM api_token WHERE id = ${lit(fixtures.fife.token)}`).revoked_at;
        assert.ok(fifeRevoked, 'the matrix revoked the fixture token');
        const r = await receptionistToken.get(T.practices, '/api/v1/boards/fife/practices');
        assert.equal(r.status, 401);
        assert.equal(r.body.title, 'API token no longer valid');

        const revoked = await admin.send('DELETE', T.token, `/api/v1/boards/ggc/tokens/${made.body.id}`);
        assert.equal(revoked.status, 200);
        assert.equal(revoked.body.active, false);
        assert.equal((await integration.get(T.staffList, '/api/v1/boards/ggc/staff')).status, 401);
        for (const bad of ['Bearer nonsense', 'Bearer S08000031.short', 'Basic dXNlcjpwYXNz', `Bearer system.${'a'.repeat(43)}`]) {
            const res = await call('GET', T.staffList, '/api/v1/boards/ggc/staff', { headers: { Authorization: bad } });
            assert.equal(res.status, 401, bad);
        }
    });

    test('a token stops working when its maker is disabled or is no longer an administrator', async () => {
        const admin = sessions.ggc.board_admin;
        const username = freshUsername('maker');
        const maker = await admin.send('POST', T.staffList, '/api/v1/boards/ggc/staff',
                                       { username, display_name: 'Token Maker', role: 'board_admin', password: 'temporary password 1' });
        const s = await signIn('ggc', username, 'temporary password 1');
        await s.send('POST', T.password, '/api/v1/session/password', { current_password: 'temporary password 1', new_password: 'my own password 1' });
        const token = new Session(null, null, null,
                                  (await s.send('POST', T.tokens, '/api/v1/boards/ggc/tokens', { name: 'outlives me?', role: 'board_admin' })).body.token);
        assert.equal((await token.get(T.staffList, '/api/v1/boards/ggc/staff')).status, 200);
        await admin.send('PATCH', T.staff, `/api/v1/boards/ggc/staff/${maker.body.id}`, { role: 'gp' });
        let r = await token.get(T.staffList, '/api/v1/boards/ggc/staff');
        assert.equal(r.status, 401);
        assert.match(r.body.detail, /no longer an enabled administrator/);
        await admin.send('PATCH', T.staff, `/api/v1/boards/ggc/staff/${maker.body.id}`, { role: 'board_admin' });
        assert.equal((await token.get(T.staffList, '/api/v1/boards/ggc/staff')).status, 200);
        await admin.send('PATCH', T.staff, `/api/v1/boards/ggc/staff/${maker.body.id}`, { disabled: true });
        r = await token.get(T.staffList, '/api/v1/boards/ggc/staff');
        assert.equal(r.status, 401);
    });

    test('a system administrator\'s token works, is audited as theirs, and stops when they are disabled', async () => {
        const system = sessions.ggc.system_admin;
        const made = await system.send('POST', T.tokens, '/api/v1/boards/fife/tokens', { name: 'deployment job', role: 'board_admin' });
        assert.equal(made.status, 201, made.text);
        const token = new Session(null, null, null, made.body.token);
        const created = await token.send('POST', T.staffList, '/api/v1/boards/fife/staff',
                                         { username: freshUsername('bysys'), display_name: 'By System Token', role: 'gp', password: 'temporary password 1' });
        assert.equal(created.status, 201, created.text);
        const audit = sqlOne(`SELECT actor_id, actor_board_key, actor_token_id, board_id FROM audit_log
                              WHERE action = 'staff.created' AND object_id = ${lit(created.body.id)}`);
        assert.deepEqual(audit, { actor_id: system.me.staff.id, actor_board_key: 0, actor_token_id: made.body.id,
                                  board_id: sqlOne(`SELECT id FROM board WHERE slug = 'fife'`).id });
        // A token does not make or revoke tokens (so none outlives its revocation).
        const minted = await token.send('POST', T.tokens, '/api/v1/boards/fife/tokens', { name: 'child', role: 'board_admin' });
        assert.equal(minted.status, 403);
        assert.equal(minted.body.title, 'Not allowed with an API token');
        assert.equal((await token.send('DELETE', T.token, `/api/v1/boards/fife/tokens/${made.body.id}`)).status, 403);
        assert.equal((await system.send('DELETE', T.token, `/api/v1/boards/fife/tokens/${made.body.id}`)).status, 200);
        assert.equal((await token.get(T.staffList, '/api/v1/boards/fife/staff')).status, 401);
    });

    test('a token cannot be made for a role the maker may not give, nor with bad fields', async () => {
        const admin = sessions.ggc.board_admin;
        for (const body of [{ name: 'x', role: 'system_admin' }, { name: '', role: 'gp' }, { role: 'gp' },
                            { name: 'x', role: 'gp', expires_in_days: 0 }, { name: 'x', role: 'gp', practice_id: 'nope' }]) {
            const r = await admin.send('POST', T.tokens, '/api/v1/boards/ggc/tokens', body);
            assert.equal(r.status, 400, JSON.stringify(body));
        }
        const r = await admin.send('POST', T.tokens, '/api/v1/boards/ggc/tokens',
                                   { name: 'x', role: 'gp', practice_id: sqlOne(`SELECT p.id FROM practice p JOIN board b ON b.id = p.board_id WHERE b.slug = 'fife' LIMIT 1`).id });
        assert.equal(r.status, 400, 'a Fife practice is not a Glasgow token\'s');
        assert.deepEqual(r.body.errors.map((e) => e.field), ['practice_id']);
    });
});

describe('staff administration', () => {
    test('creating an account checks every field and refuses a username already taken', async () => {
        const admin = sessions.fife.board_admin;
        const username = freshUsername('dup');
        const good = { username, display_name: 'Dup Licate', role: 'gp', password: 'temporary password 1' };
        assert.equal((await admin.send('POST', T.staffList, '/api/v1/boards/fife/staff', good)).status, 201);
        const again = await admin.send('POST', T.staffList, '/api/v1/boards/fife/staff', good);
        assert.equal(again.status, 409);
        // The same username on the other board is a different account.
        const other = await sessions.ggc.board_admin.send('POST', T.staffList, '/api/v1/boards/ggc/staff', good);
        assert.equal(other.status, 201);
        const bad = await admin.send('POST', T.staffList, '/api/v1/boards/fife/staff',
                                     { username: 'Has Spaces', display_name: '', role: 'chief', password: 'short', colour: 'red' });
        assert.equal(bad.status, 400);
        assert.deepEqual(bad.body.errors.map((e) => e.field).sort(), ['colour', 'display_name', 'password', 'role', 'username']);
        const ggcPractice = sqlOne(`SELECT p.id FROM practice p JOIN board b ON b.id = p.board_id WHERE b.slug = 'ggc' LIMIT 1`).id;
        const cross = await admin.send('POST', T.staffList, '/api/v1/boards/fife/staff',
                                       { ...good, username: freshUsername('cross'), practice_id: ggcPractice });
        assert.equal(cross.status, 400);
        assert.deepEqual(cross.body.errors.map((e) => e.field), ['practice_id']);
    });

    test('disabling an account ends its sessions at once and refuses its sign-in', async () => {
        const admin = sessions.ggc.board_admin;
        const username = freshUsername('leaver');
        const created = await admin.send('POST', T.staffList, '/api/v1/boards/ggc/staff',
                                         { username, display_name: 'Leaver', role: 'gp', password: 'temporary password 1' });
        const person = await signIn('ggc', username, 'temporary password 1');
        assert.equal((await person.get(T.session, '/api/v1/session')).status, 200);
        const disabled = await admin.send('PATCH', T.staff, `/api/v1/boards/ggc/staff/${created.body.id}`, { disabled: true });
        assert.equal(disabled.body.disabled, true);
        const r = await person.get(T.session, '/api/v1/session');
        assert.equal(r.status, 401);
        assert.match(r.body.detail, /disabled/);
        const again = await call('POST', T.signIn, '/api/v1/boards/ggc/session',
                                 { headers: JSON_TYPE, body: JSON.stringify({ username, password: 'temporary password 1' }) });
        assert.equal(again.status, 403);
        assert.equal(again.body.title, 'Account disabled');
        const audit = sql(`SELECT action FROM audit_log WHERE object_id = ${lit(created.body.id)} OR actor_id = ${lit(created.body.id)}
                           ORDER BY id`).map((a) => a.action);
        assert.deepEqual(audit, ['staff.created', 'sign_in', 'staff.disabled', 'sign_in.refused']);
        const enabled = await admin.send('PATCH', T.staff, `/api/v1/boards/ggc/staff/${created.body.id}`, { disabled: false });
        assert.equal(enabled.body.disabled, false);
        await signIn('ggc', username, 'temporary password 1');
    });

    test('a password set by an administrator must be changed before anything else', async () => {
        const admin = sessions.fife.board_admin;
        const username = freshUsername('newstarter');
        const created = await admin.send('POST', T.staffList, '/api/v1/boards/fife/staff',
                                         { username, display_name: 'New Starter', role: 'links_worker', password: 'temporary password 1' });
        assert.equal(created.body.must_change_password, true);
        const person = await signIn('fife', username, 'temporary password 1');
        assert.equal(person.me.staff.must_change_password, true);
        const blocked = await person.get(T.practices, '/api/v1/boards/fife/practices');
        assert.equal(blocked.status, 403);
        assert.equal(blocked.body.title, 'Password change needed');
        const wrong = await person.send('POST', T.password, '/api/v1/session/password', { current_password: 'not it at all', new_password: 'my own password 1' });
        assert.equal(wrong.status, 400);
        assert.deepEqual(wrong.body.errors.map((e) => e.field), ['current_password']);
        const short = await person.send('POST', T.password, '/api/v1/session/password', { current_password: 'temporary password 1', new_password: 'elevenchars' });
        assert.equal(short.status, 400);
        assert.deepEqual(short.body.errors.map((e) => e.field), ['new_password']);
        // 64 characters and more are fine (up to 128).
        const long = 'x'.repeat(40) + ' and a long sentence too';
        assert.equal(long.length, 64);
        const ok = await person.send('POST', T.password, '/api/v1/session/password', { current_password: 'temporary password 1', new_password: long });
        assert.equal(ok.status, 200, ok.text);
        assert.equal(ok.body.staff.must_change_password, false);
        assert.equal((await person.get(T.practices, '/api/v1/boards/fife/practices')).status, 200);
        await signIn('fife', username, long);
        const old = await call('POST', T.signIn, '/api/v1/boards/fife/session',
                               { headers: JSON_TYPE, body: JSON.stringify({ username, password: 'temporary password 1' }) });
        assert.equal(old.status, 401);
        const tooLong = await person.send('POST', T.password, '/api/v1/session/password', { current_password: long, new_password: 'y'.repeat(129) });
        assert.equal(tooLong.status, 400);
        const stored = sqlOne(`SELECT password_hash FROM staff WHERE id = ${lit(created.body.id)}`).password_hash;
        assert.match(stored, /^\$argon2id\$v=19\$m=65536,t=2,p=1\$/);
    });
});

describe('practices', () => {
    test('an administrator adds a practice (checked, placed at its postcode, audited) and keeps it current', async () => {
        const admin = sessions.ggc.board_admin;
        const code = freshPracticeCode();
        const body = { code, name: 'Kelvin Test Practice', address: '2 University Avenue, Glasgow', postcode: 'g128qq', list_size: 6500, has_links_worker: true };
        const made = await admin.send('POST', T.practices, '/api/v1/boards/ggc/practices', body);
        assert.equal(made.status, 201, made.text);
        assert.equal(made.headers.get('location'), `/api/v1/boards/ggc/practices/${made.body.id}`);
        assert.equal(made.body.postcode, 'G12 8QQ');
        assert.equal(made.body.list_size_synthetic, false);
        const placed = sqlOne(`SELECT p.lat = pc.lat AND p.lon = pc.lon AS at_postcode FROM practice p
                               JOIN postcode pc ON pc.postcode = p.postcode WHERE p.id = ${lit(made.body.id)}`);
        assert.equal(placed.at_postcode, true);
        assert.equal((await admin.send('POST', T.practices, '/api/v1/boards/ggc/practices', body)).status, 409);
        // Practice codes are Scotland-wide: Fife cannot reuse it either.
        const fife = await sessions.fife.board_admin.send('POST', T.practices, '/api/v1/boards/fife/practices', { ...body, postcode: 'KY1 1AB' });
        assert.equal(fife.status, 409);
        // A practice is in its board's area.
        const elsewhere = await admin.send('POST', T.practices, '/api/v1/boards/ggc/practices', { ...body, code: freshPracticeCode(), postcode: 'KY1 1AB' });
        assert.equal(elsewhere.status, 400);
        assert.match(elsewhere.body.errors[0].message, /is in NHS Fife's area/);
        const bad = await admin.send('POST', T.practices, '/api/v1/boards/ggc/practices',
                                     { code: '12ab', name: '', address: 'x', postcode: 'nowhere', list_size: 0, colour: 'blue' });
        assert.equal(bad.status, 400);
        assert.deepEqual(bad.body.errors.map((e) => e.field).sort(), ['code', 'colour', 'list_size', 'name', 'postcode']);

        const changed = await admin.send('PATCH', T.practice, `/api/v1/boards/ggc/practices/${made.body.id}`, { list_size: 7000, closed: true, phone: '0141 000 0000' });
        assert.equal(changed.status, 200);
        assert.deepEqual([changed.body.list_size, changed.body.closed, changed.body.phone], [7000, true, '0141 000 0000']);
        const audit = sql(`SELECT action, detail FROM audit_log WHERE object_id = ${lit(made.body.id)} ORDER BY id`);
        assert.deepEqual(audit.map((a) => a.action), ['practice.created', 'practice.updated']);
        assert.deepEqual(audit[1].detail.from, { phone: null, list_size: 6500, has_links_worker: true, closed: false });
        assert.deepEqual(audit[1].detail.to, { phone: '0141 000 0000', list_size: 7000, has_links_worker: true, closed: true });
        for (const body2 of [{}, { list_size: -1 }, { closed: 'yes' }, { name: 'renamed' }])
            assert.equal((await admin.send('PATCH', T.practice, `/api/v1/boards/ggc/practices/${made.body.id}`, body2)).status, 400, JSON.stringify(body2));
    });
});
