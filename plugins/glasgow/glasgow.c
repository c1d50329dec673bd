/* glasgow.c — NHS Greater Glasgow and Clyde region plugin: patients from the
 * most deprived data zones see free services first within a shorter radius,
 * and everyone sees services in their own council area first. Referrals
 * for patients from the most deprived data zones go to the practice's
 * links worker first. */
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "links/plugin.h"

#define GLASGOW_DEFAULT_DECILE_MAX  2
#define GLASGOW_DEFAULT_RADIUS_KM   3.0
#define GLASGOW_MAX_RADIUS_KM       50.0
#define GLASGOW_DEFAULT_LINKS_WORKER_DECILE_MAX 2

struct glasgow_state {
    const struct links_host *host;
    long deprived_decile_max;       /* 1..10 */
    double deprived_radius_km;      /* (0, 50] */
    int prefer_own_council;
    long links_worker_decile_max;   /* 1..10: referrals from these deciles go to the links worker first */
};

/* Names staff recognise, for the councils in the board's area; any other
 * code is shown as it is. */
static const struct {
    const char *code;
    const char *name;
} glasgow_councils[] = {
    { "S12000049", "Glasgow City" },
    { "S12000045", "East Dunbartonshire" },
    { "S12000011", "East Renfrewshire" },
    { "S12000018", "Inverclyde" },
    { "S12000038", "Renfrewshire" },
    { "S12000039", "West Dunbartonshire" },
};

/* A host built against an older minor may have a shorter table: a member
 * past its end counts as NULL. */
/* init has no request arena, so a message that names a value is formatted
 * here; the host reads *error before it calls into this plugin again. */
static _Thread_local char glasgow_error_buffer[256];

static const char *glasgow_error(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));

static const char *glasgow_error(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(glasgow_error_buffer, sizeof glasgow_error_buffer, fmt, ap);
    va_end(ap);
    return glasgow_error_buffer;
}

static const char *glasgow_council_name(const char *code)
{
    for (size_t i = 0; i < sizeof glasgow_councils / sizeof glasgow_councils[0]; i++)
        if (strcmp(glasgow_councils[i].code, code) == 0)
            return glasgow_councils[i].name;
    return NULL;
}

/* Reads an integer setting; a value of another type is an error rather than
 * a silent fall-back to the default. Returns 0 (absent or read) or -1. */
static int glasgow_read_int(const struct links_host *host, const struct links_settings *s,
                            const char *path, long *out, const char **error)
{
    double d;
    const char *str;

    if (host->setting_int(s, path, out))
        return 0;
    if (host->setting_float(s, path, &d) || host->setting_string(s, path, &str)) {
        *error = glasgow_error("glasgow: setting %s must be an integer", path);
        return -1;
    }
    return 0;
}

/* Reads a number setting, accepting an integer too (`3` as well as `3.0`). */
static int glasgow_read_number(const struct links_host *host, const struct links_settings *s,
                               const char *path, double *out, const char **error)
{
    long l;
    const char *str;

    if (host->setting_float(s, path, out))
        return 0;
    if (host->setting_int(s, path, &l)) {
        *out = (double)l;
        return 0;
    }
    if (host->setting_string(s, path, &str)) {
        *error = glasgow_error("glasgow: setting %s must be a number", path);
        return -1;
    }
    return 0;
}

static int glasgow_init(const struct links_host *host, const struct links_settings *settings,
                        void **state, const char **error)
{
    struct glasgow_state *st;
    long decile_max = GLASGOW_DEFAULT_DECILE_MAX;
    double radius_km = GLASGOW_DEFAULT_RADIUS_KM;
    long prefer_own_council = 1;
    long links_worker_decile_max = GLASGOW_DEFAULT_LINKS_WORKER_DECILE_MAX;

    if (host->abi_major != LINKS_PLUGIN_ABI_MAJOR) {
        *error = "glasgow: host ABI major version differs from the plugin's";
        return -1;
    }
    if (!LINKS_HOST_HAS(host, setting_int) || !LINKS_HOST_HAS(host, setting_float)
        || !LINKS_HOST_HAS(host, setting_string) || !LINKS_HOST_HAS(host, alloc)) {
        *error = "glasgow: host lacks setting_int, setting_float, setting_string or alloc";
        return -1;
    }

    if (glasgow_read_int(host, settings, "deprived_decile_max", &decile_max, error) < 0
        || glasgow_read_number(host, settings, "deprived_radius_km", &radius_km, error) < 0
        || glasgow_read_int(host, settings, "prefer_own_council", &prefer_own_council, error) < 0
        || glasgow_read_int(host, settings, "links_worker_decile_max", &links_worker_decile_max, error) < 0)
        return -1;

    if (decile_max < 1 || decile_max > 10) {
        *error = glasgow_error("glasgow: deprived_decile_max is %ld; it must be an "
                               "SIMD decile from 1 to 10", decile_max);
        return -1;
    }
    if (links_worker_decile_max < 1 || links_worker_decile_max > 10) {
        *error = glasgow_error("glasgow: links_worker_decile_max is %ld; it must be an "
                               "SIMD decile from 1 to 10", links_worker_decile_max);
        return -1;
    }
    /* Written so that NaN fails too. */
    if (!(radius_km > 0.0 && radius_km <= GLASGOW_MAX_RADIUS_KM)) {
        *error = glasgow_error("glasgow: deprived_radius_km is %g; it must be more "
                               "than 0 and at most %g", radius_km, GLASGOW_MAX_RADIUS_KM);
        return -1;
    }

    st = malloc(sizeof *st);
    if (st == NULL) {
        *error = "glasgow: out of memory";
        return -1;
    }
    st->host = host;
    st->deprived_decile_max = decile_max;
    st->deprived_radius_km = radius_km;
    st->prefer_own_council = prefer_own_council != 0;
    st->links_worker_decile_max = links_worker_decile_max;
    *state = st;

    if (LINKS_HOST_HAS(host, log))
        host->log(settings, LINKS_LOG_INFO,
                  "deprived_decile_max=%ld deprived_radius_km=%g prefer_own_council=%d "
                  "links_worker_decile_max=%ld",
                  st->deprived_decile_max, st->deprived_radius_km, st->prefer_own_council,
                  st->links_worker_decile_max);
    return 0;
}

static void glasgow_fini(void *state)
{
    free(state);
}

/* Formats into the request arena, so the string lives as long as the plan. */
static char *glasgow_printf(const struct glasgow_state *st, struct links_request *req,
                            const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static char *glasgow_printf(const struct glasgow_state *st, struct links_request *req,
                            const char *fmt, ...)
{
    va_list ap;
    int n;
    char *out;

    va_start(ap, fmt);
    n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return NULL;
    out = st->host->alloc(req, (size_t)n + 1);
    if (out == NULL)
        return NULL;
    va_start(ap, fmt);
    vsnprintf(out, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return out;
}

static int glasgow_lookup(void *state, struct links_request *req,
                          const struct links_lookup_context *ctx,
                          struct links_lookup_plan *plan)
{
    const struct glasgow_state *st = state;
    const char *council = NULL;         /* arena copy of the council code */
    const char *council_name = NULL;    /* from the table, or NULL */
    int deprived;

    if (!ctx->has_origin)
        return LINKS_PLUGIN_DECLINED;

    if (st->prefer_own_council && ctx->origin_council_code != NULL
        && ctx->origin_council_code[0] != '\0') {
        /* The context's strings are not promised to outlive the hook. */
        council = glasgow_printf(st, req, "%s", ctx->origin_council_code);
        if (council == NULL)
            return LINKS_PLUGIN_ERROR;
        council_name = glasgow_council_name(council);
    }

    deprived = ctx->origin_simd_decile >= 1
               && ctx->origin_simd_decile <= st->deprived_decile_max;

    if (deprived) {
        if (st->deprived_radius_km < plan->radius_km)
            plan->radius_km = st->deprived_radius_km;
        plan->n_preferences = 1;
        plan->preferences[0].kind = LINKS_PREFER_FREE;
        plan->preferences[0].value = NULL;
        if (council != NULL) {
            plan->n_preferences = 2;
            plan->preferences[1].kind = LINKS_PREFER_COUNCIL;
            plan->preferences[1].value = council;
            plan->explanation = glasgow_printf(
                st, req, "Most deprived area (SIMD decile %d): free services first, "
                "within %g km; services in %s%s first", ctx->origin_simd_decile,
                plan->radius_km, council_name != NULL ? "" : "council area ",
                council_name != NULL ? council_name : council);
        } else {
            plan->explanation = glasgow_printf(
                st, req, "Most deprived area (SIMD decile %d): free services first, "
                "within %g km", ctx->origin_simd_decile, plan->radius_km);
        }
        return plan->explanation != NULL ? LINKS_PLUGIN_OK : LINKS_PLUGIN_ERROR;
    }

    /* Nothing to change: the core's ordering by distance stands. */
    if (council == NULL)
        return LINKS_PLUGIN_DECLINED;

    plan->n_preferences = 1;
    plan->preferences[0].kind = LINKS_PREFER_COUNCIL;
    plan->preferences[0].value = council;
    plan->explanation = glasgow_printf(st, req, "Services in %s%s first",
                                       council_name != NULL ? "" : "council area ",
                                       council_name != NULL ? council_name : council);
    return plan->explanation != NULL ? LINKS_PLUGIN_OK : LINKS_PLUGIN_ERROR;
}

/* Referral rules: a practice with an attached links worker sends patients
 * from the most deprived data zones (decile at or below
 * links_worker_decile_max) to the links worker first, unless the patient
 * asks to go to the service directly and it takes self-referrals; an
 * urgent referral is flagged to the links worker whatever the decile.
 * Anything else goes to the service as the core decides (declined), as
 * does a links worker's referral on: they have seen the patient. */
static int glasgow_referral(void *state, struct links_request *req,
                            const struct links_referral_context *ctx,
                            struct links_referral_decision *d)
{
    const struct glasgow_state *st = state;
    int deprived = ctx->simd_decile >= 1 && ctx->simd_decile <= st->links_worker_decile_max;

    if (!ctx->practice_has_links_worker || ctx->to_links_worker || ctx->referred_on_by_links_worker)
        return LINKS_PLUGIN_DECLINED;
    d->notify_links_worker = ctx->urgent;
    if (deprived && !(ctx->patient_asks_for_service && ctx->service_self_referral)) {
        d->route = LINKS_ROUTE_LINKS_WORKER;
        d->reason = glasgow_printf(st, req,
                                   "The patient lives in one of the most deprived data zones (SIMD decile %d, "
                                   "at or below %ld): the practice's links worker sees them first%s",
                                   ctx->simd_decile, st->links_worker_decile_max,
                                   ctx->urgent ? " (urgent)" : "");
        return d->reason != NULL ? LINKS_PLUGIN_OK : LINKS_PLUGIN_ERROR;
    }
    if (deprived) {
        d->route = LINKS_ROUTE_SERVICE;
        d->reason = ctx->urgent ? "The patient asked to go to the service directly and it takes self-referrals; "
                                  "urgent, so the practice's links worker is told too"
                                : "The patient asked to go to the service directly and it takes self-referrals";
        return LINKS_PLUGIN_OK;
    }
    if (ctx->urgent && d->route != LINKS_ROUTE_REFUSED) {
        /* where the core sends it (filled in before the call), with the
         * links worker told; a referral the core refuses is not made */
        d->reason = glasgow_printf(st, req, "%s. Urgent: the practice's links worker is told as well",
                                   d->reason != NULL ? d->reason : "To the service");
        return d->reason != NULL ? LINKS_PLUGIN_OK : LINKS_PLUGIN_ERROR;
    }
    return LINKS_PLUGIN_DECLINED;
}

/* The regional report: by the SIMD decile of the practice's data zone
 * (does the work reach the most deprived communities?), and practices with
 * and without an attached links worker. */
static const char *glasgow_report_dimension(void *state, int dimension)
{
    static const char *const dimensions[] = { "SIMD decile of the practice's data zone",
                                              "Practices with and without an attached links worker" };
    (void)state;
    return dimension >= 0 && dimension < 2 ? dimensions[dimension] : NULL;
}

static int glasgow_report_group(void *state, struct links_request *req, int dimension,
                                const struct links_report_practice *p, const char **group)
{
    static const char *const deciles[] = {
        "Decile not known", "Decile 1 (most deprived)", "Decile 2", "Decile 3", "Decile 4", "Decile 5",
        "Decile 6", "Decile 7", "Decile 8", "Decile 9", "Decile 10 (least deprived)",
    };
    (void)state;
    (void)req;
    if (dimension == 0) {
        *group = deciles[p->simd_decile >= 1 && p->simd_decile <= 10 ? p->simd_decile : 0];
        return LINKS_PLUGIN_OK;
    }
    if (dimension == 1) {
        *group = p->has_links_worker ? "With a links worker" : "Without a links worker";
        return LINKS_PLUGIN_OK;
    }
    return LINKS_PLUGIN_ERROR;
}

LINKS_PLUGIN_EXPORT const struct links_plugin links_plugin = {
    LINKS_PLUGIN_HEAD("glasgow", "1.1.0",
                      "NHS Greater Glasgow and Clyde: free services first for the most "
                      "deprived areas, own council area first"),
    .init = glasgow_init,
    .fini = glasgow_fini,
    .lookup = glasgow_lookup,
    .referral = glasgow_referral,
    .report_dimension = glasgow_report_dimension,
    .report_group = glasgow_report_group,
};
