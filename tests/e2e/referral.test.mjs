// referral.test.mjs — a GP refers a patient from the search results, in a
// real browser against the real stack: consent is required, the board's
// rules say where the referral goes and why before it is confirmed, and the
// referral page shows it with its history. axe-core checks each page.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { checkPage, freshChi, launch, signedInPage } from './browser.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

describe('referring a patient', () => {
    test('a GP refers with consent and sees where it goes, and why, before confirming', async () => {
        const page = await signedInPage(browser, 'ggc.gp');
        // G51 1AA is in one of the most deprived data zones (SIMD decile 1)
        await page.fill('#q', 'food');
        await page.fill('#postcode', 'G51 1AA');
        await page.click('main form button[type=submit]');
        await page.waitForSelector('.links-result');
        const result = page.locator('.links-result', { has: page.locator('a:has-text("Refer the patient")') }).first();
        const service = (await result.locator('h3').textContent()).trim();
        await result.locator('a:has-text("Refer the patient")').click();
        await page.waitForSelector('#chi');
        assert.equal(await page.textContent('h1'), `Refer to ${service}`);

        await page.fill('#chi', freshChi());     // a patient of its own: a CHI is one patient
        await page.fill('#name', 'Alex Example');
        await page.check('#contact_method-phone');
        await page.fill('#contact_detail', '0141 496 0000');
        await page.fill('#postcode', 'G51 1AA');
        await page.fill('#reason', 'Struggling to afford food since losing work');
        // without consent: no referral
        await page.click('main form button[type=submit]');
        await page.waitForSelector('.links-referral-decision');
        assert.match(await page.textContent('.links-referral-decision'), /links worker first/);
        assert.match(await page.textContent('.links-referral-decision'), /most deprived data zones \(SIMD decile 1/);
        await checkPage(page, '60-referral-decision');
        // a patient from elsewhere: the decision is checked again, and differs
        await page.fill('#postcode', 'G12 0AF');
        assert.equal(await page.locator('.links-referral-decision').count(), 0, 'a stale decision is taken away');
        await page.click('button:has-text("Check where it goes")');
        await page.waitForSelector('.links-referral-decision');
        assert.match(await page.textContent('.links-referral-decision'), /Straight to the service/);
        await page.fill('#postcode', 'G51 1AA');
        await page.click('button:has-text("Check where it goes")');
        await page.waitForSelector('.links-referral-decision:has-text("links worker first")');
        await page.click('button:has-text("Confirm referral")');
        await page.waitForSelector('.nhsuk-error-summary');
        assert.match(await page.textContent('.nhsuk-error-summary'), /no consent, no referral/);
        await checkPage(page, '61-referral-no-consent');

        await page.check('#consent');
        await page.click('button:has-text("Confirm referral")');
        await page.waitForSelector('h1:has-text("Referral for Alex Example")');
        const summary = await page.textContent('.nhsuk-summary-list');
        assert.match(summary, new RegExp(service.replace(/[()]/g, '.')));
        assert.match(summary, /links worker first/);
        assert.match(summary, /received/);
        assert.match(await page.textContent('ol'), /received, by Demo GP \(ggc\)/);
        await checkPage(page, '62-referral-made');
    });
});
