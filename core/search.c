/* search.c — GET /api/v1/boards/{board}/resources[/{id}].
 *
 * Flow: validate every parameter (all errors in one 400), resolve the
 * postcode/district and category in one query, let the board's plugin
 * shape the search (radius cap, ranking preferences), run the prepared
 * variant that fits the filters, and, when a text search finds nothing,
 * retry once with spelling corrected against the directory's own words. */
#include "search.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "db.h"
#include "log.h"
#include "search_sql.h"
#include "validate.h"
#include "worker.h"

struct search_input {
    const char *q;
    const char *category;
    const char *place_text;
    char place[LINKS_POSTCODE_MAX];
    enum links_place_kind place_kind;
    const char *place_name;     /* a town or neighbourhood typed instead of a postcode */
    const char *open_at;        /* timestamptz text, "now" for open_now */
    long age;                   /* -1: not given */
    int free_only;
    int accepting;
    const char *sort;           /* "relevance", "distance", "reviewed" or NULL */
    const char *cursor;         /* a kept search's token, for its later pages */
    double radius_km;
    int radius_given;
    long page;
    long per_page;
};

struct origin {
    int found;
    const char *postcode, *district, *sector, *council_code, *council_name, *data_zone, *board_code,
        *place_name;
    int data_zone_exact;
    int simd_decile;
    double lat, lon;
};

static const char *const resource_params[] = { "q", "category", "postcode", "radius_km", "page",
                                               "per_page", "open_now", "open_at", "age", "free",
                                               "accepting_referrals", "sort", "cursor", NULL };

#define MAX_PLACE_NAME 40

/* A place name as staff type it: letters (any script), spaces and the
 * punctuation of Scottish place names ("St Andrews", "Bo'ness",
 * "Newport-on-Tay"), at least one letter. */
static int place_name_plausible(const char *s)
{
    size_t n = links_utf8_length(s);
    if (n == 0 || n > MAX_PLACE_NAME)
        return 0;
    int letters = 0;
    for (const unsigned char *c = (const unsigned char *)s; *c != '\0'; c++) {
        if (*c >= 0x80 || isalpha(*c))
            letters++;
        else if (!strchr(" '-.&()", *c))
            return 0;
    }
    return letters > 0;
}

/* "true" or "false"; anything else is an error naming the parameter. */
static int read_flag(struct links_request *req, struct links_validation *v, const char *name)
{
    const char *s = links_param(req, name);
    if (s == NULL || strcmp(s, "false") == 0)
        return 0;
    if (strcmp(s, "true") == 0)
        return 1;
    links_validation_add(v, name, "must be true or false");
    return 0;
}

void links_respond_db_failure(struct links_request *req, int status, const char *what,
                              const char *sqlstate, const char *message)
{
    if (status == LINKS_DB_UNAVAILABLE) {
        double retry = links_db_retry_in(req->worker->db);
        char seconds[16];
        snprintf(seconds, sizeof seconds, "%d", (int)ceil(retry > 1 ? retry : 1));
        links_add_header(req, "Retry-After", links_arena_strdup(req->arena, seconds));
        links_respond_problem(req, 503, "Database unavailable",
                              "The directory database cannot be reached just now. "
                              "Please try again in a moment.", NULL);
        return;
    }
    if (status == LINKS_DB_NO_BOARD) {
        links_respond_problem(req, 503, "Board not set up",
                              "This board is configured but has no data in the database yet "
                              "(run linksctl migrate and load its directory).", NULL);
        return;
    }
    if (strcmp(sqlstate, "57014") == 0) {
        links_respond_problem(req, 503, "Search took too long",
                              "The search was stopped because it took too long. Try a smaller "
                              "radius or a more specific search.", NULL);
        return;
    }
    links_error("%s failed (SQLSTATE %s): %s", what, sqlstate, message);
    links_respond_problem(req, 500, "Internal error",
                          "Something went wrong on our side; it has been logged.", NULL);
}

static int check_known_params(struct links_request *req, struct links_validation *v,
                              const char *const *known)
{
    for (int i = 0; i < req->nparams; i++) {
        int ok = 0;
        for (const char *const *k = known; *k != NULL; k++)
            if (strcmp(req->params[i].name, *k) == 0)
                ok = 1;
        if (!ok)
            links_validation_add(v, req->params[i].name, "is not a parameter of this endpoint");
    }
    return 0;
}

static void read_input(struct links_request *req, struct links_validation *v, struct search_input *in)
{
    const struct links_search_config *sc = &req->worker->cfg->search;
    memset(in, 0, sizeof *in);
    check_known_params(req, v, resource_params);

    const char *q = links_param(req, "q");
    if (q != NULL) {
        while (*q == ' ')
            q++;
        size_t len = links_utf8_length(q);
        if (len > (size_t)sc->max_query_length)
            links_validation_add(v, "q", "is too long (%zu characters); at most %d are allowed",
                                 len, sc->max_query_length);
        else if (*q != '\0')
            in->q = q;
    }

    const char *category = links_param(req, "category");
    if (category != NULL && *category != '\0') {
        if (!links_slug_valid(category, 100))
            links_validation_add(v, "category",
                                 "must be a category slug such as \"food-nutrition\"");
        else
            in->category = category;
    }

    const char *place = links_param(req, "postcode");
    if (place != NULL && *place != '\0') {
        in->place_text = place;
        in->place_kind = strlen(place) > 16 ? LINKS_PLACE_INVALID
                                            : links_place_normalise(place, in->place);
        if (in->place_kind == LINKS_PLACE_INVALID && place_name_plausible(place))
            in->place_name = place;
        else if (in->place_kind == LINKS_PLACE_INVALID)
            links_validation_add(v, "postcode",
                                 "is not a UK postcode, postcode district or place name (for example "
                                 "\"G12 8QQ\", \"G12\" or \"Partick\")");
    }

    in->radius_km = sc->default_radius_km;
    const char *radius = links_param(req, "radius_km");
    if (radius != NULL) {
        in->radius_given = 1;
        if (links_parse_decimal(radius, 0, sc->max_radius_km, &in->radius_km) < 0 || in->radius_km <= 0)
            links_validation_add(v, "radius_km", "must be a number of kilometres above 0 and at most %g",
                                 sc->max_radius_km);
        else if (in->place_text == NULL)
            links_validation_add(v, "radius_km", "needs a postcode to measure from");
    }

    /* Open now, or at a moment staff choose (UK time unless a zone is given). */
    int open_now = read_flag(req, v, "open_now");
    const char *open_at = links_param(req, "open_at");
    if (open_now && open_at != NULL)
        links_validation_add(v, "open_at", "cannot be combined with open_now=true");
    else if (open_now)
        in->open_at = "now";
    else if (open_at != NULL) {
        enum links_datetime_kind k = links_datetime_parse(open_at);
        if (k == LINKS_DATETIME_LOCAL)
            in->open_at = links_arena_printf(req->arena, "%s Europe/London", open_at);
        else if (k == LINKS_DATETIME_ZONED)
            in->open_at = open_at;
        else
            links_validation_add(v, "open_at", "must be a date and time, such as 2026-12-24T10:30");
    }

    in->age = -1;
    const char *age = links_param(req, "age");
    if (age != NULL && links_parse_int(age, 0, 120, &in->age) < 0)
        links_validation_add(v, "age", "must be a whole number of years from 0 to 120");
    in->free_only = read_flag(req, v, "free");
    in->accepting = read_flag(req, v, "accepting_referrals");

    const char *sort = links_param(req, "sort");
    if (sort != NULL) {
        if (strcmp(sort, "relevance") != 0 && strcmp(sort, "distance") != 0 && strcmp(sort, "reviewed") != 0)
            links_validation_add(v, "sort", "must be relevance, distance or reviewed");
        else if (strcmp(sort, "relevance") == 0 && in->q == NULL)
            links_validation_add(v, "sort", "relevance needs words to search for (q)");
        else if (strcmp(sort, "distance") == 0 && in->place_text == NULL)
            links_validation_add(v, "sort", "distance needs a postcode or place to measure from");
        else
            in->sort = sort;
    }

    in->page = 1;
    const char *page = links_param(req, "page");
    if (page != NULL && links_parse_int(page, 1, 10000, &in->page) < 0)
        links_validation_add(v, "page", "must be a whole number from 1 to 10000");

    const char *cursor = links_param(req, "cursor");
    if (cursor != NULL) {
        if (strlen(cursor) != 32 || strspn(cursor, "0123456789abcdef") != 32)
            links_validation_add(v, "cursor", "must be the cursor a first page of results gave (32 hex digits)");
        else
            in->cursor = cursor;
    }

    in->per_page = sc->default_per_page;
    const char *per_page = links_param(req, "per_page");
    if (per_page != NULL && links_parse_int(per_page, 1, sc->max_per_page, &in->per_page) < 0)
        links_validation_add(v, "per_page", "must be a whole number from 1 to %d", sc->max_per_page);
}

static const char *place_kind_name(enum links_place_kind k)
{
    switch (k) {
    case LINKS_PLACE_POSTCODE: return "postcode";
    case LINKS_PLACE_SECTOR: return "sector";
    case LINKS_PLACE_DISTRICT: return "district";
    default: return NULL;
    }
}

static const char *value_or_null(const PGresult *r, int row, int col)
{
    return PQgetisnull(r, row, col) ? NULL : PQgetvalue(r, row, col);
}

/* Resolve place and category; answers the request and returns -1 when
 * either is unknown or the database fails. */
static int resolve(struct links_request *req, const struct links_board *board,
                   const struct search_input *in, struct origin *o, const char **category_id,
                   const char **tsquery)
{
    memset(o, 0, sizeof *o);
    *category_id = NULL;
    *tsquery = NULL;
    if (in->place_kind == LINKS_PLACE_INVALID && in->place_name == NULL && in->category == NULL &&
        in->q == NULL)
        return 0;
    const char *params[4] = { in->place_name ? "place" : place_kind_name(in->place_kind),
                              in->place_name ? in->place_name
                                             : in->place_kind != LINKS_PLACE_INVALID ? in->place : NULL,
                              in->category, in->q };
    PGresult *r;
    const char *state, *message;
    enum links_db_status st = links_db_query(req->worker->db, req->arena, board->cfg->code,
                                             "search_resolve", 4, params, &r, &state, &message);
    if (st != LINKS_DB_OK) {
        links_respond_db_failure(req, st, "search_resolve", state, message);
        return -1;
    }
    *tsquery = value_or_null(r, 0, 12);
    struct links_validation v;
    links_validation_init(&v);
    if (in->category != NULL) {
        *category_id = value_or_null(r, 0, 0);
        if (*category_id == NULL)
            links_validation_add(&v, "category",
                                 "\"%s\" is not a known category (GET /api/v1/categories lists them)",
                                 in->category);
    }
    if (in->q != NULL && (*tsquery == NULL || **tsquery == '\0'))
        links_validation_add(&v, "q",
                             "has no words to search for (very common words such as \"the\" are ignored); "
                             "try a more specific word");
    if (in->place_kind != LINKS_PLACE_INVALID || in->place_name != NULL) {
        if (strcmp(PQgetvalue(r, 0, 11), "t") != 0) {
            if (in->place_name != NULL && !PQgetisnull(r, 0, 15))
                links_validation_add(&v, "postcode",
                                     "\"%s\" is not a place this directory knows: did you mean %s? "
                                     "A postcode (such as \"G12 8QQ\") or district (\"G12\") works too",
                                     in->place_name, PQgetvalue(r, 0, 15));
            else if (in->place_name != NULL)
                links_validation_add(&v, "postcode",
                                     "\"%s\" is not a place this directory knows: try a postcode (such as "
                                     "\"G12 8QQ\") or a postcode district (\"G12\")", in->place_name);
            else if (in->place_kind == LINKS_PLACE_POSTCODE)
                links_validation_add(&v, "postcode",
                                     "\"%s\" was not found in this directory's postcodes: check it, "
                                     "or try just its district (\"%s\")",
                                     in->place, links_arena_strndup(req->arena, in->place,
                                                                    strcspn(in->place, " ")));
            else
                links_validation_add(&v, "postcode",
                                     "\"%s\" is not a postcode %s this directory covers",
                                     in->place, in->place_kind == LINKS_PLACE_SECTOR ? "sector" : "district");
        } else {
            o->found = 1;
            o->postcode = value_or_null(r, 0, 1);
            o->district = value_or_null(r, 0, 2);
            o->sector = value_or_null(r, 0, 3);
            o->lat = strtod(PQgetvalue(r, 0, 4), NULL);
            o->lon = strtod(PQgetvalue(r, 0, 5), NULL);
            o->council_code = value_or_null(r, 0, 6);
            o->council_name = value_or_null(r, 0, 7);
            o->data_zone = value_or_null(r, 0, 8);
            o->data_zone_exact = PQgetvalue(r, 0, 9)[0] == 't';
            o->simd_decile = PQgetisnull(r, 0, 10) ? 0 : atoi(PQgetvalue(r, 0, 10));
            o->board_code = value_or_null(r, 0, 13);
            o->place_name = value_or_null(r, 0, 14);
        }
    }
    if (links_validation_failed(&v)) {
        links_validation_respond(req, &v);
        return -1;
    }
    links_validation_free(&v);
    return 0;
}

/* Ask the board's plugin how to shape the search. */
static int plan_search(struct links_request *req, const struct links_board *board,
                       const struct search_input *in, const struct origin *o,
                       struct links_lookup_plan *plan)
{
    memset(plan, 0, sizeof *plan);
    plan->radius_km = in->radius_km;
    if (board->plugin == NULL || board->plugin->lookup == NULL)
        return 0;
    struct links_lookup_context ctx = {
        .board_code = board->cfg->code,
        .query_text = in->q,
        .category_slug = in->category,
        .has_origin = o->found,
        .origin_postcode = o->postcode,
        .origin_district = o->district,
        .origin_sector = o->sector,
        .origin_council_code = o->council_code,
        .origin_data_zone = o->data_zone,
        .origin_simd_decile = o->simd_decile,
        .radius_km = in->radius_km,
    };
    int rc = board->plugin->lookup(board->state, req, &ctx, plan);
    if (rc == LINKS_PLUGIN_DECLINED) {
        memset(plan, 0, sizeof *plan);
        plan->radius_km = in->radius_km;
        return 0;
    }
    if (rc != LINKS_PLUGIN_OK) {
        links_error("board %s: plugin %s lookup failed", board->cfg->slug, board->plugin->name);
        links_respond_problem(req, 503, "Regional search rules failed",
                              "This board's search rules could not be applied; the failure has been logged.",
                              NULL);
        return -1;
    }
    /* A plugin may narrow the search, never widen it. */
    if (!(plan->radius_km > 0) || plan->radius_km > in->radius_km)
        plan->radius_km = in->radius_km;
    if (plan->n_preferences < 0 || plan->n_preferences > LINKS_LOOKUP_MAX_PREFERENCES)
        plan->n_preferences = 0;
    return 0;
}

struct search_params {
    char values[LINKS_SEARCH_NPARAMS][64];
    const char *ptr[LINKS_SEARCH_NPARAMS];
};

/* The plan's preferences become the SQL's tiers: a preference's position
 * in the plan is the tier of the results that meet it first. */
static void fill_params(struct links_request *req, struct search_params *p, const char *tsquery,
                        const char *category_id, const struct origin *o,
                        const struct links_lookup_plan *plan, const struct search_input *in)
{
    memset(p, 0, sizeof *p);
    p->ptr[0] = tsquery;
    p->ptr[1] = category_id;
    if (o->found) {
        snprintf(p->values[2], 64, "%.7f", o->lat);
        snprintf(p->values[3], 64, "%.7f", o->lon);
        snprintf(p->values[4], 64, "%.4f", plan->radius_km);
        p->ptr[2] = p->values[2];
        p->ptr[3] = p->values[3];
        p->ptr[4] = p->values[4];
    }
    snprintf(p->values[5], 64, "%ld", in->per_page);
    snprintf(p->values[6], 64, "%ld", (in->page - 1) * in->per_page);
    p->ptr[5] = p->values[5];
    p->ptr[6] = p->values[6];
    int tiers = 0;
    for (int i = 0; i < plan->n_preferences; i++) {
        const struct links_preference *pref = &plan->preferences[i];
        int slot;
        switch (pref->kind) {
        case LINKS_PREFER_FREE:
            slot = 7;
            break;
        case LINKS_PREFER_COUNCIL:
            slot = pref->value != NULL ? 8 : -1;
            p->ptr[9] = pref->value;
            break;
        case LINKS_PREFER_AREAS:
            slot = pref->value != NULL ? 10 : -1;
            if (pref->value != NULL)
                p->ptr[11] = links_arena_printf(req->arena, "{%s}", pref->value);
            break;
        case LINKS_PREFER_BOARD_WIDE:
            slot = 12;
            break;
        default:
            slot = -1;
            break;
        }
        if (slot < 0 || p->ptr[slot] != NULL)
            continue;               /* unknown, empty or repeated: ignored */
        snprintf(p->values[slot], 64, "%d", tiers++);
        p->ptr[slot] = p->values[slot];
    }
    snprintf(p->values[13], 64, "%d", tiers);
    p->ptr[13] = p->values[13];

    p->ptr[14] = in->open_at;
    if (in->age >= 0) {
        snprintf(p->values[15], 64, "%ld", in->age);
        p->ptr[15] = p->values[15];
    }
    p->ptr[16] = in->free_only ? "true" : "false";
    p->ptr[17] = in->accepting ? "true" : "false";
    if (o->found) {
        /* The areas the origin lies in, as service areas name them. */
        p->ptr[18] = links_arena_printf(req->arena, "{scotland:S92000003%s%s%s%s%s%s}",
                                        o->council_code ? ",council:" : "", o->council_code ? o->council_code : "",
                                        o->district ? ",district:" : "", o->district ? o->district : "",
                                        o->board_code ? ",board:" : "", o->board_code ? o->board_code : "");
    }
    /* "distance" is the natural order with an origin */
    p->ptr[19] = in->sort && strcmp(in->sort, "distance") != 0 ? in->sort : NULL;
}

static json_t *json_text(const PGresult *r, int row, int col)
{
    return PQgetisnull(r, row, col) ? json_null() : json_string(PQgetvalue(r, row, col));
}

static json_t *json_embedded(const PGresult *r, int row, int col)
{
    if (PQgetisnull(r, row, col))
        return json_array();
    json_t *v = json_loads(PQgetvalue(r, row, col), 0, NULL);
    return v ? v : json_array();
}

static json_t *board_json(const struct links_board *board)
{
    return json_pack("{s:s, s:s, s:s}", "code", board->cfg->code, "slug", board->cfg->slug, "name",
                     board->cfg->name);
}

static json_t *origin_json(const struct search_input *in, const struct origin *o)
{
    if (!o->found)
        return json_null();
    json_t *j = json_object();
    json_object_set_new(j, "query", json_string(in->place_name ? in->place_name : in->place));
    json_object_set_new(j, "kind", json_string(in->place_name ? "place" : place_kind_name(in->place_kind)));
    json_object_set_new(j, "place_name", o->place_name ? json_string(o->place_name) : json_null());
    json_object_set_new(j, "postcode", o->postcode ? json_string(o->postcode) : json_null());
    json_object_set_new(j, "district", o->district ? json_string(o->district) : json_null());
    json_object_set_new(j, "lat", json_real(round(o->lat * 1e6) / 1e6));
    json_object_set_new(j, "lon", json_real(round(o->lon * 1e6) / 1e6));
    json_object_set_new(j, "council_code", o->council_code ? json_string(o->council_code) : json_null());
    json_object_set_new(j, "council_name", o->council_name ? json_string(o->council_name) : json_null());
    json_object_set_new(j, "data_zone", o->data_zone ? json_string(o->data_zone) : json_null());
    json_object_set_new(j, "data_zone_exact", json_boolean(o->data_zone_exact));
    json_object_set_new(j, "simd_decile", o->simd_decile ? json_integer(o->simd_decile) : json_null());
    return j;
}

static enum links_db_status run_search(struct links_request *req, const struct links_board *board,
                                       int variant, struct search_params *p, PGresult **r,
                                       const char **state, const char **message)
{
    return links_db_query(req->worker->db, req->arena, board->cfg->code,
                          links_search_statement_name(variant), LINKS_SEARCH_NPARAMS, p->ptr, r,
                          state, message);
}

/* What makes two requests the same search (everything but the page): a
 * kept search answers only for its own fingerprint. */
static const char *fingerprint(struct links_request *req, const struct search_input *in,
                               const struct links_lookup_plan *plan, int origin)
{
    const char *text = links_arena_printf(req->arena, "%s\x1f%s\x1f%s\x1f%.4f\x1f%s\x1f%ld\x1f%d\x1f%d\x1f%s",
                                          in->q ? in->q : "", in->category ? in->category : "",
                                          in->place_name ? in->place_name : in->place_text ? in->place : "",
                                          origin ? plan->radius_km : 0.0, in->open_at ? in->open_at : "",
                                          in->age, in->free_only, in->accepting, in->sort ? in->sort : "");
    unsigned char hash[16];
    crypto_generichash(hash, sizeof hash, (const unsigned char *)text, strlen(text), NULL, 0);
    char *hex = links_arena_alloc(req->arena, 2 * sizeof hash + 1);
    sodium_bin2hex(hex, 2 * sizeof hash + 1, hash, sizeof hash);
    return hex;
}

static const char *new_token(struct links_request *req)
{
    unsigned char bytes[16];
    randombytes_buf(bytes, sizeof bytes);
    char *hex = links_arena_alloc(req->arena, 2 * sizeof bytes + 1);
    sodium_bin2hex(hex, 2 * sizeof bytes + 1, bytes, sizeof bytes);
    return hex;
}

void links_handle_resources(struct links_request *req, const struct links_board *board)
{
    struct links_validation v;
    struct search_input in;
    links_validation_init(&v);
    read_input(req, &v, &in);
    if (links_validation_failed(&v)) {
        links_validation_respond(req, &v);
        return;
    }
    links_validation_free(&v);

    struct origin o;
    const char *category_id, *tsquery;
    if (resolve(req, board, &in, &o, &category_id, &tsquery) < 0)
        return;
    struct links_lookup_plan plan;
    if (plan_search(req, board, &in, &o, &plan) < 0)
        return;

    int variant = (in.q ? LINKS_SEARCH_TEXT : 0) | (category_id ? LINKS_SEARCH_CATEGORY : 0) |
                  (o.found ? LINKS_SEARCH_ORIGIN : 0);
    struct search_params p;
    fill_params(req, &p, tsquery, category_id, &o, &plan, &in);
    p.ptr[21] = fingerprint(req, &in, &plan, o.found);
    PGresult *r;
    const char *state, *message;
    const char *corrected = NULL, *cursor = in.cursor;
    enum links_db_status st;
    if (in.cursor != NULL) {
        /* A later page of a kept search: the order it had then. */
        p.ptr[20] = in.cursor;
        st = links_db_query(req->worker->db, req->arena, board->cfg->code,
                            links_search_page_statement_name(o.found), LINKS_SEARCH_NPARAMS, p.ptr, &r,
                            &state, &message);
        if (st != LINKS_DB_OK) {
            links_respond_db_failure(req, st, "search page", state, message);
            return;
        }
        if (PQgetisnull(r, 0, 0)) {
            links_respond_problem(req, 410, "Search expired",
                                  "The results of this search are kept for 30 minutes and these have gone "
                                  "(or the cursor belongs to another search). Search again from page 1, "
                                  "without cursor.", NULL);
            return;
        }
        corrected = value_or_null(r, 0, 1);
    } else {
        /* More than a page of results keeps their order under a new token. */
        p.ptr[20] = new_token(req);
        st = run_search(req, board, variant, &p, &r, &state, &message);
        if (st != LINKS_DB_OK) {
            links_respond_db_failure(req, st, "search", state, message);
            return;
        }
        if (in.q != NULL && atol(PQgetvalue(r, 0, 0)) == 0) {
            PGresult *spell;
            st = links_db_query(req->worker->db, req->arena, NULL, "search_spell", 1, &in.q, &spell,
                                &state, &message);
            if (st == LINKS_DB_OK && PQntuples(spell) == 1 && PQgetvalue(spell, 0, 1)[0] == 't') {
                PGresult *again;
                p.ptr[0] = PQgetvalue(spell, 0, 2);
                p.ptr[22] = PQgetvalue(spell, 0, 0);
                if (run_search(req, board, variant, &p, &again, &state, &message) == LINKS_DB_OK &&
                    atol(PQgetvalue(again, 0, 0)) > 0) {
                    corrected = PQgetvalue(spell, 0, 0);
                    r = again;
                }
            }
        }
        cursor = value_or_null(r, 0, 1);
    }

    json_t *query = json_object();
    json_object_set_new(query, "q", in.q ? json_string(in.q) : json_null());
    json_object_set_new(query, "category", in.category ? json_string(in.category) : json_null());
    json_object_set_new(query, "postcode", in.place_name ? json_string(in.place_name)
                                           : in.place_text ? json_string(in.place) : json_null());
    json_object_set_new(query, "radius_km", o.found ? json_real(plan.radius_km) : json_null());
    json_object_set_new(query, "open_now", json_boolean(in.open_at && strcmp(in.open_at, "now") == 0));
    json_object_set_new(query, "open_at", in.open_at && strcmp(in.open_at, "now") != 0
                                              ? json_string(links_param(req, "open_at")) : json_null());
    json_object_set_new(query, "age", in.age >= 0 ? json_integer(in.age) : json_null());
    json_object_set_new(query, "free", json_boolean(in.free_only));
    json_object_set_new(query, "accepting_referrals", json_boolean(in.accepting));
    json_object_set_new(query, "sort", in.sort ? json_string(in.sort) : json_null());
    json_t *doc = json_object();
    json_object_set_new(doc, "board", board_json(board));
    json_object_set_new(doc, "query", query);
    json_object_set_new(doc, "origin", origin_json(&in, &o));
    json_object_set_new(doc, "corrected_query", corrected ? json_string(corrected) : json_null());
    json_object_set_new(doc, "ranking", plan.explanation ? json_string(plan.explanation) : json_null());
    json_object_set_new(doc, "total", json_integer(atol(PQgetvalue(r, 0, 0))));
    json_object_set_new(doc, "page", json_integer(in.page));
    json_object_set_new(doc, "per_page", json_integer(in.per_page));
    json_object_set_new(doc, "cursor", cursor ? json_string(cursor) : json_null());
    links_respond_json_with(req, 200, doc, "items", PQgetvalue(r, 0, 2));
}

void links_handle_resource(struct links_request *req, const struct links_board *board, const char *id)
{
    if (req->nparams > 0) {
        struct links_validation v;
        links_validation_init(&v);
        links_validation_add(&v, req->params[0].name, "is not a parameter of this endpoint");
        links_validation_respond(req, &v);
        return;
    }
    if (!links_uuid_valid(id)) {
        struct links_validation v;
        links_validation_init(&v);
        links_validation_add(&v, "id", "must be a resource id (a UUID)");
        links_validation_respond(req, &v);
        return;
    }
    PGresult *r;
    const char *state, *message;
    enum links_db_status st = links_db_query(req->worker->db, req->arena, board->cfg->code,
                                             "resource_detail", 1, &id, &r, &state, &message);
    if (st != LINKS_DB_OK) {
        links_respond_db_failure(req, st, "resource_detail", state, message);
        return;
    }
    if (PQntuples(r) == 0) {
        links_respond_problem(req, 404, "Resource not found",
                              "There is no resource with this id in this board's directory.", NULL);
        return;
    }
    json_t *doc = json_object();
    static const char *const text_fields[] = { "id", "name", "description", "url", "email", "phone",
                                               "status" };
    for (int c = 0; c < 7; c++)
        json_object_set_new(doc, text_fields[c], json_text(r, 0, c));
    json_object_set_new(doc, "is_free", json_boolean(PQgetvalue(r, 0, 7)[0] == 't'));
    json_object_set_new(doc, "fees", json_text(r, 0, 8));
    json_object_set_new(doc, "eligibility", json_text(r, 0, 9));
    json_object_set_new(doc, "area", json_text(r, 0, 10));
    json_object_set_new(doc, "last_reviewed", json_text(r, 0, 11));
    json_object_set_new(doc, "review_due", json_text(r, 0, 12));
    json_t *org = json_object();
    json_object_set_new(org, "id", json_text(r, 0, 13));
    json_object_set_new(org, "name", json_text(r, 0, 14));
    json_object_set_new(org, "url", json_text(r, 0, 15));
    json_object_set_new(doc, "organization", org);
    json_object_set_new(doc, "locations", json_embedded(r, 0, 16));
    json_object_set_new(doc, "categories", json_embedded(r, 0, 17));
    json_object_set_new(doc, "schedules", json_embedded(r, 0, 18));
    json_t *more = json_loads(PQgetvalue(r, 0, 19), 0, NULL);
    if (more != NULL)
        json_object_update(doc, more);
    json_decref(more);
    json_object_set_new(doc, "board", board_json(board));
    links_respond_json(req, 200, doc);
}
