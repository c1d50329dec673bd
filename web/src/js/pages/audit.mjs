// audit.mjs — /{board}/audit: the board's audit log for its administrators,
// newest first, filtered by action, person and dates (a GET form, so a
// search can be bookmarked or sent to a colleague).
import { apiGet } from '../api.mjs';
import { h } from '../dom.mjs';
import { formGroup, problemErrors, selectInput, textInput } from '../forms.mjs';
import { session } from '../session.mjs';
import { actionLabel, auditDetailText, ukDateTime } from '../staff-format.mjs';
import { backLink, boardFor, errorSummary, requireSignIn, signInPlaceholder, staffProblemPage, tableCell } from './common.mjs';

const ACTION_FILTERS = [
    { value: '', text: 'Any action' },
    { value: 'sign_in.', text: 'Sign-in problems (failed, refused, throttled)' },
    { value: 'sign_in', text: 'Signed in' },
    { value: 'account.locked', text: 'Account locked' },
    { value: 'session.', text: 'Sessions expired' },
    { value: 'staff.', text: 'Account changes' },
    { value: 'staff.role_changed', text: 'Role changes' },
    { value: 'csrf.rejected', text: 'Requests refused (CSRF)' },
    { value: 'token.', text: 'API tokens' },
    { value: 'practice.', text: 'Practice changes' },
];
const FILTERS = ['action', 'actor', 'from', 'to', 'before'];
const LABELS = { action: { label: 'Action' }, actor: { label: 'Username' }, from: { label: 'From' }, to: { label: 'To' } };


/** boardKey null: the deployment's own log (system administrators). */
export async function renderAudit(boardKey, params) {
    let board = null;
    if (boardKey !== null) {
        const found = await boardFor(boardKey);
        if (found.page) return found.page;
        board = found.board;
    }
    if (!session()) return requireSignIn(board);
    const base = board ? `/${board.slug}/audit` : '/audit';
    const query = {};
    for (const f of FILTERS)
        if (params.get(f)) query[f] = params.get(f);
    const r = await apiGet(board ? `/boards/${board.slug}/audit` : '/audit', query, { staff: true });
    if (r.status === 401) return signInPlaceholder(board);     // main.mjs takes over
    if (!r.ok && r.status !== 400) return staffProblemPage(r, board);
    const { errors, summary } = r.ok ? { errors: {}, summary: null } : problemErrors(r.body, LABELS);
    const entries = r.ok ? r.body.entries : [];
    const older = r.ok && r.body.next_before ? new URLSearchParams({ ...query, before: String(r.body.next_before) }) : null;
    return {
        title: 'Audit log', board, error: !r.ok,
        content: h('div', {},
            board ? backLink(`/${board.slug}/staff`, 'Back to staff') : null,
            summary ? errorSummary(summary) : null,
            h('h1', {}, board ? 'Audit log' : 'Deployment audit log'),
            h('p', {}, board
                ? 'Every sign-in, failed sign-in, lockout and change to accounts, and every look at or change to patient records, with who, when and from where. Nothing here can be changed or deleted.'
                : 'What belongs to no board: system administrators\' sign-ins, failed sign-ins and lockouts. Each board\'s own log is on its staff pages.'),
            h('form', { method: 'get', action: base, class: 'links-search', novalidate: true },
                formGroup('action', 'Action', null, selectInput('action', ACTION_FILTERS, { value: query.action ?? '', error: errors.action }), errors.action),
                formGroup('actor', 'Username', null, textInput('actor', { value: query.actor ?? '', error: errors.actor, autocomplete: 'off', spellcheck: 'false' }), errors.actor),
                formGroup('from', 'From', 'For example, 2026-12-01', textInput('from', { type: 'date', value: query.from ?? '', error: errors.from, hint: true }), errors.from),
                formGroup('to', 'To', 'For example, 2026-12-02', textInput('to', { type: 'date', value: query.to ?? '', error: errors.to, hint: true }), errors.to),
                h('div', { class: 'links-search__submit' }, h('button', { class: 'nhsuk-button', type: 'submit' }, 'Search the log'))),
            h('table', { class: 'nhsuk-table-responsive', role: 'table' },
                h('caption', { class: 'nhsuk-table__caption' }, entries.length ? `${entries.length} entries, newest first` : 'No entries match'),
                h('thead', { class: 'nhsuk-table__head', role: 'rowgroup' },
                    h('tr', { role: 'row' }, ['When', 'Who', 'What', 'Details', 'From'].map((t) => h('th', { role: 'columnheader', scope: 'col' }, t)))),
                h('tbody', { class: 'nhsuk-table__body' }, entries.map((e) => h('tr', { class: 'nhsuk-table__row' },
                    tableCell('When', ukDateTime(e.at)),
                    tableCell('Who', e.actor ?? 'Unknown', e.via_token ? ' (API token)' : ''),
                    tableCell('What', actionLabel(e.action)),
                    tableCell('Details', auditDetailText(e)),
                    tableCell('From', e.client_address ?? '–'))))),
            older ? h('p', {}, h('a', { href: `${base}?${older}` }, 'Older entries')) : null),
    };
}
