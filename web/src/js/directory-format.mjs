// directory-format.mjs — how the directory's fields and their changes read
// to champions. Pure functions (no DOM), unit-tested in tests/web/.

const LABELS = {
    name: 'Name', alternate_name: 'Other name', description: 'Description', url: 'Website', email: 'Email',
    status: 'Status', fees_description: 'Cost', is_free: 'Free', eligibility_description: 'Who it is for',
    minimum_age: 'Youngest age', maximum_age: 'Oldest age', application_process: 'How to get help',
    accepts_referrals: 'Takes referrals', self_referral: 'Takes self-referrals', capacity_available: 'Places free', capacity_maximum: 'Places in all',
    capacity_unit: 'Counted in', alert: 'Notice', interpretation_services: 'Interpreting', wait_time: 'Waiting time',
    champion_id: 'Looked after by', phones: 'Phone numbers', phone: 'Phone', categories: 'Types of support',
    schedules: 'Opening times', service_areas: 'Areas covered', languages: 'Languages', last_reviewed: 'Last checked',
    organization_name: 'Organisation', location_name: 'Venue', address_1: 'Address', city: 'Town or city',
    postcode: 'Postcode',
};

/** "fees_description" -> "Cost". */
export function fieldLabel(field) {
    return LABELS[field] ?? field.replace(/_/g, ' ');
}

const STATES = { current: 'Up to date', due_soon: 'Due soon', due: 'Due for review', overdue: 'Overdue' };

export function reviewStateText(state) {
    return STATES[state] ?? state;
}

/** A value from the history as words: lists by their main part, nothing as "(none)". */
export function valueText(field, value) {
    if (value === null || value === undefined || value === '' || (Array.isArray(value) && value.length === 0)) return '(none)';
    if (typeof value === 'boolean') return value ? 'yes' : 'no';
    if (field === 'phones') return value.map((p) => p.number).join(', ');
    if (field === 'schedules')
        return value.map((s) => [s.byday ?? s.bymonthday, s.opens_at && `${s.opens_at}-${s.closes_at}`].filter(Boolean).join(' ')).join('; ');
    if (field === 'service_areas') return value.map((a) => a.name ?? a.code).join(', ');
    if (Array.isArray(value)) return value.join(', ');
    if (field === 'last_reviewed') return new Date(value).toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric' });
    return String(value);
}

/**
 * One history entry in words: "ggc.champion changed Phone numbers from
 * 0141 496 0001 to 0141 496 0111"; a review reads "confirmed it as still
 * correct"; a creation "set Name to ...".
 */
export function changeText(change, { withWho = true } = {}) {
    const who = withWho ? `${change.by} ` : '';
    if (change.action === 'reviewed') return `${who}confirmed it as still correct`.replace(/^c/, withWho ? 'c' : 'C');
    const what = fieldLabel(change.field);
    if (change.action === 'created' || change.action === 'imported') {
        const verb = change.action === 'created' ? 'set' : 'imported';
        const text = `${who}${verb} ${what} to ${valueText(change.field, change.to)}`;
        return withWho ? text : text.charAt(0).toUpperCase() + text.slice(1);
    }
    const text = `${who}changed ${what} from ${valueText(change.field, change.from)} to ${valueText(change.field, change.to)}`;
    return withWho ? text : text.charAt(0).toUpperCase() + text.slice(1);
}
