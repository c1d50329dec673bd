// table-filter.mjs — "Find in this list": a text box that hides the rows of
// a table that do not contain what is typed (name, username, code...), and
// says how many are shown, for lists of a few hundred rows.
import { h } from './dom.mjs';

/** Rows whose text contains every word typed (case and accents ignored). */
export function rowMatches(text, query) {
    const fold = (s) => s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
    const haystack = fold(text);
    return fold(query).split(/\s+/).filter(Boolean).every((word) => haystack.includes(word));
}

export function tableFilter(id, label, table, noun) {
    const rows = () => [...table.querySelectorAll('tbody tr')];
    const status = h('p', { class: 'nhsuk-body-s', id: `${id}-status`, role: 'status', 'aria-live': 'polite' });
    const input = h('input', { class: 'nhsuk-input nhsuk-input--width-20', id, type: 'search', autocomplete: 'off',
                               'aria-describedby': `${id}-status`, spellcheck: 'false' });
    input.addEventListener('input', () => {
        let shown = 0;
        for (const row of rows()) {
            const match = rowMatches(row.textContent, input.value);
            row.hidden = !match;
            shown += match ? 1 : 0;
        }
        status.textContent = input.value.trim() ? `${shown} of ${rows().length} ${noun} shown` : '';
    });
    return h('div', { class: 'nhsuk-form-group' }, h('label', { class: 'nhsuk-label', for: id }, label), input, status);
}
