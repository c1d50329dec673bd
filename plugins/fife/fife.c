/* fife.c — NHS Fife region plugin: services in the patient's health and
 * social care locality come first, then services that cover all of Fife.
 * Localities are lists of postcode districts and sectors from the board's
 * settings; a sector entry overrides the entry for its district. Referrals
 * go straight to a service with places (its waiting list when full), to
 * the locality's community links worker for three or more needs, and
 * under-16s only to services whose age range fits. */
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "links/plugin.h"

struct fife_locality {
    char *name;
    char *areas;            /* "KY11,KY12,!KY11 9": the LINKS_PREFER_AREAS value */
    char *explanation;      /* precomputed, so lookup allocates nothing */
    char *needs_reason;     /* and the referral hook's reasons */
    char *links_worker_reason;
};

struct fife_area {
    char *code;             /* "KY11" or "KY11 9" */
    size_t locality;        /* index into fife_state.localities */
};

struct fife_state {
    int prefer_fife_wide;
    long needs_for_links_worker;    /* this many needs or more: the locality's links worker */
    size_t n_localities;
    struct fife_locality *localities;
    size_t n_areas;
    struct fife_area *areas;
};

#define FIFE_OUTSIDE_EXPLANATION "Not in a Fife locality: Fife-wide services first"
#define FIFE_DEFAULT_NEEDS_FOR_LINKS_WORKER 3
/* Patients younger than this go only to services whose age range fits. */
#define FIFE_CHILD_AGE_LIMIT 16

/* init has no request arena, so a message that names an entry is formatted
 * here; the host reads *error before it calls into this plugin again. */
static _Thread_local char fife_error_buffer[320];

static const char *fife_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static const char *fife_error(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(fife_error_buffer, sizeof fife_error_buffer, fmt, ap);
    va_end(ap);
    return fife_error_buffer;
}

static char *fife_strdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *copy = malloc(n);

    if (copy != NULL)
        memcpy(copy, s, n);
    return copy;
}

static int fife_is_letter(char c) { return c >= 'A' && c <= 'Z'; }
static int fife_is_digit(char c) { return c >= '0' && c <= '9'; }

/* An outward code with an optional sector digit: [A-Z]{1,2}[0-9][0-9A-Z]?( [0-9])?
 * Upper case only, because the core normalises the patient's postcode. */
static int fife_area_shape_ok(const char *a)
{
    size_t i = 0;

    if (!fife_is_letter(a[i]))
        return 0;
    i++;
    if (fife_is_letter(a[i]))
        i++;
    if (!fife_is_digit(a[i]))
        return 0;
    i++;
    if (fife_is_digit(a[i]) || fife_is_letter(a[i]))
        i++;
    if (a[i] == '\0')
        return 1;
    return a[i] == ' ' && fife_is_digit(a[i + 1]) && a[i + 2] == '\0';
}

static void fife_free(struct fife_state *st)
{
    if (st == NULL)
        return;
    for (size_t i = 0; i < st->n_localities; i++) {
        free(st->localities[i].name);
        free(st->localities[i].areas);
        free(st->localities[i].explanation);
        free(st->localities[i].needs_reason);
        free(st->localities[i].links_worker_reason);
    }
    free(st->localities);
    for (size_t i = 0; i < st->n_areas; i++)
        free(st->areas[i].code);
    free(st->areas);
    free(st);
}

static const struct fife_area *fife_find_area(const struct fife_state *st, const char *code)
{
    for (size_t i = 0; i < st->n_areas; i++)
        if (strcmp(st->areas[i].code, code) == 0)
            return &st->areas[i];
    return NULL;
}

/* Reads localities.[index] into st->localities[index] and its areas into
 * st->areas. Returns 0 or -1 with *error set. */
static int fife_read_locality(const struct links_host *host, const struct links_settings *s,
                              struct fife_state *st, int index, size_t max_areas,
                              const char **error)
{
    char path[64];
    const char *name;
    const char *member_name;
    const char *value;
    struct fife_locality *loc = &st->localities[index];
    int n_areas;
    size_t joined_length = 0;

    /* A group `localities = { Kirkcaldy = ... }` has named children. */
    if (host->setting_child(s, "localities", index, &member_name, &value)
        && member_name != NULL) {
        *error = fife_error("fife: localities must be a list of groups "
                            "( { name = \"...\"; areas = [ ... ]; }, ... ), "
                            "but it has a member named \"%s\"", member_name);
        return -1;
    }

    snprintf(path, sizeof path, "localities.[%d].name", index);
    if (!host->setting_string(s, path, &name) || name[0] == '\0') {
        *error = fife_error("fife: localities.[%d] has no name (name = \"Kirkcaldy\";)", index);
        return -1;
    }
    for (int i = 0; i < index; i++) {
        if (strcmp(st->localities[i].name, name) == 0) {
            *error = fife_error("fife: locality \"%s\" is listed twice "
                                "(localities.[%d] and localities.[%d])", name, i, index);
            return -1;
        }
    }
    loc->name = fife_strdup(name);
    if (loc->name == NULL)
        goto out_of_memory;

    snprintf(path, sizeof path, "localities.[%d].areas", index);
    n_areas = host->setting_count(s, path);
    if (n_areas <= 0) {
        *error = fife_error("fife: locality \"%s\" (localities.[%d]) has no areas "
                            "(areas = [ \"KY1\", \"KY11 9\" ];)", name, index);
        return -1;
    }

    for (int j = 0; j < n_areas; j++) {
        const struct fife_area *earlier;
        struct fife_area *area;

        if (!host->setting_child(s, path, j, &member_name, &value) || value == NULL) {
            *error = fife_error("fife: locality \"%s\": %s.[%d] is not a string",
                                name, path, j);
            return -1;
        }
        if (!fife_area_shape_ok(value)) {
            *error = fife_error("fife: locality \"%s\": area \"%s\" is not a postcode "
                                "district or sector such as \"KY1\" or \"KY11 9\"",
                                name, value);
            return -1;
        }
        earlier = fife_find_area(st, value);
        if (earlier != NULL) {
            const char *other = st->localities[earlier->locality].name;

            if (earlier->locality == (size_t)index)
                *error = fife_error("fife: area \"%s\" is listed twice in locality \"%s\"",
                                    value, name);
            else
                *error = fife_error("fife: area \"%s\" is listed twice: in locality \"%s\" "
                                    "and in locality \"%s\"", value, other, name);
            return -1;
        }
        if (st->n_areas == max_areas) {
            /* Only if the host's count changed between calls. */
            *error = "fife: localities changed while they were read";
            return -1;
        }
        area = &st->areas[st->n_areas];
        area->code = fife_strdup(value);
        if (area->code == NULL)
            goto out_of_memory;
        area->locality = (size_t)index;
        st->n_areas++;
        joined_length += strlen(value) + 1;
    }

    loc->areas = malloc(joined_length);
    if (loc->areas == NULL)
        goto out_of_memory;
    loc->areas[0] = '\0';
    for (size_t i = st->n_areas - (size_t)n_areas; i < st->n_areas; i++) {
        if (loc->areas[0] != '\0')
            strcat(loc->areas, ",");
        strcat(loc->areas, st->areas[i].code);
    }

    {
        const char *then = st->prefer_fife_wide ? ", then Fife-wide services" : "";
        int n = snprintf(NULL, 0, "%s locality first%s", name, then);

        loc->explanation = malloc((size_t)n + 1);
        if (loc->explanation == NULL)
            goto out_of_memory;
        snprintf(loc->explanation, (size_t)n + 1, "%s locality first%s", name, then);
    }
    return 0;

out_of_memory:
    *error = "fife: out of memory";
    return -1;
}

/* A district listed for one locality may hold sectors listed for another
 * (KY11 for Dunfermline, KY11 9 for South West Fife). Longest prefix wins
 * for resources too: append "!KY11 9" to Dunfermline's areas so the core
 * does not rank South West Fife's resources as Dunfermline's. */
static int fife_add_exclusions(struct fife_state *st)
{
    for (size_t l = 0; l < st->n_localities; l++) {
        struct fife_locality *loc = &st->localities[l];
        for (size_t a = 0; a < st->n_areas; a++) {
            const struct fife_area *sector = &st->areas[a];
            const char *space = strchr(sector->code, ' ');
            if (space == NULL || sector->locality == l)
                continue;
            int district_is_ours = 0;
            for (size_t d = 0; d < st->n_areas; d++) {
                const struct fife_area *district = &st->areas[d];
                if (district->locality == l && strchr(district->code, ' ') == NULL &&
                    strlen(district->code) == (size_t)(space - sector->code) &&
                    strncmp(district->code, sector->code, (size_t)(space - sector->code)) == 0)
                    district_is_ours = 1;
            }
            if (!district_is_ours)
                continue;
            size_t len = strlen(loc->areas) + strlen(sector->code) + 3;
            char *grown = realloc(loc->areas, len);
            if (grown == NULL)
                return -1;
            loc->areas = grown;
            strcat(loc->areas, ",!");
            strcat(loc->areas, sector->code);
        }
    }
    return 0;
}

/* Counts every area across localities, to size the area table once. */
static size_t fife_count_areas(const struct links_host *host, const struct links_settings *s,
                               int n_localities)
{
    char path[64];
    size_t total = 0;

    for (int i = 0; i < n_localities; i++) {
        int n;

        snprintf(path, sizeof path, "localities.[%d].areas", i);
        n = host->setting_count(s, path);
        if (n > 0)
            total += (size_t)n;
    }
    return total;
}

/* The referral hook's reasons for each locality, made once. */
static int fife_referral_reasons(struct fife_state *st)
{
    for (size_t i = 0; i < st->n_localities; i++) {
        struct fife_locality *loc = &st->localities[i];
        char buf[512];
        snprintf(buf, sizeof buf, "The patient has %ld or more needs: the %s locality's community links worker "
                 "coordinates their support", st->needs_for_links_worker, loc->name);
        loc->needs_reason = fife_strdup(buf);
        snprintf(buf, sizeof buf, "To the %s locality's community links worker", loc->name);
        loc->links_worker_reason = fife_strdup(buf);
        if (loc->needs_reason == NULL || loc->links_worker_reason == NULL)
            return -1;
    }
    return 0;
}

static int fife_init(const struct links_host *host, const struct links_settings *settings,
                     void **state, const char **error)
{
    struct fife_state *st;
    long prefer_fife_wide = 1;
    long needs_for_links_worker = FIFE_DEFAULT_NEEDS_FOR_LINKS_WORKER;
    int n_localities;
    size_t max_areas;
    double d;
    const char *str;

    if (host->abi_major != LINKS_PLUGIN_ABI_MAJOR) {
        *error = "fife: host ABI major version differs from the plugin's";
        return -1;
    }
    if (!LINKS_HOST_HAS(host, setting_int) || !LINKS_HOST_HAS(host, setting_float)
        || !LINKS_HOST_HAS(host, setting_string) || !LINKS_HOST_HAS(host, setting_count)
        || !LINKS_HOST_HAS(host, setting_child)) {
        *error = "fife: host lacks one of setting_int, setting_float, setting_string, "
                 "setting_count, setting_child";
        return -1;
    }

    if (!host->setting_int(settings, "prefer_fife_wide", &prefer_fife_wide)
        && (host->setting_float(settings, "prefer_fife_wide", &d)
            || host->setting_string(settings, "prefer_fife_wide", &str))) {
        *error = "fife: setting prefer_fife_wide must be true/false or 1/0";
        return -1;
    }

    if (!host->setting_int(settings, "needs_for_links_worker", &needs_for_links_worker)
        && (host->setting_float(settings, "needs_for_links_worker", &d)
            || host->setting_string(settings, "needs_for_links_worker", &str))) {
        *error = "fife: setting needs_for_links_worker must be a whole number";
        return -1;
    }
    if (needs_for_links_worker < 1 || needs_for_links_worker > 20) {
        *error = fife_error("fife: needs_for_links_worker is %ld; it must be from 1 to 20", needs_for_links_worker);
        return -1;
    }

    n_localities = host->setting_count(settings, "localities");
    if (n_localities <= 0) {
        *error = "fife: settings need a non-empty localities list: "
                 "localities = ( { name = \"Kirkcaldy\"; areas = [ \"KY1\", \"KY2\" ]; }, ... );";
        return -1;
    }

    st = calloc(1, sizeof *st);
    if (st == NULL) {
        *error = "fife: out of memory";
        return -1;
    }
    st->prefer_fife_wide = prefer_fife_wide != 0;
    st->needs_for_links_worker = needs_for_links_worker;
    max_areas = fife_count_areas(host, settings, n_localities);
    st->localities = calloc((size_t)n_localities, sizeof *st->localities);
    st->areas = calloc(max_areas > 0 ? max_areas : 1, sizeof *st->areas);
    if (st->localities == NULL || st->areas == NULL) {
        fife_free(st);
        *error = "fife: out of memory";
        return -1;
    }

    for (int i = 0; i < n_localities; i++) {
        /* Counted first, so a partly read locality is freed with the rest. */
        st->n_localities = (size_t)i + 1;
        if (fife_read_locality(host, settings, st, i, max_areas, error) < 0) {
            fife_free(st);
            return -1;
        }
    }

    if (fife_add_exclusions(st) < 0 || fife_referral_reasons(st) < 0) {
        fife_free(st);
        *error = "fife: out of memory";
        return -1;
    }

    if (LINKS_HOST_HAS(host, log))
        host->log(settings, LINKS_LOG_INFO, "%zu localities, %zu areas, prefer_fife_wide=%d, needs_for_links_worker=%ld",
                  st->n_localities, st->n_areas, st->prefer_fife_wide, st->needs_for_links_worker);
    *state = st;
    return 0;
}

static void fife_fini(void *state)
{
    fife_free(state);
}

static int fife_lookup(void *state, struct links_request *req,
                       const struct links_lookup_context *ctx,
                       struct links_lookup_plan *plan)
{
    const struct fife_state *st = state;
    const struct fife_area *area = NULL;

    (void)req;
    if (!ctx->has_origin)
        return LINKS_PLUGIN_DECLINED;

    /* Longest prefix wins: a sector entry overrides its district's. */
    if (ctx->origin_sector != NULL)
        area = fife_find_area(st, ctx->origin_sector);
    if (area == NULL && ctx->origin_district != NULL)
        area = fife_find_area(st, ctx->origin_district);

    if (area != NULL) {
        const struct fife_locality *loc = &st->localities[area->locality];

        plan->n_preferences = 1;
        plan->preferences[0].kind = LINKS_PREFER_AREAS;
        plan->preferences[0].value = loc->areas;
        if (st->prefer_fife_wide) {
            plan->n_preferences = 2;
            plan->preferences[1].kind = LINKS_PREFER_BOARD_WIDE;
            plan->preferences[1].value = NULL;
        }
        plan->explanation = loc->explanation;
        return LINKS_PLUGIN_OK;
    }

    if (!st->prefer_fife_wide)
        return LINKS_PLUGIN_DECLINED;
    plan->n_preferences = 1;
    plan->preferences[0].kind = LINKS_PREFER_BOARD_WIDE;
    plan->preferences[0].value = NULL;
    plan->explanation = FIFE_OUTSIDE_EXPLANATION;
    return LINKS_PLUGIN_OK;
}

/* The locality of a patient's postcode (longest prefix wins), or NULL. */
static const struct fife_locality *fife_locality_of(const struct fife_state *st, const char *sector,
                                                    const char *district)
{
    const struct fife_area *area = NULL;

    if (sector != NULL)
        area = fife_find_area(st, sector);
    if (area == NULL && district != NULL)
        area = fife_find_area(st, district);
    return area != NULL ? &st->localities[area->locality] : NULL;
}

/* Referral rules: under-16s only to services whose age range fits; a
 * patient with three or more needs (needs_for_links_worker) to the
 * locality's community links worker; otherwise straight to the service
 * when it takes referrals and has places, onto its waiting list when it is
 * full. A links worker's referral on goes to the service whatever the
 * needs: the links worker has already seen the patient. */
static int fife_referral(void *state, struct links_request *req,
                         const struct links_referral_context *ctx,
                         struct links_referral_decision *d)
{
    const struct fife_state *st = state;

    (void)req;
    if (!ctx->to_links_worker && ctx->patient_age >= 0 && ctx->patient_age < FIFE_CHILD_AGE_LIMIT
        && ((ctx->service_minimum_age >= 0 && ctx->patient_age < ctx->service_minimum_age)
            || (ctx->service_maximum_age >= 0 && ctx->patient_age > ctx->service_maximum_age))) {
        d->route = LINKS_ROUTE_REFUSED;
        d->reason = "Under-16s are referred only to services whose age range fits, and this one's does not";
        return LINKS_PLUGIN_OK;
    }
    if (ctx->to_links_worker || (ctx->needs >= st->needs_for_links_worker && !ctx->referred_on_by_links_worker)) {
        const struct fife_locality *loc = fife_locality_of(st, ctx->patient_sector, ctx->patient_district);
        if (loc == NULL) {
            d->route = LINKS_ROUTE_REFUSED;
            d->reason = "The patient's postcode is in none of Fife's localities, so no locality links worker "
                        "can take the referral";
            return LINKS_PLUGIN_OK;
        }
        d->route = LINKS_ROUTE_LOCALITY_LINKS_WORKER;
        d->locality = loc->name;
        d->reason = ctx->to_links_worker ? loc->links_worker_reason : loc->needs_reason;
        return LINKS_PLUGIN_OK;
    }
    if (!ctx->service_accepts_referrals) {
        d->route = LINKS_ROUTE_REFUSED;
        d->reason = "This service does not take referrals: signpost the patient to it instead";
        return LINKS_PLUGIN_OK;
    }
    if (ctx->service_capacity == 0) {
        d->route = LINKS_ROUTE_WAITING_LIST;
        d->reason = "The service takes referrals but is full: the patient joins its waiting list";
        return LINKS_PLUGIN_OK;
    }
    d->route = LINKS_ROUTE_SERVICE;
    d->reason = "The service takes referrals and has places: straight to the service";
    return LINKS_PLUGIN_OK;
}

/* The regional report: by the Health and Social Care Partnership locality
 * the practice is in (its postcode sector, else district, as for lookups). */
static const char *fife_report_dimension(void *state, int dimension)
{
    (void)state;
    return dimension == 0 ? "Locality" : NULL;
}

static int fife_report_group(void *state, struct links_request *req, int dimension,
                             const struct links_report_practice *p, const char **group)
{
    const struct fife_state *st = state;
    (void)req;
    if (dimension != 0)
        return LINKS_PLUGIN_ERROR;
    const struct fife_locality *loc = fife_locality_of(st, p->sector, p->district);
    *group = loc != NULL ? loc->name : "Outside Fife's localities";
    return LINKS_PLUGIN_OK;
}

LINKS_PLUGIN_EXPORT const struct links_plugin links_plugin = {
    LINKS_PLUGIN_HEAD("fife", "1.1.0",
                      "NHS Fife: services in the patient's locality first, "
                      "then Fife-wide services"),
    .init = fife_init,
    .fini = fife_fini,
    .lookup = fife_lookup,
    .referral = fife_referral,
    .report_dimension = fife_report_dimension,
    .report_group = fife_report_group,
};
