/* ctl_import.c — linksctl import: load a directory from another system into
 * one board's part of this one.
 *
 *   linksctl import --board CODE [--format hsds|hsds-csv|aliss] PATH
 *
 * PATH is an HSDS JSON file (format hsds), an HSDS CSV datapackage (a
 * directory of the standard's CSV files, format hsds-csv) or a directory
 * holding the ALISS CSV export (format aliss); without --format the path
 * decides. The
 * reader turns the source into HSDS records; each is imported in its own
 * transaction by hsds_import() (schema/0009_import.sql), so a bad record
 * is reported with its reason and the rest still import, and an import
 * stopped half way leaves whole records only (run it again to finish).
 *
 * A progress bar is drawn on a terminal; the summary counts records
 * created, updated, unchanged and rejected. Exit status: 0 when every
 * record imported, 3 when some were rejected, 1 or 2 when the import
 * could not run. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "ctl.h"
#include "import.h"

#define IMPORT_SQL "SELECT hsds_import($1, $2, $3::jsonb, $4)"

struct tally {
    long created, updated, unchanged, rejected;
};

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* "[#########...........]  412/1200 records" on one line of the terminal. */
static void draw_progress(size_t done, size_t total)
{
    enum { WIDTH = 30 };
    size_t filled = total ? done * WIDTH / total : WIDTH;
    char bar[WIDTH + 1];
    memset(bar, '#', filled);
    memset(bar + filled, '.', WIDTH - filled);
    bar[WIDTH] = '\0';
    fprintf(stderr, "\r[%s] %zu/%zu records", bar, done, total);
    fflush(stderr);
}

static void report_rejection(int tty, const char *label, const char *reason)
{
    if (tty)
        fputs("\r\033[K", stderr);
    fprintf(stderr, "rejected %s: %s\n", label, reason);
}

/* The server's reason for refusing a record, without "ERROR:" or context. */
static const char *server_reason(const PGresult *r, PGconn *conn)
{
    const char *primary = PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY);
    return primary ? primary : PQerrorMessage(conn);
}

/* One record in its own transaction; -1 when the import cannot go on (the
 * connection is lost). */
static int import_one(PGconn *conn, const char *board, const struct import_record *rec, int tty, struct tally *t)
{
    char *text = json_dumps(rec->doc, JSON_COMPACT);
    if (text == NULL) {
        fprintf(stderr, "linksctl: out of memory\n");
        return -1;
    }
    const char *values[4] = { board, rec->kind, text, "linksctl import" };
    PGresult *r = PQexecParams(conn, IMPORT_SQL, 4, NULL, values, NULL, NULL, 0);
    free(text);
    if (PQresultStatus(r) == PGRES_TUPLES_OK) {
        const char *outcome = PQgetvalue(r, 0, 0);
        if (strcmp(outcome, "created") == 0)
            t->created++;
        else if (strcmp(outcome, "updated") == 0)
            t->updated++;
        else
            t->unchanged++;
    } else if (PQstatus(conn) != CONNECTION_OK) {
        fprintf(stderr, "%slinksctl: the database connection was lost: %s", tty ? "\n" : "",
                PQerrorMessage(conn));
        PQclear(r);
        return -1;
    } else {
        report_rejection(tty, rec->label, server_reason(r, conn));
        t->rejected++;
    }
    PQclear(r);
    return 0;
}

static int import_all(PGconn *conn, const char *board, const struct import_records *recs, struct tally *t)
{
    int tty = isatty(STDERR_FILENO);
    double last_draw = 0;
    for (size_t i = 0; i < recs->count; i++) {
        const struct import_record *rec = &recs->items[i];
        if (rec->doc == NULL) {
            report_rejection(tty, rec->label, rec->reason);
            t->rejected++;
        } else {
            int rc = import_one(conn, board, rec, tty, t);
            if (rc < 0)
                return rc;
        }
        if (tty && (now_seconds() - last_draw > 0.1 || i + 1 == recs->count)) {
            draw_progress(i + 1, recs->count);
            last_draw = now_seconds();
        }
    }
    if (tty && recs->count > 0)
        fputc('\n', stderr);
    return 0;
}


static int is_directory(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static int exists_in(const char *dir, const char *file)
{
    char path[4400];
    snprintf(path, sizeof path, "%s/%s", dir, file);
    return access(path, F_OK) == 0;
}

/* A directory is the ALISS export or an HSDS CSV datapackage (by the files
 * it holds), datapackage.json is the latter, any other file HSDS JSON. */
static const char *guess_format(const char *path)
{
    if (is_directory(path))
        return exists_in(path, "aliss_service_result.csv") ? "aliss" : "hsds-csv";
    const char *base = strrchr(path, '/');
    return strcmp(base ? base + 1 : path, "datapackage.json") == 0 ? "hsds-csv" : "hsds";
}

static void usage(void)
{
    fprintf(stderr, "usage: linksctl import --board CODE [--format hsds|hsds-csv|aliss] PATH\n"
                    "  PATH: an HSDS JSON file (one object, a list, a Page, `linksctl export hsds` output,\n"
                    "        or the tabular form as JSON), an HSDS CSV datapackage directory, or a\n"
                    "        directory holding the ALISS CSV export\n");
}

int ctl_import(const struct ctl_options *o, int argc, char **argv)
{
    const char *board = NULL, *format = NULL;
    static const struct option longopts[] = {
        { "board", required_argument, NULL, 'b' },
        { "format", required_argument, NULL, 'f' },
        { NULL, 0, NULL, 0 },
    };
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "b:f:", longopts, NULL)) != -1) {
        if (c == 'b') {
            board = optarg;
        } else if (c == 'f') {
            format = optarg;
        } else {
            usage();
            return 2;
        }
    }
    if (board == NULL || optind != argc - 1) {
        usage();
        return 2;
    }
    const char *path = argv[optind];
    if (format == NULL)
        format = guess_format(path);
    if (strcmp(format, "hsds") != 0 && strcmp(format, "hsds-csv") != 0 && strcmp(format, "aliss") != 0) {
        fprintf(stderr, "linksctl: unknown import format \"%s\" (hsds, hsds-csv or aliss)\n", format);
        return 2;
    }
    if (access(path, R_OK) != 0) {
        fprintf(stderr, "linksctl: cannot read %s\n", path);
        return 2;
    }

    struct import_records recs = { 0 };
    char err[1024];
    char datapackage[4096];
    snprintf(datapackage, sizeof datapackage, "%s/schema/data/hsds-datapackage.json", o->share_dir);
    int read_rc = strcmp(format, "aliss") == 0      ? import_read_aliss(path, &recs, err, sizeof err)
                  : strcmp(format, "hsds-csv") == 0 ? import_read_hsds_csv(path, datapackage, &recs, err, sizeof err)
                                                    : import_read_hsds_json(path, &recs, err, sizeof err);
    if (read_rc < 0) {
        fprintf(stderr, "linksctl: %s\n", err);
        import_records_free(&recs);
        return 2;
    }
    PGconn *conn = ctl_connect(o);
    if (conn == NULL) {
        import_records_free(&recs);
        return 1;
    }
    const char *v[1] = { board };
    PGresult *known = PQexecParams(conn, "SELECT 1 FROM board WHERE code = $1 OR slug = $1", 1, NULL, v, NULL, NULL, 0);
    int board_known = PQresultStatus(known) == PGRES_TUPLES_OK && PQntuples(known) == 1;
    PQclear(known);
    if (!board_known) {
        fprintf(stderr, "linksctl: there is no board \"%s\" (give its code, such as S08000031, or slug)\n", board);
        PQfinish(conn);
        import_records_free(&recs);
        return 2;
    }
    /* Each record commits without waiting for its WAL flush (a crash can
     * lose only the last moments, and a re-run imports them again); the
     * final statement waits, so everything counted below is on disk. */
    struct tally t = { 0 };
    int rc = ctl_exec(conn, "SET synchronous_commit = off");
    if (rc == 0)
        rc = import_all(conn, board, &recs, &t);
    if (rc == 0)
        rc = ctl_exec(conn, "SET synchronous_commit = on; SELECT refresh_search_terms()");
    PQfinish(conn);
    import_records_free(&recs);
    printf("created %ld, updated %ld, unchanged %ld, rejected %ld\n", t.created, t.updated, t.unchanged,
           t.rejected);
    if (rc < 0)
        return 1;
    return t.rejected ? 3 : 0;
}
