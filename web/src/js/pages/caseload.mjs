// caseload.mjs — the links worker's caseload, in the order to work through
// it: first contacts overdue, follow-ups due, new referrals, active ones,
// and those waiting for a place.
import { apiGet } from '../api.mjs';
import { h } from '../dom.mjs';
import { CONTACT_METHODS, dayText, today } from '../referral-format.mjs';
import { signInPlaceholder, signedInBoard, staffProblemPage } from './common.mjs';

const GROUPS = [['overdue', 'First contact overdue'], ['follow_up_due', 'Follow-up due'], ['new', 'New'], ['active', 'Active'],
                ['waiting', 'Waiting']];
const METHOD = Object.fromEntries(CONTACT_METHODS);
// how the patient asked to be contacted (the referral form's choices)
const PATIENT_METHOD = { phone: 'phone', text: 'text message', email: 'email', post: 'letter' };

function lastContactText(c) {
    if (!c) return 'no contact yet';
    return `last contact ${dayText(c.on)} (${(METHOD[c.method] ?? c.method).toLowerCase()}${c.reached ? '' : ', not reached'})`;
}

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
                    h('span', { class: 'nhsuk-body-s' }, ` · ${x.service ?? 'Links worker'} · ${x.reason}`),
                    h('div', { class: 'nhsuk-body-s nhsuk-u-margin-bottom-0' },
                        `${x.patient.contact_detail} (${PATIENT_METHOD[x.patient.contact_method] ?? x.patient.contact_method}) · `,
                        `referred ${dayText(today(new Date(x.created_at)))} · ${lastContactText(x.last_contact)}`,
                        x.follow_up_on ? ` · follow-up ${dayText(x.follow_up_on)}` : '')))));
    });
    return {
        title: 'Caseload', board,
        content: h('div', {}, h('h1', {}, 'Caseload'),
            h('p', {}, `Referrals for the links worker. First contact is due within ${r.body.first_contact_days} days.`),
            ...sections),
    };
}
