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

/** One weekly schedule: "Tuesdays, 10am to 12 noon". */
export function scheduleText(schedule) {
    const days = schedule.byday.split(',').map((d) => `${DAY_NAMES[d] ?? d}s`);
    const text = `${listInWords(days)}, ${clockTime(schedule.opens_at)} to ${clockTime(schedule.closes_at)}`;
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
