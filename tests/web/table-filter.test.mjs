// table-filter.test.mjs — which rows "Find in this list" keeps (web/src/js/table-filter.mjs).
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { rowMatches } from '../../web/src/js/table-filter.mjs';

test('a row is kept when it contains every word typed, in any case and with or without accents', () => {
    const row = 'Name Morag Test Username m.test Role Receptionist Practice Abbey Medical Centre';
    assert.equal(rowMatches(row, ''), true);
    assert.equal(rowMatches(row, '   '), true);
    assert.equal(rowMatches(row, 'morag'), true);
    assert.equal(rowMatches(row, 'MORAG abbey'), true);
    assert.equal(rowMatches(row, 'morag fife'), false);
    assert.equal(rowMatches(row, 'm.test'), true);
    assert.equal(rowMatches('Name Seán Ó Briain', 'sean o briain'), true);
    assert.equal(rowMatches('Name Sean', 'seán'), true);
});
