// pgbench.mjs — helpers of tests/bench/referrals.
//
//   node pgbench.mjs chi K
//       the CHI number of serial K (the mapping create.lua and the pgbench
//       scripts use)
//   node pgbench.mjs check-chis < chis
//       counts the lines that are not valid CHI numbers (date, modulus 11)
//   node pgbench.mjs prepare LOG
//       PREPAREs of the statements in LOG (see scripts) and a query listing
//       their parameters' types as "name|n|type": the bench runs them with
//       psql as links_app and keeps the answer in OUTDIR/types
//   node pgbench.mjs scripts LOG OUTDIR CHI KEY PATIENT_ID REFERRAL_ID
//       reads the statements linksd ran for one referral (PostgreSQL's log
//       with log_statement = all, lines prefixed "@@linksd@@ "), checks they
//       are the ones the bench expects, and writes the pgbench scripts:
//         OUTDIR/full.sql  every statement, in linksd's order, with its
//                          round trips (the session lookup pipelined with the
//                          board, then the transaction statement by statement)
//         OUTDIR/bare.sql  the board, the patient and the referral with its
//                          first history entry: the inserts alone
//         OUTDIR/defs      pgbench -D NAME=VALUE lines: the values linksd
//                          bound, kept as parameters
//         OUTDIR/sequence  the statement names, one a line
//       Each $n becomes a pgbench variable (a parameter of the prepared
//       statement, as in linksd) cast to the type PostgreSQL gives $n in
//       linksd's statement (OUTDIR/types: "name|n|type" lines, made by the
//       bench with PREPARE), so that a parameter used twice keeps one type;
//       a NULL becomes NULL of that type. The CHI number, the key, the
//       patient and the referral become this transaction's own.
import { readFileSync, writeFileSync } from 'node:fs';

// The CHI number for serial k: DDMMYY (DD 10-28: no leading zero, always a
// date), three digits, the modulus-11 check digit; a check digit of 10 (no
// valid number) moves the serial to the upper half of the three digits.
export function chi(k) {
    const day = 10 + (k % 19), month = 1 + (Math.floor(k / 19) % 12);
    const yy = Math.floor(k / 228) % 100, s = Math.floor(k / 22800) % 500;
    let nine = ((day * 100 + month) * 100 + yy) * 1000 + s;
    let check = mod11(String(nine).padStart(9, '0'));
    if (check === 10) {
        nine += 500;
        check = mod11(String(nine).padStart(9, '0'));
    }
    return String(nine).padStart(9, '0') + check;
}

function mod11(nine) {
    let sum = 0;
    for (let i = 0; i < 9; i++)
        sum += Number(nine[i]) * (10 - i);
    return (11 - (sum % 11)) % 11;
}

function validChi(c) {
    if (!/^[0-9]{10}$/.test(c))
        return false;
    const day = Number(c.slice(0, 2)), month = Number(c.slice(2, 4));
    const days = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    if (month < 1 || month > 12 || day < 1 || day > days[month - 1])
        return false;
    const check = mod11(c.slice(0, 9));
    return check !== 10 && check === Number(c[9]);
}

// The same mapping as pgbench expressions, so that pgbench makes its own:
// the serial is :bench_base + :bench_n * :bench_clients + :client_id, with
// :bench_n counting this client's transactions (pgbench keeps a client's
// variables from one transaction to the next).
const PREAMBLE = `\\set bench_n :bench_n + 1
\\set bench_k :bench_base + :bench_n * :bench_clients + :client_id
\\set bench_nine ((10 + :bench_k % 19) * 100 + 1 + (:bench_k / 19) % 12) * 100000 + ((:bench_k / 228) % 100) * 1000 + (:bench_k / 22800) % 500
\\set bench_sum (:bench_nine / 100000000) * 10 + (:bench_nine / 10000000 % 10) * 9 + (:bench_nine / 1000000 % 10) * 8 + (:bench_nine / 100000 % 10) * 7 + (:bench_nine / 10000 % 10) * 6 + (:bench_nine / 1000 % 10) * 5 + (:bench_nine / 100 % 10) * 4 + (:bench_nine / 10 % 10) * 3 + (:bench_nine % 10) * 2
\\if (11 - :bench_sum % 11) % 11 = 10
\\set bench_nine :bench_nine + 500
\\set bench_sum :bench_sum + 20
\\endif
\\set bench_chi :bench_nine * 10 + (11 - :bench_sum % 11) % 11
\\set bench_key :bench_k
`;

// What linksd runs for POST /api/v1/boards/{board}/referrals, in order: the
// session (core/auth.c, pipelined with the board), then the creation's
// transaction (core/api_referral.c, core/audit.c).
const EXPECTED = ['links_set_board', 'auth_session_lookup', 'BEGIN', 'links_set_board', 'referral_lock',
                  'referral_find', 'referral_context', 'referral_patient', 'referral_create', 'referral_get',
                  'audit_insert', 'COMMIT'];

function parseLog(text) {
    const out = [];
    for (const line of text.split('\n')) {
        const m = /^@@linksd@@ (LOG|DETAIL):  (.*)$/.exec(line);
        if (!m)
            continue;
        const [, level, rest] = m;
        let s;
        if (level === 'LOG' && (s = /^statement: (.*)$/.exec(rest)))
            out.push({ name: s[1].trim().toUpperCase(), sql: s[1], params: {} });
        else if (level === 'LOG' && (s = /^execute ([^:]+): (.*)$/.exec(rest)))
            out.push({ name: s[1], sql: s[2], params: {} });
        else if (level === 'DETAIL' && (s = /^parameters: (.*)$/.exec(rest)) && out.length) {
            const re = /\$(\d+) = (NULL|'((?:[^']|'')*)')/g;
            let p;
            while ((p = re.exec(s[1])) !== null)
                out[out.length - 1].params[p[1]] = p[2] === 'NULL' ? null : p[3].replace(/''/g, "'");
        }
    }
    return out;
}

function scripts(logFile, dir, dyn) {
    const stmts = parseLog(readFileSync(logFile, 'utf8'));
    const names = stmts.map(s => s.name);
    writeFileSync(`${dir}/sequence`, names.join('\n') + '\n');
    if (names.join(' ') !== EXPECTED.join(' ')) {
        console.error(`linksd ran: ${names.join(' ')}\nthe bench expects: ${EXPECTED.join(' ')}\n` +
                      'update tests/bench/referrals.d/pgbench.mjs to what linksd does now');
        process.exit(1);
    }
    // PostgreSQL's types for each statement's parameters
    const types = {};
    for (const line of readFileSync(`${dir}/types`, 'utf8').split('\n')) {
        const [name, n, type] = line.split('|');
        if (type)
            (types[name] ??= {})[n] = type;
    }
    const defs = [];
    const seen = new Map();     // value -> variable, for constants
    const variable = (stmt, n, value) => {
        if (value === dyn.chi)
            return 'bench_chi';
        if (value === dyn.key)
            return 'bench_key';
        if (value === dyn.patient)
            return 'bench_p_id';
        if (value === dyn.referral)
            return 'bench_r_referral_id';
        const name = `bench_${stmt.replace(/[^a-z0-9_]/g, '_')}_${n}`;
        defs.push(`${name}=${value}`);
        return name;
    };
    const rewrite = (s) => {
        if (s.name === 'BEGIN' || s.name === 'COMMIT')
            return s.name;
        const t = types[s.name] ?? {};
        const vars = {};
        for (const [n, value] of Object.entries(s.params))
            vars[n] = value === null ? null : variable(s.name, n, value);
        let sql = s.sql.replace(/\$(\d+)(?!\d)/g, (_, n) => {
            if (!(n in vars) || !t[n])
                throw new Error(`${s.name}: no value or type for $${n}`);
            return `${vars[n] === null ? 'NULL' : ':' + vars[n]}::${t[n]}`;
        });
        // pgbench reads :NAME as a variable anywhere in the text: a time
        // format's colons are written as quoted text (the same output)
        sql = sql.replace(/HH24:MI:SS/g, 'HH24":"MI":"SS');
        const stray = sql.replace(/:(bench_[a-z0-9_]+|client_id)/g, '').match(/(?<!:):[A-Za-z_][A-Za-z0-9_]*/);
        if (stray)
            throw new Error(`${s.name}: "${stray[0]}" would read as a pgbench variable`);
        return sql;
    };
    const byName = (name, from = 0) => stmts.findIndex((s, i) => i >= from && s.name === name);
    const tx = byName('BEGIN');
    const line = (i, end = ';') => `${rewrite(stmts[i])}${end}`;
    const full = [PREAMBLE.trimEnd(), '\\startpipeline', line(0), line(1), '\\endpipeline'];
    for (let i = tx; i < stmts.length; i++) {
        const name = stmts[i].name;
        full.push(line(i, name === 'referral_patient' ? ' \\gset bench_p_'
                        : name === 'referral_create' ? ' \\gset bench_r_' : ';'));
    }
    writeFileSync(`${dir}/full.sql`, full.join('\n') + '\n');
    const bare = [PREAMBLE.trimEnd(), 'BEGIN;', line(tx + 1), line(byName('referral_patient'), ' \\gset bench_p_'),
                  line(byName('referral_create')), 'COMMIT;'];
    writeFileSync(`${dir}/bare.sql`, bare.join('\n') + '\n');
    writeFileSync(`${dir}/defs`, defs.join('\n') + '\n');
}

const [cmd, ...args] = process.argv.slice(2);
if (cmd === 'chi') {
    console.log(chi(Number(args[0])));
} else if (cmd === 'check-chis') {
    const lines = readFileSync(0, 'utf8').split('\n').filter(Boolean);
    console.log(lines.filter(c => !validChi(c)).length);
} else if (cmd === 'prepare') {
    // PREPARE statements (for their types), from the log
    const stmts = parseLog(readFileSync(args[0], 'utf8')).filter(s => s.name !== 'BEGIN' && s.name !== 'COMMIT');
    const done = new Set();
    for (const s of stmts) {
        if (done.has(s.name))
            continue;
        done.add(s.name);
        console.log(`PREPARE ${s.name} AS ${s.sql};`);
    }
    console.log("SELECT p.name, u.i, u.t FROM pg_prepared_statements p, unnest(p.parameter_types) WITH ORDINALITY AS u(t, i);");
} else if (cmd === 'scripts') {
    const [log, dir, c, key, patient, referral] = args;
    scripts(log, dir, { chi: c, key, patient, referral });
} else {
    console.error('usage: pgbench.mjs chi K | check-chis | prepare LOG | scripts LOG OUTDIR CHI KEY PATIENT_ID REFERRAL_ID');
    process.exit(2);
}
