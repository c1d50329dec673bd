/* host.c — the functions plugins may call (struct links_host). Plugins get
 * only these; they never see core structures. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "boards.h"
#include "http.h"
#include "log.h"
#include "worker.h"

static void host_log(const struct links_settings *s, enum links_log_level level, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    links_log(level, "board %s: plugin %s: %s", s ? s->board_slug : "?",
              s ? s->plugin_name : "?", msg);
}

static const config_setting_t *lookup(const struct links_settings *s, const char *path)
{
    if (s == NULL || s->group == NULL || path == NULL)
        return NULL;
    if (path[0] == '\0')
        return s->group;
    return config_setting_lookup((config_setting_t *)s->group, path);
}

static int host_setting_int(const struct links_settings *s, const char *path, long *out)
{
    const config_setting_t *v = lookup(s, path);
    if (v == NULL)
        return 0;
    switch (config_setting_type(v)) {
    case CONFIG_TYPE_INT:
        *out = config_setting_get_int(v);
        return 1;
    case CONFIG_TYPE_BOOL:
        *out = config_setting_get_bool(v);
        return 1;
    case CONFIG_TYPE_INT64:
        *out = (long)config_setting_get_int64(v);
        return 1;
    default:
        return 0;
    }
}

static int host_setting_float(const struct links_settings *s, const char *path, double *out)
{
    const config_setting_t *v = lookup(s, path);
    if (v == NULL)
        return 0;
    switch (config_setting_type(v)) {
    case CONFIG_TYPE_FLOAT:
        *out = config_setting_get_float(v);
        return 1;
    case CONFIG_TYPE_INT:
        *out = config_setting_get_int(v);
        return 1;
    default:
        return 0;
    }
}

static int host_setting_string(const struct links_settings *s, const char *path, const char **out)
{
    const config_setting_t *v = lookup(s, path);
    if (v == NULL || config_setting_type(v) != CONFIG_TYPE_STRING)
        return 0;
    *out = config_setting_get_string(v);
    return 1;
}

static int host_setting_count(const struct links_settings *s, const char *path)
{
    const config_setting_t *v = lookup(s, path);
    if (v == NULL || !config_setting_is_aggregate(v))
        return 0;
    return config_setting_length(v);
}

static int host_setting_child(const struct links_settings *s, const char *path, int index,
                              const char **name, const char **string_value)
{
    const config_setting_t *v = lookup(s, path);
    if (v == NULL || !config_setting_is_aggregate(v) || index < 0)
        return 0;
    const config_setting_t *c = config_setting_get_elem(v, (unsigned)index);
    if (c == NULL)
        return 0;
    if (name != NULL)
        *name = config_setting_name(c);
    if (string_value != NULL)
        *string_value = config_setting_type(c) == CONFIG_TYPE_STRING ? config_setting_get_string(c)
                                                                     : NULL;
    return 1;
}

static void *host_alloc(struct links_request *req, size_t size)
{
    return req ? links_arena_alloc(req->arena, size) : NULL;
}

static int host_query(struct links_request *req, const char *sql, int nparams,
                      const char *const *params, struct links_rows **rows)
{
    if (req == NULL || req->worker == NULL || sql == NULL || rows == NULL)
        return -1;
    PGresult *result = NULL;
    const char *state, *message;
    enum links_db_status st = links_db_query_sql(req->worker->db, req->arena,
                                                 req->board ? req->board->cfg->code : NULL, sql,
                                                 nparams, params, &result, &state, &message);
    if (st != LINKS_DB_OK) {
        links_warn("plugin query failed (%s): %s", state, message);
        return -1;
    }
    *rows = (struct links_rows *)result;
    return 0;
}

static int host_rows_count(const struct links_rows *rows)
{
    return rows ? PQntuples((const PGresult *)rows) : 0;
}

static const char *host_rows_value(const struct links_rows *rows, int row, int col)
{
    const PGresult *r = (const PGresult *)rows;
    if (r == NULL || row < 0 || col < 0 || row >= PQntuples(r) || col >= PQnfields(r) ||
        PQgetisnull(r, row, col))
        return NULL;
    return PQgetvalue(r, row, col);
}

const struct links_host links_host_table = {
    .abi_major = LINKS_PLUGIN_ABI_MAJOR,
    .abi_minor = LINKS_PLUGIN_ABI_MINOR,
    .size = sizeof(struct links_host),
    .log = host_log,
    .setting_int = host_setting_int,
    .setting_float = host_setting_float,
    .setting_string = host_setting_string,
    .setting_count = host_setting_count,
    .setting_child = host_setting_child,
    .alloc = host_alloc,
    .query = host_query,
    .rows_count = host_rows_count,
    .rows_value = host_rows_value,
};
