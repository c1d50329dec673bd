// format.mjs — how directory facts read to staff and patients. Pure
// functions (no DOM), so they are unit-tested in node and shared by the
// pages and the handout text.

const DAY_NAMES = { MO: 'Monday', TU: 'Tuesday', WE: 'Wednesday', TH: 'Thursday', FR: 'Friday', SA: 'Saturday', SU: 'Sunday' };

/** "10:00" -> "10am", "12:00" -> "12 noon", "10:30" -> "10.30am", "13:00" -> "1pm", "00:00" -> "midnight". */
export function clockTime(hhmm) {
    const [h, m] = hhmm.split(':').map(Number);
    if (h === 12 && m === 0) return '12 noon';
    if (h === 0 && m === 0) return 'midnight';
    const hour12 = h % 12 === 0 ? 12 : h % 12;
    const minutes = m === 0 ? '' : `.${String(m).padStart(2, '0')}`;
    return `${hour12}${minutes}${h < 12 ? 'am' : 'pm'}`;
}

/** ["Monday", "Wednesday", "Friday"] -> "Monday, Wednesday and Friday". */
export function listInWords(words) {
    if (words.length <= 1) return words.join('');
    return `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}`;
}

const ORDINALS = { 1: 'first', 2: 'second', 3: 'third', 4: 'fourth', 5: 'fifth', '-1': 'last', '-2': 'second last' };

/** "1TU" -> "the first Tuesday", "-1FR" -> "the last Friday". */
function monthlyDay(code) {
    const m = /^([+-]?\d)?([A-Z]{2})$/.exec(code);
    if (!m) return code;
    const day = DAY_NAMES[m[2]] ?? m[2];
    return m[1] ? `the ${ORDINALS[String(Number(m[1]))] ?? m[1]} ${day}` : `every ${day}`;
}

/** "1" -> "1st", "22" -> "22nd", "-1" -> "last day". */
function dayOfMonth(n) {
    const v = Number(n);
    if (v === -1) return 'last day';
    const suffix = v % 10 === 1 && v !== 11 ? 'st' : v % 10 === 2 && v !== 12 ? 'nd' : v % 10 === 3 && v !== 13 ? 'rd' : 'th';
    return `${v}${suffix}`;
}

/**
 * One schedule: "Tuesdays, 10am to 12 noon"; "The first Tuesday of the
 * month, 2pm to 4pm"; "Fridays, 10pm to 8am (overnight)"; times left out
 * when they are not known.
 */
export function scheduleText(schedule) {
    let when;
    if (schedule.freq === 'MONTHLY') {
        when = schedule.byday
            ? `${listInWords(schedule.byday.split(',').map(monthlyDay))} of the month`
            : `the ${listInWords((schedule.bymonthday ?? '').split(',').map(dayOfMonth))} of the month`;
        when = when.charAt(0).toUpperCase() + when.slice(1);
    } else {
        when = listInWords((schedule.byday ?? '').split(',').map((d) => `${DAY_NAMES[d] ?? d}s`));
    }
    let text = when;
    if (schedule.opens_at && schedule.closes_at) {
        text += `, ${clockTime(schedule.opens_at)} to ${clockTime(schedule.closes_at)}`;
        if (schedule.closes_at <= schedule.opens_at) text += ' (overnight)';
    }
    return schedule.description ? `${text} (${schedule.description})` : text;
}

/** All of a service's opening times in one line, or null when unknown. */
export function openingText(schedules) {
    if (!schedules || schedules.length === 0) return null;
    return schedules.map(scheduleText).join('; ');
}

/** Kilometres as staff read them: "350 m", "1.2 km", "12 km". */
export function distanceText(km) {
    if (km < 1) return `${Math.max(10, Math.round(km * 100) * 10)} m`;
    if (km < 10) return `${km.toFixed(1)} km`;
    return `${Math.round(km)} km`;
}

/**
 * Where a result is, relative to the patient: a distance for local
 * services; board-wide and national services cover an area, and a distance
 * to their office would mislead.
 */
export function reachText(item, boardName) {
    if (item.area === 'national') return 'Available across Scotland';
    if (item.area === 'board') return `Covers all of ${boardName}`;
    if (item.covers) return `Covers ${item.covers}`;
    if (item.distance_km === null || item.distance_km === undefined) return null;
    return `${distanceText(item.distance_km)} away`;
}

/** "Partick Library, 1 High St, Glasgow, G11 5PQ" (parts that exist, deduplicated). */
export function addressText(location) {
    if (!location) return null;
    const parts = [];
    for (const p of [location.name, location.address, location.city, location.postcode])
        if (p && !parts.includes(p)) parts.push(p);
    return parts.join(', ');
}

export function costText(item) {
    if (item.is_free) return 'Free';
    return item.fees ? item.fees : 'There is a charge';
}

/** The first sentences of a description, cut at a word (demo entries keep their "Demo entry:" marker, so a demo handout never looks real). */
export function shortDescription(text, max = 220) {
    if (!text) return '';
    if (text.length <= max) return text;
    const cut = text.slice(0, max);
    const lastSpace = cut.lastIndexOf(' ');
    return `${cut.slice(0, lastSpace > max * 0.6 ? lastSpace : max).replace(/[\s,.;:]+$/, '')}…`;
}

/**
 * The handout as plain text, for a letter or an SMS: one block a service,
 * only what the patient needs to get there or get in touch.
 */
export function handoutText(items, boardName, date = new Date()) {
    const when = date.toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric' });
    const lines = [`Community resources for you (${boardName}, ${when})`, ''];
    for (const item of items) {
        lines.push(item.name);
        const address = addressText(item.location);
        if (item.area === 'local' && address) lines.push(`Where: ${address}`);
        else if (item.area !== 'local') lines.push(reachText(item, boardName));
        const opening = openingText(item.schedules);
        if (opening) lines.push(`When: ${opening}`);
        if (item.phone) lines.push(`Phone: ${item.phone}`);
        if (item.url) lines.push(`Web: ${item.url}`);
        if (item.email) lines.push(`Email: ${item.email}`);
        lines.push(`Cost: ${costText(item)}`);
        lines.push('');
    }
    return lines.join('\n').trimEnd() + '\n';
}

/** "Ages 11 to 18", "Ages 60 and over", "Under 5s"; null when any age. */
export function agesText(item) {
    const min = item.minimum_age ?? null, max = item.maximum_age ?? null;
    if (min === null && max === null) return null;
    if (min !== null && max !== null) return `Ages ${min} to ${max}`;
    if (min !== null) return `Ages ${min} and over`;
    return `Ages up to ${max}`;
}
