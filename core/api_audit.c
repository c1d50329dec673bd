/* api_audit.c — GET /api/v1/boards/{board}/audit: a board's audit log for
 * its administrators, newest first; GET /api/v1/audit: the deployment's
 * own entries (system administrators' sign-ins, failures and lockouts),
 * for system administrators.
 *
 * Filters (all optional, combined with AND): action (exact, or a prefix
 * ending in "." such as "sign_in."), actor (username), object_id, from and
 * to (dates, UK), before (an entry id: the next page), limit (1-200). */
#include <stdio.h>
#include <string.h>

#include "api.h"
#include "api_sql.h"
#include "search.h"
#include "validate.h"
#include "worker.h"

static const char list_sql[] =
    "SELECT json_build_object('entries', coalesce(json_agg(json_build_object("
    "  'id', a.id, 'at', " UTC("a.at") ", 'actor', a.actor_name, 'actor_role', a.actor_role,"
    "  'actor_id', a.actor_id, 'via_token', a.actor_token_id, 'client_address', a.client_address,"
    "  'action', a.action, 'object_type', a.object_type, 'object_id', a.object_id,"
    "  'reason', a.reason, 'detail', a.detail, 'request_id', a.request_id) ORDER BY a.id DESC), '[]'),"
    "  'next_before', CASE WHEN count(*) = $7::int THEN min(a.id) END)::text"
    " FROM (SELECT * FROM audit_log a WHERE" BOARD_FILTER("a")
    "  AND ($1::text IS NULL OR a.action = $1 OR (right($1, 1) = '.' AND starts_with(a.action, $1)))"
    "  AND ($2::text IS NULL OR lower(a.actor_name) = lower($2))"
    "  AND ($3::text IS NULL OR a.object_id = $3)"
    "  AND ($4::date IS NULL OR a.at >= ($4::date::timestamp AT TIME ZONE 'Europe/London'))"
    "  AND ($5::date IS NULL OR a.at < (($5::date + 1)::timestamp AT TIME ZONE 'Europe/London'))"
    "  AND ($6::bigint IS NULL OR a.id < $6::bigint)"
    "  ORDER BY a.id DESC LIMIT $7::int) a";

int links_api_audit_register(void);
int links_api_audit_register(void)
{
    static const struct links_statement s = { "audit_list", list_sql, 0, NULL };
    return links_db_register(&s);
}

static int date_valid(const char *s)
{
    long y, m, d;
    char tail;
    return strlen(s) == 10 && sscanf(s, "%4ld-%2ld-%2ld%c", &y, &m, &d, &tail) == 3 && y >= 1 &&
           y <= 2999 && m >= 1 && m <= 12 && d >= 1 && d <= 31 && s[4] == '-' && s[7] == '-';
}

void links_handle_audit_list(struct links_request *req, const struct links_route_args *a)
{
    static const char *const known[] = { "action", "actor", "object_id", "from", "to", "before",
                                         "limit", NULL };
    struct links_validation v;
    links_validation_init(&v);
    for (int i = 0; i < req->nparams; i++) {
        int ok = 0;
        for (const char *const *k = known; *k && !ok; k++)
            ok = strcmp(*k, req->params[i].name) == 0;
        if (!ok)
            links_validation_add(&v, req->params[i].name, "is not a parameter of this endpoint");
    }
    const char *action = links_param(req, "action"), *actor = links_param(req, "actor"),
               *object = links_param(req, "object_id"), *from = links_param(req, "from"),
               *to = links_param(req, "to"), *before = links_param(req, "before"),
               *limit = links_param(req, "limit");
    if (action && (strlen(action) == 0 || strlen(action) > 60))
        links_validation_add(&v, "action", "must be 1 to 60 characters");
    if (actor && (strlen(actor) == 0 || strlen(actor) > 70))
        links_validation_add(&v, "actor", "must be 1 to 70 characters");
    if (object && (strlen(object) == 0 || strlen(object) > 80))
        links_validation_add(&v, "object_id", "must be 1 to 80 characters");
    if (from && !date_valid(from))
        links_validation_add(&v, "from", "must be a date, YYYY-MM-DD");
    if (to && !date_valid(to))
        links_validation_add(&v, "to", "must be a date, YYYY-MM-DD");
    if (from && to && date_valid(from) && date_valid(to) && strcmp(from, to) > 0)
        links_validation_add(&v, "to", "must not be before from");
    long n;
    if (before && links_parse_int(before, 1, 9000000000000000000L, &n) != 0)
        links_validation_add(&v, "before", "must be an entry id (a positive whole number)");
    long lim = 50;
    if (limit && links_parse_int(limit, 1, 200, &lim) != 0)
        links_validation_add(&v, "limit", "must be a whole number from 1 to 200");
    if (links_validation_failed(&v)) {
        links_validation_respond(req, &v);
        return;
    }
    links_validation_free(&v);
    char lim_text[16];
    snprintf(lim_text, sizeof lim_text, "%ld", lim);
    const char *qv[7] = { action, actor, object, from, to, before, lim_text };
    PGresult *r;
    const char *state, *message;
    enum links_db_status st = links_db_query(req->worker->db, req->arena, links_api_board_code(a),
                                             "audit_list", 7, qv, &r, &state, &message);
    if (st != LINKS_DB_OK) {
        if (st == LINKS_DB_ERROR && strncmp(state, "22", 2) == 0) {
            links_respond_problem(req, 400, "Invalid request", "A date given is not a real date.", NULL);
            return;
        }
        links_respond_db_failure(req, st, "audit list", state, message);
        return;
    }
    links_respond_raw_json(req, 200, PQgetvalue(r, 0, 0));
}
