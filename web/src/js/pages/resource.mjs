// resource.mjs — one service in full: what it is, where and when, how to
// get in touch, what it costs, who it is for; add it to the handout.
import { apiGet, NetworkError } from '../api.mjs';
import { h, hidden } from '../dom.mjs';
import { addressText, agesText, costText, scheduleText } from '../format.mjs';
import { inHandout, setInHandout, HANDOUT_MAX_ITEMS } from '../handout-store.mjs';
import { backLink, boardFor, problemPage } from './common.mjs';

function row(key, ...value) {
    return h('div', { class: 'nhsuk-summary-list__row' },
        h('dt', { class: 'nhsuk-summary-list__key' }, key),
        h('dd', { class: 'nhsuk-summary-list__value' }, ...value));
}

/** The shape a search item has, so the handout stores one kind of thing. */
function asItem(d) {
    return {
        id: d.id, name: d.name, description: d.description, url: d.url, email: d.email, phone: d.phone,
        is_free: d.is_free, fees: d.fees, area: d.area, organization: { id: d.organization.id, name: d.organization.name },
        location: d.locations[0] ?? null, distance_km: null, categories: d.categories, schedules: d.schedules,
    };
}

function handoutButton(board, d) {
    const note = h('p', { class: 'nhsuk-body-s', 'aria-live': 'polite' });
    const button = h('button', { class: 'nhsuk-button nhsuk-button--secondary', type: 'button' });
    const label = () => {
        button.textContent = inHandout(board.slug, d.id) ? 'Remove from handout' : 'Add to handout';
    };
    button.addEventListener('click', () => {
        const adding = !inHandout(board.slug, d.id);
        if (!setInHandout(board.slug, asItem(d), adding)) note.textContent = `The handout holds at most ${HANDOUT_MAX_ITEMS} services.`;
        else note.textContent = adding ? 'Added to the handout.' : 'Removed from the handout.';
        label();
    });
    label();
    return h('div', { class: 'links-no-print' }, button, note,
        h('p', {}, h('a', { href: `/${board.slug}/handout` }, 'View and print the handout')));
}

export async function renderResource(boardKey, id) {
    const { board, page } = await boardFor(boardKey);
    if (page) return page;
    let r;
    try {
        r = await apiGet(`/boards/${encodeURIComponent(board.slug)}/resources/${encodeURIComponent(id)}`);
    } catch (err) {
        if (!(err instanceof NetworkError)) throw err;
        return problemPage('This service could not be shown', err, board);
    }
    if (r.status === 404 || r.status === 400)
        return problemPage('Service not found', { detail: 'This service is not in the directory: it may have been removed. Search again for another.' }, board);
    if (!r.ok) return problemPage('This service could not be shown', r.body, board);
    const d = r.body;
    const whereAt = d.locations.length === 0 ? null
        : d.locations.length === 1 ? addressText(d.locations[0])
        : h('ul', { class: 'nhsuk-list nhsuk-list--bullet' }, d.locations.map((l) => h('li', {}, addressText(l))));
    const area = d.area === 'national' ? 'All of Scotland' : d.area === 'board' ? `All of ${board.name}`
        : d.service_areas?.length ? d.service_areas.map((a) => a.name).join(', ') : null;
    const date = (iso) => new Date(iso).toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric' });
    const closures = (d.closures ?? []).map((c) => {
        const days = c.starts_on === c.ends_on ? date(c.starts_on) : `${date(c.starts_on)} to ${date(c.ends_on)}`;
        const hours = c.closed ? 'closed' : `open ${c.opens_at} to ${c.closes_at} only`;
        return h('li', {}, `${days}: ${hours}${c.description ? ` (${c.description})` : ''}`);
    });
    const capacity = d.capacity ? `${d.capacity.available} ${d.capacity.unit ?? 'places'} free` +
        (d.capacity.maximum ? ` of ${d.capacity.maximum}` : '') + ` (updated ${date(d.capacity.updated)})` : null;
    const referrals = d.accepts_referrals ? ['Yes', capacity ? `: ${capacity}` : ''].join('') : 'No';
    const closed = d.status !== 'active';
    return {
        board, title: `${d.name} – ${board.name}`,
        content: h('div', {},
            backLink(`/${board.slug}/`, 'Back to search'),
            h('h1', {}, d.name),
            h('p', { class: 'nhsuk-lede-text' }, d.organization.name),
            closed ? h('div', { class: 'nhsuk-warning-callout' },
                h('h2', { class: 'nhsuk-warning-callout__label' }, h('span', { role: 'text' }, hidden('Important: '), `This service is ${d.status}`)),
                h('p', {}, 'Check with the service before suggesting it to a patient.')) : null,
            d.alert ? h('div', { class: 'nhsuk-inset-text' }, h('span', { class: 'nhsuk-u-visually-hidden' }, 'Information: '),
                        h('p', {}, d.alert)) : null,
            d.review_overdue ? h('div', { class: 'nhsuk-warning-callout' },
                h('h2', { class: 'nhsuk-warning-callout__label' }, h('span', { role: 'text' }, hidden('Important: '), 'These details may be out of date')),
                h('p', {}, d.last_reviewed ? `They were last checked on ${date(d.last_reviewed)}. ` : 'They have never been checked. ',
                   'Phone the service to confirm before sending a patient.')) : null,
            h('p', {}, d.description),
            h('dl', { class: 'nhsuk-summary-list' },
                whereAt ? row(d.locations.length > 1 ? 'Places' : 'Where', whereAt) : null,
                area ? row('Area covered', area) : null,
                row('When', d.schedules.length ? h('ul', { class: 'nhsuk-list' }, d.schedules.map((s) => h('li', {}, scheduleText(s))))
                                               : 'Opening times not known: phone or check the website'),
                d.open_now !== null && d.open_now !== undefined ? row('Open now', d.open_now ? 'Yes' : 'No') : null,
                closures.length ? row('Closures', h('ul', { class: 'nhsuk-list' }, closures)) : null,
                d.application_process ? row('How to get help', d.application_process) : null,
                row('Takes referrals', referrals),
                d.phone ? row('Phone', h('a', { href: `tel:${d.phone.replace(/\s+/g, '')}` }, d.phone)) : null,
                d.email ? row('Email', h('a', { href: `mailto:${d.email}` }, d.email)) : null,
                d.url ? row('Website', h('a', { href: d.url, rel: 'noopener', target: '_blank' }, d.url.replace(/^https?:\/\//, ''), hidden(' (opens in a new tab)'))) : null,
                row('Cost', costText(d)),
                d.eligibility ? row('Who it is for', d.eligibility) : null,
                agesText(d) ? row('Ages', agesText(d)) : null,
                d.languages?.length ? row('Languages', d.languages.map((l) => l.name ?? l.code).join(', ')) : null,
                d.locations.some((l) => l.accessibility?.length)
                    ? row('Accessibility', h('ul', { class: 'nhsuk-list' }, d.locations.flatMap((l) => (l.accessibility ?? []).map((a) =>
                        h('li', {}, d.locations.length > 1 ? `${l.name}: ${a}` : a))))) : null,
                d.categories.length ? row('Types of support', d.categories.map((c) => c.name).join(', ')) : null,
                d.last_reviewed ? row('Last checked', date(d.last_reviewed)) : null),
            handoutButton(board, d)),
    };
}
