/* api_signpost.c — signposting: a quick record that practice staff gave a
 * patient information about a service, a kind of support or the practice's
 * links worker. No patient identity; one per conversation, counted for the
 * reports.
 *
 *   GET  /api/v1/boards/{board}/signposts                 the practice's latest
 *   POST /api/v1/boards/{board}/signposts                 {service_id | category | links_worker: true,
 *                                                           practice_id (only staff without a practice)}
 *   POST /api/v1/boards/{board}/signposts/{id}/withdraw   made by mistake: kept, left out of reports
 *
 * The practice is the signed-in member's own; staff not attached to a
 * practice (a links worker covering several) name it. */
#include <stdio.h>
#include <string.h>

#include "api.h"
#include "api_sql.h"
#include "audit.h"
#include "auth.h"
#include "validate.h"
#include "worker.h"

#define SIGNPOST_JSON \
    "json_build_object('id', g.id, 'at', " UTC("g.at") ", 'practice_id', g.practice_id," \
    " 'staff', json_build_object('id', g.staff_id, 'name', (SELECT st.display_name FROM staff st" \
    "                                                       WHERE st.id = g.staff_id))," \
    " 'service', (SELECT json_build_object('id', s.id, 'name', s.name) FROM service s WHERE s.id = g.service_id)," \
    " 'category', (SELECT json_build_object('slug', c.slug, 'name', c.name) FROM category c" \
    "              WHERE c.id = g.category_id)," \
    " 'links_worker', g.links_worker, 'withdrawn_at', " UTC("g.withdrawn_at") ")"

/* What a new signpost names, checked before it is written: the service is
 * active and in this board's directory (its own or national), the category
 * exists, the practice is this board's and open, and has a links worker
 * when the signpost is to the links worker. */
static const char check_sql[] =
    "SELECT $1::uuid IS NULL OR EXISTS (SELECT 1 FROM service s WHERE s.id = $1::uuid AND s.status = 'active'"
    "                                    AND (s.board_id = current_board_id() OR s.board_id IS NULL)),"
    "       $2::text IS NULL OR EXISTS (SELECT 1 FROM category c WHERE c.slug = $2::text),"
    "       EXISTS (SELECT 1 FROM practice p WHERE p.id = $3::uuid AND p.closed_at IS NULL AND" BOARD_FILTER("p") "),"
    "       NOT $4::boolean OR EXISTS (SELECT 1 FROM practice p WHERE p.id = $3::uuid AND p.has_links_worker"
    "                                   AND" BOARD_FILTER("p") ")";

static const char create_sql[] =
    "INSERT INTO signpost AS g (board_id, staff_id, practice_id, service_id, category_id, links_worker)"
    " VALUES (current_board_id(), $1::uuid, $2::uuid, $3::uuid, (SELECT c.id FROM category c WHERE c.slug = $4::text),"
    "         $5::boolean)"
    " RETURNING " SIGNPOST_JSON "::text, g.id";

static const char list_sql[] =
    "SELECT json_build_object('practice_id', $1::uuid, 'signposts', coalesce(json_agg(" SIGNPOST_JSON
    " ORDER BY g.at DESC, g.id), '[]'))::text"
    " FROM (SELECT * FROM signpost g WHERE g.practice_id = $1::uuid AND" BOARD_FILTER("g")
    "        ORDER BY g.at DESC, g.id LIMIT 50) g";

/* Only who made it may withdraw it; withdrawing twice changes nothing. */
static const char withdraw_sql[] =
    "UPDATE signpost g SET withdrawn_at = coalesce(g.withdrawn_at, now()),"
    "                      withdrawn_by = coalesce(g.withdrawn_by, $2::uuid)"
    " WHERE g.id = $1::uuid AND g.staff_id = $2::uuid AND" BOARD_FILTER("g")
    " RETURNING " SIGNPOST_JSON "::text";

int links_api_signpost_register(void);
int links_api_signpost_register(void)
{
    static const struct links_statement s[] = {
        { "signpost_check", check_sql, 0, NULL },
        { "signpost_create", create_sql, 0, NULL },
        { "signpost_list", list_sql, 0, NULL },
        { "signpost_withdraw", withdraw_sql, 0, NULL },
    };
    return links_db_register_all(s, sizeof s / sizeof s[0]);
}

void links_handle_signpost_list(struct links_request *req, const struct links_route_args *a)
{
    struct links_validation v;
    links_validation_init(&v);
    for (int i = 0; i < req->nparams; i++)
        if (strcmp(req->params[i].name, "practice_id") != 0)
            links_validation_add(&v, req->params[i].name, "is not a parameter of this endpoint");
    /* staff of a practice see their own practice's; others name one */
    const char *own = req->principal->practice_id, *asked = links_param(req, "practice_id");
    const char *practice = asked ? asked : own;
    if (practice == NULL)
        links_validation_add(&v, "practice_id", "is needed: you are not attached to a practice");
    else if (!links_uuid_valid(practice))
        links_validation_add(&v, "practice_id", "must be a practice id (a UUID)");
    else if (own != NULL && strcmp(practice, own) != 0)
        links_validation_add(&v, "practice_id", "must be your own practice (or left out)");
    if (links_validation_failed(&v)) {
        links_validation_respond(req, &v);
        return;
    }
    links_validation_free(&v);
    const char *pv[1] = { practice };
    links_api_respond_row(req, links_api_board_code(a), "signpost_list", 1, pv, 200);
}

/* Check what the signpost names (in the open transaction); answers 422
 * and returns -1 when something is not so. */
static int check_subject(struct links_request *req, const char *service, const char *category, const char *practice,
                         int links_worker)
{
    const char *cv[4] = { service, category, practice, links_worker ? "true" : "false" };
    const char *state = "", *message = "";
    PGresult *r;
    enum links_db_status st = links_db_exec(req->worker->db, req->arena, "signpost_check", 4, cv, &r, &state,
                                            &message);
    if (st != LINKS_DB_OK) {
        links_db_rollback(req->worker->db);
        links_api_db_failed(req, st, "signpost check", state, message, NULL, NULL, NULL);
        return -1;
    }
    struct links_validation v;
    links_validation_init(&v);
    if (strcmp(PQgetvalue(r, 0, 0), "t") != 0)
        links_validation_add(&v, "service_id", "is not an active service in this board's directory");
    if (strcmp(PQgetvalue(r, 0, 1), "t") != 0)
        links_validation_add(&v, "category", "is not a category of the directory");
    if (strcmp(PQgetvalue(r, 0, 2), "t") != 0)
        links_validation_add(&v, "practice_id", "is not an open practice of this board");
    else if (strcmp(PQgetvalue(r, 0, 3), "t") != 0)
        links_validation_add(&v, "links_worker", "this practice has no links worker");
    if (!links_validation_failed(&v)) {
        links_validation_free(&v);
        return 0;
    }
    links_db_rollback(req->worker->db);
    links_validation_respond(req, &v);
    return -1;
}

void links_handle_signpost_create(struct links_request *req, const struct links_route_args *a)
{
    static const char *const known[] = { "service_id", "category", "links_worker", "practice_id", NULL };
    struct links_fields f;
    struct links_validation v;
    if (links_api_fields(req, &f, &v, known) < 0)
        return;
    const char *service = links_field_string(&f, "service_id", 0, 36, NULL);
    if (service != NULL && !links_uuid_valid(service))
        links_validation_add(&v, "service_id", "must be a service id (a UUID)");
    const char *category = links_field_string(&f, "category", 0, 100, NULL);
    int links_worker = links_field_bool(&f, "links_worker", 0) == 1;
    if ((service != NULL) + (category != NULL) + links_worker != 1 && !links_validation_failed(&v))
        links_validation_add(&v, "service_id",
                             "(or category, or links_worker: true) is needed, exactly one: what the patient was told about");
    /* the practice is the member's own; only staff without one name it */
    const char *practice = req->principal->practice_id;
    const char *given = links_field_string(&f, "practice_id", 0, 36, NULL);
    if (given != NULL && practice != NULL && strcmp(given, practice) != 0)
        links_validation_add(&v, "practice_id", "must be your own practice (or left out)");
    else if (given != NULL && !links_uuid_valid(given))
        links_validation_add(&v, "practice_id", "must be a practice id (a UUID)");
    else if (practice == NULL && given == NULL)
        links_validation_add(&v, "practice_id", "is needed: you are not attached to a practice");
    if (practice == NULL)
        practice = given;
    if (links_validation_failed(&v)) {
        links_validation_respond(req, &v);
        return;
    }
    links_validation_free(&v);
    const char *board = links_api_board_code(a);
    if (links_api_begin(req, board) < 0)
        return;
    if (check_subject(req, service, category, practice, links_worker) < 0)
        return;
    const char *cv[5] = { req->principal->staff_id, practice, service, category, links_worker ? "true" : "false" };
    const char *state = "", *message = "";
    PGresult *r;
    enum links_db_status st = links_db_exec(req->worker->db, req->arena, "signpost_create", 5, cv, &r, &state,
                                            &message);
    const char *doc = st == LINKS_DB_OK ? links_arena_strdup(req->arena, PQgetvalue(r, 0, 0)) : NULL;
    json_t *detail = json_pack("{s:s?, s:s?, s:b, s:s}", "service_id", service, "category", category,
                               "links_worker", links_worker, "practice_id", practice);
    struct links_audit_entry e = { .action = "signpost.created", .object_type = "signpost",
                                   .object_id = st == LINKS_DB_OK ? PQgetvalue(r, 0, 1) : NULL, .detail = detail };
    links_api_audit_commit(req, st, state, message, &e, "signpost create", 201, doc);
    json_decref(detail);
}

void links_handle_signpost_withdraw(struct links_request *req, const struct links_route_args *a)
{
    if (!links_uuid_valid(a->id)) {
        links_respond_problem(req, 404, "Not found", "There is nothing at this address.", NULL);
        return;
    }
    const char *board = links_api_board_code(a);
    if (links_api_begin(req, board) < 0)
        return;
    const char *wv[2] = { a->id, req->principal->staff_id };
    const char *state = "", *message = "";
    PGresult *r;
    enum links_db_status st = links_db_exec(req->worker->db, req->arena, "signpost_withdraw", 2, wv, &r, &state,
                                            &message);
    if (st == LINKS_DB_OK && PQntuples(r) != 1) {
        links_db_rollback(req->worker->db);
        links_respond_problem(req, 404, "Not found",
                              "There is no signpost of yours at this address (only who recorded one may withdraw it).",
                              NULL);
        return;
    }
    const char *doc = st == LINKS_DB_OK ? links_arena_strdup(req->arena, PQgetvalue(r, 0, 0)) : NULL;
    struct links_audit_entry e = { .action = "signpost.withdrawn", .object_type = "signpost", .object_id = a->id };
    links_api_audit_commit(req, st, state, message, &e, "signpost withdraw", 200, doc);
}
