// referral.mjs — one referral's page: who, where it went and why, its
// history; and for the links worker the day-to-day work on it — record a
// contact, plan the next follow-up, record wellbeing (SWEMWBS, ONS4) at
// first contact and at closing and see the change, refer the patient on
// to another service, and move it on (contacted, engaged, closed).
import { apiGet, apiSend } from '../api.mjs';
import { h, replace } from '../dom.mjs';
import { formGroup, formValues, problemErrors, selectInput, textInput } from '../forms.mjs';
import { navigate } from '../navigation.mjs';
import { checkbox, CLOSING, CONTACT_METHODS, dayText, radios, ROUTES, today, when } from '../referral-format.mjs';
import { can, setFlash, takeFlash } from '../session.mjs';
import { backLink, errorSummary, flashBanner, signInPlaceholder, signedInBoard, staffProblemPage } from './common.mjs';

export async function renderReferral(boardKey, id) {
    const { page, board } = await signedInBoard(boardKey);
    if (page) return page;
    const r = await apiGet(`/boards/${board.slug}/referrals/${encodeURIComponent(id)}`, undefined, { staff: true });
    if (r.status === 401) return signInPlaceholder(board);
    if (!r.ok) return staffProblemPage(r, board);
    const ref = r.body;
    const flash = takeFlash();
    const worker = can('caseload');
    const open = ref.status !== 'closed';
    return {
        title: `Referral for ${ref.patient.name}`, board,
        content: h('div', {},
            flash ? flashBanner(flash) : null,
            worker ? backLink(`/${board.slug}/caseload`, 'Back to caseload') : null,
            h('h1', {}, `Referral for ${ref.patient.name}`),
            summaryList([['To', ref.service ? ref.service.name : 'The practice\'s links worker'],
                         ['Where it goes', `${ROUTES[ref.route]}: ${ref.route_reason}`],
                         ['Status', ref.status + (ref.closing_reason ? ` (${ref.closing_reason.replace(/_/g, ' ')})` : '')],
                         ['Reason', ref.reason], ['Referred by', ref.referrer.name],
                         ['Consent recorded', when.format(new Date(ref.consent.recorded_at))],
                         ['Next follow-up', ref.follow_up_on ? dayText(ref.follow_up_on) : 'None planned'],
                         ref.referred_on_from ? ['Referred on from', h('a', { href: `/${board.slug}/referrals/${ref.referred_on_from}` }, 'an earlier referral')] : null]),
            h('p', {}, h('strong', {}, 'Contact: '), `${ref.patient.contact_detail} (${ref.patient.contact_method})`),
            contactsSection(ref),
            worker && open ? contactForm(board, ref) : null,
            worker && open ? followUpForm(board, ref) : null,
            wellbeingSection(ref),
            worker ? wellbeingForm(board, ref) : null,
            referredOnSection(board, ref),
            worker && open ? referOnForm(board, ref) : null,
            worker && open ? statusForm(board, ref) : null,
            h('h2', {}, 'History'),
            h('ol', { class: 'nhsuk-list nhsuk-list--number links-referral-history' }, ref.history.map((e) => h('li', {},
                `${when.format(new Date(e.at))}: `, e.from === e.to ? e.by : `${e.from ? `${e.from} → ` : ''}${e.to}, by ${e.by}`,
                e.note ? ` — ${e.note}` : '')))),
    };
}

function summaryList(rows) {
    return h('dl', { class: 'nhsuk-summary-list' }, rows.filter(Boolean).map(([k, val]) => h('div', { class: 'nhsuk-summary-list__row' },
        h('dt', { class: 'nhsuk-summary-list__key' }, k), h('dd', { class: 'nhsuk-summary-list__value' }, val))));
}

/**
 * A form on this page that posts to one of the referral's endpoints: on
 * success the page is shown again with `done`'s message; on a problem the
 * fields come back with the messages beside them and the summary on top.
 */
function actionForm({ board, ref, heading, endpoint, labels, fields, payload, button, done, headers, className }) {
    const root = h('section', { class: className });
    const show = (errors = {}, summary = null, values = {}) => {
        replace(root,
            h('h2', {}, heading),
            summary ? errorSummary(summary) : null,
            h('form', { method: 'post', novalidate: true, onsubmit: submit }, ...fields(errors, values),
                h('button', { class: 'nhsuk-button', type: 'submit' }, button)));
        if (summary) root.querySelector('.nhsuk-error-summary')?.focus();
    };
    async function submit(event) {
        event.preventDefault();
        const v = formValues(event.target);
        const r = await apiSend('POST', `/boards/${board.slug}/referrals/${ref.id}/${endpoint}`, payload(v, event.target),
                                { staff: true, headers: headers ? headers() : undefined });
        if (r.status === 401) return;
        if (r.ok) {
            setFlash('success', done(r.body, v));
            navigate(`/${board.slug}/referrals/${ref.id}`);
            return;
        }
        const { errors, summary } = problemErrors(r.body, labels);
        show(errors, summary, v);
    }
    show();
    return root;
}

const textarea = (id, value, error, rows = 2) =>
    h('textarea', { class: `nhsuk-textarea${error ? ' nhsuk-textarea--error' : ''}`, id, name: id, rows }, value ?? '');
const dateInput = (id, value, error) => textInput(id, { type: 'date', value, error, width: 10 });

// ---- contacts and follow-up ------------------------------------------------

function contactsSection(ref) {
    const method = Object.fromEntries(CONTACT_METHODS);
    return h('section', { 'aria-labelledby': 'contacts-heading' },
        h('h2', { id: 'contacts-heading' }, `Contacts (${ref.contacts.length})`),
        ref.contacts.length === 0 ? h('p', {}, 'No contact recorded yet.')
            : h('ul', { class: 'nhsuk-list nhsuk-list--border links-referral-contacts' }, ref.contacts.map((c) => h('li', {},
                h('strong', {}, dayText(c.on)), ` · ${method[c.method] ?? c.method} · `,
                c.reached ? 'reached the patient' : 'did not reach the patient', ` · ${c.by}`, c.note ? ` — ${c.note}` : ''))));
}

function contactForm(board, ref) {
    const labels = { contacted_on: { label: 'Date' }, method: { label: 'How', id: 'contact_method-phone' },
                     reached: { label: 'Whether it reached the patient', id: 'reached-yes' }, note: { label: 'Note', id: 'contact_note' },
                     follow_up_on: { label: 'Next follow-up', id: 'contact_follow_up' } };
    return actionForm({
        board, ref, heading: 'Record a contact', endpoint: 'contacts', labels, button: 'Record contact', className: 'links-contact-form',
        fields: (e, v) => [
            formGroup('contacted_on', 'Date', null, dateInput('contacted_on', v.contacted_on ?? today(), e.contacted_on), e.contacted_on),
            radios('contact_method', 'How', CONTACT_METHODS, v.contact_method ?? null, e['contact_method-phone'], { inline: true }),
            radios('reached', 'Did it reach the patient?', [['yes', 'Yes'], ['no', 'No (no answer, message left)']], v.reached ?? null,
                   e['reached-yes'], { inline: true }),
            formGroup('contact_note', 'Note (optional)', null, textarea('contact_note', v.contact_note, e.contact_note), e.contact_note),
            formGroup('contact_follow_up', 'Next follow-up (optional)', null, dateInput('contact_follow_up', v.contact_follow_up, e.contact_follow_up),
                      e.contact_follow_up),
        ],
        payload: (v) => ({
            contacted_on: v.contacted_on ?? '', method: v.contact_method ?? '', reached: v.reached === undefined ? null : v.reached === 'yes',
            ...(v.contact_note?.trim() ? { note: v.contact_note.trim() } : {}),
            ...(v.contact_follow_up ? { follow_up_on: v.contact_follow_up } : {}),
        }),
        done: (body) => `Contact recorded${body.status === 'contacted' && ref.status === 'received' ? ': first contact made' : ''}.`,
    });
}

function followUpForm(board, ref) {
    return actionForm({
        board, ref, heading: 'Next follow-up', endpoint: 'follow-up', button: 'Save follow-up', className: 'links-follow-up-form',
        labels: { follow_up_on: { label: 'Follow-up date' }, note: { label: 'What for', id: 'follow_up_note' } },
        fields: (e, v) => [
            formGroup('follow_up_on', 'Follow-up date', 'Leave empty for none', dateInput('follow_up_on', v.follow_up_on ?? ref.follow_up_on ?? '', e.follow_up_on),
                      e.follow_up_on),
            formGroup('follow_up_note', 'What for (optional)', null, textInput('follow_up_note', { value: v.follow_up_note ?? '', width: 30 })),
        ],
        payload: (v) => ({ follow_up_on: v.follow_up_on ? v.follow_up_on : null,
                           ...(v.follow_up_note?.trim() ? { note: v.follow_up_note.trim() } : {}) }),
        done: (body) => (body.follow_up_on ? `Follow-up planned for ${dayText(body.follow_up_on)}.` : 'No follow-up planned.'),
    });
}

// ---- wellbeing ---------------------------------------------------------------

// The ONS personal well-being questions (Office for National Statistics,
// Open Government Licence; schema/data/ons4_questions.csv).
const ONS4 = [
    ['life_satisfaction', 'Overall, how satisfied are you with your life nowadays?'],
    ['worthwhile', 'Overall, to what extent do you feel that the things you do in your life are worthwhile?'],
    ['happiness', 'Overall, how happy did you feel yesterday?'],
    ['anxiety', 'Overall, how anxious did you feel yesterday?'],
];
const ONS4_SHORT = { life_satisfaction: 'Life satisfaction', worthwhile: 'Worthwhile', happiness: 'Happiness', anxiety: 'Anxiety' };
const SWEMWBS_ITEMS = 7;

const signed = (n, digits = 0) => (n === null || n === undefined ? '–' : `${n > 0 ? '+' : ''}${Number(n).toFixed(digits)}`);

function wellbeingSection(ref) {
    const { first_contact: first, closing, change } = ref.wellbeing;
    if (!first && !closing)
        return h('section', { 'aria-labelledby': 'wellbeing-heading' }, h('h2', { id: 'wellbeing-heading' }, 'Wellbeing'),
            h('p', {}, 'Not measured yet.'));
    const swemwbs = (m) => (m?.swemwbs ? `${m.swemwbs.metric.toFixed(2)} (raw ${m.swemwbs.raw})` : '–');
    const ons = (m, item) => (m?.ons4 ? `${m.ons4[item].score} (${m.ons4[item].band})` : '–');
    const rows = [
        ['SWEMWBS metric score', swemwbs(first), swemwbs(closing), change ? signed(change.swemwbs_metric, 2) : '–'],
        ...ONS4.map(([item]) => [`ONS4 ${ONS4_SHORT[item].toLowerCase()}${item === 'anxiety' ? ' (lower is better)' : ''}`,
                                 ons(first, item), ons(closing, item), change ? signed(change[item]) : '–']),
    ];
    return h('section', { 'aria-labelledby': 'wellbeing-heading' },
        h('h2', { id: 'wellbeing-heading' }, 'Wellbeing'),
        h('table', { class: 'nhsuk-table links-wellbeing' },
            h('caption', { class: 'nhsuk-table__caption nhsuk-u-visually-hidden' }, 'Wellbeing at first contact and at closing'),
            h('thead', { class: 'nhsuk-table__head' }, h('tr', {}, ['Measure', `First contact${first ? ` (${dayText(first.measured_on)})` : ''}`,
                `Closing${closing ? ` (${dayText(closing.measured_on)})` : ''}`, 'Change'].map((t) => h('th', { scope: 'col', class: 'nhsuk-table__header' }, t)))),
            h('tbody', { class: 'nhsuk-table__body' }, rows.map(([k, ...cells]) => h('tr', { class: 'nhsuk-table__row' },
                h('th', { scope: 'row', class: 'nhsuk-table__header' }, k), ...cells.map((c) => h('td', { class: 'nhsuk-table__cell' }, c)))))),
        ref.wellbeing.corrected ? h('p', { class: 'nhsuk-body-s' }, `${ref.wellbeing.corrected} earlier measure(s) corrected; the latest counts.`) : null);
}

function wellbeingForm(board, ref) {
    const scoreOptions = (lo, hi) => [{ value: '', text: '–' }, ...Array.from({ length: hi - lo + 1 }, (_, i) => ({ value: String(lo + i), text: String(lo + i) }))];
    const labels = { stage: { label: 'When', id: 'stage-first_contact' }, measured_on: { label: 'Date measured' },
                     swemwbs: { label: 'SWEMWBS', id: 'swemwbs-1' }, ons4: { label: 'ONS4', id: 'ons4-life_satisfaction' } };
    const stage = ref.wellbeing.first_contact ? 'closing' : 'first_contact';
    return actionForm({
        board, ref, heading: 'Record wellbeing', endpoint: 'wellbeing', labels, button: 'Save wellbeing', className: 'links-wellbeing-form',
        fields: (e, v) => [
            radios('stage', 'When', [['first_contact', 'At first contact'], ['closing', 'At closing']], v.stage ?? stage, e['stage-first_contact'], { inline: true }),
            formGroup('measured_on', 'Date measured', null, dateInput('measured_on', v.measured_on ?? today(), e.measured_on), e.measured_on),
            h('div', { class: `nhsuk-form-group${e['swemwbs-1'] ? ' nhsuk-form-group--error' : ''}` }, h('fieldset', { class: 'nhsuk-fieldset' },
                h('legend', { class: 'nhsuk-fieldset__legend nhsuk-fieldset__legend--s' }, 'SWEMWBS: the patient\'s score for each of the 7 statements'),
                h('div', { class: 'nhsuk-hint' }, 'From the patient\'s completed form, in its order: 1 (lowest) to 5 (highest). Leave all empty if not measured.'),
                e['swemwbs-1'] ? h('span', { class: 'nhsuk-error-message' }, e['swemwbs-1']) : null,
                h('div', { class: 'links-score-row' }, Array.from({ length: SWEMWBS_ITEMS }, (_, i) => h('div', { class: 'links-score' },
                    h('label', { class: 'nhsuk-label', for: `swemwbs-${i + 1}` }, `Statement ${i + 1}`),
                    selectInput(`swemwbs-${i + 1}`, scoreOptions(1, 5), { value: v[`swemwbs-${i + 1}`] ?? '' })))))),
            h('div', { class: `nhsuk-form-group${e['ons4-life_satisfaction'] ? ' nhsuk-form-group--error' : ''}` }, h('fieldset', { class: 'nhsuk-fieldset' },
                h('legend', { class: 'nhsuk-fieldset__legend nhsuk-fieldset__legend--s' }, 'ONS4: 0 (not at all) to 10 (completely)'),
                h('div', { class: 'nhsuk-hint' }, 'Leave all empty if not measured.'),
                e['ons4-life_satisfaction'] ? h('span', { class: 'nhsuk-error-message' }, e['ons4-life_satisfaction']) : null,
                ...ONS4.map(([item, question]) => h('div', { class: 'links-score links-score--wide' },
                    h('label', { class: 'nhsuk-label', for: `ons4-${item}` }, question),
                    selectInput(`ons4-${item}`, scoreOptions(0, 10), { value: v[`ons4-${item}`] ?? '' }))))),
        ],
        payload: (v) => {
            const items = Array.from({ length: SWEMWBS_ITEMS }, (_, i) => v[`swemwbs-${i + 1}`]);
            const ons = ONS4.map(([item]) => [item, v[`ons4-${item}`]]);
            return {
                stage: v.stage ?? '', measured_on: v.measured_on ?? '',
                // a partly filled scale is sent as it is, so the API says what is missing
                ...(items.some(Boolean) ? { swemwbs: items.map((x) => (x ? Number(x) : null)) } : {}),
                ...(ons.some(([, x]) => x) ? { ons4: Object.fromEntries(ons.map(([k, x]) => [k, x ? Number(x) : null])) } : {}),
            };
        },
        done: (_, v) => `Wellbeing recorded (${v.stage === 'closing' ? 'at closing' : 'at first contact'}).`,
    });
}

// ---- referring on ------------------------------------------------------------

function referredOnSection(board, ref) {
    if (ref.referred_on.length === 0) return null;
    return h('section', { 'aria-labelledby': 'referred-on-heading' },
        h('h2', { id: 'referred-on-heading' }, 'Referred on'),
        h('ul', { class: 'nhsuk-list' }, ref.referred_on.map((o) => h('li', {},
            h('a', { href: `/${board.slug}/referrals/${o.id}` }, o.service ?? 'a service'), ` · ${ROUTES[o.route] ?? o.route} · ${o.status}`))));
}

/** Find a service that takes referrals (near the patient) and refer the patient on to it, with consent. */
function referOnForm(board, ref) {
    let found = null;               // the last search's services
    let key = crypto.randomUUID();  // one referral per form, however often it is sent
    const labels = { service_id: { label: 'Service', id: 'refer_on_q' }, reason: { label: 'Reason', id: 'refer_on_reason' },
                     consent: { label: 'Consent', id: 'refer_on_consent' } };
    const results = (e, v) => h('div', { class: 'links-refer-on-results' },
        found === null ? null : found.length === 0 ? h('p', {}, 'No service that takes referrals matched.')
            : radios('refer_on_service', 'Choose the service', found.map((s) => [s.id, `${s.name}${s.distance_km !== null && s.distance_km !== undefined ? ` (${s.distance_km.toFixed(1)} km)` : ''}`]),
                     v.refer_on_service ?? null, e.refer_on_q));
    const form = actionForm({
        board, ref, heading: 'Refer on to a service', endpoint: 'refer-on', labels, button: 'Refer on', className: 'links-refer-on-form',
        headers: () => ({ 'Idempotency-Key': key }),
        fields: (e, v) => [
            formGroup('refer_on_q', 'Find a service that takes referrals', `Near the patient (${ref.patient.postcode})`,
                h('div', { class: 'links-inline' }, textInput('refer_on_q', { value: v.refer_on_q ?? '', width: 20, hint: true, error: e.refer_on_q,
                                                                     onkeydown: (event) => { if (event.key === 'Enter') { event.preventDefault(); search(); } } }),
                    h('button', { class: 'nhsuk-button nhsuk-button--secondary nhsuk-u-margin-left-2', type: 'button', onclick: search }, 'Find')),
                e.refer_on_q),
            results(e, v),
            formGroup('refer_on_reason', 'Reason', null, textarea('refer_on_reason', v.refer_on_reason, e.refer_on_reason), e.refer_on_reason),
            h('div', { class: `nhsuk-form-group${e.refer_on_consent ? ' nhsuk-form-group--error' : ''}` },
                e.refer_on_consent ? h('span', { class: 'nhsuk-error-message' }, e.refer_on_consent) : null,
                h('div', { class: 'nhsuk-checkboxes' }, checkbox('refer_on_consent', 'refer_on_consent', 'yes', 'The patient consents to this referral',
                                                                 v.refer_on_consent === 'yes'))),
        ],
        payload: (v) => ({ service_id: v.refer_on_service ?? '', reason: (v.refer_on_reason ?? '').trim(), consent: v.refer_on_consent === 'yes' }),
        done: (body) => {
            key = crypto.randomUUID();
            return `Referred on to ${body.service?.name}: ${ROUTES[body.route] ?? body.route}. Close this referral as “referred on” when your part is done.`;
        },
    });
    async function search() {
        const q = form.querySelector('#refer_on_q').value.trim();
        const params = new URLSearchParams({ postcode: ref.patient.postcode, accepting_referrals: 'true', per_page: '10' });
        if (q) params.set('q', q);
        const r = await apiGet(`/boards/${board.slug}/resources`, params);
        found = r.ok ? r.body.items.filter((s) => s.accepts_referrals) : [];
        const v = formValues(form.querySelector('form'));
        replace(form.querySelector('.links-refer-on-results'), results({}, v));
        form.querySelector('.links-refer-on-results input, .links-refer-on-results p')?.focus();
    }
    return form;
}

// ---- moving it on ----------------------------------------------------------

// Where a referral may go next from each state (as the API allows).
const NEXT = {
    waiting: [['received', 'Off the waiting list'], ['contacted', 'Contacted'], ['closed', 'Closed']],
    received: [['contacted', 'Contacted'], ['closed', 'Closed']],
    contacted: [['engaged', 'Engaged'], ['closed', 'Closed']],
    engaged: [['closed', 'Closed']],
};

/** The links worker records what happened: the next state, why it closed, a note. */
function statusForm(board, ref) {
    const next = NEXT[ref.status] ?? [];
    return actionForm({
        board, ref, heading: 'Record what happened', endpoint: 'status', button: 'Save', className: 'links-status-form',
        labels: { status: { label: 'Now', id: `status-${(next[0] ?? ['x'])[0]}` },
                  closing_reason: { label: 'If closed, why', id: 'closing_reason-completed' }, note: { label: 'Note' } },
        fields: (e, v) => [
            radios('status', 'Now', next, v.status ?? null, e[`status-${(next[0] ?? ['x'])[0]}`]),
            radios('closing_reason', 'If closed, why', CLOSING, v.closing_reason ?? null, e['closing_reason-completed']),
            formGroup('note', 'Note (optional)', null, textarea('note', v.note, e.note)),
        ],
        payload: (v) => ({ status: v.status ?? '', ...(v.closing_reason ? { closing_reason: v.closing_reason } : {}),
                           ...(v.note?.trim() ? { note: v.note.trim() } : {}) }),
        done: (body) => `Saved: the referral is now ${body.status}.`,
    });
}
