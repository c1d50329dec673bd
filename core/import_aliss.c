/* import_aliss.c — read the ALISS CSV export (organisations, services,
 * locations, service areas) into HSDS records.
 *
 * ALISS ids are UUIDs and are kept, so a re-import finds the same rows.
 * ALISS's lists are written as quoted names separated by spaces
 * ("Money Advice" "Energy Advice" ); categories become attributes naming
 * an ALISS category, service areas the council area or board they name.
 *
 * A service is rejected here, with its reason, when it breaks the rules a
 * directory of signposting needs: no name, an organisation that is not in
 * the export or was itself rejected, a location that is not in the
 * export, neither a location nor a service area (nobody could find it by
 * place), a phone number that is not a UK number, an email address or web
 * address that cannot be one. An organisation with no name, or with no
 * service to signpost to, is rejected too. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "import.h"
#include "import_rules.h"

struct aliss {
    struct csv_table orgs, services, locations, areas;
    struct import_records *out;
};

static const char *cell(const struct csv_table *t, size_t row, const char *column)
{
    int j = csv_table_column(t, column);
    const char *v = j >= 0 ? t->rows[row][j] : NULL;
    return v ? v : "";
}

static long find_row(const struct csv_table *t, const char *column, const char *value)
{
    for (size_t i = 0; i < t->nrows; i++)
        if (strcmp(cell(t, i, column), value) == 0)
            return (long)i;
    return -1;
}

static void set_text(json_t *o, const char *member, const char *value)
{
    if (value != NULL && *value != '\0')
        json_object_set_new(o, member, json_string(value));
}

/* "2018-11-30 12:43:20.953659+00:00" -> "2018-11-30T12:43:20.953659+00:00" */
static void set_timestamp(json_t *o, const char *member, const char *value)
{
    char iso[64];
    if (value == NULL || strlen(value) < 19 || strlen(value) >= sizeof iso)
        return;
    snprintf(iso, sizeof iso, "%s", value);
    if (iso[10] == ' ')
        iso[10] = 'T';
    json_object_set_new(o, member, json_string(iso));
}

static json_t *phone_list(const char *number)
{
    return *number ? json_pack("[{s:s, s:s}]", "number", number, "type", "voice") : json_array();
}

static json_t *organization_doc(const struct aliss *a, size_t i)
{
    const struct csv_table *t = &a->orgs;
    json_t *o = json_object();
    set_text(o, "id", cell(t, i, "id"));
    set_text(o, "name", cell(t, i, "name"));
    /* HSDS requires a description; ALISS often has none */
    json_object_set_new(o, "description", json_string(cell(t, i, "description")));
    set_text(o, "website", cell(t, i, "url"));
    set_text(o, "email", cell(t, i, "email"));
    json_object_set_new(o, "phones", phone_list(cell(t, i, "phone")));
    return o;
}

static json_t *location_doc(const struct aliss *a, size_t i)
{
    const struct csv_table *t = &a->locations;
    char postcode[16];
    import_normalise_postcode(cell(t, i, "postal_code"), postcode, sizeof postcode);
    /* the first line of the address is what precedes the town */
    const char *formatted = cell(t, i, "formatted_address");
    const char *town = cell(t, i, "locality");
    size_t first_len = strlen(formatted);
    const char *at = *town ? strstr(formatted, town) : NULL;
    if (at != NULL && at > formatted)
        first_len = (size_t)(at - formatted);
    while (first_len > 0 && strchr(", ", formatted[first_len - 1]))
        first_len--;
    json_t *address = json_pack("{s:s%, s:s, s:s, s:s, s:s}", "address_1", formatted, first_len,
                                "city", town, "postal_code", postcode, "state_province", "Scotland",
                                "country", *cell(t, i, "country") ? cell(t, i, "country") : "GB");
    json_t *o = json_pack("{s:s, s:s, s:s, s:[o]}", "id", cell(t, i, "id"), "name",
                          *cell(t, i, "name") ? cell(t, i, "name") : formatted, "location_type", "physical",
                          "addresses", address);
    char *end1, *end2;
    double lat = strtod(cell(t, i, "latitude"), &end1), lon = strtod(cell(t, i, "longitude"), &end2);
    if (*cell(t, i, "latitude") && *end1 == '\0' && *cell(t, i, "longitude") && *end2 == '\0') {
        json_object_set_new(o, "latitude", json_real(lat));
        json_object_set_new(o, "longitude", json_real(lon));
    }
    return o;
}

/* An ALISS service area name -> HSDS service_area with a geography uri. */
static json_t *service_area_doc(const struct aliss *a, const char *name)
{
    long r = find_row(&a->areas, "name", name);
    if (r < 0)
        r = find_row(&a->areas, "alternative_name", name);
    json_t *area = json_pack("{s:s}", "name", name);
    if (r >= 0 && *cell(&a->areas, (size_t)r, "code")) {
        char uri[128];
        snprintf(uri, sizeof uri, "https://statistics.gov.scot/id/statistical-geography/%s",
                 cell(&a->areas, (size_t)r, "code"));
        json_object_set_new(area, "uri", json_string(uri));
    }
    return area;
}

/* Why an organisation cannot be imported, or NULL. */
static const char *organization_problem(const struct aliss *a, size_t i, int has_services)
{
    const struct csv_table *t = &a->orgs;
    if (!*cell(t, i, "name"))
        return "no name";
    if (*cell(t, i, "email") && !import_plausible_email(cell(t, i, "email")))
        return "its email address is not one";
    if (*cell(t, i, "url") && !import_plausible_url(cell(t, i, "url")))
        return "its web address is not an http(s) address";
    if (*cell(t, i, "phone") && !import_uk_phone(cell(t, i, "phone")))
        return "its phone number is not a UK number";
    if (!has_services)
        return "no services in the export: nothing to signpost to";
    return NULL;
}

static int add_service(struct aliss *a, size_t i, const char *org_problem)
{
    const struct csv_table *t = &a->services;
    const char *id = cell(t, i, "id"), *name = cell(t, i, "name");
    const char *org_id = cell(t, i, "organisation_id");
    const char *phone = cell(t, i, "phone_number"), *email = cell(t, i, "email_address");
    const char *url = cell(t, i, "url");
    long org = find_row(&a->orgs, "id", org_id);
    if (!*name)
        return import_reject(a->out, "service", id, name, "no name");
    if (org < 0)
        return import_reject(a->out, "service", id, name, "its organisation %s is not in the export", org_id);
    if (org_problem != NULL)
        return import_reject(a->out, "service", id, name, "its organisation was rejected (%s)", org_problem);
    if (*phone && !import_uk_phone(phone))
        return import_reject(a->out, "service", id, name, "phone number \"%s\" is not a UK number", phone);
    if (*email && !import_plausible_email(email))
        return import_reject(a->out, "service", id, name, "\"%s\" is not an email address", email);
    if (*url && !import_plausible_url(url))
        return import_reject(a->out, "service", id, name, "\"%s\" is not an http(s) web address", url);

    json_t *location_ids = import_quoted_list(cell(t, i, "locations_ids"));
    json_t *area_names = strstr(cell(t, i, "service_areas"), "ServiceArea.None")
                             ? json_array() : import_quoted_list(cell(t, i, "service_areas"));
    json_t *sals = json_array(), *areas = json_array(), *attributes = json_array();
    json_t *categories = import_quoted_list(cell(t, i, "categories"));
    size_t k;
    json_t *v;
    const char *missing = NULL;
    json_array_foreach(location_ids, k, v) {
        long loc = find_row(&a->locations, "id", json_string_value(v));
        if (loc < 0) {
            missing = json_string_value(v);
            break;
        }
        json_array_append_new(sals, json_pack("{s:o}", "location", location_doc(a, (size_t)loc)));
    }
    json_array_foreach(area_names, k, v)
        json_array_append_new(areas, service_area_doc(a, json_string_value(v)));
    json_array_foreach(categories, k, v)
        json_array_append_new(attributes, json_pack("{s:s, s:{s:s, s:s}}", "link_type", "category",
                                                    "taxonomy_term", "name", json_string_value(v),
                                                    "taxonomy", "ALISS categories"));
    int rc;
    if (missing != NULL) {
        rc = import_reject(a->out, "service", id, name, "its location %s is not in the export", missing);
    } else if (json_array_size(sals) == 0 && json_array_size(areas) == 0) {
        rc = import_reject(a->out, "service", id, name,
                           "no location and no service area: nobody could find it by place");
    } else {
        json_t *doc = json_pack("{s:s, s:s, s:s, s:s, s:o, s:o, s:o, s:o, s:o}", "id", id, "name", name,
                                "description", cell(t, i, "description"), "status", "active",
                                "organization", organization_doc(a, (size_t)org), "phones", phone_list(phone),
                                "service_areas", json_incref(areas), "attributes", json_incref(attributes),
                                "service_at_locations", json_incref(sals));
        set_text(doc, "url", url);
        set_text(doc, "email", email);
        set_timestamp(doc, "last_modified", cell(t, i, "last_edited"));
        rc = doc ? import_add(a->out, "service", doc) : -1;
    }
    json_decref(location_ids);
    json_decref(area_names);
    json_decref(categories);
    json_decref(sals);
    json_decref(areas);
    json_decref(attributes);
    return rc;
}

static int load(const char *dir, const char *file, int required, struct csv_table *t, char *err, size_t errlen)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, file);
    if (!required && access(path, R_OK) != 0) {
        memset(t, 0, sizeof *t);
        return 0;
    }
    return csv_table_load(path, t, err, errlen);
}

int import_read_aliss(const char *dir, struct import_records *out, char *err, size_t errlen)
{
    struct aliss a = { .out = out };
    int rc = -1;
    if (load(dir, "aliss_organisation_result.csv", 1, &a.orgs, err, errlen) < 0 ||
        load(dir, "aliss_service_result.csv", 1, &a.services, err, errlen) < 0 ||
        load(dir, "aliss_location_result.csv", 1, &a.locations, err, errlen) < 0 ||
        load(dir, "service_areas.csv", 0, &a.areas, err, errlen) < 0)
        goto done;
    const char *needed[][2] = { { "organisation", "id" }, { "service", "organisation_id" }, { "location", "id" } };
    const struct csv_table *tables[] = { &a.orgs, &a.services, &a.locations };
    for (size_t k = 0; k < 3; k++) {
        if (csv_table_column(tables[k], needed[k][1]) < 0) {
            snprintf(err, errlen, "%s/aliss_%s_result.csv has no \"%s\" column: not an ALISS export", dir,
                     needed[k][0], needed[k][1]);
            goto done;
        }
    }
    /* organisations first: a service names the reason its organisation
     * was rejected */
    const char **problems = calloc(a.orgs.nrows + 1, sizeof *problems);
    if (problems == NULL)
        goto done;
    rc = 0;
    for (size_t i = 0; rc == 0 && i < a.orgs.nrows; i++) {
        int has_services = find_row(&a.services, "organisation_id", cell(&a.orgs, i, "id")) >= 0;
        problems[i] = organization_problem(&a, i, has_services);
        if (problems[i] != NULL)
            rc = import_reject(out, "organization", cell(&a.orgs, i, "id"), cell(&a.orgs, i, "name"), "%s",
                               problems[i]);
    }
    for (size_t i = 0; rc == 0 && i < a.services.nrows; i++) {
        long org = find_row(&a.orgs, "id", cell(&a.services, i, "organisation_id"));
        rc = add_service(&a, i, org >= 0 ? problems[org] : NULL);
    }
    free(problems);
    if (rc < 0)
        snprintf(err, errlen, "out of memory reading %s", dir);
done:
    csv_table_free(&a.orgs);
    csv_table_free(&a.services);
    csv_table_free(&a.locations);
    csv_table_free(&a.areas);
    return rc;
}
