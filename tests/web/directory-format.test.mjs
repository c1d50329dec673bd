// directory-format.test.mjs — how directory fields and changes read to champions.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { changeText, fieldLabel, reviewStateText, valueText } from '../../web/src/js/directory-format.mjs';

test('field labels', () => {
    assert.equal(fieldLabel('fees_description'), 'Cost');
    assert.equal(fieldLabel('phones'), 'Phone numbers');
    assert.equal(fieldLabel('some_new_field'), 'some new field');
});

test('review states', () => {
    assert.equal(reviewStateText('overdue'), 'Overdue');
    assert.equal(reviewStateText('due_soon'), 'Due soon');
    assert.equal(reviewStateText('current'), 'Up to date');
});

test('values', () => {
    assert.equal(valueText('alert', null), '(none)');
    assert.equal(valueText('phones', []), '(none)');
    assert.equal(valueText('is_free', false), 'no');
    assert.equal(valueText('phones', [{ number: '0141 496 0001' }, { number: '07700 900001', type: 'text' }]), '0141 496 0001, 07700 900001');
    assert.equal(valueText('schedules', [{ byday: 'MO', opens_at: '10:00', closes_at: '12:00' }, { byday: '1TU' }]), 'MO 10:00-12:00; 1TU');
    assert.equal(valueText('service_areas', [{ kind: 'council', code: 'S12000049', name: 'Glasgow City' }]), 'Glasgow City');
    assert.equal(valueText('categories', ['food-nutrition', 'money']), 'food-nutrition, money');
    assert.equal(valueText('minimum_age', 16), '16');
});

test('changes in words', () => {
    assert.equal(changeText({ by: 'ggc.champion', action: 'edited', field: 'phones', from: [{ number: '0141 496 0001' }], to: [{ number: '0141 496 0111' }] }),
                 'ggc.champion changed Phone numbers from 0141 496 0001 to 0141 496 0111');
    assert.equal(changeText({ by: 'ggc.admin', action: 'edited', field: 'alert', from: null, to: 'Closed Friday' }, { withWho: false }),
                 'Changed Notice from (none) to Closed Friday');
    assert.equal(changeText({ by: 'ggc.champion', action: 'reviewed', field: 'last_reviewed', from: '2025-01-01', to: '2026-12-02' }),
                 'ggc.champion confirmed it as still correct');
    assert.equal(changeText({ by: 'ggc.champion', action: 'reviewed', field: 'last_reviewed' }, { withWho: false }),
                 'Confirmed it as still correct');
    assert.equal(changeText({ by: 'ggc.champion', action: 'created', field: 'name', from: null, to: 'Partick Walkers' }),
                 'ggc.champion set Name to Partick Walkers');
});
