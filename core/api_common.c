/* api_common.c — what the staff endpoints share: statements whose answer
 * PostgreSQL builds as JSON, and mapping database errors to problems. */
#include "api.h"

#include <string.h>

#include "audit.h"
#include "auth.h"
#include "log.h"
#include "search.h"
#include "worker.h"

const char *links_api_board_code(const struct links_route_args *a)
{
    return a->board != NULL ? a->board->cfg->code : NULL;
}

const char *links_api_value(PGresult *r, int col)
{
    return PQntuples(r) < 1 || PQgetisnull(r, 0, col) ? NULL : PQgetvalue(r, 0, col);
}

void links_api_db_failed(struct links_request *req, enum links_db_status st, const char *what,
                         const char *sqlstate, const char *message, const char *conflict,
                         const char *missing_field, const char *missing)
{
    if (st == LINKS_DB_ERROR && strcmp(sqlstate, "23505") == 0 && conflict != NULL) {
        links_respond_problem(req, 409, "Already exists", conflict, NULL);
        return;
    }
    /* Only the foreign key of that field (its constraint, named after the
     * column, is in the message): any other is a bug, not bad input. */
    if (st == LINKS_DB_ERROR && strcmp(sqlstate, "23503") == 0 && missing != NULL &&
        strstr(message, missing_field) != NULL) {
        struct links_validation v;
        links_validation_init(&v);
        links_validation_add(&v, missing_field, "%s", missing);
        links_validation_respond(req, &v);
        return;
    }
    links_respond_db_failure(req, st, what, sqlstate, message);
}

void links_api_respond_row(struct links_request *req, const char *board_code, const char *stmt,
                           int nparams, const char *const *values, int status)
{
    PGresult *r;
    const char *state, *message;
    enum links_db_status st = links_db_query(req->worker->db, req->arena, board_code, stmt, nparams,
                                             values, &r, &state, &message);
    if (st != LINKS_DB_OK) {
        links_api_db_failed(req, st, stmt, state, message, NULL, NULL, NULL);
        return;
    }
    if (PQntuples(r) < 1 || PQgetisnull(r, 0, 0)) {
        links_respond_problem(req, 404, "Not found", "There is nothing at this address.", NULL);
        return;
    }
    links_respond_raw_json(req, status, PQgetvalue(r, 0, 0));
}

int links_api_commit(struct links_request *req, enum links_db_status st, const char *state,
                     const char *message, const char *what, const char *conflict,
                     const char *missing_field, const char *missing)
{
    if (st == LINKS_DB_OK)
        st = links_db_commit(req->worker->db, req->arena, &state, &message);
    if (st == LINKS_DB_OK)
        return 0;
    links_db_rollback(req->worker->db);
    links_api_db_failed(req, st, what, state, message, conflict, missing_field, missing);
    return -1;
}

int links_api_hash_password(struct links_request *req, const char *password, char hash[128])
{
    if (links_password_hash(password, hash) == 0)
        return 0;
    links_respond_problem(req, 503, "Service temporarily overloaded",
                          "The password could not be hashed just now; try again.", NULL);
    return -1;
}

int links_api_begin(struct links_request *req, const char *board_code)
{
    const char *state, *message;
    enum links_db_status st = links_db_begin(req->worker->db, req->arena, board_code, &state, &message);
    if (st != LINKS_DB_OK) {
        links_respond_db_failure(req, st, "begin", state, message);
        return -1;
    }
    return 0;
}

int links_api_fields(struct links_request *req, struct links_fields *f, struct links_validation *v,
                     const char *const *known)
{
    json_t *body = links_json_body(req);
    if (body == NULL)
        return -1;
    links_validation_init(v);
    f->obj = body;
    f->v = v;
    links_fields_only(f, known);
    return 0;
}

int links_api_session_register(void);
int links_api_staff_register(void);
int links_api_practice_register(void);
int links_api_token_register(void);
int links_api_audit_register(void);
int links_api_hsds_register(void);
int links_api_directory_register(void);
int links_api_signpost_register(void);
int links_api_referral_register(void);
int links_api_caseload_register(void);
int links_api_report_register(void);
int links_report_common_register(void);
int links_api_report_outcomes_register(void);
int links_api_report_regional_register(void);

int links_api_register(void)
{
    return links_auth_register() < 0 || links_audit_register() < 0 ||
                   links_api_session_register() < 0 || links_api_staff_register() < 0 ||
                   links_api_practice_register() < 0 || links_api_token_register() < 0 ||
                   links_api_audit_register() < 0 || links_api_hsds_register() < 0 || links_api_directory_register() < 0 ||
                   links_api_signpost_register() < 0 || links_api_referral_register() < 0 || links_api_caseload_register() < 0 ||
                   links_api_report_register() < 0 || links_report_common_register() < 0 ||
                   links_api_report_outcomes_register() < 0 || links_api_report_regional_register() < 0
               ? -1 : 0;
}

void links_api_audit_commit(struct links_request *req, enum links_db_status st, const char *state,
                            const char *message, const struct links_audit_entry *e, const char *what, int status,
                            const char *doc)
{
    if (st == LINKS_DB_OK)
        st = links_audit_tx(req, e, &state, &message);
    if (links_api_commit(req, st, state, message, what, NULL, NULL, NULL) == 0)
        links_respond_raw_json(req, status, doc);
}
