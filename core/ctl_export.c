/* ctl_export.c — linksctl export hsds: the whole directory (or one board's
 * part of it) as one Open Referral HSDS 3.0 JSON document, each object built
 * by the same SQL functions as the /hsds/ API (schema/0006_hsds.sql):
 *
 *   {"version": "3.0", "services": [fully nested services],
 *    "organizations": [organizations with their phones and locations],
 *    "taxonomies": [...], "taxonomy_terms": [...]}
 *
 * Rows are streamed one at a time (libpq single-row mode), so memory stays
 * flat however large the directory; the file appears only when complete
 * (written beside it, then renamed).
 *
 * With --format csv the same objects are flattened into the standard's
 * CSV datapackage (export_tabular.c), written into a new directory that
 * likewise appears only when complete. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ctl.h"
#include "export.h"

/* $1: a board code, or NULL for the whole deployment. */
static const char *const parts[][2] = {
    { "services",
      "SELECT hsds_service(s, true)::text FROM service s"
      " WHERE $1::text IS NULL OR s.board_id IS NULL OR s.board_id = (SELECT id FROM board WHERE code = $1::text)"
      " ORDER BY s.id" },
    { "organizations",
      "SELECT (hsds_organization(o, false, (SELECT id FROM board WHERE code = $1::text)) - 'services')::text"
      " FROM organization o"
      " WHERE $1::text IS NULL OR o.board_id IS NULL OR o.board_id = (SELECT id FROM board WHERE code = $1::text)"
      " ORDER BY o.id" },
    /* the vocabularies are national: every board's export has them whole */
    { "taxonomies", "SELECT hsds_taxonomy(t)::text FROM taxonomy t ORDER BY t.id" },
    { "taxonomy_terms", "SELECT hsds_taxonomy_term(c)::text FROM category c ORDER BY c.id" },
};

/* Stream one query's rows into out as the members of a JSON array, or
 * (tables not NULL) flatten each into the standard's tables. */
static long write_array(PGconn *conn, FILE *out, json_t *tables, const char *name, const char *sql,
                        const char *board, int progress)
{
    const char *values[1] = { board };
    int nparams = strstr(sql, "$1") != NULL;
    if (!PQsendQueryParams(conn, sql, nparams, NULL, values, NULL, NULL, 0) || !PQsetSingleRowMode(conn)) {
        fprintf(stderr, "linksctl: export %s: %s", name, PQerrorMessage(conn));
        return -1;
    }
    if (tables == NULL)
        fprintf(out, "%s\n  \"%s\": [", strcmp(name, "services") == 0 ? "" : ",", name);
    long n = 0;
    int failed = 0;
    PGresult *r;
    while ((r = PQgetResult(conn)) != NULL) {
        ExecStatusType st = PQresultStatus(r);
        if (st == PGRES_SINGLE_TUPLE) {
            if (tables == NULL)
                fprintf(out, "%s\n    %s", n ? "," : "", PQgetvalue(r, 0, 0));
            else if (export_tabular_add(tables, name, PQgetvalue(r, 0, 0)) < 0 && !failed) {
                fprintf(stderr, "linksctl: export %s: out of memory\n", name);
                failed = 1;
            }
            n++;
            if (progress && n % 250 == 0)
                fprintf(stderr, "\r  %s: %ld", name, n);
        } else if (st != PGRES_TUPLES_OK) {
            fprintf(stderr, "linksctl: export %s: %s", name, PQresultErrorMessage(r));
            failed = 1;
        }
        PQclear(r);
    }
    if (tables == NULL)
        fprintf(out, "%s]", n ? "\n  " : "");
    if (progress)
        fprintf(stderr, "\r  %s: %ld\n", name, n);
    return failed ? -1 : n;
}

#define EXPORT_USAGE "usage: linksctl export hsds [--board CODE] [--format json|csv] [--output FILE|DIR]\n"

/* The board's code, or NULL (said why) when there is no such board. */
static char *board_code(PGconn *conn, const char *board)
{
    const char *v[1] = { board };
    PGresult *r = PQexecParams(conn, "SELECT code FROM board WHERE code = $1 OR slug = $1", 1, NULL, v, NULL, NULL, 0);
    char *code = PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1 ? strdup(PQgetvalue(r, 0, 0)) : NULL;
    PQclear(r);
    if (code == NULL)
        fprintf(stderr, "linksctl: there is no board \"%s\" (give its code, such as S08000031, or slug)\n", board);
    return code;
}

/* Every part, as one JSON document into out or into tables. */
static int export_parts(PGconn *conn, FILE *out, json_t *tables, const char *board, long counts[4])
{
    int progress = isatty(STDERR_FILENO);
    if (out != NULL)
        fputs("{\n  \"version\": \"3.0\",", out);
    int rc = 0;
    for (size_t p = 0; p < sizeof parts / sizeof parts[0] && rc == 0; p++)
        if ((counts[p] = write_array(conn, out, tables, parts[p][0], parts[p][1], board, progress)) < 0)
            rc = 1;
    if (out != NULL)
        fputs("\n}\n", out);
    return rc;
}

/* The JSON document, to stdout or (complete, or not at all) to output. */
static int export_json(PGconn *conn, const char *board, const char *output, long counts[4])
{
    if (output == NULL) {
        int rc = export_parts(conn, stdout, NULL, board, counts);
        return rc == 0 && fflush(stdout) == 0 ? 0 : 1;
    }
    size_t n = strlen(output) + 16;
    char *temp = malloc(n);
    if (temp == NULL)
        return 1;
    snprintf(temp, n, "%s.partial", output);
    FILE *out = fopen(temp, "w");
    if (out == NULL) {
        fprintf(stderr, "linksctl: cannot write %s: %s\n", temp, strerror(errno));
        free(temp);
        return 1;
    }
    int rc = export_parts(conn, out, NULL, board, counts);
    if (fclose(out) != 0 || rc != 0) {
        if (rc == 0)
            fprintf(stderr, "linksctl: writing %s failed: %s\n", temp, strerror(errno));
        unlink(temp);
        rc = 1;
    } else if (rename(temp, output) != 0) {
        fprintf(stderr, "linksctl: cannot rename %s to %s: %s\n", temp, output, strerror(errno));
        unlink(temp);
        rc = 1;
    }
    free(temp);
    return rc;
}

/* Remove a directory of plain files (a partial CSV export). */
static void remove_partial(const char *dir)
{
    char path[4400];
    DIR *d = opendir(dir);
    if (d != NULL) {
        struct dirent *e;
        while ((e = readdir(d)) != NULL) {
            if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
                continue;
            snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
            unlink(path);
        }
        closedir(d);
    }
    rmdir(dir);
}

/* The CSV datapackage: a new directory, complete or not at all. */
static int export_csv(PGconn *conn, const struct ctl_options *o, const char *board, const char *output,
                      long counts[4])
{
    struct stat st;
    if (stat(output, &st) == 0) {
        fprintf(stderr, "linksctl: %s already exists: give a new directory for the CSV files\n", output);
        return 2;
    }
    size_t n = strlen(output) + 16;
    char *temp = malloc(n);
    json_t *tables = json_object();
    if (temp == NULL || tables == NULL) {
        free(temp);
        json_decref(tables);
        return 1;
    }
    snprintf(temp, n, "%s.partial", output);
    remove_partial(temp);
    int rc = 0;
    if (mkdir(temp, 0777) != 0) {
        fprintf(stderr, "linksctl: cannot create %s: %s\n", temp, strerror(errno));
        rc = 1;
    }
    char datapackage[4096];
    snprintf(datapackage, sizeof datapackage, "%s/schema/data/hsds-datapackage.json", o->share_dir);
    if (rc == 0)
        rc = export_parts(conn, NULL, tables, board, counts);
    if (rc == 0 && export_tabular_write(tables, datapackage, temp) < 0)
        rc = 1;
    if (rc == 0 && rename(temp, output) != 0) {
        fprintf(stderr, "linksctl: cannot rename %s to %s: %s\n", temp, output, strerror(errno));
        rc = 1;
    }
    if (rc != 0)
        remove_partial(temp);
    json_decref(tables);
    free(temp);
    return rc;
}

int ctl_export(const struct ctl_options *o, int argc, char **argv)
{
    const char *board = NULL, *output = NULL, *format = "json";
    if (argc < 2 || strcmp(argv[1], "hsds") != 0) {
        fputs(EXPORT_USAGE, stderr);
        return 2;
    }
    for (int i = 2; i < argc; i++) {
        if (strcmp(argv[i], "--board") == 0 && i + 1 < argc)
            board = argv[++i];
        else if (strcmp(argv[i], "--output") == 0 && i + 1 < argc)
            output = argv[++i];
        else if (strcmp(argv[i], "--format") == 0 && i + 1 < argc)
            format = argv[++i];
        else {
            fputs(EXPORT_USAGE, stderr);
            return 2;
        }
    }
    int csv = strcmp(format, "csv") == 0;
    if ((!csv && strcmp(format, "json") != 0) || (csv && output == NULL)) {
        fputs(csv ? "linksctl: the CSV datapackage is a directory: give it with --output DIR\n" : EXPORT_USAGE,
              stderr);
        return 2;
    }
    PGconn *conn = ctl_connect(o);
    if (conn == NULL)
        return 1;
    char *code = NULL;
    if (board != NULL && (code = board_code(conn, board)) == NULL) {
        PQfinish(conn);
        return 2;
    }
    /* A consistent picture of the directory, however long the export. */
    if (ctl_exec(conn, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY") < 0) {
        PQfinish(conn);
        free(code);
        return 1;
    }
    long counts[4] = { 0 };
    int rc = csv ? export_csv(conn, o, code, output, counts) : export_json(conn, code, output, counts);
    ctl_exec(conn, "COMMIT");
    PQfinish(conn);
    if (rc == 0)
        fprintf(stderr, "exported %ld services, %ld organizations, %ld taxonomies, %ld taxonomy terms%s%s\n",
                counts[0], counts[1], counts[2], counts[3], output ? " to " : "", output ? output : "");
    free(code);
    return rc;
}
