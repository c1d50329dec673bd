/* audit.c — writing audit_log rows. The board is the transaction's
 * (current_board_id()), so a row can only ever land in the board whose
 * data was touched; row-level security checks it again. */
#include "audit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "boards.h"
#include "log.h"
#include "worker.h"

static const char insert_sql[] =
    "INSERT INTO audit_log (board_id, actor_id, actor_board_key, actor_token_id, actor_name,"
    " actor_role, client_address, action, object_type, object_id, reason, detail, request_id)"
    " VALUES (current_board_id(), $1::uuid,"
    "  CASE WHEN $1 IS NULL THEN NULL ELSE coalesce((SELECT id FROM board WHERE code = $2), 0) END,"
    "  $3::uuid, $4, $5, $6, $7, $8, $9, $10, coalesce($11::jsonb, '{}'), $12) RETURNING id";

int links_audit_register(void)
{
    static const struct links_statement s = { "audit_insert", insert_sql, 0, NULL };
    return links_db_register(&s);
}


static void fill(struct links_request *req, const struct links_audit_entry *e, const char *v[12])
{
    const struct links_principal *p = req->principal;
    int signed_in = p != NULL && p->kind != LINKS_PRINCIPAL_ANONYMOUS;
    v[0] = signed_in ? p->staff_id : e->actor_id;
    v[1] = signed_in ? p->actor_board_code : e->actor_board_code;
    v[2] = signed_in ? p->token_id : NULL;
    v[3] = signed_in ? p->username : e->actor_name;
    v[4] = signed_in ? links_role_name(p->role) : e->actor_role;
    v[5] = req->in.client_address;
    v[6] = e->action;
    v[7] = e->object_type;
    v[8] = e->object_id;
    v[9] = e->reason;
    v[10] = NULL;
    if (e->detail != NULL) {
        char *text = json_dumps(e->detail, JSON_COMPACT);
        if (text != NULL) {
            v[10] = links_arena_strdup(req->arena, text);
            free(text);
        }
    }
    v[11] = req->request_id;
}

enum links_db_status links_audit_tx(struct links_request *req, const struct links_audit_entry *e,
                                    const char **sqlstate, const char **message)
{
    const char *v[12];
    fill(req, e, v);
    return links_db_exec(req->worker->db, req->arena, "audit_insert", 12, v, NULL, sqlstate, message);
}

enum links_db_status links_audit(struct links_request *req, const char *board_code,
                                 const struct links_audit_entry *e)
{
    const char *v[12];
    fill(req, e, v);
    PGresult *r;
    const char *state, *message;
    enum links_db_status st = links_db_query(req->worker->db, req->arena, board_code, "audit_insert",
                                             12, v, &r, &state, &message);
    if (st != LINKS_DB_OK)
        links_error("audit %s could not be recorded (SQLSTATE %s): %s", e->action, state, message);
    return st;
}
