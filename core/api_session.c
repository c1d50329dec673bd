/* api_session.c — signing in and out, the signed-in user's own session,
 * and changing one's own password.
 *
 *   POST   /api/v1/boards/{board}/session   sign in as a member of staff of that board
 *   POST   /api/v1/session                  sign in as a system administrator
 *   GET    /api/v1/session                  who am I (and the CSRF token)
 *   DELETE /api/v1/session                  sign out
 *   POST   /api/v1/session/password         change my password
 *
 * Guessing is slowed three ways: each wrong password costs an argon2id
 * verification (tens of milliseconds), an account locks after
 * auth.lockout_failures wrong passwords in a row, and an address with
 * auth.address_failures failures in auth.address_window_minutes is refused
 * with 429 whatever the username. nginx limits the request rate too. */
#include <ctype.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "api_sql.h"
#include "audit.h"
#include "auth.h"
#include "log.h"
#include "worker.h"

static const char address_check_sql[] =
    "SELECT count(*), coalesce(ceil(extract(epoch FROM min(at) + make_interval(mins => $2::int) - now())), 0)::int"
    " FROM sign_in_failure WHERE client_address = $1 AND at > now() - make_interval(mins => $2::int)";

static const char address_failed_sql[] =
    "WITH old AS (DELETE FROM sign_in_failure WHERE at < now() - interval '1 day')"
    " INSERT INTO sign_in_failure (client_address) VALUES ($1) RETURNING 1";

static const char find_sql[] =
    "SELECT s.id, s.password_hash, s.disabled_at IS NOT NULL, coalesce(s.locked_until > now(), false),"
    " to_char(s.locked_until AT TIME ZONE 'Europe/London', 'HH24:MI'),"
    " greatest(0, ceil(extract(epoch FROM s.locked_until - now())))::int, s.role,"
    " s.display_name, s.practice_id, p.name, s.must_change_password, p.has_links_worker"
    " FROM staff s LEFT JOIN practice p ON p.board_id = s.board_id AND p.id = s.practice_id"
    " WHERE s.username = $1 AND" BOARD_FILTER("s") " FOR UPDATE OF s";

/* A lock that has run out starts the count again. */
static const char failed_sql[] =
    "UPDATE staff SET"
    " failed_sign_ins = CASE WHEN locked_until <= now() THEN 1 ELSE failed_sign_ins + 1 END,"
    " locked_until = CASE WHEN (CASE WHEN locked_until <= now() THEN 1 ELSE failed_sign_ins + 1 END) >= $2::int"
    "                     THEN now() + make_interval(mins => $3::int) ELSE locked_until END"
    " WHERE id = $1::uuid AND" BOARD_FILTER("staff") " RETURNING failed_sign_ins, coalesce(locked_until > now(), false),"
    " to_char(locked_until AT TIME ZONE 'Europe/London', 'HH24:MI'),"
    " greatest(0, ceil(extract(epoch FROM locked_until - now())))::int";

static const char succeeded_sql[] =
    "UPDATE staff SET failed_sign_ins = 0, locked_until = NULL,"
    " password_hash = coalesce($2, password_hash) WHERE id = $1::uuid AND" BOARD_FILTER("staff") " RETURNING id";

static const char session_insert_sql[] =
    "INSERT INTO staff_session (board_id, token_hash, staff_id, csrf_token, client_address)"
    " VALUES (current_board_id(), $1::bytea, $2::uuid, $3, $4)"
    " RETURNING id, to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')";

static const char session_end_sql[] =
    "UPDATE staff_session SET ended_at = now(), end_reason = 'signed out'"
    " WHERE id = $1::uuid AND ended_at IS NULL AND" BOARD_FILTER("staff_session") " RETURNING id";

static const char practice_name_sql[] =
    "SELECT p.name, p.has_links_worker FROM practice p WHERE p.id = $1::uuid AND" BOARD_FILTER("p");

static const char password_set_sql[] =
    "UPDATE staff SET password_hash = $2, password_changed_at = now(), must_change_password = false,"
    " updated_at = now() WHERE id = $1::uuid AND" BOARD_FILTER("staff") " RETURNING password_hash";

/* Other sessions of the person end when the password changes. */
static const char end_other_sessions_sql[] =
    "UPDATE staff_session SET ended_at = now(), end_reason = 'password changed'"
    " WHERE staff_id = $1::uuid AND ended_at IS NULL AND id IS DISTINCT FROM $2::uuid"
    " AND" BOARD_FILTER("staff_session") " RETURNING id";

int links_api_session_register(void);
int links_api_session_register(void)
{
    static const struct links_statement s[] = {
        { "signin_address_check", address_check_sql, 0, NULL },
        { "signin_address_failed", address_failed_sql, 0, NULL },
        { "signin_find", find_sql, 0, NULL },
        { "signin_failed", failed_sql, 0, NULL },
        { "signin_succeeded", succeeded_sql, 0, NULL },
        { "session_insert", session_insert_sql, 0, NULL },
        { "session_end", session_end_sql, 0, NULL },
        { "session_practice_name", practice_name_sql, 0, NULL },
        { "password_set", password_set_sql, 0, NULL },
        { "session_end_others", end_other_sessions_sql, 0, NULL },
    };
    return links_db_register_all(s, sizeof s / sizeof s[0]);
}

/* A hash to verify against when the username is unknown, so that answer
 * takes as long as a wrong password does. */
static char dummy_hash[128];
static void make_dummy_hash(void)
{
    char random[44];
    links_random_string(random);
    if (links_password_hash(random, dummy_hash) != 0)
        dummy_hash[0] = '\0';
}

static const char *cookie_name(const struct links_request *req)
{
    return req->in.https ? LINKS_SESSION_COOKIE_TLS : LINKS_SESSION_COOKIE_PLAIN;
}

static void set_cookie(struct links_request *req, const char *token, int max_age)
{
    links_add_header(req, "Set-Cookie",
                     links_arena_printf(req->arena, "%s=%s; Path=/; Max-Age=%d; HttpOnly; SameSite=Strict%s",
                                        cookie_name(req), token, max_age,
                                        req->in.https ? "; Secure" : ""));
}

/* The signed-in user as the API shows them. */
static json_t *session_doc(struct links_request *req, const struct links_principal *p,
                           const char *practice_name, int has_links_worker /* -1: not known */)
{
    const struct links_board *b = p->board_code ? links_boards_find(req->worker->boards, p->board_code) : NULL;
    json_t *perms = json_array();
    for (int i = LINKS_PERM_PUBLIC + 1; i < LINKS_PERM_COUNT; i++)
        if (links_role_can(p->role, (enum links_permission)i))
            json_array_append_new(perms, json_string(links_permission_name((enum links_permission)i)));
    json_t *practice = p->practice_id
                           ? json_pack("{s:s, s:s?, s:o?}", "id", p->practice_id, "name", practice_name,
                                       "has_links_worker", has_links_worker < 0 ? NULL : json_boolean(has_links_worker))
                           : json_null();
    json_t *staff = json_pack("{s:s, s:s, s:s, s:s, s:s, s:o, s:b}", "id", p->staff_id, "username",
                              p->username, "display_name", p->display_name, "role",
                              links_role_name(p->role), "role_label", links_role_label(p->role),
                              "practice", practice, "must_change_password", p->must_change_password);
    json_t *board = b ? json_pack("{s:s, s:s, s:s}", "code", b->cfg->code, "slug", b->cfg->slug, "name",
                                  b->cfg->name)
                      : json_null();
    const struct links_auth_config *a = &req->worker->cfg->auth;
    json_t *session = json_pack("{s:s?, s:i, s:i}", "started_at", p->session_started,
                                "idle_timeout_minutes", a->idle_timeout_minutes,
                                "absolute_timeout_hours", a->absolute_timeout_hours);
    return json_pack("{s:o, s:o, s:o, s:s?, s:o}", "staff", staff, "board", board, "session", session,
                     "csrf_token", p->csrf_token, "permissions", perms);
}

static int run(struct links_request *req, const char *board, const char *stmt, int n,
               const char *const *v, PGresult **r)
{
    const char *state, *message;
    enum links_db_status st = links_db_query(req->worker->db, req->arena, board, stmt, n, v, r, &state,
                                             &message);
    if (st != LINKS_DB_OK) {
        links_api_db_failed(req, st, stmt, state, message, NULL, NULL, NULL);
        return -1;
    }
    return 0;
}

static void retry_after(struct links_request *req, const char *seconds)
{
    links_add_header(req, "Retry-After", links_arena_strdup(req->arena, seconds[0] ? seconds : "60"));
}

static void audit_attempt(struct links_request *req, const char *board, const char *action,
                          const char *staff_id, const char *username, const char *role,
                          const char *reason)
{
    struct links_audit_entry e = {
        .action = action, .object_type = "staff", .object_id = staff_id, .reason = reason,
        .actor_id = staff_id, .actor_board_code = board, .actor_name = username, .actor_role = role,
    };
    links_audit(req, board, &e);
}

static void wrong_password(struct links_request *req)
{
    const struct links_auth_config *a = &req->worker->cfg->auth;
    links_add_header(req, "WWW-Authenticate", "Bearer realm=\"Community Links\"");
    links_respond_problem(req, 401, "Wrong username or password",
                          links_arena_printf(req->arena,
                                             "The username or password is not right. After %d wrong "
                                             "passwords in a row an account is locked for %d minutes.",
                                             a->lockout_failures, a->lockout_minutes), NULL);
}

static void locked(struct links_request *req, const char *until, const char *seconds)
{
    retry_after(req, seconds);
    /* System administrators have no board administrator: linksctl
     * create-admin (run on the server) resets and unlocks them. */
    int system = req->principal != NULL && req->principal->kind != LINKS_PRINCIPAL_ANONYMOUS
                     ? req->principal->board_code == NULL : req->board == NULL;
    links_respond_problem(req, 403, "Account locked",
                          links_arena_printf(req->arena,
                                             "This account is locked after %d wrong passwords in a row, "
                                             "until %s (UK time). %s", req->worker->cfg->auth.lockout_failures, until,
                                             system ? "On the server, linksctl create-admin with this username "
                                                      "unlocks it sooner and sets a new password."
                                                    : "Your board administrator can unlock it sooner."), NULL);
}

/* Audit a sign-in attempt inside the open transaction. */
static enum links_db_status audit_attempt_tx(struct links_request *req, const char *board, const char *action,
                                             const char *staff_id, const char *username, const char *role,
                                             const char *reason, const char **state, const char **message)
{
    struct links_audit_entry e = {
        .action = action, .object_type = "staff", .object_id = staff_id, .reason = reason,
        .actor_id = staff_id, .actor_board_code = board, .actor_name = username, .actor_role = role,
    };
    return links_audit_tx(req, &e, state, message);
}

/* A wrong password for an account whose row the transaction holds: count
 * it (locking the account at the limit), count it for the address, audit
 * it. Returns the status; *now_locked, *until and *seconds describe a
 * lock that this failure set. */
static enum links_db_status count_failure_tx(struct links_request *req, const char *board, const char *staff_id,
                                             const char *username, const char *role, const char *action,
                                             const char *reason, int *now_locked, const char **until,
                                             const char **seconds, const char **state, const char **message)
{
    const struct links_auth_config *a = &req->worker->cfg->auth;
    char limit[16], minutes[16];
    snprintf(limit, sizeof limit, "%d", a->lockout_failures);
    snprintf(minutes, sizeof minutes, "%d", a->lockout_minutes);
    const char *fv[3] = { staff_id, limit, minutes };
    const char *av[1] = { req->in.client_address };
    PGresult *fr;
    *now_locked = 0;
    enum links_db_status st = links_db_exec(req->worker->db, req->arena, "signin_failed", 3, fv, &fr, state, message);
    if (st == LINKS_DB_OK && req->in.client_address != NULL)
        st = links_db_exec(req->worker->db, req->arena, "signin_address_failed", 1, av, NULL, state, message);
    if (st == LINKS_DB_OK)
        st = audit_attempt_tx(req, board, action, staff_id, username, role, reason, state, message);
    if (st == LINKS_DB_OK && PQntuples(fr) == 1 && PQgetvalue(fr, 0, 1)[0] == 't') {
        *now_locked = 1;
        *until = links_arena_strdup(req->arena, PQgetvalue(fr, 0, 2));
        *seconds = links_arena_strdup(req->arena, PQgetvalue(fr, 0, 3));
        st = audit_attempt_tx(req, board, "account.locked", staff_id, username, role,
                              links_arena_printf(req->arena, "%s wrong passwords in a row", PQgetvalue(fr, 0, 0)),
                              state, message);
    }
    return st;
}

/* An unknown username: as long to answer as a wrong password, counted for
 * the address and audited. */
static void unknown_username(struct links_request *req, const char *board, const char *username,
                             const char *password)
{
    if (dummy_hash[0] != '\0')
        links_password_verify(dummy_hash, password);
    if (links_api_begin(req, board) < 0)
        return;
    const char *state = "", *message = "";
    const char *av[1] = { req->in.client_address };
    enum links_db_status st = LINKS_DB_OK;
    if (req->in.client_address != NULL)
        st = links_db_exec(req->worker->db, req->arena, "signin_address_failed", 1, av, NULL, &state, &message);
    if (st == LINKS_DB_OK)
        st = audit_attempt_tx(req, board, "sign_in.failed", NULL, username, NULL, "unknown username", &state, &message);
    if (links_api_commit(req, st, state, message, "sign-in", NULL, NULL, NULL) == 0)
        wrong_password(req);
}

/* The account's row stays locked (SELECT ... FOR UPDATE) from the check
 * for a lock to the recording of the outcome, so parallel guesses are
 * counted one after another and a success cannot undo a lock set by a
 * failure running beside it. (The per-address count is checked before and
 * recorded after: parallel requests from one address can pass it together,
 * at most as many as linksd has threads, and nginx limits the rate.) */
static void sign_in(struct links_request *req, const char *board)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, make_dummy_hash);
    static const char *const known[] = { "username", "password", NULL };
    struct links_fields f;
    struct links_validation v;
    if (links_api_fields(req, &f, &v, known) < 0)
        return;
    const char *username_in = links_field_string(&f, "username", 1, 64, NULL);
    json_t *pw = json_object_get(f.obj, "password");
    if (pw == NULL)
        links_validation_add(&v, "password", "is required");
    else if (!json_is_string(pw) || json_string_length(pw) == 0)
        links_validation_add(&v, "password", "must be text");
    if (links_validation_failed(&v)) {
        links_validation_respond(req, &v);
        return;
    }
    links_validation_free(&v);
    const char *password = json_string_value(pw);
    char *username = links_arena_strdup(req->arena, username_in);
    for (char *c = username; *c != '\0'; c++)
        *c = (char)tolower((unsigned char)*c);

    const struct links_auth_config *a = &req->worker->cfg->auth;
    PGresult *r;
    if (req->in.client_address != NULL) {
        char window[16];
        snprintf(window, sizeof window, "%d", a->address_window_minutes);
        const char *av[2] = { req->in.client_address, window };
        if (run(req, NULL, "signin_address_check", 2, av, &r) < 0)
            return;
        if (atoi(PQgetvalue(r, 0, 0)) >= a->address_failures) {
            audit_attempt(req, board, "sign_in.throttled", NULL, username, NULL,
                          "too many failed sign-ins from this address");
            retry_after(req, PQgetvalue(r, 0, 1));
            links_respond_problem(req, 429, "Too many failed sign-ins",
                                  links_arena_printf(req->arena,
                                                     "There have been %d failed sign-ins from this computer's "
                                                     "network address in %d minutes. Wait a few minutes, "
                                                     "then try again; if it keeps happening, tell your "
                                                     "board's IT team.", a->address_failures,
                                                     a->address_window_minutes), NULL);
            return;
        }
    }
    if (links_api_begin(req, board) < 0)
        return;
    const char *state = "", *message = "";
    const char *uv[1] = { username };
    enum links_db_status st = links_db_exec(req->worker->db, req->arena, "signin_find", 1, uv, &r, &state, &message);
    if (st != LINKS_DB_OK) {
        links_api_commit(req, st, state, message, "sign-in", NULL, NULL, NULL);
        return;
    }
    if (PQntuples(r) != 1) {
        links_db_rollback(req->worker->db);
        unknown_username(req, board, username, password);
        return;
    }
    const char *staff_id = links_arena_strdup(req->arena, PQgetvalue(r, 0, 0));
    const char *hash = links_arena_strdup(req->arena, PQgetvalue(r, 0, 1));
    int disabled = PQgetvalue(r, 0, 2)[0] == 't';
    const char *role = links_arena_strdup(req->arena, PQgetvalue(r, 0, 6));
    if (PQgetvalue(r, 0, 3)[0] == 't') {
        const char *until = links_arena_strdup(req->arena, PQgetvalue(r, 0, 4));
        const char *seconds = links_arena_strdup(req->arena, PQgetvalue(r, 0, 5));
        st = audit_attempt_tx(req, board, "sign_in.refused", staff_id, username, role, "account locked", &state, &message);
        if (links_api_commit(req, st, state, message, "sign-in", NULL, NULL, NULL) == 0)
            locked(req, until, seconds);
        return;
    }
    if (!links_password_verify(hash, password)) {
        int now_locked;
        const char *until = NULL, *seconds = NULL;
        st = count_failure_tx(req, board, staff_id, username, role, "sign_in.failed", "wrong password", &now_locked,
                              &until, &seconds, &state, &message);
        if (links_api_commit(req, st, state, message, "sign-in", NULL, NULL, NULL) < 0)
            return;
        if (now_locked)
            locked(req, until, seconds);
        else
            wrong_password(req);
        return;
    }
    if (disabled) {
        st = audit_attempt_tx(req, board, "sign_in.refused", staff_id, username, role, "account disabled", &state, &message);
        if (links_api_commit(req, st, state, message, "sign-in", NULL, NULL, NULL) == 0)
            links_respond_problem(req, 403, "Account disabled",
                                  "This account has been disabled. Ask your board administrator.", NULL);
        return;
    }
    struct links_principal *p = links_arena_alloc(req->arena, sizeof *p);
    if (p == NULL) {
        links_db_rollback(req->worker->db);
        links_respond_problem(req, 503, "Service temporarily overloaded",
                              "The server ran out of memory for this request.", NULL);
        return;
    }
    memset(p, 0, sizeof *p);
    p->kind = LINKS_PRINCIPAL_SESSION;
    p->board_code = board;
    p->actor_board_code = board;
    p->staff_id = staff_id;
    p->username = username;
    p->display_name = links_arena_strdup(req->arena, PQgetvalue(r, 0, 7));
    p->role = links_role_parse(role);
    p->practice_id = PQgetisnull(r, 0, 8) ? NULL : links_arena_strdup(req->arena, PQgetvalue(r, 0, 8));
    const char *practice_name = PQgetisnull(r, 0, 9) ? NULL : links_arena_strdup(req->arena, PQgetvalue(r, 0, 9));
    p->must_change_password = PQgetvalue(r, 0, 10)[0] == 't';
    int has_links_worker = PQgetvalue(r, 0, 11)[0] == 't';

    /* Stored costs older than today's are raised while we hold the password. */
    char rehash[128];
    const char *new_hash = NULL;
    if (crypto_pwhash_str_needs_rehash(hash, crypto_pwhash_OPSLIMIT_INTERACTIVE,
                                       crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0 &&
        links_password_hash(password, rehash) == 0)
        new_hash = rehash;

    char token[LINKS_TOKEN_MAX], token_hash[2 * LINKS_TOKEN_HASH_BYTES + 3], csrf[44];
    if (links_token_new(board ? board : LINKS_SYSTEM_SCOPE, token, token_hash) < 0) {
        links_db_rollback(req->worker->db);
        links_respond_problem(req, 500, "Internal error", "A session could not be made.", NULL);
        return;
    }
    links_random_string(csrf);
    p->csrf_token = links_arena_strdup(req->arena, csrf);
    const char *sv[2] = { staff_id, new_hash };
    const char *iv[4] = { token_hash, staff_id, csrf, req->in.client_address };
    PGresult *ins;
    st = links_db_exec(req->worker->db, req->arena, "signin_succeeded", 2, sv, NULL, &state, &message);
    if (st == LINKS_DB_OK)
        st = links_db_exec(req->worker->db, req->arena, "session_insert", 4, iv, &ins, &state, &message);
    if (st == LINKS_DB_OK) {
        p->session_id = links_arena_strdup(req->arena, PQgetvalue(ins, 0, 0));
        p->session_started = links_arena_strdup(req->arena, PQgetvalue(ins, 0, 1));
        req->principal = p;
        struct links_audit_entry e = { .action = "sign_in", .object_type = "session",
                                       .object_id = p->session_id };
        st = links_audit_tx(req, &e, &state, &message);
    }
    if (links_api_commit(req, st, state, message, "sign-in", NULL, NULL, NULL) < 0) {
        req->principal = &links_anonymous;
        return;
    }
    set_cookie(req, token, a->absolute_timeout_hours * 3600);
    links_respond_json(req, 200, session_doc(req, p, practice_name, has_links_worker));
}

void links_handle_sign_in(struct links_request *req, const struct links_route_args *a)
{
    sign_in(req, links_api_board_code(a));
}

void links_handle_session_get(struct links_request *req, const struct links_route_args *a)
{
    const struct links_principal *p = req->principal;
    const char *practice_name = NULL;
    int has_links_worker = 0;
    if (p->practice_id != NULL) {
        PGresult *r;
        const char *v[1] = { p->practice_id };
        if (run(req, p->board_code, "session_practice_name", 1, v, &r) < 0)
            return;
        practice_name = links_api_value(r, 0);
        has_links_worker = PQntuples(r) == 1 && PQgetvalue(r, 0, 1)[0] == 't';
    }
    links_respond_json(req, 200, session_doc(req, p, practice_name, has_links_worker));
}

void links_handle_sign_out(struct links_request *req, const struct links_route_args *a)
{
    const struct links_principal *p = req->principal;
    if (p->kind != LINKS_PRINCIPAL_SESSION) {
        links_respond_problem(req, 400, "Not a session",
                              "An API token is not signed out: a board administrator revokes it.", NULL);
        return;
    }
    if (links_api_begin(req, p->board_code) < 0)
        return;
    const char *state, *message;
    const char *v[1] = { p->session_id };
    enum links_db_status st = links_db_exec(req->worker->db, req->arena, "session_end", 1, v, NULL,
                                            &state, &message);
    struct links_audit_entry e = { .action = "sign_out", .object_type = "session",
                                   .object_id = p->session_id };
    if (st == LINKS_DB_OK)
        st = links_audit_tx(req, &e, &state, &message);
    if (links_api_commit(req, st, state, message, "sign-out", NULL, NULL, NULL) < 0)
        return;
    set_cookie(req, "", 0);
    req->status = 204;
    req->body = "";
    req->body_len = 0;
}

void links_handle_password_change(struct links_request *req, const struct links_route_args *a)
{
    const struct links_principal *p = req->principal;
    if (p->kind != LINKS_PRINCIPAL_SESSION) {
        links_respond_problem(req, 400, "Not a session", "API tokens have no password.", NULL);
        return;
    }
    static const char *const known[] = { "current_password", "new_password", NULL };
    struct links_fields f;
    struct links_validation v;
    if (links_api_fields(req, &f, &v, known) < 0)
        return;
    const char *current = links_field_string(&f, "current_password", 1, 1024, NULL);
    const char *next = links_field_string(&f, "new_password", 1, 1024, NULL);
    const char *problem = next ? links_password_problem(next) : NULL;
    if (problem != NULL)
        links_validation_add(&v, "new_password", "%s", problem);
    if (current != NULL && next != NULL && strcmp(current, next) == 0)
        links_validation_add(&v, "new_password", "must differ from the current password");
    if (links_validation_failed(&v)) {
        links_validation_respond(req, &v);
        return;
    }
    links_validation_free(&v);
    /* The current password is checked as at sign-in, holding the account's
     * row: wrong ones count towards the lockout, so a session left open
     * cannot be used to guess it. */
    if (links_api_begin(req, p->board_code) < 0)
        return;
    const char *state = "", *message = "";
    PGresult *r;
    const char *uv[1] = { p->username };
    enum links_db_status st = links_db_exec(req->worker->db, req->arena, "signin_find", 1, uv, &r, &state, &message);
    if (st == LINKS_DB_OK && PQntuples(r) == 1 && PQgetvalue(r, 0, 3)[0] == 't') {
        const char *until = links_arena_strdup(req->arena, PQgetvalue(r, 0, 4));
        const char *seconds = links_arena_strdup(req->arena, PQgetvalue(r, 0, 5));
        links_db_rollback(req->worker->db);
        locked(req, until, seconds);
        return;
    }
    if (st == LINKS_DB_OK && (PQntuples(r) != 1 || !links_password_verify(PQgetvalue(r, 0, 1), current))) {
        int now_locked = 0;
        const char *until = NULL, *seconds = NULL;
        if (PQntuples(r) == 1)
            st = count_failure_tx(req, p->board_code, p->staff_id, p->username, links_role_name(p->role),
                                  "password.change_failed", "current password wrong", &now_locked, &until,
                                  &seconds, &state, &message);
        if (links_api_commit(req, st, state, message, "password change", NULL, NULL, NULL) < 0)
            return;
        if (now_locked) {
            locked(req, until, seconds);
            return;
        }
        struct links_validation w;
        links_validation_init(&w);
        links_validation_add(&w, "current_password", "is not your current password");
        links_validation_respond(req, &w);
        return;
    }
    char hash[128];
    if (st == LINKS_DB_OK && links_api_hash_password(req, next, hash) < 0) {
        links_db_rollback(req->worker->db);
        return;
    }
    const char *pv[2] = { p->staff_id, hash };
    const char *ev[2] = { p->staff_id, p->session_id };
    if (st == LINKS_DB_OK)
        st = links_db_exec(req->worker->db, req->arena, "password_set", 2, pv, NULL, &state, &message);
    if (st == LINKS_DB_OK)
        st = links_db_exec(req->worker->db, req->arena, "session_end_others", 2, ev, NULL, &state, &message);
    struct links_audit_entry e = { .action = "password.changed", .object_type = "staff",
                                   .object_id = p->staff_id };
    if (st == LINKS_DB_OK)
        st = links_audit_tx(req, &e, &state, &message);
    if (links_api_commit(req, st, state, message, "password change", NULL, NULL, NULL) < 0)
        return;
    struct links_principal *changed = links_arena_alloc(req->arena, sizeof *changed);
    if (changed == NULL) {
        req->status = 204;
        req->body = "";
        req->body_len = 0;
        return;
    }
    *changed = *p;
    changed->must_change_password = 0;
    /* (what the practice is was not looked up here: left out) */
    links_respond_json(req, 200, session_doc(req, changed, NULL, -1));
}
