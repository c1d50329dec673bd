// caseload.test.mjs — a links worker works through their caseload in a real
// browser: opens a referral made for them, records the first contact with a
// note, then closes it with a reason; each step lands in its history.
// axe-core checks each page.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';

import { BASE, checkPage, launch, signedInPage } from './browser.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

/** A CHI number no other test uses: a random serial, check digit by modulus 11. */
function freshChi() {
    for (;;) {
        const nine = `150390${String(Math.floor(Math.random() * 1000)).padStart(3, '0')}`;
        const check = (11 - ([...nine].reduce((acc, d, i) => acc + Number(d) * (10 - i), 0) % 11)) % 11;
        if (check !== 10)
            return `${nine}${check}`;
    }
}

const signedIn = (username) => signedInPage(browser, username);

describe('the links worker\'s caseload', () => {
    test('records contact and closes a referral, each step in its history', async () => {
        // a GP refers a patient to the practice's links worker
        const gp = await signedIn('ggc.gp');
        const name = `Sam Caseload ${randomUUID().slice(0, 6)}`;
        // (a patient is one per CHI number: another test's patient would be renamed)
        const made = await gp.evaluate(async ({ name, key, chi }) => {
            const session = await (await fetch('/api/v1/session')).json();
            const r = await fetch('/api/v1/boards/ggc/referrals', {
                method: 'POST',
                headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': session.csrf_token, 'Idempotency-Key': key },
                body: JSON.stringify({ links_worker: true, postcode: 'G12 8QQ', chi, name, contact_method: 'phone',
                                       contact_detail: '0141 496 0000', reason: 'Low mood, lonely', consent: true }),
            });
            return { status: r.status, body: await r.json() };
        }, { name, key: randomUUID(), chi: freshChi() });
        assert.equal(made.status, 201, JSON.stringify(made.body));

        const page = await signedIn('ggc.linksworker');
        await page.click('.nhsuk-header__account-link:has-text("Caseload")');
        await page.waitForSelector('h1:has-text("Caseload")');
        const link = page.locator(`section[aria-labelledby=caseload-new] a:has-text("${name}")`);
        assert.equal(await link.count(), 1, 'the new referral is under New');
        await checkPage(page, '70-caseload');
        await link.click();
        await page.waitForSelector(`h1:has-text("Referral for ${name}")`);

        await page.check('#status-contacted');
        await page.fill('#note', 'Rang; coming to the Tuesday group');
        await page.click('button:has-text("Save")');
        await page.waitForSelector('.nhsuk-notification-banner:has-text("now contacted")');
        assert.match(await page.textContent('.links-referral-history'), /received → contacted, by Demo Links worker \(ggc\) — Rang; coming to the Tuesday group/);
        await checkPage(page, '71-referral-contacted');

        // closing without a reason is refused, then closed with one
        await page.check('#status-closed');
        await page.click('button:has-text("Save")');
        await page.waitForSelector('.nhsuk-error-summary');
        assert.match(await page.textContent('.nhsuk-error-summary'), /closing_reason|Why it closed/);
        await page.check('#status-closed');
        await page.check('#closing_reason-completed');
        await page.click('button:has-text("Save")');
        await page.waitForSelector('.nhsuk-notification-banner:has-text("now closed")');
        assert.match(await page.textContent('.nhsuk-summary-list'), /closed \(completed\)/);
        assert.equal(await page.locator('button:has-text("Save")').count(), 0, 'a closed referral has nothing more to record');
        await checkPage(page, '72-referral-closed');

        // and it has left the caseload
        await page.goto(`${BASE}/ggc/caseload`);
        await page.waitForSelector('h1:has-text("Caseload")');
        assert.equal(await page.locator(`a:has-text("${name}")`).count(), 0);
    });
});
