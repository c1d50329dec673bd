/* import_tabular.c — read HSDS 3.0 in its tabular form (the CSV datapackage,
 * or the same tables as JSON: {"services.csv": [rows], ...}) into import
 * records.
 *
 * In the tabular form a child row names its owners by id (a phone row has
 * service_id, location_id, organization_id...); the nested form the
 * database imports puts the child under each owner it names, as the
 * standard's own JSON examples do. The column naming the owner a child is
 * nested under is dropped (where it is says it); its other link columns
 * stay (the standard's schemas define them), so nothing is lost, and the
 * CSV export puts every link back. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "import.h"

/* (table, link column, member of the owner it is nested under) */
struct link {
    const char *table, *column, *member;
};

static const struct link organization_links[] = {
    { "phones", "organization_id", "phones" },
    { "locations", "organization_id", "locations" },
    { "contacts", "organization_id", "contacts" },
    { "funding", "organization_id", "funding" },
    { "programs", "organization_id", "programs" },
    { "organization_identifiers", "organization_id", "organization_identifiers" },
    { "attributes", "link_id", "attributes" },
    { "metadata", "resource_id", "metadata" },
};
static const struct link service_links[] = {
    { "phones", "service_id", "phones" },
    { "schedules", "service_id", "schedules" },
    { "service_areas", "service_id", "service_areas" },
    { "languages", "service_id", "languages" },
    { "funding", "service_id", "funding" },
    { "cost_options", "service_id", "cost_options" },
    { "required_documents", "service_id", "required_documents" },
    { "contacts", "service_id", "contacts" },
    { "attributes", "link_id", "attributes" },
    { "metadata", "resource_id", "metadata" },
};
static const struct link location_links[] = {
    { "languages", "location_id", "languages" },
    { "addresses", "location_id", "addresses" },
    { "contacts", "location_id", "contacts" },
    { "accessibility", "location_id", "accessibility" },
    { "phones", "location_id", "phones" },
    { "schedules", "location_id", "schedules" },
    { "attributes", "link_id", "attributes" },
    { "metadata", "resource_id", "metadata" },
};
static const struct link sal_links[] = {
    { "contacts", "service_at_location_id", "contacts" },
    { "phones", "service_at_location_id", "phones" },
    { "schedules", "service_at_location_id", "schedules" },
};

struct tabular {
    json_t *tables;     /* "services" -> [row objects] */
    json_t *index;      /* "phones.service_id" -> {"<id>": [rows]} */
};

static json_t *table(const struct tabular *t, const char *name)
{
    json_t *rows = json_object_get(t->tables, name);
    return json_is_array(rows) ? rows : NULL;
}

/* The rows of a table whose column equals value (borrowed; may be NULL). */
static json_t *rows_where(struct tabular *t, const char *name, const char *column, const char *value)
{
    char key[128];
    snprintf(key, sizeof key, "%s.%s", name, column);
    json_t *idx = json_object_get(t->index, key);
    if (idx == NULL) {
        idx = json_object();
        json_t *rows = table(t, name);
        size_t i;
        json_t *row;
        json_array_foreach(rows, i, row) {
            const char *v = json_string_value(json_object_get(row, column));
            if (v == NULL)
                continue;
            json_t *list = json_object_get(idx, v);
            if (list == NULL) {
                list = json_array();
                json_object_set_new(idx, v, list);
            }
            json_array_append(list, row);
        }
        json_object_set_new(t->index, key, idx);
    }
    return json_object_get(idx, value);
}

static json_t *row_by_id(struct tabular *t, const char *name, const char *id)
{
    json_t *rows = id ? rows_where(t, name, "id", id) : NULL;
    return json_array_get(rows, 0);
}

/* A copy of row with each linked table nested under its member. */
static json_t *nest(struct tabular *t, json_t *row, const struct link *links, size_t nlinks);

static json_t *nested_list(struct tabular *t, const char *name, const char *column, const char *id)
{
    json_t *out = json_array();
    size_t i;
    json_t *child;
    json_array_foreach(rows_where(t, name, column, id), i, child) {
        json_t *c;
        if (strcmp(name, "phones") == 0) {
            static const struct link phone_links[] = { { "languages", "phone_id", "languages" } };
            c = nest(t, child, phone_links, 1);
        } else if (strcmp(name, "contacts") == 0) {
            static const struct link contact_links[] = { { "phones", "contact_id", "phones" } };
            c = nest(t, child, contact_links, 1);
        } else if (strcmp(name, "locations") == 0) {
            c = nest(t, child, location_links, sizeof location_links / sizeof *location_links);
        } else if (strcmp(name, "attributes") == 0) {
            c = json_copy(child);
            json_t *term = row_by_id(t, "taxonomy_terms",
                                     json_string_value(json_object_get(child, "taxonomy_term_id")));
            if (term != NULL) {
                json_t *full = json_copy(term);
                json_t *tax = row_by_id(t, "taxonomies", json_string_value(json_object_get(term, "taxonomy_id")));
                if (tax != NULL)
                    json_object_set(full, "taxonomy_detail", tax);
                json_object_set_new(c, "taxonomy_term", full);
            }
        } else {
            c = json_copy(child);
        }
        /* the column naming this owner is implied by where the child is */
        json_object_del(c, column);
        json_array_append_new(out, c);
    }
    return out;
}

static json_t *nest(struct tabular *t, json_t *row, const struct link *links, size_t nlinks)
{
    json_t *out = json_copy(row);
    const char *id = json_string_value(json_object_get(row, "id"));
    for (size_t k = 0; out != NULL && id != NULL && k < nlinks; k++) {
        if (table(t, links[k].table) != NULL)
            json_object_set_new(out, links[k].member, nested_list(t, links[k].table, links[k].column, id));
    }
    return out;
}

static json_t *service_doc(struct tabular *t, json_t *row)
{
    json_t *doc = nest(t, row, service_links, sizeof service_links / sizeof *service_links);
    const char *id = json_string_value(json_object_get(row, "id"));
    json_t *program = row_by_id(t, "programs", json_string_value(json_object_get(row, "program_id")));
    if (program != NULL)
        json_object_set(doc, "program", program);
    if (table(t, "service_at_location") != NULL && id != NULL) {
        json_t *sals = json_array();
        size_t i;
        json_t *sal;
        json_array_foreach(rows_where(t, "service_at_location", "service_id", id), i, sal) {
            json_t *s = nest(t, sal, sal_links, sizeof sal_links / sizeof *sal_links);
            json_t *loc = row_by_id(t, "locations", json_string_value(json_object_get(sal, "location_id")));
            if (loc != NULL)
                json_object_set_new(s, "location",
                                    nest(t, loc, location_links, sizeof location_links / sizeof *location_links));
            json_array_append_new(sals, s);
        }
        json_object_set_new(doc, "service_at_locations", sals);
    }
    return doc;
}

/* Where each child table's rows may be nested: (link column, owner table). */
static const struct {
    const char *table, *column, *owner;
} placements[] = {
    { "phones", "service_id", "services" },         { "phones", "organization_id", "organizations" },
    { "phones", "location_id", "locations" },       { "phones", "service_at_location_id", "service_at_location" },
    { "phones", "contact_id", "contacts" },         { "schedules", "service_id", "services" },
    { "schedules", "location_id", "locations" },    { "schedules", "service_at_location_id", "service_at_location" },
    { "languages", "service_id", "services" },      { "languages", "location_id", "locations" },
    { "languages", "phone_id", "phones" },          { "contacts", "organization_id", "organizations" },
    { "contacts", "service_id", "services" },       { "contacts", "location_id", "locations" },
    { "contacts", "service_at_location_id", "service_at_location" },
    { "addresses", "location_id", "locations" },    { "accessibility", "location_id", "locations" },
    { "service_areas", "service_id", "services" },  { "cost_options", "service_id", "services" },
    { "required_documents", "service_id", "services" },
    { "funding", "organization_id", "organizations" }, { "funding", "service_id", "services" },
    { "programs", "organization_id", "organizations" },
    { "organization_identifiers", "organization_id", "organizations" },
    { "attributes", "link_id", "services" },        { "attributes", "link_id", "organizations" },
    { "attributes", "link_id", "locations" },       { "metadata", "resource_id", "services" },
    { "metadata", "resource_id", "organizations" }, { "metadata", "resource_id", "locations" },
    { "locations", "organization_id", "organizations" }, { "service_at_location", "service_id", "services" },
};

/* "phones" -> "phone", "addresses" -> "address" (for the report). */
static const char *singular(const char *table)
{
    static const char *const names[][2] = {
        { "phones", "phone" }, { "schedules", "schedule" }, { "languages", "language" },
        { "contacts", "contact" }, { "addresses", "address" }, { "service_areas", "service area" },
        { "cost_options", "cost option" }, { "required_documents", "required document" },
        { "programs", "program" }, { "organization_identifiers", "organization identifier" },
        { "attributes", "attribute" }, { "locations", "location" },
        { "service_at_location", "service at location" },
    };
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        if (strcmp(table, names[i][0]) == 0)
            return names[i][1];
    return table;
}

/* Rows that name no owner in the dataset would be dropped by nesting:
 * each is reported instead. Locations are also placed by a service at a
 * location naming them. */
static int reject_orphans(struct tabular *t, struct import_records *out)
{
    const char *done = "";
    for (size_t p = 0; p < sizeof placements / sizeof *placements; p++) {
        const char *name = placements[p].table;
        if (strcmp(name, done) == 0)
            continue;
        done = name;
        size_t i;
        json_t *row;
        json_array_foreach(table(t, name), i, row) {
            const char *id = json_string_value(json_object_get(row, "id"));
            int placed = strcmp(name, "locations") == 0 && id != NULL &&
                         rows_where(t, "service_at_location", "location_id", id) != NULL;
            char links[512] = "";
            for (size_t q = p; !placed && q < sizeof placements / sizeof *placements &&
                               strcmp(placements[q].table, name) == 0; q++) {
                const char *v = json_string_value(json_object_get(row, placements[q].column));
                if (v == NULL)
                    continue;
                placed = row_by_id(t, placements[q].owner, v) != NULL;
                if (!strstr(links, placements[q].column))
                    snprintf(links + strlen(links), sizeof links - strlen(links), "%s%s %s",
                             *links ? ", " : "", placements[q].column, v);
            }
            if (!placed && import_reject(out, singular(name), id, json_string_value(json_object_get(row, "name")),
                                         "%s: it names no owner in this dataset, so it has nowhere to go",
                                         *links ? links : "no link columns") < 0)
                return -1;
        }
    }
    return 0;
}

int import_read_hsds_tables(json_t *tables, struct import_records *out, char *err, size_t errlen)
{
    struct tabular t = { tables, json_object() };
    if (t.index == NULL) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    int rc = 0;
    size_t i;
    json_t *row;
    json_array_foreach(table(&t, "taxonomies"), i, row) {
        if (rc == 0)
            rc = import_add(out, "taxonomy", json_incref(row));
    }
    /* terms: parents first; a term whose parent is still to come waits
     * (what is left after that, a cycle, goes as it is: the database
     * gives the reason) */
    json_t *terms = table(&t, "taxonomy_terms");
    json_t *done = json_object();
    for (int waiting = 1, progress = 1; rc == 0 && (progress || waiting);) {
        if (!progress)
            waiting = 0;
        progress = 0;
        json_array_foreach(terms, i, row) {
            const char *id = json_string_value(json_object_get(row, "id"));
            const char *parent = json_string_value(json_object_get(row, "parent_id"));
            if (id == NULL || json_object_get(done, id) != NULL)
                continue;
            if (waiting && parent != NULL && row_by_id(&t, "taxonomy_terms", parent) != NULL &&
                json_object_get(done, parent) == NULL)
                continue;
            json_t *term = json_copy(row);
            json_t *tax = row_by_id(&t, "taxonomies", json_string_value(json_object_get(row, "taxonomy_id")));
            if (tax != NULL)
                json_object_set(term, "taxonomy_detail", tax);
            json_object_set_new(done, id, json_true());
            rc = import_add(out, "taxonomy_term", term);
            progress = 1;
            if (rc < 0)
                break;
        }
    }
    json_decref(done);
    json_array_foreach(table(&t, "organizations"), i, row) {
        if (rc == 0)
            rc = import_add(out, "organization",
                            nest(&t, row, organization_links, sizeof organization_links / sizeof *organization_links));
    }
    json_array_foreach(table(&t, "services"), i, row) {
        if (rc == 0)
            rc = import_add(out, "service", service_doc(&t, row));
    }
    if (rc == 0)
        rc = reject_orphans(&t, out);
    /* the standard's description of the source dataset's tables: about
     * the file, not the directory, so not kept (said, not dropped) */
    json_array_foreach(table(&t, "meta_table_descriptions"), i, row) {
        if (rc == 0)
            rc = import_reject(out, "meta_table_description", json_string_value(json_object_get(row, "id")),
                               json_string_value(json_object_get(row, "name")),
                               "describes the source dataset, not the directory: not kept");
    }
    json_decref(t.index);
    if (rc < 0)
        snprintf(err, errlen, "out of memory");
    return rc;
}

/* ---- the CSV datapackage ---- */

/* A cell as the datapackage types it: numbers become JSON numbers. */
static json_t *typed(const char *text, const char *type)
{
    if (strcmp(type, "number") == 0 || strcmp(type, "integer") == 0) {
        char *end;
        long long n = strtoll(text, &end, 10);
        if (*end == '\0')
            return json_integer(n);
        double d = strtod(text, &end);
        if (*end == '\0')
            return json_real(d);
    }
    return json_string(text);
}

int import_read_hsds_csv(const char *path, const char *standard_datapackage, struct import_records *out, char *err,
                         size_t errlen)
{
    char dir[4096];
    snprintf(dir, sizeof dir, "%s", path);
    char *slash = strrchr(dir, '/');
    if (strstr(path, ".json") != NULL)
        snprintf(dir, sizeof dir, "%.*s", slash ? (int)(slash - dir) : 1, slash ? dir : ".");
    json_error_t jerr;
    json_t *dp = json_load_file(standard_datapackage, 0, &jerr);
    if (dp == NULL) {
        snprintf(err, errlen, "%s: %s", standard_datapackage, jerr.text);
        return -1;
    }
    json_t *tables = json_object();
    int rc = 0, found = 0;
    size_t i;
    json_t *res;
    json_array_foreach(json_object_get(dp, "resources"), i, res) {
        const char *file = json_string_value(json_object_get(res, "path"));
        char csv_path[4400];
        snprintf(csv_path, sizeof csv_path, "%s/%s", dir, file ? file : "");
        if (rc < 0 || file == NULL || access(csv_path, R_OK) != 0)
            continue;
        struct csv_table t;
        if (csv_table_load(csv_path, &t, err, errlen) < 0) {
            rc = -1;
            continue;
        }
        found++;
        json_t *fields = json_object_get(json_object_get(res, "schema"), "fields");
        json_t *rows = json_array();
        for (size_t r = 0; r < t.nrows; r++) {
            json_t *row = json_object();
            for (size_t c = 0; c < t.ncols; c++) {
                if (t.rows[r][c] == NULL || t.rows[r][c][0] == '\0')
                    continue;
                const char *type = "string";
                size_t k;
                json_t *f;
                json_array_foreach(fields, k, f) {
                    if (strcmp(json_string_value(json_object_get(f, "name")), t.header[c]) == 0)
                        type = json_string_value(json_object_get(f, "type"));
                }
                json_object_set_new(row, t.header[c], typed(t.rows[r][c], type));
            }
            json_array_append_new(rows, row);
        }
        char name[256];
        snprintf(name, sizeof name, "%.*s", (int)strcspn(file, "."), file);
        json_object_set_new(tables, name, rows);
        csv_table_free(&t);
    }
    json_decref(dp);
    if (rc == 0 && found == 0) {
        snprintf(err, errlen, "%s holds none of the HSDS tables (organizations.csv, services.csv...)", dir);
        rc = -1;
    }
    if (rc == 0)
        rc = import_read_hsds_tables(tables, out, err, errlen);
    json_decref(tables);
    return rc;
}
