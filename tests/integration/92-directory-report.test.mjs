// 92-directory-report: directory health among the reports — today it is
// the champions' freshness summary; on a past day the directory as it
// stood then: a review, a new service and a retirement made today change
// today's figures and leave yesterday's alone. JSON and CSV; bad days are
// 400s; the report says why small counts are not hidden.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { before, describe, test } from 'node:test';

import { waitForStack } from './lib/api.mjs';
import { parseCsv } from './lib/csv.mjs';
import { lit, psql, sqlOne } from './lib/db.mjs';
import { signInDemo } from './lib/staff.mjs';

const T = {
    report: '/api/v1/boards/{board}/reports/directory',
    freshness: '/api/v1/boards/{board}/directory/freshness',
    list: '/api/v1/boards/{board}/directory/services',
    one: '/api/v1/boards/{board}/directory/services/{id}',
    review: '/api/v1/boards/{board}/directory/services/{id}/review',
};
let champion, gp, today, yesterday;

const report = async (session, query = '') => {
    const r = await session.get(T.report, `/api/v1/boards/ggc/reports/directory${query}`);
    assert.equal(r.status, 200, r.text);
    return r.body;
};
// champions by name (the report leaves out usernames and ids)
const figures = (b) => ({ total: b.total, current: b.current, due: b.due, overdue: b.overdue, by_category: b.by_category,
                          by_champion: b.by_champion.map((c) => ({ ...c, champion: c.champion && { name: c.champion.name } })) });

before(async () => {
    await waitForStack();
    champion = await signInDemo('ggc', 'champion');
    gp = await signInDemo('ggc', 'gp');
    ({ today, yesterday } = sqlOne(`SELECT (now() AT TIME ZONE 'Europe/London')::date::text AS today,
                                           ((now() AT TIME ZONE 'Europe/London')::date - 1)::text AS yesterday`));
});

describe('the directory report', () => {
    test('today it gives the champions\' freshness figures, for a GP too, and says why counts are not hidden', async () => {
        const r = await report(gp);
        const f = (await champion.get(T.freshness, '/api/v1/boards/ggc/directory/freshness')).body;
        assert.equal(r.report, 'directory');
        assert.equal(r.on, today);
        assert.deepEqual(figures(r), figures(f));
        assert.ok(r.by_champion.every((c) => c.champion === null || Object.keys(c.champion).join() === 'name'),
                  'champions by name only');
        assert.equal(r.total, r.current + r.due + r.overdue);
        assert.match(r.note, /services, not of people/);
    });

    test('a review, a new service and a retirement today change today and leave yesterday as it was', async () => {
        // a service never reviewed (as imported without a date), with no history
        const never = sqlOne(`SELECT s.id FROM service s JOIN board b ON b.id = s.board_id
                               WHERE b.slug = 'ggc' AND s.status = 'active'
                                 AND NOT EXISTS (SELECT 1 FROM service_change c WHERE c.service_id = s.id)
                               ORDER BY s.id DESC LIMIT 1`);
        assert.ok(never, 'a demo service without history');
        psql(['-c', `UPDATE service SET last_reviewed = NULL WHERE id = ${lit(never.id)}`]);
        const before = { today: await report(champion), yesterday: await report(champion, `?on=${yesterday}`) };
        // an overdue service with no change since yesterday, reviewed now
        const overdue = sqlOne(`SELECT s.id, s.version FROM service s JOIN board b ON b.id = s.board_id
                                 WHERE b.slug = 'ggc' AND s.status <> 'defunct'
                                   AND s.last_reviewed + b.review_period_days + b.review_grace_days < current_date - 1
                                   AND NOT EXISTS (SELECT 1 FROM service_change c WHERE c.service_id = s.id AND c.at > now() - interval '2 days')
                                 ORDER BY s.id LIMIT 1`);
        assert.ok(overdue, 'the demo has an overdue service');
        let r = await champion.send('POST', T.review, `/api/v1/boards/ggc/directory/services/${overdue.id}/review`);
        assert.equal(r.status, 200, r.text);
        // its first review: yesterday it had none (the change records the old value as NULL)
        r = await champion.send('POST', T.review, `/api/v1/boards/ggc/directory/services/${never.id}/review`);
        assert.equal(r.status, 200, r.text);
        // a new service (reviewed: current)
        r = await champion.send('POST', T.list, '/api/v1/boards/ggc/directory/services', {
            name: `Zeddir ${randomUUID().slice(0, 8)}`, description: 'Made by the directory report test.',
            organization_name: 'Zeddir organisation',
            location: { name: 'Zeddir Hall', address_1: '1 Test Street', city: 'Glasgow', postcode: 'G12 8QQ' },
        });
        assert.equal(r.status, 201, r.text);
        // a current service retired
        const current = sqlOne(`SELECT s.id, s.version FROM service s JOIN board b ON b.id = s.board_id
                                 WHERE b.slug = 'ggc' AND s.status = 'active' AND s.last_reviewed > current_date - 30
                                   AND s.id <> ${lit(r.body.id)}
                                   AND NOT EXISTS (SELECT 1 FROM service_change c WHERE c.service_id = s.id AND c.at > now() - interval '2 days')
                                 ORDER BY s.id LIMIT 1`);
        assert.ok(current, 'the demo has a recently reviewed service');
        r = await champion.send('PATCH', T.one, `/api/v1/boards/ggc/directory/services/${current.id}`, { status: 'defunct' },
                                { headers: { 'If-Match': `"${current.version}"` } });
        assert.equal(r.status, 200, r.text);

        const after = { today: await report(champion), yesterday: await report(champion, `?on=${yesterday}`) };
        assert.deepEqual(figures(after.yesterday), figures(before.yesterday), 'yesterday is as it was');
        assert.equal(after.today.total, before.today.total + 1 - 1, 'one new, one retired');
        assert.equal(after.today.current, before.today.current + 2 + 1 - 1, 'two reviewed, one new, one retired');
        assert.equal(after.today.overdue, before.today.overdue - 2);
        assert.deepEqual(figures(after.today), figures((await champion.get(T.freshness, '/api/v1/boards/ggc/directory/freshness')).body));
    });

    test('long ago, no review had yet happened: a review date after the day is not known to have counted then', async () => {
        const r = await report(champion, '?on=2000-01-01');
        assert.equal(r.on, '2000-01-01');
        assert.equal(r.current, 0);
        assert.equal(r.due, 0);
        assert.equal(r.overdue, r.total);
        assert.ok(r.total > 0);
    });

    test('as CSV: a row overall, one per category and per champion, and the note', async () => {
        const json = await report(champion);
        const r = await champion.get(T.report, '/api/v1/boards/ggc/reports/directory?format=csv');
        assert.equal(r.status, 200);
        assert.match(r.headers.get('content-type'), /^text\/csv/);
        assert.match(r.headers.get('content-disposition'), new RegExp(`ggc-directory-${today}-to-${today}\\.csv`));
        assert.equal(r.text.split('\r\n')[0], '"grouping","name","services","reviewed_in_time","percent_reviewed_in_time"');
        const rows = parseCsv(r.text);
        const { percent_reviewed_in_time: percent, ...all } = rows[0];
        assert.deepEqual(all, { grouping: 'all', name: 'All services', services: String(json.total), reviewed_in_time: String(json.current) });
        assert.ok(Math.abs(Number(percent) - 100 * json.share_current) <= 0.05 + 1e-9, percent);
        assert.equal(rows.filter((row) => row.grouping === 'category').length, json.by_category.length);
        assert.equal(rows.filter((row) => row.grouping === 'champion').length, json.by_champion.length);
        assert.match(rows.at(-1).percent_reviewed_in_time, /services, not of people/);
    });

    test('a day in the future, not a day, or a period is refused, naming the parameter', async () => {
        const tomorrow = sqlOne(`SELECT ((now() AT TIME ZONE 'Europe/London')::date + 1)::text AS d`).d;
        for (const [query, field] of [[`?on=${tomorrow}`, 'on'], ['?on=2026-02-30', 'on'], ['?on=yesterday', 'on'],
                                      [`?from=${yesterday}&to=${today}`, 'from'], [`?from=${yesterday}`, 'from'], [`?to=${today}`, 'to'],
                                      ['?format=xml', 'format'], ['?colour=red', 'colour']]) {
            const r = await champion.get(T.report, `/api/v1/boards/ggc/reports/directory${query}`);
            assert.equal(r.status, 400, query);
            assert.ok(r.body.errors.some((e) => e.field === field), `${query}: ${r.text}`);
        }
    });
});
