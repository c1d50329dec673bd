/* api_hsds.c — the public, read-only Open Referral HSDS 3.0 API.
 *
 *   GET /hsds/                       version, profile, openapi_url
 *   GET /hsds/services[/{id}]        services (list: one-to-one members;
 *                                    full=true or /{id}: fully nested)
 *   GET /hsds/organizations[/{id}]
 *   GET /hsds/taxonomies[/{id}]
 *   GET /hsds/taxonomy_terms[/{id}]
 *   GET /hsds/service_at_locations[/{id}]   also by postcode and proximity
 *
 * The same under /hsds/{board}/ publishes one board's directory (its own
 * services and the national ones); /hsds/ publishes the whole deployment.
 * Lists come in the standard's Page envelope, ordered by id (ids never
 * change, so a page's place in the list moves only when services are
 * added). Every filter given must hold (AND). The objects are built in
 * PostgreSQL (schema/0006_hsds.sql), from public directory tables only. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "api.h"
#include "search.h"
#include "validate.h"
#include "worker.h"

#define HSDS_DEFAULT_PER_PAGE 50
#define HSDS_MAX_PER_PAGE 200
#define HSDS_MAX_PROXIMITY_M 100000

/* Rows a board's feed shows: its own and the national ones; the
 * deployment's feed (no board set) shows every row. */
#define IN_FEED(t) "(current_board_id() IS NULL OR " t ".board_id IS NULL OR " t ".board_id = current_board_id())"

/* The filters services and services at locations share, on service s:
 * $3 search words, $4 a taxonomy term (category), $5 a taxonomy, $6 an
 * organization, $7 changed since. */
#define SERVICE_FILTERS \
    "  AND ($3::text IS NULL OR s.search_vector @@ websearch_to_tsquery('english', $3::text))" \
    "  AND ($4::uuid IS NULL OR EXISTS (SELECT 1 FROM service_category sc" \
    "        WHERE sc.service_id = s.id AND sc.category_id = $4::uuid))" \
    "  AND ($5::uuid IS NULL OR EXISTS (SELECT 1 FROM service_category sc JOIN category c ON c.id = sc.category_id" \
    "        WHERE sc.service_id = s.id AND c.taxonomy_id = $5::uuid))" \
    "  AND ($6::uuid IS NULL OR s.organization_id = $6::uuid)" \
    "  AND ($7::timestamptz IS NULL OR s.last_modified >= $7::timestamptz)"

/* A list statement returns the total and one page of objects as a JSON
 * array; $1 LIMIT, $2 OFFSET, filters from $3. */
static const char services_sql[] =
    "WITH hits AS (SELECT s.id FROM service s WHERE " IN_FEED("s")
    SERVICE_FILTERS ")"
    " SELECT (SELECT count(*) FROM hits),"
    "  coalesce(jsonb_agg(CASE $8::text WHEN 'full' THEN hsds_service(s, true)"
    "                     WHEN 'minimal' THEN jsonb_build_object('id', s.id, 'last_modified', hsds_timestamp(s.last_modified))"
    "                     ELSE hsds_service_brief(s) END ORDER BY s.id), '[]')::text"
    " FROM (SELECT id FROM hits ORDER BY id LIMIT $1::int OFFSET $2::int) p JOIN service s ON s.id = p.id";

static const char service_sql[] =
    "SELECT hsds_service(s, true)::text FROM service s WHERE s.id = $1::uuid AND " IN_FEED("s");

static const char organizations_sql[] =
    "WITH hits AS (SELECT o.id FROM organization o WHERE " IN_FEED("o")
    "  AND ($3::text IS NULL OR to_tsvector('english', o.name || ' ' || coalesce(o.description, ''))"
    "                           @@ websearch_to_tsquery('english', $3::text)))"
    " SELECT (SELECT count(*) FROM hits),"
    "  coalesce(jsonb_agg(CASE WHEN $4::boolean THEN hsds_organization(o, $5::boolean, current_board_id())"
    "                     ELSE hsds_organization_brief(o) END ORDER BY o.id), '[]')::text"
    " FROM (SELECT id FROM hits ORDER BY id LIMIT $1::int OFFSET $2::int) p JOIN organization o ON o.id = p.id";

static const char organization_sql[] =
    "SELECT hsds_organization(o, $2::boolean, current_board_id())::text FROM organization o"
    " WHERE o.id = $1::uuid AND " IN_FEED("o");

static const char taxonomies_sql[] =
    "WITH hits AS (SELECT t.id FROM taxonomy t"
    "  WHERE $3::text IS NULL OR t.name ILIKE '%' || $3::text || '%' OR t.description ILIKE '%' || $3::text || '%')"
    " SELECT (SELECT count(*) FROM hits), coalesce(jsonb_agg(hsds_taxonomy(t) ORDER BY t.id), '[]')::text"
    " FROM (SELECT id FROM hits ORDER BY id LIMIT $1::int OFFSET $2::int) p JOIN taxonomy t ON t.id = p.id";

static const char taxonomy_sql[] = "SELECT hsds_taxonomy(t)::text FROM taxonomy t WHERE t.id = $1::uuid";

static const char taxonomy_terms_sql[] =
    "WITH hits AS (SELECT c.id FROM category c"
    "  WHERE ($3::text IS NULL OR c.name ILIKE '%' || $3::text || '%')"
    "    AND ($4::uuid IS NULL OR c.taxonomy_id = $4::uuid)"
    "    AND ($5::uuid IS NULL OR c.parent_id = $5::uuid)"
    "    AND (NOT $6::boolean OR c.parent_id IS NULL))"
    " SELECT (SELECT count(*) FROM hits), coalesce(jsonb_agg(hsds_taxonomy_term(c) ORDER BY c.id), '[]')::text"
    " FROM (SELECT id FROM hits ORDER BY id LIMIT $1::int OFFSET $2::int) p JOIN category c ON c.id = p.id";

static const char taxonomy_term_sql[] =
    "SELECT hsds_taxonomy_term(c)::text FROM category c WHERE c.id = $1::uuid";

/* Services at locations. With a postcode ($8 lat, $9 lon, $10 council,
 * $11 board code, $12 district): a service that lists service areas must
 * cover it; with a proximity ($13, metres) the location must be within it,
 * nearest first. */
static const char sals_sql[] =
    "WITH hits AS (SELECT sal.id, CASE WHEN $8::float8 IS NOT NULL AND l.lat IS NOT NULL"
    "                THEN distance_km($8::float8, $9::float8, l.lat, l.lon) END AS km"
    "  FROM service_at_location sal JOIN service s ON s.id = sal.service_id"
    "  JOIN location l ON l.id = sal.location_id WHERE " IN_FEED("s")
    SERVICE_FILTERS
    "  AND ($8::float8 IS NULL OR NOT EXISTS (SELECT 1 FROM service_area a WHERE a.service_id = s.id)"
    "       OR EXISTS (SELECT 1 FROM service_area a WHERE a.service_id = s.id AND"
    "          (a.kind = 'scotland' OR (a.kind = 'council' AND a.code = $10::text)"
    "           OR (a.kind = 'board' AND a.code = $11::text) OR (a.kind = 'district' AND a.code = $12::text))))"
    "  AND ($13::float8 IS NULL OR (l.lat IS NOT NULL"
    "       AND distance_km($8::float8, $9::float8, l.lat, l.lon) <= $13::float8 / 1000)))"
    " SELECT (SELECT count(*) FROM hits),"
    "  coalesce(jsonb_agg(hsds_service_at_location(sal, $14::boolean, true) ORDER BY p.ord), '[]')::text"
    " FROM (SELECT id, row_number() OVER (ORDER BY CASE WHEN $13::float8 IS NOT NULL THEN km END, id) AS ord"
    "         FROM hits ORDER BY ord LIMIT $1::int OFFSET $2::int) p"
    " JOIN service_at_location sal ON sal.id = p.id";

static const char sal_sql[] =
    "SELECT hsds_service_at_location(sal, true, true)::text FROM service_at_location sal"
    " JOIN service s ON s.id = sal.service_id WHERE sal.id = $1::uuid AND " IN_FEED("s");

/* Where a postcode, sector or district is (for service_at_locations). */
static const char place_sql[] =
    "SELECT p.lat, p.lon, p.council_code, p.board_code, p.district FROM postcode p"
    " WHERE $1::text = 'postcode' AND p.postcode = $2::text"
    " UNION ALL SELECT a.lat, a.lon, a.council_code, a.board_code, split_part(a.area, ' ', 1)"
    " FROM postcode_area a WHERE $1::text IN ('district', 'sector') AND a.area = $2::text";

int links_api_hsds_register(void);
int links_api_hsds_register(void)
{
    static const struct links_statement s[] = {
        { "hsds_services", services_sql, 0, NULL },
        { "hsds_service", service_sql, 0, NULL },
        { "hsds_organizations", organizations_sql, 0, NULL },
        { "hsds_organization", organization_sql, 0, NULL },
        { "hsds_taxonomies", taxonomies_sql, 0, NULL },
        { "hsds_taxonomy", taxonomy_sql, 0, NULL },
        { "hsds_taxonomy_terms", taxonomy_terms_sql, 0, NULL },
        { "hsds_taxonomy_term", taxonomy_term_sql, 0, NULL },
        { "hsds_service_at_locations", sals_sql, 0, NULL },
        { "hsds_service_at_location", sal_sql, 0, NULL },
        { "hsds_place", place_sql, 0, NULL },
    };
    return links_db_register_all(s, sizeof s / sizeof s[0]);
}

/* ---- query parameters ---- */

struct hsds_query {
    struct links_validation v;
    long page, per_page;
};

static int known_param(const char *name, const char *const *known)
{
    for (const char *const *k = known; *k != NULL; k++)
        if (strcmp(name, *k) == 0)
            return 1;
    return 0;
}

/* Every list takes page, per_page, format and search; `extra` names the
 * rest it takes. */
static void read_common(struct links_request *req, struct hsds_query *q, const char *const *extra)
{
    static const char *const common[] = { "page", "per_page", "format", "search", NULL };
    links_validation_init(&q->v);
    for (int i = 0; i < req->nparams; i++)
        if (!known_param(req->params[i].name, common) && !known_param(req->params[i].name, extra))
            links_validation_add(&q->v, req->params[i].name, "is not a parameter of this list");
    q->page = 1;
    q->per_page = HSDS_DEFAULT_PER_PAGE;
    const char *page = links_param(req, "page");
    if (page != NULL && links_parse_int(page, 1, 100000, &q->page) < 0)
        links_validation_add(&q->v, "page", "must be a whole number from 1 to 100000");
    const char *per_page = links_param(req, "per_page");
    if (per_page != NULL && links_parse_int(per_page, 1, HSDS_MAX_PER_PAGE, &q->per_page) < 0)
        links_validation_add(&q->v, "per_page", "must be a whole number from 1 to %d", HSDS_MAX_PER_PAGE);
    const char *format = links_param(req, "format");
    if (format != NULL && strcmp(format, "json") != 0)
        links_validation_add(&q->v, "format", "must be \"json\" (the only format this API serves)");
}

/* A search text, or NULL when not given or blank. */
static const char *read_search(struct links_request *req, struct hsds_query *q)
{
    const char *s = links_param(req, "search");
    if (s == NULL)
        return NULL;
    while (*s == ' ')
        s++;
    if (links_utf8_length(s) > 200) {
        links_validation_add(&q->v, "search", "is too long; at most 200 characters are allowed");
        return NULL;
    }
    return *s != '\0' ? s : NULL;
}

/* "true" / "false"; absent gives `dflt`. */
static int read_bool(struct links_request *req, struct hsds_query *q, const char *name, int dflt)
{
    const char *s = links_param(req, name);
    if (s == NULL)
        return dflt;
    if (strcmp(s, "true") == 0)
        return 1;
    if (strcmp(s, "false") == 0)
        return 0;
    links_validation_add(&q->v, name, "must be true or false");
    return dflt;
}

static const char *read_uuid(struct links_request *req, struct hsds_query *q, const char *name)
{
    const char *s = links_param(req, name);
    if (s == NULL)
        return NULL;
    if (!links_uuid_valid(s)) {
        links_validation_add(&q->v, name, "must be an id (a UUID)");
        return NULL;
    }
    return s;
}

/* modified_after: an ISO 8601 date or date and time; without a zone, UTC. */
static const char *read_datetime(struct links_request *req, struct hsds_query *q, const char *name)
{
    const char *s = links_param(req, name);
    if (s == NULL)
        return NULL;
    switch (links_datetime_parse(s)) {
    case LINKS_DATETIME_DATE:
        return links_arena_printf(req->arena, "%s 00:00+00", s);
    case LINKS_DATETIME_LOCAL:
        return links_arena_printf(req->arena, "%s+00", s);
    case LINKS_DATETIME_ZONED:
        return s;
    default:
        links_validation_add(&q->v, name,
                             "must be a date or date and time, such as 2026-01-31 or 2026-01-31T09:30:00Z");
        return NULL;
    }
}

/* ---- answers ---- */

static void respond_page(struct links_request *req, const struct hsds_query *q, const char *stmt,
                         int nparams, const char **values)
{
    char limit[16], offset[24];
    snprintf(limit, sizeof limit, "%ld", q->per_page);
    snprintf(offset, sizeof offset, "%ld", (q->page - 1) * q->per_page);
    values[0] = limit;
    values[1] = offset;
    PGresult *r;
    const char *state, *message;
    enum links_db_status st = links_db_query(req->worker->db, req->arena,
                                             req->board ? req->board->cfg->code : NULL, stmt, nparams,
                                             values, &r, &state, &message);
    if (st != LINKS_DB_OK) {
        links_respond_db_failure(req, st, stmt, state, message);
        return;
    }
    long total = atol(PQgetvalue(r, 0, 0));
    long pages = (total + q->per_page - 1) / q->per_page;
    long offset_n = (q->page - 1) * q->per_page;
    long size = total - offset_n;
    if (size < 0)
        size = 0;
    if (size > q->per_page)
        size = q->per_page;
    json_t *doc = json_pack("{s:I, s:I, s:I, s:I, s:b, s:b, s:b}", "total_items", (json_int_t)total,
                            "total_pages", (json_int_t)pages, "page_number", (json_int_t)q->page,
                            "size", (json_int_t)size, "first_page", q->page == 1,
                            "last_page", q->page >= pages, "empty", total == 0);
    links_respond_json_with(req, 200, doc, "contents", PQgetvalue(r, 0, 1));
}

static void respond_one(struct links_request *req, const char *stmt, int nparams, const char *const *values,
                        const char *what)
{
    PGresult *r;
    const char *state, *message;
    enum links_db_status st = links_db_query(req->worker->db, req->arena,
                                             req->board ? req->board->cfg->code : NULL, stmt, nparams,
                                             values, &r, &state, &message);
    if (st != LINKS_DB_OK) {
        links_respond_db_failure(req, st, stmt, state, message);
        return;
    }
    if (PQntuples(r) == 0 || PQgetisnull(r, 0, 0)) {
        links_respond_problem(req, 404, "Not found",
                              links_arena_printf(req->arena, "There is no %s with this id in this directory.",
                                                 what), NULL);
        return;
    }
    links_respond_raw_json(req, 200, PQgetvalue(r, 0, 0));
}

/* Every HSDS answer may be read by any site's pages: it is public. */
static void open_to_all(struct links_request *req, const struct links_route_args *a)
{
    links_add_header(req, "Access-Control-Allow-Origin", "*");
    req->board = a->board;
}

static int answered_invalid(struct links_request *req, struct hsds_query *q)
{
    if (links_validation_failed(&q->v)) {
        links_validation_respond(req, &q->v);
        return 1;
    }
    links_validation_free(&q->v);
    return 0;
}

void links_handle_hsds_root(struct links_request *req, const struct links_route_args *a)
{
    open_to_all(req, a);
    links_respond_json(req, 200, json_pack("{s:s, s:s, s:s}", "version", "3.0",
                                           "profile", "https://docs.openreferral.org/en/v3.0/",
                                           "openapi_url",
                                           "https://raw.githubusercontent.com/openreferral/specification/3.0/schema/openapi.json"));
}

void links_handle_hsds_services(struct links_request *req, const struct links_route_args *a)
{
    static const char *const extra[] = { "taxonomy_term_id", "taxonomy_id", "organization_id",
                                         "modified_after", "minimal", "full", NULL };
    struct hsds_query q;
    open_to_all(req, a);
    read_common(req, &q, extra);
    const char *v[8] = { NULL, NULL, read_search(req, &q), read_uuid(req, &q, "taxonomy_term_id"),
                         read_uuid(req, &q, "taxonomy_id"), read_uuid(req, &q, "organization_id"),
                         read_datetime(req, &q, "modified_after"), NULL };
    int minimal = read_bool(req, &q, "minimal", 0), full = read_bool(req, &q, "full", 0);
    if (minimal && full)
        links_validation_add(&q.v, "minimal", "cannot be combined with full=true");
    v[7] = full ? "full" : minimal ? "minimal" : "list";
    if (!answered_invalid(req, &q))
        respond_page(req, &q, "hsds_services", 8, v);
}

void links_handle_hsds_organizations(struct links_request *req, const struct links_route_args *a)
{
    static const char *const extra[] = { "full", "full_service", NULL };
    struct hsds_query q;
    open_to_all(req, a);
    read_common(req, &q, extra);
    int full_service = read_bool(req, &q, "full_service", 0);
    /* full_service asks for nested services, which only the full shape has */
    int full = read_bool(req, &q, "full", full_service);
    const char *v[5] = { NULL, NULL, read_search(req, &q), full ? "true" : "false",
                         full_service ? "true" : "false" };
    if (!answered_invalid(req, &q))
        respond_page(req, &q, "hsds_organizations", 5, v);
}

void links_handle_hsds_taxonomies(struct links_request *req, const struct links_route_args *a)
{
    static const char *const extra[] = { NULL };
    struct hsds_query q;
    open_to_all(req, a);
    read_common(req, &q, extra);
    const char *v[3] = { NULL, NULL, read_search(req, &q) };
    if (!answered_invalid(req, &q))
        respond_page(req, &q, "hsds_taxonomies", 3, v);
}

void links_handle_hsds_taxonomy_terms(struct links_request *req, const struct links_route_args *a)
{
    static const char *const extra[] = { "taxonomy_id", "top_only", "parent_id", NULL };
    struct hsds_query q;
    open_to_all(req, a);
    read_common(req, &q, extra);
    const char *v[6] = { NULL, NULL, read_search(req, &q), read_uuid(req, &q, "taxonomy_id"),
                         read_uuid(req, &q, "parent_id"), read_bool(req, &q, "top_only", 0) ? "true" : "false" };
    if (!answered_invalid(req, &q))
        respond_page(req, &q, "hsds_taxonomy_terms", 6, v);
}

/* Resolve the postcode of a service_at_locations query into v[7..11];
 * adds a validation error when it is malformed or unknown. Returns -1
 * after answering when the database fails. */
static int read_place(struct links_request *req, struct hsds_query *q, const char **v)
{
    const char *text = links_param(req, "postcode");
    if (text == NULL)
        return 0;
    char place[LINKS_POSTCODE_MAX];
    enum links_place_kind kind = strlen(text) > 16 ? LINKS_PLACE_INVALID : links_place_normalise(text, place);
    if (kind == LINKS_PLACE_INVALID) {
        links_validation_add(&q->v, "postcode", "is not a UK postcode or postcode district (for example \"G12 8QQ\" or \"G12\")");
        return 0;
    }
    const char *pv[2] = { kind == LINKS_PLACE_POSTCODE ? "postcode" : kind == LINKS_PLACE_SECTOR ? "sector" : "district",
                          links_arena_strdup(req->arena, place) };
    PGresult *r;
    const char *state, *message;
    enum links_db_status st = links_db_query(req->worker->db, req->arena, NULL, "hsds_place", 2, pv, &r,
                                             &state, &message);
    if (st != LINKS_DB_OK) {
        links_validation_free(&q->v);
        links_respond_db_failure(req, st, "hsds_place", state, message);
        return -1;
    }
    if (PQntuples(r) == 0) {
        links_validation_add(&q->v, "postcode", "\"%s\" was not found in this directory's postcodes", place);
        return 0;
    }
    for (int c = 0; c < 5; c++)
        v[7 + c] = PQgetisnull(r, 0, c) ? NULL : PQgetvalue(r, 0, c);
    return 0;
}

void links_handle_hsds_service_at_locations(struct links_request *req, const struct links_route_args *a)
{
    static const char *const extra[] = { "taxonomy_term_id", "taxonomy_id", "organization_id", "modified_after",
                                         "full", "postcode", "proximity", NULL };
    struct hsds_query q;
    open_to_all(req, a);
    read_common(req, &q, extra);
    const char *v[14] = { NULL, NULL, read_search(req, &q), read_uuid(req, &q, "taxonomy_term_id"),
                          read_uuid(req, &q, "taxonomy_id"), read_uuid(req, &q, "organization_id"),
                          read_datetime(req, &q, "modified_after") };
    v[13] = read_bool(req, &q, "full", 0) ? "true" : "false";
    const char *proximity = links_param(req, "proximity");
    if (proximity != NULL) {
        double metres;
        if (links_parse_decimal(proximity, 0, HSDS_MAX_PROXIMITY_M, &metres) < 0 || metres <= 0)
            links_validation_add(&q.v, "proximity", "must be a distance in metres above 0 and at most %d",
                                 HSDS_MAX_PROXIMITY_M);
        else if (links_param(req, "postcode") == NULL)
            links_validation_add(&q.v, "proximity", "needs a postcode to measure from");
        else
            v[12] = proximity;
    }
    if (read_place(req, &q, v) < 0)
        return;
    if (!answered_invalid(req, &q))
        respond_page(req, &q, "hsds_service_at_locations", 14, v);
}

/* One object by id: a malformed id is simply not found. `full_service`
 * is the one parameter an object takes (organizations only). */
static void respond_by_id(struct links_request *req, const struct links_route_args *a, const char *stmt,
                          const char *what, int takes_full_service)
{
    static const char *const none[] = { NULL }, *const full_service_only[] = { "full_service", NULL };
    struct hsds_query q;
    open_to_all(req, a);
    links_validation_init(&q.v);
    for (int i = 0; i < req->nparams; i++)
        if (!known_param(req->params[i].name, takes_full_service ? full_service_only : none))
            links_validation_add(&q.v, req->params[i].name, "is not a parameter of this endpoint");
    int full_service = read_bool(req, &q, "full_service", 0);
    if (answered_invalid(req, &q))
        return;
    if (!links_uuid_valid(a->id)) {
        links_respond_problem(req, 404, "Not found",
                              links_arena_printf(req->arena, "There is no %s with this id in this directory.",
                                                 what), NULL);
        return;
    }
    const char *v[2] = { a->id, full_service ? "true" : "false" };
    respond_one(req, stmt, takes_full_service ? 2 : 1, v, what);
}

void links_handle_hsds_service(struct links_request *req, const struct links_route_args *a)
{
    respond_by_id(req, a, "hsds_service", "service", 0);
}

void links_handle_hsds_organization(struct links_request *req, const struct links_route_args *a)
{
    respond_by_id(req, a, "hsds_organization", "organization", 1);
}

void links_handle_hsds_taxonomy(struct links_request *req, const struct links_route_args *a)
{
    respond_by_id(req, a, "hsds_taxonomy", "taxonomy", 0);
}

void links_handle_hsds_taxonomy_term(struct links_request *req, const struct links_route_args *a)
{
    respond_by_id(req, a, "hsds_taxonomy_term", "taxonomy term", 0);
}

void links_handle_hsds_service_at_location(struct links_request *req, const struct links_route_args *a)
{
    respond_by_id(req, a, "hsds_service_at_location", "service at a location", 0);
}
