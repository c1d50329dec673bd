// not-found.mjs — an address the front end has no page for.
import { h } from '../dom.mjs';

export function renderNotFound() {
    return {
        title: 'Page not found', error: true,
        content: h('div', {}, h('h1', {}, 'Page not found'),
            h('p', {}, 'If you typed the web address, check it is correct.'),
            h('p', {}, h('a', { href: '/' }, 'Choose a health board'))),
    };
}
