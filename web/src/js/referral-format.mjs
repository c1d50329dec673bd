// referral-format.mjs — what the referral pages share: the routes, states
// and closing reasons in words, dates as staff read them, and the radio
// and checkbox groups the forms are made of.
import { h } from './dom.mjs';

export const ROUTES = {
    service: 'Straight to the service', waiting_list: 'The service\'s waiting list', links_worker: 'The practice\'s links worker first',
    locality_links_worker: 'The locality\'s community links worker', refused: 'This referral cannot be made',
};

export const CLOSING = [['completed', 'Completed'], ['did_not_engage', 'Did not engage'], ['declined', 'Declined'],
                        ['moved_away', 'Moved away'], ['referred_on', 'Referred on']];

export const CONTACT_METHODS = [['phone', 'Phone call'], ['text', 'Text message'], ['email', 'Email'], ['letter', 'Letter'],
                                ['in_person', 'In person'], ['video', 'Video call']];

const LONDON = 'Europe/London';
const dayFormat = new Intl.DateTimeFormat('en-GB', { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
export const when = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: LONDON });

/** The day of an instant (default now) where the staff work, as the API's dates are written (YYYY-MM-DD). */
export function today(at = new Date()) {
    return new Intl.DateTimeFormat('en-CA', { timeZone: LONDON }).format(at);
}

/** A date from the API ("2026-12-03") as "Thu 3 Dec 2026". */
export function dayText(iso) {
    return iso ? dayFormat.format(new Date(`${iso}T00:00:00Z`)) : '';
}

export function radios(name, legend, options, value, error, { inline = false } = {}) {
    return h('div', { class: `nhsuk-form-group${error ? ' nhsuk-form-group--error' : ''}` },
        h('fieldset', { class: 'nhsuk-fieldset' },
            h('legend', { class: 'nhsuk-fieldset__legend nhsuk-fieldset__legend--s' }, legend),
            error ? h('span', { class: 'nhsuk-error-message' }, error) : null,
            h('div', { class: `nhsuk-radios${inline ? ' nhsuk-radios--inline' : ''}` }, options.map(([v, text]) => h('div', { class: 'nhsuk-radios__item' },
                h('input', { class: 'nhsuk-radios__input', id: `${name}-${v}`, name, type: 'radio', value: v, checked: value === v }),
                h('label', { class: 'nhsuk-label nhsuk-radios__label', for: `${name}-${v}` }, text))))));
}

export function checkbox(id, name, value, text, checked) {
    return h('div', { class: 'nhsuk-checkboxes__item' },
        h('input', { class: 'nhsuk-checkboxes__input', id, name, type: 'checkbox', value, checked }),
        h('label', { class: 'nhsuk-label nhsuk-checkboxes__label', for: id }, text));
}
