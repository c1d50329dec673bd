// browser.mjs — Debian's Chromium, headless, as the e2e tests drive it, and
// the checks every page gets: axe-core (WCAG 2.1 A and AA) and a screenshot
// kept as a test artefact.
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { chromium } from 'playwright-core';

export const BASE = process.env.LINKS_BASE_URL ?? 'http://127.0.0.1:8080';
const ARTIFACTS = join(process.env.LINKS_SRC ?? join(dirname(fileURLToPath(import.meta.url)), '../..'), 'tests/artifacts/e2e');
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export async function launch() {
    mkdirSync(ARTIFACTS, { recursive: true });
    // No background networking: this machine's network is closed, and
    // Chromium's own connections would only fail.
    return chromium.launch({
        executablePath: '/usr/bin/chromium',
        args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
               '--disable-component-update', '--disable-sync'],
    });
}

/** A page that records script errors and CSP violations (the tests fail on any). */
export async function openPage(browser, options = {}) {
    // axe is injected as a script, which the site's CSP (rightly) refuses:
    // bypassCSP lets the test inject it; violations by the site's own code
    // are still caught through the securitypolicyviolation event below.
    const context = await browser.newContext({ bypassCSP: true, ...options });
    const page = await context.newPage();
    page.problems = [];
    page.on('pageerror', (e) => page.problems.push(`script error: ${e.message}`));
    page.on('console', (m) => {
        if (m.type() === 'error' && !/status of 4\d\d/.test(m.text())) page.problems.push(`console: ${m.text()}`);
    });
    return page;
}

export async function axeViolations(page) {
    await page.addScriptTag({ content: axeSource });
    return page.evaluate(async () => {
        const r = await window.axe.run(document, { runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] });
        return r.violations.map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
    });
}

/** Every page a test visits: axe-core clean, no script errors or CSP violations, a screenshot. */
export async function checkPage(page, name) {
    assert.deepEqual(await axeViolations(page), [], `${name}: axe-core violations`);
    assert.deepEqual(page.problems, [], `${name}: script errors or CSP violations`);
    await screenshot(page, name);
}

export async function screenshot(page, name) {
    await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
}

export const artifact = (name) => join(ARTIFACTS, name);

export const DEMO_PASSWORD = 'community-links-demo';

/** A new page signed in as a demo member of `board`, on the search page. */
export async function signedInPage(browser, username, board = 'ggc') {
    const page = await openPage(browser);
    await page.goto(`${BASE}/${board}/sign-in`);
    await page.fill('#username', username);
    await page.fill('#password', DEMO_PASSWORD);
    await page.click('main form button[type=submit]');
    await page.waitForSelector('#q');
    return page;
}

/** A valid CHI number (modulus 11) no other test is likely to use: a random
 * date of birth in 1970-1999 and serial. A CHI number is one patient: a test
 * that reused another's would be refused (another name) or change them. */
export function freshChi() {
    for (;;) {
        const dd = String(1 + Math.floor(Math.random() * 28)).padStart(2, '0');
        const mm = String(1 + Math.floor(Math.random() * 12)).padStart(2, '0');
        const yy = String(70 + Math.floor(Math.random() * 30));
        const nine = `${dd}${mm}${yy}${String(Math.floor(Math.random() * 1000)).padStart(3, '0')}`;
        const check = (11 - ([...nine].reduce((acc, d, i) => acc + Number(d) * (10 - i), 0) % 11)) % 11;
        if (check !== 10)
            return `${nine}${check}`;
    }
}
