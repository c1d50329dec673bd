import { start, shot, dump, BASE, sleep } from './review-util.mjs';
const { browser, page } = await start('ggc.gp');
await page.goto(`${BASE}/ggc/?q=food&postcode=G51+1AA&radius_km=5`);
await page.waitForSelector('.links-result');
await page.locator('a:has-text("Refer the patient")').first().click();
await page.waitForSelector('#chi');
const errs = async (l) => console.log(l, '->', JSON.stringify(await page.evaluate(() => [...document.querySelectorAll('.nhsuk-error-summary li')].map(e=>e.innerText))), 'focus:', await page.evaluate(()=>document.activeElement?.className+'#'+document.activeElement?.id));
// postcode outside board / unknown
for (const pc of ['KY1 1AB', 'EH1 1AA', 'ZZ99 9ZZ', 'G51']) {
  await page.fill('#chi', '0101011237'); await page.fill('#postcode', pc);
  await page.click('main form button[type=submit]'); await sleep(700);
  await errs(`postcode ${pc}`);
  console.log('  decision:', await page.evaluate(() => document.querySelector('.links-referral-decision')?.innerText));
}
await page.fill('#postcode', 'G51 1AA');
await page.click('main form button[type=submit]'); await sleep(700);
await errs('valid preview minimal');
await dump(page, 'after preview minimal');
await shot(page, '05-refer-decision');
// confirm with nothing else
const confirm = page.locator('button:has-text("Confirm referral")');
if (await confirm.count()) { await confirm.click(); await sleep(800); await errs('confirm minimal no consent'); }
await page.check('#consent');
if (await confirm.count()) { await confirm.click(); await sleep(800); await errs('confirm minimal with consent'); }
await dump(page, 'after confirm minimal');
await shot(page, '06-refer-confirm-minimal');
// fill the rest
await page.fill('#name', 'Alex Review');
await page.check('#contact_method-email');
await page.fill('#contact_detail', 'not-an-email');
await page.fill('#reason', 'Struggling to afford food');
await page.check('#needs-4'); await page.check('#needs-8');
const btn = page.locator('button:has-text("Confirm referral"), button:has-text("Check where it goes")').first();
console.log('button now', await btn.innerText());
await btn.click(); await sleep(900);
await errs('after email not-an-email');
await dump(page, 'state');
await browser.close();
