/*
 * links/plugin.h — the Community Links region plugin ABI.
 *
 * This is the only header a plugin needs. A plugin is a shared object that
 * exports exactly one symbol, `links_plugin`, a `struct links_plugin` whose
 * head is filled in by LINKS_PLUGIN_HEAD. The host checks the head (magic,
 * ABI major, struct size) before it reads anything else, then hands the
 * plugin a table of host functions (`struct links_host`): plugins never link
 * against the daemon and never open their own database connections.
 *
 * Compatibility rules:
 *  - LINKS_PLUGIN_ABI_MAJOR changes when an existing field changes meaning or
 *    position; the host refuses a plugin whose major differs.
 *  - LINKS_PLUGIN_ABI_MINOR grows when fields are appended (to the end of
 *    struct links_plugin, struct links_host or the hook argument structs); a
 *    plugin built against an older minor still loads, and the host treats
 *    missing trailing fields as NULL.
 *  - Every hook is optional: NULL, or a return of LINKS_PLUGIN_DECLINED,
 *    means "use the core's default behaviour".
 */
#ifndef LINKS_PLUGIN_H
#define LINKS_PLUGIN_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define LINKS_PLUGIN_MAGIC     0x4C4E4B53u /* "LNKS" */
#define LINKS_PLUGIN_ABI_MAJOR 1
#define LINKS_PLUGIN_ABI_MINOR 3

/* Name of the single symbol a plugin exports. */
#define LINKS_PLUGIN_SYMBOL "links_plugin"

/* Hook return codes. */
enum links_plugin_status {
    LINKS_PLUGIN_OK       = 0,  /* handled */
    LINKS_PLUGIN_DECLINED = 1,  /* not handled: the core's default applies */
    LINKS_PLUGIN_ERROR    = -1  /* failed: the request gets a 503 */
};

enum links_log_level {
    LINKS_LOG_ERROR = 0,
    LINKS_LOG_WARNING = 1,
    LINKS_LOG_INFO = 2,
    LINKS_LOG_DEBUG = 3
};

/* Opaque to plugins. */
struct links_settings;   /* a board's `settings` group from linksd.conf */
struct links_request;    /* the request being served */
struct links_rows;       /* a query result owned by the request */

/*
 * Functions the host offers a plugin. Any member may be NULL in a host that
 * lacks it (a plugin built against a newer minor); plugins check before use.
 */
struct links_host {
    uint32_t abi_major;
    uint32_t abi_minor;
    size_t size;                 /* sizeof(struct links_host) in the host */

    /* Log a line prefixed with the board's slug and the plugin's name;
     * `s` is the settings handle the plugin was given in init. */
    void (*log)(const struct links_settings *s, enum links_log_level level,
                const char *fmt, ...) __attribute__((format(printf, 3, 4)));

    /* Settings lookups: return 1 and fill *out when `path` (libconfig path,
     * e.g. "localities.Kirkcaldy") exists with the right type, else 0. */
    int (*setting_int)(const struct links_settings *s, const char *path, long *out);
    int (*setting_float)(const struct links_settings *s, const char *path, double *out);
    int (*setting_string)(const struct links_settings *s, const char *path, const char **out);
    /* Iterate a group or list: number of children, and the name (NULL for
     * list items) and string value (NULL if not a string) of child i. */
    int (*setting_count)(const struct links_settings *s, const char *path);
    int (*setting_child)(const struct links_settings *s, const char *path, int index,
                         const char **name, const char **string_value);

    /* Allocate from the request's arena: freed when the request ends. */
    void *(*alloc)(struct links_request *req, size_t size);

    /* Run a parameterised read-only query on the request's connection, in a
     * transaction scoped to the request's board (row-level security applies).
     * Returns 0 and *rows (owned by the request) or -1 on error. */
    int (*query)(struct links_request *req, const char *sql, int nparams,
                 const char *const *params, struct links_rows **rows);
    int (*rows_count)(const struct links_rows *rows);
    /* NULL for SQL NULL or out of range. */
    const char *(*rows_value)(const struct links_rows *rows, int row, int col);
};

/* Whether `host` offers function `member`: a host built against an older
 * minor has a shorter table (host->size), and any member may be NULL. */
#define LINKS_HOST_HAS(host, member)                                            \
    ((host)->size >= offsetof(struct links_host, member) + sizeof((host)->member) \
     && (host)->member != NULL)

/* ---- lookup hook ------------------------------------------------------- */

/* What the core knows about a resource search before it runs it. */
struct links_lookup_context {
    const char *board_code;        /* e.g. "S08000031" */
    const char *query_text;        /* q, or NULL */
    const char *category_slug;     /* or NULL */
    int has_origin;                /* a postcode or district was given */
    const char *origin_postcode;   /* normalised "G12 8QQ", or NULL for a district */
    const char *origin_district;   /* "G12" */
    const char *origin_sector;     /* "G12 8", or NULL for a district */
    const char *origin_council_code;   /* "S12000049", or NULL */
    const char *origin_data_zone;      /* 2011 data zone, or NULL when unknown */
    int origin_simd_decile;            /* 1 (most deprived) .. 10, 0 = unknown */
    double radius_km;                  /* as asked for (or the default) */
};

/* How results are ordered: preferences, most important first. A result's
 * rank tier is the position of the first preference it meets (0 for the
 * first), or the number of preferences when it meets none; results are
 * ordered by tier, then by distance (or relevance without an origin).
 * So [AREAS, BOARD_WIDE] reads "in the patient's area first, then
 * board-wide services, then the rest". */
enum links_preference_kind {
    LINKS_PREFER_NONE = 0,
    LINKS_PREFER_FREE,          /* services with no fee */
    LINKS_PREFER_COUNCIL,       /* location in council area `value` */
    LINKS_PREFER_AREAS,         /* location in the comma-separated list
                                   `value` of postcode districts ("KY11") and
                                   sectors ("KY12 8"); an entry "!KY11 9"
                                   excludes a sector of a listed district */
    LINKS_PREFER_BOARD_WIDE     /* services that cover the whole board */
};

#define LINKS_LOOKUP_MAX_PREFERENCES 4

struct links_preference {
    enum links_preference_kind kind;
    const char *value;          /* request-arena or plugin-static string */
};

/* What a plugin may change about a search. The core fills it with its
 * defaults before calling the hook. */
struct links_lookup_plan {
    double radius_km;           /* may be reduced, never raised past the
                                   core's maximum */
    int n_preferences;
    struct links_preference preferences[LINKS_LOOKUP_MAX_PREFERENCES];
    const char *explanation;    /* shown to staff: why results are ordered
                                   this way; NULL for none */
};

/* ---- referral hook (ABI 1.1) --------------------------------------------- */

/* Where a new referral goes. */
enum links_referral_route {
    LINKS_ROUTE_SERVICE = 0,            /* straight to the service */
    LINKS_ROUTE_WAITING_LIST,           /* onto the service's waiting list: it is full */
    LINKS_ROUTE_LINKS_WORKER,           /* to the practice's links worker first */
    LINKS_ROUTE_LOCALITY_LINKS_WORKER,  /* to the locality's community links worker */
    LINKS_ROUTE_REFUSED                 /* it cannot be made as asked (the reason says why) */
};

/* What the core knows about a referral before it is made. Numbers the
 * core does not know are -1 (ages, capacity) or 0 (decile). */
struct links_referral_context {
    const char *board_code;
    int to_links_worker;            /* the referrer chose the links worker, not a service */
    int urgent;
    int patient_age;                /* whole years */
    int simd_decile;                /* of the patient's home data zone: 1 (most deprived) .. 10 */
    const char *patient_district;   /* "KY1", or NULL */
    const char *patient_sector;     /* "KY1 4", or NULL */
    int needs;                      /* how many needs (categories) the referral names */
    int patient_asks_for_service;   /* the patient asks to go to the service directly */
    int practice_has_links_worker;
    /* the service, when one was chosen */
    int service_accepts_referrals;
    int service_self_referral;      /* people may refer themselves */
    int service_capacity;           /* places free now */
    double service_minimum_age;
    double service_maximum_age;
    /* ABI 1.2: a links worker refers on, from a referral of their own, to
     * a service: rules that send people to a links worker first do not
     * apply. The host never shows this field to a plugin built for 1.1
     * (it applies its own default instead). */
    int referred_on_by_links_worker;
};

/* The plugin's decision, shown to staff (with its reason) before they
 * confirm. Strings must outlive the call: static, or from host->alloc. */
struct links_referral_decision {
    enum links_referral_route route;
    int notify_links_worker;        /* the practice's links worker is told as well */
    const char *locality;           /* LINKS_ROUTE_LOCALITY_LINKS_WORKER: which */
    const char *reason;             /* required */
};

/* ---- report hook (ABI 1.3) ----------------------------------------------- */

/* A practice of the board as the regional report sees it. Numbers not
 * known are 0 (decile, list size). */
struct links_report_practice {
    const char *code;
    const char *name;
    const char *district;           /* of the practice's postcode: "KY1", or NULL */
    const char *sector;             /* "KY1 1", or NULL */
    int simd_decile;                /* of the practice's data zone: 1 (most deprived) .. 10 */
    int has_links_worker;
    long list_size;
};

/* ---- the descriptor ---------------------------------------------------- */

struct links_plugin {
    /* Head: checked by the host before anything else. Use LINKS_PLUGIN_HEAD. */
    uint32_t magic;
    uint32_t abi_major;
    uint32_t abi_minor;
    uint32_t size;              /* sizeof(struct links_plugin) when built */
    const char *name;
    const char *version;
    const char *description;

    /* Create per-board state from the board's settings. Return 0 and set
     * *state, or -1 and set *error to a message (static or arena-free
     * string) that keeps the board out of service. */
    int (*init)(const struct links_host *host, const struct links_settings *settings,
                void **state, const char **error);
    void (*fini)(void *state);

    /* Shape a resource search. */
    int (*lookup)(void *state, struct links_request *req,
                  const struct links_lookup_context *ctx,
                  struct links_lookup_plan *plan);

    /* Decide where a new referral goes (ABI 1.1): fill *decision and return
     * LINKS_PLUGIN_OK, or LINKS_PLUGIN_DECLINED for the core's default (to
     * the service when it takes referrals and has places, its waiting list
     * when full; to the practice's links worker when chosen). The core
     * fills *decision with its default before the call. */
    int (*referral)(void *state, struct links_request *req,
                    const struct links_referral_context *ctx,
                    struct links_referral_decision *decision);

    /* The region's own report (ABI 1.3): the core counts signposts and
     * referrals by groups of practices the plugin defines. report_dimension
     * names the d-th way of grouping (0, 1, ...; NULL after the last);
     * report_group puts a practice in a group of dimension d (*group: a
     * static string, or from host->alloc). Both NULL: no regional report. */
    const char *(*report_dimension)(void *state, int dimension);
    int (*report_group)(void *state, struct links_request *req, int dimension,
                        const struct links_report_practice *practice, const char **group);

    /* Spare slots so minor versions can add hooks without moving fields. */
    void (*reserved[5])(void);
};

#define LINKS_PLUGIN_HEAD(plugin_name, plugin_version, plugin_description) \
    .magic = LINKS_PLUGIN_MAGIC,                                          \
    .abi_major = LINKS_PLUGIN_ABI_MAJOR,                                  \
    .abi_minor = LINKS_PLUGIN_ABI_MINOR,                                  \
    .size = (uint32_t)sizeof(struct links_plugin),                        \
    .name = (plugin_name),                                                \
    .version = (plugin_version),                                          \
    .description = (plugin_description)

/* Declare the exported descriptor with default visibility, so a plugin built
 * with -fvisibility=hidden still exports it. */
#define LINKS_PLUGIN_EXPORT __attribute__((visibility("default")))

#ifdef __cplusplus
}
#endif

#endif /* LINKS_PLUGIN_H */
