// signposting.test.mjs — the front desk records, in a real browser against
// the real stack, that a patient was given information: from the search
// results in two clicks (search, then "Information given"), with an Undo for
// a slip, and "Told about the links worker". axe-core checks each page.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { BASE, checkPage, launch, openPage, signedInPage } from './browser.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const signedIn = (username) => signedInPage(browser, username);

/** The practice's latest signposts, as the API gives them to the page's user. */
async function latest(page) {
    return page.evaluate(async () => (await (await fetch('/api/v1/boards/ggc/signposts')).json()).signposts);
}

describe('signposting from the search results', () => {
    test('a receptionist records information given in two clicks, and can take a slip back', async () => {
        const page = await signedIn('ggc.receptionist');
        // click one: the search
        await page.fill('#q', 'food');
        await page.fill('#postcode', 'G51 1AA');
        await page.click('main form button[type=submit]');
        await page.waitForSelector('.links-result');
        const first = page.locator('.links-result').first();
        const name = (await first.locator('h3').textContent()).trim();
        // click two: "Information given" on the result
        await first.locator('button:has-text("Information given")').click();
        await first.locator('.nhsuk-tag:has-text("Recorded")').waitFor();
        assert.match(await first.locator('[role=status]').textContent(), new RegExp(`Recorded: information given about ${name.replace(/[()]/g, '.')}`));
        let signposts = await latest(page);
        assert.equal(signposts[0].service.name, name);
        assert.equal(signposts[0].withdrawn_at, null);
        await checkPage(page, '50-signpost-recorded');

        // a slip: Undo takes it back (kept, marked withdrawn)
        await first.locator('button:has-text("Undo")').click();
        await first.locator('button:has-text("Information given")').waitFor();
        assert.match(await first.locator('[role=status]').textContent(), /Taken back/);
        signposts = await latest(page);
        assert.equal(signposts[0].service.name, name);
        assert.ok(signposts[0].withdrawn_at, 'withdrawn');
    });

    test('told about the links worker, where the practice has one; nothing to record for the public', async () => {
        const page = await signedIn('ggc.receptionist');
        await page.fill('#q', 'walking');
        await page.fill('#postcode', 'G12 8QQ');
        await page.click('main form button[type=submit]');
        await page.waitForSelector('.links-result');
        const hasWorker = await page.evaluate(async () => (await (await fetch('/api/v1/session')).json()).staff.practice.has_links_worker);
        const button = page.locator('button:has-text("Told about the links worker")');
        if (hasWorker) {
            await button.click();
            await page.locator('.links-signpost-links-worker .nhsuk-tag:has-text("Recorded")').waitFor();
            assert.equal((await latest(page))[0].links_worker, true);
        } else {
            assert.equal(await button.count(), 0, 'no links worker: no button');
        }
        await checkPage(page, '51-signpost-links-worker');

        // signed out, a search shows no signposting at all
        const anonymous = await openPage(browser);
        await anonymous.goto(`${BASE}/ggc/?q=walking&postcode=G12+8QQ`);
        await anonymous.waitForSelector('.links-result');
        assert.equal(await anonymous.locator('button:has-text("Information given")').count(), 0);
    });
});
