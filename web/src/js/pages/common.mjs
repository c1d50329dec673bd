// common.mjs — pieces several pages share: the NHS.UK error summary, the
// page for a problem answer, and a board looked up from the address.
import { findBoard, NetworkError } from '../api.mjs';
import { h } from '../dom.mjs';
import { navigate } from '../navigation.mjs';
import { session } from '../session.mjs';

/** NHS.UK error summary: errors are { href, text }. */
export function errorSummary(errors, heading = 'There is a problem') {
    return h('div', { class: 'nhsuk-error-summary', 'aria-labelledby': 'error-summary-title', tabindex: '-1' },
        h('div', { role: 'alert' },
            h('h2', { class: 'nhsuk-error-summary__heading', id: 'error-summary-title' }, heading),
            h('div', { class: 'nhsuk-error-summary__body' },
                h('ul', { class: 'nhsuk-list nhsuk-error-summary__list' },
                    errors.map((e) => h('li', {}, e.href ? h('a', { href: e.href }, e.text) : e.text))))));
}

/** A whole page saying what went wrong (problem+json, or the network). */
export function problemPage(title, problemOrError, board, label = 'Try again') {
    const detail = problemOrError instanceof Error ? problemOrError.message
        : (problemOrError?.detail ?? problemOrError?.title ?? 'Something went wrong.');
    const retry = problemOrError instanceof NetworkError || (problemOrError?.status ?? 0) >= 500;
    return {
        title, board, error: true,
        content: h('div', {},
            h('h1', {}, title),
            h('div', { class: 'nhsuk-warning-callout' },
                h('h2', { class: 'nhsuk-warning-callout__label' }, h('span', { role: 'text' }, h('span', { class: 'nhsuk-u-visually-hidden' }, 'Important: '), label)),
                h('p', {}, detail),
                retry ? h('p', {}, 'This is usually brief. Try again in a minute; if it goes on, tell your practice manager.') : null),
            h('p', {}, h('a', { href: '/' }, 'Choose a health board'))),
    };
}

/** The board for an address segment, or a page saying it does not exist. */
export async function boardFor(key) {
    try {
        const board = await findBoard(key);
        if (board) return { board };
        return { page: problemPage('Health board not found', { detail: `There is no health board "${key}" in Community Links.` }) };
    } catch (err) {
        return { page: problemPage('Community Links is not available', err) };
    }
}

export function backLink(href, text) {
    return h('div', { class: 'nhsuk-back-link links-no-print' },
        h('a', { class: 'nhsuk-back-link__link', href }, text));
}

/** A message carried over from the page before (session.mjs setFlash). */
export function flashBanner(flash) {
    const success = flash.kind === 'success';
    return h('div', { class: `nhsuk-notification-banner${success ? ' nhsuk-notification-banner--success' : ''}`,
                      role: success ? 'alert' : 'region', 'aria-labelledby': 'flash-title' },
        h('div', { class: 'nhsuk-notification-banner__header' },
            h('h2', { class: 'nhsuk-notification-banner__title', id: 'flash-title' }, success ? 'Done' : 'Important')),
        h('div', { class: 'nhsuk-notification-banner__content' },
            h('p', { class: 'nhsuk-notification-banner__heading' }, flash.text)));
}

/** What a page shows while it hands over to the sign-in page. */
export function signInPlaceholder(board) {
    return { title: 'Sign in', board, focus: false, content: h('p', {}, 'Taking you to sign in…') };
}

/** Send someone who is not signed in to sign in, and back here afterwards. */
export function requireSignIn(board) {
    const here = window.location.pathname + window.location.search;
    const signIn = board ? `/${board.slug}/sign-in` : '/sign-in';
    queueMicrotask(() => navigate(`${signIn}?next=${encodeURIComponent(here)}`, { replaceState: true }));
    return signInPlaceholder(board);
}

/** The page for a staff endpoint's refusal (403) or absence (404). */
export function staffProblemPage(r, board) {
    if (r.status === 404)
        return problemPage('Page not found', { detail: 'There is nothing at this address for your account.' }, board);
    if (r.status === 403)
        return problemPage('You cannot use this page', {
            // the API says which role may not do what (pages serve different roles)
            detail: r.body?.title === 'Not allowed for your role'
                ? `${r.body.detail} If you need it, ask your board administrator.`
                : r.body?.detail,
        }, board, 'Not available');
    return problemPage('Something went wrong', r.body, board);
}

/** A cell of a responsive NHS.UK table: the column's heading repeats inside it on narrow screens. */
export function tableCell(heading, ...content) {
    return h('td', { class: 'nhsuk-table__cell' }, h('span', { class: 'nhsuk-table-responsive__heading', 'aria-hidden': 'true' }, `${heading} `), ...content);
}

/** The board of a staff page, or the page to show instead (not found, or sign in first). */
export async function signedInBoard(boardKey) {
    const found = await boardFor(boardKey);
    if (found.page) return { page: found.page };
    if (!session()) return { page: requireSignIn(found.board) };
    return { board: found.board };
}
