// main.mjs — the staff front end: a small router over its pages. Links are
// real links and the search form is a real GET form; the router only saves
// the page load, and moves focus and the title as a page load would. It
// also keeps the header's account area (who is signed in, their links,
// sign-out) and sends anyone whose session ended to sign in again.
import { onSessionLost } from './api.mjs';
import { h, replace } from './dom.mjs';
import { renderPassword } from './pages/account-password.mjs';
import { renderAudit } from './pages/audit.mjs';
import { renderBoards } from './pages/boards.mjs';
import { flashBanner, requireSignIn } from './pages/common.mjs';
import { renderDirectory, renderDirectoryHistory, renderDirectoryNew, renderDirectoryService } from './pages/directory.mjs';
import { renderPractice, renderPracticeList, renderPracticeNew } from './pages/practices.mjs';
import { renderCaseload } from './pages/caseload.mjs';
import { renderRefer } from './pages/refer.mjs';
import { renderOutcomeReport } from './pages/outcomes.mjs';
import { renderPracticeReport } from './pages/reports.mjs';
import { renderDirectoryReport } from './pages/directory-report.mjs';
import { renderRegionalReport } from './pages/regional.mjs';
import { renderReferral } from './pages/referral.mjs';
import { renderSignIn } from './pages/sign-in.mjs';
import { renderTokens } from './pages/tokens.mjs';
import { renderStaffList, renderStaffMember, renderStaffNew } from './pages/staff.mjs';
import { renderHandout } from './pages/handout.mjs';
import { renderResource } from './pages/resource.mjs';
import { renderSearch } from './pages/search.mjs';
import { renderNotFound } from './pages/not-found.mjs';
import { navigate, setRenderer } from './navigation.mjs';
import { can, loadSession, session, setFlash, setSession, signOut, takeFlash } from './session.mjs';
import { roleLabel } from './staff-format.mjs';

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
    if (board === 'sign-in' && parts.length === 1) return () => renderSignIn(null, url.searchParams);
    if (board === 'account' && section === 'password' && parts.length === 2) return () => renderPassword(url.searchParams);
    if (board === 'audit' && parts.length === 1) return () => renderAudit(null, url.searchParams);
    if (parts.length === 1) return () => renderSearch(board, url.searchParams);
    if (section === 'sign-in' && parts.length === 2) return () => renderSignIn(board, url.searchParams);
    if (section === 'staff' && parts.length === 2) return () => renderStaffList(board);
    if (section === 'staff' && id === 'new' && parts.length === 3) return () => renderStaffNew(board);
    if (section === 'staff' && parts.length === 3) return () => renderStaffMember(board, id);
    if (section === 'practices' && parts.length === 2) return () => renderPracticeList(board);
    if (section === 'practices' && id === 'new' && parts.length === 3) return () => renderPracticeNew(board);
    if (section === 'practices' && parts.length === 3) return () => renderPractice(board, id);
    if (section === 'tokens' && parts.length === 2) return () => renderTokens(board);
    if (section === 'directory' && parts.length === 2) return () => renderDirectory(board, url.searchParams);
    if (section === 'directory' && id === 'new' && parts.length === 3) return () => renderDirectoryNew(board);
    if (section === 'directory' && id === 'services' && parts.length === 4) return () => renderDirectoryService(board, parts[3]);
    if (section === 'directory' && id === 'services' && parts.length === 5 && parts[4] === 'history')
        return () => renderDirectoryHistory(board, parts[3]);
    if (section === 'audit' && parts.length === 2) return () => renderAudit(board, url.searchParams);
    if (section === 'resources' && parts.length === 3) return () => renderResource(board, id);
    if (section === 'handout' && parts.length === 2) return () => renderHandout(board);
    if (section === 'refer' && parts.length === 2) return () => renderRefer(board, url.searchParams);
    if (section === 'caseload' && parts.length === 2) return () => renderCaseload(board);
    if (section === 'referrals' && parts.length === 3) return () => renderReferral(board, id);
    if (section === 'reports' && ((id === 'practices' && parts.length === 3) || parts.length === 2))
        return () => renderPracticeReport(board, url.searchParams);
    if (section === 'reports' && id === 'outcomes' && parts.length === 3) return () => renderOutcomeReport(board, url.searchParams);
    if (section === 'reports' && id === 'regional' && parts.length === 3) return () => renderRegionalReport(board, url.searchParams);
    if (section === 'reports' && id === 'directory' && parts.length === 3) return () => renderDirectoryReport(board, url.searchParams);
    return () => renderNotFound();
}

/** The header's account area: who is signed in, where they can go, sign-out. */
function renderAccount(board) {
    const me = session();
    const item = (...content) => h('li', { class: 'nhsuk-header__account-item' }, ...content);
    const link = (href, text) => item(h('a', { class: 'nhsuk-header__account-link', href }, text));
    const home = me?.board ?? board;
    let items;
    if (!me) {
        items = [link(board ? `/${board.slug}/sign-in` : '/sign-in', 'Sign in')];
    } else {
        items = [
            item(h('span', { class: 'links-account__who' }, me.staff.display_name,
                   h('span', { class: 'links-account__role' }, ` ${roleLabel(me.staff.role)}${me.board ? `, ${me.board.name}` : ''}`))),
            home && can('caseload') ? link(`/${home.slug}/caseload`, 'Caseload') : null,
            home && can('report.read') ? link(`/${home.slug}/reports/practices`, 'Reports') : null,
            home && can('directory.edit') ? link(`/${home.slug}/directory`, 'Directory') : null,
            home && can('staff.read') ? link(`/${home.slug}/staff`, 'Staff') : null,
            home && can('practice.manage') ? link(`/${home.slug}/practices`, 'Practices') : null,
            can('deployment_audit.read') ? link('/audit', 'Deployment log') : null,
            me.staff.must_change_password ? null : link('/account/password', 'Change password'),
            item(h('form', { class: 'nhsuk-header__account-form', method: 'post', action: '/sign-in', onsubmit: signOutClicked },
                   h('button', { class: 'nhsuk-header__account-button', type: 'submit' }, 'Sign out'))),
        ];
    }
    replace(document.getElementById('header-account'),
        h('nav', { class: 'nhsuk-header__account', 'aria-label': 'Account' },
            h('ul', { class: 'nhsuk-header__account-list' }, items)));
}

async function signOutClicked(event) {
    event.preventDefault();
    const board = session()?.board;
    try {
        await signOut();
    } finally {
        setSession(null);
        setFlash('success', 'You have signed out.');
        navigate(board ? `/${board.slug}/sign-in` : '/sign-in');
    }
}

let currentBoard = null;
let renderedAddress = null;     // path and query of the page on screen

/** Show the page for the current address. */
async function render() {
    const mine = ++renderCount;
    if (!pageLoaded) await loadSession();
    const page = await route(new URL(window.location.href))();
    if (mine !== renderCount) return;           // a later navigation won
    renderedAddress = window.location.pathname + window.location.search;
    // Until a password chosen by an administrator is changed, only the
    // password page is open (the API says the same).
    if (session()?.staff.must_change_password && !window.location.pathname.startsWith('/account/password')) {
        navigate(`/account/password?next=${encodeURIComponent(window.location.pathname)}`, { replaceState: true });
        return;
    }
    currentBoard = page.board ?? null;
    // A message from the page before that this page did not show itself.
    const flash = takeFlash();
    replace(app, flash ? flashBanner(flash) : null, page.content);
    document.title = `${page.error ? 'Error: ' : ''}${page.title} – Community Links`;
    replace(document.getElementById('header-board'), page.board ? h('span', {}, `– ${page.board.name}`) : '');
    renderAccount(page.board);
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
    event.preventDefault();
    // A link to a place on this page (the skip link, an error summary's
    // link to its field) moves focus there, as NHS.UK's own script does,
    // without redrawing the page and losing what was typed.
    if (a.hash && a.pathname === window.location.pathname && a.search === window.location.search) {
        const target = document.getElementById(decodeURIComponent(a.hash.slice(1)));
        if (!target) return;
        if (!target.matches('a, button, input, select, textarea')) target.setAttribute('tabindex', '-1');
        target.focus();
        target.scrollIntoView({ block: 'center' });
        return;
    }
    navigate(a.pathname + a.search);
});
// A staff request answered 401: the session ended (idle, too old, signed
// out elsewhere, account disabled). Say why on the sign-in page.
onSessionLost((problem) => {
    setSession(null);
    // "Session ended" says why (idle, 12 hours, signed out, disabled); with
    // no cookie left at all there is nothing more to say.
    setFlash('info', problem?.title === 'Session ended' ? problem.detail : 'Your session has ended. Please sign in again.');
    requireSignIn(currentBoard);
});
setRenderer(render);
// Back and forward; a change of the #fragment alone is not a new page.
window.addEventListener('popstate', () => {
    if (window.location.pathname + window.location.search !== renderedAddress) render();
});
render();
