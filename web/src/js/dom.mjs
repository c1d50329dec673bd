// dom.mjs — build elements without innerHTML: every text from the API goes
// in as a text node, so directory content can never become markup.

/**
 * h('a', { href: '/x', class: 'nhsuk-link', onclick: fn }, 'text', child…)
 * Attribute values of false/null/undefined are left out; true sets a
 * boolean attribute; on* keys add event listeners.
 */
export function h(tag, attrs = {}, ...children) {
    const el = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs ?? {})) {
        if (value === false || value === null || value === undefined) continue;
        if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2), value);
        else el.setAttribute(key, value === true ? '' : String(value));
    }
    append(el, children);
    return el;
}

function append(el, children) {
    for (const child of children.flat(Infinity)) {
        if (child === null || child === undefined || child === false) continue;
        el.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
}

/** Replace an element's children. */
export function replace(el, ...children) {
    el.replaceChildren();
    append(el, children);
    return el;
}

/** Text that only screen readers read (NHS.UK visually-hidden). */
export function hidden(text) {
    return h('span', { class: 'nhsuk-u-visually-hidden' }, text);
}

const SVG_NS = 'http://www.w3.org/2000/svg';

/** As h(), for SVG elements (charts). */
export function svg(tag, attrs = {}, ...children) {
    const el = document.createElementNS(SVG_NS, tag);
    for (const [key, value] of Object.entries(attrs ?? {}))
        if (value !== false && value !== null && value !== undefined) el.setAttribute(key, String(value));
    append(el, children);
    return el;
}
