// 40-faults: the stack under load while things go wrong: a worker killed,
// PostgreSQL restarted, a configuration reload, a plugin built for another
// ABI. Runs last; every test restores what it broke (in finally blocks) and
// waits until the stack serves normally again, so nothing is left broken.
//
// Needs LINKS_RUN (pid file, pg cluster, plugin directory), LINKS_PG_PORT and
// LINKS_BUILD (the plugins and the wrong-ABI test plugin), and must run as
// root (signals to linksd, which runs as the links user; pg_ctl as postgres).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, describe, test } from 'node:test';

import { get, search, sleep, T, waitFor, waitForStack } from './lib/api.mjs';
import { pgCtl, pgCtlAsync } from './lib/db.mjs';
import { env } from './lib/env.mjs';
import { alive, load, masterPid, summarise, workerPids } from './lib/stack.mjs';

const SEARCHES = [
    '/api/v1/boards/ggc/resources?q=walking&postcode=G12+8QQ',
    '/api/v1/boards/fife/resources?q=money+advice&postcode=KY1+1AB',
    '/api/v1/boards/ggc/resources?category=activity&postcode=G41+3SF&radius_km=8',
    '/api/v1/boards/fife/resources?q=walking&postcode=KY16&per_page=50',
];
const CONCURRENCY = 8;
const TIMEOUT_MS = 5000;
// A SIGKILLed worker takes the requests its threads are serving with it (one
// each: tests/run starts 2 workers x 4 threads). nginx answers each of those
// with its 503 problem (upstream closed the connection). Nothing else may fail.
function threadsPerWorker() {
    const m = fs.readFileSync(`${env.run}/linksd.conf`, 'utf8').match(/^\s*threads\s*=\s*([0-9]+)\s*;/m);
    return m ? Number(m[1]) : 4;
}

const isRoot = process.getuid?.() === 0;

function failures(records) {
    return records.filter((r) => !r.ok);
}

function describeFailures(records) {
    return JSON.stringify(failures(records).slice(0, 10).map((r) => ({ at: r.start, status: r.status, title: r.title, error: r.error })));
}

/** Wait until the master has exactly `n` workers, none of them in `not`. */
async function workersSettled(master, { n, not = [] }) {
    return waitFor(`${n} workers of ${master}${not.length ? ` other than ${not}` : ''}`, () => {
        const pids = workerPids(master);
        return pids.length === n && pids.every((p) => !not.includes(p)) ? pids : null;
    }, { timeoutMs: 20000, intervalMs: 100 });
}

async function allSearchesSucceed(what) {
    await waitFor(what, async () => {
        for (const path of SEARCHES) {
            const r = await get(T.search, path, { timeoutMs: TIMEOUT_MS });
            if (r.status !== 200)
                return false;
        }
        return true;
    }, { timeoutMs: 30000, intervalMs: 200 });
}

function retryMaxSeconds() {
    try {
        const m = fs.readFileSync(`${env.run}/linksd.conf`, 'utf8').match(/^\s*retry_max_seconds\s*=\s*([0-9.]+)\s*;/m);
        return m ? Number(m[1]) : 2;
    } catch {
        return 2;
    }
}

function pgRunning() {
    try {
        pgCtl(['status'], { timeoutMs: 10000 });
        return true;
    } catch {
        return false;
    }
}

function pgStart() {
    pgCtl(['-l', `${env.run}/pglog/postgresql.log`, '-w', '-t', '60', 'start']);
}

describe('faults under load', { skip: isRoot ? false : 'needs root: signals linksd (links user) and runs pg_ctl as postgres' }, () => {
    let workers;
    let master;

    before(async () => {
        await waitForStack();
        master = masterPid();
        assert.ok(alive(master), `linksd master ${master} is not running`);
        workers = await waitFor('linksd workers', () => {
            const w = workerPids(master);
            return w.length > 0 ? w : null;
        });
    });

    after(async () => {
        // Whatever happened above, leave a working stack behind.
        if (!pgRunning())
            pgStart();
        await waitForStack({ timeoutMs: 60000 });
    });

    test('(a) SIGKILL of a worker under load: a new worker replaces it; only its in-flight requests fail', async (t) => {
        const before = await workersSettled(master, { n: workers.length });
        const victim = before[0];
        const { records, during } = await load({
            paths: SEARCHES, template: T.search, concurrency: CONCURRENCY, durationMs: 4000, timeoutMs: TIMEOUT_MS,
            atMs: 1500, during: () => {
                process.kill(victim, 'SIGKILL');
                return Date.now();
            },
        });
        const killedAt = during.at;
        const summary = summarise(records);
        t.diagnostic(`killed worker ${victim} at ${killedAt} ms; responses by status: ${JSON.stringify(summary)}`);
        assert.ok(records.length > 50, `only ${records.length} requests in 4 s`);
        const failed = failures(records);
        // Every failure is nginx's 503 problem (checked against the contract in load()),
        // or an answer cut off because the worker died while writing it (nginx had begun
        // passing it on, so it can only close the connection: "aborted", at once); never
        // a hang (timeouts count as status 0) or a 500.
        assert.ok(failed.every((r) => r.status === 503 || (r.status === 0 && r.error === 'aborted')),
                  `unexpected failures: ${describeFailures(records)}`);
        const threads = threadsPerWorker();
        assert.ok(failed.length <= threads, `${failed.length} failed requests (at most ${threads}, the victim's threads): ${JSON.stringify(summary)}`);
        // Failures only around the kill; everything after the kill window succeeds.
        const windowEnd = killedAt + 1000;
        assert.ok(failed.every((r) => r.end >= killedAt - 50 && r.start <= windowEnd), `failures outside the kill window: ${describeFailures(records)}`);
        const afterWindow = records.filter((r) => r.start > windowEnd);
        assert.ok(afterWindow.length > 20, `only ${afterWindow.length} requests after the kill window`);
        assert.ok(afterWindow.every((r) => r.ok), `requests after the kill window failed: ${describeFailures(afterWindow)}`);
        assert.ok(!alive(victim), `worker ${victim} survived SIGKILL`);
        const now = await workersSettled(master, { n: before.length, not: [victim] });
        assert.ok(now.some((p) => !before.includes(p)), `no new worker: ${before} -> ${now}`);
        assert.equal(masterPid(), master, 'the master was not restarted');
        workers = now;
    });

    test('(b) PostgreSQL stopped under load: 503 problems, no 500s, no hangs; back within seconds, same processes', async (t) => {
        const beforeWorkers = await workersSettled(master, { n: workers.length });
        let stopped = false;
        try {
            const { records } = await load({
                paths: SEARCHES, template: T.search, concurrency: CONCURRENCY, durationMs: 3000, timeoutMs: TIMEOUT_MS,
                atMs: 500, during: async () => {
                    await pgCtlAsync(['stop', '-m', 'fast', '-w']);
                    stopped = true;
                },
            });
            assert.ok(stopped);
            t.diagnostic(`database stopped under load; responses by status: ${JSON.stringify(summarise(records))}`);
            const failed = failures(records);
            assert.ok(failed.length > 0, 'nothing failed while the database was down');
            assert.ok(failed.every((r) => r.status === 503), `failures other than 503: ${describeFailures(records)}`);
            const titles = new Set(failed.map((r) => r.title));
            assert.ok(titles.has('Database unavailable'), `titles seen: ${[...titles]}`);
            assert.ok(failed.filter((r) => r.title === 'Database unavailable').every((r) => /^[0-9]+$/.test(r.retryAfter ?? '')),
                      'Database unavailable carries Retry-After');
            // /readyz says so too.
            const ready = await get(T.ready, '/readyz');
            assert.equal(ready.status, 503);
            assert.equal(ready.body.database, 'unreachable');
            assert.equal(ready.body.status, 'unavailable');
        } finally {
            if (!pgRunning())
                pgStart();
        }
        const restartedAt = Date.now();
        await allSearchesSucceed('every search to succeed after PostgreSQL is back');
        const recoveredMs = Date.now() - restartedAt;
        assert.ok(recoveredMs < 10000, `recovery took ${recoveredMs} ms`);
        t.diagnostic(`every search succeeded again ${recoveredMs} ms after PostgreSQL was started`);
        // Each linksd thread has its own connection and retries it after at most
        // database.retry_max_seconds; after that, under load, 100% again.
        await sleep(retryMaxSeconds() * 1000 + 500);
        const { records } = await load({ paths: SEARCHES, template: T.search, concurrency: CONCURRENCY, durationMs: 1500, timeoutMs: TIMEOUT_MS });
        assert.deepEqual(failures(records), [], `after recovery: ${describeFailures(records)}`);
        assert.equal(masterPid(), master, 'linksd master restarted');
        assert.deepEqual(workerPids(master), beforeWorkers, 'linksd workers restarted');
    });

    test('(c) SIGHUP under load: zero failed requests, a new generation of workers', async (t) => {
        const beforeWorkers = await workersSettled(master, { n: workers.length });
        const { records } = await load({
            paths: SEARCHES, template: T.search, concurrency: CONCURRENCY, durationMs: 4000, timeoutMs: TIMEOUT_MS,
            atMs: 1500, during: () => process.kill(master, 'SIGHUP'),
        });
        t.diagnostic(`SIGHUP under load; responses by status: ${JSON.stringify(summarise(records))}`);
        assert.ok(records.length > 50, `only ${records.length} requests`);
        assert.deepEqual(failures(records), [], `failed during the reload: ${describeFailures(records)} ${JSON.stringify(summarise(records))}`);
        const now = await workersSettled(master, { n: beforeWorkers.length, not: beforeWorkers });
        assert.ok(now.every((p) => !beforeWorkers.includes(p)), `old workers still running: ${beforeWorkers} -> ${now}`);
        assert.equal(masterPid(), master);
        workers = now;
    });

    test('(d) a plugin built for another ABI major takes only its board out of service, with the reason', async () => {
        const link = `${env.run}/plugins/fife.so`;
        const good = `${env.build}/plugins/fife/.libs/fife.so`;
        const wrong = `${env.build}/tests/unit/plugins/.libs/wrong_abi.so`;
        assert.ok(fs.existsSync(good), `${good} is missing`);
        assert.ok(fs.existsSync(wrong), `${wrong} is missing (make check TESTS= builds it)`);
        const original = fs.readlinkSync(link);
        const relink = (target) => {
            const tmp = `${link}.tmp-${process.pid}`;
            fs.rmSync(tmp, { force: true });
            fs.symlinkSync(target, tmp);
            fs.renameSync(tmp, link);       // atomic, like ln -sfT
        };
        const hupAndSettle = async () => {
            const old = workerPids(master);
            process.kill(master, 'SIGHUP');
            return workersSettled(master, { n: workers.length, not: old });
        };
        try {
            relink(wrong);
            workers = await hupAndSettle();
            const fife = await waitFor('fife out of service', async () => {
                const r = await get(T.boards, '/api/v1/boards');
                const b = r.body.boards.find((x) => x.slug === 'fife');
                return b && !b.in_service ? b : null;
            }, { timeoutMs: 10000 });
            assert.match(fife.reason, /ABI major/);
            assert.equal(fife.plugin, null);
            const ggc = (await get(T.boards, '/api/v1/boards')).body.boards.find((x) => x.slug === 'ggc');
            assert.equal(ggc.in_service, true);

            const r = await get(T.search, '/api/v1/boards/fife/resources?q=walking&postcode=KY16+9AJ');
            assert.equal(r.status, 503);
            assert.equal(r.body.title, 'Board out of service');
            assert.ok(r.body.detail.includes(fife.reason), `detail "${r.body.detail}" lacks the reason "${fife.reason}"`);
            assert.equal(r.headers.get('retry-after'), '60');
            const byCode = await get(T.board, '/api/v1/boards/S08000029');
            assert.equal(byCode.status, 503);
            const ready = await get(T.ready, '/readyz');
            assert.equal(ready.status, 200);
            assert.equal(ready.body.status, 'degraded');
            // The other board is unaffected.
            assert.ok((await search('ggc', { q: 'walking', postcode: 'G12 8QQ' })).total > 0);
        } finally {
            relink(original === wrong ? good : original);
            workers = await hupAndSettle();
        }
        assert.equal(fs.readlinkSync(link), original === wrong ? good : original);
        const restored = await waitFor('fife back in service', async () => {
            const r = await get(T.boards, '/api/v1/boards');
            const b = r.body.boards.find((x) => x.slug === 'fife');
            return b?.in_service ? b : null;
        }, { timeoutMs: 10000 });
        assert.equal(restored.plugin?.name, 'fife');
        assert.equal(restored.reason, null);
        assert.ok((await search('fife', { q: 'walking', postcode: 'KY16 9AJ' })).total > 0);
        const ready = await get(T.ready, '/readyz');
        assert.equal(ready.body.status, 'ready');
    });
});
