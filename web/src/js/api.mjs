// api.mjs — the JSON API as the pages use it. Answers come back as
// { ok, status, body }; a problem (RFC 9457) body is kept whole, so pages can
// show its detail and put each field error next to its field.
//
// Staff endpoints are called with { staff: true }: a 401 from one of them
// means the session has ended (signed out elsewhere, idle for 30 minutes,
// 12 hours old, account disabled), and the handler main.mjs sets takes the
// user to sign in again, saying why, and back afterwards.

export class NetworkError extends Error {}

let csrfToken = null;
let sessionLost = () => {};

/** The session's CSRF token, sent with every change (session.mjs sets it). */
export function setCsrfToken(token) {
    csrfToken = token;
}

export function onSessionLost(fn) {
    sessionLost = fn;
}

async function request(method, path, { params, body, staff = false, headers: extra = {} } = {}) {
    const query = params ? `?${new URLSearchParams(params)}` : '';
    const headers = { Accept: 'application/json', ...extra };
    if (body !== undefined)
        headers['Content-Type'] = 'application/json';
    if (method !== 'GET' && csrfToken)
        headers['X-CSRF-Token'] = csrfToken;
    let response;
    try {
        response = await fetch(`/api/v1${path}${query}`, {
            method, headers, body: body === undefined ? undefined : JSON.stringify(body), credentials: 'same-origin',
        });
    } catch (err) {
        throw new NetworkError(`Community Links could not be reached (${err.message}).`);
    }
    let parsed = null;
    if (response.status !== 204) {
        try {
            parsed = await response.json();
        } catch {
            parsed = { title: `Unexpected answer (HTTP ${response.status})`, status: response.status };
        }
    }
    const answer = { ok: response.ok, status: response.status, body: parsed, etag: response.headers.get('etag') };
    if (staff && response.status === 401)
        sessionLost(parsed);
    return answer;
}

export const apiGet = (path, params, options) => request('GET', path, { params, ...options });
export const apiSend = (method, path, body, options) => request(method, path, { body, ...options });

// Boards and categories change with a deployment, not during a session.
const cache = new Map();
async function cached(path) {
    if (!cache.has(path)) {
        const answer = apiGet(path).then((r) => {
            if (!r.ok) cache.delete(path);
            return r;
        }, (err) => {
            cache.delete(path);
            throw err;
        });
        cache.set(path, answer);
    }
    return cache.get(path);
}

export const boards = () => cached('/boards');
export const categories = () => cached('/categories');

/** The board named by a slug or code, or null. */
export async function findBoard(key) {
    const r = await boards();
    if (!r.ok) return null;
    const wanted = key.toLowerCase();
    return r.body.boards.find((b) => b.slug === wanted || b.code.toLowerCase() === wanted) ?? null;
}
