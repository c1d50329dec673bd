// caseload.test.mjs — a links worker works through their caseload in a real
// browser: opens a referral made for them, records the first contact and a
// follow-up date, records wellbeing (SWEMWBS and ONS4) at first contact and
// at closing and sees the change, closes it with a reason; and refers
// another patient on to a service found near them. axe-core checks each
// page.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import { BASE, checkPage, freshChi, launch, signedInPage } from './browser.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const signedIn = (username) => signedInPage(browser, username);

/** The published SWEMWBS conversion (schema/data), raw → metric score as printed there. */
function metricOf(raw) {
    const src = process.env.LINKS_SRC ?? path.resolve(import.meta.dirname, '../..');
    const rows = readFileSync(path.join(src, 'schema/data/swemwbs_raw_to_metric.csv'), 'utf8').trim().split(/\r?\n/).slice(1);
    const row = rows.map((l) => l.trim().split(',')).find(([r]) => Number(r) === raw);
    return Number(row[1]).toFixed(2);
}

/** A GP's referral to the links worker, made through the API from a signed-in page. */
async function referToLinksWorker(name) {
    const gp = await signedIn('ggc.gp');
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
    await gp.close();
    return made.body;
}

async function chooseScores(page, swemwbs, ons4) {
    for (const [i, score] of swemwbs.entries())
        await page.selectOption(`#swemwbs-${i + 1}`, String(score));
    for (const [item, score] of Object.entries(ons4))
        await page.selectOption(`#ons4-${item}`, String(score));
}

describe('the links worker\'s caseload', () => {
    test('records contact, a follow-up and wellbeing, closes the referral; each step in its history', async () => {
        const name = `Sam Caseload ${randomUUID().slice(0, 6)}`;
        await referToLinksWorker(name);

        const page = await signedIn('ggc.linksworker');
        await page.click('.nhsuk-header__account-link:has-text("Caseload")');
        await page.waitForSelector('h1:has-text("Caseload")');
        const link = page.locator(`section[aria-labelledby=caseload-new] a:has-text("${name}")`);
        assert.equal(await link.count(), 1, 'the new referral is under New');
        await checkPage(page, '70-caseload');
        await link.click();
        await page.waitForSelector(`h1:has-text("Referral for ${name}")`);

        // a call that got through, with the next follow-up: the first contact
        const followUp = new Date(Date.now() + 7 * 86400e3).toISOString().slice(0, 10);
        await page.check('#contact_method-phone');
        await page.check('#reached-yes');
        await page.fill('#contact_note', 'Rang; coming to the Tuesday group');
        await page.fill('#contact_follow_up', followUp);
        await page.click('.links-contact-form button:has-text("Record contact")');
        await page.waitForSelector('.nhsuk-notification-banner:has-text("first contact made")');
        assert.match(await page.textContent('.links-referral-contacts'), /Phone call · reached the patient · Demo Links worker \(ggc\) — Rang; coming to the Tuesday group/);
        assert.match(await page.textContent('.nhsuk-summary-list'), /contacted/);
        assert.match(await page.textContent('.links-referral-history'), /received → contacted, by Demo Links worker \(ggc\) — First contact made/);
        await checkPage(page, '71-referral-contacted');

        // wellbeing at first contact, then (a partly filled scale refused) at closing
        await chooseScores(page, [2, 2, 3, 2, 1, 2, 2], { life_satisfaction: 3, worthwhile: 5, happiness: 4, anxiety: 7 });
        await page.click('.links-wellbeing-form button:has-text("Save wellbeing")');
        await page.waitForSelector('.nhsuk-notification-banner:has-text("Wellbeing recorded (at first contact)")');
        assert.match(await page.textContent('.links-wellbeing'), new RegExp(`${metricOf(14)} \\(raw 14\\)`));
        await page.check('#stage-closing');
        await page.selectOption('#swemwbs-1', '4');
        await page.click('.links-wellbeing-form button:has-text("Save wellbeing")');
        await page.waitForSelector('.nhsuk-error-summary');
        assert.match(await page.textContent('.nhsuk-error-summary'), /SWEMWBS item 2 must be a whole number from 1 to 5/);
        await checkPage(page, '72-wellbeing-error');
        await page.check('#stage-closing');
        await chooseScores(page, [4, 3, 4, 3, 3, 4, 3], { life_satisfaction: 6, worthwhile: 7, happiness: 6, anxiety: 3 });
        await page.click('.links-wellbeing-form button:has-text("Save wellbeing")');
        await page.waitForSelector('.nhsuk-notification-banner:has-text("Wellbeing recorded (at closing)")');
        const table = await page.textContent('.links-wellbeing');
        const change = (Number(metricOf(24)) - Number(metricOf(14))).toFixed(2);
        assert.match(table, new RegExp(`${metricOf(24)} \\(raw 24\\)\\+${change.replace('.', '\\.')}`), table);
        assert.match(table, /ONS4 anxiety \(lower is better\)7 \(high\)3 \(low\)-4/);
        await checkPage(page, '73-referral-wellbeing');

        // closing without a reason is refused, then closed with one
        await page.check('#status-engaged');
        await page.click('.links-status-form button:has-text("Save")');
        await page.waitForSelector('.nhsuk-notification-banner:has-text("now engaged")');
        await page.check('#status-closed');
        await page.click('.links-status-form button:has-text("Save")');
        await page.waitForSelector('.nhsuk-error-summary');
        assert.match(await page.textContent('.nhsuk-error-summary'), /If closed, why is needed to close/);
        await page.check('#status-closed');
        await page.check('#closing_reason-completed');
        await page.click('.links-status-form button:has-text("Save")');
        await page.waitForSelector('.nhsuk-notification-banner:has-text("now closed")');
        assert.match(await page.textContent('.nhsuk-summary-list'), /closed \(completed\)/);
        assert.equal(await page.locator('.links-status-form, .links-contact-form, .links-refer-on-form').count(), 0,
                     'a closed referral takes no more contacts, moves or referrals on');
        await checkPage(page, '74-referral-closed');

        // and it has left the caseload
        await page.goto(`${BASE}/ggc/caseload`);
        await page.waitForSelector('h1:has-text("Caseload")');
        assert.equal(await page.locator(`a:has-text("${name}")`).count(), 0);
    });

    test('refers a patient on to a service that takes referrals near them', async () => {
        const name = `Kim Referon ${randomUUID().slice(0, 6)}`;
        const made = await referToLinksWorker(name);
        const page = await signedIn('ggc.linksworker');
        await page.goto(`${BASE}/ggc/referrals/${made.id}`);
        await page.waitForSelector(`h1:has-text("Referral for ${name}")`);
        // no service chosen, no consent: refused, with the messages
        await page.click('.links-refer-on-form button:has-text("Refer on")');
        await page.waitForSelector('.nhsuk-error-summary');
        assert.match(await page.textContent('.nhsuk-error-summary'), /Service/);
        assert.match(await page.textContent('.nhsuk-error-summary'), /Consent must be true/);
        await page.click('.links-refer-on-form button:has-text("Find")');
        await page.waitForSelector('.links-refer-on-results input[type=radio]');
        const service = (await page.textContent('.links-refer-on-results .nhsuk-radios__label')).replace(/ \([0-9.]+ km\)$/, '');
        await page.locator('.links-refer-on-results input[type=radio]').first().check();
        await page.fill('#refer_on_reason', 'Wants to try the group');
        await page.check('#refer_on_consent');
        await checkPage(page, '75-refer-on');
        await page.click('.links-refer-on-form button:has-text("Refer on")');
        await page.waitForSelector(`.nhsuk-notification-banner:has-text("Referred on to ${service}")`);
        assert.match(await page.textContent('section[aria-labelledby=referred-on-heading]'), new RegExp(service.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
        assert.match(await page.textContent('.links-referral-history'), new RegExp(`Referred on to .*: Wants to try the group`));
        await page.click(`section[aria-labelledby=referred-on-heading] a`);
        await page.waitForSelector(`h1:has-text("Referral for ${name}")`);
        assert.match(await page.textContent('.nhsuk-summary-list'), /Referred on from/);
    });
});
