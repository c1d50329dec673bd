// boards.mjs — the first page: which health board's directory to search.
import { boards } from '../api.mjs';
import { h } from '../dom.mjs';
import { problemPage } from './common.mjs';

export async function renderBoards() {
    let r;
    try {
        r = await boards();
    } catch (err) {
        return problemPage('Community Links is not available', err);
    }
    if (!r.ok) return problemPage('Community Links is not available', r.body);
    return {
        title: 'Choose a health board',
        content: h('div', {},
            h('h1', {}, 'Find local resources for a patient'),
            h('p', { class: 'nhsuk-lede-text' }, 'Choose your health board to search its directory of community resources.'),
            h('ul', { class: 'nhsuk-grid-row nhsuk-card-group' },
                r.body.boards.map((b) => h('li', { class: 'nhsuk-grid-column-one-half nhsuk-card-group__item' },
                    h('div', { class: 'nhsuk-card nhsuk-card--clickable' },
                        h('div', { class: 'nhsuk-card__content' },
                            h('h2', { class: 'nhsuk-card__heading nhsuk-heading-m' },
                                h('a', { class: 'nhsuk-card__link', href: `/${b.slug}/` }, b.name)),
                            h('p', { class: 'nhsuk-card__description' },
                                b.in_service ? `Search the ${b.name} directory.`
                                    : `Not available just now: ${b.reason ?? 'out of service'}.`))))))),
    };
}
