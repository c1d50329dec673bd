// refer.mjs — a GP, nurse or links worker refers a patient: to the service
// chosen from the search results (or to the practice's links worker). The
// board's rules decide where it goes; staff see that decision and its
// reason before they confirm. Consent is a required tick. The referral is
// sent once whatever the network does (one Idempotency-Key per form).
import { apiGet, apiSend, categories } from '../api.mjs';
import { h, replace } from '../dom.mjs';
import { formGroup, formValues, problemErrors, textInput } from '../forms.mjs';
import { navigate } from '../navigation.mjs';
import { can, setFlash, takeFlash } from '../session.mjs';
import { backLink, errorSummary, flashBanner, signInPlaceholder, signedInBoard, staffProblemPage } from './common.mjs';

const LABELS = {
    chi: { label: 'CHI number' }, name: { label: 'Patient\'s name' }, contact_method: { label: 'How to contact them', id: 'contact_method-phone' },
    contact_detail: { label: 'Contact details' }, postcode: { label: 'Patient\'s postcode' }, reason: { label: 'Reason for referral' },
    needs: { label: 'Needs', id: 'needs-0' }, consent: { label: 'Consent', id: 'consent' }, service_id: { label: 'Service' },
};
const METHODS = [['phone', 'Phone call'], ['text', 'Text message'], ['email', 'Email'], ['post', 'Letter']];
const ROUTES = {
    service: 'Straight to the service', waiting_list: 'The service\'s waiting list', links_worker: 'The practice\'s links worker first',
    locality_links_worker: 'The locality\'s community links worker', refused: 'This referral cannot be made',
};

function radios(name, legend, options, value, error) {
    return h('div', { class: `nhsuk-form-group${error ? ' nhsuk-form-group--error' : ''}` },
        h('fieldset', { class: 'nhsuk-fieldset' },
            h('legend', { class: 'nhsuk-fieldset__legend nhsuk-fieldset__legend--s' }, legend),
            error ? h('span', { class: 'nhsuk-error-message' }, error) : null,
            h('div', { class: 'nhsuk-radios' }, options.map(([v, text]) => h('div', { class: 'nhsuk-radios__item' },
                h('input', { class: 'nhsuk-radios__input', id: `${name}-${v}`, name, type: 'radio', value: v, checked: value === v }),
                h('label', { class: 'nhsuk-label nhsuk-radios__label', for: `${name}-${v}` }, text))))));
}

function checkbox(id, name, value, text, checked) {
    return h('div', { class: 'nhsuk-checkboxes__item' },
        h('input', { class: 'nhsuk-checkboxes__input', id, name, type: 'checkbox', value, checked }),
        h('label', { class: 'nhsuk-label nhsuk-checkboxes__label', for: id }, text));
}

export async function renderRefer(boardKey, params) {
    const { page, board } = await signedInBoard(boardKey);
    if (page) return page;
    if (!can('referral.create'))
        return { title: 'Not available', board, content: h('div', {}, h('h1', {}, 'Not available'),
            h('p', {}, 'Referring patients is for nurses, GPs and links workers.')) };
    const serviceId = params.get('service');
    const toLinksWorker = !serviceId;
    let service = null;
    if (serviceId) {
        const r = await apiGet(`/boards/${board.slug}/resources/${encodeURIComponent(serviceId)}`);
        if (!r.ok) return staffProblemPage(r, board);
        service = r.body;
    }
    const cats = await categories();
    const needsList = cats.ok ? cats.body.categories.filter((c) => c.level === 1) : [];
    const key = crypto.randomUUID();            // one referral per form, however often it is sent
    const root = h('div', {});
    let decision = null;

    const body = (v) => ({
        ...(toLinksWorker ? { links_worker: true } : { service_id: serviceId }),
        chi: v.chi.trim(), name: v.name.trim(), contact_method: v.contact_method ?? '', contact_detail: v.contact_detail.trim(),
        postcode: v.postcode.trim(), reason: v.reason.trim(), consent: v.consent === 'yes',
        needs: [...root.querySelectorAll('input[name=needs]:checked')].map((i) => i.value),
        urgent: v.urgent === 'yes', patient_asks_for_service: v.asks === 'yes',
    });

    const show = (v, errors, summary) => {
        const chosenNeeds = new Set(v.needs ?? []);
        replace(root,
            backLink(`/${board.slug}/`, 'Back to search'),
            summary ? errorSummary(summary) : null,
            h('h1', {}, toLinksWorker ? 'Refer to the links worker' : `Refer to ${service.name}`),
            h('form', { method: 'post', novalidate: true, onsubmit: submit },
                formGroup('chi', 'CHI number', '10 digits', textInput('chi', { value: v.chi, error: errors.chi, hint: true, inputmode: 'numeric', autocomplete: 'off', width: 10 }), errors.chi),
                formGroup('name', 'Patient\'s name', null, textInput('name', { value: v.name, error: errors.name, autocomplete: 'off', width: 20 }), errors.name),
                radios('contact_method', 'How to contact them', METHODS, v.contact_method, errors['contact_method-phone']),
                formGroup('contact_detail', 'Contact details', 'A phone number, email or address, as chosen', textInput('contact_detail', { value: v.contact_detail, error: errors.contact_detail, hint: true, autocomplete: 'off', width: 20 }), errors.contact_detail),
                formGroup('postcode', 'Patient\'s postcode', null, textInput('postcode', { value: v.postcode, error: errors.postcode, autocomplete: 'off', width: 10 }), errors.postcode),
                formGroup('reason', 'Reason for referral', null,
                    h('textarea', { class: `nhsuk-textarea${errors.reason ? ' nhsuk-textarea--error' : ''}`, id: 'reason', name: 'reason', rows: 3 }, v.reason ?? ''), errors.reason),
                h('div', { class: 'nhsuk-form-group' }, h('fieldset', { class: 'nhsuk-fieldset' },
                    h('legend', { class: 'nhsuk-fieldset__legend nhsuk-fieldset__legend--s' }, 'Needs (optional)'),
                    h('div', { class: 'nhsuk-checkboxes nhsuk-checkboxes--small' },
                        needsList.map((c, i) => checkbox(`needs-${i}`, 'needs', c.slug, c.name, chosenNeeds.has(c.slug)))))),
                h('div', { class: 'nhsuk-form-group' }, h('div', { class: 'nhsuk-checkboxes' },
                    checkbox('urgent', 'urgent', 'yes', 'Urgent', v.urgent === 'yes'),
                    toLinksWorker ? null : checkbox('asks', 'asks', 'yes', 'The patient asks to go to this service directly', v.asks === 'yes'))),
                h('div', { class: `nhsuk-form-group${errors.consent ? ' nhsuk-form-group--error' : ''}` },
                    errors.consent ? h('span', { class: 'nhsuk-error-message' }, errors.consent) : null,
                    h('div', { class: 'nhsuk-checkboxes' }, checkbox('consent', 'consent', 'yes', 'The patient consents to this referral', v.consent === 'yes'))),
                decision ? h('div', { class: 'nhsuk-inset-text links-referral-decision' },
                    h('h2', { class: 'nhsuk-heading-s' }, `Where it goes: ${ROUTES[decision.route] ?? decision.route}`),
                    h('p', {}, decision.reason, decision.locality ? ` (${decision.locality})` : ''),
                    decision.notify_links_worker ? h('p', {}, 'The practice\'s links worker will be told.') : null) : null,
                h('button', { class: 'nhsuk-button', type: 'submit', name: 'action', value: decision && decision.route !== 'refused' ? 'confirm' : 'check' },
                    decision && decision.route !== 'refused' ? 'Confirm referral' : 'Check where it goes')));
        // a change to what the rules look at makes the decision stale: check again
        root.querySelector('form').addEventListener('input', (event) => {
            if (!decision || !['chi', 'postcode', 'needs', 'urgent', 'asks'].includes(event.target.name)) return;
            decision = null;
            root.querySelector('.links-referral-decision')?.remove();
            const button = root.querySelector('form button[type=submit]');
            button.value = 'check';
            button.textContent = 'Check where it goes';
        });
        if (summary) {
            document.title = 'Error: Refer a patient – Community Links';
            root.querySelector('.nhsuk-error-summary')?.focus();
        }
    };

    async function submit(event) {
        event.preventDefault();
        const v = { ...formValues(event.target), needs: [...root.querySelectorAll('input[name=needs]:checked')].map((i) => i.value) };
        const confirm = event.submitter?.value === 'confirm';
        const payload = body(v);
        if (!confirm) {
            const { chi, name, contact_method, contact_detail, reason, consent, ...routing } = payload;
            const r = await apiSend('POST', `/boards/${board.slug}/referrals/preview`, chi ? { ...routing, chi } : routing, { staff: true });
            if (r.status === 401) return;
            decision = r.ok ? r.body : null;
            if (!r.ok) {
                const { errors, summary } = problemErrors(r.body, LABELS);
                return show(v, errors, summary);
            }
            show(v, {}, null);
            root.querySelector('.links-referral-decision')?.setAttribute('tabindex', '-1');
            root.querySelector('.links-referral-decision')?.focus();
            return;
        }
        const r = await apiSend('POST', `/boards/${board.slug}/referrals`, payload, { staff: true, headers: { 'Idempotency-Key': key } });
        if (r.status === 401) return;
        if (r.status === 201) {
            setFlash('success', `Referral made: ${ROUTES[r.body.route]}.`);
            navigate(`/${board.slug}/referrals/${r.body.id}`);
            return;
        }
        const { errors, summary } = problemErrors(r.body, LABELS);
        show(v, errors, summary);
    }
    show({}, {}, null);
    return { title: 'Refer a patient', board, content: root };
}

export async function renderReferral(boardKey, id) {
    const { page, board } = await signedInBoard(boardKey);
    if (page) return page;
    const r = await apiGet(`/boards/${board.slug}/referrals/${encodeURIComponent(id)}`, undefined, { staff: true });
    if (r.status === 401) return signInPlaceholder(board);
    if (!r.ok) return staffProblemPage(r, board);
    const ref = r.body;
    const when = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Europe/London' });
    const flash = takeFlash();
    return {
        title: `Referral for ${ref.patient.name}`, board,
        content: h('div', {},
            flash ? flashBanner(flash) : null,
            can('caseload') ? backLink(`/${board.slug}/caseload`, 'Back to caseload') : null,
            h('h1', {}, `Referral for ${ref.patient.name}`),
            h('dl', { class: 'nhsuk-summary-list' },
                ...[['To', ref.service ? ref.service.name : 'The practice\'s links worker'], ['Where it goes', `${ROUTES[ref.route]}: ${ref.route_reason}`],
                    ['Status', ref.status + (ref.closing_reason ? ` (${ref.closing_reason.replace(/_/g, ' ')})` : '')],
                    ['Reason', ref.reason], ['Referred by', ref.referrer.name], ['Consent recorded', when.format(new Date(ref.consent.recorded_at))]]
                    .map(([k, val]) => h('div', { class: 'nhsuk-summary-list__row' },
                        h('dt', { class: 'nhsuk-summary-list__key' }, k), h('dd', { class: 'nhsuk-summary-list__value' }, val)))),
            h('p', {}, h('strong', {}, 'Contact: '), `${ref.patient.contact_detail} (${ref.patient.contact_method})`),
            can('caseload') && ref.status !== 'closed' ? statusForm(board, ref) : null,
            h('h2', {}, 'History'),
            h('ol', { class: 'nhsuk-list nhsuk-list--number links-referral-history' }, ref.history.map((e) => h('li', {},
                `${when.format(new Date(e.at))}: ${e.from ? `${e.from} → ` : ''}${e.to}, by ${e.by}`, e.note ? ` — ${e.note}` : '')))),
    };
}

// Where a referral may go next from each state (as the API allows).
const NEXT = {
    waiting: [['received', 'Off the waiting list'], ['contacted', 'Contacted'], ['closed', 'Closed']],
    received: [['contacted', 'Contacted'], ['closed', 'Closed']],
    contacted: [['engaged', 'Engaged'], ['closed', 'Closed']],
    engaged: [['closed', 'Closed']],
};
const CLOSING = [['completed', 'Completed'], ['did_not_engage', 'Did not engage'], ['declined', 'Declined'],
                 ['moved_away', 'Moved away'], ['referred_on', 'Referred on']];

/** The links worker records what happened: the next state, why it closed, a note. */
function statusForm(board, ref) {
    const root = h('div', {});
    const show = (errors = {}, summary = null) => replace(root,
        summary ? errorSummary(summary) : null,
        h('h2', {}, 'Record what happened'),
        h('form', { method: 'post', novalidate: true, onsubmit: submit },
            radios('status', 'Now', NEXT[ref.status] ?? [], null, errors['status-contacted'] ?? errors.status),
            radios('closing_reason', 'If closed, why', CLOSING, null, errors['closing_reason-completed']),
            formGroup('note', 'Note (optional)', null, h('textarea', { class: 'nhsuk-textarea', id: 'note', name: 'note', rows: 2 })),
            h('button', { class: 'nhsuk-button', type: 'submit' }, 'Save')));
    async function submit(event) {
        event.preventDefault();
        const v = formValues(event.target);
        const payload = { status: v.status ?? '', ...(v.status === 'closed' ? { closing_reason: v.closing_reason ?? '' } : {}),
                          ...(v.note?.trim() ? { note: v.note.trim() } : {}) };
        const r = await apiSend('POST', `/boards/${board.slug}/referrals/${ref.id}/status`, payload, { staff: true });
        if (r.status === 401) return;
        if (r.ok) {
            setFlash('success', `Saved: the referral is now ${r.body.status}.`);
            navigate(`/${board.slug}/referrals/${ref.id}`);
            return;
        }
        const labels = { status: { label: 'Now', id: `status-${(NEXT[ref.status] ?? [['x']])[0][0]}` },
                         closing_reason: { label: 'Why it closed', id: 'closing_reason-completed' }, note: { label: 'Note' } };
        const { errors, summary } = problemErrors(r.body, labels);
        show(errors, summary);
        root.querySelector('.nhsuk-error-summary')?.focus();
    }
    show();
    return root;
}

const GROUPS = [['overdue', 'First contact overdue'], ['new', 'New'], ['active', 'Active'], ['waiting', 'Waiting']];

/** The links worker's caseload, in the order to work through it. */
export async function renderCaseload(boardKey) {
    const { page, board } = await signedInBoard(boardKey);
    if (page) return page;
    const r = await apiGet(`/boards/${board.slug}/caseload`, undefined, { staff: true });
    if (r.status === 401) return signInPlaceholder(board);
    if (!r.ok) return staffProblemPage(r, board);
    const sections = GROUPS.map(([group, heading]) => {
        const items = r.body.referrals.filter((x) => x.group === group);
        return h('section', { 'aria-labelledby': `caseload-${group}` },
            h('h2', { id: `caseload-${group}` }, `${heading} (${items.length})`),
            items.length === 0 ? h('p', {}, 'None.')
                : h('ul', { class: 'nhsuk-list nhsuk-list--border' }, items.map((x) => h('li', {},
                    h('a', { href: `/${board.slug}/referrals/${x.id}` }, x.patient.name),
                    x.urgent ? h('strong', { class: 'nhsuk-tag nhsuk-tag--red nhsuk-u-margin-left-2' }, 'Urgent') : null,
                    h('span', { class: 'nhsuk-body-s' }, ` · ${x.service ?? 'Links worker'} · ${x.reason}`)))));
    });
    return {
        title: 'Caseload', board,
        content: h('div', {}, h('h1', {}, 'Caseload'),
            h('p', {}, `Referrals for the links worker. First contact is due within ${r.body.first_contact_days} days.`),
            ...sections),
    };
}
