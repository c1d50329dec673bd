/* import_hsds.c — read Open Referral HSDS 3.0 JSON into import records.
 *
 * Accepted, as the /hsds/ API and `linksctl export hsds` give them: one
 * service, organization, service at a location or taxonomy term; a list
 * of them; the standard's Page ({"contents": [...]}); or an export
 * document ({"services": [...], "organizations": [...],
 * "taxonomy_terms": [...]}). Records come out in the order the database
 * needs them: taxonomies, taxonomy terms (parents first), organizations,
 * services, then locations on their own (updates of ones imported with a
 * service). */
#include <stdio.h>
#include <string.h>

#include "import.h"

struct buckets {
    json_t *taxonomies, *terms, *organizations, *services, *locations;
    struct import_records *out;
};

static int has(json_t *o, const char *member)
{
    json_t *v = json_object_get(o, member);
    return v != NULL && !json_is_null(v);
}

/* A service at a location becomes its service offered at that location. */
static json_t *service_of_sal(json_t *sal)
{
    json_t *service = json_deep_copy(json_object_get(sal, "service"));
    json_t *at = json_deep_copy(sal);
    if (service == NULL || at == NULL) {
        json_decref(service);
        json_decref(at);
        return NULL;
    }
    json_object_del(at, "service");
    json_object_set_new(service, "service_at_locations", json_pack("[o]", at));
    return service;
}

/* Sort one object into its bucket; organizations give up their nested
 * services (each its own record, owned by the organization). */
static int classify(struct buckets *b, json_t *o)
{
    if (!json_is_object(o))
        return import_reject(b->out, "record", NULL, NULL, "not a JSON object");
    const char *id = json_string_value(json_object_get(o, "id"));
    if (json_is_object(json_object_get(o, "service")) && json_is_object(json_object_get(o, "location"))) {
        json_t *service = service_of_sal(o);
        return service ? json_array_append_new(b->services, service) : -1;
    }
    if (has(o, "status") || has(o, "organization_id") || has(o, "service_at_locations"))
        return json_array_append(b->services, o);
    if (has(o, "taxonomy") || has(o, "taxonomy_detail") || has(o, "taxonomy_id") || has(o, "term_uri"))
        return json_array_append(b->terms, o);
    if (has(o, "location_type") || has(o, "addresses"))
        return json_array_append(b->locations, o);
    if (has(o, "openapi_url") || has(o, "profile"))
        return import_reject(b->out, "record", NULL, NULL, "the API's root document holds no directory data");
    if (has(o, "version") && !has(o, "services"))
        return json_array_append(b->taxonomies, o);
    json_t *services = json_object_get(o, "services");
    if (json_is_array(services)) {
        size_t i;
        json_t *s;
        json_array_foreach(services, i, s) {
            if (json_is_object(s) && !has(s, "organization_id") && !has(s, "organization") && id != NULL)
                json_object_set_new(s, "organization_id", json_string(id));
            if (json_array_append(b->services, s) < 0)
                return -1;
        }
    }
    json_t *own = json_copy(o);
    if (own == NULL)
        return -1;
    json_object_del(own, "services");
    return json_array_append_new(b->organizations, own);
}

static int classify_all(struct buckets *b, json_t *list)
{
    size_t i;
    json_t *o;
    json_array_foreach(list, i, o) {
        if (classify(b, o) < 0)
            return -1;
    }
    return 0;
}

/* Terms in an order where each parent comes before its children. */
static int add_terms(struct buckets *b)
{
    size_t n = json_array_size(b->terms);
    json_t *added = json_object();
    int progress = 1;
    while (added != NULL && progress) {
        progress = 0;
        for (size_t i = 0; i < n; i++) {
            json_t *t = json_array_get(b->terms, i);
            const char *id = json_string_value(json_object_get(t, "id"));
            const char *parent = json_string_value(json_object_get(t, "parent_id"));
            if (id == NULL || json_object_get(added, id) != NULL)
                continue;
            int parent_pending = 0;
            for (size_t j = 0; parent != NULL && j < n && !parent_pending; j++) {
                const char *other = json_string_value(json_object_get(json_array_get(b->terms, j), "id"));
                parent_pending = other != NULL && strcmp(other, parent) == 0 && json_object_get(added, other) == NULL;
            }
            if (parent_pending)
                continue;
            json_object_set_new(added, id, json_true());
            if (import_add(b->out, "taxonomy_term", json_incref(t)) < 0) {
                json_decref(added);
                return -1;
            }
            progress = 1;
        }
    }
    /* the rest (no id, or a cycle): the database gives their reasons */
    for (size_t i = 0; added != NULL && i < n; i++) {
        json_t *t = json_array_get(b->terms, i);
        const char *id = json_string_value(json_object_get(t, "id"));
        if ((id == NULL || json_object_get(added, id) == NULL) &&
            import_add(b->out, "taxonomy_term", json_incref(t)) < 0) {
            json_decref(added);
            return -1;
        }
    }
    int failed = added == NULL;
    json_decref(added);
    return failed ? -1 : 0;
}

static int add_all(struct import_records *out, const char *kind, json_t *list)
{
    size_t i;
    json_t *o;
    json_array_foreach(list, i, o) {
        if (import_add(out, kind, json_incref(o)) < 0)
            return -1;
    }
    return 0;
}

int import_read_hsds_json(const char *path, struct import_records *out, char *err, size_t errlen)
{
    json_error_t jerr;
    json_t *root = json_load_file(path, JSON_REJECT_DUPLICATES, &jerr);
    if (root == NULL) {
        snprintf(err, errlen, "%s:%d:%d: not valid JSON: %s", path, jerr.line, jerr.column, jerr.text);
        return -1;
    }
    /* the tabular form as JSON: {"services.csv": [rows], ...} */
    if (json_is_object(root) && (json_object_get(root, "services.csv") || json_object_get(root, "organizations.csv"))) {
        json_t *tables = json_object();
        const char *key;
        json_t *rows;
        json_object_foreach(root, key, rows) {
            char name[256];
            snprintf(name, sizeof name, "%.*s", (int)strcspn(key, "."), key);
            json_object_set(tables, name, rows);
        }
        int rc = import_read_hsds_tables(tables, out, err, errlen);
        json_decref(tables);
        json_decref(root);
        return rc;
    }
    struct buckets b = { json_array(), json_array(), json_array(), json_array(), json_array(), out };
    int rc = b.taxonomies && b.terms && b.organizations && b.services && b.locations ? 0 : -1;
    if (rc == 0) {
        if (json_is_array(root)) {
            rc = classify_all(&b, root);
        } else if (json_is_array(json_object_get(root, "contents"))) {
            rc = classify_all(&b, json_object_get(root, "contents"));
        } else if (json_is_object(root) && !has(root, "id") &&
                   (has(root, "services") || has(root, "organizations") || has(root, "taxonomy_terms"))) {
            const char *parts[] = { "taxonomies", "taxonomy_terms", "organizations", "services" };
            for (size_t i = 0; rc == 0 && i < 4; i++) {
                json_t *list = json_object_get(root, parts[i]);
                if (list != NULL && !json_is_array(list)) {
                    snprintf(err, errlen, "%s: \"%s\" is not a list", path, parts[i]);
                    rc = -2;
                } else if (list != NULL) {
                    rc = classify_all(&b, list);
                }
            }
        } else if (json_is_object(root)) {
            rc = classify(&b, root);
        } else {
            snprintf(err, errlen, "%s: not an HSDS object, list, Page or export document", path);
            rc = -2;
        }
    }
    if (rc == 0)
        rc = add_all(out, "taxonomy", b.taxonomies);
    if (rc == 0)
        rc = add_terms(&b);
    if (rc == 0)
        rc = add_all(out, "organization", b.organizations);
    if (rc == 0)
        rc = add_all(out, "service", b.services);
    if (rc == 0)
        rc = add_all(out, "location", b.locations);
    if (rc == -1)
        snprintf(err, errlen, "out of memory reading %s", path);
    json_decref(b.taxonomies);
    json_decref(b.locations);
    json_decref(b.terms);
    json_decref(b.organizations);
    json_decref(b.services);
    json_decref(root);
    return rc == 0 ? 0 : -1;
}
