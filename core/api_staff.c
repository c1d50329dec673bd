/* api_staff.c — a board's staff accounts, managed by its administrators.
 *
 *   GET   /api/v1/boards/{board}/staff
 *   POST  /api/v1/boards/{board}/staff
 *   GET   /api/v1/boards/{board}/staff/{id}
 *   PATCH /api/v1/boards/{board}/staff/{id}            name, role, practice, disabled, unlock
 *   POST  /api/v1/boards/{board}/staff/{id}/password   set a new password (to be changed at sign-in)
 *
 * Accounts are never deleted (the audit log refers to them): they are
 * disabled, which also ends their sessions. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "api.h"
#include "api_sql.h"
#include "audit.h"
#include "auth.h"
#include "validate.h"
#include "worker.h"

#define STAFF_JSON \
    "json_build_object('id', s.id, 'username', s.username, 'display_name', s.display_name," \
    " 'role', s.role, 'practice', CASE WHEN p.id IS NULL THEN NULL" \
    "  ELSE json_build_object('id', p.id, 'name', p.name) END," \
    " 'disabled', s.disabled_at IS NOT NULL, 'locked', coalesce(s.locked_until > now(), false)," \
    " 'locked_until', " UTC("s.locked_until") ", 'failed_sign_ins', s.failed_sign_ins," \
    " 'must_change_password', s.must_change_password, 'created_at', " UTC("s.created_at") "," \
    " 'last_sign_in', (SELECT " UTC("max(ss.created_at)") " FROM staff_session ss" \
    "   WHERE ss.board_key = s.board_key AND ss.staff_id = s.id))"

#define STAFF_FROM " FROM staff s LEFT JOIN practice p ON p.board_id = s.board_id AND p.id = s.practice_id "

static const char list_sql[] =
    "SELECT json_build_object('staff', coalesce(json_agg(x.j ORDER BY x.name, x.username), '[]'))::text"
    " FROM (SELECT " STAFF_JSON " AS j, lower(s.display_name) AS name, s.username" STAFF_FROM
    " WHERE" BOARD_FILTER("s") ") x";

static const char get_sql[] = "SELECT " STAFF_JSON "::text" STAFF_FROM
                              " WHERE s.id = $1::uuid AND" BOARD_FILTER("s");

static const char lock_sql[] =
    "SELECT s.role, s.display_name, s.practice_id, s.disabled_at IS NOT NULL,"
    " coalesce(s.locked_until > now(), false) OR s.failed_sign_ins > 0, s.username"
    " FROM staff s WHERE s.id = $1::uuid AND" BOARD_FILTER("s") " FOR UPDATE";

static const char create_sql[] =
    "INSERT INTO staff (board_id, username, display_name, role, practice_id, password_hash,"
    " must_change_password) VALUES (current_board_id(), $1, $2, $3, $4::uuid, $5, true) RETURNING id";

static const char update_sql[] =
    "UPDATE staff SET display_name = coalesce($2, display_name), role = coalesce($3, role),"
    " practice_id = CASE WHEN $4::boolean THEN $5::uuid ELSE practice_id END,"
    " disabled_at = CASE WHEN $6::boolean IS NULL THEN disabled_at"
    "                    WHEN $6::boolean THEN coalesce(disabled_at, now()) END,"
    " failed_sign_ins = CASE WHEN $7::boolean THEN 0 ELSE failed_sign_ins END,"
    " locked_until = CASE WHEN $7::boolean THEN NULL ELSE locked_until END,"
    " updated_at = now() WHERE id = $1::uuid AND" BOARD_FILTER("staff") " RETURNING id";

static const char reset_sql[] =
    "UPDATE staff SET password_hash = $2, must_change_password = true, failed_sign_ins = 0,"
    " locked_until = NULL, password_changed_at = now(), updated_at = now()"
    " WHERE id = $1::uuid AND" BOARD_FILTER("staff") " RETURNING id";

static const char end_sessions_sql[] =
    "UPDATE staff_session SET ended_at = now(), end_reason = $2"
    " WHERE staff_id = $1::uuid AND ended_at IS NULL AND" BOARD_FILTER("staff_session") " RETURNING id";

int links_api_staff_register(void);
int links_api_staff_register(void)
{
    static const struct links_statement s[] = {
        { "staff_list", list_sql, 0, NULL },
        { "staff_get", get_sql, 0, NULL },
        { "staff_lock", lock_sql, 0, NULL },
        { "staff_create", create_sql, 0, NULL },
        { "staff_update", update_sql, 0, NULL },
        { "staff_reset_password", reset_sql, 0, NULL },
        { "staff_end_sessions", end_sessions_sql, 0, NULL },
    };
    return links_db_register_all(s, sizeof s / sizeof s[0]);
}

void links_handle_staff_list(struct links_request *req, const struct links_route_args *a)
{
    links_api_respond_row(req, links_api_board_code(a), "staff_list", 0, NULL, 200);
}

void links_handle_staff_get(struct links_request *req, const struct links_route_args *a)
{
    const char *v[1] = { a->id };
    links_api_respond_row(req, links_api_board_code(a), "staff_get", 1, v, 200);
}

static int username_valid(const char *u)
{
    size_t n = strlen(u);
    if (n < 2 || n > 64 || !(islower((unsigned char)u[0]) || isdigit((unsigned char)u[0])))
        return 0;
    for (const char *c = u; *c != '\0'; c++)
        if (!islower((unsigned char)*c) && !isdigit((unsigned char)*c) && *c != '.' && *c != '_' && *c != '-')
            return 0;
    return 1;
}

/* A role the signed-in administrator may give on this board. */
static const char *role_field(struct links_fields *f, struct links_request *req, int required)
{
    const char *role = links_field_string(f, "role", required, 40, NULL);
    if (role == NULL)
        return NULL;
    enum links_role r = links_role_parse(role);
    if (r == LINKS_ROLE_NONE || r == LINKS_ROLE_SYSTEM_ADMIN) {
        links_validation_add(f->v, "role",
                             "must be one of receptionist, practice_nurse, gp, links_worker, champion, "
                             "board_admin");
        return NULL;
    }
    if (!links_role_may_assign(req->principal->role, r)) {
        links_validation_add(f->v, "role", "is not a role you may give");
        return NULL;
    }
    return role;
}

/* practice_id: a UUID, or null to clear it. *given says whether present. */
static const char *practice_field(struct links_fields *f, int *given)
{
    *given = json_object_get(f->obj, "practice_id") != NULL;
    if (!*given || links_field_is_null(f, "practice_id"))
        return NULL;
    const char *id = links_field_string(f, "practice_id", 0, 36, NULL);
    if (id != NULL && !links_uuid_valid(id)) {
        links_validation_add(f->v, "practice_id", "must be a practice id (a UUID) or null");
        return NULL;
    }
    return id;
}

void links_handle_staff_create(struct links_request *req, const struct links_route_args *a)
{
    static const char *const known[] = { "username", "display_name", "role", "practice_id",
                                         "password", NULL };
    struct links_fields f;
    struct links_validation v;
    if (links_api_fields(req, &f, &v, known) < 0)
        return;
    const char *username = links_field_string(&f, "username", 1, 64, NULL);
    if (username != NULL && !username_valid(username))
        links_validation_add(&v, "username",
                             "must be 2 to 64 lower-case letters, digits, dots, dashes or underscores, "
                             "starting with a letter or digit");
    const char *name = links_field_string(&f, "display_name", 1, 100, NULL);
    const char *role = role_field(&f, req, 1);
    int practice_given;
    const char *practice = practice_field(&f, &practice_given);
    const char *password = links_field_string(&f, "password", 1, 1024, NULL);
    const char *problem = password ? links_password_problem(password) : NULL;
    if (problem != NULL)
        links_validation_add(&v, "password", "%s", problem);
    if (links_validation_failed(&v)) {
        links_validation_respond(req, &v);
        return;
    }
    links_validation_free(&v);
    char hash[128];
    if (links_api_hash_password(req, password, hash) < 0)
        return;
    const char *board = links_api_board_code(a);
    if (links_api_begin(req, board) < 0)
        return;
    const char *state = "", *message = "";
    const char *cv[5] = { username, name, role, practice, hash };
    PGresult *r;
    enum links_db_status st = links_db_exec(req->worker->db, req->arena, "staff_create", 5, cv, &r,
                                            &state, &message);
    const char *id = NULL;
    if (st == LINKS_DB_OK) {
        id = links_arena_strdup(req->arena, PQgetvalue(r, 0, 0));
        json_t *detail = json_pack("{s:s, s:s, s:s?}", "username", username, "role", role,
                                   "practice_id", practice);
        struct links_audit_entry e = { .action = "staff.created", .object_type = "staff",
                                       .object_id = id, .detail = detail };
        st = links_audit_tx(req, &e, &state, &message);
        json_decref(detail);
    }
    if (links_api_commit(req, st, state, message, "staff create",
                         links_arena_printf(req->arena, "There is already an account \"%s\" on this board.", username),
                         "practice_id", "is not a practice of this board") < 0)
        return;
    links_add_header(req, "Location",
                     links_arena_printf(req->arena, "/api/v1/boards/%s/staff/%s", a->board->cfg->slug, id));
    const char *gv[1] = { id };
    links_api_respond_row(req, board, "staff_get", 1, gv, 201);
}

/* The account's username goes into every record, so the log says whose
 * account it was without looking the id up. */
static enum links_db_status audit_change(struct links_request *req, const char *action, const char *id,
                                         const char *username, json_t *detail, const char **state,
                                         const char **message)
{
    if (detail == NULL)
        detail = json_object();
    json_object_set_new(detail, "account", json_string(username));
    struct links_audit_entry e = { .action = action, .object_type = "staff", .object_id = id,
                                   .detail = detail };
    enum links_db_status st = links_audit_tx(req, &e, state, message);
    json_decref(detail);
    return st;
}

void links_handle_staff_update(struct links_request *req, const struct links_route_args *a)
{
    static const char *const known[] = { "display_name", "role", "practice_id", "disabled", "unlock",
                                         NULL };
    struct links_fields f;
    struct links_validation v;
    if (links_api_fields(req, &f, &v, known) < 0)
        return;
    const char *name = links_field_string(&f, "display_name", 0, 100, NULL);
    if (name != NULL && name[0] == '\0')
        links_validation_add(&v, "display_name", "must not be empty");
    const char *role = role_field(&f, req, 0);
    int practice_given;
    const char *practice = practice_field(&f, &practice_given);
    int disabled = links_field_bool(&f, "disabled", 0);
    int unlock = links_field_bool(&f, "unlock", 0);
    if (unlock == 0)
        links_validation_add(&v, "unlock", "can only be true (to unlock the account)");
    if (!links_validation_failed(&v) && json_object_size(f.obj) == 0)
        links_validation_add(&v, "body", "names nothing to change");
    int self = strcmp(a->id, req->principal->staff_id) == 0;
    if (self && disabled == 1)
        links_validation_add(&v, "disabled", "cannot be set on your own account");
    if (self && role != NULL && links_role_parse(role) != req->principal->role)
        links_validation_add(&v, "role", "cannot be changed on your own account");
    if (links_validation_failed(&v)) {
        links_validation_respond(req, &v);
        return;
    }
    links_validation_free(&v);

    const char *board = links_api_board_code(a);
    if (links_api_begin(req, board) < 0)
        return;
    const char *state = "", *message = "";
    PGresult *cur;
    const char *lv[1] = { a->id };
    enum links_db_status st = links_db_exec(req->worker->db, req->arena, "staff_lock", 1, lv, &cur,
                                            &state, &message);
    if (st == LINKS_DB_OK && PQntuples(cur) != 1) {
        links_db_rollback(req->worker->db);
        links_respond_problem(req, 404, "Not found", "There is nothing at this address.", NULL);
        return;
    }
    if (st == LINKS_DB_OK && !links_role_may_assign(req->principal->role, links_role_parse(PQgetvalue(cur, 0, 0)))) {
        links_db_rollback(req->worker->db);
        links_respond_problem(req, 403, "Not allowed for your role",
                              "You may not change this account.", NULL);
        return;
    }
    const char *old_role = st == LINKS_DB_OK ? links_arena_strdup(req->arena, PQgetvalue(cur, 0, 0)) : "";
    const char *target = st == LINKS_DB_OK ? links_arena_strdup(req->arena, PQgetvalue(cur, 0, 5)) : "";
    const char *old_name = st == LINKS_DB_OK ? links_arena_strdup(req->arena, PQgetvalue(cur, 0, 1)) : "";
    const char *old_practice = st == LINKS_DB_OK ? links_api_value(cur, 2) : NULL;
    int was_disabled = st == LINKS_DB_OK && PQgetvalue(cur, 0, 3)[0] == 't';
    int was_locked = st == LINKS_DB_OK && PQgetvalue(cur, 0, 4)[0] == 't';
    const char *uv[7] = { a->id, name, role, practice_given ? "true" : "false", practice,
                          disabled < 0 ? NULL : disabled ? "true" : "false", unlock == 1 ? "true" : "false" };
    if (st == LINKS_DB_OK)
        st = links_db_exec(req->worker->db, req->arena, "staff_update", 7, uv, NULL, &state, &message);
    if (st == LINKS_DB_OK && role != NULL && strcmp(role, old_role) != 0)
        st = audit_change(req, "staff.role_changed", a->id, target,
                          json_pack("{s:s, s:s}", "from", old_role, "to", role), &state, &message);
    if (st == LINKS_DB_OK && disabled >= 0 && disabled != was_disabled) {
        st = audit_change(req, disabled ? "staff.disabled" : "staff.enabled", a->id, target, NULL, &state, &message);
        const char *ev[2] = { a->id, "account disabled" };
        if (st == LINKS_DB_OK && disabled)
            st = links_db_exec(req->worker->db, req->arena, "staff_end_sessions", 2, ev, NULL, &state,
                               &message);
    }
    if (st == LINKS_DB_OK && unlock == 1 && was_locked)
        st = audit_change(req, "staff.unlocked", a->id, target, NULL, &state, &message);
    int name_changed = name != NULL && strcmp(name, old_name) != 0;
    int practice_changed = practice_given && !((practice == NULL && old_practice == NULL) ||
                                               (practice && old_practice && strcasecmp(practice, old_practice) == 0));
    if (st == LINKS_DB_OK && (name_changed || practice_changed)) {
        json_t *d = json_object();
        if (name_changed)
            json_object_set_new(d, "display_name", json_pack("{s:s, s:s}", "from", old_name, "to", name));
        if (practice_changed)
            json_object_set_new(d, "practice_id", json_pack("{s:s?, s:s?}", "from", old_practice, "to", practice));
        st = audit_change(req, "staff.updated", a->id, target, d, &state, &message);
    }
    if (links_api_commit(req, st, state, message, "staff update", NULL, "practice_id",
                         "is not a practice of this board") < 0)
        return;
    const char *gv[1] = { a->id };
    links_api_respond_row(req, board, "staff_get", 1, gv, 200);
}

void links_handle_staff_password_reset(struct links_request *req, const struct links_route_args *a)
{
    static const char *const known[] = { "password", NULL };
    struct links_fields f;
    struct links_validation v;
    if (links_api_fields(req, &f, &v, known) < 0)
        return;
    const char *password = links_field_string(&f, "password", 1, 1024, NULL);
    const char *problem = password ? links_password_problem(password) : NULL;
    if (problem != NULL)
        links_validation_add(&v, "password", "%s", problem);
    if (strcmp(a->id, req->principal->staff_id) == 0)
        links_validation_add(&v, "password", "cannot be set for your own account here: change your own "
                                             "password with POST /api/v1/session/password");
    if (links_validation_failed(&v)) {
        links_validation_respond(req, &v);
        return;
    }
    links_validation_free(&v);
    char hash[128];
    if (links_api_hash_password(req, password, hash) < 0)
        return;
    const char *board = links_api_board_code(a);
    if (links_api_begin(req, board) < 0)
        return;
    const char *state = "", *message = "";
    PGresult *cur;
    const char *lv[1] = { a->id };
    enum links_db_status st = links_db_exec(req->worker->db, req->arena, "staff_lock", 1, lv, &cur,
                                            &state, &message);
    if (st == LINKS_DB_OK && PQntuples(cur) != 1) {
        links_db_rollback(req->worker->db);
        links_respond_problem(req, 404, "Not found", "There is nothing at this address.", NULL);
        return;
    }
    if (st == LINKS_DB_OK && !links_role_may_assign(req->principal->role, links_role_parse(PQgetvalue(cur, 0, 0)))) {
        links_db_rollback(req->worker->db);
        links_respond_problem(req, 403, "Not allowed for your role", "You may not change this account.", NULL);
        return;
    }
    const char *target = st == LINKS_DB_OK ? links_arena_strdup(req->arena, PQgetvalue(cur, 0, 5)) : "";
    const char *rv[2] = { a->id, hash };
    const char *ev[2] = { a->id, "password changed" };
    if (st == LINKS_DB_OK)
        st = links_db_exec(req->worker->db, req->arena, "staff_reset_password", 2, rv, NULL, &state, &message);
    if (st == LINKS_DB_OK)
        st = links_db_exec(req->worker->db, req->arena, "staff_end_sessions", 2, ev, NULL, &state, &message);
    if (st == LINKS_DB_OK)
        st = audit_change(req, "staff.password_reset", a->id, target, NULL, &state, &message);
    if (links_api_commit(req, st, state, message, "password reset", NULL, NULL, NULL) < 0)
        return;
    const char *gv[1] = { a->id };
    links_api_respond_row(req, board, "staff_get", 1, gv, 200);
}
