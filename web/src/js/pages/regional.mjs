// regional.mjs — the region's own report, as the board's plugin groups its
// practices (Glasgow: SIMD decile of the practice, with or without a links
// worker; Fife: locality): signposts per 1,000 patients as bars, and every
// figure in a table beside them; CSV download.
import { apiGet } from '../api.mjs';
import { h } from '../dom.mjs';
import { errorSummary, signInPlaceholder, signedInBoard, staffProblemPage } from './common.mjs';
import { barChart } from './outcomes.mjs';
import { periodForm, reportTabs } from './reports.mjs';

const shown = (c) => (typeof c === 'number' ? new Intl.NumberFormat('en-GB').format(c) : c);
const rate = (x) => (x === null ? '–' : x >= 10 || x === 0 ? x.toFixed(1) : x.toPrecision(2));

export async function renderRegionalReport(boardKey, params) {
    const { page, board } = await signedInBoard(boardKey);
    if (page) return page;
    const query = new URLSearchParams();
    for (const k of ['from', 'to']) if (params.get(k)) query.set(k, params.get(k));
    const r = await apiGet(`/boards/${board.slug}/reports/regional`, query, { staff: true });
    if (r.status === 401) return signInPlaceholder(board);
    const head = [reportTabs(board, 'regional'), h('h1', {}, `Regional report: ${board.name}`)];
    if (r.status === 404)
        return { title: 'Regional report', board, content: h('div', {}, ...head, h('p', {}, r.body.detail)) };
    if (r.status === 400) {
        const errors = (r.body.errors ?? []).map((e) => ({ href: `#${e.field}`, text: `${e.field === 'to' ? 'To' : 'From'} ${e.message}` }));
        return { title: 'Error: Regional report', board, content: h('div', {}, errorSummary(errors), ...head,
            periodForm(board, Object.fromEntries(query), { report: 'regional' })) };
    }
    if (!r.ok) return staffProblemPage(r, board);
    const rep = r.body;
    const csv = `/api/v1/boards/${board.slug}/reports/regional?${new URLSearchParams({ from: rep.from, to: rep.to, format: 'csv' })}`;
    return {
        title: 'Regional report', board,
        content: h('div', { class: 'links-report' }, ...head,
            h('p', { class: 'nhsuk-lede-text' }, `${rep.from} to ${rep.to}: signposting and referrals by the groups ${board.name} reports by.`),
            periodForm(board, rep, { report: 'regional' }),
            h('p', { class: 'links-report__actions' }, h('a', { href: csv, download: '' }, 'Download as CSV'), ' · ',
                h('button', { type: 'button', class: 'nhsuk-button nhsuk-button--secondary links-inline-button', onclick: () => window.print() }, 'Print')),
            rep.suppressed ? h('div', { class: 'nhsuk-inset-text links-disclosure' }, h('p', {}, h('strong', {}, 'Small numbers: '), rep.disclosure_rule)) : null,
            ...rep.dimensions.map((d, i) => h('section', { 'aria-labelledby': `dimension-${i}`, class: 'links-report__measure' },
                h('h2', { id: `dimension-${i}` }, d.title),
                barChart(`Signposts per 1,000 patients: ${d.title}`, d.groups.map((g) => [g.group, g.signposts_per_1000 ?? g.signposts])),
                h('table', { class: 'nhsuk-table', 'data-dimension': i },
                    h('caption', { class: 'nhsuk-table__caption' }, `${d.title}: practices, patients, signposts and referrals`),
                    h('thead', { class: 'nhsuk-table__head' }, h('tr', {}, ['Group', 'Practices', 'Patients', 'Signposts', 'Per 1,000', 'Referrals', 'Per 1,000']
                        .map((t) => h('th', { scope: 'col', class: 'nhsuk-table__header' }, t)))),
                    h('tbody', { class: 'nhsuk-table__body' }, d.groups.map((g) => h('tr', { class: 'nhsuk-table__row' },
                        h('th', { scope: 'row', class: 'nhsuk-table__header' }, g.group),
                        ...[shown(g.practices), shown(g.list_size), shown(g.signposts), rate(g.signposts_per_1000), shown(g.referrals),
                            rate(g.referrals_per_1000)].map((c) => h('td', { class: 'nhsuk-table__cell' }, c))))))))),
    };
}
