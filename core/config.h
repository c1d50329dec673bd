/* config.h — linksd.conf (libconfig syntax), validated once at start-up and
 * on reload. Every string points into the libconfig tree owned by the
 * struct, so a config lives as one unit and is freed as one. */
#ifndef LINKS_CONFIG_H
#define LINKS_CONFIG_H

#include <stddef.h>
#include <libconfig.h>

#include "links/plugin.h"

#define LINKS_MAX_BOARDS 32

struct links_board_config {
    const char *code;               /* "S08000031" */
    const char *slug;               /* "ggc" */
    const char *name;
    const char *plugin;             /* file name stem in plugin_dir, or NULL */
    const config_setting_t *settings; /* the board's `settings` group, or NULL */
    int line;                       /* where it was declared, for messages */
};

struct links_search_config {
    double default_radius_km;
    double max_radius_km;
    int default_per_page;
    int max_per_page;
    int max_query_length;           /* characters of q */
};

/* Sign-in, sessions and request bodies. */
struct links_auth_config {
    int idle_timeout_minutes;       /* a session unused this long ends */
    int absolute_timeout_hours;     /* and every session ends after this */
    int lockout_failures;           /* consecutive wrong passwords that lock an account */
    int lockout_minutes;            /* for how long */
    int address_failures;           /* failed sign-ins from one address ... */
    int address_window_minutes;     /* ... within this window that throttle it */
    int max_body_bytes;             /* larger request bodies are refused (413) */
};

struct links_config {
    config_t tree;
    char *path;
    const char *listen;             /* "unix:PATH", "HOST:PORT" or "fd:N" */
    int socket_mode;                /* for unix sockets */
    const char *socket_group;       /* group owning a unix socket, or NULL */
    int backlog;
    int workers;
    int threads;
    enum links_log_level log_level;
    const char *conninfo;
    const char *admin_conninfo;     /* for linksctl: the schema owner */
    double db_retry_max_s;          /* cap of the reconnect backoff */
    int statement_timeout_ms;
    const char *plugin_dir;
    struct links_search_config search;
    struct links_auth_config auth;
    int nboards;
    struct links_board_config boards[LINKS_MAX_BOARDS];
};

/* Load and validate. On failure returns -1 and writes "FILE:LINE: what is
 * wrong" into err. */
int links_config_load(const char *path, struct links_config *out, char *err, size_t errlen);
void links_config_free(struct links_config *cfg);

/* Find a board by its code or slug. */
const struct links_board_config *links_config_board(const struct links_config *cfg,
                                                    const char *code_or_slug);

#endif
