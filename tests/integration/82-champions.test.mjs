// 82-champions: champions keep the directory current. Creating, editing,
// suspending and retiring services; ETag / If-Match so two champions never
// overwrite each other (412 with what changed); the change history field by
// field; "still correct" reviews; the due-for-review list; the freshness
// report; who may do what. Expected values come from the database and the
// documented rules.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { before, describe, test } from 'node:test';

import { search, waitForStack } from './lib/api.mjs';
import { env } from './lib/env.mjs';
import { lit, psql, sql, sqlOne } from './lib/db.mjs';
import { auditRows, BOARD_ROLES, signInDemo } from './lib/staff.mjs';

const T = {
    list: '/api/v1/boards/{board}/directory/services',
    one: '/api/v1/boards/{board}/directory/services/{id}',
    review: '/api/v1/boards/{board}/directory/services/{id}/review',
    history: '/api/v1/boards/{board}/directory/services/{id}/history',
    freshness: '/api/v1/boards/{board}/directory/freshness',
    settings: '/api/v1/boards/{board}/directory/settings',
};
const base = (board) => `/api/v1/boards/${board}/directory`;

let champion, admin, otherChampion, fifeChampion;
before(async () => {
    await waitForStack();
    champion = await signInDemo('ggc', 'champion');
    admin = await signInDemo('ggc', 'board_admin');
    fifeChampion = await signInDemo('fife', 'champion');
    otherChampion = admin;     // a second person who may edit the same service
});

/** A new service for a test, made through the API. */
async function create(session, fields = {}) {
    const body = {
        name: `Zedchamp ${randomUUID().slice(0, 8)}`,
        description: 'A service made by the champions test.',
        organization_name: 'Zedchamp organisation',
        location: { name: 'Zedchamp Hall', address_1: '1 Test Street', city: 'Glasgow', postcode: 'G12 8QQ' },
        ...fields,
    };
    const r = await session.send('POST', T.list, `${base('ggc')}/services`, body);
    assert.equal(r.status, 201, r.text.slice(0, 400));
    return r;
}

const etag = (r) => r.headers.get('etag');

describe('creating and editing', () => {
    test('a champion creates a service: it is searchable at once, and its creation is recorded field by field', async () => {
        const r = await create(champion, { phones: [{ number: '0141 496 0999', type: 'voice' }], categories: ['food-nutrition'],
                                           minimum_age: 16, schedules: [{ byday: 'WE', opens_at: '10:00', closes_at: '12:00' }] });
        const s = r.body;
        assert.match(r.headers.get('location'), new RegExp(`/directory/services/${s.id}$`));
        assert.equal(etag(r), `"${s.version}"`);
        assert.equal(s.champion.username, 'ggc.champion', 'whoever creates it looks after it');
        assert.deepEqual(s.phones, [{ number: '0141 496 0999', type: 'voice' }]);
        assert.deepEqual(s.categories, ['food-nutrition']);
        assert.equal(s.review_state, 'current');
        const found = await search('ggc', { q: s.name, postcode: 'G12 8QQ' });
        assert.deepEqual(found.items.map((i) => i.id), [s.id]);
        assert.equal(found.items[0].phone, '0141 496 0999');
        const history = (await champion.get(T.history, `${base('ggc')}/services/${s.id}/history`)).body.changes;
        const fields = history.filter((c) => c.action === 'created').map((c) => c.field).sort();
        assert.deepEqual(fields, ['categories', 'description', 'minimum_age', 'name', 'phones', 'schedules']);
        assert.ok(history.every((c) => c.by === 'ggc.champion' && c.from === null));
        assert.equal(auditRows(`action = 'service.created' AND object_id = ${lit(s.id)}`).length, 1);
    });

    test('an edit with the current ETag changes what it names, bumps the version and records old and new values', async () => {
        const { body: s } = await create(champion);
        const r = await champion.send('PATCH', T.one, `${base('ggc')}/services/${s.id}`,
                                      { description: 'A new description.', url: 'https://example.org/zed', is_free: false,
                                        fees_description: '£2 a session' },
                                      { headers: { 'If-Match': `"${s.version}"` } });
        assert.equal(r.status, 200, r.text);
        assert.equal(r.body.version, s.version + 1);
        assert.equal(etag(r), `"${s.version + 1}"`);
        assert.equal(r.body.description, 'A new description.');
        assert.equal(r.body.name, s.name, 'what the edit did not name is unchanged');
        const db = sqlOne(`SELECT description, url, is_free, fees_description, version FROM service WHERE id = ${lit(s.id)}`);
        assert.deepEqual(db, { description: 'A new description.', url: 'https://example.org/zed', is_free: false,
                               fees_description: '£2 a session', version: s.version + 1 });
        const changes = (await champion.get(T.history, `${base('ggc')}/services/${s.id}/history`)).body.changes
            .filter((c) => c.version === s.version + 1);
        assert.deepEqual(changes.map((c) => [c.field, c.from, c.to]).sort(),
                         [['description', s.description, 'A new description.'], ['fees_description', null, '£2 a session'],
                          ['is_free', true, false], ['url', null, 'https://example.org/zed']]);
        // The same again changes nothing and keeps the version.
        const again = await champion.send('PATCH', T.one, `${base('ggc')}/services/${s.id}`, { description: 'A new description.' },
                                          { headers: { 'If-Match': `"${s.version + 1}"` } });
        assert.equal(again.status, 200);
        assert.equal(again.body.version, s.version + 1);
    });

    test('two champions edit the same version: the second gets 412 with what the first changed, and nothing is overwritten', async () => {
        const { body: s } = await create(champion);
        const tag = `"${s.version}"`;
        const first = await champion.send('PATCH', T.one, `${base('ggc')}/services/${s.id}`,
                                          { phones: [{ number: '0141 496 0111' }] }, { headers: { 'If-Match': tag } });
        assert.equal(first.status, 200);
        const second = await otherChampion.send('PATCH', T.one, `${base('ggc')}/services/${s.id}`,
                                                { phones: [{ number: '0141 496 0222' }], alert: 'Closed on Friday' },
                                                { headers: { 'If-Match': tag } });
        assert.equal(second.status, 412);
        assert.equal(second.body.title, 'Changed by someone else');
        assert.equal(second.body.current_version, s.version + 1);
        assert.equal(etag(second), `"${s.version + 1}"`);
        assert.deepEqual(second.body.changes.map((c) => [c.field, c.by, c.to]),
                         [['phones', 'ggc.champion', [{ number: '0141 496 0111' }]]]);
        const db = sqlOne(`SELECT phone, alert, version FROM service WHERE id = ${lit(s.id)}`);
        assert.deepEqual(db, { phone: '0141 496 0111', alert: null, version: s.version + 1 }, 'the first edit stands, whole');
        // With the new ETag, the second champion's change lands on top.
        const retry = await otherChampion.send('PATCH', T.one, `${base('ggc')}/services/${s.id}`, { alert: 'Closed on Friday' },
                                               { headers: { 'If-Match': etag(second) } });
        assert.equal(retry.status, 200);
        assert.equal(retry.body.alert, 'Closed on Friday');
        assert.deepEqual(retry.body.phones, [{ number: '0141 496 0111' }]);
    });

    test('many edits of one version at the same moment: exactly one lands', async () => {
        const { body: s } = await create(champion);
        const results = await Promise.all(Array.from({ length: 8 }, (_, i) =>
            champion.send('PATCH', T.one, `${base('ggc')}/services/${s.id}`, { alert: `Edit ${i}` },
                          { headers: { 'If-Match': `"${s.version}"` } })));
        assert.deepEqual(results.map((r) => r.status).sort(), [200, 412, 412, 412, 412, 412, 412, 412]);
        const winner = results.find((r) => r.status === 200).body.alert;
        assert.equal(sqlOne(`SELECT alert FROM service WHERE id = ${lit(s.id)}`).alert, winner);
        assert.equal(sqlOne(`SELECT count(*)::int AS n FROM service_change WHERE service_id = ${lit(s.id)} AND field = 'alert'`).n, 1);
    });

    test('an edit without If-Match is 428; a malformed one 400; a stale one 412', async () => {
        const { body: s } = await create(champion);
        const path = `${base('ggc')}/services/${s.id}`;
        let r = await champion.send('PATCH', T.one, path, { alert: 'x' });
        assert.equal(r.status, 428);
        r = await champion.send('PATCH', T.one, path, { alert: 'x' }, { headers: { 'If-Match': '*' } });
        assert.equal(r.status, 428);
        r = await champion.send('PATCH', T.one, path, { alert: 'x' }, { headers: { 'If-Match': 'W/"1"' } });
        assert.equal(r.status, 400);
        r = await champion.send('PATCH', T.one, path, { alert: 'x' }, { headers: { 'If-Match': '"999"' } });
        assert.equal(r.status, 412);
        assert.equal(sqlOne(`SELECT alert FROM service WHERE id = ${lit(s.id)}`).alert, null, 'nothing written');
    });

    test('suspend, retire and reinstate: status changes are edits, and search follows them', async () => {
        const { body: s } = await create(champion);
        const path = `${base('ggc')}/services/${s.id}`;
        let r = await champion.send('PATCH', T.one, path, { status: 'temporarily closed' }, { headers: { 'If-Match': `"${s.version}"` } });
        assert.equal(r.status, 200);
        assert.equal((await search('ggc', { q: s.name })).total, 0, 'a suspended service is not offered');
        r = await champion.send('PATCH', T.one, path, { status: 'defunct' }, { headers: { 'If-Match': etag(r) } });
        assert.equal(r.body.status, 'defunct');
        r = await champion.send('PATCH', T.one, path, { status: 'active' }, { headers: { 'If-Match': etag(r) } });
        assert.equal((await search('ggc', { q: s.name })).total, 1);
        const statuses = (await champion.get(T.history, `${path}/history`)).body.changes
            .filter((c) => c.field === 'status').map((c) => [c.from, c.to]).reverse();
        assert.deepEqual(statuses, [['active', 'temporarily closed'], ['temporarily closed', 'defunct'], ['defunct', 'active']]);
    });

    test('bad edits are 400s naming the field, and change nothing', async () => {
        const { body: s } = await create(champion);
        const path = `${base('ggc')}/services/${s.id}`;
        const bad = [
            [{ name: '' }, 'name'], [{ name: null }, 'name'], [{ name: 'x'.repeat(201) }, 'name'],
            [{ description: 42 }, 'description'], [{ url: 'javascript:alert(1)' }, 'url'], [{ email: 'not an email' }, 'email'],
            [{ status: 'closed' }, 'status'], [{ is_free: 'yes' }, 'is_free'], [{ minimum_age: -1 }, 'minimum_age'],
            [{ minimum_age: 18, maximum_age: 11 }, 'minimum_age'], [{ maximum_age: 1.5 }, 'maximum_age'],
            [{ capacity_maximum: 0 }, 'capacity_maximum'], [{ phones: [{ number: 'call us' }] }, 'phones'],
            [{ phones: 'none' }, 'phones'], [{ categories: ['no-such-category'] }, 'categories'],
            [{ categories: ['Food'] }, 'categories'], [{ schedules: [{ byday: 'XX', opens_at: '10:00', closes_at: '12:00' }] }, 'schedules'],
            [{ schedules: [{ byday: 'MO', opens_at: '10:00', closes_at: '10:00' }] }, 'schedules'],
            [{ schedules: [{ byday: 'MO', opens_at: '25:00', closes_at: '26:00' }] }, 'schedules'],
            [{ service_areas: [{ kind: 'council', code: 'S12999999' }] }, 'service_areas'],
            [{ service_areas: [{ kind: 'planet', code: 'earth' }] }, 'service_areas'],
            [{ languages: ['English'] }, 'languages'], [{ champion_id: randomUUID() }, 'champion_id'],
            [{ champion_id: sqlOne(`SELECT id FROM staff WHERE username = 'ggc.receptionist'`).id }, 'champion_id'],
            [{ champion_id: sqlOne(`SELECT id FROM staff WHERE username = 'fife.champion'`).id }, 'champion_id'],
            [{ version: 99 }, 'version'], [{ board_id: 2 }, 'board_id'], [{}, 'body'],
        ];
        for (const [body, field] of bad) {
            const r = await champion.send('PATCH', T.one, path, body, { headers: { 'If-Match': `"${s.version}"` } });
            assert.equal(r.status, 400, `${JSON.stringify(body)}: ${r.text.slice(0, 300)}`);
            assert.ok(r.body.errors.some((e) => e.field === field), `${JSON.stringify(body)}: ${JSON.stringify(r.body.errors)}`);
        }
        // A lone minimum above the stored maximum is refused by the database, as a 400.
        const withMax = await champion.send('PATCH', T.one, path, { maximum_age: 18 }, { headers: { 'If-Match': `"${s.version}"` } });
        const r = await champion.send('PATCH', T.one, path, { minimum_age: 30 }, { headers: { 'If-Match': etag(withMax) } });
        assert.equal(r.status, 400);
        assert.equal(sqlOne(`SELECT version FROM service WHERE id = ${lit(s.id)}`).version, s.version + 1, 'only the good edit landed');
    });

    test('creation refuses what it cannot place, and another board\'s organization', async () => {
        const bad = [
            [{ location: undefined }, 'location'],
            [{ location: { name: 'Hall', address_1: '1 St', city: 'Glasgow', postcode: 'nowhere' } }, 'location'],
            [{ organization_name: undefined }, 'organization_name'],
            [{ organization_id: sqlOne(`SELECT id FROM organization WHERE board_id = ${sqlOne(`SELECT id FROM board WHERE slug = 'fife'`).id} LIMIT 1`).id,
               organization_name: undefined }, 'organization_id'],
            [{ area: 'national' }, 'area'],
            [{ description: '' }, 'description'],
        ];
        for (const [fields, field] of bad) {
            const body = { name: 'Zedchamp refused', description: 'x', organization_name: 'Zedchamp org',
                           location: { name: 'Hall', address_1: '1 St', city: 'Glasgow', postcode: 'G12 8QQ' }, ...fields };
            for (const k of Object.keys(fields))
                if (fields[k] === undefined)
                    delete body[k];
            const r = await champion.send('POST', T.list, `${base('ggc')}/services`, body);
            assert.equal(r.status, 400, `${JSON.stringify(fields)}: ${r.text.slice(0, 300)}`);
            assert.ok(r.body.errors.some((e) => e.field === field), `${JSON.stringify(fields)}: ${JSON.stringify(r.body.errors)}`);
        }
        assert.equal(sqlOne(`SELECT count(*)::int AS n FROM service WHERE name = 'Zedchamp refused'`).n, 0);
        const board = await create(champion, { area: 'board', location: undefined });
        assert.equal(board.body.area, 'board');
    });
});

describe('reviews and freshness', () => {
    test('"still correct" moves the review date to today and is recorded; the due list shows what needs it, most overdue first', async () => {
        const { body: s } = await create(champion);
        psql(['-c', `UPDATE service SET last_reviewed = current_date - 500 WHERE id = ${lit(s.id)}`]);
        const due = (await champion.get(T.list, `${base('ggc')}/services?due=true&per_page=200`)).body;
        const row = due.items.find((i) => i.id === s.id);
        assert.equal(row.review_state, 'overdue');
        // most overdue first, and nothing current in the list
        const dates = due.items.map((i) => i.review_due ?? '0000');
        assert.deepEqual(dates, [...dates].sort());
        assert.ok(due.items.every((i) => i.review_state !== 'current'));
        const expected = sqlOne(`SELECT count(*)::int AS n FROM service s JOIN board b ON b.id = s.board_id
                                  WHERE b.slug = 'ggc' AND s.status <> 'defunct'
                                    AND (s.last_reviewed IS NULL OR s.last_reviewed + b.review_period_days <= current_date + 30)`).n;
        assert.equal(due.total, expected);
        const r = await champion.send('POST', T.review, `${base('ggc')}/services/${s.id}/review`);
        assert.equal(r.status, 200, r.text);
        assert.equal(r.body.review_state, 'current');
        assert.equal(r.body.last_reviewed, sqlOne('SELECT current_date::text AS d').d);
        const change = (await champion.get(T.history, `${base('ggc')}/services/${s.id}/history`)).body.changes[0];
        assert.deepEqual([change.action, change.field, change.by], ['reviewed', 'last_reviewed', 'ggc.champion']);
        const after = (await champion.get(T.list, `${base('ggc')}/services?due=true&per_page=200`)).body;
        assert.ok(!after.items.some((i) => i.id === s.id), 'reviewed: off the due list');
        // A review based on an old version is refused like an edit.
        const stale = await champion.send('POST', T.review, `${base('ggc')}/services/${s.id}/review`, undefined,
                                          { headers: { 'If-Match': `"${s.version}"` } });
        assert.equal(stale.status, 412);
    });

    test('mine: only the services I look after', async () => {
        const mine = (await champion.get(T.list, `${base('ggc')}/services?mine=true&per_page=200`)).body;
        const me = sqlOne(`SELECT id FROM staff WHERE username = 'ggc.champion'`).id;
        assert.equal(mine.total, sqlOne(`SELECT count(*)::int AS n FROM service WHERE champion_id = ${lit(me)}`).n);
        assert.ok(mine.items.length > 0 && mine.items.every((i) => i.champion?.username === 'ggc.champion'));
        const reassigned = await create(champion, { champion_id: sqlOne(`SELECT id FROM staff WHERE username = 'ggc.admin'`).id });
        assert.equal(reassigned.body.champion.username, 'ggc.admin');
    });

    test('the freshness report: shares reviewed within the period, overall, by category and by champion, from the database', async () => {
        const f = (await champion.get(T.freshness, `${base('ggc')}/freshness`)).body;
        const db = sqlOne(`SELECT count(*)::int AS total,
                                  count(*) FILTER (WHERE s.last_reviewed + b.review_period_days > current_date)::int AS current,
                                  count(*) FILTER (WHERE s.last_reviewed + b.review_period_days <= current_date
                                                     AND s.last_reviewed + b.review_period_days + b.review_grace_days >= current_date)::int AS due
                             FROM service s JOIN board b ON b.id = s.board_id WHERE b.slug = 'ggc' AND s.status <> 'defunct'`);
        assert.equal(f.total, db.total);
        assert.equal(f.current, db.current);
        assert.equal(f.due, db.due);
        assert.equal(f.overdue, db.total - db.current - db.due);
        assert.ok(Math.abs(f.share_current - db.current / db.total) < 1e-4);
        const food = f.by_category.find((c) => c.slug === 'food-nutrition');
        assert.ok(food && food.total > 0 && food.current <= food.total);
        assert.equal(f.by_champion.reduce((n, c) => n + c.total, 0), db.total, 'every service counted once by champion');
    });

    test('a board administrator sets the review period; a champion may not', async () => {
        let r = await champion.send('PATCH', T.settings, `${base('ggc')}/settings`, { review_period_days: 180 });
        assert.equal(r.status, 403);
        r = await admin.send('PATCH', T.settings, `${base('ggc')}/settings`, { review_period_days: 1 });
        assert.equal(r.status, 400);
        r = await admin.send('PATCH', T.settings, `${base('ggc')}/settings`, { review_period_days: 180, review_grace_days: 14 });
        assert.equal(r.status, 200);
        assert.deepEqual(r.body, { review_period_days: 180, review_grace_days: 14 });
        assert.equal(auditRows(`action = 'directory.settings_changed'`)[0].detail.to.review_period_days, 180);
        r = await admin.send('PATCH', T.settings, `${base('ggc')}/settings`, { review_period_days: 365, review_grace_days: 30 });
        assert.equal(r.status, 200);
    });
});

describe('who may', () => {
    test('only champions and board administrators of the board; another board\'s service is not there', async () => {
        const { body: s } = await create(champion);
        for (const role of BOARD_ROLES) {
            const session = await signInDemo('ggc', role);
            const r = await session.get(T.list, `${base('ggc')}/services?per_page=1`);
            assert.equal(r.status, ['champion', 'board_admin'].includes(role) ? 200 : 403, role);
        }
        const fromFife = await fifeChampion.get(T.one, `${base('fife')}/services/${s.id}`);
        assert.equal(fromFife.status, 404, 'a Glasgow service is not in Fife\'s directory');
        const intoGgc = await fifeChampion.get(T.list, `${base('ggc')}/services`);
        assert.equal(intoGgc.status, 404);
        const edit = await fifeChampion.send('PATCH', T.one, `${base('fife')}/services/${s.id}`, { alert: 'x' },
                                             { headers: { 'If-Match': `"${s.version}"` } });
        assert.equal(edit.status, 404);
        assert.equal(sqlOne(`SELECT alert FROM service WHERE id = ${lit(s.id)}`).alert, null);
        const anonymous = await fetch(`${env.baseUrl}${base('ggc')}/services`);
        assert.equal(anonymous.status, 401);
    });

    test('the history is append-only, even for the owner', () => {
        assert.ok(sqlOne('SELECT count(*)::int AS n FROM service_change').n > 0);
        assert.throws(() => psql(['-c', 'UPDATE service_change SET actor_name = \'someone else\'']), /append-only/);
        assert.throws(() => psql(['-c', 'DELETE FROM service_change']), /append-only/);
    });

    test('a national service is not a board champion\'s to edit', async () => {
        const national = sqlOne('SELECT id, version FROM service WHERE board_id IS NULL LIMIT 1');
        const r = await champion.send('PATCH', T.one, `${base('ggc')}/services/${national.id}`, { alert: 'x' },
                                      { headers: { 'If-Match': `"${national.version}"` } });
        assert.equal(r.status, 404);
    });
});
