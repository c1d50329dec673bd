// 72-board-isolation: row-level security keeps each board to its own rows
// even when a handler forgets its board filter; the database roles and
// keys that make that hold; and the hardening in front of it (HTTPS cookie
// and HSTS, security headers, nginx's sign-in rate limit, linksd's own
// body cap).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import { after, before, describe, test } from 'node:test';

import { call, sleep, T, waitFor } from './lib/api.mjs';
import { checkContract } from './lib/contract.mjs';
import { lit, psqlAs, sql, sqlOne } from './lib/db.mjs';
import { env } from './lib/env.mjs';
import { fastcgiRequest } from './lib/fastcgi.mjs';
import { freshUsername, signIn, signInDemo } from './lib/staff.mjs';

const boardId = (slug) => sqlOne(`SELECT id FROM board WHERE slug = ${lit(slug)}`).id;
const BOARD_TABLES = ['practice', 'staff', 'staff_session', 'api_token', 'audit_log', 'organization', 'service',
                      'service_category', 'location', 'service_at_location', 'schedule', 'phone', 'language',
                      'accessibility', 'service_area', 'schedule_exception', 'search_snapshot', 'service_change',
                      'signpost', 'patient', 'referral', 'referral_event', 'referral_contact', 'wellbeing_measure',
                      'referral_progress', 'report_summary', 'report_signpost_month', 'report_signpost_subject_month',
                      'report_referral_month', 'report_referral_needs_month'];

describe('the database enforces board isolation', () => {
    test('the runtime role is neither owner nor superuser nor BYPASSRLS, and no function is SECURITY DEFINER', () => {
        const role = sqlOne(`SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = 'links_app'`);
        assert.deepEqual(role, { rolsuper: false, rolbypassrls: false });
        assert.deepEqual(sql(`SELECT relname FROM pg_class WHERE relowner = 'links_app'::regrole`), []);
        assert.deepEqual(sql(`SELECT p.proname FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
                              WHERE n.nspname = 'public' AND p.prosecdef`), []);
    });

    test('every table with a board_id has row-level security enabled and forced', () => {
        const tables = sql(`SELECT c.relname, c.relrowsecurity, c.relforcerowsecurity FROM pg_class c
                            JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'board_id' AND NOT a.attisdropped
                            JOIN pg_namespace n ON n.oid = c.relnamespace
                            WHERE n.nspname = 'public' AND c.relkind = 'r' ORDER BY c.relname`);
        assert.deepEqual(tables.map((t) => t.relname).sort(), [...BOARD_TABLES].sort());
        for (const t of tables)
            assert.ok(t.relrowsecurity && t.relforcerowsecurity, `${t.relname}: RLS enabled and forced`);
    });

    test('as the runtime role, unfiltered queries see only the board set for the transaction', () => {
        const ggc = boardId('ggc');
        for (const table of ['practice', 'staff', 'staff_session', 'api_token', 'audit_log']) {
            const r = psqlAs('links_app', `BEGIN; SELECT set_config('app.board_id', '${ggc}', true);
                                          SELECT coalesce(string_agg(DISTINCT coalesce(board_id::text, 'null'), ','), '') FROM ${table}; COMMIT;`);
            assert.ok(r.ok, r.error);
            assert.equal(r.out.split('\n').pop(), String(ggc), `${table} under ggc`);
            const none = psqlAs('links_app', `SELECT count(*) FILTER (WHERE board_id IS NOT NULL) FROM ${table}`);
            assert.equal(none.out, '0', `${table} without a board: deployment rows only`);
            const all = sqlOne(`SELECT count(DISTINCT board_id) AS n FROM ${table}`).n;
            assert.ok(all >= 2 || table === 'api_token' || table === 'staff_session', `${table}: the test needs rows of both boards (${all})`);
        }
    });

    test('the runtime role cannot write another board\'s rows, nor change or delete the audit log', () => {
        const ggc = boardId('ggc'), fife = boardId('fife');
        const asGgc = (stmt) => psqlAs('links_app', `BEGIN; SELECT set_config('app.board_id', '${ggc}', true); ${stmt}; COMMIT;`);
        let r = asGgc(`INSERT INTO audit_log (board_id, action) VALUES (${fife}, 'test.cross_board')`);
        assert.ok(!r.ok && /row-level security/.test(r.error), r.error);
        r = asGgc(`UPDATE staff SET display_name = 'x' WHERE board_id = ${fife} RETURNING id`);
        assert.ok(r.ok);
        assert.equal(r.out.split('\n').filter((l) => /^[0-9a-f-]{36}$/.test(l)).length, 0, 'no Fife row is visible to update');
        for (const stmt of ['UPDATE audit_log SET reason = \'x\'', 'DELETE FROM audit_log', 'TRUNCATE audit_log']) {
            r = asGgc(stmt);
            assert.ok(!r.ok && /permission denied/.test(r.error), `${stmt}: ${r.error}`);
        }
        // Column grants: no back-dated entries, no sessions that never time out.
        r = asGgc(`INSERT INTO audit_log (board_id, action, at) VALUES (${ggc}, 'test.backdated', now() - interval '1 year')`);
        assert.ok(!r.ok && /permission denied/.test(r.error), r.error);
        r = asGgc(`INSERT INTO staff_session (board_id, token_hash, staff_id, csrf_token, last_seen_at)
                   SELECT ${ggc}, '\\x${'11'.repeat(32)}', id, '${'c'.repeat(43)}', 'infinity' FROM staff WHERE board_id = ${ggc} LIMIT 1`);
        assert.ok(!r.ok && /permission denied/.test(r.error), r.error);
        // Not even the owner can rewrite history.
        r = psqlAs('links_owner', 'UPDATE audit_log SET reason = \'rewritten\' WHERE id = (SELECT min(id) FROM audit_log)');
        assert.ok(!r.ok && /append-only/.test(r.error), r.error);
    });

    test('composite (board_id, id) keys stop a row pointing across boards, whoever writes it', () => {
        const ggcStaff = sqlOne(`SELECT id FROM staff WHERE username = 'ggc.gp'`).id;
        const fifePractice = sqlOne(`SELECT p.id FROM practice p WHERE p.board_id = ${boardId('fife')} LIMIT 1`).id;
        const cases = [
            `INSERT INTO staff_session (board_id, token_hash, staff_id, csrf_token)
             VALUES (${boardId('fife')}, '\\x${'00'.repeat(32)}', '${ggcStaff}', '${'c'.repeat(43)}')`,
            `UPDATE staff SET practice_id = '${fifePractice}' WHERE id = '${ggcStaff}'`,
            `INSERT INTO audit_log (board_id, action, actor_id, actor_board_key) VALUES (${boardId('fife')}, 'test.x', '${ggcStaff}', ${boardId('fife')})`,
        ];
        for (const stmt of cases) {
            const r = psqlAs('links_owner', stmt);
            assert.ok(!r.ok && /foreign key/.test(r.error), `${stmt}: ${r.error}`);
        }
    });
});

describe('a linksd whose handlers have no board filters still answers only for the board', () => {
    const dir = `${env.run}/linksd`;
    const socketPath = `${dir}/no-filter.sock`;
    const pidFile = `${dir}/no-filter.pid`;
    const configPath = `${env.run}/linksd-no-filter.conf`;
    const binary = `${env.build}/tests/linksd-no-board-filter`;
    const sessions = {};

    before(async () => {
        // The test means something only if the filters are really gone.
        const filter = 'board_id IS NOT DISTINCT FROM current_board_id()';
        assert.ok(fs.readFileSync(`${env.build}/linksd`).includes(filter), 'linksd carries the filter');
        assert.ok(!fs.readFileSync(binary).includes(filter), 'the test binary carries no filter');
        const conf = fs.readFileSync(`${env.run}/linksd.conf`, 'utf8')
            .replace(/^listen = .*$/m, 'listen = "fd:0";').replace(/^workers = .*$/m, 'workers = 1;');
        fs.writeFileSync(configPath, conf, { mode: 0o644 });
        execFileSync('spawn-fcgi', ['-s', socketPath, '-M', '0660', '-u', 'links', '-g', 'www-data', '-P', pidFile,
                                    '--', binary, '-c', configPath], { stdio: ['ignore', 'ignore', 'pipe'] });
        await waitFor('the no-filter linksd', async () => {
            try { return (await fastcgiRequest(socketPath, 'GET', '/healthz')).status === 200; } catch { return false; }
        }, { timeoutMs: 15000 });
        for (const b of ['ggc', 'fife'])
            sessions[b] = await signInDemo(b, 'board_admin');
        sessions.system = await signIn(null, 'admin');
    });

    after(async () => {
        try {
            const pid = Number(fs.readFileSync(pidFile, 'utf8').trim());
            process.kill(pid, 'SIGTERM');
            await waitFor('the no-filter linksd to stop', () => {
                try { process.kill(pid, 0); return false; } catch { return true; }
            }, { timeoutMs: 10000 });
        } finally {
            for (const f of [socketPath, pidFile, configPath])
                fs.rmSync(f, { force: true });
        }
    });

    const ask = async (session, method, template, uri, body) => {
        const params = { HTTP_COOKIE: session.cookie, HTTP_X_CSRF_TOKEN: session.csrf };
        if (body !== undefined)
            params.CONTENT_TYPE = 'application/json';
        const r = await fastcgiRequest(socketPath, method, uri, { params, body: body === undefined ? undefined : JSON.stringify(body) });
        const parsed = r.body ? JSON.parse(r.body) : undefined;
        checkContract(method, template, r.status, { headers: new Headers(r.headers) }, parsed);
        return { status: r.status, body: parsed };
    };

    for (const b of ['ggc', 'fife']) {
        test(`${b}: staff, practices, tokens and audit come back as the board's rows only`, async () => {
            const id = boardId(b);
            const s = sessions[b];
            const staff = await ask(s, 'GET', T.staffList, `/api/v1/boards/${b}/staff`);
            assert.deepEqual(staff.body.staff.map((x) => x.id).sort(), sql(`SELECT id FROM staff WHERE board_id = ${id}`).map((r) => r.id).sort());
            const practices = await ask(s, 'GET', T.practices, `/api/v1/boards/${b}/practices`);
            assert.deepEqual(practices.body.practices.map((x) => x.id).sort(), sql(`SELECT id FROM practice WHERE board_id = ${id}`).map((r) => r.id).sort());
            const tokens = await ask(s, 'GET', T.tokens, `/api/v1/boards/${b}/tokens`);
            assert.deepEqual(tokens.body.tokens.map((x) => x.id).sort(), sql(`SELECT id FROM api_token WHERE board_id = ${id}`).map((r) => r.id).sort());
            const audit = await ask(s, 'GET', T.audit, `/api/v1/boards/${b}/audit?limit=200`);
            const own = new Set(sql(`SELECT id FROM audit_log WHERE board_id = ${id}`).map((r) => r.id));
            assert.ok(audit.body.entries.length > 0 && audit.body.entries.every((e) => own.has(e.id)));
            // The system administrator, with no board of their own, sees the board asked for.
            const sys = await ask(sessions.system, 'GET', T.staffList, `/api/v1/boards/${b}/staff`);
            assert.deepEqual(sys.body.staff.map((x) => x.id).sort(), staff.body.staff.map((x) => x.id).sort());
        });
    }

    test('Fife\'s administrator still gets 404 for Glasgow ids, and changes nothing', async () => {
        const target = sqlOne(`SELECT id, display_name FROM staff WHERE username = 'ggc.receptionist'`);
        const practice = sqlOne(`SELECT id, has_links_worker FROM practice WHERE board_id = ${boardId('ggc')} LIMIT 1`);
        const fife = sessions.fife;
        assert.equal((await ask(fife, 'GET', T.staff, `/api/v1/boards/fife/staff/${target.id}`)).status, 404);
        assert.equal((await ask(fife, 'PATCH', T.staff, `/api/v1/boards/fife/staff/${target.id}`, { display_name: 'Hijacked' })).status, 404);
        assert.equal((await ask(fife, 'POST', T.staffPassword, `/api/v1/boards/fife/staff/${target.id}/password`, { password: 'taken over by fife' })).status, 404);
        assert.equal((await ask(fife, 'PATCH', T.practice, `/api/v1/boards/fife/practices/${practice.id}`, { has_links_worker: !practice.has_links_worker })).status, 404);
        assert.equal(sqlOne(`SELECT display_name FROM staff WHERE id = ${lit(target.id)}`).display_name, target.display_name);
        assert.equal(sqlOne(`SELECT has_links_worker FROM practice WHERE id = ${lit(practice.id)}`).has_links_worker, practice.has_links_worker);
    });

    test('linksd caps request bodies and checks their type itself, whatever is in front of it', async () => {
        const s = sessions.ggc;
        const big = await fastcgiRequest(socketPath, 'POST', '/api/v1/boards/ggc/session',
                                         { params: { CONTENT_TYPE: 'application/json' }, body: 'x'.repeat(70 * 1024) });
        assert.equal(big.status, 413);
        assert.equal(JSON.parse(big.body).title, 'Request body too large');
        const lying = await fastcgiRequest(socketPath, 'POST', '/api/v1/boards/ggc/session',
                                           { params: { CONTENT_TYPE: 'application/json', CONTENT_LENGTH: '99999999999' }, body: '{}' });
        assert.equal(lying.status, 413);
        const untyped = await fastcgiRequest(socketPath, 'PATCH', `/api/v1/boards/ggc/staff/${s.me.staff.id}`,
                                             { params: { HTTP_COOKIE: s.cookie, HTTP_X_CSRF_TOKEN: s.csrf }, body: '{"display_name":"x"}' });
        assert.equal(untyped.status, 415);
    });
});

function httpsRequest(method, path, { headers = {}, body } = {}) {
    return new Promise((resolve, reject) => {
        const req = https.request({ host: '127.0.0.1', port: env.tlsPort, path, method, headers, servername: 'localhost',
                                    ca: fs.readFileSync(`${env.run}/nginx/tls.crt`), timeout: 10000 }, (res) => {
            const chunks = [];
            res.on('data', (c) => chunks.push(c));
            res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
        });
        req.on('error', reject);
        req.on('timeout', () => req.destroy(new Error('timeout')));
        if (body)
            req.write(body);
        req.end();
    });
}

describe('hardening', () => {
    test('over HTTPS the session cookie is __Host- and Secure, HSTS is sent, and the plain-HTTP cookie name is not accepted', async () => {
        const body = JSON.stringify({ username: 'ggc.gp', password: 'community-links-demo' });
        const r = await httpsRequest('POST', '/api/v1/boards/ggc/session', { headers: { 'Content-Type': 'application/json' }, body });
        assert.equal(r.status, 200, r.text);
        const set = r.headers['set-cookie'][0];
        assert.match(set, /^__Host-links_session=S08000031\.[A-Za-z0-9_-]{43}; Path=\/; Max-Age=43200; HttpOnly; SameSite=Strict; Secure$/);
        assert.match(r.headers['strict-transport-security'], /^max-age=\d{8}/);
        const pair = set.split(';')[0];
        assert.equal((await httpsRequest('GET', '/api/v1/session', { headers: { Cookie: pair } })).status, 200);
        const plainName = pair.replace('__Host-links_session', 'links_session');
        assert.equal((await httpsRequest('GET', '/api/v1/session', { headers: { Cookie: plainName } })).status, 401);
        const overHttp = await call('GET', T.session, '/api/v1/session', { headers: { Cookie: pair } });
        assert.equal(overHttp.status, 401, 'a Secure cookie is not honoured over plain HTTP');
        assert.equal(overHttp.headers.get('strict-transport-security'), null, 'no HSTS over plain HTTP');
    });

    test('pages and API answers carry the security headers (CSP without inline script)', async () => {
        for (const path of ['/', '/ggc/', '/api/v1/boards', '/api/v1/session', '/api/v1/nowhere']) {
            const r = await fetch(env.baseUrl + path);
            await r.arrayBuffer();
            const csp = r.headers.get('content-security-policy');
            assert.ok(csp, `${path}: CSP`);
            assert.match(csp, /script-src 'self'(;|$)/, path);
            assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/, path);
            assert.match(csp, /frame-ancestors 'none'/, path);
            assert.equal(r.headers.get('x-content-type-options'), 'nosniff', path);
            assert.equal(r.headers.get('x-frame-options'), 'DENY', path);
            assert.equal(r.headers.get('referrer-policy'), 'no-referrer', path);
        }
    });

    test('nginx cuts a flood of sign-in requests from one address short with 429 (problem+json), then recovers', async () => {
        await sleep(4000);      // let the bucket fill after the sign-ins above
        const results = await Promise.all(Array.from({ length: 80 }, () => call('POST', T.signIn, '/api/v1/boards/ggc/session',
            { headers: { 'Content-Type': 'application/json' }, body: '[]' })));
        const statuses = results.map((r) => r.status);
        const limited = results.filter((r) => r.status === 429);
        assert.ok(limited.length >= 30, `expected many 429s, got ${JSON.stringify(statuses)}`);
        assert.ok(statuses.filter((s) => s === 400).length >= 20, 'the burst allowance got through to linksd');
        for (const r of limited) {
            assert.equal(r.body.title, 'Too many requests');
            assert.ok(r.headers.get('retry-after'));
            assert.match(r.headers.get('content-security-policy') ?? '', /frame-ancestors 'none'/, 'nginx\'s own answers carry the headers too');
        }
        // The same limit whatever the spelling of the address (linksd ignores trailing slashes).
        for (const path of ['/api/v1/session/', '/api/v1/boards/ggc/session//', '/api/v1/session/password/']) {
            const spelled = await Promise.all(Array.from({ length: 60 }, () => fetch(env.baseUrl + path,
                { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '[]' }).then(async (r) => { await r.arrayBuffer(); return r.status; })));
            assert.ok(spelled.filter((s) => s === 429).length >= 20, `${path}: ${JSON.stringify(spelled)}`);
        }
        // Reads of the session are not limited.
        const reads = await Promise.all(Array.from({ length: 40 }, () => call('GET', T.session, '/api/v1/session')));
        assert.ok(reads.every((r) => r.status === 401));
        await sleep(4000);
        const again = await call('POST', T.signIn, '/api/v1/boards/ggc/session',
                                 { headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username: freshUsername('x'), password: 'x' }) });
        assert.equal(again.status, 401);
    });
});
