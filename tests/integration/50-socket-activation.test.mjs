// 50-socket-activation.test.mjs — linksd takes its listening socket from
// its parent (listen = "fd:0", as spawn-fcgi and systemd socket activation
// hand it over), and its FastCGI answers are well formed on the wire
// (Status, Content-Type, a Content-Length equal to the body's length).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { after, before, test } from 'node:test';

import { sleep, waitFor } from './lib/api.mjs';
import { env } from './lib/env.mjs';
import { fastcgiGet } from './lib/fastcgi.mjs';

const dir = `${env.run}/linksd`;
const socketPath = `${dir}/fd0-test.sock`;
const pidFile = `${dir}/fd0-test.pid`;
const configPath = `${env.run}/linksd-fd0.conf`;

function readPid() {
    return Number(fs.readFileSync(pidFile, 'utf8').trim());
}

before(() => {
    const conf = fs.readFileSync(`${env.run}/linksd.conf`, 'utf8')
        .replace(/^listen = .*$/m, 'listen = "fd:0";')
        .replace(/^workers = .*$/m, 'workers = 1;');
    fs.writeFileSync(configPath, conf, { mode: 0o644 });
    execFileSync('spawn-fcgi', ['-s', socketPath, '-M', '0660', '-u', 'links', '-g', 'www-data',
                                '-P', pidFile, '--', `${env.build}/linksd`, '-c', configPath],
                 { stdio: ['ignore', 'ignore', 'pipe'] });
});

after(async () => {
    try {
        const pid = readPid();
        try { process.kill(pid, 'SIGTERM'); } catch { /* already stopped by the last test */ }
        await waitFor('the spawn-fcgi linksd to stop', () => {
            try { process.kill(pid, 0); return false; } catch { return true; }
        }, { timeoutMs: 10000 });
    } finally {
        fs.rmSync(socketPath, { force: true });
        fs.rmSync(configPath, { force: true });
        fs.rmSync(pidFile, { force: true });
    }
});

test('linksd serves on a socket inherited on fd 0 (spawn-fcgi)', async () => {
    const res = await waitFor('linksd on the inherited socket', async () => {
        try { return await fastcgiGet(socketPath, '/api/v1/boards'); } catch { return null; }
    }, { timeoutMs: 15000 });
    assert.equal(res.status, 200);
    assert.equal(res.headers['content-type'], 'application/json');
    const boards = JSON.parse(res.body).boards.map((b) => b.slug).sort();
    assert.deepEqual(boards, ['fife', 'ggc']);
    // It is the same socket spawn-fcgi made: linksd did not bind its own.
    assert.ok(fs.statSync(socketPath).isSocket());
});

test('FastCGI answers carry a Content-Length equal to the body length', async () => {
    for (const uri of ['/api/v1/boards', '/api/v1/boards/nowhere', '/healthz',
                       '/api/v1/boards/ggc/resources?q=walking&postcode=G12+8QQ']) {
        const res = await fastcgiGet(socketPath, uri);
        assert.ok(res.headers['content-length'] !== undefined && res.headers['content-length'] !== '',
                  `${uri}: no Content-Length`);
        assert.equal(Number(res.headers['content-length']), Buffer.byteLength(res.body), uri);
        assert.equal(res.headers['cache-control'], 'no-store', uri);
    }
});

test('SIGTERM stops a socket-activated linksd and leaves the socket to its owner', async () => {
    const pid = readPid();
    process.kill(pid, 'SIGTERM');
    await waitFor('linksd to exit', () => {
        try { process.kill(pid, 0); return false; } catch { return true; }
    }, { timeoutMs: 10000 });
    await sleep(100);
    // linksd removes only sockets it created itself.
    assert.ok(fs.existsSync(socketPath), 'the inherited socket must not be unlinked by linksd');
});
