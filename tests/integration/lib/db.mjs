// db.mjs — read the database directly (as the postgres superuser, over the
// run's Unix socket) to compute what the API should answer, independently
// of linksd's own SQL.
import { execFile, execFileSync } from 'node:child_process';
import os from 'node:os';
import { promisify } from 'node:util';

import { env } from './env.mjs';

/** A SQL string literal. */
export function lit(s) {
    return `'${String(s).replace(/'/g, "''")}'`;
}

/** A SQL text[] literal. */
export function textArray(values) {
    return `ARRAY[${values.map(lit).join(', ')}]::text[]`;
}

function asPostgresArgs(cmd, args) {
    return os.userInfo().username === 'postgres' ? [cmd, args] : ['runuser', ['-u', 'postgres', '--', cmd, ...args]];
}

function asPostgres(cmd, args, opts) {
    const [c, a] = asPostgresArgs(cmd, args);
    return execFileSync(c, a, opts);
}

/** Run psql with these arguments against the links database; returns stdout. */
export function psql(args, { timeoutMs = 60000 } = {}) {
    return asPostgres('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-h', `${env.run}/pgsock`, '-p', String(env.pgPort),
                               '-U', 'postgres', '-d', 'links', ...args],
                      { encoding: 'utf8', timeout: timeoutMs, maxBuffer: 256 * 1024 * 1024, stdio: ['ignore', 'pipe', 'pipe'] });
}

/** The rows of a SELECT, as objects (through json_agg, so types survive). */
export function sql(query) {
    const out = psql(['-At', '-c', `SELECT coalesce(json_agg(t), '[]'::json) FROM (${query}) t`]);
    return JSON.parse(out);
}

export function sqlOne(query) {
    const rows = sql(query);
    return rows.length > 0 ? rows[0] : undefined;
}

/** pg_ctl on the run's cluster, as postgres. */
export function pgCtl(args, { timeoutMs = 90000 } = {}) {
    return asPostgres(`${env.pgBin}/pg_ctl`, ['-D', `${env.run}/pg`, ...args],
                      { encoding: 'utf8', timeout: timeoutMs, stdio: ['ignore', 'pipe', 'pipe'] });
}

/** pg_ctl without blocking the event loop (for use while a load runs). */
export async function pgCtlAsync(args, { timeoutMs = 90000 } = {}) {
    const [c, a] = asPostgresArgs(`${env.pgBin}/pg_ctl`, ['-D', `${env.run}/pg`, ...args]);
    const { stdout } = await promisify(execFile)(c, a, { encoding: 'utf8', timeout: timeoutMs });
    return stdout;
}

/**
 * Run SQL as another role (links_app: the runtime role; links_owner) and
 * return { ok, out, error (the server's message) }: for proving what a role
 * can and cannot do.
 */
export function psqlAs(user, text) {
    try {
        const out = asPostgres('psql', ['-X', '-q', '-At', '-v', 'ON_ERROR_STOP=1', '-h', `${env.run}/pgsock`, '-p', String(env.pgPort),
                                        '-U', user, '-d', 'links', '-c', text],
                               { encoding: 'utf8', timeout: 60000, stdio: ['ignore', 'pipe', 'pipe'] });
        return { ok: true, out: out.trim(), error: null };
    } catch (e) {
        return { ok: false, out: String(e.stdout ?? '').trim(), error: String(e.stderr ?? e.message).trim() };
    }
}
