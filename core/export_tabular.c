/* export_tabular.c — the directory as the HSDS 3.0 CSV datapackage: one CSV
 * file per table of the standard (organizations.csv, services.csv,
 * phones.csv...) and its datapackage.json.
 *
 * The nested objects the /hsds/ API publishes are flattened back into the
 * standard's tables: a child becomes one row that names its owners by id
 * (a phone under a service and a location gets both service_id and
 * location_id), and an object that appears in several places is one row.
 * Columns come in the standard's order; members of no standard column
 * (kept from an import) follow. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <csv.h>

#include "ctl.h"
#include "export.h"

/* member of a nested object -> its table and the link column its row gets */
static const struct {
    const char *member, *table;
} list_tables[] = {
    { "phones", "phones" },
    { "schedules", "schedules" },
    { "service_areas", "service_areas" },
    { "languages", "languages" },
    { "funding", "funding" },
    { "cost_options", "cost_options" },
    { "required_documents", "required_documents" },
    { "contacts", "contacts" },
    { "attributes", "attributes" },
    { "metadata", "metadata" },
    { "service_at_locations", "service_at_location" },
    { "locations", "locations" },
    { "addresses", "addresses" },
    { "accessibility", "accessibility" },
    { "programs", "programs" },
    { "organization_identifiers", "organization_identifiers" },
    { "services", "services" },
};

/* a nested object -> its table, and the owner column naming it */
static const struct {
    const char *member, *table, *owner_column;
} object_tables[] = {
    { "organization", "organizations", "organization_id" },
    { "program", "programs", "program_id" },
    { "location", "locations", "location_id" },
    { "service", "services", "service_id" },
    { "taxonomy_term", "taxonomy_terms", "taxonomy_term_id" },
    { "taxonomy_detail", "taxonomies", "taxonomy_id" },
};

/* The column a child row gets naming an owner of this table. */
static const char *link_column(const char *owner_table, const char *child_table)
{
    if (strcmp(child_table, "attributes") == 0)
        return "link_id";
    if (strcmp(child_table, "metadata") == 0)
        return "resource_id";
    static const char *const links[][2] = {
        { "organizations", "organization_id" }, { "services", "service_id" },
        { "locations", "location_id" },         { "service_at_location", "service_at_location_id" },
        { "phones", "phone_id" },               { "contacts", "contact_id" },
    };
    for (size_t i = 0; i < sizeof links / sizeof *links; i++)
        if (strcmp(owner_table, links[i][0]) == 0)
            return links[i][1];
    return NULL;
}

/* Add one object (and everything nested in it) to the tables; owner is
 * the table and id of the object it is nested in, if any. */
static int flatten(json_t *tables, const char *table, json_t *obj, const char *owner_table, const char *owner_id)
{
    const char *id = json_string_value(json_object_get(obj, "id"));
    if (id == NULL)
        return 0; /* the standard's tables are keyed by id */
    json_t *rows = json_object_get(tables, table);
    if (rows == NULL) {
        rows = json_object();
        json_object_set_new(tables, table, rows);
    }
    json_t *row = json_object_get(rows, id);
    if (row == NULL) {
        row = json_object();
        json_object_set_new(rows, id, row);
    }
    const char *key;
    json_t *v;
    json_object_foreach(obj, key, v) {
        if (!json_is_object(v) && !json_is_array(v) && !json_is_null(v) && json_object_get(row, key) == NULL)
            json_object_set(row, key, v);
    }
    const char *link = owner_table ? link_column(owner_table, table) : NULL;
    if (link != NULL && json_object_get(row, link) == NULL)
        json_object_set_new(row, link, json_string(owner_id));

    json_object_foreach(obj, key, v) {
        for (size_t i = 0; json_is_array(v) && i < sizeof list_tables / sizeof *list_tables; i++) {
            if (strcmp(key, list_tables[i].member) != 0)
                continue;
            size_t k;
            json_t *child;
            json_array_foreach(v, k, child) {
                if (json_is_object(child) && flatten(tables, list_tables[i].table, child, table, id) < 0)
                    return -1;
            }
        }
        for (size_t i = 0; json_is_object(v) && i < sizeof object_tables / sizeof *object_tables; i++) {
            if (strcmp(key, object_tables[i].member) != 0)
                continue;
            const char *child_id = json_string_value(json_object_get(v, "id"));
            if (child_id != NULL && json_object_get(row, object_tables[i].owner_column) == NULL)
                json_object_set_new(row, object_tables[i].owner_column, json_string(child_id));
            if (flatten(tables, object_tables[i].table, v, NULL, NULL) < 0)
                return -1;
        }
    }
    return 0;
}

int export_tabular_add(json_t *tables, const char *part, const char *json_text)
{
    json_error_t jerr;
    json_t *obj = json_loads(json_text, 0, &jerr);
    if (obj == NULL)
        return -1;
    static const char *const part_tables[][2] = {
        { "services", "services" }, { "organizations", "organizations" },
        { "taxonomies", "taxonomies" }, { "taxonomy_terms", "taxonomy_terms" },
    };
    const char *table = part;
    for (size_t i = 0; i < sizeof part_tables / sizeof *part_tables; i++)
        if (strcmp(part, part_tables[i][0]) == 0)
            table = part_tables[i][1];
    int rc = flatten(tables, table, obj, NULL, NULL);
    json_decref(obj);
    return rc;
}

static int write_cell(FILE *f, json_t *v, int first)
{
    if (!first && fputc(',', f) == EOF)
        return -1;
    if (v == NULL || json_is_null(v))
        return 0;
    if (json_is_string(v))
        return csv_fwrite(f, json_string_value(v), json_string_length(v));
    char *text = json_dumps(v, JSON_ENCODE_ANY);
    if (text == NULL)
        return -1;
    int rc = csv_fwrite(f, text, strlen(text));
    free(text);
    return rc;
}

/* One table's CSV: the standard's columns, then any others its rows have. */
static int write_table(const char *dir, const char *file, json_t *fields, json_t *rows)
{
    char path[4400];
    snprintf(path, sizeof path, "%s/%s", dir, file);
    FILE *f = fopen(path, "w");
    if (f == NULL)
        return -1;
    json_t *columns = json_array();
    size_t i;
    json_t *field;
    json_array_foreach(fields, i, field)
        json_array_append(columns, json_object_get(field, "name"));
    json_t *others = json_object();
    const char *id, *key;
    json_t *row, *v;
    json_object_foreach(rows, id, row) {
        json_object_foreach(row, key, v) {
            int standard = 0;
            json_array_foreach(columns, i, field)
                standard |= strcmp(json_string_value(field), key) == 0;
            if (!standard)
                json_object_set_new(others, key, json_true());
        }
    }
    json_object_foreach(others, key, v)
        json_array_append_new(columns, json_string(key));
    int rc = 0;
    json_t *column;
    json_array_foreach(columns, i, column)
        rc |= write_cell(f, column, i == 0);
    rc |= fputc('\n', f) == EOF;
    json_object_foreach(rows, id, row) {
        json_array_foreach(columns, i, column)
            rc |= write_cell(f, json_object_get(row, json_string_value(column)), i == 0);
        rc |= fputc('\n', f) == EOF;
    }
    json_decref(columns);
    json_decref(others);
    rc |= fclose(f) != 0;
    return rc ? -1 : 0;
}

int export_tabular_write(json_t *tables, const char *standard_datapackage, const char *dir)
{
    json_error_t jerr;
    json_t *dp = json_load_file(standard_datapackage, 0, &jerr);
    if (dp == NULL) {
        fprintf(stderr, "linksctl: %s: %s\n", standard_datapackage, jerr.text);
        return -1;
    }
    int rc = 0;
    size_t i;
    json_t *res;
    json_array_foreach(json_object_get(dp, "resources"), i, res) {
        const char *file = json_string_value(json_object_get(res, "path"));
        if (file == NULL || rc < 0)
            continue;
        char table[256];
        snprintf(table, sizeof table, "%.*s", (int)strcspn(file, "."), file);
        json_t *rows = json_object_get(tables, table);
        json_t *empty = json_object();
        rc = write_table(dir, file, json_object_get(json_object_get(res, "schema"), "fields"), rows ? rows : empty);
        json_decref(empty);
        if (rc < 0)
            fprintf(stderr, "linksctl: cannot write %s/%s: %s\n", dir, file, strerror(errno));
    }
    char path[4400];
    snprintf(path, sizeof path, "%s/datapackage.json", dir);
    if (rc == 0 && json_dump_file(dp, path, JSON_INDENT(2)) != 0) {
        fprintf(stderr, "linksctl: cannot write %s\n", path);
        rc = -1;
    }
    json_decref(dp);
    return rc;
}
