// stack.mjs — the processes of the stack under test (deploy/lib/stack.sh
// layout) and a bounded load generator for the fault tests.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';

import { checkContract } from './contract.mjs';
import { env } from './env.mjs';

export function masterPid() {
    const text = fs.readFileSync(`${env.run}/linksd/linksd.pid`, 'utf8').trim();
    const pid = Number(text);
    if (!Number.isInteger(pid) || pid <= 1)
        throw new Error(`bad pid file ${env.run}/linksd/linksd.pid: ${JSON.stringify(text)}`);
    return pid;
}

export function alive(pid) {
    try {
        process.kill(pid, 0);
        return true;
    } catch (e) {
        return e.code === 'EPERM';
    }
}

/** The master's children (its workers, old and new generation), sorted. */
export function workerPids(master = masterPid()) {
    let out = '';
    try {
        out = execFileSync('pgrep', ['-P', String(master)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    } catch (e) {
        if (e.status !== 1)         // 1: no processes matched
            throw e;
    }
    return out.split(/\s+/).filter(Boolean).map(Number).sort((a, b) => a - b);
}

/**
 * GET on a connection of its own (no keep-alive): a fault test measures
 * what the server does, and a client that reuses connections can lose a
 * request to a connection it is just retiring (a 5 s "hang" that never
 * reached nginx, seen under ASan). Resolves { status, headers (a Headers),
 * text }; rejects with a TimeoutError after timeoutMs.
 */
function getFresh(url, timeoutMs) {
    return new Promise((resolve, reject) => {
        const req = http.get(url, { agent: false, headers: { Connection: 'close' } }, (res) => {
            const chunks = [];
            res.on('data', (c) => chunks.push(c));
            res.on('end', () => {
                const headers = new Headers();
                for (const [k, v] of Object.entries(res.headers))
                    headers.set(k, Array.isArray(v) ? v.join(', ') : String(v));
                resolve({ status: res.statusCode, headers, text: Buffer.concat(chunks).toString('utf8') });
            });
            res.on('error', reject);
        });
        req.setTimeout(timeoutMs, () => {
            const e = new Error(`no answer in ${timeoutMs} ms`);
            e.name = 'TimeoutError';
            req.destroy(e);
        });
        req.on('error', reject);
    });
}

/**
 * `concurrency` loops of requests for `durationMs` (and at most `maxRequests`
 * in all), each with a timeout. Every response is checked against the
 * contract for `template`. Returns one record per request:
 * { start, end, status (0 for a network error or timeout), ok, error, title }.
 * `during` (optional) runs once, `atMs` after the start, while the load runs.
 */
export async function load({ paths, template, concurrency = 8, durationMs = 4000, maxRequests = 20000,
                             timeoutMs = 5000, during, atMs = 0 }) {
    const t0 = Date.now();
    const records = [];
    let issued = 0;
    let contractError = null;
    const one = async (path) => {
        const start = Date.now() - t0;
        try {
            const res = await getFresh(env.baseUrl + path, timeoutMs);
            const text = res.text;
            let body;
            try {
                body = text ? JSON.parse(text) : undefined;
            } catch {
                body = text;
            }
            try {
                checkContract('GET', template, res.status, res, body);
            } catch (e) {
                contractError ??= e;
            }
            records.push({ start, end: Date.now() - t0, status: res.status, ok: res.status === 200,
                           title: body?.title, detail: body?.detail, retryAfter: res.headers.get('retry-after') });
        } catch (e) {
            records.push({ start, end: Date.now() - t0, status: 0, ok: false, error: e.name === 'TimeoutError' ? 'timeout' : e.message });
        }
    };
    const loop = async (n) => {
        while (Date.now() - t0 < durationMs && issued < maxRequests) {
            const path = paths[(issued++ + n) % paths.length];
            await one(path);
        }
    };
    let duringResult;
    const fault = during
        ? (async () => {
            await new Promise((r) => setTimeout(r, atMs));
            duringResult = { at: Date.now() - t0, value: await during() };
        })()
        : Promise.resolve();
    await Promise.all([...Array.from({ length: concurrency }, (_, n) => loop(n)), fault]);
    if (contractError)
        throw contractError;
    return { records, during: duringResult, elapsedMs: Date.now() - t0 };
}

export function summarise(records) {
    const byStatus = {};
    for (const r of records)
        byStatus[r.status] = (byStatus[r.status] ?? 0) + 1;
    return byStatus;
}
