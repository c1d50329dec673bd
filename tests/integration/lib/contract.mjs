// contract.mjs — docs/openapi.yaml, compiled with Ajv (JSON Schema 2020-12),
// and checkContract(), which every test calls on every response it gets.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';

import Ajv2020Module from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import YAML from 'yaml';

import { env } from './env.mjs';

const Ajv2020 = Ajv2020Module.default ?? Ajv2020Module;
const addFormats = addFormatsModule.default ?? addFormatsModule;

export const specPath = path.join(env.src, 'docs', 'openapi.yaml');
export const spec = YAML.parse(fs.readFileSync(specPath, 'utf8'));

const DEFS_ID = 'urn:community-links:openapi';
const SCHEMA_PREFIX = '#/components/schemas/';

// The document's component schemas become one JSON Schema resource with
// $defs, and every '#/components/schemas/X' reference points into it.
function rewriteRefs(node) {
    if (Array.isArray(node))
        return node.map(rewriteRefs);
    if (node === null || typeof node !== 'object')
        return node;
    const out = {};
    for (const [k, v] of Object.entries(node)) {
        if (k === '$ref' && typeof v === 'string') {
            assert.ok(v.startsWith(SCHEMA_PREFIX), `openapi.yaml: schema $ref ${v} is not a components/schemas reference`);
            out[k] = `${DEFS_ID}#/$defs/${v.slice(SCHEMA_PREFIX.length)}`;
        } else {
            out[k] = rewriteRefs(v);
        }
    }
    return out;
}

export const ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true });
addFormats(ajv);
ajv.addSchema({ $id: DEFS_ID, $defs: rewriteRefs(spec.components?.schemas ?? {}) });

/** Follow a '#/components/...' reference inside the document. */
export function resolve(node) {
    let n = node;
    for (let hops = 0; n && typeof n.$ref === 'string'; hops++) {
        assert.ok(hops < 10, `openapi.yaml: $ref loop at ${node.$ref}`);
        assert.ok(n.$ref.startsWith('#/'), `openapi.yaml: external $ref ${n.$ref}`);
        n = n.$ref.slice(2).split('/').reduce((o, k) => (o == null ? undefined : o[k.replace(/~1/g, '/').replace(/~0/g, '~')]), spec);
        assert.ok(n !== undefined, `openapi.yaml: $ref ${node.$ref} does not resolve`);
    }
    return n;
}

const validators = new Map();
export function validatorFor(schema, key) {
    let v = validators.get(key);
    if (v === undefined) {
        v = ajv.compile(rewriteRefs(schema));
        validators.set(key, v);
    }
    return v;
}

/** Validate a value against a component schema by name; returns Ajv's errors or null. */
export function schemaErrors(name, value) {
    const v = validatorFor({ $ref: `${SCHEMA_PREFIX}${name}` }, `schema:${name}`);
    return v(value) ? null : v.errors;
}

// What nginx answers by itself, before linksd sees the method (info.description).
export const NGINX_STATUSES = [413, 414, 431, 503];

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

export function operation(method, pathTemplate) {
    const item = spec.paths?.[pathTemplate];
    assert.ok(item, `${pathTemplate} is not a path in docs/openapi.yaml`);
    const m = method.toLowerCase();
    if (item[m])
        return { op: item[m], documented: true, head: false };
    // HEAD is GET without a body (see info.description).
    if (m === 'head' && item.get)
        return { op: item.get, documented: true, head: true };
    // Any other method on a known path: only the 405 of the path's operations applies.
    const any = item.get ?? METHODS.map((k) => item[k]).find(Boolean);
    return { op: any, documented: false, head: false };
}

function mediaType(contentType) {
    return contentType ? contentType.split(';')[0].trim().toLowerCase() : null;
}

function describe(body) {
    const s = typeof body === 'string' ? body : JSON.stringify(body);
    return s === undefined ? '(no body)' : s.length > 600 ? `${s.slice(0, 600)}…` : s;
}

/**
 * Check one response against the contract:
 *  - the status is documented for this operation (an undocumented method must be 405),
 *  - documented required headers are present and match their schema,
 *  - the Content-Type is one the response documents,
 *  - the body validates against that content's schema (HEAD: there is no body),
 *  - a problem's "status" member equals the HTTP status.
 * `response` is a fetch Response (or anything with .headers.get); `body` the
 * parsed JSON body (undefined or '' when there is none). Returns the body.
 */
export function checkContract(method, pathTemplate, status, response, body) {
    const where = `${method.toUpperCase()} ${pathTemplate} -> ${status}`;
    const { op, documented, head } = operation(method, pathTemplate);
    assert.ok(op, `${where}: no operation for ${pathTemplate}`);
    if (!documented)
        assert.ok(status === 405 || NGINX_STATUSES.includes(status),
                  `${where}: ${method} is not an operation of ${pathTemplate}, so only 405 (or nginx's ${NGINX_STATUSES.join('/')}) is allowed; body ${describe(body)}`);
    const documentedStatuses = Object.keys(op.responses ?? {});
    const ref = op.responses?.[String(status)];
    assert.ok(ref, `${where}: status ${status} is not documented (documented: ${documentedStatuses.join(', ')}); body ${describe(body)}`);
    const resp = resolve(ref);

    for (const [name, h] of Object.entries(resp.headers ?? {})) {
        const header = resolve(h);
        const value = response.headers.get(name);
        if (header.required)
            assert.ok(value !== null, `${where}: header ${name} is required`);
        if (value !== null && header.schema) {
            const v = validatorFor(header.schema, `header:${pathTemplate}:${method}:${status}:${name}`);
            assert.ok(v(value), `${where}: header ${name}: ${JSON.stringify(value)} ${ajv.errorsText(v.errors)}`);
        }
    }

    const contentType = response.headers.get('content-type');
    const media = mediaType(contentType);
    const content = resp.content ?? {};
    const emptyBody = body === undefined || body === null || body === '';
    if (Object.keys(content).length === 0) {
        assert.ok(emptyBody, `${where}: no body is documented, got ${describe(body)}`);
        return body;
    }
    assert.ok(media !== null && Object.hasOwn(content, media),
              `${where}: Content-Type ${contentType} is not documented (expected ${Object.keys(content).join(' or ')}); body ${describe(body)}`);
    if (head) {
        assert.ok(emptyBody, `${where}: a HEAD response has no body, got ${describe(body)}`);
        return body;
    }
    assert.ok(!emptyBody, `${where}: expected a ${media} body, got none`);
    const schema = content[media].schema;
    assert.ok(schema, `${where}: ${media} has no schema in openapi.yaml`);
    const validate = validatorFor(schema, `body:${pathTemplate}:${op.operationId}:${status}:${media}`);
    if (!validate(body))
        assert.fail(`${where}: body does not match the contract: ${ajv.errorsText(validate.errors, { separator: '; ' })}\n  body: ${describe(body)}`);
    if (media === 'application/problem+json')
        assert.equal(body.status, status, `${where}: problem "status" ${body.status} differs from the HTTP status`);
    return body;
}

export const allMethods = METHODS;
