import { start, shot, dump, BASE, sleep } from './review-util.mjs';
const { browser, page } = await start('ggc.gp');
await page.goto(`${BASE}/ggc/?q=food&postcode=G51+1AA&radius_km=5`);
await page.waitForSelector('.links-result');
await page.locator('a:has-text("Refer the patient")').first().click();
await page.waitForSelector('#chi');
await dump(page, 'refer form');
console.log(await page.evaluate(() => [...document.querySelectorAll('main input, main textarea, main select, main button')].map(e => {
  const lab = e.id ? document.querySelector(`label[for="${e.id}"]`)?.innerText : null;
  return `${e.tagName} type=${e.type} id=${e.id} name=${e.name} label=${JSON.stringify(lab)} aria-label=${e.getAttribute('aria-label')} describedby=${e.getAttribute('aria-describedby')} req=${e.required} ac=${e.autocomplete}`;
}).join('\n')));
await shot(page, '02-refer-form');
// submit empty
await page.click('main form button[type=submit]');
await sleep(800);
await dump(page, 'empty submit');
await shot(page, '03-refer-empty');
// invalid CHI values
for (const chi of ['123', '0101011238', '3201011234', 'abcdefghij', '010101 1237', '01-01-01-1237']) {
  await page.fill('#chi', chi);
  await page.click('main form button[type=submit]');
  await sleep(700);
  const err = await page.evaluate(() => [...document.querySelectorAll('.nhsuk-error-summary, .nhsuk-error-message')].map(e=>e.innerText).join(' | '));
  const dec = await page.evaluate(() => document.querySelector('.links-referral-decision')?.innerText);
  console.log(`CHI ${JSON.stringify(chi)} -> errors: ${err} || decision: ${dec}`);
}
await shot(page, '04-refer-badchi');
await browser.close();
