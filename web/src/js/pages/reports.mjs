// reports.mjs — the practices report: signposts and referrals per 1,000
// patients, practice by practice, on a funnel plot (an SVG chart with the
// same figures in a table beside it), by staff role, SIMD quintile and
// category of need (a bar chart beside its table), for a chosen period;
// CSV download and a print view. Counts are shown as the API gives them:
// "<5" and "*" where the disclosure rule hides them.
import { apiGet } from '../api.mjs';
import { h, svg } from '../dom.mjs';
import { formGroup, textInput } from '../forms.mjs';
import { navigate } from '../navigation.mjs';
import { errorSummary, signInPlaceholder, signedInBoard, staffProblemPage } from './common.mjs';
import { barChart } from './outcomes.mjs';

const MEASURES = [['signposts', 'Signposts'], ['referrals', 'Referrals']];
const ROLES = { receptionist: 'Receptionists', practice_nurse: 'Practice nurses', gp: 'GPs', links_worker: 'Links workers', all: 'All' };
const number = new Intl.NumberFormat('en-GB');
// per 1,000, to two significant figures below 10 (rare events would all read 0.0)
const rate = (x) => (x === null || x === undefined ? '–' : x >= 10 || x === 0 ? x.toFixed(1) : x.toPrecision(2));
const countText = (c) => (typeof c === 'number' ? number.format(c) : c);

export async function renderPracticeReport(boardKey, params) {
    const { page, board } = await signedInBoard(boardKey);
    if (page) return page;
    const query = new URLSearchParams();
    for (const k of ['from', 'to']) if (params.get(k)) query.set(k, params.get(k));
    const r = await apiGet(`/boards/${board.slug}/reports/practices`, query, { staff: true });
    if (r.status === 401) return signInPlaceholder(board);
    if (r.status === 400) {
        const errors = (r.body.errors ?? []).map((e) => ({ href: `#${e.field}`, text: `${e.field === 'to' ? 'To' : 'From'} ${e.message}` }));
        return { title: 'Error: Practices report', board, content: h('div', {}, errorSummary(errors), reportTabs(board, 'practices'),
            h('h1', {}, 'Practices: signposting and referrals'),
            periodForm(board, { from: params.get('from') ?? '', to: params.get('to') ?? '' })) };
    }
    if (!r.ok) return staffProblemPage(r, board);
    const rep = r.body;
    const csv = `/api/v1/boards/${board.slug}/reports/practices?${new URLSearchParams({ from: rep.from, to: rep.to, format: 'csv' })}`;
    return {
        title: 'Practices report', board,
        content: h('div', { class: 'links-report' },
            reportTabs(board, 'practices'),
            h('h1', {}, 'Practices: signposting and referrals'),
            h('p', { class: 'nhsuk-lede-text' }, `${board.name}, ${rep.from} to ${rep.to}: rates per 1,000 registered patients, compared on funnel plots.`),
            periodForm(board, rep),
            h('p', { class: 'links-report__actions' },
                h('a', { href: csv, download: '' }, 'Download as CSV'), ' · ',
                h('button', { type: 'button', class: 'nhsuk-button nhsuk-button--secondary links-inline-button', onclick: () => window.print() }, 'Print')),
            rep.suppressed ? h('div', { class: 'nhsuk-inset-text links-disclosure' }, h('p', {}, h('strong', {}, 'Small numbers: '), rep.disclosure_rule)) : null,
            ...MEASURES.map(([m, label]) => measureSection(rep, m, label)),
            breakdownSection('roles', 'By role', 'Role', breakdownCsv(board, rep, 'role'), rep.by_role.map((x) => [ROLES[x.role] ?? x.role, x])),
            breakdownSection('quintiles', 'By SIMD quintile', 'Quintile', breakdownCsv(board, rep, 'quintile'), rep.by_simd_quintile.map((x) => [x.quintile === 'all' ? 'All' : x.quintile, x]),
                'Signposts by the quintile of the practice\'s data zone (a signpost records no patient); referrals by the quintile of the patient\'s home. Quintile 1 is the most deprived fifth of Scotland.'),
            breakdownSection('needs', 'By category of need', 'Need', breakdownCsv(board, rep, 'need'), rep.by_need.map((x) => [x.name, x]),
                'A signpost counts under the top-level category of its category, or under each of its service\'s; a referral once under each top-level '
                + 'category its needs name, so the rows can add up to more than All.',
                barChart('Signposts by category of need', rep.by_need.filter((x) => x.need !== 'all').map((x) => [x.name, x.signposts]))),
            h('p', { class: 'nhsuk-body-s' }, 'The lines are the board\'s rate and the limits within which 95% and 99.8% of practices '
                + 'with the board\'s rate would fall by chance (exact Poisson limits). A practice outside them is worth a conversation, '
                + 'not a verdict. How it is worked out: docs/REPORTS.md.')),
    };
}

/** The reports there are, as links, the current one marked. */
export function reportTabs(board, current) {
    return h('nav', { class: 'links-tabs', 'aria-label': 'Reports' }, [['practices', 'Practices'], ['outcomes', 'Referral outcomes'], ['regional', 'Regional'], ['directory', 'Directory health']]
        .map(([key, text]) => (key === current ? h('strong', { 'aria-current': 'page' }, text)
            : h('a', { href: `/${board.slug}/reports/${key}` }, text))));
}

export function periodForm(board, values, { report = 'practices', controls = [], extra = () => ({}) } = {}) {
    return h('form', { class: 'links-inline-fields links-report__period', method: 'get', onsubmit: (event) => {
        event.preventDefault();
        const f = new FormData(event.target);
        const q = new URLSearchParams({ from: f.get('from'), to: f.get('to') });
        for (const [k, v] of Object.entries(extra(f))) if (v) q.set(k, v);
        navigate(`/${board.slug}/reports/${report}?${q}`);
    } },
    formGroup('from', 'From', null, textInput('from', { type: 'date', value: values.from ?? '' })),
    formGroup('to', 'To', null, textInput('to', { type: 'date', value: values.to ?? '' })),
    ...controls,
    h('div', { class: 'nhsuk-form-group' }, h('button', { class: 'nhsuk-button links-inline-button', type: 'submit' }, 'Show')));
}

function measureSection(rep, m, label) {
    const measure = rep.measures[m];
    const id = `${m}-heading`;
    const outside = measure.outside_limits;
    return h('section', { 'aria-labelledby': id, class: 'links-report__measure' },
        h('h2', { id }, `${label} per 1,000 patients`),
        h('p', {}, `${countText(measure.total)} ${label.toLowerCase()} in all; the board's rate is ${rate(measure.board_per_1000)} per 1,000. `,
            outside.length === 0 ? 'No practice is outside the limits.'
                : `Outside the limits: ${outside.map((o) => `${o.name} (${o.position})`).join('; ')}.`),
        funnelPlot(rep, m, label),
        measureTable(rep, m, label));
}

/** The funnel plot: rate against list size, the board's rate, the 95% and 99.8% limits, a point per practice shown. */
function funnelPlot(rep, m, label) {
    const W = 640, H = 360, left = 56, right = 16, top = 16, bottom = 44;
    const measure = rep.measures[m];
    const points = rep.practices.filter((p) => p[m].per_1000 !== null && p.list_size);
    const curve = measure.funnel;
    const xMax = Math.max(1, ...rep.practices.map((p) => p.list_size ?? 0)) * 1.05;
    const yMax = Math.max(1, ...points.map((p) => p[m].per_1000), ...curve.map((c) => c.upper_998)) * 1.1;
    const x = (n) => left + (n / xMax) * (W - left - right);
    const y = (v) => top + (1 - Math.min(v, yMax) / yMax) * (H - top - bottom);
    const line = (key) => curve.map((c, i) => `${i ? 'L' : 'M'}${x(c.list_size).toFixed(1)},${y(c[key]).toFixed(1)}`).join(' ');
    // round steps (1, 2 or 5 times a power of ten), about four to an axis
    const ticks = (max, n) => {
        const rough = max / n, power = 10 ** Math.floor(Math.log10(rough));
        const step = [1, 2, 5, 10].map((f) => f * power).find((s) => s >= rough);
        return Array.from({ length: Math.floor(max / step) + 1 }, (_, i) => i * step);
    };
    const titleId = `${m}-plot-title`;
    return h('figure', { class: 'links-funnel' },
        svg('svg', { viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-labelledby': titleId, class: 'links-funnel__svg' },
            svg('title', { id: titleId }, `Funnel plot of ${label.toLowerCase()} per 1,000 patients against list size; the table below gives the same figures`),
            ...ticks(xMax, 4).map((t) => svg('text', { x: x(t), y: H - bottom + 16, 'text-anchor': 'middle', class: 'links-funnel__tick' }, number.format(Math.round(t)))),
            ...ticks(yMax, 4).map((t) => svg('text', { x: left - 6, y: y(t) + 4, 'text-anchor': 'end', class: 'links-funnel__tick' }, Number(t.toPrecision(6)).toString())),
            svg('text', { x: (left + W - right) / 2, y: H - 6, 'text-anchor': 'middle', class: 'links-funnel__axis' }, 'Registered patients (list size)'),
            svg('text', { x: 14, y: (top + H - bottom) / 2, transform: `rotate(-90 14 ${(top + H - bottom) / 2})`, 'text-anchor': 'middle', class: 'links-funnel__axis' }, 'Per 1,000'),
            svg('line', { x1: left, y1: H - bottom, x2: W - right, y2: H - bottom, class: 'links-funnel__frame' }),
            svg('line', { x1: left, y1: top, x2: left, y2: H - bottom, class: 'links-funnel__frame' }),
            curve.length ? [
                svg('path', { d: line('upper_998'), class: 'links-funnel__limit links-funnel__limit--998' }),
                svg('path', { d: line('lower_998'), class: 'links-funnel__limit links-funnel__limit--998' }),
                svg('path', { d: line('upper_95'), class: 'links-funnel__limit links-funnel__limit--95' }),
                svg('path', { d: line('lower_95'), class: 'links-funnel__limit links-funnel__limit--95' }),
            ] : null,
            measure.board_per_1000 !== null
                ? svg('line', { x1: left, x2: W - right, y1: y(measure.board_per_1000), y2: y(measure.board_per_1000), class: 'links-funnel__mean' }) : null,
            ...points.map((p) => svg('circle', {
                cx: x(p.list_size).toFixed(1), cy: y(p[m].per_1000).toFixed(1), r: 5,
                class: `links-funnel__point${p[m].position !== 'within' ? ' links-funnel__point--outside' : ''}`,
                'data-practice': p.id,
            }, svg('title', {}, `${p.name}: ${rate(p[m].per_1000)} per 1,000 (${p[m].position})`)))),
        h('figcaption', { class: 'nhsuk-body-s' }, 'Solid line: the board\'s rate. Dashed: 95% limits. Dotted: 99.8% limits. ',
            'Filled points are practices outside the 95% limits.', points.length < rep.practices.length
                ? ` ${rep.practices.length - points.length} practice(s) not plotted (no list size, or a hidden count).` : ''));
}

function measureTable(rep, m, label) {
    const head = ['Practice', 'List size', label, 'Per 1,000', '95% limits', 'Compared with the board'];
    return h('table', { class: 'nhsuk-table links-report__table', 'data-measure': m },
        h('caption', { class: 'nhsuk-table__caption' }, `${label} by practice`),
        h('thead', { class: 'nhsuk-table__head' }, h('tr', {}, head.map((t) => h('th', { scope: 'col', class: 'nhsuk-table__header' }, t)))),
        h('tbody', { class: 'nhsuk-table__body' }, rep.practices.map((p) => h('tr', { class: 'nhsuk-table__row', 'data-practice': p.id },
            h('th', { scope: 'row', class: 'nhsuk-table__header' }, p.name),
            h('td', { class: 'nhsuk-table__cell' }, p.list_size ? number.format(p.list_size) : '–'),
            h('td', { class: 'nhsuk-table__cell' }, countText(p[m].count)),
            h('td', { class: 'nhsuk-table__cell' }, rate(p[m].per_1000)),
            h('td', { class: 'nhsuk-table__cell' }, p[m].limits ? `${rate(p[m].limits.lower_95)}–${rate(p[m].limits.upper_95)}` : '–'),
            h('td', { class: 'nhsuk-table__cell links-report__position' }, p[m].position ?? '–')))));
}

// "By SIMD quintile" inside a sentence: "by SIMD quintile"
const lowerFirst = (text) => text[0].toLowerCase() + text.slice(1);

function breakdownCsv(board, rep, breakdown) {
    return `/api/v1/boards/${board.slug}/reports/practices?${new URLSearchParams({ from: rep.from, to: rep.to, format: 'csv', breakdown })}`;
}

function breakdownSection(id, heading, first, csv, rows, note, chart = null) {
    return h('section', { 'aria-labelledby': `${id}-heading` },
        h('h2', { id: `${id}-heading` }, heading),
        note ? h('p', { class: 'nhsuk-body-s' }, note) : null,
        chart,
        h('table', { class: 'nhsuk-table' },
            h('caption', { class: 'nhsuk-table__caption nhsuk-u-visually-hidden' }, `Signposts and referrals ${lowerFirst(heading)}`),
            h('thead', { class: 'nhsuk-table__head' }, h('tr', {}, [first, 'Signposts', 'Referrals'].map((t) => h('th', { scope: 'col', class: 'nhsuk-table__header' }, t)))),
            h('tbody', { class: 'nhsuk-table__body' }, rows.map(([label, x]) => h('tr', { class: 'nhsuk-table__row' },
                h('th', { scope: 'row', class: 'nhsuk-table__header' }, label),
                h('td', { class: 'nhsuk-table__cell' }, countText(x.signposts)),
                h('td', { class: 'nhsuk-table__cell' }, countText(x.referrals)))))),
        h('p', { class: 'links-report__actions' }, h('a', { href: csv, download: '' }, `Download ${lowerFirst(heading)} as CSV`)));
}
