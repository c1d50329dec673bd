/* api_token.c — API tokens for other front ends and integrations: each
 * belongs to one board, acts with one role, is shown once when made and
 * stored only as a hash, and can be revoked.
 *
 *   GET    /api/v1/boards/{board}/tokens
 *   POST   /api/v1/boards/{board}/tokens        {name, role, practice_id?, expires_in_days?}
 *   DELETE /api/v1/boards/{board}/tokens/{id}   revoke */
#include <stdio.h>
#include <string.h>

#include "api.h"
#include "api_sql.h"
#include "audit.h"
#include "auth.h"
#include "validate.h"
#include "worker.h"

#define TOKEN_JSON \
    "json_build_object('id', t.id, 'name', t.name, 'role', t.role, 'practice_id', t.practice_id," \
    " 'created_at', " UTC("t.created_at") ", 'expires_at', " UTC("t.expires_at") "," \
    " 'last_used_at', " UTC("t.last_used_at") ", 'revoked_at', " UTC("t.revoked_at") "," \
    " 'active', t.revoked_at IS NULL AND (t.expires_at IS NULL OR t.expires_at > now()))"

static const char list_sql[] =
    "SELECT json_build_object('tokens', coalesce(json_agg(" TOKEN_JSON " ORDER BY t.created_at DESC), '[]'))::text"
    " FROM api_token t WHERE" BOARD_FILTER("t");

static const char create_sql[] =
    "INSERT INTO api_token AS t (board_id, token_hash, name, role, practice_id, created_by,"
    " created_by_board_key, expires_at)"
    " VALUES (current_board_id(), $1::bytea, $2, $3, $4::uuid, $5::uuid,"
    "  coalesce((SELECT id FROM board WHERE code = $6), 0),"
    "  CASE WHEN $7::int IS NULL THEN NULL ELSE now() + make_interval(days => $7::int) END)"
    " RETURNING " TOKEN_JSON "::text, t.id";

static const char revoke_sql[] =
    "UPDATE api_token t SET revoked_at = coalesce(t.revoked_at, now())"
    " WHERE t.id = $1::uuid AND" BOARD_FILTER("t") " RETURNING " TOKEN_JSON "::text";

int links_api_token_register(void);
int links_api_token_register(void)
{
    static const struct links_statement s[] = {
        { "token_list", list_sql, 0, NULL },
        { "token_create", create_sql, 0, NULL },
        { "token_revoke", revoke_sql, 0, NULL },
    };
    return links_db_register_all(s, sizeof s / sizeof s[0]);
}

void links_handle_token_list(struct links_request *req, const struct links_route_args *a)
{
    links_api_respond_row(req, links_api_board_code(a), "token_list", 0, NULL, 200);
}

void links_handle_token_create(struct links_request *req, const struct links_route_args *a)
{
    static const char *const known[] = { "name", "role", "practice_id", "expires_in_days", NULL };
    struct links_fields f;
    struct links_validation v;
    if (links_api_fields(req, &f, &v, known) < 0)
        return;
    const char *name = links_field_string(&f, "name", 1, 100, NULL);
    const char *role = links_field_string(&f, "role", 1, 40, NULL);
    enum links_role r = links_role_parse(role);
    if (role != NULL && (r == LINKS_ROLE_NONE || r == LINKS_ROLE_SYSTEM_ADMIN))
        links_validation_add(&v, "role", "must be one of receptionist, practice_nurse, gp, links_worker, "
                                         "champion, board_admin");
    else if (role != NULL && !links_role_may_assign(req->principal->role, r))
        links_validation_add(&v, "role", "is not a role you may give");
    const char *practice = links_field_is_null(&f, "practice_id")
                               ? NULL : links_field_string(&f, "practice_id", 0, 36, NULL);
    if (practice != NULL && !links_uuid_valid(practice))
        links_validation_add(&v, "practice_id", "must be a practice id (a UUID) or null");
    long days = 0;
    int days_given = links_field_int(&f, "expires_in_days", 0, 1, 3650, &days) == 0;
    if (links_validation_failed(&v)) {
        links_validation_respond(req, &v);
        return;
    }
    links_validation_free(&v);
    const char *board = links_api_board_code(a);
    char token[LINKS_TOKEN_MAX], hash[2 * LINKS_TOKEN_HASH_BYTES + 3], days_text[16];
    if (links_token_new(board, token, hash) < 0) {
        links_respond_problem(req, 500, "Internal error", "A token could not be made.", NULL);
        return;
    }
    snprintf(days_text, sizeof days_text, "%ld", days);
    if (links_api_begin(req, board) < 0)
        return;
    const char *cv[7] = { hash, name, role, practice, req->principal->staff_id,
                          req->principal->actor_board_code, days_given ? days_text : NULL };
    const char *state = "", *message = "";
    PGresult *res;
    enum links_db_status st = links_db_exec(req->worker->db, req->arena, "token_create", 7, cv, &res,
                                            &state, &message);
    json_t *doc = NULL;
    if (st == LINKS_DB_OK) {
        doc = json_loads(PQgetvalue(res, 0, 0), 0, NULL);
        json_t *detail = json_pack("{s:s, s:s}", "name", name, "role", role);
        struct links_audit_entry e = { .action = "token.created", .object_type = "api_token",
                                       .object_id = PQgetvalue(res, 0, 1), .detail = detail };
        st = links_audit_tx(req, &e, &state, &message);
        json_decref(detail);
    }
    if (links_api_commit(req, st, state, message, "token create", NULL, "practice_id", "is not a practice of this board") < 0 || doc == NULL) {
        json_decref(doc);
        if (req->status < 400)
            links_respond_problem(req, 503, "Service temporarily overloaded",
                                  "The server ran out of memory for this request.", NULL);
        return;
    }
    /* The only time the token is seen: it is not stored, only its hash. */
    json_object_set_new(doc, "token", json_string(token));
    links_respond_json(req, 201, doc);
}

void links_handle_token_revoke(struct links_request *req, const struct links_route_args *a)
{
    const char *board = links_api_board_code(a);
    if (links_api_begin(req, board) < 0)
        return;
    const char *rv[1] = { a->id };
    const char *state = "", *message = "";
    PGresult *res;
    enum links_db_status st = links_db_exec(req->worker->db, req->arena, "token_revoke", 1, rv, &res,
                                            &state, &message);
    if (st == LINKS_DB_OK && PQntuples(res) != 1) {
        links_db_rollback(req->worker->db);
        links_respond_problem(req, 404, "Not found", "There is nothing at this address.", NULL);
        return;
    }
    const char *doc = st == LINKS_DB_OK ? links_arena_strdup(req->arena, PQgetvalue(res, 0, 0)) : NULL;
    struct links_audit_entry e = { .action = "token.revoked", .object_type = "api_token",
                                   .object_id = a->id };
    if (st == LINKS_DB_OK)
        st = links_audit_tx(req, &e, &state, &message);
    if (links_api_commit(req, st, state, message, "token revoke", NULL, NULL, NULL) < 0)
        return;
    links_respond_raw_json(req, 200, doc);
}
