// practices.mjs — a board administrator's pages for the board's practices:
//   /{board}/practices        every practice: list size, links worker, open or closed
//   /{board}/practices/new    add a practice
//   /{board}/practices/{id}   change phone, list size, links worker; close or reopen
import { apiGet, apiSend } from '../api.mjs';
import { h, replace } from '../dom.mjs';
import { formGroup, formValues, problemErrors, textInput } from '../forms.mjs';
import { navigate } from '../navigation.mjs';
import { can, setFlash, takeFlash } from '../session.mjs';
import { tableFilter } from '../table-filter.mjs';
import { backLink, errorSummary, flashBanner, signInPlaceholder, signedInBoard, staffProblemPage, tableCell } from './common.mjs';

const LABELS = {
    code: { label: 'Practice code' }, name: { label: 'Name' }, address: { label: 'Address' },
    postcode: { label: 'Postcode' }, phone: { label: 'Phone' }, list_size: { label: 'List size' },
    has_links_worker: { label: 'Links worker', id: 'has_links_worker' }, closed: { label: 'Closed' },
};



const count = new Intl.NumberFormat('en-GB');

export async function renderPracticeList(boardKey) {
    const { page, board } = await signedInBoard(boardKey);
    if (page) return page;
    const r = await apiGet(`/boards/${board.slug}/practices`, undefined, { staff: true });
    if (r.status === 401) return signInPlaceholder(board);
    if (!r.ok) return staffProblemPage(r, board);
    const manage = can('practice.manage');
    const flash = takeFlash();
    const table = h('table', { class: 'nhsuk-table-responsive', role: 'table' },
        h('caption', { class: 'nhsuk-table__caption' }, `${r.body.practices.length} practices`),
        h('thead', { class: 'nhsuk-table__head', role: 'rowgroup' },
            h('tr', { role: 'row' }, ['Practice', 'Code', 'Postcode', 'List size', 'Links worker', 'Status']
                .map((t) => h('th', { role: 'columnheader', scope: 'col' }, t)))),
        h('tbody', { class: 'nhsuk-table__body' }, r.body.practices.map((p) => h('tr', { class: 'nhsuk-table__row' },
            tableCell('Practice', manage ? h('a', { href: `/${board.slug}/practices/${p.id}` }, p.name) : p.name),
            tableCell('Code', p.code),
            tableCell('Postcode', p.postcode),
            tableCell('List size', count.format(p.list_size), p.list_size_synthetic ? ' (estimate)' : ''),
            tableCell('Links worker', p.has_links_worker ? 'Yes' : 'No'),
            tableCell('Status', p.closed ? h('strong', { class: 'nhsuk-tag nhsuk-tag--grey' }, 'Closed')
                                    : h('strong', { class: 'nhsuk-tag nhsuk-tag--green' }, 'Open'))))));
    return {
        title: 'Practices', board,
        content: h('div', {},
            flash ? flashBanner(flash) : null,
            h('h1', {}, 'Practices'),
            h('p', {}, `The GP practices of ${board.name}. List sizes marked "estimate" are demo figures: the open practice file has none.`),
            manage ? h('a', { class: 'nhsuk-button', href: `/${board.slug}/practices/new`, role: 'button', draggable: 'false' }, 'Add a practice') : null,
            tableFilter('find-practice', 'Find a practice (name, code or postcode)', table, 'practices'),
            table),
    };
}

function linksWorkerRadios(value, error) {
    const radio = (v, text) => h('div', { class: 'nhsuk-radios__item' },
        h('input', { class: 'nhsuk-radios__input', id: `has_links_worker${v ? '' : '-no'}`, name: 'has_links_worker', type: 'radio', value: v ? 'yes' : 'no', checked: value === v }),
        h('label', { class: 'nhsuk-label nhsuk-radios__label', for: `has_links_worker${v ? '' : '-no'}` }, text));
    return h('div', { class: `nhsuk-form-group${error ? ' nhsuk-form-group--error' : ''}` },
        h('fieldset', { class: 'nhsuk-fieldset' },
            h('legend', { class: 'nhsuk-fieldset__legend nhsuk-fieldset__legend--s' }, 'Does the practice have an attached links worker?'),
            h('div', { class: 'nhsuk-radios nhsuk-radios--inline' }, radio(true, 'Yes'), radio(false, 'No'))));
}

function showErrors(root, title) {
    document.title = `Error: ${title} – Community Links`;
    root.querySelector('.nhsuk-error-summary')?.focus();
}

export async function renderPracticeNew(boardKey) {
    const { page, board } = await signedInBoard(boardKey);
    if (page) return page;
    const root = h('div', {});
    const show = (v, errors, summary) => {
        replace(root,
            backLink(`/${board.slug}/practices`, 'Back to practices'),
            summary ? errorSummary(summary) : null,
            h('h1', {}, 'Add a practice'),
            h('form', { method: 'post', novalidate: true, onsubmit: submit },
                formGroup('name', 'Name', null, textInput('name', { value: v.name, error: errors.name, autocomplete: 'off', width: 30 }), errors.name),
                formGroup('code', 'Practice code', 'The 5-digit code from the practice list, such as 43012', textInput('code', { value: v.code, error: errors.code, hint: true, inputmode: 'numeric', width: 5 }), errors.code),
                formGroup('address', 'Address', null, textInput('address', { value: v.address, error: errors.address, autocomplete: 'off', width: 30 }), errors.address),
                formGroup('postcode', 'Postcode', null, textInput('postcode', { value: v.postcode, error: errors.postcode, autocomplete: 'off', width: 10 }), errors.postcode),
                formGroup('phone', 'Phone (optional)', null, textInput('phone', { value: v.phone, error: errors.phone, type: 'tel', autocomplete: 'off', width: 20 }), errors.phone),
                formGroup('list_size', 'List size', 'Registered patients', textInput('list_size', { value: v.list_size, error: errors.list_size, hint: true, inputmode: 'numeric', width: 10 }), errors.list_size),
                linksWorkerRadios(v.has_links_worker === 'yes', errors.has_links_worker),
                h('button', { class: 'nhsuk-button', type: 'submit' }, 'Add practice')));
        if (summary) showErrors(root, 'Add a practice');
    };
    async function submit(event) {
        event.preventDefault();
        const v = formValues(event.target);
        const size = Number(v.list_size);
        const r = await apiSend('POST', `/boards/${board.slug}/practices`, {
            code: v.code.trim(), name: v.name.trim(), address: v.address.trim(), postcode: v.postcode.trim(),
            phone: v.phone.trim() || null, list_size: Number.isInteger(size) ? size : -1, has_links_worker: v.has_links_worker === 'yes',
        }, { staff: true });
        if (r.status === 401) return;
        if (r.ok) {
            setFlash('success', `${r.body.name} has been added.`);
            navigate(`/${board.slug}/practices`);
            return;
        }
        const { errors, summary } = r.status === 409
            ? { errors: { code: r.body.detail }, summary: [{ href: '#code', text: r.body.detail }] }
            : problemErrors(r.body, LABELS);
        show(v, errors, summary);
    }
    show({}, {}, null);
    return { title: 'Add a practice', board, content: root };
}

export async function renderPractice(boardKey, id) {
    const { page, board } = await signedInBoard(boardKey);
    if (page) return page;
    const r = await apiGet(`/boards/${board.slug}/practices/${id}`, undefined, { staff: true });
    if (r.status === 401) return signInPlaceholder(board);
    if (!r.ok) return staffProblemPage(r, board);
    let practice = r.body;
    const root = h('div', {});
    const show = (errors, summary, flash) => {
        replace(root,
            backLink(`/${board.slug}/practices`, 'Back to practices'),
            summary ? errorSummary(summary) : flash ? flashBanner(flash) : null,
            h('h1', {}, h('span', { class: 'nhsuk-caption-l' }, `Practice ${practice.code}`, h('span', { class: 'nhsuk-u-visually-hidden' }, ' – ')), practice.name),
            h('p', {}, `${practice.address}, ${practice.postcode}`),
            h('form', { method: 'post', novalidate: true, onsubmit: save },
                formGroup('phone', 'Phone', null, textInput('phone', { value: practice.phone ?? '', error: errors.phone, type: 'tel', autocomplete: 'off', width: 20 }), errors.phone),
                formGroup('list_size', 'List size', practice.list_size_synthetic ? 'The figure shown is a demo estimate: enter the real list size.' : 'Registered patients',
                          textInput('list_size', { value: String(practice.list_size), error: errors.list_size, hint: true, inputmode: 'numeric', width: 10 }), errors.list_size),
                linksWorkerRadios(practice.has_links_worker, errors.has_links_worker),
                h('button', { class: 'nhsuk-button nhsuk-button--secondary', type: 'submit' }, 'Save changes')),
            h('form', { method: 'post', onsubmit: toggleClosed },
                h('h2', {}, practice.closed ? 'Reopen practice' : 'Close practice'),
                h('p', {}, practice.closed ? 'It will be offered again for staff accounts.'
                                           : 'A closed practice keeps its history and reports but is no longer offered for new staff accounts.'),
                h('button', { class: `nhsuk-button ${practice.closed ? 'nhsuk-button--secondary' : 'nhsuk-button--warning'}`, type: 'submit' },
                  practice.closed ? 'Reopen practice' : 'Close practice')));
        if (summary) showErrors(root, practice.name);
    };
    async function send(body, message) {
        const res = await apiSend('PATCH', `/boards/${board.slug}/practices/${id}`, body, { staff: true });
        if (res.status === 401) return;
        if (res.ok) {
            practice = res.body;
            show({}, null, { kind: 'success', text: message });
            root.querySelector('.nhsuk-notification-banner')?.setAttribute('tabindex', '-1');
            root.querySelector('.nhsuk-notification-banner')?.focus();
            return;
        }
        const { errors, summary } = problemErrors(res.body, LABELS);
        show(errors, summary);
    }
    function save(event) {
        event.preventDefault();
        const v = formValues(event.target);
        const size = Number(v.list_size);
        return send({ phone: v.phone.trim() || null, list_size: Number.isInteger(size) ? size : -1,
                      has_links_worker: v.has_links_worker === 'yes' }, 'Changes saved.');
    }
    function toggleClosed(event) {
        event.preventDefault();
        return send({ closed: !practice.closed }, practice.closed ? `${practice.name} is open again.` : `${practice.name} is closed.`);
    }
    show({}, null, null);
    return { title: practice.name, board, content: root };
}
