// hsds.mjs — the official Open Referral HSDS 3.0 schemas (tests/integration/hsds/,
// copied unchanged) compiled with Ajv, and checks that a /hsds/ response is
// what the standard says it is.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import AjvModule from 'ajv';
import addFormatsModule from 'ajv-formats';

const Ajv = AjvModule.default ?? AjvModule;
const addFormats = addFormatsModule.default ?? addFormatsModule;

const here = path.dirname(fileURLToPath(import.meta.url));
export const HSDS_DIR = path.resolve(here, '..', 'hsds');
const SCHEMA_DIR = path.join(HSDS_DIR, 'schema');

// The schemas carry keywords of their own (constraints, core, name, path,
// datapackage_metadata, example...): strict mode would refuse them.
const ajv = new Ajv({ allErrors: true, strict: false });
addFormats(ajv);

export const schemas = {};
for (const file of fs.readdirSync(SCHEMA_DIR).filter((f) => f.endsWith('.json') && f !== 'openapi.json')) {
    schemas[file] = JSON.parse(fs.readFileSync(path.join(SCHEMA_DIR, file), 'utf8'));
    // Added under its file name, so that "$ref": "phone.json" resolves.
    ajv.addSchema(schemas[file], file);
}
const openapi = JSON.parse(fs.readFileSync(path.join(SCHEMA_DIR, 'openapi.json'), 'utf8'));
const validatePage = ajv.compile(openapi.components.schemas.Page);

function describe(value) {
    const s = JSON.stringify(value);
    return s.length > 500 ? `${s.slice(0, 500)}…` : s;
}

/** Validate an object against one of the standard's schemas ('service.json'). */
export function assertValid(file, value, where = '') {
    const validate = ajv.getSchema(file);
    assert.ok(validate, `no HSDS schema ${file}`);
    if (!validate(value))
        assert.fail(`${where}: not a valid HSDS ${file}: ${ajv.errorsText(validate.errors, { separator: '; ' })}\n  ${describe(value)}`);
}

// Members that are not in the schema but that the standard's API nests:
// an organization's services, a service_at_location's service.
const NESTED = {
    'organization.json': { services: 'service.json' },
    'service_at_location.json': { service: 'service.json' },
};

/**
 * Every member of `value`, at every depth, is one the standard defines for
 * that object. The schemas allow other members; this is stricter on
 * purpose: nothing of our own (staff, review or referral data) may reach
 * the public API unnoticed.
 */
export function assertOnlyStandardMembers(file, value, where = file) {
    const schema = schemas[file];
    assert.ok(schema, `no HSDS schema ${file}`);
    for (const [key, v] of Object.entries(value)) {
        const nested = NESTED[file]?.[key];
        const prop = schema.properties[key];
        assert.ok(prop || nested, `${where}: "${key}" is not a member of HSDS ${file}`);
        const ref = nested ?? prop.$ref ?? prop.items?.$ref;
        if (!ref)
            continue;
        for (const [i, item] of (Array.isArray(v) ? v : [v]).entries())
            if (item && typeof item === 'object')
                assertOnlyStandardMembers(ref, item, `${where}.${key}${Array.isArray(v) ? `[${i}]` : ''}`);
    }
}

/** A /hsds/ list: the Page envelope, consistent counts, each item valid. */
export function assertPage(body, itemFile, { page, perPage }, where) {
    assert.ok(validatePage(body), `${where}: not an HSDS Page: ${ajv.errorsText(validatePage.errors)}`);
    for (const k of ['total_items', 'total_pages', 'page_number', 'size', 'first_page', 'last_page', 'empty', 'contents'])
        assert.ok(k in body, `${where}: Page member ${k} missing`);
    assert.equal(body.page_number, page, `${where}: page_number`);
    assert.equal(body.size, body.contents.length, `${where}: size is the number of contents`);
    assert.equal(body.total_pages, Math.ceil(body.total_items / perPage), `${where}: total_pages`);
    assert.equal(body.first_page, page === 1, `${where}: first_page`);
    assert.equal(body.last_page, page >= body.total_pages, `${where}: last_page`);
    assert.equal(body.empty, body.total_items === 0, `${where}: empty`);
    for (const [i, item] of body.contents.entries()) {
        assertValid(itemFile, item, `${where} contents[${i}]`);
        assertOnlyStandardMembers(itemFile, item, `${where} contents[${i}]`);
    }
}
