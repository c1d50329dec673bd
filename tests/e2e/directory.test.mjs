// directory.test.mjs — a champion keeps the directory current, in a real
// browser against the real stack: edits a service, meets a conflict when
// someone else's edit got there first, and works through the due-for-review
// list. Every page checked with axe-core and saved as a screenshot.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { BASE, checkPage, launch, openPage } from './browser.mjs';

const DEMO_PASSWORD = 'community-links-demo';
let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

async function signedIn(username, path) {
    const page = await openPage(browser);
    await page.goto(`${BASE}/ggc/sign-in?next=${encodeURIComponent(path)}`);
    await page.fill('#username', username);
    await page.fill('#password', DEMO_PASSWORD);
    await page.click('main form button[type=submit]');
    const wanted = new URL(path, BASE);
    await page.waitForURL((url) => url.pathname === wanted.pathname && url.search === wanted.search);
    return page;
}

/** A request as the page's signed-in user (cookie and CSRF token of that session). */
async function api(page, method, path, body, headers = {}) {
    return page.evaluate(async ({ method, path, body, headers }) => {
        const session = await (await fetch('/api/v1/session')).json();
        const r = await fetch(`/api/v1${path}`, {
            method, body: body === undefined ? undefined : JSON.stringify(body),
            headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': session.csrf_token, ...headers },
        });
        return { status: r.status, etag: r.headers.get('etag'), body: await r.json() };
    }, { method, path, body, headers });
}

describe('a champion keeps the directory current', () => {
    test('edits a service: the change shows in search and in its history', async () => {
        const page = await signedIn('ggc.champion', '/ggc/directory');
        await page.waitForSelector('h1:has-text("Keep the directory current")');
        assert.match(await page.textContent('.nhsuk-header__account'), /Directory/);
        await page.click('a:has-text("All services")');
        await page.waitForSelector('table');
        await page.fill('#q', 'Partick Walking Group');
        await page.click('form[role=search] button');
        await page.waitForSelector('tbody tr a:has-text("Partick Walking Group")');
        await page.click('tbody tr a:has-text("Partick Walking Group")');
        await page.waitForSelector('#description');
        await checkPage(page, '40-directory-edit');

        const notice = `Meets at the church hall door from ${Date.now().toString(36)}`;
        await page.fill('#alert', notice);
        await page.click('button:has-text("Save changes")');
        await page.waitForSelector('.nhsuk-notification-banner, [role=status]:has-text("saved"), .links-flash');
        assert.match(await page.textContent('main'), /Your changes have been saved/);
        assert.equal(await page.inputValue('#alert'), notice);

        await page.click('a:has-text("History of changes")');
        await page.waitForSelector('table');
        const first = await page.textContent('tbody tr');
        assert.match(first, /ggc\.champion/);
        assert.match(first, new RegExp(`Changed Notice from \\(none\\) to ${notice}`));
        await checkPage(page, '41-directory-history');

        const staff = await openPage(browser);
        await staff.goto(`${BASE}/ggc/?q=${encodeURIComponent('Partick Walking Group')}&postcode=G11+6DG`);
        await staff.waitForSelector('.links-result');
        assert.match(await staff.textContent('.links-result'), new RegExp(`Please note: ${notice}`));
    });

    test('a conflict: someone else saved first; their change is shown, nothing of theirs is lost, then the edit goes through', async () => {
        const page = await signedIn('ggc.champion', '/ggc/directory?view=all');
        await page.fill('#q', 'Hillhead Health Walk');
        await page.click('form[role=search] button');
        await page.click('tbody tr a:has-text("Hillhead Health Walk")');
        await page.waitForSelector('#description');
        const id = new URL(page.url()).pathname.split('/').pop();

        // Meanwhile the board administrator changes the phone number.
        const admin = await signedIn('ggc.admin', '/ggc/directory');
        const current = await api(admin, 'GET', `/boards/ggc/directory/services/${id}`);
        const theirPhone = `0141 496 ${String(Date.now() % 10000).padStart(4, '0')}`;
        const theirs = await api(admin, 'PATCH', `/boards/ggc/directory/services/${id}`, { phones: [{ number: theirPhone, type: 'voice' }] },
                                 { 'If-Match': current.etag });
        assert.equal(theirs.status, 200);

        // The champion, on the version they opened, changes the notice.
        const myNotice = `Bring water ${Date.now().toString(36)}`;
        await page.fill('#alert', myNotice);
        await page.click('button:has-text("Save changes")');
        await page.waitForSelector('#conflict-title');
        assert.match(await page.title(), /^Error:/);
        const panel = await page.textContent('.nhsuk-error-summary');
        assert.match(panel, /Someone else changed this service while you were editing it/);
        assert.match(panel, new RegExp(`ggc\\.admin changed Phone numbers from .* to ${theirPhone}`));
        assert.equal(await page.evaluate(() => document.activeElement.classList.contains('nhsuk-error-summary')), true);
        // The form now has their phone and my notice.
        assert.equal(await page.inputValue('#phone'), theirPhone);
        assert.equal(await page.inputValue('#alert'), myNotice);
        await checkPage(page, '42-directory-conflict');

        await page.click('button:has-text("Save changes")');
        await page.waitForSelector('text=Your changes have been saved');
        const after = await api(page, 'GET', `/boards/ggc/directory/services/${id}`);
        assert.equal(after.body.alert, myNotice);
        assert.equal(after.body.phones[0].number, theirPhone, 'the other change survived');
    });

    test('works through the due-for-review list: "Still correct" takes a service off it', async () => {
        const page = await signedIn('ggc.champion', '/ggc/directory');
        await page.waitForSelector('table');
        await checkPage(page, '43-directory-due');
        const caption = await page.textContent('caption');
        const before = Number(caption.match(/^(\d+)/)[1]);
        assert.ok(before > 0, 'the demo has services due for review');
        const firstName = (await page.textContent('tbody tr td a')).trim();
        assert.match(await page.textContent('tbody tr'), /Overdue|Due/);
        await page.click('tbody tr:first-child button:has-text("Still correct")');
        await page.waitForSelector(`[role=status]:has-text("${firstName} confirmed as still correct")`);
        assert.match(await page.textContent('tbody tr:first-child'), /Up to date/);
        await page.reload();
        await page.waitForSelector('caption');
        assert.equal(Number((await page.textContent('caption')).match(/^(\d+)/)[1]), before - 1);
        assert.ok(!(await page.textContent('tbody')).includes(firstName), 'reviewed: no longer due');
        // The freshness summary is on the same page.
        assert.match(await page.textContent('#freshness'), /By champion/);
    });
});
