/* ctl_common.c — helpers shared by linksctl subcommands. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "ctl.h"
#include "db.h"
#include "plugin_loader.h"
#include "search_sql.h"

PGconn *ctl_connect(const struct ctl_options *o)
{
    PGconn *conn = PQconnectdb(o->conninfo);
    if (PQstatus(conn) != CONNECTION_OK) {
        fprintf(stderr, "linksctl: cannot connect to the database: %s", PQerrorMessage(conn));
        PQfinish(conn);
        return NULL;
    }
    PGresult *r = PQexec(conn, "SET client_min_messages = warning");
    PQclear(r);
    return conn;
}

int ctl_exec(PGconn *conn, const char *sql)
{
    PGresult *r = PQexec(conn, sql);
    int ok = PQresultStatus(r) == PGRES_COMMAND_OK || PQresultStatus(r) == PGRES_TUPLES_OK;
    if (!ok)
        fprintf(stderr, "linksctl: %s", PQresultErrorMessage(r));
    PQclear(r);
    return ok ? 0 : -1;
}

char *ctl_read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return NULL;
    size_t cap = 65536, n = 0;
    char *buf = malloc(cap);
    size_t got;
    while (buf != NULL && (got = fread(buf + n, 1, cap - n - 1, f)) > 0) {
        n += got;
        if (cap - n - 1 == 0) {
            char *bigger = realloc(buf, cap * 2);
            if (bigger == NULL) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = bigger;
            cap *= 2;
        }
    }
    fclose(f);
    if (buf != NULL) {
        buf[n] = '\0';
        if (len != NULL)
            *len = n;
    }
    return buf;
}

int ctl_exec_file_text(PGconn *conn, const char *file, const char *sql)
{
    PGresult *r = PQexec(conn, sql);
    ExecStatusType st = PQresultStatus(r);
    if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK || st == PGRES_EMPTY_QUERY) {
        PQclear(r);
        return 0;
    }
    const char *pos = PQresultErrorField(r, PG_DIAG_STATEMENT_POSITION);
    int line = 1;
    if (pos != NULL) {
        long at = atol(pos);
        for (long i = 0; i < at - 1 && sql[i] != '\0'; i++)
            line += sql[i] == '\n';
        fprintf(stderr, "linksctl: %s:%d: %s", file, line, PQresultErrorMessage(r));
    } else {
        fprintf(stderr, "linksctl: %s: %s", file, PQresultErrorMessage(r));
    }
    PQclear(r);
    return -1;
}

int ctl_plugin_check(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: linksctl plugin-check FILE\n");
        return 2;
    }
    void *handle;
    const struct links_plugin *p;
    char err[1024];
    if (links_plugin_open(argv[1], &handle, &p, err, sizeof err) < 0) {
        fprintf(stderr, "%s\n", err);
        return 1;
    }
    printf("file:        %s\n", argv[1]);
    printf("name:        %s\n", p->name);
    printf("version:     %s\n", p->version);
    printf("abi:         %u.%u (this linksctl: %d.%d)\n", p->abi_major, p->abi_minor,
           LINKS_PLUGIN_ABI_MAJOR, LINKS_PLUGIN_ABI_MINOR);
    printf("description: %s\n", p->description ? p->description : "");
    printf("hooks:       init=%s fini=%s lookup=%s\n", p->init ? "yes" : "no", p->fini ? "yes" : "no",
           p->lookup ? "yes" : "no");
    links_plugin_close(handle);
    return 0;
}

int ctl_sql(int argc, char **argv)
{
    if (argc == 2 && strcmp(argv[1], "resolve") == 0) {
        printf("%s\n", links_search_resolve_sql);
        return 0;
    }
    /* Any statement linksd prepares, by the name its log and pg_stat use. */
    if (argc == 3 && strcmp(argv[1], "statement") == 0) {
        const struct links_statement *st = links_api_register() == 0 ? links_db_statement(argv[2]) : NULL;
        if (st == NULL) {
            fprintf(stderr, "linksctl: linksd prepares no statement named \"%s\"\n", argv[2]);
            return 2;
        }
        printf("%s\n", st->sql);
        return 0;
    }
    if (argc != 3 || strcmp(argv[1], "search") != 0) {
        fprintf(stderr, "usage: linksctl sql resolve | sql statement NAME | sql search VARIANT"
                        "   (VARIANT: all, or letters q, c, o: e.g. qo)\n");
        return 2;
    }
    int v = 0;
    if (strcmp(argv[2], "all") != 0) {
        for (const char *c = argv[2]; *c != '\0'; c++) {
            if (*c == 'q')
                v |= LINKS_SEARCH_TEXT;
            else if (*c == 'c')
                v |= LINKS_SEARCH_CATEGORY;
            else if (*c == 'o')
                v |= LINKS_SEARCH_ORIGIN;
            else {
                fprintf(stderr, "linksctl: unknown search variant letter '%c'\n", *c);
                return 2;
            }
        }
    }
    printf("%s\n", links_search_sql(v));
    return 0;
}
