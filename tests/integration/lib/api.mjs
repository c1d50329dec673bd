// api.mjs — HTTP calls to the stack. call() checks every response against
// the contract (checkContract) before a test sees it.
import assert from 'node:assert/strict';

import { checkContract } from './contract.mjs';
import { env } from './env.mjs';

export const DEFAULT_TIMEOUT_MS = 10000;

/** A query string from an object, encoded as a browser form would ("+" for space). */
export function qs(params) {
    const p = new URLSearchParams();
    for (const [k, v] of Object.entries(params ?? {}))
        if (v !== undefined && v !== null)
            p.append(k, String(v));
    const s = p.toString();
    return s === '' ? '' : `?${s}`;
}

/**
 * Request `path` (with its query string, exactly as given) and check the
 * response against the contract for `template`. Returns
 * { status, headers, body (parsed JSON, or undefined when empty), text }.
 */
export async function call(method, template, path, { headers, body, timeoutMs = DEFAULT_TIMEOUT_MS } = {}) {
    const res = await fetch(env.baseUrl + path, {
        method,
        headers,
        body,
        redirect: 'manual',
        signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await res.text();
    const contentType = res.headers.get('content-type') ?? '';
    let parsed;
    if (text.length > 0) {
        if (/^application\/(problem\+)?json\b/i.test(contentType)) {
            try {
                parsed = JSON.parse(text);
            } catch (e) {
                assert.fail(`${method} ${path} -> ${res.status}: ${contentType} body is not JSON (${e.message}): ${text.slice(0, 300)}`);
            }
        } else {
            parsed = text;
        }
    }
    checkContract(method, template, res.status, res, parsed);
    return { status: res.status, headers: res.headers, body: parsed, text };
}

export const get = (template, path, opts) => call('GET', template, path, opts);

export const T = {
    health: '/healthz',
    ready: '/readyz',
    boards: '/api/v1/boards',
    board: '/api/v1/boards/{board}',
    search: '/api/v1/boards/{board}/resources',
    resource: '/api/v1/boards/{board}/resources/{id}',
    categories: '/api/v1/categories',
    signIn: '/api/v1/boards/{board}/session',
    session: '/api/v1/session',
    password: '/api/v1/session/password',
    staffList: '/api/v1/boards/{board}/staff',
    staff: '/api/v1/boards/{board}/staff/{id}',
    staffPassword: '/api/v1/boards/{board}/staff/{id}/password',
    practices: '/api/v1/boards/{board}/practices',
    practice: '/api/v1/boards/{board}/practices/{id}',
    tokens: '/api/v1/boards/{board}/tokens',
    token: '/api/v1/boards/{board}/tokens/{id}',
    audit: '/api/v1/boards/{board}/audit',
    signposts: '/api/v1/boards/{board}/signposts',
    referralPreview: '/api/v1/boards/{board}/referrals/preview',
    referrals: '/api/v1/boards/{board}/referrals',
    referral: '/api/v1/boards/{board}/referrals/{id}',
    referralStatus: '/api/v1/boards/{board}/referrals/{id}/status',
    referralContacts: '/api/v1/boards/{board}/referrals/{id}/contacts',
    referralFollowUp: '/api/v1/boards/{board}/referrals/{id}/follow-up',
    referralWellbeing: '/api/v1/boards/{board}/referrals/{id}/wellbeing',
    referOn: '/api/v1/boards/{board}/referrals/{id}/refer-on',
    caseload: '/api/v1/boards/{board}/caseload',
    practiceReport: '/api/v1/boards/{board}/reports/practices',
    directoryReport: '/api/v1/boards/{board}/reports/directory',
    deploymentAudit: '/api/v1/audit',
};

/** GET a search and insist on 200. */
export async function search(board, params, opts) {
    const r = await get(T.search, `/api/v1/boards/${board}/resources${qs(params)}`, opts);
    assert.equal(r.status, 200, `search ${board} ${JSON.stringify(params)}: ${r.text.slice(0, 400)}`);
    return r.body;
}

/** Every result of a search, page by page (per_page 100), with the pages' totals checked. */
export async function searchAll(board, params, { maxPages = 20 } = {}) {
    const items = [];
    let first;
    for (let page = 1; page <= maxPages; page++) {
        const body = await search(board, { ...params, page, per_page: 100 });
        first ??= body;
        assert.equal(body.total, first.total, 'total changed between pages');
        assert.deepEqual(body.ranking, first.ranking);
        items.push(...body.items);
        if (items.length >= body.total || body.items.length === 0)
            break;
    }
    assert.equal(items.length, first.total, `searchAll: fetched ${items.length} of ${first.total}`);
    return { ...first, items };
}

export async function expectProblem(template, path, status, { method = 'GET', field, title, detail, ...opts } = {}) {
    const r = await call(method, template, path, opts);
    assert.equal(r.status, status, `${method} ${path.slice(0, 120)}: expected ${status}, got ${r.status}: ${r.text.slice(0, 400)}`);
    assert.match(r.headers.get('content-type') ?? '', /^application\/problem\+json/);
    if (title !== undefined)
        assert.equal(r.body.title, title, `title of ${path.slice(0, 120)}`);
    if (detail !== undefined)
        assert.match(r.body.detail ?? '', detail);
    if (field !== undefined) {
        assert.ok(Array.isArray(r.body.errors), `${path.slice(0, 120)}: no errors[] in ${r.text.slice(0, 300)}`);
        const fields = r.body.errors.map((e) => e.field);
        assert.ok(fields.includes(field), `${path.slice(0, 120)}: expected an error for field "${field}", got ${JSON.stringify(r.body.errors)}`);
    }
    return r;
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Poll until fn() returns a truthy value; fail after timeoutMs. Assertion failures are not retried. */
export async function waitFor(what, fn, { timeoutMs = 30000, intervalMs = 250 } = {}) {
    const deadline = Date.now() + timeoutMs;
    let last;
    for (;;) {
        try {
            const v = await fn();
            if (v)
                return v;
            last = undefined;
        } catch (e) {
            // A broken contract (a 500, a wrong shape) fails at once; network
            // errors and timeouts are retried.
            if (e?.code === 'ERR_ASSERTION')
                throw e;
            last = e;
        }
        if (Date.now() > deadline)
            assert.fail(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${last.message}` : ''}`);
        await sleep(intervalMs);
    }
}

/**
 * Wait until the stack serves searches for both boards (the demo data may
 * still be loading on a shared dev stack: searches answer 503 "Board not
 * set up" until it is there). Responses seen while waiting are still checked
 * against the contract.
 */
export async function waitForStack({ timeoutMs = 120000 } = {}) {
    void env.baseUrl;       // a missing setting fails at once, not after the timeout
    await waitFor('the stack to serve searches', async () => {
        for (const board of ['ggc', 'fife']) {
            const r = await get(T.search, `/api/v1/boards/${board}/resources?per_page=1`);
            if (r.status !== 200 || r.body.total === 0)
                return false;
        }
        return true;
    }, { timeoutMs, intervalMs: 1000 });
}
