// 60-cli.test.mjs — the admin tools as an operator uses them: linksctl
// plugin-check, migrate (re-runnable, refusing an edited migration),
// demo-data (running it twice changes nothing), linksd -t on good and
// broken configuration.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';

import { env } from './lib/env.mjs';
import { sqlOne } from './lib/db.mjs';

/** The single value of a one-row, one-column query. */
const scalar = (query) => Object.values(sqlOne(query))[0];

const ownerConninfo = () => `host=${env.run}/pgsock port=${env.pgPort} dbname=links user=links_owner`;

function run(program, args, { timeoutMs = 120000 } = {}) {
    const r = spawnSync(program, args, { encoding: 'utf8', timeout: timeoutMs });
    if (r.error)
        throw r.error;
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const linksctl = (args, opts) => run(`${env.build}/linksctl`, args, opts);
const linksd = (args, opts) => run(`${env.build}/linksd`, args, opts);

test('plugin-check prints a good plugin\'s name, version and ABI', () => {
    const r = linksctl(['plugin-check', `${env.build}/plugins/fife/.libs/fife.so`]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^name: +fife$/m);
    assert.match(r.stdout, /^version: +\d+\.\d+\.\d+$/m);
    assert.match(r.stdout, /^abi: +1\.\d+ /m);
    assert.match(r.stdout, /lookup=yes/);
});

test('plugin-check refuses a plugin built for another ABI, saying why', () => {
    const file = `${env.build}/tests/unit/plugins/.libs/wrong_abi.so`;
    const r = linksctl(['plugin-check', file]);
    assert.equal(r.status, 1);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /wrong_abi\.so: refused; ABI major is 2, this linksd needs 1/);
});

test('plugin-check refuses a file that is not a plugin', () => {
    const r = linksctl(['plugin-check', '/etc/hostname']);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /cannot load/);
});

test('migrate is safe to re-run: nothing new is applied', () => {
    const before = scalar('SELECT count(*) FROM schema_migrations');
    const r = linksctl(['-d', ownerConninfo(), '-s', env.src, 'migrate']);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /0 migrations applied now/);
    assert.equal(scalar('SELECT count(*) FROM schema_migrations'), before);
    const status = linksctl(['-d', ownerConninfo(), '-s', env.src, 'migrate', '--status']);
    assert.equal(status.status, 0);
    assert.doesNotMatch(status.stdout, /pending/);
    assert.match(status.stdout, /applied +0001_reference\.sql/);
});

test('migrate refuses a migration edited after it was applied, and changes nothing', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'links-schema-'));
    try {
        fs.cpSync(path.join(env.src, 'schema'), path.join(dir, 'schema'), { recursive: true });
        fs.appendFileSync(path.join(dir, 'schema', '0002_directory.sql'), '\n-- edited later\n');
        fs.writeFileSync(path.join(dir, 'schema', '9999_never.sql'), 'CREATE TABLE never_applied (x int);\n');
        const r = linksctl(['-d', ownerConninfo(), '-s', dir, 'migrate']);
        assert.equal(r.status, 1);
        assert.match(r.stderr, /0002_directory\.sql was changed after it was applied/);
        assert.equal(scalar("SELECT count(*) FROM pg_tables WHERE tablename = 'never_applied'"), 0);
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
});

test('a failing migration is rolled back whole, with the file and line', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'links-schema-'));
    try {
        fs.cpSync(path.join(env.src, 'schema'), path.join(dir, 'schema'), { recursive: true });
        fs.writeFileSync(path.join(dir, 'schema', '9998_broken.sql'),
                         'CREATE TABLE half_done (x int);\n\nSELECT no_such_column FROM half_done;\n');
        const r = linksctl(['-d', ownerConninfo(), '-s', dir, 'migrate']);
        assert.equal(r.status, 1);
        assert.match(r.stderr, /9998_broken\.sql:3: ERROR: +column "no_such_column" does not exist/);
        assert.equal(scalar("SELECT count(*) FROM pg_tables WHERE tablename = 'half_done'"), 0);
        assert.equal(scalar("SELECT count(*) FROM schema_migrations WHERE version = '9998'"), 0);
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
});

test('demo-data twice gives the same directory as once', () => {
    const snapshot = () => scalar(
        "SELECT md5(string_agg(s.id::text || s.name || s.keywords || s.location_sectors::text, ',' ORDER BY s.id)) " +
        '|| (SELECT count(*) FROM location)::text || (SELECT count(*) FROM practice)::text AS fingerprint FROM service s');
    const before = snapshot();
    const r = linksctl(['-d', ownerConninfo(), '-s', env.src, 'demo-data']);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(snapshot(), before);
});

test('demo-activity runs its whole script (with nothing to make here, so other tests keep their data) and checks its arguments', () => {
    const counts = () => scalar('SELECT (SELECT count(*) FROM signpost)::text || \'/\' || (SELECT count(*) FROM referral)::text AS n');
    const before = counts();
    const r = linksctl(['-d', ownerConninfo(), '-s', env.src, 'demo-activity', '--signposts', '0', '--referrals', '0']);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /50_activity\.sql/);
    assert.equal(counts(), before);
    for (const bad of [['--signposts', 'many'], ['--referrals', '-1'], ['--signposts', '10000001'], ['--colour', '1']]) {
        const refused = linksctl(['-d', ownerConninfo(), '-s', env.src, 'demo-activity', ...bad]);
        assert.equal(refused.status, 2, bad.join(' '));
        assert.match(refused.stderr, /usage: linksctl demo-activity/);
    }
});

test('sql statement prints a statement linksd prepares, and refuses a name it does not', () => {
    const r = linksctl(['sql', 'statement', 'report_practices']);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /report_signpost_month/);
    const unknown = linksctl(['sql', 'statement', 'no_such_statement']);
    assert.equal(unknown.status, 2);
    assert.match(unknown.stderr, /no statement named "no_such_statement"/);
});

test('linksd -t accepts the running configuration and names each board', () => {
    const r = linksd(['-t', '-c', `${env.run}/linksd.conf`]);
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /board ggc \(S08000031\): ok, plugin glasgow/);
    assert.match(r.stdout, /board fife \(S08000029\): ok, plugin fife/);
});

test('linksd refuses a broken configuration with file, line and what is wrong', () => {
    const file = path.join(os.tmpdir(), `links-broken-${process.pid}.conf`);
    try {
        const conf = fs.readFileSync(`${env.run}/linksd.conf`, 'utf8').replace(/^threads = .*$/m, 'threads = "many";');
        fs.writeFileSync(file, conf);
        const line = conf.split('\n').findIndex((l) => l.startsWith('threads = ')) + 1;
        const r = linksd(['-c', file]);
        assert.equal(r.status, 2);
        assert.equal(r.stderr.trim(), `linksd: ${file}:${line}: 'threads' must be a whole number`);
    } finally {
        fs.rmSync(file, { force: true });
    }
});
