// staff.mjs — a board administrator's pages for the board's accounts:
//   /{board}/staff        everyone, with their role, practice and state
//   /{board}/staff/new    add someone (with a temporary password)
//   /{board}/staff/{id}   change role, practice or name; disable or enable;
//                         unlock; set a temporary password
import { apiGet, apiSend } from '../api.mjs';
import { h, replace } from '../dom.mjs';
import { formGroup, formValues, problemErrors, selectInput, textInput } from '../forms.mjs';
import { navigate } from '../navigation.mjs';
import { session, setFlash, takeFlash } from '../session.mjs';
import { accountStatus, BOARD_ROLES, roleLabel, ukDateTime } from '../staff-format.mjs';
import { tableFilter } from '../table-filter.mjs';
import { backLink, boardFor, errorSummary, flashBanner, requireSignIn, signInPlaceholder, staffProblemPage, tableCell } from './common.mjs';

const FIELD_LABELS = {
    display_name: { label: 'Full name' },
    username: { label: 'Username' },
    role: { label: 'Role' },
    practice_id: { label: 'Practice' },
    password: { label: 'Temporary password' },
};

/** Board, signed-in check and the API answer for a staff page. */
async function load(boardKey, path) {
    const found = await boardFor(boardKey);
    if (found.page) return { page: found.page };
    const board = found.board;
    if (!session()) return { page: requireSignIn(board) };
    const r = await apiGet(`/boards/${board.slug}${path}`, undefined, { staff: true });
    if (r.status === 401) return { page: signInPlaceholder(board) };     // main.mjs takes over
    if (!r.ok) return { page: staffProblemPage(r, board) };
    return { board, body: r.body };
}

function tags(member) {
    return accountStatus(member).map((t) => h('strong', { class: `nhsuk-tag nhsuk-tag--${t.colour}` }, t.text));
}


export async function renderStaffList(boardKey) {
    const { page, board, body } = await load(boardKey, '/staff');
    if (page) return page;
    const flash = takeFlash();
    const rows = body.staff.map((m) => h('tr', { class: 'nhsuk-table__row' },
        tableCell('Name', h('a', { href: `/${board.slug}/staff/${m.id}` }, m.display_name)),
        tableCell('Username', m.username),
        tableCell('Role', roleLabel(m.role)),
        tableCell('Practice', m.practice?.name ?? '–'),
        tableCell('Status', tags(m)),
        tableCell('Last sign-in', ukDateTime(m.last_sign_in))));
    const table = h('table', { class: 'nhsuk-table-responsive', role: 'table' },
        h('caption', { class: 'nhsuk-table__caption' }, `${body.staff.length} accounts`),
        h('thead', { class: 'nhsuk-table__head', role: 'rowgroup' },
            h('tr', { role: 'row' }, ['Name', 'Username', 'Role', 'Practice', 'Status', 'Last sign-in']
                .map((t) => h('th', { role: 'columnheader', scope: 'col' }, t)))),
        h('tbody', { class: 'nhsuk-table__body' }, rows));
    return {
        title: 'Staff', board,
        content: h('div', {},
            flash ? flashBanner(flash) : null,
            h('h1', {}, 'Staff'),
            h('p', {}, `Everyone who can sign in to ${board.name}'s Community Links. Accounts are disabled, never deleted: the audit log keeps what each person did.`),
            h('a', { class: 'nhsuk-button', href: `/${board.slug}/staff/new`, role: 'button', draggable: 'false' }, 'Add a staff member'),
            h('ul', { class: 'nhsuk-list' },
                h('li', {}, h('a', { href: `/${board.slug}/audit` }, 'Search the audit log')),
                h('li', {}, h('a', { href: `/${board.slug}/tokens` }, 'API tokens for other systems'))),
            tableFilter('find-staff', 'Find a person (name, username, role or practice)', table, 'accounts'),
            table),
    };
}

async function practiceOptions(board, none = 'No practice (board-wide)') {
    const r = await apiGet(`/boards/${board.slug}/practices`, undefined, { staff: true });
    const practices = r.ok ? r.body.practices.filter((p) => !p.closed) : [];
    return [{ value: '', text: none }, ...practices.map((p) => ({ value: p.id, text: `${p.name} (${p.code})` }))];
}

const roleOptions = () => BOARD_ROLES.map((r) => ({ value: r, text: roleLabel(r) }));

function showErrors(root, title, summary) {
    document.title = `Error: ${title} – Community Links`;
    root.querySelector('.nhsuk-error-summary')?.focus();
}

export async function renderStaffNew(boardKey) {
    const found = await boardFor(boardKey);
    if (found.page) return found.page;
    const board = found.board;
    if (!session()) return requireSignIn(board);
    const practices = await practiceOptions(board);
    const root = h('div', {});
    const show = (values, errors, summary) => {
        replace(root,
            backLink(`/${board.slug}/staff`, 'Back to staff'),
            summary ? errorSummary(summary) : null,
            h('h1', {}, 'Add a staff member'),
            h('form', { method: 'post', novalidate: true, onsubmit: submit },
                formGroup('display_name', 'Full name', null, textInput('display_name', { value: values.display_name, error: errors.display_name, autocomplete: 'off', width: 30 }), errors.display_name),
                formGroup('username', 'Username', 'What they type to sign in: lower-case letters, digits, dots or dashes, such as j.smith',
                          textInput('username', { value: values.username, error: errors.username, hint: true, autocomplete: 'off', spellcheck: 'false', autocapitalize: 'none', width: 20 }), errors.username),
                formGroup('role', 'Role', null, selectInput('role', roleOptions(), { value: values.role ?? 'receptionist', error: errors.role }), errors.role),
                formGroup('practice_id', 'Practice', null, selectInput('practice_id', practices, { value: values.practice_id ?? '', error: errors.practice_id }), errors.practice_id),
                formGroup('password', 'Temporary password', 'At least 12 characters. Give it to them in person or by phone; they choose their own when they first sign in.',
                          textInput('password', { type: 'text', value: values.password, error: errors.password, hint: true, autocomplete: 'off', spellcheck: 'false', width: 20 }), errors.password),
                h('button', { class: 'nhsuk-button', type: 'submit' }, 'Add staff member')));
        if (summary) showErrors(root, 'Add a staff member', summary);
    };

    async function submit(event) {
        event.preventDefault();
        const v = formValues(event.target);
        const r = await apiSend('POST', `/boards/${board.slug}/staff`, {
            display_name: v.display_name.trim(), username: v.username.trim().toLowerCase(), role: v.role,
            practice_id: v.practice_id || null, password: v.password,
        }, { staff: true });
        if (r.status === 401) return;
        if (r.ok) {
            setFlash('success', `${r.body.display_name} can now sign in as ${r.body.username} with the temporary password.`);
            navigate(`/${board.slug}/staff/${r.body.id}`);
            return;
        }
        const { errors, summary } = r.status === 409
            ? { errors: { username: r.body.detail }, summary: [{ href: '#username', text: r.body.detail }] }
            : problemErrors(r.body, FIELD_LABELS);
        show(v, errors, summary);
    }

    show({}, {}, null);
    return { title: 'Add a staff member', board, content: root };
}

function summaryRow(key, ...value) {
    return h('div', { class: 'nhsuk-summary-list__row' },
        h('dt', { class: 'nhsuk-summary-list__key' }, key),
        h('dd', { class: 'nhsuk-summary-list__value' }, ...value));
}

export async function renderStaffMember(boardKey, id) {
    const first = await load(boardKey, `/staff/${id}`);
    if (first.page) return first.page;
    const { board } = first;
    const practices = await practiceOptions(board);
    const self = session()?.staff.id === id;
    const root = h('div', {});
    let member = first.body;

    const show = (errors, summary, flash) => {
        replace(root,
            backLink(`/${board.slug}/staff`, 'Back to staff'),
            summary ? errorSummary(summary) : flash ? flashBanner(flash) : null,
            h('h1', {}, member.display_name),
            h('dl', { class: 'nhsuk-summary-list' },
                summaryRow('Username', member.username),
                summaryRow('Role', roleLabel(member.role)),
                summaryRow('Practice', member.practice?.name ?? 'No practice (board-wide)'),
                summaryRow('Status', tags(member)),
                summaryRow('Wrong passwords in a row', String(member.failed_sign_ins)),
                summaryRow('Last sign-in', ukDateTime(member.last_sign_in)),
                summaryRow('Account created', ukDateTime(member.created_at))),

            h('h2', {}, 'Change details'),
            h('form', { method: 'post', novalidate: true, onsubmit: (e) => change(e, (v) => ({
                display_name: v.display_name.trim(), practice_id: v.practice_id || null, ...(self ? {} : { role: v.role }),
            })) },
                formGroup('display_name', 'Full name', null, textInput('display_name', { value: member.display_name, error: errors.display_name, autocomplete: 'off', width: 30 }), errors.display_name),
                self ? h('p', {}, `Role: ${roleLabel(member.role)} (you cannot change your own role).`)
                     : formGroup('role', 'Role', null, selectInput('role', roleOptions(), { value: member.role, error: errors.role }), errors.role),
                formGroup('practice_id', 'Practice', null, selectInput('practice_id', practices, { value: member.practice?.id ?? '', error: errors.practice_id }), errors.practice_id),
                h('button', { class: 'nhsuk-button nhsuk-button--secondary', type: 'submit' }, 'Save changes')),

            member.locked ? h('form', { method: 'post', onsubmit: (e) => change(e, () => ({ unlock: true }), `${member.display_name}'s account is unlocked.`) },
                h('h2', {}, 'Unlock'),
                h('p', {}, 'The account is locked after too many wrong passwords. Unlock it once you know it is really them.'),
                h('button', { class: 'nhsuk-button nhsuk-button--secondary', type: 'submit' }, 'Unlock account')) : null,

            h('h2', {}, 'Set a temporary password'),
            h('form', { method: 'post', novalidate: true, onsubmit: resetPassword },
                formGroup('password', 'Temporary password', 'At least 12 characters. Their sessions end, and they choose their own password when they next sign in.',
                          textInput('password', { type: 'text', error: errors.password, hint: true, autocomplete: 'off', spellcheck: 'false', width: 20 }), errors.password),
                h('button', { class: 'nhsuk-button nhsuk-button--secondary', type: 'submit' }, 'Set temporary password')),

            self ? null : h('form', { method: 'post', onsubmit: (e) => change(e, () => ({ disabled: !member.disabled }),
                                                                                member.disabled ? `${member.display_name} can sign in again.` : `${member.display_name} can no longer sign in.`) },
                h('h2', {}, member.disabled ? 'Enable account' : 'Disable account'),
                h('p', {}, member.disabled ? 'They will be able to sign in again with their password.'
                                           : 'They are signed out at once and cannot sign in. Their records and audit history stay.'),
                h('button', { class: `nhsuk-button ${member.disabled ? 'nhsuk-button--secondary' : 'nhsuk-button--warning'}`, type: 'submit' },
                  member.disabled ? 'Enable account' : 'Disable account')));
        if (summary) showErrors(root, member.display_name, summary);
    };

    async function apply(r, message) {
        if (r.status === 401) return;
        if (r.ok) {
            member = r.body;
            show({}, null, { kind: 'success', text: message });
            root.querySelector('.nhsuk-notification-banner')?.setAttribute('tabindex', '-1');
            root.querySelector('.nhsuk-notification-banner')?.focus();
            return;
        }
        const { errors, summary } = problemErrors(r.body, FIELD_LABELS);
        show(errors, summary);
    }

    async function change(event, body, message = 'Changes saved.') {
        event.preventDefault();
        const r = await apiSend('PATCH', `/boards/${board.slug}/staff/${id}`, body(formValues(event.target)), { staff: true });
        await apply(r, message);
    }

    async function resetPassword(event) {
        event.preventDefault();
        const v = formValues(event.target);
        const r = await apiSend('POST', `/boards/${board.slug}/staff/${id}/password`, { password: v.password }, { staff: true });
        await apply(r, `Temporary password set. Give it to ${member.display_name} in person or by phone.${
            member.disabled ? ' The account is still disabled: enable it below so they can sign in.' : ''}`);
    }

    show({}, null, takeFlash());
    return { title: member.display_name, board, content: root };
}
