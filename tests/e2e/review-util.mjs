import { existsSync } from 'node:fs';
import { launch, DEMO_PASSWORD } from './browser.mjs';
export const BASE = 'http://127.0.0.1:8080';
export async function start(user, board='ggc') {
  const browser = await launch();
  const state = `/tmp/review/state-${user}.json`;
  const context = await browser.newContext(existsSync(state) ? { storageState: state } : {});
  const page = await context.newPage();
  page.problems = [];
  page.on('pageerror', (e) => { page.problems.push(`script error: ${e.message}`); console.log('!! pageerror', e.message); });
  page.on('console', (m) => { if (m.type() === 'error' || m.type()==='warning') { console.log('!! console', m.type(), m.text()); } });
  page.on('requestfailed', r => console.log('!! reqfailed', r.url(), r.failure()?.errorText));
  page.on('response', r => { if (r.status() >= 400) console.log('!! http', r.status(), r.request().method(), r.url()); });
  if (!existsSync(state)) {
    await page.goto(`${BASE}/${board}/sign-in`);
    await page.fill('#username', user);
    await page.fill('#password', DEMO_PASSWORD);
    await page.click('main form button[type=submit]');
    await page.waitForSelector('#q');
    await context.storageState({ path: state });
  }
  return { browser, context, page };
}
export async function shot(page, name) { await page.screenshot({ path: `/tmp/review/${name}.png`, fullPage: true }); console.log('[shot]', name); }
export async function dump(page, label='') {
  const t = await page.evaluate(() => document.querySelector('main')?.innerText ?? document.body.innerText);
  console.log(`==== ${label} ${page.url()}\n${t}\n==== focus: ${await page.evaluate(() => { const a=document.activeElement; return a ? a.tagName+'#'+a.id+'.'+a.className+' '+(a.innerText||'').slice(0,60) : null; })}`);
}
export const sleep = (ms) => new Promise(r => setTimeout(r, ms));
