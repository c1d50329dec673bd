// 00-openapi: the contract document itself is complete and consistent, so the
// checks every other test makes against it mean something. No stack needed.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';

import { ajv, checkContract, resolve, schemaErrors, spec } from './lib/contract.mjs';
import { env } from './lib/env.mjs';

// The public read endpoints: GET only.
const ENDPOINTS = ['/healthz', '/readyz', '/api/v1/boards', '/api/v1/boards/{board}',
                   '/api/v1/boards/{board}/resources', '/api/v1/boards/{board}/resources/{id}',
                   '/api/v1/categories',
                   // the Open Referral HSDS API, for the deployment and for one board
                   ...['/hsds', '/hsds/{board}'].flatMap((base) => [base, ...['services', 'organizations', 'taxonomies',
                       'taxonomy_terms', 'service_at_locations'].flatMap((c) => [`${base}/${c}`, `${base}/${c}/{id}`])])];
// The staff endpoints and their operations, as core/router.c routes them.
const STAFF_ENDPOINTS = {
    '/api/v1/boards/{board}/session': ['post'],
    '/api/v1/session': ['get', 'post', 'delete'],
    '/api/v1/session/password': ['post'],
    '/api/v1/boards/{board}/staff': ['get', 'post'],
    '/api/v1/boards/{board}/staff/{id}': ['get', 'patch'],
    '/api/v1/boards/{board}/staff/{id}/password': ['post'],
    '/api/v1/boards/{board}/practices': ['get', 'post'],
    '/api/v1/boards/{board}/practices/{id}': ['get', 'patch'],
    '/api/v1/boards/{board}/tokens': ['get', 'post'],
    '/api/v1/boards/{board}/tokens/{id}': ['delete'],
    '/api/v1/boards/{board}/signposts': ['get', 'post'],
    '/api/v1/boards/{board}/referrals/preview': ['post'],
    '/api/v1/boards/{board}/referrals': ['post'],
    '/api/v1/boards/{board}/caseload': ['get'],
    '/api/v1/boards/{board}/referrals/{id}': ['get'],
    '/api/v1/boards/{board}/referrals/{id}/status': ['post'],
    '/api/v1/boards/{board}/referrals/{id}/contacts': ['post'],
    '/api/v1/boards/{board}/referrals/{id}/follow-up': ['post'],
    '/api/v1/boards/{board}/referrals/{id}/wellbeing': ['post'],
    '/api/v1/boards/{board}/referrals/{id}/refer-on': ['post'],
    '/api/v1/boards/{board}/signposts/{id}/withdraw': ['post'],
    '/api/v1/boards/{board}/reports/practices': ['get'],
    '/api/v1/boards/{board}/reports/outcomes': ['get'],
    '/api/v1/boards/{board}/reports/regional': ['get'],
    '/api/v1/boards/{board}/reports/directory': ['get'],
    '/api/v1/boards/{board}/audit': ['get'],
    '/api/v1/audit': ['get'],
    '/api/v1/boards/{board}/directory/services': ['get', 'post'],
    '/api/v1/boards/{board}/directory/services/{id}': ['get', 'patch'],
    '/api/v1/boards/{board}/directory/services/{id}/review': ['post'],
    '/api/v1/boards/{board}/directory/services/{id}/history': ['get'],
    '/api/v1/boards/{board}/directory/freshness': ['get'],
    '/api/v1/boards/{board}/directory/settings': ['get', 'patch'],
};
const SIGN_IN = new Set(['signIn', 'signInSystem']);

function* operations() {
    for (const p of ENDPOINTS)
        yield [p, 'get', spec.paths[p].get];
    for (const [p, methods] of Object.entries(STAFF_ENDPOINTS))
        for (const m of methods)
            yield [p, m, spec.paths[p][m]];
}

function walk(node, visit, at = '#') {
    if (Array.isArray(node))
        node.forEach((v, i) => walk(v, visit, `${at}/${i}`));
    else if (node && typeof node === 'object') {
        visit(node, at);
        for (const [k, v] of Object.entries(node))
            walk(v, visit, `${at}/${k}`);
    }
}

describe('docs/openapi.yaml', () => {
    test('is OpenAPI 3.1 with JSON Schema 2020-12 and documents every endpoint: reads GET only, staff endpoints as routed', () => {
        assert.match(spec.openapi, /^3\.1\.\d+$/);
        assert.equal(spec.jsonSchemaDialect, 'https://json-schema.org/draft/2020-12/schema');
        assert.deepEqual(Object.keys(spec.paths).sort(), [...ENDPOINTS, ...Object.keys(STAFF_ENDPOINTS)].sort());
        for (const p of ENDPOINTS) {
            const methods = Object.keys(spec.paths[p]).filter((k) => k !== 'parameters');
            assert.deepEqual(methods, ['get'], `${p}: only GET is an operation (HEAD is implied, others are 405)`);
        }
        for (const [p, expected] of Object.entries(STAFF_ENDPOINTS)) {
            const methods = Object.keys(spec.paths[p]).filter((k) => k !== 'parameters');
            assert.deepEqual(methods.sort(), [...expected].sort(), `${p}: operations`);
        }
    });

    test('every $ref resolves', () => {
        walk(spec, (node, at) => {
            if (typeof node.$ref === 'string')
                assert.ok(resolve(node) !== undefined, `${at}: ${node.$ref}`);
        });
    });

    test('every operation documents 405, the nginx-answered statuses, and a schema for every response', () => {
        for (const [p, method, op] of operations()) {
            assert.ok(op.operationId, `${p}: operationId`);
            const success = Object.keys(op.responses).filter((s) => s.startsWith('2'));
            assert.equal(success.length, 1, `${p} ${method}: one success status`);
            for (const s of ['400', '405', '413', '414', '431', '503'])
                assert.ok(op.responses[s], `${p} ${method}: ${s} is not documented`);
            const staff = Object.hasOwn(STAFF_ENDPOINTS, p);
            if (staff && !SIGN_IN.has(op.operationId))
                assert.ok(op.responses['401'] && op.responses['403'] || p === '/api/v1/session',
                          `${p} ${method}: 401 and 403 are documented`);
            if (op.requestBody) {
                assert.ok(op.responses['415'], `${p} ${method}: takes a body, so 415 is documented`);
                assert.ok(op.requestBody.content['application/json']?.schema, `${p} ${method}: body schema`);
            }
            assert.equal(op.responses['500'], undefined, `${p}: a 500 is a bug, not part of the contract`);
            for (const [status, r] of Object.entries(op.responses)) {
                const resp = resolve(r);
                const content = resp.content ?? {};
                assert.ok(Object.keys(content).length > 0 || status === '204', `${p} ${status}: no content`);
                if (status === '204')
                    continue;
                for (const [media, c] of Object.entries(content)) {
                    assert.ok(c.schema, `${p} ${status} ${media}: no schema`);
                    if (!status.startsWith('2') && !(p === '/readyz' && status === '503'))
                        assert.equal(media, 'application/problem+json', `${p} ${status}: errors are problem+json`);
                }
            }
            const allow = resolve(op.responses['405']).headers?.Allow;
            assert.ok(allow && resolve(allow).required, `${p}: 405 must require Allow`);
        }
    });

    test('our object schemas forbid unknown members, and required names real properties', () => {
        walk(spec.components.schemas, (node, at) => {
            if (node.type === 'object' || node.properties) {
                // An audit entry's detail is what its action records: free-form by
                // design. An HSDS object has the standard's shape, checked against
                // the standard's own schemas (lib/hsds.mjs), which allow more members.
                if (at !== '#/AuditEntry/properties/detail' && at !== '#/HsdsObject')
                    assert.equal(node.additionalProperties, false, `${at}: additionalProperties: false`);
                for (const r of node.required ?? [])
                    assert.ok(node.properties && Object.hasOwn(node.properties, r), `${at}: required ${r} is not a property`);
            }
            assert.ok(!Object.hasOwn(node, 'nullable'), `${at}: use a type array, not OpenAPI 3.0 "nullable"`);
        });
    });

    test('schemas compile under Ajv strict mode, and their examples validate', () => {
        for (const [name, schema] of Object.entries(spec.components.schemas)) {
            schemaErrors(name, null);       // compiles it (throws on a schema error)
            for (const ex of schema.examples ?? [])
                assert.equal(schemaErrors(name, ex), null, `${name} example: ${ajv.errorsText(schemaErrors(name, ex))}`);
        }
    });

    test('the Problem schema accepts RFC 9457 documents and refuses drift', () => {
        assert.equal(schemaErrors('Problem', { type: 'about:blank', title: 'Not found', status: 404, detail: 'x' }), null);
        assert.notEqual(schemaErrors('Problem', { type: 'about:blank', title: 'Not found', status: 404, extra: 1 }), null);
        assert.notEqual(schemaErrors('Problem', { title: 'Not found', status: 404 }), null);
        assert.notEqual(schemaErrors('Problem', { type: 'about:blank', title: 'x', status: 400, errors: [{ field: 'q' }] }), null);
    });

    test('the documented limits are the ones conf/linksd.conf.example configures', () => {
        const conf = fs.readFileSync(path.join(env.src, 'conf', 'linksd.conf.example'), 'utf8').replace(/#.*$/gm, '');
        const value = (name) => {
            const m = conf.match(new RegExp(`\\b${name}\\s*=\\s*([0-9.]+)\\s*;`));
            assert.ok(m, `${name} is not in conf/linksd.conf.example`);
            return Number(m[1]);
        };
        const params = Object.fromEntries(spec.paths['/api/v1/boards/{board}/resources'].get.parameters.map((p) => [p.name, p.schema]));
        assert.equal(params.q.maxLength, value('max_query_length'));
        assert.equal(params.per_page.maximum, value('max_per_page'));
        assert.equal(params.per_page.default, value('default_per_page'));
        assert.equal(params.radius_km.exclusiveMinimum, 0);
        assert.equal(params.radius_km.maximum, value('max_radius_km'));
        assert.equal(params.radius_km.default, value('default_radius_km'));
        assert.equal(params.page.minimum, 1);
        const result = spec.components.schemas.SearchResult.properties;
        assert.equal(result.per_page.maximum, value('max_per_page'));
        assert.equal(result.items.maxItems, value('max_per_page'));
    });

    test('checkContract refuses an undocumented status, a wrong Content-Type, a drifted body, a missing Allow', () => {
        const res = (type, headers = {}) => ({ headers: new Headers({ 'content-type': type, ...headers }) });
        const board = { code: 'S08000031', slug: 'ggc', name: 'NHS GGC', in_service: true, plugin: null, reason: null };
        const ok = { boards: [board] };
        assert.deepEqual(checkContract('GET', '/api/v1/boards', 200, res('application/json'), ok), ok);
        assert.equal(checkContract('HEAD', '/api/v1/boards', 200, res('application/json'), ''), '');
        assert.throws(() => checkContract('HEAD', '/api/v1/boards', 200, res('application/json'), ok), /HEAD response has no body/);
        assert.throws(() => checkContract('GET', '/api/v1/boards', 500, res('application/json'), ok), /not documented/);
        assert.throws(() => checkContract('GET', '/api/v1/boards', 200, res('text/html'), ok), /Content-Type/);
        assert.throws(() => checkContract('GET', '/api/v1/boards', 200, res('application/json'), { boards: [{ ...board, colour: 'red' }] }),
                      /must NOT have additional properties/);
        assert.throws(() => checkContract('GET', '/api/v1/boards', 200, res('application/json'), { boards: [{ ...board, reason: undefined }] }),
                      /must have required property 'reason'/);
        const problem = { type: 'about:blank', title: 'Method not allowed', status: 405, detail: 'POST is not allowed here; use GET.' };
        assert.ok(checkContract('POST', '/api/v1/boards', 405, res('application/problem+json', { allow: 'GET, HEAD' }), problem));
        assert.throws(() => checkContract('POST', '/api/v1/boards', 405, res('application/problem+json'), problem), /Allow is required/);
        assert.throws(() => checkContract('POST', '/api/v1/boards', 200, res('application/json'), ok), /only 405/);
        assert.throws(() => checkContract('GET', '/api/v1/boards', 400, res('application/problem+json'), { ...problem, status: 400 + 1 }),
                      /problem "status"|must be/);
        assert.throws(() => checkContract('GET', '/api/v1/nowhere', 200, res('application/json'), ok), /not a path/);
    });
});
