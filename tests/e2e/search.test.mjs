// search.test.mjs — the staff front end in a real browser against the real
// stack: find a resource, see why a postcode is wrong, open a result, make
// and print a patient handout. Every page is checked with axe-core and
// saved as a screenshot (tests/artifacts/e2e/).
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';

import { artifact, BASE, checkPage, launch, openPage, screenshot } from './browser.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });


async function searchFor(page, board, q, postcode) {
    await page.goto(`${BASE}/${board}/`);
    await page.fill('#q', q);
    await page.fill('#postcode', postcode);
    await page.click('button[type=submit]');
    await page.waitForSelector('#results-heading');
}

describe('staff front end', () => {
    test('board picker: both boards, each opens its search page', async () => {
        const page = await openPage(browser);
        await page.goto(`${BASE}/`);
        await page.waitForSelector('h1');
        assert.equal(await page.title(), 'Choose a health board – Community Links');
        await checkPage(page, '01-boards');
        await page.click('a:has-text("NHS Fife")');
        await page.waitForSelector('#q');
        assert.equal(new URL(page.url()).pathname, '/fife/');
        assert.match(await page.textContent('header'), /NHS Fife/);
    });

    test('Glasgow: "food" near G51 1AA lists food services, nearest first, with distances', async () => {
        const page = await openPage(browser);
        await searchFor(page, 'ggc', 'food', 'G51 1AA');
        const heading = await page.textContent('#results-heading');
        assert.match(heading, /^\d+ services? found for “food” within \d+ km of G51 1AA$/);
        const results = await page.$$eval('.links-result', (els) => els.map((el) => ({
            name: el.querySelector('h3').textContent.trim(),
            meta: el.querySelector('.links-result__meta').textContent,
        })));
        assert.ok(results.length > 0, 'no results');
        const distances = results.map((r) => /(\d+(?:\.\d)?) (k?m) away/.exec(r.meta)).filter(Boolean)
            .map((m) => Number(m[1]) * (m[2] === 'm' ? 0.001 : 1));
        assert.ok(distances.length > 0, 'no result shows a distance');
        assert.match(results.map((r) => r.name).join(' '), /food|meal|pantry|larder|café|cafe/i);
        // Staff see why the results are in this order (the Glasgow plugin's reason).
        assert.match(await page.textContent('main'), /Order: /);
        await checkPage(page, '02-search-glasgow');
    });

    test('Fife: "debt" near KY1 1AB lists debt advice', async () => {
        const page = await openPage(browser);
        await searchFor(page, 'fife', 'debt', 'KY1 1AB');
        const names = await page.$$eval('.links-result h3', (els) => els.map((e) => e.textContent));
        assert.ok(names.length > 0, 'no results');
        assert.match(names.join(' '), /debt|money|advice/i);
        assert.match(await page.textContent('main'), /Kirkcaldy locality first/);
        await checkPage(page, '03-search-fife');
    });

    test('a malformed postcode is explained next to the field and in the error summary, which takes focus', async () => {
        const page = await openPage(browser);
        await page.goto(`${BASE}/ggc/`);
        await page.fill('#q', 'walking');
        await page.fill('#postcode', 'G1 2 8QQ');
        await page.click('button[type=submit]');
        await page.waitForSelector('.nhsuk-error-summary');
        assert.match(await page.textContent('#postcode-error'), /not a UK postcode/);
        assert.equal(await page.getAttribute('#postcode', 'aria-describedby'), 'postcode-hint postcode-error');
        assert.ok(await page.$eval('.nhsuk-error-summary', (el) => el === document.activeElement), 'focus is not on the error summary');
        assert.match(await page.title(), /^Error: /);
        assert.equal(await page.getAttribute('.nhsuk-error-summary a', 'href'), '#postcode');
        await checkPage(page, '04-bad-postcode');
    });

    test('nothing found: says so and suggests widening the search', async () => {
        const page = await openPage(browser);
        await searchFor(page, 'ggc', 'xylophonist', 'G12 8QQ');
        assert.match(await page.textContent('#results-heading'), /^0 services found/);
        assert.match(await page.textContent('.nhsuk-inset-text'), /Search within 10 km/);
        await checkPage(page, '05-nothing-found');
    });

    test('a result opens its detail page; two results make a one-page printed handout and a text version', async () => {
        const page = await openPage(browser);
        await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: BASE });
        await searchFor(page, 'ggc', 'walking', 'G12 8QQ');
        const names = await page.$$eval('.links-result h3', (els) => els.slice(0, 2).map((e) => e.textContent.trim()));
        assert.equal(names.length, 2);
        const boxes = await page.$$('.links-result input[type=checkbox]');
        await boxes[0].check();
        await boxes[1].check();
        assert.match(await page.textContent('.links-handout-bar'), /2 services/);

        await page.click(`.links-result h3 a >> nth=0`);
        await page.waitForSelector('.nhsuk-summary-list');
        assert.equal((await page.textContent('h1')).trim(), names[0]);
        assert.match(await page.textContent('.nhsuk-summary-list'), /Cost/);
        await checkPage(page, '06-detail');

        await page.goto(`${BASE}/ggc/handout`);
        await page.waitForSelector('.links-handout__service');
        const listed = await page.$$eval('.links-handout__service h2', (els) => els.map((e) => e.textContent.trim()));
        assert.deepEqual(listed, names);
        const text = await page.inputValue('#handout-text');
        for (const n of names) assert.ok(text.includes(n), `handout text lacks ${n}`);
        await page.click('button:has-text("Copy as text")');
        await page.waitForFunction(() => /Copied/.test(document.querySelector('[role=status]')?.textContent ?? ''));
        assert.equal(await page.evaluate(() => navigator.clipboard.readText()), text);
        await checkPage(page, '07-handout');

        await page.emulateMedia({ media: 'print' });
        await screenshot(page, '08-handout-print');
        const pdf = await page.pdf({ format: 'A4', printBackground: false });
        writeFileSync(artifact('handout.pdf'), pdf);
        const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page(?!s)/g) ?? []).length;
        assert.equal(pages, 1, `the handout printed on ${pages} pages`);
        const printed = await page.evaluate(() => [...document.querySelectorAll('.links-no-print, .nhsuk-header, .nhsuk-footer')]
            .filter((el) => getComputedStyle(el).display !== 'none').length);
        assert.equal(printed, 0, 'buttons, header or footer would print');
    });

    test('by keyboard alone on a narrow screen (320 px): search, results take focus, nothing scrolls sideways', async () => {
        const page = await openPage(browser, { viewport: { width: 320, height: 640 } });
        await page.goto(`${BASE}/ggc/`);
        await page.waitForSelector('#q');
        const focused = () => page.evaluate(() => document.activeElement?.id || document.activeElement?.tagName);
        // The skip link comes first, as on every NHS.UK page.
        await page.keyboard.press('Tab');
        assert.match(await page.evaluate(() => document.activeElement.textContent), /Skip to main content/);
        let tabs = 0;
        while ((await focused()) !== 'q' && tabs++ < 10) await page.keyboard.press('Tab');
        assert.equal(await focused(), 'q', 'the first field is not reachable by Tab');
        await page.keyboard.type('walking');
        await page.keyboard.press('Tab');
        assert.equal(await focused(), 'category');
        await page.keyboard.press('Tab');
        assert.equal(await focused(), 'postcode');
        await page.keyboard.type('G12 8QQ');
        await page.keyboard.press('Enter');
        await page.waitForSelector('#results-heading');
        await page.waitForFunction(() => document.activeElement?.id === 'results-heading');
        assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth),
                  'the page scrolls sideways at 320 px');
        await checkPage(page, '09-narrow-keyboard');
    });
});
