// refer.mjs — a GP, nurse or links worker refers a patient: to the service
// chosen from the search results (or to the practice's links worker).
// The referral's own page is referral.mjs; the caseload, caseload.mjs. The
// board's rules decide where it goes; staff see that decision and its
// reason before they confirm. Consent is a required tick. The referral is
// sent once whatever the network does (one Idempotency-Key per form).
import { apiGet, apiSend, categories } from '../api.mjs';
import { h, replace } from '../dom.mjs';
import { formGroup, formValues, problemErrors, textInput } from '../forms.mjs';
import { navigate } from '../navigation.mjs';
import { checkbox, radios, ROUTES } from '../referral-format.mjs';
import { can, setFlash } from '../session.mjs';
import { backLink, errorSummary, signedInBoard, staffProblemPage } from './common.mjs';

const LABELS = {
    chi: { label: 'CHI number' }, name: { label: 'Patient\'s name' }, contact_method: { label: 'How to contact them', id: 'contact_method-phone' },
    contact_detail: { label: 'Contact details' }, postcode: { label: 'Patient\'s postcode' }, reason: { label: 'Reason for referral' },
    needs: { label: 'Needs', id: 'needs-0' }, consent: { label: 'Consent', id: 'consent' }, service_id: { label: 'Service' },
};
const METHODS = [['phone', 'Phone call'], ['text', 'Text message'], ['email', 'Email'], ['post', 'Letter']];

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
