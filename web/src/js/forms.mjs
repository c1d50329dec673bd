// forms.mjs — NHS.UK form pieces shared by the pages: a form group with
// label, hint and error; inputs and selects wired to them; and API field
// errors turned into messages next to their fields plus the error summary.
import { h, hidden } from './dom.mjs';

export function describedBy(id, hint, error) {
    return [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(' ') || null;
}

export function formGroup(id, label, hint, control, error, extraClass = '') {
    return h('div', { class: `nhsuk-form-group${error ? ' nhsuk-form-group--error' : ''}${extraClass ? ` ${extraClass}` : ''}` },
        h('label', { class: 'nhsuk-label', for: id }, label),
        hint ? h('div', { class: 'nhsuk-hint', id: `${id}-hint` }, hint) : null,
        error ? h('span', { class: 'nhsuk-error-message', id: `${id}-error` }, hidden('Error: '), error) : null,
        control);
}

export function textInput(id, { value = '', error, hint, type = 'text', width, ...attrs } = {}) {
    return h('input', {
        class: `nhsuk-input${width ? ` nhsuk-input--width-${width}` : ''}${error ? ' nhsuk-input--error' : ''}`,
        id, name: id, type, value, 'aria-describedby': describedBy(id, hint, error), ...attrs,
    });
}

/** options: [{ value, text }] */
export function selectInput(id, options, { value, error, hint } = {}) {
    return h('select', { class: `nhsuk-select${error ? ' nhsuk-select--error' : ''}`, id, name: id,
                         'aria-describedby': describedBy(id, hint, error) },
        options.map((o) => h('option', { value: o.value, selected: o.value === value }, o.text)));
}

/**
 * A problem answer's field errors as { errors: {field: message}, summary:
 * [{href, text}] }. `labels` maps API field names to the form's labels and
 * ids; errors for other fields (and a problem without field errors) are
 * shown in the summary only.
 */
export function problemErrors(problem, labels) {
    const errors = {};
    const summary = [];
    // In the form's order (the order of `labels`), not the API's.
    const order = Object.keys(labels);
    const rank = (field) => (order.includes(field) ? order.indexOf(field) : order.length);
    const list = [...(problem?.errors ?? [])].sort((a, b) => rank(a.field) - rank(b.field));
    for (const e of list) {
        const known = labels[e.field];
        const text = `${known?.label ?? e.field} ${e.message}`;
        if (known) errors[known.id ?? e.field] = text;
        summary.push({ href: known ? `#${known.id ?? e.field}` : null, text });
    }
    if (summary.length === 0)
        summary.push({ href: null, text: problem?.detail ?? problem?.title ?? 'Something went wrong.' });
    return { errors, summary };
}

/** The values of a form's named controls. */
export function formValues(form) {
    return Object.fromEntries(new FormData(form).entries());
}
