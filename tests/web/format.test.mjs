// format.test.mjs — how the front end words directory facts (web/src/js/format.mjs).
// Expected strings are written out by hand from the NHS.UK content style
// (12 noon, 10.30am, "and" before the last item), not produced by the code.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { addressText, agesText, clockTime, costText, distanceText, handoutText, listInWords, openingText, reachText,
         scheduleText, shortDescription } from '../../web/src/js/format.mjs';

test('clock times read as NHS.UK writes them', () => {
    assert.equal(clockTime('09:30'), '9.30am');
    assert.equal(clockTime('10:00'), '10am');
    assert.equal(clockTime('12:00'), '12 noon');
    assert.equal(clockTime('12:30'), '12.30pm');
    assert.equal(clockTime('13:00'), '1pm');
    assert.equal(clockTime('19:05'), '7.05pm');
    assert.equal(clockTime('00:00'), 'midnight');
});

test('days and schedules', () => {
    assert.equal(listInWords([]), '');
    assert.equal(listInWords(['Monday']), 'Monday');
    assert.equal(listInWords(['Monday', 'Friday']), 'Monday and Friday');
    assert.equal(listInWords(['Monday', 'Wednesday', 'Friday']), 'Monday, Wednesday and Friday');
    assert.equal(scheduleText({ byday: 'TU', opens_at: '10:00', closes_at: '12:00', description: null }), 'Tuesdays, 10am to 12 noon');
    assert.equal(scheduleText({ byday: 'MO,TH', opens_at: '18:00', closes_at: '20:00', description: 'term time only' }),
                 'Mondays and Thursdays, 6pm to 8pm (term time only)');
    assert.equal(scheduleText({ freq: 'WEEKLY', byday: 'FR', opens_at: '22:00', closes_at: '08:00', description: null }),
                 'Fridays, 10pm to 8am (overnight)');
    assert.equal(scheduleText({ freq: 'MONTHLY', byday: '1TU', opens_at: '14:00', closes_at: '16:00', description: null }),
                 'The first Tuesday of the month, 2pm to 4pm');
    assert.equal(scheduleText({ freq: 'MONTHLY', byday: '-1FR', opens_at: '10:00', closes_at: '11:00', description: null }),
                 'The last Friday of the month, 10am to 11am');
    assert.equal(scheduleText({ freq: 'MONTHLY', byday: null, bymonthday: '1,15', opens_at: null, closes_at: null, description: null }),
                 'The 1st and 15th of the month');
    assert.equal(scheduleText({ freq: 'WEEKLY', byday: 'WE', opens_at: null, closes_at: null, description: 'by appointment' }),
                 'Wednesdays (by appointment)');
    assert.equal(openingText([]), null);
    assert.equal(openingText([{ byday: 'SA', opens_at: '09:30', closes_at: '11:00', description: null },
                              { byday: 'SU', opens_at: '14:00', closes_at: '16:00', description: null }]),
                 'Saturdays, 9.30am to 11am; Sundays, 2pm to 4pm');
});

test('distances and reach: no distance for services that cover an area', () => {
    assert.equal(distanceText(0.004), '10 m');
    assert.equal(distanceText(0.354), '350 m');
    assert.equal(distanceText(1.25), '1.3 km');
    assert.equal(distanceText(12.4), '12 km');
    assert.equal(reachText({ area: 'local', distance_km: 2 }, 'NHS Fife'), '2.0 km away');
    assert.equal(reachText({ area: 'board', distance_km: 2 }, 'NHS Fife'), 'Covers all of NHS Fife');
    assert.equal(reachText({ area: 'national', distance_km: 30 }, 'NHS Fife'), 'Available across Scotland');
    assert.equal(reachText({ area: 'local', distance_km: null }, 'NHS Fife'), null);
    assert.equal(reachText({ area: 'local', distance_km: null, covers: 'Glasgow City' }, 'NHS GGC'), 'Covers Glasgow City');
});

test('addresses, costs and short descriptions', () => {
    assert.equal(addressText({ name: 'Govan Library', address: 'Govan Library', city: 'Glasgow', postcode: 'G51 1AA' }),
                 'Govan Library, Glasgow, G51 1AA');
    assert.equal(addressText(null), null);
    assert.equal(costText({ is_free: true, fees: null }), 'Free');
    assert.equal(costText({ is_free: false, fees: '£2 a session' }), '£2 a session');
    assert.equal(costText({ is_free: false, fees: null }), 'There is a charge');
    assert.equal(shortDescription('Short.'), 'Short.');
    const long = 'word '.repeat(100);
    const cut = shortDescription(long, 50);
    assert.ok(cut.length <= 51 && cut.endsWith('…') && !cut.includes('  '), cut);
});

test('the handout as text: one block a service, only what the patient needs', () => {
    const items = [
        { name: 'Govan Walking Group', area: 'local', location: { name: 'Govan Library', address: 'Govan Library', city: 'Glasgow', postcode: 'G51 1AA' },
          schedules: [{ byday: 'WE', opens_at: '10:00', closes_at: '12:00', description: null }], phone: '0141 496 0001',
          url: 'https://example.org/walk', email: null, is_free: true, fees: null },
        { name: 'Fife Debt Line', area: 'board', location: null, schedules: [], phone: null, url: null, email: 'help@example.org',
          is_free: true, fees: null },
    ];
    assert.equal(handoutText(items, 'NHS Fife', new Date('2026-12-02T12:00:00Z')),
        'Community resources for you (NHS Fife, 2 December 2026)\n\n' +
        'Govan Walking Group\nWhere: Govan Library, Glasgow, G51 1AA\nWhen: Wednesdays, 10am to 12 noon\n' +
        'Phone: 0141 496 0001\nWeb: https://example.org/walk\nCost: Free\n\n' +
        'Fife Debt Line\nCovers all of NHS Fife\nEmail: help@example.org\nCost: Free\n');
});

test('ages', () => {
    assert.equal(agesText({ minimum_age: null, maximum_age: null }), null);
    assert.equal(agesText({}), null);
    assert.equal(agesText({ minimum_age: 11, maximum_age: 18 }), 'Ages 11 to 18');
    assert.equal(agesText({ minimum_age: 60, maximum_age: null }), 'Ages 60 and over');
    assert.equal(agesText({ minimum_age: null, maximum_age: 5 }), 'Ages up to 5');
    assert.equal(agesText({ minimum_age: 0, maximum_age: null }), 'Ages 0 and over');
});
