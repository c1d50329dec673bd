// outcomes.mjs — the referral outcomes report: where the period's
// referrals are now, how many were contacted and engaged, how long first
// contact took, why they closed, waiting-list times, and the change in
// wellbeing (SWEMWBS with its 95% interval, ONS4 band shifts). Bar charts
// (SVG) with the same figures in tables beside them; CSV download.
import { apiGet } from '../api.mjs';
import { h, svg } from '../dom.mjs';
import { formGroup, selectInput } from '../forms.mjs';
import { errorSummary, signInPlaceholder, signedInBoard, staffProblemPage } from './common.mjs';
import { periodForm, reportTabs } from './reports.mjs';

const STATUS = { received: 'Received, not yet contacted', waiting: 'On a waiting list', contacted: 'Contacted', engaged: 'Engaged', closed: 'Closed' };
const REASON = { completed: 'Completed', did_not_engage: 'Did not engage', declined: 'Declined', moved_away: 'Moved away', referred_on: 'Referred on' };
const ONS4 = { life_satisfaction: 'Life satisfaction', worthwhile: 'Worthwhile', happiness: 'Happiness', anxiety: 'Anxiety' };
const shown = (c) => (typeof c === 'number' ? new Intl.NumberFormat('en-GB').format(c) : c);
const fixed = (x, d = 1) => (x === null || x === undefined ? 'not shown' : x.toFixed(d));
// a count and its share of the referrals, the share left out when it is not shown
const withRate = (count, rate) => (rate === null || rate === undefined ? shown(count) : `${shown(count)} (${rate.toFixed(1)}%)`);

export async function renderOutcomeReport(boardKey, params) {
    const { page, board } = await signedInBoard(boardKey);
    if (page) return page;
    const query = new URLSearchParams();
    for (const k of ['from', 'to', 'practice', 'group']) if (params.get(k)) query.set(k, params.get(k));
    const [r, practices] = await Promise.all([
        apiGet(`/boards/${board.slug}/reports/outcomes`, query, { staff: true }),
        apiGet(`/boards/${board.slug}/practices`, undefined, { staff: true }),
    ]);
    if (r.status === 401) return signInPlaceholder(board);
    const practiceList = practices.ok ? (practices.body.practices ?? practices.body.items ?? []) : [];
    // one choice: all practices, one of the region's groups of them (a
    // Fife locality, a Glasgow SIMD decile...), or one practice
    const groupings = r.ok ? r.body.groupings : [];
    const form = (values) => periodForm(board, values, {
        report: 'outcomes',
        controls: [formGroup('practice', 'Practices', null, selectInput('practice',
            [{ value: '', text: 'All practices' },
             ...groupings.flatMap((g) => g.groups.map((name) => ({ value: `group:${name}`, text: `${g.grouping}: ${name}` }))),
             ...practiceList.map((p) => ({ value: p.id, text: p.name }))],
            { value: values.group ? `group:${values.group}` : values.practice ?? '' }))],
        extra: (f) => {
            const choice = f.get('practice') ?? '';
            return choice.startsWith('group:') ? { group: choice.slice(6) } : { practice: choice };
        },
    });
    if (r.status === 400) {
        const errors = (r.body.errors ?? []).map((e) => ({ href: '#practice', text: `${e.field === 'group' ? 'Group' : e.field} ${e.message}` }));
        return { title: 'Error: Referral outcomes', board, content: h('div', {}, errorSummary(errors), reportTabs(board, 'outcomes'),
            h('h1', {}, 'Referral outcomes'), form(Object.fromEntries(query))) };
    }
    if (!r.ok) return staffProblemPage(r, board);
    const rep = r.body;
    const csv = `/api/v1/boards/${board.slug}/reports/outcomes?${new URLSearchParams({ ...Object.fromEntries(query), from: rep.from, to: rep.to, format: 'csv' })}`;
    const practiceName = rep.group ?? practiceList.find((p) => p.id === rep.practice)?.name;
    return {
        title: 'Referral outcomes', board,
        content: h('div', { class: 'links-report' },
            reportTabs(board, 'outcomes'),
            h('h1', {}, 'Referral outcomes'),
            h('p', { class: 'nhsuk-lede-text' }, `${practiceName ?? board.name}: the ${shown(rep.referrals)} referrals made from ${rep.from} to ${rep.to}, and what happened.`),
            form({ from: rep.from, to: rep.to, practice: rep.practice, group: rep.group }),
            h('p', { class: 'links-report__actions' }, h('a', { href: csv, download: '' }, 'Download as CSV'), ' · ',
                h('button', { type: 'button', class: 'nhsuk-button nhsuk-button--secondary links-inline-button', onclick: () => window.print() }, 'Print')),
            rep.suppressed ? h('div', { class: 'nhsuk-inset-text links-disclosure' }, h('p', {}, h('strong', {}, 'Small numbers: '), rep.disclosure_rule)) : null,
            section('status', 'Where they are now', barChart('Referrals by where they are now', rep.by_status.map((x) => [STATUS[x.status], x.count])),
                table('Referrals by where they are now', ['Now', 'Referrals'], rep.by_status.map((x) => [STATUS[x.status], shown(x.count)]))),
            section('reached', 'Contact and engagement', h('dl', { class: 'nhsuk-summary-list' },
                row('Contacted', withRate(rep.reached.contacted, rep.reached.contact_rate)),
                row('Engaged', withRate(rep.reached.engaged, rep.reached.engagement_rate)),
                row('Days from referral to first contact (median)', fixed(rep.first_contact.median_days)),
                row('Joined a waiting list', shown(rep.waiting_list.joined)),
                row('Still waiting', shown(rep.waiting_list.still_waiting)),
                row('Days on the waiting list (median, those who came off it)',
                    rep.waiting_list.joined === 0 ? 'nobody joined a waiting list' : fixed(rep.waiting_list.median_days_waited)))),
            section('closing', 'Why referrals closed', barChart('Closed referrals by reason', rep.closing_reasons.map((x) => [REASON[x.reason], x.count])),
                table('Closed referrals by reason', ['Reason', 'Referrals'], rep.closing_reasons.map((x) => [REASON[x.reason], shown(x.count)]))),
            section('wellbeing', 'Wellbeing: first contact to closing', swemwbsText(rep.swemwbs),
                table('ONS4 bands from first contact to closing', ['Question', 'Patients', 'Better band', 'Same band', 'Worse band'],
                    rep.ons4.map((x) => [ONS4[x.item], shown(x.pairs), shown(x.improved), shown(x.same), shown(x.worse)])),
                h('p', { class: 'nhsuk-body-s' }, 'For anxiety a lower band is the better one. Each patient\'s latest measure at each stage counts.'))),
    };
}

function section(id, heading, ...content) {
    return h('section', { 'aria-labelledby': `${id}-heading`, class: 'links-report__measure' }, h('h2', { id: `${id}-heading` }, heading), ...content);
}

const row = (k, v) => h('div', { class: 'nhsuk-summary-list__row' }, h('dt', { class: 'nhsuk-summary-list__key' }, k), h('dd', { class: 'nhsuk-summary-list__value' }, v));

function table(caption, head, rows) {
    return h('table', { class: 'nhsuk-table' },
        h('caption', { class: 'nhsuk-table__caption' }, caption),
        h('thead', { class: 'nhsuk-table__head' }, h('tr', {}, head.map((t) => h('th', { scope: 'col', class: 'nhsuk-table__header' }, t)))),
        h('tbody', { class: 'nhsuk-table__body' }, rows.map(([first, ...rest]) => h('tr', { class: 'nhsuk-table__row' },
            h('th', { scope: 'row', class: 'nhsuk-table__header' }, first), ...rest.map((c) => h('td', { class: 'nhsuk-table__cell' }, c))))));
}

/** Horizontal bars for the shown figures; a hidden count has no bar, only its "<5" or "*". */
export function barChart(title, items) {
    const W = 640, left = 220, right = 60, barH = 22, gap = 8, H = items.length * (barH + gap) + gap;
    const max = Math.max(1, ...items.map(([, c]) => (typeof c === 'number' ? c : 0)));
    return h('figure', { class: 'links-bars' }, svg('svg', { viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': `${title}; the table below gives the same figures`, class: 'links-bars__svg' },
        ...items.map(([label, c], i) => {
            const y = gap + i * (barH + gap);
            const w = typeof c === 'number' ? (c / max) * (W - left - right) : 0;
            const text = typeof c === 'number' && !Number.isInteger(c) ? c.toPrecision(3) : shown(c);
            return svg('g', {},
                svg('text', { x: left - 8, y: y + barH * 0.7, 'text-anchor': 'end', class: 'links-bars__label' }, label),
                svg('rect', { x: left, y, width: w.toFixed(1), height: barH, class: 'links-bars__bar' }),
                svg('text', { x: left + w + 6, y: y + barH * 0.7, class: 'links-bars__value' }, text));
        })));
}

function swemwbsText(s) {
    if (s.mean_change === null)
        return h('p', {}, `SWEMWBS: ${shown(s.pairs)} patient(s) measured at both first contact and closing; too few to show a change.`);
    const ci = s.ci_lower !== null ? ` (95% interval ${s.ci_lower.toFixed(2)} to ${s.ci_upper.toFixed(2)})` : '';
    return h('p', {}, h('strong', {}, 'SWEMWBS: '), `${shown(s.pairs)} patients measured at both: the mean metric score went from `,
        `${s.mean_first.toFixed(2)} to ${s.mean_closing.toFixed(2)}, a change of ${s.mean_change >= 0 ? '+' : ''}${s.mean_change.toFixed(2)}${ci}.`);
}
