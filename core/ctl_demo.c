/* ctl_demo.c — load reference data (postcodes, SIMD, practices, categories)
 * and demo services in one transaction: CSV files are streamed with COPY
 * into staging tables, then SQL in schema/demo/ shapes them. Running it
 * again gives the same result. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ctl.h"
#include "validate.h"

static int copy_file(PGconn *conn, const char *table, const char *path)
{
    for (const char *c = table; *c != '\0'; c++)
        if (!((*c >= 'a' && *c <= 'z') || *c == '_' || (*c >= '0' && *c <= '9'))) {
            fprintf(stderr, "linksctl: bad staging table name \"%s\" in manifest\n", table);
            return -1;
        }
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        fprintf(stderr, "linksctl: cannot read %s\n", path);
        return -1;
    }
    char sql[256];
    snprintf(sql, sizeof sql, "COPY %s FROM STDIN WITH (FORMAT csv, HEADER true)", table);
    PGresult *r = PQexec(conn, sql);
    if (PQresultStatus(r) != PGRES_COPY_IN) {
        fprintf(stderr, "linksctl: %s: %s", path, PQresultErrorMessage(r));
        PQclear(r);
        fclose(f);
        return -1;
    }
    PQclear(r);
    char buf[65536];
    size_t n;
    int ok = 1;
    while (ok && (n = fread(buf, 1, sizeof buf, f)) > 0)
        ok = PQputCopyData(conn, buf, (int)n) == 1;
    fclose(f);
    if (PQputCopyEnd(conn, ok ? NULL : "read error") != 1)
        ok = 0;
    r = PQgetResult(conn);
    if (PQresultStatus(r) != PGRES_COMMAND_OK) {
        fprintf(stderr, "linksctl: %s: %s", path, PQresultErrorMessage(r));
        ok = 0;
    } else {
        printf("  %-28s %8s rows from %s\n", table, PQcmdTuples(r), strrchr(path, '/') + 1);
    }
    PQclear(r);
    while ((r = PQgetResult(conn)) != NULL)
        PQclear(r);
    return ok ? 0 : -1;
}

static int run_manifest(PGconn *conn, const char *share)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/schema/demo/manifest", share);
    char *manifest = ctl_read_file(path, NULL);
    if (manifest == NULL) {
        fprintf(stderr, "linksctl: cannot read %s\n", path);
        return -1;
    }
    int rc = 0;
    char *save = NULL;
    for (char *line = strtok_r(manifest, "\n", &save); line && rc == 0; line = strtok_r(NULL, "\n", &save)) {
        char table[128], file[1024];
        if (line[0] == '#' || line[0] == '\0')
            continue;
        if (sscanf(line, "%127s %1023s", table, file) != 2) {
            fprintf(stderr, "linksctl: %s: cannot read line \"%s\"\n", path, line);
            rc = -1;
            break;
        }
        char data[4096];
        snprintf(data, sizeof data, "%s/schema/data/%s", share, file);
        rc = copy_file(conn, table, data);
    }
    free(manifest);
    return rc;
}

static int run_sql(PGconn *conn, const char *share, const char *name)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/schema/demo/%s", share, name);
    char *sql = ctl_read_file(path, NULL);
    if (sql == NULL) {
        fprintf(stderr, "linksctl: cannot read %s\n", path);
        return -1;
    }
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    int rc = ctl_exec_file_text(conn, path, sql);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    if (rc == 0)
        printf("  %-28s %8.1f s\n", name,
               (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
    free(sql);
    return rc;
}

/* Each demo service is looked after by its board's demo champion, one in
 * four by the board's demo administrator (so the freshness report has more
 * than one champion to compare). Staff exist only after ctl_demo_staff. */
static const char demo_champions_sql[] =
    "UPDATE service s SET champion_id = st.id FROM board b, staff st"
    " WHERE s.demo AND s.board_id = b.id AND st.board_id = b.id"
    "   AND st.username = b.slug || CASE WHEN get_byte(decode(md5(s.id::text), 'hex'), 0) % 4 = 0"
    "                                    THEN '.admin' ELSE '.champion' END"
    "   AND s.champion_id IS DISTINCT FROM st.id";

int ctl_demo_data(const struct ctl_options *o, int argc, char **argv)
{
    long services = 400, seed = 42;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--services") == 0 && i + 1 < argc) {
            if (links_parse_int(argv[++i], 0, 1000000, &services) < 0) {
                fprintf(stderr, "linksctl: --services must be a number from 0 to 1000000\n");
                return 2;
            }
        } else if (strcmp(argv[i], "--seed") == 0 && i + 1 < argc) {
            if (links_parse_int(argv[++i], 0, 2147483647L, &seed) < 0) {
                fprintf(stderr, "linksctl: --seed must be a non-negative whole number\n");
                return 2;
            }
        } else {
            fprintf(stderr, "usage: linksctl demo-data [--services N] [--seed S]\n");
            return 2;
        }
    }
    PGconn *conn = ctl_connect(o);
    if (conn == NULL)
        return 1;
    char settings[256];
    snprintf(settings, sizeof settings,
             "SELECT set_config('links.demo_services', '%ld', false), set_config('links.demo_seed', '%ld', false)",
             services, seed);
    printf("loading reference and demo data (%ld demo services, seed %ld)\n", services, seed);
    int rc = ctl_exec(conn, "BEGIN") < 0 || ctl_exec(conn, settings) < 0 ||
             run_sql(conn, o->share_dir, "10_staging.sql") < 0 || run_manifest(conn, o->share_dir) < 0 ||
             run_sql(conn, o->share_dir, "20_reference.sql") < 0 ||
             run_sql(conn, o->share_dir, "30_services.sql") < 0 ||
             run_sql(conn, o->share_dir, "35_details.sql") < 0 ||
             run_sql(conn, o->share_dir, "40_finish.sql") < 0 || ctl_demo_staff(conn) < 0 ||
             ctl_exec(conn, demo_champions_sql) < 0 ||
             ctl_exec(conn, "COMMIT") < 0;
    if (rc) {
        ctl_exec(conn, "ROLLBACK");
        fprintf(stderr, "linksctl: demo data not loaded; the database is unchanged\n");
        PQfinish(conn);
        return 1;
    }
    /* Fresh statistics and no GIN pending list, so the first searches are
     * as fast as later ones (VACUUM cannot run inside the load's transaction). */
    if (ctl_exec(conn, "VACUUM (ANALYZE) service, location, service_at_location, service_category,"
                          " organization, category, postcode, postcode_area, data_zone, search_term") < 0)
        fprintf(stderr, "linksctl: warning: VACUUM ANALYZE after the load failed; searches may be slow until autovacuum runs\n");
    PGresult *r = PQexec(conn, "SELECT (SELECT count(*) FROM postcode), (SELECT count(*) FROM practice),"
                               " (SELECT count(*) FROM service), (SELECT count(*) FROM location),"
                               " (SELECT count(*) FROM category)");
    if (PQresultStatus(r) == PGRES_TUPLES_OK)
        printf("loaded: %s postcodes, %s practices, %s services at %s locations, %s categories\n",
               PQgetvalue(r, 0, 0), PQgetvalue(r, 0, 1), PQgetvalue(r, 0, 2), PQgetvalue(r, 0, 3),
               PQgetvalue(r, 0, 4));
    PQclear(r);
    PQfinish(conn);
    return 0;
}

/* A made-up year of signposts and referrals for the boards with demo staff
 * (schema/demo/50_activity.sql says what is made up), in one transaction. */
int ctl_demo_activity(const struct ctl_options *o, int argc, char **argv)
{
    long signposts = 20000, referrals = 3000, seed = 42;
    for (int i = 1; i < argc; i++) {
        long *target = NULL, max = 10000000;
        if (strcmp(argv[i], "--signposts") == 0)
            target = &signposts;
        else if (strcmp(argv[i], "--referrals") == 0)
            target = &referrals;
        else if (strcmp(argv[i], "--seed") == 0)
            target = &seed, max = 2147483647L;
        if (target == NULL || i + 1 >= argc || links_parse_int(argv[++i], 0, max, target) < 0) {
            fprintf(stderr, "usage: linksctl demo-activity [--signposts N] [--referrals N] [--seed S]"
                            " (counts from 0 to 10000000)\n");
            return 2;
        }
    }
    PGconn *conn = ctl_connect(o);
    if (conn == NULL)
        return 1;
    char settings[256], metric[4096];
    snprintf(settings, sizeof settings,
             "SELECT set_config('links.demo_signposts', '%ld', true), set_config('links.demo_referrals', '%ld', true),"
             " set_config('links.demo_seed', '%ld', true)",
             signposts, referrals, seed);
    snprintf(metric, sizeof metric, "%s/schema/data/swemwbs_raw_to_metric.csv", o->share_dir);
    printf("making a year of demo activity (%ld signposts, %ld referrals, seed %ld)\n", signposts, referrals, seed);
    int rc = ctl_exec(conn, "BEGIN") < 0 || ctl_exec(conn, settings) < 0 ||
             ctl_exec(conn, "CREATE TEMP TABLE act_swemwbs_metric (raw_score smallint PRIMARY KEY,"
                            " metric_score numeric(4, 2) NOT NULL) ON COMMIT DROP") < 0 ||
             copy_file(conn, "act_swemwbs_metric", metric) < 0 || run_sql(conn, o->share_dir, "50_activity.sql") < 0;
    PGresult *r = NULL;
    if (rc == 0) {
        r = PQexec(conn, "SELECT (SELECT count(*) FROM act_staff), (SELECT count(*) FROM signpost),"
                         " (SELECT count(*) FROM referral), (SELECT count(*) FROM referral_contact),"
                         " (SELECT count(*) FROM wellbeing_measure)");
        if (PQresultStatus(r) != PGRES_TUPLES_OK || strcmp(PQgetvalue(r, 0, 0), "0") == 0) {
            fprintf(stderr, "linksctl: no board has demo staff: run linksctl demo-data first\n");
            rc = 1;
        }
    }
    if (rc == 0 && ctl_exec(conn, "COMMIT") < 0)
        rc = 1;
    if (rc) {
        ctl_exec(conn, "ROLLBACK");
        fprintf(stderr, "linksctl: demo activity not made; the database is unchanged\n");
    } else {
        printf("now: %s signposts, %s referrals, %s contacts, %s wellbeing measures\n", PQgetvalue(r, 0, 1),
               PQgetvalue(r, 0, 2), PQgetvalue(r, 0, 3), PQgetvalue(r, 0, 4));
    }
    PQclear(r);
    PQfinish(conn);
    return rc ? 1 : 0;
}
