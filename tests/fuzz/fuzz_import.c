/* fuzz_import.c — a file given to `linksctl import`: the first byte picks
 * the reader (HSDS JSON, a CSV table, the ALISS export's service file, the
 * HSDS CSV datapackage's services and phones, or the value rules and CHI
 * numbers on the text itself), the rest is the file. Every
 * record a reader gives is either a JSON object or a rejection with a
 * reason; nothing leaks. */
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "chi.h"
#include "fuzz_common.h"
#include "import.h"
#include "import_rules.h"

static char dir[64];

static void write_file(const char *name, const uint8_t *data, size_t size)
{
    char path[128];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    assert(f != NULL);
    fwrite(data, 1, size, f);
    fclose(f);
}

static void check(struct import_records *r)
{
    for (size_t i = 0; i < r->count; i++) {
        const struct import_record *rec = &r->items[i];
        assert(rec->label != NULL && rec->kind != NULL);
        assert((rec->doc == NULL) != (rec->reason == NULL));
        assert(rec->doc == NULL || json_is_object(rec->doc));
    }
    import_records_free(r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (dir[0] == '\0') {
        snprintf(dir, sizeof dir, "/tmp/links-fuzz-import.XXXXXX");
        assert(mkdtemp(dir) != NULL);
        static const char orgs[] = "\"id\",\"name\",\"phone\",\"email\",\"url\"\n"
                                   "\"o1\",\"Org\",\"0141 211 4000\",\"a@b.org\",\"https://x.org\"\n";
        static const char locs[] = "\"id\",\"formatted_address\",\"locality\",\"postal_code\",\"latitude\",\"longitude\"\n"
                                   "\"l1\",\"1 Main St, Glasgow, G1 1AA\",\"Glasgow\",\"g11aa\",\"55.8\",\"-4.2\"\n";
        static const char datapackage[] =
            "{\"resources\": [{\"path\": \"services.csv\", \"schema\": {\"fields\": [{\"name\": \"minimum_age\","
            " \"type\": \"number\"}]}}, {\"path\": \"phones.csv\", \"schema\": {\"fields\": []}}]}";
        write_file("aliss_organisation_result.csv", (const uint8_t *)orgs, sizeof orgs - 1);
        write_file("aliss_location_result.csv", (const uint8_t *)locs, sizeof locs - 1);
        write_file("datapackage.json", (const uint8_t *)datapackage, sizeof datapackage - 1);
    }
    if (size == 0)
        return 0;
    struct import_records r = { 0 };
    char err[512], path[128];
    const uint8_t *body = data + 1;
    size_t len = size - 1;
    switch (data[0] % 5) {
    case 0:
        write_file("in.json", body, len);
        snprintf(path, sizeof path, "%s/in.json", dir);
        if (import_read_hsds_json(path, &r, err, sizeof err) < 0)
            assert(err[0] != '\0');
        check(&r);
        break;
    case 1: {
        write_file("in.csv", body, len);
        snprintf(path, sizeof path, "%s/in.csv", dir);
        struct csv_table t;
        if (csv_table_load(path, &t, err, sizeof err) == 0) {
            for (size_t i = 0; i < t.nrows; i++)
                for (size_t j = 0; j < t.ncols; j++)
                    assert(t.rows[i][j] != NULL);
            csv_table_free(&t);
        }
        break;
    }
    case 2:
        write_file("aliss_service_result.csv", body, len);
        if (import_read_aliss(dir, &r, err, sizeof err) < 0)
            assert(err[0] != '\0');
        check(&r);
        break;
    case 3: {
        /* half the input is services.csv, half phones.csv */
        write_file("services.csv", body, len / 2);
        write_file("phones.csv", body + len / 2, len - len / 2);
        snprintf(path, sizeof path, "%s/datapackage.json", dir);
        if (import_read_hsds_csv(dir, path, &r, err, sizeof err) < 0)
            assert(err[0] != '\0');
        check(&r);
        break;
    }
    default: {
        char *s = malloc(len + 1);
        memcpy(s, body, len);
        s[len] = '\0';
        char pc[16];
        import_normalise_postcode(s, pc, sizeof pc);
        (void)import_uk_phone(s);
        (void)import_plausible_email(s);
        (void)import_plausible_url(s);
        json_decref(import_quoted_list(s));
        /* a CHI number as typed: valid ones come back as ten digits */
        char chi[11];
        if (links_chi_check(s, chi) == LINKS_CHI_VALID)
            assert(strlen(chi) == 10 && strspn(chi, "0123456789") == 10);
        free(s);
    }
    }
    return 0;
}
