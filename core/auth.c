/* auth.c — finding the principal of a request, and the password and token
 * primitives (libsodium: argon2id, BLAKE2b, randombytes, constant-time
 * comparison). */
#include "auth.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "api_sql.h"
#include "audit.h"
#include "boards.h"
#include "db.h"
#include "log.h"
#include "search.h"
#include "validate.h"
#include "worker.h"

const struct links_principal links_anonymous = { .kind = LINKS_PRINCIPAL_ANONYMOUS };

/* One statement finds the session, says whether it is still good, ends it
 * when it has timed out (recording that) and otherwise marks it used (at
 * most every 30 seconds: a write per request would be wasted). */
static const char session_lookup_sql[] =
    "WITH found AS ("
    " SELECT ss.id, ss.board_id, ss.staff_id, ss.csrf_token, ss.created_at, ss.end_reason,"
    "  CASE WHEN ss.ended_at IS NOT NULL THEN 'ended'"
    "       WHEN s.disabled_at IS NOT NULL THEN 'disabled'"
    "       WHEN ss.created_at <= now() - make_interval(hours => $3::int) THEN 'absolute'"
    "       WHEN ss.last_seen_at <= now() - make_interval(mins => $2::int) THEN 'idle'"
    "       ELSE 'ok' END AS state,"
    "  s.username, s.display_name, s.role, s.practice_id, s.must_change_password"
    " FROM staff_session ss JOIN staff s ON s.board_key = ss.board_key AND s.id = ss.staff_id"
    " WHERE ss.token_hash = $1::bytea AND" BOARD_FILTER("ss")
    "), touched AS ("
    " UPDATE staff_session ss"
    "  SET last_seen_at = CASE WHEN f.state = 'ok' THEN now() ELSE ss.last_seen_at END,"
    "      ended_at = CASE WHEN f.state = 'ok' THEN NULL ELSE now() END,"
    "      end_reason = CASE f.state WHEN 'idle' THEN 'idle timeout'"
    "                   WHEN 'absolute' THEN 'absolute timeout' WHEN 'disabled' THEN 'account disabled' END"
    " FROM found f WHERE ss.id = f.id AND f.state <> 'ended'"
    "  AND (f.state <> 'ok' OR ss.last_seen_at < now() - interval '30 seconds')"
    "), audited AS ("
    " INSERT INTO audit_log (board_id, actor_id, actor_board_key, actor_name, actor_role,"
    "  client_address, action, object_type, object_id, request_id)"
    " SELECT f.board_id, f.staff_id, coalesce(f.board_id, 0), f.username, f.role, $4,"
    "  'session.expired', 'session', f.id::text, $5 FROM found f WHERE f.state IN ('idle', 'absolute')"
    ")"
    " SELECT id, staff_id, csrf_token, to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'),"
    "  state, username, display_name, role, practice_id, must_change_password, end_reason FROM found";

/* A token works while it is neither revoked nor expired and the
 * administrator who made it is still an enabled administrator: a token
 * acts for them, so it cannot outlast their own rights. A system
 * administrator's row is not visible under the token's board, so for
 * their tokens the check is a second query (auth_token_creator). */
static const char token_lookup_sql[] =
    "WITH found AS ("
    " SELECT t.id, t.role, t.practice_id, t.created_by, t.name, t.created_by_board_key,"
    "  (SELECT b.code FROM board b WHERE b.id = t.created_by_board_key) AS creator_board,"
    "  CASE WHEN t.revoked_at IS NOT NULL THEN 'revoked'"
    "       WHEN t.expires_at <= now() THEN 'expired'"
    "       WHEN t.created_by_board_key <> 0 AND NOT EXISTS (SELECT 1 FROM staff s"
    "            WHERE s.board_key = t.created_by_board_key AND s.id = t.created_by"
    "              AND s.disabled_at IS NULL AND s.role = 'board_admin') THEN 'creator'"
    "       ELSE 'ok' END AS state"
    " FROM api_token t WHERE t.token_hash = $1::bytea AND" BOARD_FILTER("t")
    "), touched AS ("
    " UPDATE api_token t SET last_used_at = now() FROM found f"
    " WHERE t.id = f.id AND f.state = 'ok'"
    "  AND (t.last_used_at IS NULL OR t.last_used_at < now() - interval '1 minute')"
    ")"
    " SELECT id, role, practice_id, created_by, name, state, created_by_board_key, creator_board FROM found";

static const char token_creator_sql[] =
    "SELECT count(*) FROM staff s WHERE s.id = $1::uuid AND s.board_id IS NULL"
    " AND s.disabled_at IS NULL AND s.role = 'system_admin'";

int links_auth_register(void)
{
    static const struct links_statement s[] = {
        { "auth_session_lookup", session_lookup_sql, 0, NULL },
        { "auth_token_lookup", token_lookup_sql, 0, NULL },
        { "auth_token_creator", token_creator_sql, 0, NULL },
    };
    return links_db_register_all(s, sizeof s / sizeof s[0]);
}

/* ---- who is asking ------------------------------------------------------ */

/* A credential that does not work: the request goes on as anonymous, and
 * if it needs more, links_authorize answers 401 with this reason. */
static int unauthorised(struct links_request *req, const char *title, const char *detail)
{
    req->principal = &links_anonymous;
    req->auth_problem_title = title;
    req->auth_problem_detail = detail;
    return 0;
}

static int db_trouble(struct links_request *req, enum links_db_status st, const char *state,
                      const char *message)
{
    links_respond_db_failure(req, st, "session lookup", state, message);
    return -1;
}

static const char *board_code_of_scope(struct links_request *req, const char *scope)
{
    if (strcmp(scope, LINKS_SYSTEM_SCOPE) == 0)
        return NULL;
    const struct links_board *b = links_boards_find(req->worker->boards, scope);
    return b ? b->cfg->code : "";
}

static int is_safe_method(const char *m)
{
    return strcmp(m, "GET") == 0 || strcmp(m, "HEAD") == 0 || strcmp(m, "OPTIONS") == 0;
}

static int from_token(struct links_request *req, const char *token)
{
    char hash[2 * LINKS_TOKEN_HASH_BYTES + 3], scope[16];
    if (links_token_hash(token, hash, scope) < 0 || strcmp(scope, LINKS_SYSTEM_SCOPE) == 0)
        return unauthorised(req, "API token not recognised", "The API token is not valid.");
    const char *board = board_code_of_scope(req, scope);
    if (board == NULL || board[0] == '\0')
        return unauthorised(req, "API token not recognised", "The API token is not valid.");
    PGresult *r;
    const char *state, *message;
    const char *v[1] = { hash };
    enum links_db_status st = links_db_query(req->worker->db, req->arena, board, "auth_token_lookup",
                                             1, v, &r, &state, &message);
    if (st == LINKS_DB_NO_BOARD)
        return unauthorised(req, "Session not recognised",
                            "Your sign-in is not recognised. Please sign in again.");
    if (st != LINKS_DB_OK)
        return db_trouble(req, st, state, message);
    if (PQntuples(r) != 1)
        return unauthorised(req, "API token not recognised", "The API token is not valid.");
    const char *token_state = PQgetvalue(r, 0, 5);
    if (strcmp(token_state, "ok") == 0 && strcmp(PQgetvalue(r, 0, 6), "0") == 0) {
        PGresult *c;
        const char *cv[1] = { PQgetvalue(r, 0, 3) };
        st = links_db_query(req->worker->db, req->arena, NULL, "auth_token_creator", 1, cv, &c, &state, &message);
        if (st != LINKS_DB_OK)
            return db_trouble(req, st, state, message);
        if (strcmp(PQgetvalue(c, 0, 0), "1") != 0)
            token_state = "creator";
    }
    if (strcmp(token_state, "ok") != 0)
        return unauthorised(req, "API token no longer valid",
                            strcmp(token_state, "revoked") == 0
                                ? "This API token has been revoked by a board administrator."
                            : strcmp(token_state, "creator") == 0
                                ? "The administrator who made this API token is no longer an enabled "
                                  "administrator; ask a board administrator for a new token."
                                : "This API token has expired.");
    struct links_principal *p = links_arena_alloc(req->arena, sizeof *p);
    if (p == NULL)
        return db_trouble(req, LINKS_DB_UNAVAILABLE, "", "");
    memset(p, 0, sizeof *p);
    p->kind = LINKS_PRINCIPAL_TOKEN;
    p->token_id = links_arena_strdup(req->arena, PQgetvalue(r, 0, 0));
    p->role = links_role_parse(PQgetvalue(r, 0, 1));
    p->practice_id = PQgetisnull(r, 0, 2) ? NULL : links_arena_strdup(req->arena, PQgetvalue(r, 0, 2));
    p->staff_id = links_arena_strdup(req->arena, PQgetvalue(r, 0, 3));
    p->username = links_arena_printf(req->arena, "token:%s", PQgetvalue(r, 0, 4));
    p->display_name = links_arena_strdup(req->arena, PQgetvalue(r, 0, 4));
    p->board_code = board;
    p->actor_board_code = PQgetisnull(r, 0, 7) ? NULL : links_arena_strdup(req->arena, PQgetvalue(r, 0, 7));
    req->principal = p;
    return 0;
}

static const char *ended_detail(struct links_request *req, const char *state, const char *reason)
{
    const struct links_auth_config *a = &req->worker->cfg->auth;
    int is = reason != NULL;
    if (strcmp(state, "idle") == 0 || (is && strcmp(reason, "idle timeout") == 0))
        return links_arena_printf(req->arena, "You were signed out after %d minute%s without activity. "
                                  "Please sign in again.", a->idle_timeout_minutes,
                                  a->idle_timeout_minutes == 1 ? "" : "s");
    if (strcmp(state, "absolute") == 0 || (is && strcmp(reason, "absolute timeout") == 0))
        return links_arena_printf(req->arena, "Sessions last at most %d hour%s. Please sign in again.",
                                  a->absolute_timeout_hours, a->absolute_timeout_hours == 1 ? "" : "s");
    if (strcmp(state, "disabled") == 0 || (is && strcmp(reason, "account disabled") == 0))
        return "Your account has been disabled. Ask your board administrator.";
    if (is && strcmp(reason, "password changed") == 0)
        return "Your password was changed or reset, which signed you out. Sign in with the new password.";
    return "You have signed out. Please sign in again.";
}

static int from_session(struct links_request *req, const char *token)
{
    char hash[2 * LINKS_TOKEN_HASH_BYTES + 3], scope[16];
    if (links_token_hash(token, hash, scope) < 0)
        return unauthorised(req, "Session not recognised",
                            "Your sign-in is not recognised. Please sign in again.");
    const char *board = board_code_of_scope(req, scope);
    if (board != NULL && board[0] == '\0')
        return unauthorised(req, "Session not recognised",
                            "Your sign-in is not recognised. Please sign in again.");
    const struct links_auth_config *a = &req->worker->cfg->auth;
    char idle[16], absolute[16];
    snprintf(idle, sizeof idle, "%d", a->idle_timeout_minutes);
    snprintf(absolute, sizeof absolute, "%d", a->absolute_timeout_hours);
    const char *v[5] = { hash, idle, absolute, req->in.client_address, req->request_id };
    PGresult *r;
    const char *state, *message;
    enum links_db_status st = links_db_query(req->worker->db, req->arena, board,
                                             "auth_session_lookup", 5, v, &r, &state, &message);
    if (st == LINKS_DB_NO_BOARD)
        return unauthorised(req, "Session not recognised",
                            "Your sign-in is not recognised. Please sign in again.");
    if (st != LINKS_DB_OK)
        return db_trouble(req, st, state, message);
    if (PQntuples(r) != 1)
        return unauthorised(req, "Session not recognised",
                            "Your sign-in is not recognised. Please sign in again.");
    const char *session_state = PQgetvalue(r, 0, 4);
    if (strcmp(session_state, "ok") != 0)
        return unauthorised(req, "Session ended",
                            ended_detail(req, session_state, PQgetisnull(r, 0, 10) ? NULL : PQgetvalue(r, 0, 10)));
    struct links_principal *p = links_arena_alloc(req->arena, sizeof *p);
    if (p == NULL)
        return db_trouble(req, LINKS_DB_UNAVAILABLE, "", "");
    memset(p, 0, sizeof *p);
    p->kind = LINKS_PRINCIPAL_SESSION;
    p->session_id = links_arena_strdup(req->arena, PQgetvalue(r, 0, 0));
    p->staff_id = links_arena_strdup(req->arena, PQgetvalue(r, 0, 1));
    p->csrf_token = links_arena_strdup(req->arena, PQgetvalue(r, 0, 2));
    p->session_started = links_arena_strdup(req->arena, PQgetvalue(r, 0, 3));
    p->username = links_arena_strdup(req->arena, PQgetvalue(r, 0, 5));
    p->display_name = links_arena_strdup(req->arena, PQgetvalue(r, 0, 6));
    p->role = links_role_parse(PQgetvalue(r, 0, 7));
    p->practice_id = PQgetisnull(r, 0, 8) ? NULL : links_arena_strdup(req->arena, PQgetvalue(r, 0, 8));
    p->must_change_password = PQgetvalue(r, 0, 9)[0] == 't';
    p->board_code = board;
    p->actor_board_code = board;
    req->principal = p;

    return 0;
}

int links_check_csrf(struct links_request *req)
{
    const struct links_principal *p = req->principal;
    if (p == NULL || p->kind != LINKS_PRINCIPAL_SESSION || is_safe_method(req->method))
        return 1;
    /* A cookie comes with every request the browser makes, whoever's page
     * asked for it: a change needs the token only our own page can read. */
    const char *sent = req->in.csrf_token;
    size_t n = strlen(p->csrf_token);
    if (sent != NULL && strlen(sent) == n && sodium_memcmp(sent, p->csrf_token, n) == 0)
        return 1;
    struct links_audit_entry e = {
        .action = "csrf.rejected", .object_type = "session", .object_id = p->session_id,
        .reason = sent == NULL ? "X-CSRF-Token missing" : "X-CSRF-Token wrong",
    };
    links_audit(req, p->board_code, &e);
    links_respond_problem(req, 403, "Missing or wrong CSRF token",
                          sent == NULL
                              ? "Changes must carry the X-CSRF-Token header given at sign-in "
                                "(GET /api/v1/session returns it). Reload the page and try again."
                              : "The X-CSRF-Token header does not match your session. Reload the "
                                "page and try again.", NULL);
    return 0;
}

int links_authenticate(struct links_request *req)
{
    req->principal = &links_anonymous;
    if (req->in.authorization != NULL) {
        const char *token = links_bearer_token(req->arena, req->in.authorization);
        if (token == NULL)
            return unauthorised(req, "Authorization not understood",
                                "Use \"Authorization: Bearer <API token>\".");
        return from_token(req, token);
    }
    const char *name = req->in.https ? LINKS_SESSION_COOKIE_TLS : LINKS_SESSION_COOKIE_PLAIN;
    const char *cookie = links_cookie_value(req->arena, req->in.cookie, name);
    if (cookie == NULL || cookie[0] == '\0')
        return 0;
    return from_session(req, cookie);
}
