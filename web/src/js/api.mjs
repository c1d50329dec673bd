// api.mjs — the JSON API as the pages use it. Answers come back as
// { ok, status, body }; a problem (RFC 9457) body is kept whole, so pages can
// show its detail and put each field error next to its field.

export class NetworkError extends Error {}

export async function apiGet(path, params) {
    const query = params ? `?${new URLSearchParams(params)}` : '';
    let response;
    try {
        response = await fetch(`/api/v1${path}${query}`, { headers: { Accept: 'application/json' } });
    } catch (err) {
        throw new NetworkError(`Community Links could not be reached (${err.message}).`);
    }
    let body = null;
    try {
        body = await response.json();
    } catch {
        body = { title: `Unexpected answer (HTTP ${response.status})`, status: response.status };
    }
    return { ok: response.ok, status: response.status, body };
}

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
