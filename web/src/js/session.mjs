// session.mjs — who is signed in, as GET /api/v1/session says; loaded once
// per page load and after signing in or out. The session cookie itself is
// HttpOnly: scripts never see it, only the CSRF token that goes with it.
import { apiGet, apiSend, setCsrfToken } from './api.mjs';

let current;            // undefined: not asked yet; null: nobody signed in

export async function loadSession() {
    try {
        const r = await apiGet('/session');
        setSession(r.ok ? r.body : null);
        // Ended since the last page (disabled, timed out, password reset):
        // say so on the page about to be shown.
        if (r.status === 401 && r.body?.title === 'Session ended') setFlash('info', r.body.detail);
    } catch {
        setSession(null);
    }
    return current;
}

export function setSession(s) {
    current = s;
    setCsrfToken(s?.csrf_token ?? null);
}

export const session = () => current ?? null;
export const can = (permission) => Boolean(current?.permissions?.includes(permission));

export async function signOut() {
    const r = await apiSend('DELETE', '/session');
    setSession(null);
    return r;
}

// A message for the next page (after a redirect), kept for this tab only.
const FLASH_KEY = 'links.flash';

export function setFlash(kind, text) {
    sessionStorage.setItem(FLASH_KEY, JSON.stringify({ kind, text }));
}

export function takeFlash() {
    const raw = sessionStorage.getItem(FLASH_KEY);
    sessionStorage.removeItem(FLASH_KEY);
    try {
        return raw ? JSON.parse(raw) : null;
    } catch {
        return null;
    }
}

/** A "next" address is only ever a path on this site. */
export function safeNext(next, fallback) {
    return typeof next === 'string' && next.startsWith('/') && !next.startsWith('//') && !next.includes('\\') ? next : fallback;
}
