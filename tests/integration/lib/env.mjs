// env.mjs — where the stack under test is. tests/run sets all of these for a
// fresh private stack; for a stack you started yourself, set them by hand:
//
//   LINKS_BASE_URL  nginx in front of linksd, e.g. http://127.0.0.1:18080
//   LINKS_RUN       the run directory (deploy/lib/stack.sh layout: pg/, pgsock/,
//                   pglog/, linksd/linksd.pid, plugins/, linksd.conf)
//   LINKS_PG_PORT   PostgreSQL's port (it listens on $LINKS_RUN/pgsock only)
//   LINKS_SRC       the repository root
//   LINKS_BUILD     the build directory (linksd, plugins/*/.libs, tests/unit/plugins/.libs)
//   PG_BIN          PostgreSQL's programs (default /usr/lib/postgresql/15/bin)
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));

function need(name) {
    const v = process.env[name];
    if (v === undefined || v === '')
        throw new Error(`${name} is not set: the integration tests need a running stack ` +
                        '(see tests/integration/lib/env.mjs)');
    return v;
}

export const env = {
    get baseUrl() { return need('LINKS_BASE_URL').replace(/\/+$/, ''); },
    get run() { return need('LINKS_RUN'); },
    get pgPort() { return need('LINKS_PG_PORT'); },
    get src() { return process.env.LINKS_SRC || path.resolve(here, '../../..'); },
    get build() { return need('LINKS_BUILD'); },
    /** nginx's HTTPS port (stack.sh writes it into the run's nginx.conf). */
    get tlsPort() {
        const conf = fs.readFileSync(path.join(need('LINKS_RUN'), 'nginx', 'nginx.conf'), 'utf8');
        const m = conf.match(/listen 127\.0\.0\.1:(\d+) ssl;/);
        if (!m)
            throw new Error('no HTTPS listener in the run\'s nginx.conf');
        return Number(m[1]);
    },
    get pgBin() { return process.env.PG_BIN || '/usr/lib/postgresql/15/bin'; },
};
