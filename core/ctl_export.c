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
 * (written beside it, then renamed). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ctl.h"

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

/* Stream one query's rows into out as the members of a JSON array. */
static long write_array(PGconn *conn, FILE *out, const char *name, const char *sql, const char *board,
                        int progress)
{
    const char *values[1] = { board };
    int nparams = strstr(sql, "$1") != NULL;
    if (!PQsendQueryParams(conn, sql, nparams, NULL, values, NULL, NULL, 0) || !PQsetSingleRowMode(conn)) {
        fprintf(stderr, "linksctl: export %s: %s", name, PQerrorMessage(conn));
        return -1;
    }
    fprintf(out, "%s\n  \"%s\": [", strcmp(name, "services") == 0 ? "" : ",", name);
    long n = 0;
    int failed = 0;
    PGresult *r;
    while ((r = PQgetResult(conn)) != NULL) {
        ExecStatusType st = PQresultStatus(r);
        if (st == PGRES_SINGLE_TUPLE) {
            fprintf(out, "%s\n    %s", n ? "," : "", PQgetvalue(r, 0, 0));
            n++;
            if (progress && n % 250 == 0)
                fprintf(stderr, "\r  %s: %ld", name, n);
        } else if (st != PGRES_TUPLES_OK) {
            fprintf(stderr, "linksctl: export %s: %s", name, PQresultErrorMessage(r));
            failed = 1;
        }
        PQclear(r);
    }
    fprintf(out, "%s]", n ? "\n  " : "");
    if (progress)
        fprintf(stderr, "\r  %s: %ld\n", name, n);
    return failed ? -1 : n;
}

int ctl_export(const struct ctl_options *o, int argc, char **argv)
{
    const char *board = NULL, *output = NULL;
    int i = 1;
    if (argc < 2 || strcmp(argv[1], "hsds") != 0) {
        fprintf(stderr, "usage: linksctl export hsds [--board CODE] [--output FILE]\n");
        return 2;
    }
    for (i = 2; i < argc; i++) {
        if (strcmp(argv[i], "--board") == 0 && i + 1 < argc)
            board = argv[++i];
        else if (strcmp(argv[i], "--output") == 0 && i + 1 < argc)
            output = argv[++i];
        else {
            fprintf(stderr, "usage: linksctl export hsds [--board CODE] [--output FILE]\n");
            return 2;
        }
    }
    PGconn *conn = ctl_connect(o);
    if (conn == NULL)
        return 1;
    if (board != NULL) {
        const char *v[1] = { board };
        PGresult *r = PQexecParams(conn, "SELECT 1 FROM board WHERE code = $1 OR slug = $1", 1, NULL, v, NULL, NULL, 0);
        int known = PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1;
        PQclear(r);
        if (!known) {
            fprintf(stderr, "linksctl: there is no board \"%s\" (give its code, such as S08000031, or slug)\n", board);
            PQfinish(conn);
            return 2;
        }
        r = PQexecParams(conn, "SELECT code FROM board WHERE code = $1 OR slug = $1", 1, NULL, v, NULL, NULL, 0);
        board = strdup(PQgetvalue(r, 0, 0));
        PQclear(r);
    }
    /* A consistent picture of the directory, however long the export. */
    if (ctl_exec(conn, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY") < 0) {
        PQfinish(conn);
        return 1;
    }
    char *temp = NULL;
    FILE *out = stdout;
    if (output != NULL) {
        size_t n = strlen(output) + 16;
        temp = malloc(n);
        snprintf(temp, n, "%s.partial", output);
        out = fopen(temp, "w");
        if (out == NULL) {
            fprintf(stderr, "linksctl: cannot write %s: %s\n", temp, strerror(errno));
            PQfinish(conn);
            free(temp);
            return 1;
        }
    }
    int progress = isatty(STDERR_FILENO);
    fputs("{\n  \"version\": \"3.0\",", out);
    int rc = 0;
    long counts[4];
    for (size_t p = 0; p < sizeof parts / sizeof parts[0] && rc == 0; p++)
        if ((counts[p] = write_array(conn, out, parts[p][0], parts[p][1], board, progress)) < 0)
            rc = 1;
    fputs("\n}\n", out);
    ctl_exec(conn, "COMMIT");
    PQfinish(conn);
    if (output != NULL) {
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
    } else if (fflush(stdout) != 0) {
        rc = 1;
    }
    if (rc == 0)
        fprintf(stderr, "exported %ld services, %ld organizations, %ld taxonomies, %ld taxonomy terms%s%s\n",
                counts[0], counts[1], counts[2], counts[3], output ? " to " : "", output ? output : "");
    if (board != NULL)
        free((char *)board);
    return rc;
}
