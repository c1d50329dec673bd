/* config.c — load linksd.conf with libconfig and check every key: a typo or
 * a wrong type stops the daemon at start-up (or is refused on reload) with
 * the file, the line and what is wrong. */
#include "config.h"

#include <errno.h>
#include <regex.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"

struct loader {
    struct links_config *cfg;
    char *err;
    size_t errlen;
};

static int fail(struct loader *l, const config_setting_t *at, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int fail(struct loader *l, const config_setting_t *at, const char *fmt, ...)
{
    char what[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    int line = at != NULL ? (int)config_setting_source_line(at) : 0;
    if (line > 0)
        snprintf(l->err, l->errlen, "%s:%d: %s", l->cfg->path, line, what);
    else
        snprintf(l->err, l->errlen, "%s: %s", l->cfg->path, what);
    return -1;
}

static int matches(const char *pattern, const char *s)
{
    regex_t re;
    if (regcomp(&re, pattern, REG_EXTENDED | REG_NOSUB) != 0)
        return 0;
    int ok = regexec(&re, s, 0, NULL, 0) == 0;
    regfree(&re);
    return ok;
}

/* Reject members we do not know: a misspelt key must not be silently ignored. */
static int check_members(struct loader *l, const config_setting_t *group,
                         const char *const *known, const char *where)
{
    int n = config_setting_length(group);
    for (int i = 0; i < n; i++) {
        const config_setting_t *m = config_setting_get_elem(group, (unsigned)i);
        const char *name = config_setting_name(m);
        int ok = 0;
        for (const char *const *k = known; *k != NULL; k++)
            if (name != NULL && strcmp(name, *k) == 0)
                ok = 1;
        if (!ok)
            return fail(l, m, "unknown setting '%s' in %s", name ? name : "?", where);
    }
    return 0;
}

static int get_string(struct loader *l, const config_setting_t *group, const char *name,
                      int required, const char **out)
{
    const config_setting_t *s = config_setting_get_member(group, name);
    if (s == NULL) {
        if (required)
            return fail(l, group, "missing required setting '%s'", name);
        return 0;
    }
    if (config_setting_type(s) != CONFIG_TYPE_STRING)
        return fail(l, s, "'%s' must be a string (in double quotes)", name);
    *out = config_setting_get_string(s);
    return 0;
}

static int get_int(struct loader *l, const config_setting_t *group, const char *name,
                   int min, int max, int *out)
{
    const config_setting_t *s = config_setting_get_member(group, name);
    if (s == NULL)
        return 0;
    if (config_setting_type(s) != CONFIG_TYPE_INT)
        return fail(l, s, "'%s' must be a whole number", name);
    int v = config_setting_get_int(s);
    if (v < min || v > max)
        return fail(l, s, "'%s' must be between %d and %d (got %d)", name, min, max, v);
    *out = v;
    return 0;
}

static int get_float(struct loader *l, const config_setting_t *group, const char *name,
                     double min, double max, double *out)
{
    const config_setting_t *s = config_setting_get_member(group, name);
    if (s == NULL)
        return 0;
    double v;
    if (config_setting_type(s) == CONFIG_TYPE_FLOAT)
        v = config_setting_get_float(s);
    else if (config_setting_type(s) == CONFIG_TYPE_INT)
        v = config_setting_get_int(s);
    else
        return fail(l, s, "'%s' must be a number", name);
    if (!(v >= min && v <= max))
        return fail(l, s, "'%s' must be between %g and %g (got %g)", name, min, max, v);
    *out = v;
    return 0;
}

static int load_listen(struct loader *l, const config_setting_t *root)
{
    struct links_config *c = l->cfg;
    if (get_string(l, root, "listen", 1, &c->listen) < 0)
        return -1;
    const config_setting_t *at = config_setting_get_member(root, "listen");
    if (!matches("^(unix:/.+|fd:[0-9]+|[0-9.]+:[0-9]+|\\[[0-9a-fA-F:]+\\]:[0-9]+|localhost:[0-9]+)$",
                 c->listen))
        return fail(l, at, "listen must be \"unix:/absolute/path\", \"HOST:PORT\" or \"fd:N\" (got \"%s\")",
                    c->listen);
    const char *mode = NULL;
    if (get_string(l, root, "socket_mode", 0, &mode) < 0)
        return -1;
    if (mode != NULL) {
        char *end;
        errno = 0;
        long m = strtol(mode, &end, 8);
        if (errno != 0 || *end != '\0' || m < 0 || m > 0777)
            return fail(l, config_setting_get_member(root, "socket_mode"),
                        "socket_mode must be an octal mode such as \"0660\" (got \"%s\")", mode);
        c->socket_mode = (int)m;
    }
    return get_string(l, root, "socket_group", 0, &c->socket_group);
}

static int load_database(struct loader *l, const config_setting_t *root)
{
    struct links_config *c = l->cfg;
    const config_setting_t *db = config_setting_get_member(root, "database");
    if (db == NULL || !config_setting_is_group(db))
        return fail(l, db ? db : root, "missing 'database' group with a conninfo");
    static const char *const known[] = { "conninfo", "admin_conninfo", "retry_max_seconds",
                                         "statement_timeout_ms", NULL };
    if (check_members(l, db, known, "database") < 0 ||
        get_string(l, db, "conninfo", 1, &c->conninfo) < 0 ||
        get_string(l, db, "admin_conninfo", 0, &c->admin_conninfo) < 0 ||
        get_float(l, db, "retry_max_seconds", 0.1, 300, &c->db_retry_max_s) < 0 ||
        get_int(l, db, "statement_timeout_ms", 0, 600000, &c->statement_timeout_ms) < 0)
        return -1;
    return 0;
}

static int load_search(struct loader *l, const config_setting_t *root)
{
    struct links_search_config *s = &l->cfg->search;
    const config_setting_t *g = config_setting_get_member(root, "search");
    if (g == NULL)
        return 0;
    if (!config_setting_is_group(g))
        return fail(l, g, "'search' must be a group { ... }");
    static const char *const known[] = { "default_radius_km", "max_radius_km", "default_per_page",
                                         "max_per_page", "max_query_length", NULL };
    if (check_members(l, g, known, "search") < 0 ||
        get_float(l, g, "default_radius_km", 0.1, 500, &s->default_radius_km) < 0 ||
        get_float(l, g, "max_radius_km", 0.1, 500, &s->max_radius_km) < 0 ||
        get_int(l, g, "default_per_page", 1, 1000, &s->default_per_page) < 0 ||
        get_int(l, g, "max_per_page", 1, 1000, &s->max_per_page) < 0 ||
        get_int(l, g, "max_query_length", 1, 10000, &s->max_query_length) < 0)
        return -1;
    if (s->default_radius_km > s->max_radius_km)
        return fail(l, g, "default_radius_km (%g) is larger than max_radius_km (%g)",
                    s->default_radius_km, s->max_radius_km);
    if (s->default_per_page > s->max_per_page)
        return fail(l, g, "default_per_page (%d) is larger than max_per_page (%d)",
                    s->default_per_page, s->max_per_page);
    return 0;
}

static int load_auth(struct loader *l, const config_setting_t *root)
{
    struct links_auth_config *a = &l->cfg->auth;
    const config_setting_t *g = config_setting_get_member(root, "auth");
    if (g == NULL)
        return 0;
    if (!config_setting_is_group(g))
        return fail(l, g, "'auth' must be a group { ... }");
    static const char *const known[] = { "idle_timeout_minutes", "absolute_timeout_hours",
                                         "lockout_failures", "lockout_minutes", "address_failures",
                                         "address_window_minutes", "max_body_bytes", NULL };
    if (check_members(l, g, known, "auth") < 0 ||
        get_int(l, g, "idle_timeout_minutes", 1, 24 * 60, &a->idle_timeout_minutes) < 0 ||
        get_int(l, g, "absolute_timeout_hours", 1, 24 * 7, &a->absolute_timeout_hours) < 0 ||
        get_int(l, g, "lockout_failures", 3, 100, &a->lockout_failures) < 0 ||
        get_int(l, g, "lockout_minutes", 1, 24 * 60, &a->lockout_minutes) < 0 ||
        get_int(l, g, "address_failures", 5, 10000, &a->address_failures) < 0 ||
        get_int(l, g, "address_window_minutes", 1, 24 * 60, &a->address_window_minutes) < 0 ||
        get_int(l, g, "max_body_bytes", 1024, 16 * 1024 * 1024, &a->max_body_bytes) < 0)
        return -1;
    if (a->idle_timeout_minutes > a->absolute_timeout_hours * 60)
        return fail(l, g, "idle_timeout_minutes (%d) is longer than absolute_timeout_hours (%d)",
                    a->idle_timeout_minutes, a->absolute_timeout_hours);
    return 0;
}

static int load_board(struct loader *l, const config_setting_t *b, struct links_board_config *out)
{
    if (!config_setting_is_group(b))
        return fail(l, b, "each board must be a group { code = ...; slug = ...; ... }");
    static const char *const known[] = { "code", "slug", "name", "plugin", "settings", NULL };
    if (check_members(l, b, known, "a board") < 0 ||
        get_string(l, b, "code", 1, &out->code) < 0 ||
        get_string(l, b, "slug", 1, &out->slug) < 0 ||
        get_string(l, b, "name", 1, &out->name) < 0 ||
        get_string(l, b, "plugin", 0, &out->plugin) < 0)
        return -1;
    out->line = (int)config_setting_source_line(b);
    if (!matches("^S08[0-9]{6}$", out->code))
        return fail(l, config_setting_get_member(b, "code"),
                    "board code must be a health board code like \"S08000031\" (got \"%s\")", out->code);
    if (!matches("^[a-z][a-z0-9-]{1,30}$", out->slug))
        return fail(l, config_setting_get_member(b, "slug"),
                    "board slug must be 2-31 lower-case letters, digits or '-' (got \"%s\")", out->slug);
    /* /hsds/{board}/... shares its address space with /hsds/services... */
    if (strcmp(out->slug, "services") == 0 || strcmp(out->slug, "organizations") == 0 ||
        strcmp(out->slug, "taxonomies") == 0)
        return fail(l, config_setting_get_member(b, "slug"),
                    "board slug \"%s\" is taken by the Open Referral API (/hsds/%s)", out->slug, out->slug);
    if (out->plugin != NULL && !matches("^[a-z][a-z0-9_-]{0,63}$", out->plugin))
        return fail(l, config_setting_get_member(b, "plugin"),
                    "plugin must be a bare module name such as \"glasgow\", not a path (got \"%s\")",
                    out->plugin);
    out->settings = config_setting_get_member(b, "settings");
    if (out->settings != NULL && !config_setting_is_group(out->settings))
        return fail(l, out->settings, "a board's 'settings' must be a group { ... }");
    return 0;
}

static int load_boards(struct loader *l, const config_setting_t *root)
{
    struct links_config *c = l->cfg;
    const config_setting_t *list = config_setting_get_member(root, "boards");
    if (list == NULL || !config_setting_is_list(list))
        return fail(l, list ? list : root, "missing 'boards' list: boards = ( { ... }, { ... } );");
    int n = config_setting_length(list);
    if (n == 0)
        return fail(l, list, "'boards' is empty: at least one board is needed");
    if (n > LINKS_MAX_BOARDS)
        return fail(l, list, "at most %d boards are supported", LINKS_MAX_BOARDS);
    for (int i = 0; i < n; i++) {
        const config_setting_t *b = config_setting_get_elem(list, (unsigned)i);
        if (load_board(l, b, &c->boards[i]) < 0)
            return -1;
        for (int j = 0; j < i; j++) {
            if (strcmp(c->boards[j].code, c->boards[i].code) == 0 ||
                strcmp(c->boards[j].slug, c->boards[i].slug) == 0)
                return fail(l, b, "board %s (%s) is declared twice (first at line %d)",
                            c->boards[i].code, c->boards[i].slug, c->boards[j].line);
        }
        c->nboards = i + 1;
    }
    return 0;
}

static void set_defaults(struct links_config *c)
{
    c->socket_mode = 0660;
    c->backlog = 1024;
    c->workers = 2;
    c->threads = 4;
    c->log_level = LINKS_LOG_INFO;
    c->db_retry_max_s = 2.0;
    c->statement_timeout_ms = 5000;
    c->plugin_dir = LINKS_PLUGIN_DIR;
    c->search.default_radius_km = 5.0;
    c->search.max_radius_km = 50.0;
    c->search.default_per_page = 20;
    c->search.max_per_page = 100;
    c->search.max_query_length = 200;
    c->auth.idle_timeout_minutes = 30;
    c->auth.absolute_timeout_hours = 12;
    c->auth.lockout_failures = 5;
    c->auth.lockout_minutes = 15;
    c->auth.address_failures = 30;
    c->auth.address_window_minutes = 15;
    c->auth.max_body_bytes = 64 * 1024;
}

int links_config_load(const char *path, struct links_config *c, char *err, size_t errlen)
{
    memset(c, 0, sizeof *c);
    config_init(&c->tree);
    c->path = strdup(path);
    struct loader l = { c, err, errlen };
    if (c->path == NULL) {
        snprintf(err, errlen, "%s: out of memory", path);
        config_destroy(&c->tree);
        return -1;
    }
    set_defaults(c);
    if (config_read_file(&c->tree, path) != CONFIG_TRUE) {
        if (config_error_type(&c->tree) == CONFIG_ERR_FILE_IO)
            snprintf(err, errlen, "%s: cannot read: %s", path, strerror(errno));
        else
            snprintf(err, errlen, "%s:%d: %s", config_error_file(&c->tree) ? config_error_file(&c->tree) : path,
                     config_error_line(&c->tree), config_error_text(&c->tree));
        links_config_free(c);
        return -1;
    }
    const config_setting_t *root = config_root_setting(&c->tree);
    static const char *const known[] = { "listen", "socket_mode", "socket_group", "backlog", "workers",
                                         "threads", "log_level", "database", "plugin_dir", "search",
                                         "auth", "boards", NULL };
    const char *level = NULL;
    if (check_members(&l, root, known, "the top level") < 0 || load_listen(&l, root) < 0 ||
        get_int(&l, root, "backlog", 1, 65535, &c->backlog) < 0 ||
        get_int(&l, root, "workers", 1, 64, &c->workers) < 0 ||
        get_int(&l, root, "threads", 1, 256, &c->threads) < 0 ||
        get_string(&l, root, "log_level", 0, &level) < 0 ||
        get_string(&l, root, "plugin_dir", 0, &c->plugin_dir) < 0 || load_database(&l, root) < 0 ||
        load_search(&l, root) < 0 || load_auth(&l, root) < 0 || load_boards(&l, root) < 0) {
        links_config_free(c);
        return -1;
    }
    if (level != NULL && links_log_level_parse(level, &c->log_level) < 0) {
        fail(&l, config_setting_get_member(root, "log_level"),
             "log_level must be error, warning, info or debug (got \"%s\")", level);
        links_config_free(c);
        return -1;
    }
    if (c->plugin_dir[0] != '/') {
        fail(&l, config_setting_get_member(root, "plugin_dir"), "plugin_dir must be an absolute path");
        links_config_free(c);
        return -1;
    }
    return 0;
}

void links_config_free(struct links_config *c)
{
    config_destroy(&c->tree);
    free(c->path);
    c->path = NULL;
}

const struct links_board_config *links_config_board(const struct links_config *c, const char *key)
{
    for (int i = 0; i < c->nboards; i++)
        if (strcmp(c->boards[i].code, key) == 0 || strcmp(c->boards[i].slug, key) == 0)
            return &c->boards[i];
    return NULL;
}
