// staff-format.test.mjs — how the front end words staff accounts and audit
// entries (web/src/js/staff-format.mjs), and where it lets a sign-in send
// people afterwards (session.mjs safeNext). Expected values written by hand.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { safeNext } from '../../web/src/js/session.mjs';
import { accountStatus, actionLabel, roleLabel, ukDateTime, ukTime } from '../../web/src/js/staff-format.mjs';

const member = { disabled: false, locked: false, locked_until: null, must_change_password: false };
const now = new Date('2026-12-02T14:00:00Z');

test('account status: active, disabled, locked (until when, UK time), must choose a password', () => {
    assert.deepEqual(accountStatus(member, now), [{ text: 'Active', colour: 'green' }]);
    assert.deepEqual(accountStatus({ ...member, disabled: true }, now), [{ text: 'Disabled', colour: 'grey' }]);
    // 14:20 UTC in December is 14:20 in the UK; in July it is 15:20 (BST).
    assert.deepEqual(accountStatus({ ...member, locked: true, locked_until: '2026-12-02T14:20:00Z' }, now),
                     [{ text: 'Locked until 14:20', colour: 'red' }]);
    assert.equal(ukTime('2026-07-02T14:20:00Z'), '15:20');
    // A lock that has run out is not shown.
    assert.deepEqual(accountStatus({ ...member, locked: true, locked_until: '2026-12-02T13:59:00Z' }, now),
                     [{ text: 'Active', colour: 'green' }]);
    assert.deepEqual(accountStatus({ ...member, disabled: true, must_change_password: true }, now),
                     [{ text: 'Disabled', colour: 'grey' }, { text: 'Must choose a password', colour: 'yellow' }]);
});

test('roles, times and audit actions in words', () => {
    assert.equal(roleLabel('practice_nurse'), 'Practice nurse');
    assert.equal(roleLabel('links_worker'), 'Links worker');
    assert.equal(roleLabel('something_new'), 'something_new');
    assert.equal(ukDateTime(null), 'Never');
    assert.equal(ukDateTime('2026-12-02T09:05:00Z'), '2 Dec 2026, 09:05');
    assert.equal(ukDateTime('2026-06-30T23:30:00Z'), '1 Jul 2026, 00:30');
    assert.equal(actionLabel('sign_in.failed'), 'Sign-in failed');
    assert.equal(actionLabel('staff.role_changed'), 'Role changed');
    assert.equal(actionLabel('referral.created'), 'referral.created');
});

test('after signing in, only a path on this site is followed', () => {
    assert.equal(safeNext('/ggc/staff', '/'), '/ggc/staff');
    assert.equal(safeNext('/ggc/staff?x=1', '/'), '/ggc/staff?x=1');
    for (const bad of ['https://evil.example/', '//evil.example/x', '/\\evil.example', 'javascript:alert(1)', '', null, undefined, 42])
        assert.equal(safeNext(bad, '/ggc/'), '/ggc/', String(bad));
});

test('audit details in words: whose account, why, and each change from what to what', async () => {
    const { auditDetailText } = await import('../../web/src/js/staff-format.mjs');
    assert.equal(auditDetailText({ action: 'staff.role_changed', detail: { from: 'receptionist', to: 'gp', account: 'j.smith' } }),
                 'account j.smith; role: Receptionist → GP');
    assert.equal(auditDetailText({ action: 'staff.disabled', detail: { account: 'j.smith' } }), 'account j.smith');
    assert.equal(auditDetailText({ action: 'sign_in.failed', reason: 'wrong password', detail: {} }), 'wrong password');
    assert.equal(auditDetailText({ action: 'practice.updated', detail: {
        from: { phone: null, list_size: 6500, has_links_worker: true, closed: false },
        to: { phone: '0141 000 0000', list_size: 7000, has_links_worker: true, closed: true } } }),
                 'phone: – → 0141 000 0000; list size: 6500 → 7000; closed: no → yes');
    assert.equal(auditDetailText({ action: 'staff.created', detail: { username: 'j.smith', role: 'practice_nurse', practice_id: 'b1c2' } }),
                 'username: j.smith; role: Practice nurse');
    assert.equal(auditDetailText({ action: 'staff.updated', detail: { account: 'a.b', display_name: { from: 'Jo', to: 'Joanne' } } }),
                 'account a.b; name: Jo → Joanne');
});
