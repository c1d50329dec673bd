// staff-format.mjs — words and formats for staff accounts (pure functions,
// unit-tested in tests/web/).

export const ROLE_LABELS = {
    receptionist: 'Receptionist',
    practice_nurse: 'Practice nurse',
    gp: 'GP',
    links_worker: 'Links worker',
    champion: 'Directory champion',
    board_admin: 'Board administrator',
    system_admin: 'System administrator',
};

/** The roles a board's accounts can have, in the order staff think of them. */
export const BOARD_ROLES = ['receptionist', 'practice_nurse', 'gp', 'links_worker', 'champion', 'board_admin'];

export const roleLabel = (role) => ROLE_LABELS[role] ?? role;

/** What state an account is in, most important first: [{ text, colour }]. */
export function accountStatus(member, now = new Date()) {
    const tags = [];
    if (member.disabled) tags.push({ text: 'Disabled', colour: 'grey' });
    if (member.locked && member.locked_until && new Date(member.locked_until) > now)
        tags.push({ text: `Locked until ${ukTime(member.locked_until)}`, colour: 'red' });
    if (member.must_change_password) tags.push({ text: 'Must choose a password', colour: 'yellow' });
    if (tags.length === 0) tags.push({ text: 'Active', colour: 'green' });
    return tags;
}

const TIME = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', hour: '2-digit', minute: '2-digit' });
const DAY_TIME = new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Europe/London', day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit',
});

export const ukTime = (iso) => TIME.format(new Date(iso));

/** "2 Dec 2026, 14:05" in UK time; "Never" for null. */
export function ukDateTime(iso) {
    return iso ? DAY_TIME.format(new Date(iso)) : 'Never';
}

/** An audit action in words: "sign_in.failed" -> "Sign-in failed". */
const ACTIONS = {
    sign_in: 'Signed in',
    'sign_in.failed': 'Sign-in failed',
    'sign_in.refused': 'Sign-in refused',
    'sign_in.throttled': 'Sign-in throttled',
    sign_out: 'Signed out',
    'session.expired': 'Session expired',
    'account.locked': 'Account locked',
    'csrf.rejected': 'Request refused (CSRF)',
    'password.changed': 'Changed own password',
    'password.change_failed': 'Password change failed',
    'staff.created': 'Account created',
    'staff.updated': 'Account changed',
    'staff.role_changed': 'Role changed',
    'staff.disabled': 'Account disabled',
    'staff.enabled': 'Account enabled',
    'staff.unlocked': 'Account unlocked',
    'staff.password_reset': 'Temporary password set',
    'practice.created': 'Practice added',
    'practice.updated': 'Practice changed',
    'token.created': 'API token made',
    'token.revoked': 'API token revoked',
};

export function actionLabel(action) {
    return ACTIONS[action] ?? action;
}

const FIELD_WORDS = { display_name: 'name', practice_id: 'practice', list_size: 'list size', has_links_worker: 'links worker' };
const show = (v) => (v === null || v === undefined ? '–' : v === true ? 'yes' : v === false ? 'no' : String(v));

/**
 * An audit entry's reason and detail in words: whose account, why, and
 * what changed from what to what ("role: receptionist → gp"; for a
 * practice, each field that changed). Ids are left out: the account's
 * username says whose it was.
 */
export function auditDetailText(entry) {
    const { account, from, to, ...rest } = entry.detail ?? {};
    const parts = [];
    if (account) parts.push(`account ${account}`);
    if (entry.reason) parts.push(entry.reason);
    if (from !== undefined || to !== undefined) {
        if ((from && typeof from === 'object') || (to && typeof to === 'object')) {
            for (const key of new Set([...Object.keys(from ?? {}), ...Object.keys(to ?? {})]))
                if (JSON.stringify(from?.[key]) !== JSON.stringify(to?.[key]))
                    parts.push(`${FIELD_WORDS[key] ?? key}: ${show(from?.[key])} → ${show(to?.[key])}`);
        } else {
            parts.push(`${entry.action === 'staff.role_changed' ? 'role: ' : ''}${roleOrValue(from)} → ${roleOrValue(to)}`);
        }
    }
    for (const [key, value] of Object.entries(rest)) {
        if (key.endsWith('_id')) continue;
        if (value && typeof value === 'object' && ('from' in value || 'to' in value))
            parts.push(`${FIELD_WORDS[key] ?? key}: ${show(value.from)} → ${show(value.to)}`);
        else
            parts.push(`${FIELD_WORDS[key] ?? key}: ${key === 'role' ? roleLabel(value) : show(value)}`);
    }
    return parts.join('; ');
}

function roleOrValue(v) {
    return typeof v === 'string' && v in ROLE_LABELS ? roleLabel(v) : show(v);
}
