// tokens.mjs — /{board}/tokens: API tokens that other front ends and
// integrations use, for a board administrator to make and revoke. A new
// token is shown once, here; only its hash is kept.
import { apiGet, apiSend } from '../api.mjs';
import { h, replace } from '../dom.mjs';
import { formGroup, formValues, problemErrors, selectInput, textInput } from '../forms.mjs';
import { session } from '../session.mjs';
import { BOARD_ROLES, roleLabel, ukDateTime } from '../staff-format.mjs';
import { backLink, boardFor, errorSummary, flashBanner, requireSignIn, signInPlaceholder, staffProblemPage, tableCell } from './common.mjs';

const LABELS = { name: { label: 'What uses it' }, role: { label: 'Role' }, expires_in_days: { label: 'Expires after' } };
const EXPIRY = [{ value: '90', text: '90 days' }, { value: '365', text: '1 year' }, { value: '30', text: '30 days' }, { value: '', text: 'Never (revoke it yourself)' }];


export async function renderTokens(boardKey) {
    const found = await boardFor(boardKey);
    if (found.page) return found.page;
    const board = found.board;
    if (!session()) return requireSignIn(board);
    const first = await apiGet(`/boards/${board.slug}/tokens`, undefined, { staff: true });
    if (first.status === 401) return signInPlaceholder(board);
    if (!first.ok) return staffProblemPage(first, board);
    let tokens = first.body.tokens;
    const root = h('div', {});

    const show = ({ errors = {}, summary = null, made = null, flash = null } = {}) => {
        replace(root,
            backLink(`/${board.slug}/staff`, 'Back to staff'),
            summary ? errorSummary(summary) : flash ? flashBanner(flash) : null,
            made ? h('div', { class: 'nhsuk-inset-text', id: 'new-token', tabindex: '-1' },
                h('h2', {}, `Token for ${made.name}`),
                h('p', {}, 'Copy it now and give it to whoever sets up the other system. It is not shown again: only a fingerprint of it is kept.'),
                formGroup('token-value', 'The token', null,
                          h('input', { class: 'nhsuk-input', id: 'token-value', type: 'text', readonly: true, value: made.token, spellcheck: 'false' }))) : null,
            h('h1', {}, 'API tokens'),
            h('p', {}, `Other systems use a token to reach ${board.name}'s Community Links with one role. A token stops working when it is revoked, when it expires, or when the administrator who made it no longer is one.`),
            h('table', { class: 'nhsuk-table-responsive', role: 'table' },
                h('caption', { class: 'nhsuk-table__caption' }, tokens.length ? `${tokens.length} tokens` : 'No tokens yet'),
                h('thead', { class: 'nhsuk-table__head', role: 'rowgroup' },
                    h('tr', { role: 'row' }, ['What uses it', 'Role', 'Made', 'Expires', 'Last used', 'Status', '']
                        .map((t) => h('th', { role: 'columnheader', scope: 'col' }, t || h('span', { class: 'nhsuk-u-visually-hidden' }, 'Action'))))),
                h('tbody', { class: 'nhsuk-table__body' }, tokens.map((t) => h('tr', { class: 'nhsuk-table__row' },
                    tableCell('What uses it', t.name),
                    tableCell('Role', roleLabel(t.role)),
                    tableCell('Made', ukDateTime(t.created_at)),
                    tableCell('Expires', t.expires_at ? ukDateTime(t.expires_at) : 'Never'),
                    tableCell('Last used', ukDateTime(t.last_used_at)),
                    tableCell('Status', h('strong', { class: `nhsuk-tag nhsuk-tag--${t.active ? 'green' : 'grey'}` }, t.active ? 'Active' : t.revoked_at ? 'Revoked' : 'Expired')),
                    tableCell('', t.active ? h('button', { class: 'nhsuk-button nhsuk-button--secondary nhsuk-button--small links-table-button', type: 'button',
                                                      onclick: () => revoke(t) }, 'Revoke', h('span', { class: 'nhsuk-u-visually-hidden' }, ` token for ${t.name}`)) : ''))))),
            h('h2', {}, 'Make a token'),
            h('form', { method: 'post', novalidate: true, onsubmit: make },
                formGroup('name', 'What uses it', 'For example, "Practice booking system"', textInput('name', { error: errors.name, hint: true, autocomplete: 'off', width: 30 }), errors.name),
                formGroup('role', 'Role', 'What it may do, as a member of staff with this role', selectInput('role', BOARD_ROLES.map((r) => ({ value: r, text: roleLabel(r) })), { value: 'receptionist', error: errors.role, hint: true }), errors.role),
                formGroup('expires_in_days', 'Expires after', null, selectInput('expires_in_days', EXPIRY, { value: '90', error: errors.expires_in_days }), errors.expires_in_days),
                h('button', { class: 'nhsuk-button', type: 'submit' }, 'Make token')));
        if (summary) {
            document.title = 'Error: API tokens – Community Links';
            root.querySelector('.nhsuk-error-summary')?.focus();
        }
    };

    async function reload() {
        const r = await apiGet(`/boards/${board.slug}/tokens`, undefined, { staff: true });
        if (r.ok) tokens = r.body.tokens;
    }

    async function make(event) {
        event.preventDefault();
        const v = formValues(event.target);
        const r = await apiSend('POST', `/boards/${board.slug}/tokens`, {
            name: v.name.trim(), role: v.role, ...(v.expires_in_days ? { expires_in_days: Number(v.expires_in_days) } : {}),
        }, { staff: true });
        if (r.status === 401) return;
        if (!r.ok) {
            const { errors, summary } = problemErrors(r.body, LABELS);
            show({ errors, summary });
            return;
        }
        await reload();
        show({ made: r.body });
        root.querySelector('#new-token').focus();
    }

    async function revoke(token) {
        const r = await apiSend('DELETE', `/boards/${board.slug}/tokens/${token.id}`, undefined, { staff: true });
        if (r.status === 401) return;
        await reload();
        show(r.ok ? { flash: { kind: 'success', text: `The token for ${token.name} no longer works.` } }
                  : { summary: problemErrors(r.body, LABELS).summary });
        root.querySelector('.nhsuk-notification-banner')?.setAttribute('tabindex', '-1');
        root.querySelector('.nhsuk-notification-banner')?.focus();
    }

    show();
    return { title: 'API tokens', board, content: root };
}
