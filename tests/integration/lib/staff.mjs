// staff.mjs — signing in as the demo staff (linksctl demo-data makes one
// account per role on each board, and "admin", all with DEMO_PASSWORD) and
// making requests as them: the session cookie and CSRF token travel as a
// browser would send them.
import assert from 'node:assert/strict';

import { call, T } from './api.mjs';
import { sql, sqlOne } from './db.mjs';

export const DEMO_PASSWORD = 'community-links-demo';
export const BOARD_ROLES = ['receptionist', 'practice_nurse', 'gp', 'links_worker', 'champion', 'board_admin'];
// Demo usernames are <board slug>.<suffix>.
export const DEMO_SUFFIX = {
    receptionist: 'receptionist', practice_nurse: 'nurse', gp: 'gp', links_worker: 'linksworker',
    champion: 'champion', board_admin: 'admin',
};
export const JSON_TYPE = { 'Content-Type': 'application/json' };

export function demoUsername(board, role) {
    return `${board}.${DEMO_SUFFIX[role]}`;
}

/** The cookie pair (name=value) a Set-Cookie header sets. */
export function cookieOf(res) {
    const set = res.headers.get('set-cookie');
    assert.ok(set, 'no Set-Cookie');
    return set.split(';')[0];
}

/** POST a sign-in; returns the raw response. */
export function postSignIn(board, username, password, { headers } = {}) {
    const body = JSON.stringify({ username, password });
    return board === null
        ? call('POST', T.session, '/api/v1/session', { headers: { ...JSON_TYPE, ...headers }, body })
        : call('POST', T.signIn, `/api/v1/boards/${board}/session`, { headers: { ...JSON_TYPE, ...headers }, body });
}

/** Sign in (board null: system administrator) and insist on success. */
export async function signIn(board, username, password = DEMO_PASSWORD) {
    const r = await postSignIn(board, username, password);
    assert.equal(r.status, 200, `sign in ${username}: ${r.text.slice(0, 300)}`);
    return new Session(cookieOf(r), r.body.csrf_token, r.body);
}

export function signInDemo(board, role) {
    return signIn(board, demoUsername(board, role));
}

/** Requests as a signed-in person (or with an API token). */
export class Session {
    constructor(cookie, csrf, me, bearer) {
        this.cookie = cookie;
        this.csrf = csrf;
        this.me = me;
        this.bearer = bearer;
    }

    headers(extra = {}, { csrf = true } = {}) {
        const h = { ...extra };
        if (this.cookie)
            h.Cookie = this.cookie;
        if (this.bearer)
            h.Authorization = `Bearer ${this.bearer}`;
        if (csrf && this.csrf)
            h['X-CSRF-Token'] = this.csrf;
        return h;
    }

    get(template, path) {
        return call('GET', template, path, { headers: this.headers() });
    }

    send(method, template, path, body, { csrf = true, headers = {} } = {}) {
        return call(method, template, path, {
            headers: this.headers(body === undefined ? headers : { ...JSON_TYPE, ...headers }, { csrf }),
            body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
        });
    }
}

/** Audit entries (as the database holds them) matching a WHERE clause, newest first. */
export function auditRows(where) {
    return sql(`SELECT a.*, b.slug AS board FROM audit_log a LEFT JOIN board b ON b.id = a.board_id
                WHERE ${where} ORDER BY a.id DESC`);
}

/** A username no test has used. */
let counter = 0;
export function freshUsername(prefix = 'test') {
    counter += 1;
    return `${prefix}.${process.pid}.${Date.now().toString(36)}.${counter}`;
}

/** A practice code no practice has (the demo's real codes are below 99000). */
export function freshPracticeCode() {
    return sqlOne(`SELECT lpad(c::text, 5, '0') AS code FROM generate_series(99000, 99999) c
                   WHERE lpad(c::text, 5, '0') NOT IN (SELECT code FROM practice) LIMIT 1`).code;
}
