// 71-sign-in: passwords, lockout and its end, address throttling, session
// expiry, sign-out, CSRF, cross-site requests and request bodies; each a
// clear 4xx, each audited where it should be. Time passing (15 minutes of
// lockout, 30 minutes idle, 12 hours) is stood in for by moving the
// recorded times back in the database.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { after, before, describe, test } from 'node:test';

import { call, T } from './lib/api.mjs';
import { lit, psql, sql, sqlOne } from './lib/db.mjs';
import { env } from './lib/env.mjs';
import { cookieOf, freshUsername, JSON_TYPE, postSignIn, Session, signIn, signInDemo } from './lib/staff.mjs';

let admin;
const clearAddressFailures = () => psql(['-c', 'DELETE FROM sign_in_failure']);

before(async () => {
    clearAddressFailures();
    admin = await signInDemo('ggc', 'board_admin');
});
after(clearAddressFailures);

async function newAccount(board = 'ggc', role = 'gp') {
    const username = freshUsername('signin');
    const password = 'temporary password 1';
    const boardAdmin = board === 'ggc' ? admin : await signInDemo(board, 'board_admin');
    const r = await boardAdmin.send('POST', T.staffList, `/api/v1/boards/${board}/staff`,
                                    { username, display_name: 'Sign In Test', role, password });
    assert.equal(r.status, 201, r.text);
    return { username, password, id: r.body.id };
}

const auditFor = (id) => sql(`SELECT action, reason, actor_name, client_address FROM audit_log
                              WHERE object_id = ${lit(id)} OR actor_id = ${lit(id)} ORDER BY id`);

describe('passwords and lockout', () => {
    test('a wrong password and an unknown username get the same 401, both audited with the address', async () => {
        const a = await newAccount();
        const wrong = await postSignIn('ggc', a.username, 'not the password');
        const nobody = freshUsername('nobody');
        const unknown = await postSignIn('ggc', nobody, 'not the password');
        for (const r of [wrong, unknown]) {
            assert.equal(r.status, 401);
            assert.equal(r.body.title, 'Wrong username or password');
            assert.equal(r.headers.get('set-cookie'), null);
        }
        assert.equal(wrong.body.detail, unknown.body.detail);
        assert.deepEqual(auditFor(a.id).slice(-1), [{ action: 'sign_in.failed', reason: 'wrong password', actor_name: a.username, client_address: '127.0.0.1' }]);
        const u = sql(`SELECT reason FROM audit_log WHERE action = 'sign_in.failed' AND actor_name = ${lit(nobody)}`);
        assert.deepEqual(u, [{ reason: 'unknown username' }]);
        // Usernames are not case-sensitive; passwords are.
        assert.equal((await postSignIn('ggc', a.username.toUpperCase(), a.password)).status, 200);
        assert.equal((await postSignIn('ggc', a.username, a.password.toUpperCase())).status, 401);
        // A Glasgow account does not sign in to Fife.
        assert.equal((await postSignIn('fife', a.username, a.password)).status, 401);
    });

    test('five wrong passwords lock the account; the lock is explained, audited, refuses the right password, and ends', async () => {
        const a = await newAccount();
        for (let i = 1; i <= 4; i++)
            assert.equal((await postSignIn('ggc', a.username, `wrong ${i}`)).status, 401, `attempt ${i}`);
        const fifth = await postSignIn('ggc', a.username, 'wrong 5');
        assert.equal(fifth.status, 403);
        assert.equal(fifth.body.title, 'Account locked');
        assert.match(fifth.body.detail, /5 wrong passwords in a row, until \d\d:\d\d \(UK time\)\. Your board administrator can unlock it/);
        const retry = Number(fifth.headers.get('retry-after'));
        assert.ok(retry > 14 * 60 && retry <= 15 * 60, `Retry-After ${retry}`);
        const right = await postSignIn('ggc', a.username, a.password);
        assert.equal(right.status, 403);
        assert.equal(right.body.title, 'Account locked');
        const listed = (await admin.get(T.staff, `/api/v1/boards/ggc/staff/${a.id}`)).body;
        assert.equal(listed.locked, true);
        assert.equal(listed.failed_sign_ins, 5);
        assert.deepEqual(auditFor(a.id).map((e) => [e.action, e.reason]).slice(1), [
            ['sign_in.failed', 'wrong password'], ['sign_in.failed', 'wrong password'], ['sign_in.failed', 'wrong password'],
            ['sign_in.failed', 'wrong password'], ['sign_in.failed', 'wrong password'],
            ['account.locked', '5 wrong passwords in a row'], ['sign_in.refused', 'account locked'],
        ]);
        // Fifteen minutes later (the lock's end moved to the past):
        psql(['-c', `UPDATE staff SET locked_until = now() - interval '1 second' WHERE id = ${lit(a.id)}`]);
        const later = await postSignIn('ggc', a.username, a.password);
        assert.equal(later.status, 200, later.text);
        assert.deepEqual(sqlOne(`SELECT failed_sign_ins, locked_until FROM staff WHERE id = ${lit(a.id)}`),
                         { failed_sign_ins: 0, locked_until: null });
    });

    test('parallel wrong passwords are counted one by one: exactly five are tried, the rest are refused as locked', async () => {
        const a = await newAccount();
        const results = await Promise.all(Array.from({ length: 16 }, (_, i) => postSignIn('ggc', a.username, `wrong ${i}`)));
        const statuses = results.map((r) => r.status);
        assert.equal(statuses.filter((s) => s === 401).length, 4, JSON.stringify(statuses));
        assert.equal(statuses.filter((s) => s === 403).length, 12, JSON.stringify(statuses));
        const actions = auditFor(a.id).map((e) => e.action);
        assert.equal(actions.filter((x) => x === 'sign_in.failed').length, 5);
        assert.equal(actions.filter((x) => x === 'account.locked').length, 1);
        assert.equal(actions.filter((x) => x === 'sign_in.refused').length, 11);
        assert.equal(sqlOne(`SELECT failed_sign_ins FROM staff WHERE id = ${lit(a.id)}`).failed_sign_ins, 5);
        // A right password sent alongside cannot undo the lock.
        assert.equal((await postSignIn('ggc', a.username, a.password)).status, 403);
        clearAddressFailures();
    });

    test('wrong current passwords when changing one\'s password count towards the lockout too', async () => {
        const a = await newAccount();
        const s = await signIn('ggc', a.username, a.password);
        for (let i = 1; i <= 4; i++) {
            const r = await s.send('POST', T.password, '/api/v1/session/password', { current_password: `guess ${i}`, new_password: 'a new password 1' });
            assert.equal(r.status, 400, `guess ${i}`);
        }
        const fifth = await s.send('POST', T.password, '/api/v1/session/password', { current_password: 'guess 5', new_password: 'a new password 1' });
        assert.equal(fifth.status, 403);
        assert.equal(fifth.body.title, 'Account locked');
        const right = await s.send('POST', T.password, '/api/v1/session/password', { current_password: a.password, new_password: 'a new password 1' });
        assert.equal(right.status, 403, 'locked: not even the right password now');
        assert.equal((await postSignIn('ggc', a.username, a.password)).status, 403);
        assert.deepEqual(auditFor(a.id).map((e) => e.action).filter((x) => x !== 'sign_in' && x !== 'staff.created'),
                         ['password.change_failed', 'password.change_failed', 'password.change_failed', 'password.change_failed',
                          'password.change_failed', 'account.locked', 'sign_in.refused']);
        clearAddressFailures();
    });

    test('after a lock has run out, one more wrong password does not lock again at once', async () => {
        const a = await newAccount();
        for (let i = 1; i <= 5; i++)
            await postSignIn('ggc', a.username, `wrong ${i}`);
        psql(['-c', `UPDATE staff SET locked_until = now() - interval '1 second' WHERE id = ${lit(a.id)}`]);
        const r = await postSignIn('ggc', a.username, 'wrong again');
        assert.equal(r.status, 401);
        assert.equal(sqlOne(`SELECT failed_sign_ins FROM staff WHERE id = ${lit(a.id)}`).failed_sign_ins, 1);
    });

    test('a board administrator unlocks an account at once (audited)', async () => {
        const a = await newAccount();
        for (let i = 1; i <= 5; i++)
            await postSignIn('ggc', a.username, `wrong ${i}`);
        const unlocked = await admin.send('PATCH', T.staff, `/api/v1/boards/ggc/staff/${a.id}`, { unlock: true });
        assert.equal(unlocked.status, 200);
        assert.equal(unlocked.body.locked, false);
        assert.equal((await postSignIn('ggc', a.username, a.password)).status, 200);
        assert.ok(auditFor(a.id).some((e) => e.action === 'staff.unlocked'));
    });

    test('30 failed sign-ins from one address in 15 minutes are refused with 429, whatever the username', async () => {
        clearAddressFailures();
        const since = sqlOne('SELECT coalesce(max(id), 0) AS id FROM audit_log').id;
        let last;
        for (let i = 0; i < 30; i++) {
            last = await postSignIn('fife', `guess.${i}`, 'password123456');
            assert.equal(last.status, 401, `guess ${i}: ${last.text}`);
        }
        const refused = await postSignIn('fife', 'fife.admin', 'community-links-demo');
        assert.equal(refused.status, 429);
        assert.equal(refused.body.title, 'Too many failed sign-ins');
        assert.ok(Number(refused.headers.get('retry-after')) > 0);
        assert.equal(sql(`SELECT 1 FROM audit_log WHERE action = 'sign_in.throttled' AND actor_name = 'fife.admin' AND id > ${since}`).length, 1);
        clearAddressFailures();
        assert.equal((await postSignIn('fife', 'fife.admin', 'community-links-demo')).status, 200);
    });
});

describe('system administrators', () => {
    const createAdmin = (username, password) => spawnSync(`${env.build}/linksctl`,
        ['-d', `host=${env.run}/pgsock port=${env.pgPort} dbname=links user=links_owner`, 'create-admin', username],
        { input: `${password}\n`, encoding: 'utf8', timeout: 60000 });

    test('linksctl create-admin makes one; their lockout is explained, recorded in the deployment log, and lifted by create-admin', async () => {
        const username = freshUsername('sysadmin');
        const short = createAdmin(username, 'too short');
        assert.equal(short.status, 2);
        assert.match(short.stderr, /at least 12 characters/);
        const made = createAdmin(username, 'first system password');
        assert.equal(made.status, 0, made.stderr);
        const s = await signIn(null, username, 'first system password');
        assert.equal(s.me.staff.role, 'system_admin');
        assert.equal(s.me.board, null);
        let last;
        for (let i = 1; i <= 5; i++)
            last = await postSignIn(null, username, `wrong ${i}`);
        assert.equal(last.status, 403);
        assert.match(last.body.detail, /linksctl create-admin/);
        const log = await s.get(T.deploymentAudit, `/api/v1/audit?actor=${encodeURIComponent(username.toUpperCase())}`);
        assert.equal(log.status, 200);
        assert.deepEqual(log.body.entries.map((e) => e.action).slice(0, 2), ['account.locked', 'sign_in.failed']);
        // Board administrators see neither this log nor these entries.
        const boardAdmin = await signInDemo('ggc', 'board_admin');
        assert.equal((await boardAdmin.get(T.deploymentAudit, '/api/v1/audit')).status, 403);
        const ggcLog = await boardAdmin.get(T.audit, `/api/v1/boards/ggc/audit?actor=${encodeURIComponent(username)}`);
        assert.deepEqual(ggcLog.body.entries, []);
        assert.equal(createAdmin(username, 'second system password').status, 0);
        await signIn(null, username, 'second system password');
        clearAddressFailures();
    });
});

describe('sessions', () => {
    test('the cookie is HttpOnly, SameSite=Strict, holds a random token stored only as a hash, and is new at each sign-in', async () => {
        const a = await newAccount();
        const r1 = await postSignIn('ggc', a.username, a.password);
        const r2 = await postSignIn('ggc', a.username, a.password);
        const set = r1.headers.get('set-cookie');
        assert.match(set, /^links_session=S08000031\.[A-Za-z0-9_-]{43}; Path=\/; Max-Age=43200; HttpOnly; SameSite=Strict$/);
        assert.notEqual(cookieOf(r1), cookieOf(r2));
        const token = cookieOf(r1).split('=')[1];
        const rows = sql(`SELECT encode(token_hash, 'hex') AS h FROM staff_session WHERE staff_id = ${lit(a.id)}`);
        assert.equal(rows.length, 2);
        for (const row of rows)
            assert.ok(!row.h.includes(Buffer.from(token).toString('hex')) && row.h.length === 64);
        assert.equal(sql(`SELECT 1 FROM audit_log WHERE action = 'sign_in' AND actor_id = ${lit(a.id)}`).length, 2);
    });

    test('30 minutes without activity end a session (audited once); a 12-hour-old session ends even if active', async () => {
        const a = await newAccount();
        const idle = await signIn('ggc', a.username, a.password);
        const sid = sqlOne(`SELECT id FROM staff_session WHERE staff_id = ${lit(a.id)}`).id;
        assert.equal((await idle.get(T.session, '/api/v1/session')).status, 200);
        psql(['-c', `UPDATE staff_session SET last_seen_at = now() - interval '31 minutes' WHERE id = ${lit(sid)}`]);
        for (let i = 0; i < 2; i++) {
            const r = await idle.get(T.session, '/api/v1/session');
            assert.equal(r.status, 401);
            assert.equal(r.body.title, 'Session ended');
            assert.match(r.body.detail, /30 minutes without activity/);
        }
        assert.deepEqual(sql(`SELECT object_id FROM audit_log WHERE action = 'session.expired' AND actor_id = ${lit(a.id)}`), [{ object_id: sid }]);
        assert.equal(sqlOne(`SELECT end_reason FROM staff_session WHERE id = ${lit(sid)}`).end_reason, 'idle timeout');

        const long = await signIn('ggc', a.username, a.password);
        psql(['-c', `UPDATE staff_session SET created_at = now() - interval '12 hours 1 minute'
                     WHERE staff_id = ${lit(a.id)} AND ended_at IS NULL`]);
        const r = await long.get(T.session, '/api/v1/session');
        assert.equal(r.status, 401);
        assert.match(r.body.detail, /at most 12 hours/);
    });

    test('sign-out ends the session for good: the same cookie is refused afterwards, and signing out again is a 401', async () => {
        const a = await newAccount();
        const s = await signIn('ggc', a.username, a.password);
        const out = await s.send('DELETE', T.session, '/api/v1/session');
        assert.equal(out.status, 204);
        assert.match(out.headers.get('set-cookie'), /^links_session=; Path=\/; Max-Age=0;/);
        const reused = await s.get(T.session, '/api/v1/session');
        assert.equal(reused.status, 401);
        assert.match(reused.body.detail, /signed out/);
        assert.equal((await s.send('DELETE', T.session, '/api/v1/session')).status, 401);
        assert.equal((await s.get(T.practices, '/api/v1/boards/ggc/practices')).status, 401);
        assert.deepEqual(auditFor(a.id).filter((e) => e.action === 'sign_out').length, 1);
    });

    test('a made-up or malformed session cookie is a 401 on staff endpoints and is ignored by public ones', async () => {
        for (const cookie of [`links_session=S08000031.${'A'.repeat(43)}`, 'links_session=garbage', 'links_session=',
                              `links_session=S08000099.${'A'.repeat(43)}`, `links_session=system.${'b'.repeat(43)}`]) {
            const s = new Session(cookie);
            const r = await s.get(T.session, '/api/v1/session');
            assert.equal(r.status, 401, cookie);
            assert.equal((await s.get(T.search, '/api/v1/boards/ggc/resources?q=food')).status, 200, cookie);
        }
        // A stale cookie does not stop a new sign-in.
        const r = await call('POST', T.signIn, '/api/v1/boards/ggc/session', {
            headers: { ...JSON_TYPE, Cookie: 'links_session=garbage' },
            body: JSON.stringify({ username: 'ggc.gp', password: 'community-links-demo' }),
        });
        assert.equal(r.status, 200);
    });

    test('GET /api/v1/session says who is signed in, their board, role, practice and permissions', async () => {
        const nurse = await signInDemo('fife', 'practice_nurse');
        const r = await nurse.get(T.session, '/api/v1/session');
        assert.equal(r.status, 200);
        const row = sqlOne(`SELECT s.id, s.display_name, p.id AS practice_id, p.name AS practice_name,
                                   p.has_links_worker FROM staff s
                            JOIN practice p ON p.id = s.practice_id WHERE s.username = 'fife.nurse'`);
        assert.equal(r.body.staff.id, row.id);
        assert.equal(r.body.staff.display_name, row.display_name);
        assert.deepEqual(r.body.staff.practice, { id: row.practice_id, name: row.practice_name,
                                                  has_links_worker: row.has_links_worker });
        assert.equal(r.body.staff.role_label, 'Practice nurse');
        assert.deepEqual(r.body.board, { code: 'S08000029', slug: 'fife', name: 'NHS Fife' });
        assert.equal(r.body.csrf_token, nurse.csrf);
        assert.ok(r.body.permissions.includes('referral.create') && !r.body.permissions.includes('staff.manage'));
        const system = await signIn(null, 'admin');
        assert.equal(system.me.board, null);
        assert.equal(system.me.staff.role, 'system_admin');
        // A system administrator signs in at /api/v1/session, not as a board's staff.
        assert.equal((await postSignIn('ggc', 'admin', 'community-links-demo')).status, 401);
    });
});

describe('CSRF and cross-site requests', () => {
    test('a change with the session cookie but without the CSRF token, or with a wrong one, is refused (403, audited)', async () => {
        const a = await newAccount('ggc', 'board_admin');
        const s = await signIn('ggc', a.username, a.password);
        await s.send('POST', T.password, '/api/v1/session/password', { current_password: a.password, new_password: 'my own password 1' });
        const target = (await newAccount()).id;
        const missing = await s.send('PATCH', T.staff, `/api/v1/boards/ggc/staff/${target}`, { display_name: 'No Token' }, { csrf: false });
        assert.equal(missing.status, 403);
        assert.equal(missing.body.title, 'Missing or wrong CSRF token');
        const wrong = await s.send('PATCH', T.staff, `/api/v1/boards/ggc/staff/${target}`, { display_name: 'Wrong Token' },
                                   { csrf: false, headers: { 'X-CSRF-Token': 'A'.repeat(43) } });
        assert.equal(wrong.status, 403);
        assert.equal(sqlOne(`SELECT display_name FROM staff WHERE id = ${lit(target)}`).display_name, 'Sign In Test');
        const audit = sql(`SELECT reason FROM audit_log WHERE action = 'csrf.rejected' AND actor_id = ${lit(a.id)} ORDER BY id`);
        assert.deepEqual(audit.map((e) => e.reason), ['X-CSRF-Token missing', 'X-CSRF-Token wrong']);
        const logout = await s.send('DELETE', T.session, '/api/v1/session', undefined, { csrf: false });
        assert.equal(logout.status, 403, 'sign-out needs the token too (no forced sign-out from other sites)');
        // Reads need no token, and the session still works.
        assert.equal((await s.get(T.staffList, '/api/v1/boards/ggc/staff')).status, 200);
    });

    test('a change sent from another site\'s page (Origin) is refused before anything else', async () => {
        const r = await postSignIn('ggc', 'ggc.gp', 'community-links-demo', { headers: { Origin: 'https://evil.example' } });
        assert.equal(r.status, 403);
        assert.equal(r.body.title, 'Cross-site request refused');
        const ok = await postSignIn('ggc', 'ggc.gp', 'community-links-demo', { headers: { Origin: env.baseUrl } });
        assert.equal(ok.status, 200);
    });
});

describe('request bodies', () => {
    const url = '/api/v1/boards/ggc/session';
    const send = (headers, body) => call('POST', T.signIn, url, { headers, body });

    test('must be application/json: a form, text or no media type is a 415', async () => {
        for (const type of ['application/x-www-form-urlencoded', 'text/plain', 'multipart/form-data; boundary=x',
                            'application/json; charset=latin1', 'application/jsonx']) {
            const r = await send({ 'Content-Type': type }, 'username=ggc.gp&password=community-links-demo');
            assert.equal(r.status, 415, type);
            assert.equal(r.body.title, 'Unsupported media type');
        }
        assert.equal((await send({ 'Content-Type': 'application/json; charset=UTF-8' },
                                 JSON.stringify({ username: 'ggc.gp', password: 'community-links-demo' }))).status, 200);
    });

    test('must be one JSON object with known members of the right types', async () => {
        const cases = [
            ['', /JSON object/], ['{', /not valid JSON/], ['[]', /must be a JSON object/], ['"text"', /must be a JSON object/],
            ['{"username":"a","username":"b","password":"x"}', /not valid JSON/],
            ['{"username":"ggc.gp","password":"community-links-demo","extra":1}', /extra is not a field/],
            ['{"username":42,"password":"x"}', /username must be text/], ['{"username":"ggc.gp"}', /password is required/],
            ['{"username":"a\\u0000b","password":"x"}', /NUL|not valid JSON/],
        ];
        for (const [body, detail] of cases) {
            const r = await send(JSON_TYPE, body);
            assert.equal(r.status, 400, body);
            assert.match(r.body.detail, detail, body);
        }
        const bytes = Buffer.from([0x7b, 0x22, 0x75, 0x22, 0x3a, 0x22, 0xff, 0x22, 0x7d]);   // {"u":"\xff"}
        const r = await send(JSON_TYPE, bytes);
        assert.equal(r.status, 400);
        assert.match(r.body.detail, /UTF-8/);
    });

    test('over 64 KB is refused by nginx (413) before linksd reads it', async () => {
        const big = JSON.stringify({ username: 'x', password: 'y'.repeat(70 * 1024) });
        const r = await send(JSON_TYPE, big);
        assert.equal(r.status, 413);
        assert.equal(r.body.title, 'Request body too large');
    });
});
