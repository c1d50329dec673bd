/* test_import.c — unit tests of linksctl import's readers (Check): the
 * value rules, CSV tables (libcsv), HSDS JSON shapes, the tabular form and
 * the ALISS export turned into records. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "import.h"
#include "import_rules.h"

/* ---- value rules ---------------------------------------------------------- */

static const struct {
    const char *number;
    int uk;
} phones[] = {
    { "0141 211 4000", 1 },   { "01592 643355", 1 },     { "07530307044", 1 },   { "0131 665 0135", 1 },
    { "+44 141 211 4000", 1 }, { "+44 (0)141 211 4000", 1 }, { "0800-123-4567", 1 }, { "(0141) 211 4000", 1 },
    { "000000000", 0 },       { "0000000000000", 0 },     { "0000000000", 0 },    { "141 211 4000", 0 },
    { "+1 212 555 0100", 0 }, { "0141 211 40", 0 },      { "ring 0141 211 4000", 0 }, { "", 0 },
    { "+44", 0 },             { "0141 211 4000 ext 2", 0 }, { "012345678901234567890123456789012345", 0 },
};

START_TEST(test_uk_phone)
{
    ck_assert_msg(import_uk_phone(phones[_i].number) == phones[_i].uk, "\"%s\" should%s be a UK number",
                  phones[_i].number, phones[_i].uk ? "" : " not");
}
END_TEST

START_TEST(test_email_and_url)
{
    ck_assert(import_plausible_email("centre@coel.org.uk"));
    ck_assert(import_plausible_email("m.heneghan@live.co.uk"));
    ck_assert(!import_plausible_email("centre.coel.org.uk"));
    ck_assert(!import_plausible_email("@coel.org.uk"));
    ck_assert(!import_plausible_email("a@b"));
    ck_assert(!import_plausible_email("a@b."));
    ck_assert(!import_plausible_email("a@@b.org"));
    ck_assert(!import_plausible_email("a b@c.org"));
    ck_assert(!import_plausible_email("a@b.org, c@d.org"));
    ck_assert(import_plausible_url("https://www.coel.org.uk/"));
    ck_assert(import_plausible_url("http://homelinkfamilysupport.org/how-we-can-help"));
    ck_assert(!import_plausible_url("www.aliss.org/services/x"));
    ck_assert(!import_plausible_url("https://"));
    ck_assert(!import_plausible_url("https:///path"));
    ck_assert(!import_plausible_url("javascript:alert(1)"));
    ck_assert(!import_plausible_url("https://a b.org"));
}
END_TEST

START_TEST(test_postcode_and_lists)
{
    char pc[16];
    import_normalise_postcode("Eh21 6BY", pc, sizeof pc);
    ck_assert_str_eq(pc, "EH21 6BY");
    import_normalise_postcode("  g12   8qq ", pc, sizeof pc);
    ck_assert_str_eq(pc, "G12 8QQ");
    import_normalise_postcode("KY11AB", pc, sizeof pc);
    ck_assert_str_eq(pc, "KY1 1AB");
    import_normalise_postcode("G1", pc, sizeof pc);
    ck_assert_str_eq(pc, "G1");

    json_t *l = import_quoted_list("\"Money Advice\" \"Energy Advice\" ");
    ck_assert_int_eq(json_array_size(l), 2);
    ck_assert_str_eq(json_string_value(json_array_get(l, 0)), "Money Advice");
    ck_assert_str_eq(json_string_value(json_array_get(l, 1)), "Energy Advice");
    json_decref(l);
    l = import_quoted_list("\"\" \"Food & Nutrition\" \"unterminated");
    ck_assert_int_eq(json_array_size(l), 1);
    ck_assert_str_eq(json_string_value(json_array_get(l, 0)), "Food & Nutrition");
    json_decref(l);
    l = import_quoted_list("");
    ck_assert_int_eq(json_array_size(l), 0);
    json_decref(l);
}
END_TEST

/* ---- files ------------------------------------------------------------------ */

static char *temp_file(const char *name, const char *content)
{
    static char dir[64];
    if (dir[0] == '\0') {
        snprintf(dir, sizeof dir, "/tmp/links-import-test.XXXXXX");
        ck_assert_ptr_nonnull(mkdtemp(dir));
    }
    char *path = NULL;
    ck_assert_int_ge(asprintf(&path, "%s/%s", dir, name), 0);
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fputs(content, f);
    fclose(f);
    return path;
}

START_TEST(test_csv_table)
{
    char *path = temp_file("t.csv", "id,name,note\n"
                                    "1,\"Carers, East Lothian\",\"two\nlines\"\n"
                                    "2,\"say \"\"hi\"\"\"\n"
                                    "\n");
    struct csv_table t;
    char err[256];
    ck_assert_int_eq(csv_table_load(path, &t, err, sizeof err), 0);
    ck_assert_int_eq(t.ncols, 3);
    ck_assert_int_eq(t.nrows, 2);
    ck_assert_int_eq(csv_table_column(&t, "note"), 2);
    ck_assert_int_eq(csv_table_column(&t, "absent"), -1);
    ck_assert_str_eq(t.rows[0][1], "Carers, East Lothian");
    ck_assert_str_eq(t.rows[0][2], "two\nlines");
    ck_assert_str_eq(t.rows[1][1], "say \"hi\"");
    ck_assert_str_eq(t.rows[1][2], ""); /* a short row gets "" */
    csv_table_free(&t);
    unlink(path);
    free(path);

    path = temp_file("bad.csv", "id,name\n1,\"never closed\n");
    ck_assert_int_eq(csv_table_load(path, &t, err, sizeof err), -1);
    ck_assert_msg(strstr(err, "not a CSV file") != NULL, "%s", err);
    unlink(path);
    free(path);
    path = temp_file("empty.csv", "");
    ck_assert_int_eq(csv_table_load(path, &t, err, sizeof err), -1);
    ck_assert_msg(strstr(err, "empty") != NULL, "%s", err);
    unlink(path);
    free(path);
    ck_assert_int_eq(csv_table_load("/nonexistent/x.csv", &t, err, sizeof err), -1);
}
END_TEST

static size_t count_kind(const struct import_records *r, const char *kind, int rejected)
{
    size_t n = 0;
    for (size_t i = 0; i < r->count; i++)
        n += strcmp(r->items[i].kind, kind) == 0 && (r->items[i].doc == NULL) == rejected;
    return n;
}

START_TEST(test_hsds_json_shapes)
{
    struct import_records r = { 0 };
    char err[512];
    /* an export document: terms parent first, then organizations (their
     * nested services become records of their own), services, locations */
    char *path = temp_file("doc.json",
        "{\"version\": \"3.0\","
        " \"taxonomy_terms\": [{\"id\": \"c\", \"name\": \"child\", \"parent_id\": \"p\", \"taxonomy\": \"t\"},"
        "                      {\"id\": \"p\", \"name\": \"parent\", \"taxonomy\": \"t\"}],"
        " \"organizations\": [{\"id\": \"o1\", \"name\": \"Org\", \"description\": \"\","
        "                      \"services\": [{\"id\": \"s2\", \"name\": \"Nested\", \"status\": \"active\"}]}],"
        " \"services\": [{\"id\": \"s1\", \"name\": \"Walk\", \"status\": \"active\", \"organization_id\": \"o1\"}]}");
    ck_assert_int_eq(import_read_hsds_json(path, &r, err, sizeof err), 0);
    ck_assert_int_eq(r.count, 5);
    ck_assert_str_eq(r.items[0].kind, "taxonomy_term");
    ck_assert_str_eq(json_string_value(json_object_get(r.items[0].doc, "id")), "p");
    ck_assert_str_eq(json_string_value(json_object_get(r.items[1].doc, "id")), "c");
    ck_assert_str_eq(r.items[2].kind, "organization");
    ck_assert_ptr_null(json_object_get(r.items[2].doc, "services"));
    ck_assert_int_eq(count_kind(&r, "service", 0), 2);
    /* the nested service is given its organization */
    for (size_t i = 0; i < r.count; i++)
        if (strcmp(r.items[i].kind, "service") == 0)
            ck_assert_str_eq(json_string_value(json_object_get(r.items[i].doc, "organization_id")), "o1");
    ck_assert_str_eq(r.items[3].label, "service s2 \"Nested\"");
    import_records_free(&r);
    free(path);

    /* a Page of services at locations: each becomes its service there */
    path = temp_file("page.json",
        "{\"total_items\": 1, \"contents\": [{\"id\": \"sal\", \"location\": {\"id\": \"l\"},"
        " \"service\": {\"id\": \"s\", \"name\": \"S\", \"status\": \"active\"}}]}");
    ck_assert_int_eq(import_read_hsds_json(path, &r, err, sizeof err), 0);
    ck_assert_int_eq(r.count, 1);
    ck_assert_str_eq(r.items[0].kind, "service");
    json_t *sals = json_object_get(r.items[0].doc, "service_at_locations");
    ck_assert_int_eq(json_array_size(sals), 1);
    ck_assert_str_eq(json_string_value(json_object_get(json_array_get(sals, 0), "id")), "sal");
    ck_assert_ptr_null(json_object_get(json_array_get(sals, 0), "service"));
    import_records_free(&r);
    free(path);

    /* a list mixing a location, a taxonomy, the API root and a non-object */
    path = temp_file("list.json",
        "[{\"id\": \"l\", \"location_type\": \"physical\"}, {\"id\": \"t\", \"name\": \"T\", \"version\": \"1\"},"
        " {\"version\": \"3.0\", \"profile\": \"x\", \"openapi_url\": \"y\"}, 42]");
    ck_assert_int_eq(import_read_hsds_json(path, &r, err, sizeof err), 0);
    ck_assert_int_eq(count_kind(&r, "location", 0), 1);
    ck_assert_int_eq(count_kind(&r, "taxonomy", 0), 1);
    ck_assert_int_eq(count_kind(&r, "record", 1), 2);
    import_records_free(&r);
    free(path);

    path = temp_file("broken.json", "{\"services\": [");
    ck_assert_int_eq(import_read_hsds_json(path, &r, err, sizeof err), -1);
    ck_assert_msg(strstr(err, "not valid JSON") != NULL, "%s", err);
    import_records_free(&r);
    free(path);
    path = temp_file("scalar.json", "\"just a string\"");
    ck_assert_int_eq(import_read_hsds_json(path, &r, err, sizeof err), -1);
    import_records_free(&r);
    free(path);
    path = temp_file("notlist.json", "{\"services\": {}}");
    ck_assert_int_eq(import_read_hsds_json(path, &r, err, sizeof err), -1);
    ck_assert_msg(strstr(err, "is not a list") != NULL, "%s", err);
    import_records_free(&r);
    free(path);
}
END_TEST

START_TEST(test_tabular_nesting)
{
    struct import_records r = { 0 };
    char err[512];
    char dp[512];
    snprintf(dp, sizeof dp, "%s/schema/data/hsds-datapackage.json", TEST_SRCDIR);
    char dir[512];
    snprintf(dir, sizeof dir, "%s/tests/integration/hsds/examples/csv", TEST_SRCDIR);
    ck_assert_int_eq(import_read_hsds_csv(dir, dp, &r, err, sizeof err), 0);
    json_t *service = NULL;
    for (size_t i = 0; i < r.count; i++)
        if (strcmp(r.items[i].kind, "service") == 0)
            service = r.items[i].doc;
    ck_assert_ptr_nonnull(service);
    /* typed by the datapackage: ages are numbers, phone numbers text */
    ck_assert(json_is_integer(json_object_get(service, "minimum_age")));
    json_t *phone = json_array_get(json_object_get(service, "phones"), 0);
    ck_assert(json_is_string(json_object_get(phone, "number")));
    ck_assert(json_is_integer(json_object_get(phone, "extension")));
    /* the phone row names the service, its location, its contact...: it is
     * under each, with its languages */
    ck_assert_int_eq(json_array_size(json_object_get(phone, "languages")), 1);
    json_t *sal = json_array_get(json_object_get(service, "service_at_locations"), 0);
    json_t *location = json_object_get(sal, "location");
    ck_assert_int_eq(json_array_size(json_object_get(location, "phones")), 1);
    ck_assert_int_eq(json_array_size(json_object_get(location, "addresses")), 1);
    ck_assert_int_eq(json_array_size(json_object_get(sal, "schedules")), 1);
    ck_assert_ptr_nonnull(json_object_get(service, "program"));
    /* rows naming no owner are rejected, said why */
    ck_assert_int_eq(count_kind(&r, "attribute", 1), 1);
    ck_assert_int_eq(count_kind(&r, "metadata", 1), 1);
    ck_assert_int_eq(count_kind(&r, "meta_table_description", 1), 1);
    import_records_free(&r);

    ck_assert_int_eq(import_read_hsds_csv("/tmp", dp, &r, err, sizeof err), -1);
    ck_assert_msg(strstr(err, "holds none of the HSDS tables") != NULL, "%s", err);
    import_records_free(&r);
}
END_TEST

START_TEST(test_aliss)
{
    struct import_records r = { 0 };
    char err[512];
    char dir[512];
    snprintf(dir, sizeof dir, "%s/tests/integration/aliss", TEST_SRCDIR);
    ck_assert_int_eq(import_read_aliss(dir, &r, err, sizeof err), 0);
    size_t services = count_kind(&r, "service", 0);
    ck_assert_int_eq(services + count_kind(&r, "service", 1), 23); /* every service row is accounted for */
    ck_assert_int_eq(services, 14);
    int nameless = 0, zeros = 0, unplaced = 0;
    for (size_t i = 0; i < r.count; i++) {
        const struct import_record *rec = &r.items[i];
        if (rec->reason == NULL) {
            /* an accepted service has its organization and a place */
            ck_assert_ptr_nonnull(json_object_get(rec->doc, "organization"));
            ck_assert_int_gt(json_array_size(json_object_get(rec->doc, "service_at_locations")) +
                                 json_array_size(json_object_get(rec->doc, "service_areas")), 0);
            continue;
        }
        nameless += strcmp(rec->reason, "no name") == 0;
        zeros += strstr(rec->reason, "not a UK number") != NULL;
        unplaced += strstr(rec->reason, "no location and no service area") != NULL;
    }
    ck_assert_int_eq(nameless, 1);
    ck_assert_int_ge(zeros, 2);
    ck_assert_int_eq(unplaced, 7);
    import_records_free(&r);

    ck_assert_int_eq(import_read_aliss("/tmp", &r, err, sizeof err), -1);
    ck_assert_msg(strstr(err, "aliss_organisation_result.csv") != NULL, "%s", err);
    import_records_free(&r);
}
END_TEST

static Suite *import_suite(void)
{
    Suite *s = suite_create("import");
    TCase *tc = tcase_create("rules");
    tcase_add_loop_test(tc, test_uk_phone, 0, sizeof phones / sizeof phones[0]);
    tcase_add_test(tc, test_email_and_url);
    tcase_add_test(tc, test_postcode_and_lists);
    suite_add_tcase(s, tc);
    tc = tcase_create("readers");
    tcase_add_test(tc, test_csv_table);
    tcase_add_test(tc, test_hsds_json_shapes);
    tcase_add_test(tc, test_tabular_nesting);
    tcase_add_test(tc, test_aliss);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(import_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
