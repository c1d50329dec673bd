// directory-report.mjs — directory health among the reports: the share of
// the board's services reviewed within the review period, overall, by
// category and by champion, today or on a chosen past day; bars beside
// tables with the same figures; CSV download and print.
import { apiGet } from '../api.mjs';
import { h } from '../dom.mjs';
import { formGroup, textInput } from '../forms.mjs';
import { navigate } from '../navigation.mjs';
import { errorSummary, signInPlaceholder, signedInBoard, staffProblemPage } from './common.mjs';
import { barChart } from './outcomes.mjs';
import { reportTabs } from './reports.mjs';

const number = new Intl.NumberFormat('en-GB');
const percent = (share) => (share === null ? '–' : `${(100 * share).toFixed(1)}%`);

function dayForm(board, on) {
    return h('form', { class: 'links-inline-fields links-report__period', method: 'get', onsubmit: (event) => {
        event.preventDefault();
        const day = new FormData(event.target).get('on');
        navigate(`/${board.slug}/reports/directory${day ? `?${new URLSearchParams({ on: day })}` : ''}`);
    } },
    formGroup('on', 'On the day', 'As the directory stood at the end of that day',
        textInput('on', { type: 'date', value: on ?? '', hint: true })),
    h('button', { type: 'submit', class: 'nhsuk-button nhsuk-button--secondary' }, 'Show'));
}

function groupSection(id, heading, first, rows) {
    return h('section', { 'aria-labelledby': `${id}-heading`, class: 'links-report__measure' },
        h('h2', { id: `${id}-heading` }, heading),
        barChart(`Share reviewed in time, ${heading.toLowerCase()}`, rows.map((x) => [x.label, x.share_current === null ? 0 : 100 * x.share_current])),
        h('table', { class: 'nhsuk-table' },
            h('caption', { class: 'nhsuk-table__caption' }, `Services reviewed in time, ${heading.toLowerCase()}`),
            h('thead', { class: 'nhsuk-table__head' }, h('tr', {}, [first, 'Services', 'Reviewed in time', 'Share']
                .map((t) => h('th', { scope: 'col', class: 'nhsuk-table__header' }, t)))),
            h('tbody', { class: 'nhsuk-table__body' }, rows.map((x) => h('tr', { class: 'nhsuk-table__row' },
                h('th', { scope: 'row', class: 'nhsuk-table__header' }, x.label),
                h('td', { class: 'nhsuk-table__cell' }, number.format(x.total)),
                h('td', { class: 'nhsuk-table__cell' }, number.format(x.current)),
                h('td', { class: 'nhsuk-table__cell' }, percent(x.share_current)))))));
}

export async function renderDirectoryReport(boardKey, params) {
    const { page, board } = await signedInBoard(boardKey);
    if (page) return page;
    const query = new URLSearchParams();
    if (params.get('on')) query.set('on', params.get('on'));
    const r = await apiGet(`/boards/${board.slug}/reports/directory`, query, { staff: true });
    if (r.status === 401) return signInPlaceholder(board);
    const head = [reportTabs(board, 'directory'), h('h1', {}, 'Directory health')];
    if (r.status === 400) {
        const errors = (r.body.errors ?? []).map((e) => ({ href: '#on', text: `The day ${e.message}` }));
        return { title: 'Error: Directory health', board, content: h('div', {}, errorSummary(errors), ...head, dayForm(board, params.get('on'))) };
    }
    if (!r.ok) return staffProblemPage(r, board);
    const rep = r.body;
    const csv = `/api/v1/boards/${board.slug}/reports/directory?${new URLSearchParams({ on: rep.on, format: 'csv' })}`;
    return {
        title: 'Directory health', board,
        content: h('div', { class: 'links-report' }, ...head,
            h('p', { class: 'nhsuk-lede-text' },
                `${board.name}, ${rep.on}: ${percent(rep.share_current)} of ${number.format(rep.total)} services reviewed within `
                + `${rep.review_period_days} days of their last review; ${number.format(rep.due)} due, ${number.format(rep.overdue)} overdue.`),
            dayForm(board, rep.on),
            h('p', { class: 'links-report__actions' }, h('a', { href: csv, download: '' }, 'Download as CSV'), ' · ',
                h('button', { type: 'button', class: 'nhsuk-button nhsuk-button--secondary links-inline-button', onclick: () => window.print() }, 'Print')),
            h('p', { class: 'nhsuk-body-s' }, rep.note),
            groupSection('category', 'By category', 'Category', rep.by_category.map((c) => ({ ...c, label: c.name }))),
            groupSection('champion', 'By champion', 'Champion', rep.by_champion.map((c) => ({ ...c, label: c.champion?.name ?? 'No champion' })))),
    };
}
