// staff.test.mjs — signing in and out, and a board administrator managing a
// staff member, in a real browser against the real stack; every page checked
// with axe-core and saved as a screenshot.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { BASE, checkPage, launch, openPage } from './browser.mjs';

const DEMO_PASSWORD = 'community-links-demo';
let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });


async function signIn(page, username, password) {
    await page.fill('#username', username);
    await page.fill('#password', password);
    await page.click('main form button[type=submit]');
}

const account = (page) => page.textContent('.nhsuk-header__account');
const unique = () => `e2e.${Date.now().toString(36)}.${Math.floor(Math.random() * 1e6)}`;

describe('signing in and managing staff', () => {
    test('sign in from the header, see who is signed in, and a wrong password explained', async () => {
        const page = await openPage(browser);
        await page.goto(`${BASE}/ggc/`);
        await page.waitForSelector('#q');
        await page.click('.nhsuk-header__account-link:has-text("Sign in")');
        await page.waitForSelector('#username');
        assert.equal(new URL(page.url()).pathname, '/ggc/sign-in');
        assert.equal(await page.title(), 'Sign in – Community Links');
        await checkPage(page, '20-sign-in');

        await signIn(page, 'ggc.admin', 'not the password');
        await page.waitForSelector('.nhsuk-error-summary');
        assert.match(await page.title(), /^Error: Sign in/);
        assert.match(await page.textContent('.nhsuk-error-summary'), /The username or password is not right/);
        assert.equal(await page.evaluate(() => document.activeElement.classList.contains('nhsuk-error-summary')), true);
        await checkPage(page, '21-sign-in-wrong-password');

        await signIn(page, 'ggc.admin', DEMO_PASSWORD);
        await page.waitForSelector('#q');
        assert.equal(new URL(page.url()).pathname, '/ggc/');
        const who = await account(page);
        assert.match(who, /Demo Board administrator \(ggc\)/);
        assert.match(who, /Board administrator, NHS Greater Glasgow and Clyde/);
        assert.match(who, /Staff/);
        assert.match(who, /Sign out/);
        await checkPage(page, '22-signed-in-search');
    });

    test('a board administrator adds a staff member, changes their role, disables them, and reads the audit log', async () => {
        const page = await openPage(browser);
        await page.goto(`${BASE}/ggc/sign-in`);
        await signIn(page, 'ggc.admin', DEMO_PASSWORD);
        await page.waitForSelector('#q');
        await page.click('.nhsuk-header__account-link:has-text("Staff")');
        await page.waitForSelector('table');
        assert.equal(await page.title(), 'Staff – Community Links');
        const rows = await page.$$eval('tbody tr', (trs) => trs.map((tr) => tr.textContent));
        assert.ok(rows.some((r) => r.includes('ggc.receptionist')));
        assert.ok(!rows.some((r) => r.includes('fife.')), 'no Fife staff on the Glasgow list');
        await page.fill('#find-staff', 'GGC.NURSE');
        assert.equal(await page.locator('tbody tr:visible').count(), 1);
        assert.match(await page.textContent('#find-staff-status'), new RegExp(`^1 of ${rows.length} accounts shown$`));
        await checkPage(page, '23-staff-list');
        await page.fill('#find-staff', '');
        assert.equal(await page.locator('tbody tr:visible').count(), rows.length);

        await page.click('a:has-text("Add a staff member")');
        await page.waitForSelector('#display_name');
        await page.fill('#username', 'Not Valid!');
        await page.fill('#password', 'short');
        await page.click('main form button[type=submit]');
        await page.waitForSelector('.nhsuk-error-summary');
        const errors = await page.textContent('.nhsuk-error-summary');
        assert.match(errors, /Full name must not be empty|Full name is required/);
        assert.match(errors, /Username must be 2 to 64 lower-case letters/);
        assert.match(errors, /Temporary password must be at least 12 characters/);
        assert.equal(await page.getAttribute('#username', 'aria-describedby'), 'username-hint username-error');
        await checkPage(page, '24-add-staff-errors');

        const username = unique();
        await page.fill('#display_name', 'Morag Test');
        await page.fill('#username', username);
        await page.selectOption('#role', 'receptionist');
        await page.selectOption('#practice_id', { index: 1 });
        await page.fill('#password', 'temporary password 1');
        await page.click('main form button[type=submit]');
        await page.waitForSelector('h1:has-text("Morag Test")');
        assert.match(await page.textContent('.nhsuk-notification-banner'), new RegExp(`can now sign in as ${username.replace(/\./g, '\\.')}`));
        assert.match(await page.textContent('.nhsuk-summary-list'), /Receptionist/);
        assert.match(await page.textContent('.nhsuk-summary-list'), /Must choose a password/);
        await checkPage(page, '25-staff-member');

        await page.selectOption('#role', 'gp');
        await page.click('button:has-text("Save changes")');
        await page.waitForSelector('.nhsuk-notification-banner:has-text("Changes saved")');
        assert.match(await page.textContent('.nhsuk-summary-list'), /Role\s*GP/);

        await page.click('button:has-text("Disable account")');
        await page.waitForSelector('.nhsuk-notification-banner:has-text("can no longer sign in")');
        assert.match(await page.textContent('.nhsuk-summary-list'), /Disabled/);
        assert.ok(await page.isVisible('button:has-text("Enable account")'));
        await checkPage(page, '26-staff-member-disabled');

        await page.click('a:has-text("Back to staff")');
        await page.click('a:has-text("Search the audit log")');
        await page.waitForSelector('table');
        await page.fill('#actor', 'ggc.admin');
        await page.selectOption('#action', 'staff.');
        await page.click('button:has-text("Search the log")');
        await page.waitForFunction(() => new URL(location.href).searchParams.get('action') === 'staff.');
        await page.waitForSelector('tbody tr');
        const log = await page.textContent('tbody');
        assert.match(log, /Role changed/);
        assert.ok(log.includes(`account ${username}; role: Receptionist → GP`), log.slice(0, 300));
        assert.ok(log.includes(`Account disabledDetails account ${username}`), 'whose account was disabled');
        await checkPage(page, '27-audit-log');
    });

    test('sign out ends the session; a staff page then asks to sign in and returns there afterwards', async () => {
        const page = await openPage(browser);
        await page.goto(`${BASE}/ggc/sign-in`);
        await signIn(page, 'ggc.admin', DEMO_PASSWORD);
        await page.waitForSelector('#q');
        await page.click('.nhsuk-header__account-button:has-text("Sign out")');
        await page.waitForSelector('.nhsuk-notification-banner:has-text("You have signed out")');
        assert.equal(new URL(page.url()).pathname, '/ggc/sign-in');
        assert.match(await account(page), /Sign in/);
        await checkPage(page, '28-signed-out');
        const status = await page.evaluate(async () => (await fetch('/api/v1/session')).status);
        assert.equal(status, 401, 'the cookie no longer works');

        await page.goto(`${BASE}/ggc/staff`);
        await page.waitForSelector('#username');
        assert.equal(new URL(page.url()).pathname, '/ggc/sign-in');
        assert.equal(new URL(page.url()).searchParams.get('next'), '/ggc/staff');
        await signIn(page, 'ggc.admin', DEMO_PASSWORD);
        await page.waitForSelector('table');
        assert.equal(new URL(page.url()).pathname, '/ggc/staff');
    });

    test('a session ended elsewhere is explained on the next action, and the user is brought back', async () => {
        const page = await openPage(browser);
        await page.goto(`${BASE}/ggc/sign-in`);
        await signIn(page, 'ggc.admin', DEMO_PASSWORD);
        await page.waitForSelector('#q');
        await page.click('.nhsuk-header__account-link:has-text("Staff")');
        await page.waitForSelector('table');
        // The session ends behind the page's back, as when it times out or
        // an administrator disables the account: the browser keeps its
        // cookie, which no longer works.
        const [cookie] = await page.context().cookies();
        const headers = { Cookie: `${cookie.name}=${cookie.value}` };
        const me = await (await fetch(`${BASE}/api/v1/session`, { headers })).json();
        const ended = await fetch(`${BASE}/api/v1/session`, { method: 'DELETE', headers: { ...headers, 'X-CSRF-Token': me.csrf_token } });
        assert.equal(ended.status, 204);
        await page.click('tbody a >> nth=0');
        await page.waitForSelector('#username');
        assert.match(await page.textContent('.nhsuk-notification-banner'), /You have signed out\. Please sign in again\./);
        const next = new URL(page.url()).searchParams.get('next');
        assert.match(next, /^\/ggc\/staff\/[0-9a-f-]{36}$/);
        await checkPage(page, '29-session-ended');
        await signIn(page, 'ggc.admin', DEMO_PASSWORD);
        await page.waitForSelector('.nhsuk-summary-list');
        assert.equal(new URL(page.url()).pathname, next);
    });

    test('someone given a temporary password must choose their own before anything else', async () => {
        const admin = await openPage(browser);
        const username = unique();
        await admin.goto(`${BASE}/fife/sign-in`);
        await signIn(admin, 'fife.admin', DEMO_PASSWORD);
        await admin.waitForSelector('#q');
        await admin.goto(`${BASE}/fife/staff/new`);
        await admin.waitForSelector('#display_name');
        await admin.fill('#display_name', 'Ewan Starter');
        await admin.fill('#username', username);
        await admin.selectOption('#role', 'links_worker');
        await admin.fill('#password', 'temporary password 1');
        await admin.click('main form button[type=submit]');
        await admin.waitForSelector('h1:has-text("Ewan Starter")');

        const page = await openPage(browser);
        await page.goto(`${BASE}/fife/sign-in`);
        await signIn(page, username, 'temporary password 1');
        await page.waitForSelector('#new_password');
        assert.equal(new URL(page.url()).pathname, '/account/password');
        await checkPage(page, '30-choose-password');
        await page.goto(`${BASE}/fife/`);
        await page.waitForSelector('#new_password');
        assert.equal(new URL(page.url()).pathname, '/account/password', 'nothing else opens until the password is changed');

        await page.fill('#current_password', 'temporary password 1');
        await page.fill('#new_password', 'my own new password');
        await page.fill('#confirm_password', 'my own new passwor');
        await page.click('main form button[type=submit]');
        await page.waitForSelector('.nhsuk-error-summary');
        assert.match(await page.textContent('.nhsuk-error-summary'), /different/);
        assert.equal(await page.inputValue('#new_password'), '', 'passwords are not kept after an error');
        await page.fill('#current_password', 'temporary password 1');
        await page.fill('#new_password', 'my own new password');
        await page.fill('#confirm_password', 'my own new password');
        await page.click('main form button[type=submit]');
        await page.waitForSelector('#q');
        assert.match(await page.textContent('.nhsuk-notification-banner'), /Your password has been changed/);
        assert.match(await account(page), /Ewan Starter/);
        assert.doesNotMatch(await account(page), /Staff/, 'a links worker has no staff page');
        const staff = await page.evaluate(async () => (await fetch('/api/v1/boards/fife/staff')).status);
        assert.equal(staff, 403);
    });

    test('a board administrator adds a practice, corrects its list size and closes it', async () => {
        const page = await openPage(browser);
        await page.goto(`${BASE}/fife/sign-in`);
        await signIn(page, 'fife.admin', DEMO_PASSWORD);
        await page.waitForSelector('#q');
        await page.click('.nhsuk-header__account-link:has-text("Practices")');
        await page.waitForSelector('table');
        assert.equal(await page.title(), 'Practices – Community Links');
        await checkPage(page, '31-practices');
        await page.click('a:has-text("Add a practice")');
        await page.waitForSelector('#code');
        await page.click('main form button[type=submit]');
        await page.waitForSelector('.nhsuk-error-summary');
        assert.match(await page.textContent('.nhsuk-error-summary'), /Practice code/);
        await checkPage(page, '32-add-practice-errors');
        // A code no real practice has (99500-99999); another one if taken.
        const name = `Links Test Surgery ${Date.now().toString(36)}`;
        for (let attempt = 0; ; attempt++) {
            await page.fill('#name', name);
            await page.fill('#code', String(99500 + Math.floor(Math.random() * 500)));
            await page.fill('#address', '1 High Street, Kirkcaldy');
            await page.fill('#postcode', 'ky11ab');
            await page.fill('#list_size', '5200');
            await page.check('#has_links_worker');
            // wait for the answer: the first attempt's error summary is still
            // on the page until it comes
            await Promise.all([
                page.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith('/practices')),
                page.click('main form button[type=submit]'),
            ]);
            await page.waitForSelector('.nhsuk-notification-banner, .nhsuk-error-summary');
            if (await page.isVisible('.nhsuk-notification-banner') || attempt === 2) break;
        }
        assert.equal(await page.textContent('.nhsuk-notification-banner p'), `${name} has been added.`);
        const row = page.locator('tbody tr', { hasText: name });
        assert.match(await row.textContent(), /KY1 1AB/);
        assert.match(await row.textContent(), /5,200/);
        await row.locator('a').click();
        await page.waitForSelector('#list_size');
        await page.fill('#list_size', '5350');
        await page.click('button:has-text("Save changes")');
        await page.waitForSelector('.nhsuk-notification-banner:has-text("Changes saved")');
        assert.equal(await page.inputValue('#list_size'), '5350');
        await page.click('button:has-text("Close practice")');
        await page.waitForSelector('.nhsuk-notification-banner:has-text("is closed")');
        assert.ok(await page.isVisible('button:has-text("Reopen practice")'));
        await checkPage(page, '33-practice-closed');
    });

    test('an error summary link takes focus to its field and keeps what was typed', async () => {
        const page = await openPage(browser);
        await page.goto(`${BASE}/ggc/sign-in`);
        await page.fill('#username', 'ggc.nurse');
        await page.press('#username', 'Enter');
        await page.waitForSelector('.nhsuk-error-summary');
        await page.click('.nhsuk-error-summary a:has-text("Enter your password")');
        assert.equal(await page.evaluate(() => document.activeElement.id), 'password');
        assert.equal(await page.inputValue('#username'), 'ggc.nurse', 'the form was not redrawn');
        await page.fill('#password', DEMO_PASSWORD);
        await page.press('#password', 'Enter');
        await page.waitForSelector('#q');
        assert.match(await account(page), /Demo Practice nurse/);
    });

    test('a board administrator makes an API token, sees it once, and revokes it', async () => {
        const page = await openPage(browser);
        await page.goto(`${BASE}/ggc/sign-in`);
        await signIn(page, 'ggc.admin', DEMO_PASSWORD);
        await page.waitForSelector('#q');
        await page.goto(`${BASE}/ggc/tokens`);
        await page.waitForSelector('#name');
        const name = `Booking system ${Date.now().toString(36)}`;
        await page.fill('#name', name);
        await page.selectOption('#role', 'receptionist');
        await page.click('main form button[type=submit]');
        await page.waitForSelector('#token-value');
        const token = await page.inputValue('#token-value');
        assert.match(token, /^S08000031\.[A-Za-z0-9_-]{43}$/);
        await checkPage(page, '34-token-made');
        const use = () => fetch(`${BASE}/api/v1/boards/ggc/practices`, { headers: { Authorization: `Bearer ${token}` } }).then((r) => r.status);
        assert.equal(await use(), 200);
        await page.reload();
        await page.waitForSelector('table');
        assert.equal(await page.locator('#token-value').count(), 0, 'shown only once');
        const row = page.locator('tbody tr', { hasText: name });
        assert.match(await row.textContent(), /Receptionist.*Active/s);
        await row.locator('button:has-text("Revoke")').click();
        await page.waitForSelector('.nhsuk-notification-banner:has-text("no longer works")');
        assert.match(await page.locator('tbody tr', { hasText: name }).textContent(), /Revoked/);
        assert.equal(await use(), 401);
        await checkPage(page, '35-token-revoked');
    });

    test('a system administrator signs in from the chooser and reads the deployment log', async () => {
        const page = await openPage(browser);
        await page.goto(`${BASE}/`);
        await page.waitForSelector('h1');
        await page.click('.nhsuk-header__account-link:has-text("Sign in")');
        await page.waitForSelector('h2:has-text("System administrators")');
        assert.ok(await page.isVisible('a:has-text("Sign in to NHS Fife")'), 'board staff are sent to their board');
        await checkPage(page, '36-sign-in-chooser');
        await signIn(page, 'admin', DEMO_PASSWORD);
        await page.waitForSelector('h1');
        await page.click('.nhsuk-header__account-link:has-text("Deployment log")');
        await page.waitForSelector('table');
        assert.equal(await page.title(), 'Audit log – Community Links');
        assert.match(await page.textContent('tbody'), /Signed in/);
        await checkPage(page, '37-deployment-log');
    });
});
