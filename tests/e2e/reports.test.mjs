// reports.test.mjs — the practices report in a real browser: reached from
// the header, each funnel plot's points are the practices the table beside
// it gives a rate for (and the points drawn as outside are the rows that
// say so), the bars by category of need are the rows of their table, the
// CSV downloads, other roles see the disclosure rule, a bad period is an
// error summary; axe-core checks the pages.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';

import { BASE, checkPage, launch, signedInPage } from './browser.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

/** A section's bar chart and the table beside it: each bar as [label, figure], each row as
 * [first cell, the cell in column `column`]. */
async function barsAndRows(page, heading, column = 1) {
    const section = `section[aria-labelledby=${heading}-heading]`;
    const rows = await page.$$eval(`${section} table tbody tr`, (trs, c) => trs.map((tr) => [tr.children[0].textContent, tr.children[c].textContent]), column);
    const bars = await page.$$eval(`${section} svg g`, (gs) => gs.map((g) => [g.children[0].textContent, g.children[2].textContent]));
    return { bars, rows };
}

/** Practices with a shown rate in the table, and those it places outside the limits. */
async function tableOf(page, measure) {
    return page.$$eval(`table[data-measure=${measure}] tbody tr`, (rows) => rows.map((r) => ({
        id: r.dataset.practice, rate: r.children[3].textContent, position: r.children[5].textContent,
    })));
}

describe('the practices report', () => {
    test('the funnel plots show the practices of the tables beside them; CSV downloads', async () => {
        const page = await signedInPage(browser, 'ggc.admin');
        await page.click('.nhsuk-header__account-link:has-text("Reports")');
        await page.waitForSelector('h1:has-text("Practices: signposting and referrals")');
        for (const measure of ['signposts', 'referrals']) {
            const rows = await tableOf(page, measure);
            assert.ok(rows.length > 10, 'every practice of the board has a row');
            const plotted = await page.$$eval(`section[aria-labelledby=${measure}-heading] circle`, (cs) => cs.map((c) => ({
                id: c.dataset.practice, outside: c.classList.contains('links-funnel__point--outside'),
            })));
            assert.deepEqual(plotted.map((p) => p.id).sort(), rows.filter((r) => r.rate !== '–').map((r) => r.id).sort(),
                             `${measure}: a point for each practice with a rate`);
            assert.deepEqual(plotted.filter((p) => p.outside).map((p) => p.id).sort(),
                             rows.filter((r) => r.position !== 'within' && r.position !== '–').map((r) => r.id).sort(),
                             `${measure}: the points drawn outside are the rows outside`);
            assert.equal(await page.locator(`section[aria-labelledby=${measure}-heading] path.links-funnel__limit`).count(), 4);
        }
        assert.equal(await page.locator('.links-disclosure').count(), 0, 'the board\'s administrator sees every count');
        // by category of need: a bar for every row of the table but All, with its signposts
        const { bars: needBars, rows: needRows } = await barsAndRows(page, 'needs');
        assert.ok(needRows.length > 3);
        assert.deepEqual(needBars, needRows.filter(([label]) => label !== 'All'));
        await checkPage(page, '80-report-practices');

        const [download] = await Promise.all([page.waitForEvent('download'), page.click('a:has-text("Download as CSV")')]);
        assert.match(download.suggestedFilename(), /^ggc-practices-\d{4}-\d{2}-\d{2}-to-\d{4}-\d{2}-\d{2}\.csv$/);
        const text = await readFile(await download.path(), 'utf8');
        assert.match(text.split('\r\n')[0], /^"practice_code","practice_name","list_size","signposts"/);
        assert.match(text, /Counts from 1 to 4 are shown as ""<5""/, 'the export states the rule');
        const [byNeed] = await Promise.all([page.waitForEvent('download'), page.click('a:has-text("Download by category of need as CSV")')]);
        assert.match(byNeed.suggestedFilename(), /^ggc-practices-by-need-\d{4}-\d{2}-\d{2}-to-\d{4}-\d{2}-\d{2}\.csv$/);
        assert.match((await readFile(await byNeed.path(), 'utf8')).split('\r\n')[0], /^"need","name","signposts","referrals"$/);
    });

    test('a GP sees the rule; a period the wrong way round is an error summary', async () => {
        const page = await signedInPage(browser, 'ggc.gp');
        await page.goto(`${BASE}/ggc/reports/practices`);
        await page.waitForSelector('h1:has-text("Practices: signposting and referrals")');
        assert.match(await page.textContent('.links-disclosure'), /Counts from 1 to 4 are shown as "<5"/);
        await page.fill('#from', '2026-06-01');
        await page.fill('#to', '2026-05-01');
        await page.click('button:has-text("Show")');
        await page.waitForSelector('.nhsuk-error-summary');
        assert.match(await page.textContent('.nhsuk-error-summary'), /To must not be before from/);
        await checkPage(page, '81-report-error');
        const receptionist = await signedInPage(browser, 'ggc.receptionist');
        assert.equal(await receptionist.locator('.nhsuk-header__account-link:has-text("Reports")').count(), 0);
    });

    test('the referral outcomes report: each bar chart draws the table beside it; a practice can be chosen', async () => {
        const page = await signedInPage(browser, 'ggc.admin');
        await page.goto(`${BASE}/ggc/reports/practices`);
        await page.click('nav.links-tabs a:has-text("Referral outcomes")');
        await page.waitForSelector('h1:has-text("Referral outcomes")');
        for (const id of ['status', 'closing']) {
            const { bars, rows } = await barsAndRows(page, id);
            assert.deepEqual(bars, rows, `${id}: a bar (and its figure) for every row of the table`);
        }
        await checkPage(page, '82-report-outcomes');
        const choices = await page.$$eval('#practice option', (os) => os.map((o) => ({ value: o.value, text: o.textContent })));
        const practice = choices.find((c) => /^[0-9a-f-]{36}$/.test(c.value));
        await page.selectOption('#practice', practice.value);
        await page.click('button:has-text("Show")');
        await page.waitForSelector(`.nhsuk-lede-text:has-text("${practice.text}")`);
        assert.match(page.url(), new RegExp(`practice=${practice.value}`));
        // one of Glasgow's groups of practices, from its plugin
        const decile = choices.find((c) => c.text.startsWith('SIMD decile of the practice\'s data zone: Decile 1'));
        assert.ok(decile, JSON.stringify(choices.slice(0, 20)));
        await page.selectOption('#practice', decile.value);
        await page.click('button:has-text("Show")');
        await page.waitForSelector('.nhsuk-lede-text:has-text("Decile 1")');
        assert.match(page.url(), /group=Decile\+1/);
    });
});


describe('the regional report', () => {
    test('Glasgow\'s and Fife\'s own groupings, bars beside their tables', async () => {
        for (const [user, board, titles] of [['ggc.admin', 'ggc', ['SIMD decile of the practice\'s data zone', 'Practices with and without an attached links worker']],
                                             ['fife.admin', 'fife', ['Locality']]]) {
            const page = await signedInPage(browser, user, board);
            await page.goto(`${BASE}/${board}/reports/practices`);
            await page.click('nav.links-tabs a:has-text("Regional")');
            await page.waitForSelector('h1:has-text("Regional report")');
            assert.deepEqual(await page.$$eval('section.links-report__measure h2', (hs) => hs.map((x) => x.textContent)), titles);
            for (let i = 0; i < titles.length; i++) {
                const rows = await page.$$eval(`table[data-dimension="${i}"] tbody th`, (ths) => ths.map((x) => x.textContent));
                const bars = await page.$$eval(`section[aria-labelledby=dimension-${i}] svg g text:first-child`, (ts) => ts.map((x) => x.textContent));
                assert.deepEqual(bars, rows, `${board} ${titles[i]}: a bar for every group`);
            }
            await checkPage(page, `83-report-regional-${board}`);
        }
    });
});

describe('the directory health report', () => {
    test('bars beside their tables, by category and champion; a past day; CSV', async () => {
        const page = await signedInPage(browser, 'ggc.champion');
        await page.goto(`${BASE}/ggc/reports/practices`);
        await page.click('nav.links-tabs a:has-text("Directory health")');
        await page.waitForSelector('h1:has-text("Directory health")');
        for (const id of ['category', 'champion']) {
            const { bars, rows } = await barsAndRows(page, id, 3);
            assert.ok(rows.length > 0, `${id}: rows`);
            assert.deepEqual(bars.map(([label]) => label), rows.map(([label]) => label), `${id}: a bar for every row`);
            bars.forEach(([label, value], i) => assert.ok(Math.abs(Number(value) - parseFloat(rows[i][1])) < 0.1,
                                                          `${id} ${label}: the bar's ${value} is the table's ${rows[i][1]}`));
        }
        await checkPage(page, '84-report-directory');
        const yesterday = new Date(Date.now() - 86400e3).toISOString().slice(0, 10);
        await page.fill('#on', yesterday);
        await page.click('button:has-text("Show")');
        await page.waitForSelector(`.nhsuk-lede-text:has-text("${yesterday}")`);
        const [download] = await Promise.all([page.waitForEvent('download'), page.click('a:has-text("Download as CSV")')]);
        assert.equal(download.suggestedFilename(), `ggc-directory-${yesterday}-to-${yesterday}.csv`);
        const text = await readFile(await download.path(), 'utf8');
        assert.match(text.split('\r\n')[1], /^"all","All services",/);
    });
});
