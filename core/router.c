/* router.c — the route table and the small handlers (boards, categories,
 * health). Paths are matched segment by segment; {board} is a code or
 * slug, {id} a resource id. */
#include "router.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "boards.h"
#include "db.h"
#include "log.h"
#include "search.h"
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

static int is(const struct path *p, int i, const char *text)
{
    return i < p->n && strcmp(p->seg[i], text) == 0;
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

static void handle_boards(struct links_request *req)
{
    json_t *list = json_array();
    const struct links_boards *boards = req->worker->boards;
    for (int i = 0; i < boards->n; i++)
        json_array_append_new(list, board_summary(&boards->board[i]));
    links_respond_json(req, 200, json_pack("{s:o}", "boards", list));
}

static void handle_categories(struct links_request *req)
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

static void handle_health(struct links_request *req)
{
    links_respond_json(req, 200, json_pack("{s:s}", "status", "ok"));
}

static void handle_ready(struct links_request *req)
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

static int allow_get(struct links_request *req)
{
    if (strcmp(req->method, "GET") == 0 || strcmp(req->method, "HEAD") == 0)
        return 1;
    links_add_header(req, "Allow", "GET, HEAD");
    links_respond_problem(req, 405, "Method not allowed",
                          links_arena_printf(req->arena, "%s is not allowed here; use GET.",
                                             req->method), NULL);
    return 0;
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

static int no_params(struct links_request *req)
{
    if (req->nparams == 0)
        return 1;
    struct links_validation v;
    links_validation_init(&v);
    links_validation_add(&v, req->params[0].name, "is not a parameter of this endpoint");
    links_validation_respond(req, &v);
    return 0;
}

void links_route(struct links_request *req)
{
    struct path p;
    if (split_path(req, &p) < 0) {
        not_found(req);
        return;
    }
    if (links_parse_query(req) < 0)
        return;

    if (p.n == 1 && is(&p, 0, "healthz")) {
        if (allow_get(req))
            handle_health(req);
        return;
    }
    if (p.n == 1 && is(&p, 0, "readyz")) {
        if (allow_get(req))
            handle_ready(req);
        return;
    }
    if (p.n < 3 || !is(&p, 0, "api") || !is(&p, 1, "v1")) {
        not_found(req);
        return;
    }
    if (p.n == 3 && is(&p, 2, "boards")) {
        if (allow_get(req) && no_params(req))
            handle_boards(req);
        return;
    }
    if (p.n == 3 && is(&p, 2, "categories")) {
        if (allow_get(req) && no_params(req))
            handle_categories(req);
        return;
    }
    if (is(&p, 2, "boards") && p.n >= 4 && p.n <= 6) {
        if (p.n >= 5 && !is(&p, 4, "resources")) {
            not_found(req);
            return;
        }
        if (!allow_get(req))
            return;
        const struct links_board *b = find_board(req, p.seg[3]);
        if (b == NULL)
            return;
        if (p.n == 4) {
            if (no_params(req))
                links_respond_json(req, 200, board_summary(b));
        } else if (p.n == 5) {
            links_handle_resources(req, b);
        } else {
            links_handle_resource(req, b, p.seg[5]);
        }
        return;
    }
    not_found(req);
}
