/* api_practice.c — a board's GP practices.
 *
 *   GET   /api/v1/boards/{board}/practices        any of the board's staff
 *   POST  /api/v1/boards/{board}/practices        administrators: a new practice
 *   GET   /api/v1/boards/{board}/practices/{id}   any of the board's staff
 *   PATCH /api/v1/boards/{board}/practices/{id}   administrators: list size,
 *                                                 phone, links worker, closed
 *
 * Most practices come from the national practice file (linksctl demo-data
 * loads it); a board adds new ones and keeps what the file does not know:
 * whether a links worker is attached, the current list size, and when a
 * practice closed. Practices are closed, never deleted. */
#include <stdio.h>
#include <string.h>

#include "api.h"
#include "api_sql.h"
#include "audit.h"
#include "validate.h"
#include "worker.h"

#define PRACTICE_JSON \
    "json_build_object('id', p.id, 'code', p.code, 'name', p.name, 'address', p.address," \
    " 'postcode', p.postcode, 'phone', p.phone, 'list_size', p.list_size," \
    " 'list_size_synthetic', p.list_size_synthetic, 'has_links_worker', p.has_links_worker," \
    " 'closed', p.closed_at IS NOT NULL)"

static const char list_sql[] =
    "SELECT json_build_object('practices', coalesce(json_agg(" PRACTICE_JSON " ORDER BY p.name, p.code), '[]'))::text"
    " FROM practice p WHERE" BOARD_FILTER("p");

static const char get_sql[] = "SELECT " PRACTICE_JSON "::text FROM practice p"
                              " WHERE p.id = $1::uuid AND" BOARD_FILTER("p");

static const char update_sql[] =
    "WITH old AS (SELECT p.* FROM practice p WHERE p.id = $1::uuid AND" BOARD_FILTER("p") " FOR UPDATE),"
    " new AS (UPDATE practice p SET"
    "  phone = CASE WHEN $2::boolean THEN $3 ELSE p.phone END,"
    "  list_size = coalesce($4::int, p.list_size),"
    "  list_size_synthetic = p.list_size_synthetic AND $4::int IS NULL,"
    "  has_links_worker = coalesce($5::boolean, p.has_links_worker),"
    "  closed_at = CASE WHEN $6::boolean IS NULL THEN p.closed_at"
    "                   WHEN $6::boolean THEN coalesce(p.closed_at, now()) END"
    "  FROM old WHERE p.board_id = old.board_id AND p.id = old.id RETURNING p.*)"
    " SELECT json_build_object('phone', old.phone, 'list_size', old.list_size,"
    "  'has_links_worker', old.has_links_worker, 'closed', old.closed_at IS NOT NULL)::text,"
    "  json_build_object('phone', new.phone, 'list_size', new.list_size,"
    "  'has_links_worker', new.has_links_worker, 'closed', new.closed_at IS NOT NULL)::text"
    " FROM old JOIN new ON new.id = old.id";

/* Placed at its postcode when the postcode is known. A known postcode of
 * another board's area is refused: the practice would be counted in the
 * wrong board's reports. */
static const char postcode_board_sql[] =
    "SELECT b.name FROM postcode pc JOIN board b ON b.code = pc.board_code"
    " WHERE pc.postcode = $1 AND pc.board_code IS DISTINCT FROM $2";

static const char create_sql[] =
    "INSERT INTO practice AS p (board_id, code, name, address, postcode, phone, list_size, has_links_worker, lat, lon)"
    " SELECT current_board_id(), $1, $2, $3, $4, $5, $6::int, $7::boolean, pc.lat, pc.lon"
    " FROM (SELECT 1) one LEFT JOIN postcode pc ON pc.postcode = $4"
    " RETURNING p.id, " PRACTICE_JSON "::text";

int links_api_practice_register(void);
int links_api_practice_register(void)
{
    static const struct links_statement s[] = {
        { "practice_list", list_sql, 0, NULL },
        { "practice_get", get_sql, 0, NULL },
        { "practice_update", update_sql, 0, NULL },
        { "practice_create", create_sql, 0, NULL },
        { "practice_postcode_board", postcode_board_sql, 0, NULL },
    };
    return links_db_register_all(s, sizeof s / sizeof s[0]);
}

void links_handle_practice_list(struct links_request *req, const struct links_route_args *a)
{
    links_api_respond_row(req, links_api_board_code(a), "practice_list", 0, NULL, 200);
}

void links_handle_practice_get(struct links_request *req, const struct links_route_args *a)
{
    const char *v[1] = { a->id };
    links_api_respond_row(req, links_api_board_code(a), "practice_get", 1, v, 200);
}

void links_handle_practice_create(struct links_request *req, const struct links_route_args *a)
{
    static const char *const known[] = { "code", "name", "address", "postcode", "phone", "list_size",
                                         "has_links_worker", NULL };
    struct links_fields f;
    struct links_validation v;
    if (links_api_fields(req, &f, &v, known) < 0)
        return;
    const char *code = links_field_string(&f, "code", 1, 5, NULL);
    if (code != NULL && (strlen(code) != 5 || strspn(code, "0123456789") != 5))
        links_validation_add(&v, "code", "must be the practice's 5-digit code");
    const char *name = links_field_string(&f, "name", 1, 200, NULL);
    const char *address = links_field_string(&f, "address", 1, 300, NULL);
    const char *postcode_in = links_field_string(&f, "postcode", 1, 10, NULL);
    char postcode[LINKS_POSTCODE_MAX];
    if (postcode_in != NULL && links_place_normalise(postcode_in, postcode) != LINKS_PLACE_POSTCODE)
        links_validation_add(&v, "postcode", "must be a full UK postcode, such as G12 8QQ");
    const char *phone = links_field_is_null(&f, "phone") ? NULL : links_field_string(&f, "phone", 0, 40, NULL);
    long list_size = 0;
    links_field_int(&f, "list_size", 1, 1, 200000, &list_size);
    int links_worker = links_field_bool(&f, "has_links_worker", 0);
    const char *board = links_api_board_code(a);
    if (!links_validation_failed(&v)) {
        PGresult *pr;
        const char *st_state, *st_message;
        const char *pv[2] = { postcode, board };
        enum links_db_status pst = links_db_query(req->worker->db, req->arena, NULL, "practice_postcode_board", 2,
                                                  pv, &pr, &st_state, &st_message);
        if (pst != LINKS_DB_OK) {
            links_validation_free(&v);
            links_api_db_failed(req, pst, "practice postcode", st_state, st_message, NULL, NULL, NULL);
            return;
        }
        if (PQntuples(pr) > 0)
            links_validation_add(&v, "postcode", "is in %s's area, not this board's", PQgetvalue(pr, 0, 0));
    }
    if (links_validation_failed(&v)) {
        links_validation_respond(req, &v);
        return;
    }
    links_validation_free(&v);
    char size_text[16];
    snprintf(size_text, sizeof size_text, "%ld", list_size);
    if (links_api_begin(req, board) < 0)
        return;
    const char *cv[7] = { code, name, address, postcode, phone, size_text, links_worker == 1 ? "true" : "false" };
    const char *state = "", *message = "";
    PGresult *r;
    enum links_db_status st = links_db_exec(req->worker->db, req->arena, "practice_create", 7, cv, &r,
                                            &state, &message);
    const char *id = NULL, *doc = NULL;
    if (st == LINKS_DB_OK) {
        id = links_arena_strdup(req->arena, PQgetvalue(r, 0, 0));
        doc = links_arena_strdup(req->arena, PQgetvalue(r, 0, 1));
        json_t *detail = json_pack("{s:s, s:s}", "code", code, "name", name);
        struct links_audit_entry e = { .action = "practice.created", .object_type = "practice",
                                       .object_id = id, .detail = detail };
        st = links_audit_tx(req, &e, &state, &message);
        json_decref(detail);
    }
    if (links_api_commit(req, st, state, message, "practice create",
                         links_arena_printf(req->arena, "There is already a practice with code %s.", code),
                         NULL, NULL) < 0)
        return;
    links_add_header(req, "Location",
                     links_arena_printf(req->arena, "/api/v1/boards/%s/practices/%s", a->board->cfg->slug, id));
    links_respond_raw_json(req, 201, doc);
}

void links_handle_practice_update(struct links_request *req, const struct links_route_args *a)
{
    static const char *const known[] = { "phone", "list_size", "has_links_worker", "closed", NULL };
    struct links_fields f;
    struct links_validation v;
    if (links_api_fields(req, &f, &v, known) < 0)
        return;
    int phone_given = json_object_get(f.obj, "phone") != NULL;
    const char *phone = links_field_is_null(&f, "phone") ? NULL : links_field_string(&f, "phone", 0, 40, NULL);
    long list_size = 0;
    int list_given = links_field_int(&f, "list_size", 0, 1, 200000, &list_size) == 0;
    int links_worker = links_field_bool(&f, "has_links_worker", 0);
    int closed = links_field_bool(&f, "closed", 0);
    if (!links_validation_failed(&v) && json_object_size(f.obj) == 0)
        links_validation_add(&v, "body", "names nothing to change");
    if (links_validation_failed(&v)) {
        links_validation_respond(req, &v);
        return;
    }
    links_validation_free(&v);
    char size_text[16];
    snprintf(size_text, sizeof size_text, "%ld", list_size);
    const char *board = links_api_board_code(a);
    if (links_api_begin(req, board) < 0)
        return;
    const char *uv[6] = { a->id, phone_given ? "true" : "false", phone, list_given ? size_text : NULL,
                          links_worker < 0 ? NULL : links_worker ? "true" : "false",
                          closed < 0 ? NULL : closed ? "true" : "false" };
    const char *state = "", *message = "";
    PGresult *r;
    enum links_db_status st = links_db_exec(req->worker->db, req->arena, "practice_update", 6, uv, &r,
                                            &state, &message);
    if (st == LINKS_DB_OK && PQntuples(r) != 1) {
        links_db_rollback(req->worker->db);
        links_respond_problem(req, 404, "Not found", "There is nothing at this address.", NULL);
        return;
    }
    if (st == LINKS_DB_OK) {
        json_t *detail = json_pack("{s:o, s:o}", "from", json_loads(PQgetvalue(r, 0, 0), 0, NULL),
                                   "to", json_loads(PQgetvalue(r, 0, 1), 0, NULL));
        struct links_audit_entry e = { .action = "practice.updated", .object_type = "practice",
                                       .object_id = a->id, .detail = detail };
        st = links_audit_tx(req, &e, &state, &message);
        json_decref(detail);
    }
    if (links_api_commit(req, st, state, message, "practice update", NULL, NULL, NULL) < 0)
        return;
    const char *gv[1] = { a->id };
    links_api_respond_row(req, board, "practice_get", 1, gv, 200);
}
