/* router.c — the route table and the small handlers (boards, categories,
 * health). Paths are matched segment by segment; {board} is a code or
 * slug, {id} a UUID. Every route names the permission it needs: the router
 * finds who is asking and checks it (links_authorize) before any handler
 * runs, so no handler decides access itself. */
#include "router.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "api.h"
#include "auth.h"
#include "authz.h"
#include "boards.h"
#include "db.h"
#include "log.h"
#include "search.h"
#include "validate.h"
#include "worker.h"

#define MAX_SEGMENTS 8

struct path {
    int n;
    const char *seg[MAX_SEGMENTS];
};

static int split_path(struct links_request *req, struct path *p)
{
    p->n = 0;
    const char *s = req->path ? req->path : "/";
    while (*s == '/')
        s++;
    while (*s != '\0') {
        const char *slash = strchr(s, '/');
        size_t len = slash ? (size_t)(slash - s) : strlen(s);
        if (p->n == MAX_SEGMENTS)
            return -1;
        p->seg[p->n++] = links_arena_strndup(req->arena, s, len);
        s += len;
        while (*s == '/')
            s++;
    }
    return 0;
}

static json_t *board_summary(const struct links_board *b)
{
    json_t *j = json_pack("{s:s, s:s, s:s, s:b}", "code", b->cfg->code, "slug", b->cfg->slug,
                          "name", b->cfg->name, "in_service", b->in_service);
    json_object_set_new(j, "plugin", b->plugin ? json_pack("{s:s, s:s}", "name", b->plugin->name,
                                                           "version", b->plugin->version)
                                               : json_null());
    json_object_set_new(j, "reason", b->in_service ? json_null() : json_string(b->reason));
    return j;
}

static void handle_boards(struct links_request *req, const struct links_route_args *a)
{
    json_t *list = json_array();
    const struct links_boards *boards = req->worker->boards;
    for (int i = 0; i < boards->n; i++)
        json_array_append_new(list, board_summary(&boards->board[i]));
    links_respond_json(req, 200, json_pack("{s:o}", "boards", list));
}

static void handle_categories(struct links_request *req, const struct links_route_args *a)
{
    PGresult *r;
    const char *state, *message;
    enum links_db_status st = links_db_query(req->worker->db, req->arena, NULL, "categories", 0, NULL,
                                             &r, &state, &message);
    if (st != LINKS_DB_OK) {
        links_respond_db_failure(req, st, "categories", state, message);
        return;
    }
    json_t *list = json_array();
    for (int i = 0; i < PQntuples(r); i++) {
        json_t *c = json_pack("{s:s, s:s, s:i}", "slug", PQgetvalue(r, i, 0), "name", PQgetvalue(r, i, 1),
                              "level", atoi(PQgetvalue(r, i, 3)));
        json_object_set_new(c, "parent", PQgetisnull(r, i, 2) ? json_null() : json_string(PQgetvalue(r, i, 2)));
        json_array_append_new(list, c);
    }
    links_respond_json(req, 200, json_pack("{s:o}", "categories", list));
}

static void handle_health(struct links_request *req, const struct links_route_args *a)
{
    links_respond_json(req, 200, json_pack("{s:s}", "status", "ok"));
}

static void handle_ready(struct links_request *req, const struct links_route_args *a)
{
    const struct links_boards *boards = req->worker->boards;
    json_t *list = json_array();
    int out_of_service = 0;
    for (int i = 0; i < boards->n; i++) {
        json_array_append_new(list, board_summary(&boards->board[i]));
        out_of_service += !boards->board[i].in_service;
    }
    int db_ok = links_db_connect(req->worker->db) == LINKS_DB_OK;
    json_t *doc = json_pack("{s:s, s:s, s:o}", "status",
                            !db_ok ? "unavailable" : out_of_service ? "degraded" : "ready",
                            "database", db_ok ? "ok" : "unreachable", "boards", list);
    if (!db_ok)
        links_add_header(req, "Retry-After", "1");
    links_respond_json(req, db_ok ? 200 : 503, doc);
}

static void not_found(struct links_request *req)
{
    links_respond_problem(req, 404, "Not found", "There is nothing at this address.", NULL);
}

/* Resolve {board}: unknown is 404, out of service is 503 with the reason. */
static const struct links_board *find_board(struct links_request *req, const char *key)
{
    const struct links_board *b = links_boards_find(req->worker->boards, key);
    if (b == NULL) {
        int printable = strlen(key) <= 40 && links_utf8_valid(key, strlen(key));
        for (const char *c = key; printable && *c != '\0'; c++)
            printable = (unsigned char)*c >= 0x20;
        links_respond_problem(req, 404, "Unknown board",
                              links_arena_printf(req->arena,
                                                 "There is no board %s%s%s. GET /api/v1/boards lists the boards by code and slug.",
                                                 printable ? "\"" : "with that name", printable ? key : "",
                                                 printable ? "\"" : ""), NULL);
        return NULL;
    }
    if (!b->in_service) {
        links_add_header(req, "Retry-After", "60");
        links_respond_problem(req, 503, "Board out of service",
                              links_arena_printf(req->arena, "%s is out of service: %s", b->cfg->name,
                                                 b->reason), NULL);
        return NULL;
    }
    req->board = b;
    return b;
}

static void handle_board(struct links_request *req, const struct links_route_args *a)
{
    links_respond_json(req, 200, board_summary(a->board));
}

static void handle_resources(struct links_request *req, const struct links_route_args *a)
{
    links_handle_resources(req, a->board);
}

static void handle_resource(struct links_request *req, const struct links_route_args *a)
{
    links_handle_resource(req, a->board, a->id);
}

enum {
    TAKES_QUERY = 1,        /* query parameters are the handler's to check */
    OWN_ID_CHECK = 2        /* the handler answers a malformed {id} itself */
};

struct route {
    const char *method;
    const char *pattern;
    enum links_permission perm;
    int flags;
    links_handler *handler;
};

#define HSDS_ROUTE(path, handler) { "GET", path, LINKS_PERM_PUBLIC, TAKES_QUERY | OWN_ID_CHECK, handler }
#define HSDS_ROUTES(base) \
    HSDS_ROUTE(base, links_handle_hsds_root), \
    HSDS_ROUTE(base "/services", links_handle_hsds_services), \
    HSDS_ROUTE(base "/services/{id}", links_handle_hsds_service), \
    HSDS_ROUTE(base "/organizations", links_handle_hsds_organizations), \
    HSDS_ROUTE(base "/organizations/{id}", links_handle_hsds_organization), \
    HSDS_ROUTE(base "/taxonomies", links_handle_hsds_taxonomies), \
    HSDS_ROUTE(base "/taxonomies/{id}", links_handle_hsds_taxonomy), \
    HSDS_ROUTE(base "/taxonomy_terms", links_handle_hsds_taxonomy_terms), \
    HSDS_ROUTE(base "/taxonomy_terms/{id}", links_handle_hsds_taxonomy_term), \
    HSDS_ROUTE(base "/service_at_locations", links_handle_hsds_service_at_locations), \
    HSDS_ROUTE(base "/service_at_locations/{id}", links_handle_hsds_service_at_location)

/* docs/PERMISSIONS.md lists these routes with their permissions. */
static const struct route routes[] = {
    { "GET", "/healthz", LINKS_PERM_PUBLIC, 0, handle_health },
    { "GET", "/readyz", LINKS_PERM_PUBLIC, 0, handle_ready },
    { "GET", "/api/v1/boards", LINKS_PERM_PUBLIC, 0, handle_boards },
    { "GET", "/api/v1/categories", LINKS_PERM_PUBLIC, 0, handle_categories },
    { "GET", "/api/v1/boards/{board}", LINKS_PERM_PUBLIC, 0, handle_board },
    { "GET", "/api/v1/boards/{board}/resources", LINKS_PERM_PUBLIC, TAKES_QUERY, handle_resources },
    { "GET", "/api/v1/boards/{board}/resources/{id}", LINKS_PERM_PUBLIC, TAKES_QUERY | OWN_ID_CHECK,
      handle_resource },

    { "POST", "/api/v1/boards/{board}/session", LINKS_PERM_PUBLIC, 0, links_handle_sign_in },
    { "POST", "/api/v1/session", LINKS_PERM_PUBLIC, 0, links_handle_sign_in },
    { "GET", "/api/v1/session", LINKS_PERM_OWN_SESSION, 0, links_handle_session_get },
    { "DELETE", "/api/v1/session", LINKS_PERM_OWN_SESSION, 0, links_handle_sign_out },
    { "POST", "/api/v1/session/password", LINKS_PERM_OWN_SESSION, 0, links_handle_password_change },

    { "GET", "/api/v1/boards/{board}/staff", LINKS_PERM_STAFF_READ, 0, links_handle_staff_list },
    { "POST", "/api/v1/boards/{board}/staff", LINKS_PERM_STAFF_MANAGE, 0, links_handle_staff_create },
    { "GET", "/api/v1/boards/{board}/staff/{id}", LINKS_PERM_STAFF_READ, 0, links_handle_staff_get },
    { "PATCH", "/api/v1/boards/{board}/staff/{id}", LINKS_PERM_STAFF_MANAGE, 0, links_handle_staff_update },
    { "POST", "/api/v1/boards/{board}/staff/{id}/password", LINKS_PERM_STAFF_MANAGE, 0,
      links_handle_staff_password_reset },

    { "GET", "/api/v1/boards/{board}/practices", LINKS_PERM_PRACTICE_READ, 0, links_handle_practice_list },
    { "POST", "/api/v1/boards/{board}/practices", LINKS_PERM_PRACTICE_MANAGE, 0, links_handle_practice_create },
    { "GET", "/api/v1/boards/{board}/practices/{id}", LINKS_PERM_PRACTICE_READ, 0, links_handle_practice_get },
    { "PATCH", "/api/v1/boards/{board}/practices/{id}", LINKS_PERM_PRACTICE_MANAGE, 0,
      links_handle_practice_update },

    { "GET", "/api/v1/boards/{board}/tokens", LINKS_PERM_TOKEN_MANAGE, 0, links_handle_token_list },
    { "POST", "/api/v1/boards/{board}/tokens", LINKS_PERM_TOKEN_MANAGE, 0, links_handle_token_create },
    { "DELETE", "/api/v1/boards/{board}/tokens/{id}", LINKS_PERM_TOKEN_MANAGE, 0, links_handle_token_revoke },

    { "POST", "/api/v1/boards/{board}/referrals/preview", LINKS_PERM_REFERRAL_CREATE, 0,
      links_handle_referral_preview },
    { "POST", "/api/v1/boards/{board}/referrals", LINKS_PERM_REFERRAL_CREATE, 0, links_handle_referral_create },
    { "GET", "/api/v1/boards/{board}/caseload", LINKS_PERM_CASELOAD, 0, links_handle_caseload },
    { "GET", "/api/v1/boards/{board}/referrals/{id}", LINKS_PERM_PATIENT_READ, OWN_ID_CHECK, links_handle_referral_get },
    { "POST", "/api/v1/boards/{board}/referrals/{id}/status", LINKS_PERM_CASELOAD, OWN_ID_CHECK,
      links_handle_referral_status },
    { "POST", "/api/v1/boards/{board}/referrals/{id}/contacts", LINKS_PERM_CASELOAD, OWN_ID_CHECK,
      links_handle_referral_contact },
    { "POST", "/api/v1/boards/{board}/referrals/{id}/follow-up", LINKS_PERM_CASELOAD, OWN_ID_CHECK,
      links_handle_referral_follow_up },
    { "POST", "/api/v1/boards/{board}/referrals/{id}/wellbeing", LINKS_PERM_CASELOAD, OWN_ID_CHECK,
      links_handle_referral_wellbeing },
    { "POST", "/api/v1/boards/{board}/referrals/{id}/refer-on", LINKS_PERM_CASELOAD, OWN_ID_CHECK,
      links_handle_referral_on },

    { "GET", "/api/v1/boards/{board}/signposts", LINKS_PERM_SIGNPOST_CREATE, TAKES_QUERY, links_handle_signpost_list },
    { "POST", "/api/v1/boards/{board}/signposts", LINKS_PERM_SIGNPOST_CREATE, 0, links_handle_signpost_create },
    { "POST", "/api/v1/boards/{board}/signposts/{id}/withdraw", LINKS_PERM_SIGNPOST_CREATE, OWN_ID_CHECK,
      links_handle_signpost_withdraw },

    { "GET", "/api/v1/boards/{board}/reports/practices", LINKS_PERM_REPORT_READ, TAKES_QUERY,
      links_handle_report_practices },
    { "GET", "/api/v1/boards/{board}/reports/outcomes", LINKS_PERM_REPORT_READ, TAKES_QUERY,
      links_handle_report_outcomes },
    { "GET", "/api/v1/boards/{board}/reports/regional", LINKS_PERM_REPORT_READ, TAKES_QUERY,
      links_handle_report_regional },
    { "GET", "/api/v1/boards/{board}/reports/directory", LINKS_PERM_REPORT_READ, TAKES_QUERY,
      links_handle_report_directory },

    { "GET", "/api/v1/boards/{board}/audit", LINKS_PERM_AUDIT_READ, TAKES_QUERY, links_handle_audit_list },
    { "GET", "/api/v1/audit", LINKS_PERM_DEPLOYMENT_AUDIT_READ, TAKES_QUERY, links_handle_audit_list },

    { "GET", "/api/v1/boards/{board}/directory/services", LINKS_PERM_DIRECTORY_EDIT, TAKES_QUERY,
      links_handle_directory_list },
    { "POST", "/api/v1/boards/{board}/directory/services", LINKS_PERM_DIRECTORY_EDIT, 0, links_handle_directory_create },
    { "GET", "/api/v1/boards/{board}/directory/services/{id}", LINKS_PERM_DIRECTORY_EDIT, 0, links_handle_directory_get },
    { "PATCH", "/api/v1/boards/{board}/directory/services/{id}", LINKS_PERM_DIRECTORY_EDIT, 0,
      links_handle_directory_update },
    { "POST", "/api/v1/boards/{board}/directory/services/{id}/review", LINKS_PERM_DIRECTORY_EDIT, 0,
      links_handle_directory_review },
    { "GET", "/api/v1/boards/{board}/directory/services/{id}/history", LINKS_PERM_DIRECTORY_EDIT, 0,
      links_handle_directory_history },
    { "GET", "/api/v1/boards/{board}/directory/freshness", LINKS_PERM_DIRECTORY_EDIT, 0,
      links_handle_directory_freshness },
    { "GET", "/api/v1/boards/{board}/directory/settings", LINKS_PERM_DIRECTORY_EDIT, 0, links_handle_directory_settings },
    { "PATCH", "/api/v1/boards/{board}/directory/settings", LINKS_PERM_DIRECTORY_SETTINGS, 0,
      links_handle_directory_settings_update },

    /* Open Referral HSDS: the whole deployment's directory, then one
     * board's (board slugs cannot be these collection names: config.c). */
    HSDS_ROUTES("/hsds"),
    HSDS_ROUTES("/hsds/{board}"),
};

/* Does the path fit the pattern? Fills board key and id. */
static int path_matches(const struct path *p, const char *pattern, const char **board_key, const char **id)
{
    int i = 0;
    const char *s = pattern;
    while (*s == '/')
        s++;
    while (*s != '\0') {
        const char *slash = strchr(s, '/');
        size_t len = slash ? (size_t)(slash - s) : strlen(s);
        if (i >= p->n)
            return 0;
        if (len == 7 && strncmp(s, "{board}", 7) == 0)
            *board_key = p->seg[i];
        else if (len == 4 && strncmp(s, "{id}", 4) == 0)
            *id = p->seg[i];
        else if (strlen(p->seg[i]) != len || strncmp(p->seg[i], s, len) != 0)
            return 0;
        i++;
        s += len;
        while (*s == '/')
            s++;
    }
    return i == p->n;
}

static int is_safe(const char *method)
{
    return strcmp(method, "GET") == 0 || strcmp(method, "HEAD") == 0;
}

/* A browser names the page that sent a request in Origin: a change sent
 * from any other site's page is refused, whatever it carries. */
static int same_origin(struct links_request *req)
{
    const char *origin = req->in.origin;
    if (origin == NULL || is_safe(req->method))
        return 1;
    const char *scheme = req->in.https ? "https://" : "http://";
    size_t sl = strlen(scheme);
    if (req->in.host != NULL && strncasecmp(origin, scheme, sl) == 0 &&
        strcasecmp(origin + sl, req->in.host) == 0)
        return 1;
    links_respond_problem(req, 403, "Cross-site request refused",
                          "This change was sent from another site's page and has been refused.", NULL);
    return 0;
}

static void method_not_allowed(struct links_request *req, const char *allow)
{
    links_add_header(req, "Allow", allow);
    links_respond_problem(req, 405, "Method not allowed",
                          links_arena_printf(req->arena, "%s is not allowed here; use %s.", req->method,
                                             allow), NULL);
}

void links_route(struct links_request *req)
{
    req->principal = &links_anonymous;
    struct path p;
    if (split_path(req, &p) < 0) {
        not_found(req);
        return;
    }
    if (links_parse_query(req) < 0)
        return;
    const char *method = strcmp(req->method, "HEAD") == 0 ? "GET" : req->method;
    const struct route *route = NULL;
    const char *board_key = NULL, *id = NULL;
    char allow[64] = "";
    for (size_t i = 0; i < sizeof routes / sizeof routes[0]; i++) {
        const char *bk = NULL, *rid = NULL;
        if (!path_matches(&p, routes[i].pattern, &bk, &rid))
            continue;
        if (strcmp(routes[i].method, method) == 0) {
            route = &routes[i];
            board_key = bk;
            id = rid;
            break;
        }
        size_t n = strlen(allow);
        snprintf(allow + n, sizeof allow - n, "%s%s%s", n ? ", " : "", routes[i].method,
                 strcmp(routes[i].method, "GET") == 0 ? ", HEAD" : "");
    }
    if (route == NULL) {
        if (allow[0] != '\0')
            method_not_allowed(req, links_arena_strdup(req->arena, allow));
        else
            not_found(req);
        return;
    }
    struct links_route_args args = { NULL, id };
    if (board_key != NULL && (args.board = find_board(req, board_key)) == NULL)
        return;
    if (!(route->flags & TAKES_QUERY) && req->nparams > 0) {
        struct links_validation v;
        links_validation_init(&v);
        links_validation_add(&v, req->params[0].name, "is not a parameter of this endpoint");
        links_validation_respond(req, &v);
        return;
    }
    if (!same_origin(req))
        return;
    if (route->perm != LINKS_PERM_PUBLIC) {
        if (links_authenticate(req) < 0)
            return;
        if (!links_authorize(req, route->perm, args.board ? args.board->cfg->code : NULL))
            return;
    }
    if (id != NULL && !(route->flags & OWN_ID_CHECK)) {
        if (!links_uuid_valid(id)) {
            not_found(req);
            return;
        }
        /* One spelling of each id, as PostgreSQL prints it: handlers compare
         * ids as strings (is this my own account?). */
        char *lower = links_arena_strdup(req->arena, id);
        for (char *c = lower; c != NULL && *c != '\0'; c++)
            *c = (char)tolower((unsigned char)*c);
        args.id = lower;
    }
    route->handler(req, &args);
}
