// main.mjs — the staff front end: a small router over four pages. Links are
// real links and the search form is a real GET form; the router only saves
// the page load, and moves focus and the title as a page load would.
import { h, replace } from './dom.mjs';
import { renderBoards } from './pages/boards.mjs';
import { renderHandout } from './pages/handout.mjs';
import { renderResource } from './pages/resource.mjs';
import { renderSearch } from './pages/search.mjs';
import { renderNotFound } from './pages/not-found.mjs';
import { navigate, setRenderer } from './navigation.mjs';

const app = document.getElementById('app');
let renderCount = 0;
let pageLoaded = false;

function route(url) {
    let parts;
    try {
        parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    } catch {
        return () => renderNotFound();          // a malformed %-escape in the address
    }
    if (parts.length === 0) return () => renderBoards();
    const [board, section, id] = parts;
    if (parts.length === 1) return () => renderSearch(board, url.searchParams);
    if (section === 'resources' && parts.length === 3) return () => renderResource(board, id);
    if (section === 'handout' && parts.length === 2) return () => renderHandout(board);
    return () => renderNotFound();
}

/** Show the page for the current address. */
async function render() {
    const mine = ++renderCount;
    const page = await route(new URL(window.location.href))();
    if (mine !== renderCount) return;           // a later navigation won
    replace(app, page.content);
    document.title = `${page.error ? 'Error: ' : ''}${page.title} – Community Links`;
    replace(document.getElementById('header-board'), page.board ? h('span', {}, `– ${page.board.name}`) : '');
    // After a real page load the browser leaves focus at the top, so the
    // skip link comes first; after a navigation inside the app, focus moves
    // as NHS.UK pages expect: to the summary of errors, else the heading.
    const summary = app.querySelector('.nhsuk-error-summary');
    const target = summary ?? (pageLoaded ? app.querySelector('h1') : null);
    const firstPage = !pageLoaded;
    pageLoaded = true;
    if (target && page.focus !== false) {
        target.setAttribute('tabindex', '-1');
        target.focus({ preventScroll: false });
    }
    if (!firstPage || summary) page.after?.();
}

function isOwnLink(a, event) {
    return a && a.origin === window.location.origin && !a.hasAttribute('download') && !a.target &&
        !a.pathname.startsWith('/api/') && !a.pathname.startsWith('/hsds/') &&
        event.button === 0 && !event.metaKey && !event.ctrlKey && !event.shiftKey && !event.altKey;
}

document.addEventListener('click', (event) => {
    const a = event.target.closest?.('a[href]');
    if (!isOwnLink(a, event)) return;
    if (a.hash && a.pathname === window.location.pathname && a.search === window.location.search) return;
    event.preventDefault();
    navigate(a.pathname + a.search);
});
setRenderer(render);
window.addEventListener('popstate', render);
render();
