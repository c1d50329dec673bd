// directory.mjs — champions' pages for keeping the board's directory current:
//   /{board}/directory                       the services due for review (or all, or mine),
//                                            each with "Still correct"; the freshness summary
//   /{board}/directory/new                   add a service
//   /{board}/directory/services/{id}         change a service (based on the version read:
//                                            someone else's change meanwhile is shown, never
//                                            overwritten); suspend, retire, reinstate
//   /{board}/directory/services/{id}/history every change, field by field
import { apiGet, apiSend } from '../api.mjs';
import { h, hidden, replace } from '../dom.mjs';
import { formGroup, formValues, problemErrors, selectInput, textInput } from '../forms.mjs';
import { navigate } from '../navigation.mjs';
import { setFlash, takeFlash } from '../session.mjs';
import { changeText, fieldLabel, reviewStateText } from '../directory-format.mjs';
import { backLink, errorSummary, flashBanner, signInPlaceholder, signedInBoard, staffProblemPage, tableCell } from './common.mjs';

const date = (iso) => (iso ? new Date(iso).toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric' }) : 'never');
const STATE_COLOUR = { current: 'green', due_soon: 'blue', due: 'yellow', overdue: 'orange' };



function stateTag(state) {
    return h('strong', { class: `nhsuk-tag nhsuk-tag--${STATE_COLOUR[state] ?? 'grey'}` }, reviewStateText(state));
}

const VIEWS = [
    { key: 'due', text: 'Due for review', params: { due: 'true' } },
    { key: 'mine', text: 'Mine', params: { mine: 'true' } },
    { key: 'all', text: 'All services', params: {} },
];

export async function renderDirectory(boardKey, params) {
    const { page, board } = await signedInBoard(boardKey);
    if (page) return page;
    const view = VIEWS.find((v) => v.key === params.get('view')) ?? VIEWS[0];
    const q = params.get('q') ?? '';
    const [r, fresh] = await Promise.all([
        apiGet(`/boards/${board.slug}/directory/services`, { ...view.params, per_page: '200', ...(q ? { q } : {}) }, { staff: true }),
        apiGet(`/boards/${board.slug}/directory/freshness`, undefined, { staff: true }),
    ]);
    if (r.status === 401 || fresh.status === 401) return signInPlaceholder(board);
    if (!r.ok) return staffProblemPage(r, board);
    const flash = takeFlash();
    const list = r.body;
    const status = h('p', { role: 'status', class: 'nhsuk-body-s' });

    async function stillCorrect(item, button) {
        button.disabled = true;
        const answer = await apiSend('POST', `/boards/${board.slug}/directory/services/${item.id}/review`, undefined,
                                     { staff: true, headers: { 'If-Match': `"${item.version}"` } });
        if (answer.status === 401) return;
        if (answer.ok) {
            const row = button.closest('tr');
            replace(row.querySelector('.links-review-cell'), stateTag(answer.body.review_state), ` checked ${date(answer.body.last_reviewed)}`);
            replace(button.parentNode, 'Confirmed');
            status.textContent = `${item.name} confirmed as still correct.`;
        } else {
            button.disabled = false;
            status.textContent = answer.status === 412
                ? `${item.name} was changed by someone else since this list was shown: open it to check the changes.`
                : `${item.name} could not be confirmed: ${answer.body?.detail ?? answer.body?.title}`;
        }
    }

    const table = list.items.length === 0 ? h('p', {}, view.key === 'due' ? 'Nothing is due for review.' : 'No services.')
        : h('table', { class: 'nhsuk-table-responsive', role: 'table' },
            h('caption', { class: 'nhsuk-table__caption' }, `${list.total} ${list.total === 1 ? 'service' : 'services'}`),
            h('thead', { class: 'nhsuk-table__head', role: 'rowgroup' },
                h('tr', { role: 'row' }, ['Service', 'Status', 'Review', 'Looked after by', 'Action']
                    .map((t) => h('th', { role: 'columnheader', scope: 'col' }, t)))),
            h('tbody', { class: 'nhsuk-table__body' }, list.items.map((item) => {
                const button = h('button', { class: 'nhsuk-button nhsuk-button--secondary nhsuk-button--small links-inline-button', type: 'button' },
                                 'Still correct', hidden(`: ${item.name}`));
                button.addEventListener('click', () => stillCorrect(item, button));
                return h('tr', { class: 'nhsuk-table__row' },
                    tableCell('Service', h('a', { href: `/${board.slug}/directory/services/${item.id}` }, item.name),
                         h('br'), h('span', { class: 'nhsuk-body-s' }, item.organization)),
                    tableCell('Status', item.status === 'active' ? 'Active' : item.status.charAt(0).toUpperCase() + item.status.slice(1)),
                    h('td', { class: 'nhsuk-table__cell links-review-cell' },
                      h('span', { class: 'nhsuk-table-responsive__heading', 'aria-hidden': 'true' }, 'Review '),
                      stateTag(item.review_state), ` checked ${date(item.last_reviewed)}`),
                    tableCell('Looked after by', item.champion?.name ?? 'Nobody'),
                    tableCell('Action', item.status === 'defunct' ? '' : h('span', {}, button)));
            })));

    const f = fresh.ok ? fresh.body : null;
    const share = f && f.share_current !== null ? `${Math.round(f.share_current * 100)}%` : null;
    return {
        title: `Directory: ${view.text}`, board,
        content: h('div', {},
            flash ? flashBanner(flash) : null,
            h('h1', {}, 'Keep the directory current'),
            f ? h('p', {}, `${share} of ${board.name}'s ${f.total} services have been checked in the last ${f.review_period_days} days; `,
                  `${f.due} are due and ${f.overdue} overdue (overdue services are flagged to staff and shown after current ones). `,
                  h('a', { href: '#freshness' }, 'By category and champion')) : null,
            h('a', { class: 'nhsuk-button', href: `/${board.slug}/directory/new`, role: 'button', draggable: 'false' }, 'Add a service'),
            h('nav', { 'aria-label': 'Which services' },
                h('ul', { class: 'nhsuk-list links-tabs' }, VIEWS.map((v) => h('li', {},
                    v === view ? h('strong', { 'aria-current': 'page' }, v.text)
                               : h('a', { href: `/${board.slug}/directory?view=${v.key}` }, v.text))))),
            h('form', { method: 'get', action: `/${board.slug}/directory`, class: 'links-search', role: 'search', 'aria-label': 'Find a service' },
                h('input', { type: 'hidden', name: 'view', value: view.key }),
                formGroup('q', 'Find a service (name or organisation)', null, textInput('q', { value: q, autocomplete: 'off' }), null),
                h('div', { class: 'links-search__submit' }, h('button', { class: 'nhsuk-button nhsuk-button--secondary', type: 'submit' }, 'Find'))),
            status,
            table,
            f ? freshnessTables(f) : null),
    };
}

function freshnessTables(f) {
    const rows = (groups, name) => groups.map((g) => h('tr', { class: 'nhsuk-table__row' },
        tableCell(name, g.name ?? g.champion?.name ?? 'Nobody'), tableCell('Services', String(g.total)),
        tableCell('Checked in time', `${g.current} (${Math.round(g.share_current * 100)}%)`)));
    const table = (caption, name, groups) => h('table', { class: 'nhsuk-table-responsive', role: 'table' },
        h('caption', { class: 'nhsuk-table__caption nhsuk-table__caption--s' }, caption),
        h('thead', { class: 'nhsuk-table__head' }, h('tr', {}, [name, 'Services', 'Checked in time'].map((t) => h('th', { scope: 'col' }, t)))),
        h('tbody', { class: 'nhsuk-table__body' }, rows(groups, name)));
    return h('section', { id: 'freshness', 'aria-labelledby': 'freshness-heading' },
        h('h2', { id: 'freshness-heading' }, 'How current the directory is'),
        table('By type of support', 'Type of support', f.by_category),
        table('By champion', 'Champion', f.by_champion));
}

// ---- the edit form ----------------------------------------------------------

const LABELS = Object.fromEntries(['name', 'description', 'organization_name', 'url', 'email', 'phone', 'status', 'is_free',
    'fees_description', 'eligibility_description', 'minimum_age', 'maximum_age', 'application_process', 'alert',
    'accepts_referrals', 'self_referral', 'capacity_available', 'capacity_maximum', 'location_name', 'address_1', 'city', 'postcode']
    .map((k) => [k, { label: fieldLabel(k) }]));
LABELS.phones = { label: fieldLabel('phones'), id: 'phone' };
LABELS.location = { label: 'Where it is', id: 'postcode' };

const STATUSES = [
    { value: 'active', text: 'Active' },
    { value: 'temporarily closed', text: 'Suspended (temporarily closed)' },
    { value: 'inactive', text: 'Inactive' },
    { value: 'defunct', text: 'Retired (no longer runs)' },
];

const text = (v) => v ?? '';
const orNull = (v) => (v.trim() === '' ? null : v.trim());
// A number typed, or the text as typed for the API to refuse (never silently dropped).
const ageOrNull = (v) => (v.trim() === '' ? null : /^[0-9]+$/.test(v.trim()) ? Number(v.trim()) : v.trim());

function yesNo(id, legend, value) {
    const radio = (v, label) => h('div', { class: 'nhsuk-radios__item' },
        h('input', { class: 'nhsuk-radios__input', id: `${id}${v ? '' : '-no'}`, name: id, type: 'radio', value: v ? 'yes' : 'no', checked: value === v }),
        h('label', { class: 'nhsuk-label nhsuk-radios__label', for: `${id}${v ? '' : '-no'}` }, label));
    return h('div', { class: 'nhsuk-form-group' },
        h('fieldset', { class: 'nhsuk-fieldset' },
            h('legend', { class: 'nhsuk-fieldset__legend nhsuk-fieldset__legend--s' }, legend),
            h('div', { class: 'nhsuk-radios nhsuk-radios--inline' }, radio(true, 'Yes'), radio(false, 'No'))));
}

function textArea(id, value, error) {
    return h('textarea', { class: `nhsuk-textarea${error ? ' nhsuk-textarea--error' : ''}`, id, name: id, rows: 5,
                           'aria-describedby': error ? `${id}-error` : null }, value ?? '');
}

/** The form's fields: what a service says about itself. */
function serviceFields(v, errors) {
    const input = (id, opts = {}) => formGroup(id, fieldLabel(id), opts.hint ?? null,
        textInput(id, { value: text(v[id]), error: errors[id], hint: Boolean(opts.hint), autocomplete: 'off', ...opts.attrs }), errors[id]);
    return [
        input('name', { attrs: { width: 30 } }),
        formGroup('description', fieldLabel('description'), null, textArea('description', v.description, errors.description), errors.description),
        input('alert', { hint: 'A short notice staff see first, such as "Closed for refurbishment until May". Leave blank for none.' }),
        input('phone', { hint: 'The number patients ring', attrs: { type: 'tel', width: 20 } }),
        input('url', { attrs: { type: 'url' } }),
        input('email', { attrs: { type: 'email' } }),
        input('application_process', { hint: 'For example: drop in, ring to book, or ask your GP practice to refer' }),
        input('eligibility_description'),
        h('div', { class: 'links-inline-fields' },
            input('minimum_age', { attrs: { width: 3, inputmode: 'numeric' } }),
            input('maximum_age', { attrs: { width: 3, inputmode: 'numeric' } })),
        yesNo('is_free', 'Is it free?', v.is_free !== false),
        input('fees_description', { hint: 'What it costs, if it is not free' }),
        yesNo('accepts_referrals', 'Do GP practices refer patients to it?', v.accepts_referrals === true),
        yesNo('self_referral', 'Can people refer themselves?', v.self_referral === true),
        h('div', { class: 'links-inline-fields' },
            input('capacity_available', { hint: 'Places free now', attrs: { width: 4, inputmode: 'numeric' } }),
            input('capacity_maximum', { hint: 'Places in all', attrs: { width: 4, inputmode: 'numeric' } })),
    ];
}

/** What the form says, as the API takes it. */
function serviceBody(f) {
    return {
        name: f.name.trim(), description: f.description.trim(), alert: orNull(f.alert), url: orNull(f.url), email: orNull(f.email),
        application_process: orNull(f.application_process), eligibility_description: orNull(f.eligibility_description),
        minimum_age: ageOrNull(f.minimum_age), maximum_age: ageOrNull(f.maximum_age), is_free: f.is_free !== 'no',
        fees_description: orNull(f.fees_description), accepts_referrals: f.accepts_referrals === 'yes',
        self_referral: f.self_referral === 'yes', capacity_available: ageOrNull(f.capacity_available), capacity_maximum: ageOrNull(f.capacity_maximum),
        phones: f.phone.trim() ? [{ number: f.phone.trim(), type: 'voice' }] : [],
    };
}

/** An edit's members as the form's values (the inverse of serviceBody). */
function formValuesOf(body) {
    const v = { ...body };
    if (body.phones) v.phone = body.phones[0]?.number ?? '';
    for (const k of ['minimum_age', 'maximum_age', 'capacity_available', 'capacity_maximum'])
        if (k in body) v[k] = body[k] === null ? '' : String(body[k]);
    return v;
}

/** Only what the form changed, so an edit never rewrites what it did not touch. */
function changedOnly(body, service) {
    const out = {};
    for (const [k, value] of Object.entries(body)) {
        const before = k === 'phones' ? (service.phones ?? []).slice(0, 1).map((p) => ({ number: p.number, type: p.type ?? 'voice' })) : service[k] ?? null;
        if (JSON.stringify(before) !== JSON.stringify(value)) out[k] = value;
    }
    // A phone list with more than one number keeps the others.
    if (out.phones && (service.phones ?? []).length > 1)
        out.phones = [...out.phones, ...service.phones.slice(1)];
    return out;
}

function showErrors(root, title) {
    document.title = `Error: ${title} – Community Links`;
    root.querySelector('.nhsuk-error-summary')?.focus();
}

export async function renderDirectoryNew(boardKey) {
    const { page, board } = await signedInBoard(boardKey);
    if (page) return page;
    const root = h('div', {});
    const show = (v, errors, summary) => {
        replace(root,
            backLink(`/${board.slug}/directory`, 'Back to the directory'),
            summary ? errorSummary(summary) : null,
            h('h1', {}, 'Add a service'),
            h('form', { method: 'post', novalidate: true, onsubmit: submit },
                formGroup('organization_name', fieldLabel('organization_name'), 'The group or charity that runs it',
                          textInput('organization_name', { value: text(v.organization_name), error: errors.organization_name, hint: true, autocomplete: 'off', width: 30 }),
                          errors.organization_name),
                ...serviceFields(v, errors),
                h('fieldset', { class: 'nhsuk-fieldset' },
                    h('legend', { class: 'nhsuk-fieldset__legend nhsuk-fieldset__legend--m' }, 'Where it is'),
                    formGroup('location_name', fieldLabel('location_name'), null, textInput('location_name', { value: text(v.location_name), error: errors.location_name }), errors.location_name),
                    formGroup('address_1', fieldLabel('address_1'), null, textInput('address_1', { value: text(v.address_1), error: errors.address_1 }), errors.address_1),
                    formGroup('city', fieldLabel('city'), null, textInput('city', { value: text(v.city), error: errors.city, width: 20 }), errors.city),
                    formGroup('postcode', fieldLabel('postcode'), null, textInput('postcode', { value: text(v.postcode), error: errors.postcode, width: 10 }), errors.postcode)),
                h('button', { class: 'nhsuk-button', type: 'submit' }, 'Add service')));
        if (summary) showErrors(root, 'Add a service');
    };
    async function submit(event) {
        event.preventDefault();
        const f = formValues(event.target);
        const body = { ...serviceBody(f), organization_name: f.organization_name.trim() || undefined };
        for (const k of Object.keys(body)) if (body[k] === null || (Array.isArray(body[k]) && body[k].length === 0)) delete body[k];
        body.location = { name: f.location_name.trim(), address_1: f.address_1.trim(), city: f.city.trim(), postcode: f.postcode.trim() };
        const r = await apiSend('POST', `/boards/${board.slug}/directory/services`, body, { staff: true });
        if (r.status === 401) return;
        if (r.ok) {
            setFlash('success', `${r.body.name} has been added to the directory.`);
            navigate(`/${board.slug}/directory/services/${r.body.id}`);
            return;
        }
        const { errors, summary } = problemErrors(r.body, LABELS);
        show({ ...f, is_free: f.is_free !== 'no', accepts_referrals: f.accepts_referrals === 'yes', self_referral: f.self_referral === 'yes' }, errors, summary);
    }
    show({ is_free: true }, {}, null);
    return { title: 'Add a service', board, content: root };
}

/** Someone else's changes since the form was opened, in words. */
function conflictPanel(problem) {
    return h('div', { class: 'nhsuk-error-summary', 'aria-labelledby': 'conflict-title', tabindex: '-1' },
        h('div', { role: 'alert' },
            h('h2', { class: 'nhsuk-error-summary__heading', id: 'conflict-title' }, 'Someone else changed this service while you were editing it'),
            h('div', { class: 'nhsuk-error-summary__body' },
                h('p', {}, 'Your changes have not been saved. These are the changes made since you opened it:'),
                h('ul', { class: 'nhsuk-list nhsuk-list--bullet' }, problem.changes.map((c) => h('li', {}, changeText(c)))),
                h('p', {}, 'The form below now shows the service as it is, with your changes kept where you made them. Check them and save again.'))));
}

export async function renderDirectoryService(boardKey, id) {
    const { page, board } = await signedInBoard(boardKey);
    if (page) return page;
    const r = await apiGet(`/boards/${board.slug}/directory/services/${encodeURIComponent(id)}`, undefined, { staff: true });
    if (r.status === 401) return signInPlaceholder(board);
    if (!r.ok) return staffProblemPage(r, board);
    let service = r.body;
    let version = service.version;
    const root = h('div', {});
    const flash = takeFlash();
    const show = (v, errors, summary, conflict) => {
        replace(root,
            backLink(`/${board.slug}/directory`, 'Back to the directory'),
            flash && !summary && !conflict ? flashBanner(flash) : null,
            conflict ? conflictPanel(conflict) : null,
            summary ? errorSummary(summary) : null,
            h('h1', {}, service.name),
            h('p', { class: 'nhsuk-body-s' }, `${service.organization.name} · `, stateTag(service.review_state),
              ` last checked ${date(service.last_reviewed)} · `,
              h('a', { href: `/${board.slug}/directory/services/${service.id}/history` }, 'History of changes'), ' · ',
              h('a', { href: `/${board.slug}/resources/${service.id}` }, 'As staff see it')),
            h('form', { method: 'post', novalidate: true, onsubmit: submit },
                formGroup('status', fieldLabel('status'), null, selectInput('status', STATUSES, { value: v.status, error: errors.status }), errors.status),
                ...serviceFields(v, errors),
                h('div', { class: 'links-form-actions' },
                    h('button', { class: 'nhsuk-button', type: 'submit' }, 'Save changes'),
                    h('button', { class: 'nhsuk-button nhsuk-button--secondary', type: 'button', onclick: review }, 'Confirm it is still correct'))));
        if (summary || conflict) {
            document.title = `Error: ${service.name} – Community Links`;
            root.querySelector('.nhsuk-error-summary')?.focus();
        }
    };
    const values = (s) => ({ ...s, phone: s.phones?.[0]?.number ?? '',
                             ...Object.fromEntries(['minimum_age', 'maximum_age', 'capacity_available', 'capacity_maximum']
                                 .map((k) => [k, s[k] === null || s[k] === undefined ? '' : String(s[k])])) });

    async function reload() {
        const again = await apiGet(`/boards/${board.slug}/directory/services/${encodeURIComponent(id)}`, undefined, { staff: true });
        if (!again.ok) return false;
        service = again.body;
        version = service.version;
        return true;
    }

    async function submit(event) {
        event.preventDefault();
        const f = formValues(event.target);
        const body = changedOnly({ ...serviceBody(f), status: f.status }, service);
        if (Object.keys(body).length === 0) {
            setFlash('info', 'Nothing was changed.');
            show(values(service), {}, null, null);
            return;
        }
        const answer = await apiSend('PATCH', `/boards/${board.slug}/directory/services/${service.id}`, body,
                                     { staff: true, headers: { 'If-Match': `"${version}"` } });
        if (answer.status === 401) return;
        if (answer.ok) {
            service = answer.body;
            version = service.version;
            setFlash('success', 'Your changes have been saved.');
            navigate(`/${board.slug}/directory/services/${service.id}`, { replaceState: true });
            return;
        }
        if (answer.status === 412) {
            // Show the service as it now is, with only this person's own
            // edits laid on top: never their stale copy of the rest.
            await reload();
            show({ ...values(service), ...formValuesOf(body) }, {}, null, answer.body);
            return;
        }
        const { errors, summary } = problemErrors(answer.body, LABELS);
        show({ ...f, is_free: f.is_free !== 'no', accepts_referrals: f.accepts_referrals === 'yes', self_referral: f.self_referral === 'yes' }, errors, summary, null);
    }

    async function review() {
        const answer = await apiSend('POST', `/boards/${board.slug}/directory/services/${service.id}/review`, undefined,
                                     { staff: true, headers: { 'If-Match': `"${version}"` } });
        if (answer.status === 401) return;
        if (answer.ok) {
            setFlash('success', `${service.name} confirmed as still correct today.`);
            navigate(`/${board.slug}/directory/services/${service.id}`, { replaceState: true });
        } else if (answer.status === 412) {
            await reload();
            show(values(service), {}, null, answer.body);
        } else {
            show(values(service), {}, [{ href: null, text: answer.body?.detail ?? 'It could not be confirmed.' }], null);
        }
    }

    show(values(service), {}, null, null);
    return { title: service.name, board, content: root };
}

export async function renderDirectoryHistory(boardKey, id) {
    const { page, board } = await signedInBoard(boardKey);
    if (page) return page;
    const [s, r] = await Promise.all([
        apiGet(`/boards/${board.slug}/directory/services/${encodeURIComponent(id)}`, undefined, { staff: true }),
        apiGet(`/boards/${board.slug}/directory/services/${encodeURIComponent(id)}/history`, undefined, { staff: true }),
    ]);
    if (s.status === 401 || r.status === 401) return signInPlaceholder(board);
    if (!s.ok) return staffProblemPage(s, board);
    if (!r.ok) return staffProblemPage(r, board);
    const when = (iso) => new Date(iso).toLocaleString('en-GB', { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit' });
    return {
        title: `History: ${s.body.name}`, board,
        content: h('div', {},
            backLink(`/${board.slug}/directory/services/${s.body.id}`, `Back to ${s.body.name}`),
            h('h1', {}, `History of ${s.body.name}`),
            r.body.changes.length === 0 ? h('p', {}, 'No changes recorded.')
                : h('table', { class: 'nhsuk-table-responsive', role: 'table' },
                    h('caption', { class: 'nhsuk-table__caption' }, `${r.body.changes.length} changes, newest first`),
                    h('thead', { class: 'nhsuk-table__head' }, h('tr', {}, ['When', 'Who', 'What changed'].map((t) => h('th', { scope: 'col' }, t)))),
                    h('tbody', { class: 'nhsuk-table__body' }, r.body.changes.map((c) => h('tr', { class: 'nhsuk-table__row' },
                        tableCell('When', when(c.at)), tableCell('Who', c.by), tableCell('What changed', changeText(c, { withWho: false }))))))),
    };
}
