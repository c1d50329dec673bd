// search.mjs — the page staff use most: what the patient needs, where, how
// far; results nearest first, each with what the patient needs to get there,
// and a tick to add it to the patient's handout.
import { apiGet, categories, NetworkError } from '../api.mjs';
import { h, hidden, replace } from '../dom.mjs';
import { addressText, agesText, costText, openingText, reachText, shortDescription } from '../format.mjs';
import { HANDOUT_MAX_ITEMS, handoutItems, inHandout, setInHandout } from '../handout-store.mjs';
import { navigate } from '../navigation.mjs';
import { describedBy, formGroup, selectInput, textInput } from '../forms.mjs';
import { can, session } from '../session.mjs';
import { signpostControl } from '../signpost.mjs';
import { boardFor, errorSummary, problemPage } from './common.mjs';

const RADII_KM = [1, 2, 3, 5, 10, 20, 50];
const DEFAULT_RADIUS_KM = '5';
const PER_PAGE = 20;
// The API's field names, the form's labels (for messages that start with them).
const FIELDS = {
    q: 'What the patient needs',
    category: 'Type of support',
    postcode: 'Postcode or place',
    radius_km: 'Distance',
    age: "Patient's age",
    open_now: 'Open now',
    free: 'Free only',
    accepting_referrals: 'Taking referrals',
    sort: 'Order',
};
const FLAGS = ['open_now', 'free', 'accepting_referrals'];
const SORTS = [
    { value: '', text: 'Nearest or best match first' },
    { value: 'reviewed', text: 'Most recently checked first' },
];
// What the form keeps in the page address (and so in the browser's history).
const FORM_KEYS = ['q', 'category', 'postcode', 'radius_km', 'age', ...FLAGS, 'sort'];

function categorySelect(list, value, error) {
    const tops = list.filter((c) => c.level === 1);
    const children = (slug) => list.filter((c) => c.parent === slug);
    return h('select', { class: `nhsuk-select${error ? ' nhsuk-select--error' : ''}`, id: 'category', name: 'category',
                         'aria-describedby': describedBy('category', false, error) },
        h('option', { value: '' }, 'Any type of support'),
        tops.map((top) => h('optgroup', { label: top.name },
            h('option', { value: top.slug, selected: top.slug === value }, `All ${top.name.toLowerCase()}`),
            children(top.slug).flatMap((c) => [
                h('option', { value: c.slug, selected: c.slug === value }, c.name),
                ...children(c.slug).map((g) => h('option', { value: g.slug, selected: g.slug === value }, `– ${g.name}`)),
            ]))));
}

function searchForm(board, values, errors, categoryList) {
    const field = (id) => errors[id];
    const input = (id, attrs) => h('input', {
        class: `nhsuk-input${field(id) ? ' nhsuk-input--error' : ''}`, id, name: id, type: 'text',
        value: values[id] ?? '', 'aria-describedby': describedBy(id, true, field(id)), ...attrs,
    });
    return h('form', { class: 'links-search', method: 'get', action: `/${board.slug}/`, novalidate: true, role: 'search',
                       'aria-label': 'Search the directory' },
        formGroup('q', FIELDS.q, 'A word or two: walking, food, debt, carers', input('q', { autocomplete: 'off', spellcheck: 'true', maxlength: 200 }), field('q')),
        categoryList ? formGroup('category', FIELDS.category, null, categorySelect(categoryList, values.category, field('category')), field('category')) : null,
        formGroup('postcode', FIELDS.postcode, 'Full postcode (G51 1AA), district (G51) or a town or area (Partick)',
                  input('postcode', { autocomplete: 'off', spellcheck: 'false', class: `nhsuk-input nhsuk-input--width-10${field('postcode') ? ' nhsuk-input--error' : ''}` }), field('postcode')),
        formGroup('radius_km', FIELDS.radius_km, null,
                  h('select', { class: `nhsuk-select${field('radius_km') ? ' nhsuk-select--error' : ''}`, id: 'radius_km', name: 'radius_km',
                                'aria-describedby': describedBy('radius_km', false, field('radius_km')) },
                    RADII_KM.map((km) => h('option', { value: String(km), selected: String(km) === (values.radius_km ?? DEFAULT_RADIUS_KM) }, `Within ${km} km`))),
                  field('radius_km'), 'links-search__radius'),
        narrowing(values, errors),
        h('div', { class: 'links-search__submit' }, h('button', { class: 'nhsuk-button', type: 'submit' }, 'Search')));
}

/** Open now, free, taking referrals, the patient's age and the order: optional. */
function narrowing(values, errors) {
    const flag = (id) => h('div', { class: 'nhsuk-checkboxes__item' },
        h('input', { class: 'nhsuk-checkboxes__input', id, name: id, type: 'checkbox', value: 'true', checked: values[id] === 'true' }),
        h('label', { class: 'nhsuk-label nhsuk-checkboxes__label', for: id }, FIELDS[id]));
    const flagError = FLAGS.map((f) => errors[f]).find(Boolean);
    return h('fieldset', { class: 'nhsuk-fieldset links-search__narrow' },
        h('legend', { class: 'nhsuk-fieldset__legend nhsuk-fieldset__legend--s' }, 'Narrow the results (optional)'),
        h('div', { class: `nhsuk-form-group${flagError ? ' nhsuk-form-group--error' : ''}` },
            flagError ? h('span', { class: 'nhsuk-error-message', id: 'flags-error' }, hidden('Error: '), flagError) : null,
            h('div', { class: 'nhsuk-checkboxes nhsuk-checkboxes--small' }, FLAGS.map(flag))),
        formGroup('age', FIELDS.age, 'Leave blank if it does not matter',
                  textInput('age', { value: values.age ?? '', error: errors.age, hint: true, width: 3, inputmode: 'numeric',
                                     autocomplete: 'off', maxlength: 3 }), errors.age),
        formGroup('sort', FIELDS.sort, null, selectInput('sort', SORTS, { value: values.sort ?? '', error: errors.sort }), errors.sort));
}

/** The search as the API takes it: empty fields left out, no radius without a place. */
export function searchParams(values) {
    const p = new URLSearchParams();
    for (const key of ['q', 'category', 'postcode']) {
        const v = (values[key] ?? '').trim();
        if (v) p.set(key, v);
    }
    if (p.has('postcode') && values.radius_km) p.set('radius_km', values.radius_km);
    const age = (values.age ?? '').trim();
    if (age) p.set('age', age);
    for (const f of FLAGS)
        if (values[f] === 'true') p.set(f, 'true');
    if (values.sort) p.set('sort', values.sort);
    if (values.page && values.page !== '1') {
        p.set('page', values.page);
        if (values.cursor) p.set('cursor', values.cursor);
    }
    return p;
}

function handoutToggle(board, item) {
    const id = `handout-${item.id}`;
    const box = h('input', { class: 'nhsuk-checkboxes__input', id, type: 'checkbox', checked: inHandout(board.slug, item.id) });
    const note = h('span', { class: 'nhsuk-hint nhsuk-u-margin-bottom-0', 'aria-live': 'polite' });
    box.addEventListener('change', () => {
        if (!setInHandout(board.slug, item, box.checked)) {
            box.checked = false;
            note.textContent = `The handout holds at most ${HANDOUT_MAX_ITEMS} services.`;
        } else {
            note.textContent = '';
        }
    });
    return h('div', { class: 'nhsuk-checkboxes nhsuk-checkboxes--small links-no-print' },
        h('div', { class: 'nhsuk-checkboxes__item' }, box,
            h('label', { class: 'nhsuk-label nhsuk-checkboxes__label', for: id }, 'Add to handout', hidden(`: ${item.name}`))),
        note);
}

function fact(term, ...value) {
    return h('div', {}, h('dt', {}, `${term}: `), h('dd', {}, ...value));
}

export function contactFacts(item, board) {
    const address = addressText(item.location);
    const opening = openingText(item.schedules);
    return [
        item.area === 'local' && address ? fact('Where', address) : null,
        item.area !== 'local' ? fact('Area', reachText(item, board.name)) : null,
        fact('When', opening ?? 'Opening times not known: phone or check the website'),
        item.phone ? fact('Phone', h('a', { href: `tel:${item.phone.replace(/\s+/g, '')}` }, item.phone)) : null,
        item.url ? fact('Website', h('a', { href: item.url, rel: 'noopener', target: '_blank' }, item.url.replace(/^https?:\/\//, ''), hidden(' (opens in a new tab)'))) : null,
        fact('Cost', costText(item)),
    ];
}

function tag(text, colour) {
    return h('strong', { class: `nhsuk-tag${colour ? ` nhsuk-tag--${colour}` : ''}` }, text);
}

/** What staff check at a glance: open, ages, referrals, and whether the details may be out of date. */
function resultTags(item) {
    const tags = [];
    if (item.open === true) tags.push(tag('Open now', 'green'));
    const ages = agesText(item);
    if (ages) tags.push(tag(ages, 'blue'));
    if (item.accepts_referrals) tags.push(tag('Takes referrals', 'purple'));
    if (item.review_overdue) tags.push(tag('Details may be out of date', 'orange'));
    return tags.length ? h('p', { class: 'links-result__tags' }, tags) : null;
}

function resultItem(board, item) {
    const reach = reachText(item, board.name);
    return h('li', { class: 'links-result' },
        h('h3', { class: 'links-result__heading nhsuk-heading-s' },
            h('a', { href: `/${board.slug}/resources/${item.id}` }, item.name)),
        h('p', { class: 'links-result__meta nhsuk-body-s' }, [item.organization.name, reach].filter(Boolean).join(' · ')),
        resultTags(item),
        item.alert ? h('p', { class: 'nhsuk-body-s' }, h('strong', {}, 'Please note: '), item.alert) : null,
        h('p', { class: 'nhsuk-body-s' }, shortDescription(item.description)),
        h('dl', { class: 'links-result__facts nhsuk-body-s' }, contactFacts(item, board)),
        handoutToggle(board, item),
        signpostControl(board, { service_id: item.id }, 'Information given', item.name),
        can('referral.create') && item.accepts_referrals
            ? h('p', { class: 'nhsuk-body-s links-no-print' },
                h('a', { href: `/${board.slug}/refer?service=${encodeURIComponent(item.id)}` }, 'Refer the patient', hidden(` to ${item.name}`)))
            : null);
}

/** For practice staff: record that the patient was told about the practice's links worker. */
function linksWorkerSignpost(board) {
    if (!session()?.staff?.practice?.has_links_worker) return null;
    const control = signpostControl(board, { links_worker: true }, 'Told about the links worker', 'the practice\'s links worker');
    return control && h('div', { class: 'links-signpost-links-worker' },
        h('p', { class: 'nhsuk-body-s nhsuk-u-margin-bottom-1' }, 'Did the patient hear about the practice\'s links worker instead?'),
        control,
        can('referral.create')
            ? h('p', { class: 'nhsuk-body-s links-no-print' }, h('a', { href: `/${board.slug}/refer` }, 'Refer the patient to the links worker'))
            : null);
}

function pagination(board, values, result) {
    const pages = Math.ceil(result.total / result.per_page);
    if (pages <= 1) return null;
    const link = (page, rel, title) => h('li', { class: `nhsuk-pagination-item--${rel === 'prev' ? 'previous' : 'next'}` },
        h('a', { class: `nhsuk-pagination__link nhsuk-pagination__link--${rel}`, rel,
                 href: `/${board.slug}/?${searchParams({ ...values, page: String(page), cursor: result.cursor ?? '' })}` },
            h('span', { class: 'nhsuk-pagination__title' }, title, hidden(' page')),
            hidden(':'), h('span', { class: 'nhsuk-pagination__page' }, `Page ${page} of ${pages}`)));
    return h('nav', { class: 'nhsuk-pagination links-no-print', role: 'navigation', 'aria-label': 'Pagination' },
        h('ul', { class: 'nhsuk-list nhsuk-pagination__list' },
            result.page > 1 ? link(result.page - 1, 'prev', 'Previous') : null,
            result.page < pages ? link(result.page + 1, 'next', 'Next') : null));
}

function emptyAdvice(board, values, result) {
    const wider = RADII_KM.find((km) => km > Number(result.query.radius_km ?? values.radius_km ?? 5));
    const tips = [];
    if (result.origin && wider)
        tips.push(h('li', {}, h('a', { href: `/${board.slug}/?${searchParams({ ...values, radius_km: String(wider), page: '1' })}` }, `Search within ${wider} km`)));
    if (values.category)
        tips.push(h('li', {}, h('a', { href: `/${board.slug}/?${searchParams({ ...values, category: '', page: '1' })}` }, 'Search any type of support')));
    if (values.q)
        tips.push(h('li', {}, 'Check the spelling, or use a shorter or more general word (for example "food" rather than "food parcels")'));
    if (result.origin?.kind === 'postcode' && result.origin.district)
        tips.push(h('li', {}, h('a', { href: `/${board.slug}/?${searchParams({ ...values, postcode: result.origin.district, page: '1' })}` }, `Search the whole ${result.origin.district} district`)));
    return h('div', { class: 'nhsuk-inset-text' },
        h('span', { class: 'nhsuk-u-visually-hidden' }, 'Information: '),
        h('p', {}, 'No services match this search.'),
        tips.length ? [h('p', {}, 'You could:'), h('ul', {}, tips)] : null);
}

function summaryLine(result, values) {
    const n = result.total;
    const what = values.q ? ` for “${result.corrected_query ?? values.q}”` : '';
    const where = result.origin ? ` within ${result.query.radius_km} km of ${result.origin.query}` : '';
    return `${n === 1 ? '1 service' : `${n} services`} found${what}${where}`;
}

function handoutBar(board) {
    const count = h('span', {});
    const bar = h('div', { class: 'links-handout-bar links-no-print', hidden: true },
        h('a', { href: `/${board.slug}/handout`, class: 'nhsuk-button nhsuk-button--secondary nhsuk-u-margin-bottom-0' },
            'Handout for the patient (', count, ')'));
    const update = () => {
        // A bar from a page since left stops listening (one per render otherwise).
        if (!bar.isConnected && bar.dataset.shown) {
            document.removeEventListener('links:handout', update);
            return;
        }
        const n = handoutItems(board.slug).length;
        count.textContent = n === 1 ? '1 service' : `${n} services`;
        bar.hidden = n === 0;
    };
    update();
    bar.dataset.shown = 'yes';
    document.addEventListener('links:handout', update);
    return bar;
}

function readForm(form) {
    const data = new FormData(form);
    return Object.fromEntries(FORM_KEYS.map((k) => [k, String(data.get(k) ?? '')]));
}

export async function renderSearch(boardKey, params) {
    const { board, page } = await boardFor(boardKey);
    if (page) return page;
    if (!board.in_service)
        return problemPage(`${board.name} directory is not available`, { detail: board.reason ?? 'The board is out of service.', status: 503 }, board);
    const values = Object.fromEntries([...FORM_KEYS, 'page', 'cursor'].map((k) => [k, params.get(k) ?? '']));
    if (!values.radius_km) values.radius_km = DEFAULT_RADIUS_KM;
    const searching = ['q', 'category', 'postcode'].some((k) => values[k].trim() !== '');

    let categoryList = null;
    try {
        const c = await categories();
        if (c.ok) categoryList = c.body.categories;
    } catch { /* the form works without the category list */ }

    let result = null, problem = null, expired = false;
    const errors = {};
    if (searching) {
        const query = searchParams(values);
        query.set('per_page', String(PER_PAGE));
        try {
            const r = await apiGet(`/boards/${encodeURIComponent(board.slug)}/resources`, query);
            if (r.ok) result = r.body;
            else if (r.status === 400 && Array.isArray(r.body.errors)) {
                for (const e of r.body.errors) errors[e.field in FIELDS ? e.field : 'query'] = `${FIELDS[e.field] ?? e.field} ${e.message}`;
            } else if (r.status === 410) {
                // The saved results of a long search expired: start it again.
                expired = true;
            } else problem = r.body;
        } catch (err) {
            if (!(err instanceof NetworkError)) throw err;
            problem = { detail: err.message, status: 503 };
        }
    }

    const form = searchForm(board, values, errors, categoryList);
    form.addEventListener('submit', (event) => {
        event.preventDefault();
        const query = searchParams({ ...readForm(form), page: '1' }).toString();
        navigate(`/${board.slug}/${query ? `?${query}` : ''}`);
    });

    const errorList = Object.entries(errors).map(([field, text]) => ({ href: field in FIELDS ? `#${field}` : null, text }));
    const results = h('section', { 'aria-labelledby': 'results-heading' });
    if (result) {
        replace(results,
            h('h2', { id: 'results-heading', class: 'nhsuk-heading-m', tabindex: '-1' }, summaryLine(result, values)),
            result.corrected_query ? h('p', {}, `No services matched “${values.q}”, so these are for “${result.corrected_query}”.`) : null,
            result.ranking ? h('p', { class: 'nhsuk-body-s' }, h('strong', {}, 'Order: '), result.ranking, '.') : null,
            result.total === 0 ? emptyAdvice(board, values, result)
                : h('ul', { class: 'links-results' }, result.items.map((item) => resultItem(board, item))),
            linksWorkerSignpost(board),
            pagination(board, values, result));
    } else if (expired) {
        replace(results, h('div', { class: 'nhsuk-inset-text' },
            h('h2', { id: 'results-heading', class: 'nhsuk-heading-s', tabindex: '-1' }, 'These results have expired'),
            h('p', {}, 'Searches are kept for 30 minutes so that their pages stay the same. ',
                h('a', { href: `/${board.slug}/?${searchParams({ ...values, page: '1' })}` }, 'Search again'), '.')));
    } else if (problem) {
        replace(results, h('div', { class: 'nhsuk-warning-callout' },
            h('h2', { class: 'nhsuk-warning-callout__label', id: 'results-heading' }, h('span', { role: 'text' }, hidden('Important: '), 'Search is not available')),
            h('p', {}, problem.detail ?? problem.title),
            h('p', {}, 'Try again in a minute.')));
    }

    const status = h('p', { class: 'nhsuk-u-visually-hidden', role: 'status' }, result ? summaryLine(result, values) : '');
    return {
        board, error: errorList.length > 0,
        title: result ? `${summaryLine(result, values)} – ${board.name}` : `Find a resource – ${board.name}`,
        focus: !result || errorList.length > 0 ? true : false,
        content: h('div', {},
            errorList.length ? errorSummary(errorList) : null,
            h('h1', {}, 'Find a resource'),
            h('p', {}, `Search the ${board.name} directory. `, h('a', { href: '/' }, 'Change health board')),
            form, status, results, handoutBar(board)),
        after: result && !errorList.length ? () => document.getElementById('results-heading')?.focus?.() : null,
    };
}
