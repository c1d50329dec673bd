// 84-signposting: practice staff record that a patient was given
// information about a service, a category or the links worker. What each
// answer should hold is read from the database here, not from linksd.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';

import { call, expectProblem, search, T, waitForStack } from './lib/api.mjs';
import { lit, sql, sqlOne } from './lib/db.mjs';
import { auditRows, freshUsername, signIn, signInDemo } from './lib/staff.mjs';

const S = { list: '/api/v1/boards/{board}/signposts', withdraw: '/api/v1/boards/{board}/signposts/{id}/withdraw' };
const sessions = {};
const services = {};

const post = (session, board, body) => session.send('POST', S.list, `/api/v1/boards/${board}/signposts`, body);

before(async () => {
    await waitForStack();
    for (const board of ['ggc', 'fife']) {
        sessions[board] = {};
        for (const role of ['receptionist', 'practice_nurse', 'gp', 'links_worker', 'champion', 'board_admin'])
            sessions[board][role] = await signInDemo(board, role);
        const found = await search(board, { q: 'food' });
        services[board] = found.items.find((i) => i.area === 'local').id;
    }
});

describe('recording a signpost', () => {
    test('a receptionist records a service, a category and the links worker; the practice\'s list shows them', async () => {
        const s = sessions.ggc.receptionist;
        const practice = sqlOne(`SELECT practice_id FROM staff WHERE username = 'ggc.receptionist'`).practice_id;
        const service = sqlOne(`SELECT id, name FROM service WHERE id = ${lit(services.ggc)}`);
        const a = await post(s, 'ggc', { service_id: service.id });
        assert.equal(a.status, 201, a.text);
        assert.deepEqual(a.body.service, { id: service.id, name: service.name });
        assert.equal(a.body.practice_id, practice);
        assert.equal(a.body.staff.name, 'Demo Receptionist (ggc)');
        assert.equal(a.body.category, null);
        assert.equal(a.body.links_worker, false);
        assert.equal(a.body.withdrawn_at, null);

        const category = sqlOne("SELECT slug, name FROM category WHERE parent_id IS NULL ORDER BY slug LIMIT 1");
        const b = await post(s, 'ggc', { category: category.slug });
        assert.equal(b.status, 201, b.text);
        assert.deepEqual(b.body.category, category);
        const hasWorker = sqlOne(`SELECT has_links_worker FROM practice WHERE id = ${lit(practice)}`).has_links_worker;
        const c = await post(s, 'ggc', { links_worker: true });
        assert.equal(c.status, hasWorker ? 201 : 400, c.text);

        // stored as answered, with who and where, and audited
        const row = sqlOne(`SELECT g.staff_id, g.practice_id, g.service_id, b.slug FROM signpost g
                             JOIN board b ON b.id = g.board_id WHERE g.id = ${lit(a.body.id)}`);
        assert.deepEqual(row, { staff_id: s.me.staff.id, practice_id: practice, service_id: service.id, slug: 'ggc' });
        assert.equal(auditRows(`a.action = 'signpost.created' AND a.object_id = ${lit(a.body.id)}`).length, 1);

        const list = await s.get(S.list, '/api/v1/boards/ggc/signposts');
        assert.equal(list.status, 200, list.text);
        const expected = sql(`SELECT id FROM signpost WHERE practice_id = ${lit(practice)} ORDER BY at DESC, id LIMIT 50`);
        assert.deepEqual(list.body.signposts.map((g) => g.id), expected.map((g) => g.id));
        for (const id of [a.body.id, b.body.id])
            assert.ok(list.body.signposts.some((g) => g.id === id));
    });

    test('every practice role may signpost; champions, administrators and the public may not', async () => {
        for (const role of ['practice_nurse', 'gp']) {
            const r = await post(sessions.fife[role], 'fife', { service_id: services.fife });
            assert.equal(r.status, 201, `${role}: ${r.text}`);
        }
        for (const role of ['champion', 'board_admin'])
            await expectProblem(S.list, '/api/v1/boards/fife/signposts', 403,
                                { method: 'POST', headers: sessions.fife[role].headers({ 'Content-Type': 'application/json' }),
                                  body: JSON.stringify({ service_id: services.fife }) });
        const anonymous = await call('POST', S.list, '/api/v1/boards/fife/signposts',
                                     { headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ links_worker: true }) });
        assert.equal(anonymous.status, 401);
    });

    test('a links worker attached to no practice names it; practice staff cannot name another', async () => {
        const admin = sessions.fife.board_admin;
        const practices = sql(`SELECT p.id FROM practice p JOIN board b ON b.id = p.board_id
                                WHERE b.slug = 'fife' AND p.closed_at IS NULL ORDER BY p.code LIMIT 2`);
        const username = freshUsername('roaming');
        const made = await admin.send('POST', T.staffList, '/api/v1/boards/fife/staff', {
            username, display_name: 'Roaming Links Worker', role: 'links_worker', password: 'a temporary password',
        });
        assert.equal(made.status, 201, made.text);
        const roaming = await signIn('fife', username, 'a temporary password');
        // (a member whose password an administrator set chooses their own first)
        const changed = await roaming.send('POST', T.password, '/api/v1/session/password',
                                           { current_password: 'a temporary password', new_password: 'my own roaming password' });
        assert.equal(changed.status, 200, changed.text);
        const needs = await post(roaming, 'fife', { service_id: services.fife });
        assert.equal(needs.status, 400, needs.text);
        assert.equal(needs.body.errors[0].field, 'practice_id');
        const named = await post(roaming, 'fife', { service_id: services.fife, practice_id: practices[0].id });
        assert.equal(named.status, 201, named.text);
        assert.equal(named.body.practice_id, practices[0].id);
        const theirs = await roaming.get(S.list, `/api/v1/boards/fife/signposts?practice_id=${practices[0].id}`);
        assert.equal(theirs.status, 200);
        assert.equal(theirs.body.signposts[0].id, named.body.id);

        const receptionist = sessions.fife.receptionist;
        const own = sqlOne(`SELECT practice_id FROM staff WHERE username = 'fife.receptionist'`).practice_id;
        const other = practices.find((p) => p.id !== own).id;
        const r = await post(receptionist, 'fife', { service_id: services.fife, practice_id: other });
        assert.equal(r.status, 400);
        assert.equal(r.body.errors[0].field, 'practice_id');
        const list = await receptionist.get(S.list, `/api/v1/boards/fife/signposts?practice_id=${other}`);
        assert.equal(list.status, 400);
    });

    test('bad input is a 400 naming the field, and writes nothing', async () => {
        const s = sessions.ggc.receptionist;
        const before = sqlOne('SELECT count(*)::int AS n FROM signpost').n;
        const inactive = sqlOne("SELECT id FROM service WHERE status <> 'active' AND board_id = (SELECT id FROM board WHERE slug = 'ggc') LIMIT 1");
        const cases = [
            [{}, 'service_id'],
            [{ service_id: services.ggc, links_worker: true }, 'service_id'],
            [{ service_id: services.ggc, category: 'food-nutrition' }, 'service_id'],
            [{ service_id: 'not-a-uuid' }, 'service_id'],
            [{ service_id: services.fife }, 'service_id'],          // another board's service
            [{ category: 'no-such-category' }, 'category'],
            [{ links_worker: 'yes' }, 'links_worker'],
            [{ service_id: services.ggc, patient: 'Jane' }, 'patient'],
            ...(inactive ? [[{ service_id: inactive.id }, 'service_id']] : []),
        ];
        for (const [body, field] of cases) {
            const r = await post(s, 'ggc', body);
            assert.equal(r.status, 400, `${JSON.stringify(body)}: ${r.text}`);
            assert.equal(r.headers.get('content-type'), 'application/problem+json');
            assert.ok(r.body.errors.some((e) => e.field === field), `${JSON.stringify(body)}: ${r.text}`);
        }
        for (const raw of ['not json', '[]', '{"service_id": ']) {
            const r = await post(s, 'ggc', raw);
            assert.equal(r.status, 400, raw);
        }
        const list = await s.get(S.list, '/api/v1/boards/ggc/signposts?limit=5');
        assert.equal(list.status, 400);
        assert.equal(sqlOne('SELECT count(*)::int AS n FROM signpost').n, before);
    });
});

describe('withdrawing a signpost made by mistake', () => {
    test('only who recorded it may withdraw it; it stays, marked; withdrawing again changes nothing', async () => {
        const s = sessions.ggc.gp;
        const made = await post(s, 'ggc', { service_id: services.ggc });
        assert.equal(made.status, 201, made.text);
        const path = `/api/v1/boards/ggc/signposts/${made.body.id}/withdraw`;
        // a colleague at the same practice, another board's member: not theirs
        for (const other of [sessions.ggc.practice_nurse, sessions.fife.gp]) {
            const board = other === sessions.fife.gp ? 'fife' : 'ggc';
            const r = await other.send('POST', S.withdraw, `/api/v1/boards/${board}/signposts/${made.body.id}/withdraw`);
            assert.equal(r.status, 404, r.text);
        }
        const first = await s.send('POST', S.withdraw, path);
        assert.equal(first.status, 200, first.text);
        assert.ok(first.body.withdrawn_at);
        const again = await s.send('POST', S.withdraw, path);
        assert.equal(again.status, 200);
        assert.equal(again.body.withdrawn_at, first.body.withdrawn_at);
        const row = sqlOne(`SELECT withdrawn_by, service_id FROM signpost WHERE id = ${lit(made.body.id)}`);
        assert.deepEqual(row, { withdrawn_by: s.me.staff.id, service_id: services.ggc });
        assert.equal(auditRows(`a.action = 'signpost.withdrawn' AND a.object_id = ${lit(made.body.id)}`).length, 2);
        for (const id of ['not-a-uuid', '00000000-0000-4000-8000-000000000000']) {
            const r = await s.send('POST', S.withdraw, `/api/v1/boards/ggc/signposts/${id}/withdraw`);
            assert.equal(r.status, 404);
        }
    });

    test('one board never sees another\'s signposts', async () => {
        const ggcIds = new Set(sql("SELECT g.id FROM signpost g JOIN board b ON b.id = g.board_id WHERE b.slug = 'ggc'").map((g) => g.id));
        for (const role of ['receptionist', 'practice_nurse', 'gp']) {
            const r = await sessions.fife[role].get(S.list, '/api/v1/boards/fife/signposts');
            assert.equal(r.status, 200);
            assert.ok(r.body.signposts.every((g) => !ggcIds.has(g.id)));
        }
        // a Fife member's session on the Glasgow board's address is refused
        const cross = await sessions.fife.receptionist.get(S.list, '/api/v1/boards/ggc/signposts');
        assert.ok([403, 404].includes(cross.status), cross.text);
    });
});
