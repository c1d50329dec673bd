/* ctl_migrate.c — apply schema/NNNN_name.sql in order, each in its own
 * transaction, recorded in schema_migrations with a SHA-256 checksum.
 * Re-running applies only what is new; an applied file that has since
 * changed is refused, since the database no longer matches it. */
#include <dirent.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctl.h"

#define MAX_MIGRATIONS 512

static int is_migration(const char *name)
{
    size_t n = strlen(name);
    if (n < 9 || strcmp(name + n - 4, ".sql") != 0)
        return 0;
    for (int i = 0; i < 4; i++)
        if (name[i] < '0' || name[i] > '9')
            return 0;
    return name[4] == '_';
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void sha256_hex(const char *data, size_t len, char out[65])
{
    unsigned char digest[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(digest, (const unsigned char *)data, len);
    sodium_bin2hex(out, 65, digest, sizeof digest);
}

/* Applied checksum of `version`, or NULL (malloc'd). */
static char *applied_checksum(PGconn *conn, const char *version)
{
    const char *params[1] = { version };
    PGresult *r = PQexecParams(conn, "SELECT checksum FROM schema_migrations WHERE version = $1", 1,
                               NULL, params, NULL, NULL, 0);
    char *sum = NULL;
    if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1)
        sum = strdup(PQgetvalue(r, 0, 0));
    PQclear(r);
    return sum;
}

static int apply_one(PGconn *conn, const char *dir, const char *file, int status_only, int *applied)
{
    char path[8192];
    snprintf(path, sizeof path, "%s/%s", dir, file);
    size_t len;
    char *sql = ctl_read_file(path, &len);
    if (sql == NULL) {
        fprintf(stderr, "linksctl: cannot read %s\n", path);
        return -1;
    }
    char version[5];
    memcpy(version, file, 4);
    version[4] = '\0';
    char sum[65];
    sha256_hex(sql, len, sum);
    char *done = applied_checksum(conn, version);
    int rc = 0;
    if (done != NULL) {
        if (strcmp(done, sum) != 0) {
            fprintf(stderr, "linksctl: %s was changed after it was applied (checksum %.12s…, applied %.12s…); "
                            "add a new migration instead of editing an applied one\n", file, sum, done);
            rc = -1;
        } else if (status_only) {
            printf("applied  %s\n", file);
        }
    } else if (status_only) {
        printf("pending  %s\n", file);
    } else {
        const char *params[3] = { version, file, sum };
        if (ctl_exec(conn, "BEGIN") < 0 || ctl_exec_file_text(conn, path, sql) < 0) {
            ctl_exec(conn, "ROLLBACK");
            fprintf(stderr, "linksctl: %s not applied; nothing of it was kept\n", file);
            rc = -1;
        } else {
            PGresult *r = PQexecParams(conn,
                                       "INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)",
                                       3, NULL, params, NULL, NULL, 0);
            int ok = PQresultStatus(r) == PGRES_COMMAND_OK;
            if (!ok)
                fprintf(stderr, "linksctl: %s", PQresultErrorMessage(r));
            PQclear(r);
            if (!ok || ctl_exec(conn, "COMMIT") < 0) {
                ctl_exec(conn, "ROLLBACK");
                rc = -1;
            } else {
                printf("applied  %s\n", file);
                (*applied)++;
            }
        }
    }
    free(done);
    free(sql);
    return rc;
}

int ctl_migrate(const struct ctl_options *o, int argc, char **argv)
{
    int status_only = argc == 2 && strcmp(argv[1], "--status") == 0;
    if (argc > 1 && !status_only) {
        fprintf(stderr, "usage: linksctl migrate [--status]\n");
        return 2;
    }
    if (sodium_init() < 0)
        return 1;
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/schema", o->share_dir);
    DIR *d = opendir(dir);
    if (d == NULL) {
        fprintf(stderr, "linksctl: cannot open %s (use -s to say where schema/ is)\n", dir);
        return 1;
    }
    char *files[MAX_MIGRATIONS];
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL && n < MAX_MIGRATIONS)
        if (is_migration(e->d_name))
            files[n++] = strdup(e->d_name);
    closedir(d);
    qsort(files, (size_t)n, sizeof files[0], by_name);

    PGconn *conn = ctl_connect(o);
    int rc = conn ? 0 : 1;
    /* One migrator at a time, whoever else runs linksctl. */
    if (rc == 0 && (ctl_exec(conn, "SELECT pg_advisory_lock(727001)") < 0 ||
                    ctl_exec(conn, "CREATE TABLE IF NOT EXISTS schema_migrations ("
                                      " version text PRIMARY KEY, name text NOT NULL,"
                                      " checksum text NOT NULL,"
                                      " applied_at timestamptz NOT NULL DEFAULT now())") < 0))
        rc = 1;
    int applied = 0;
    for (int i = 0; i < n; i++) {
        if (rc == 0 && apply_one(conn, dir, files[i], status_only, &applied) < 0)
            rc = 1;
        free(files[i]);
    }
    if (rc == 0 && !status_only)
        printf("schema up to date: %d migration%s applied now, %d in all\n", applied,
               applied == 1 ? "" : "s", n);
    PQfinish(conn);
    return rc;
}
