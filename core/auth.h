/* auth.h — who is asking: a staff session (cookie) or an API token
 * (Authorization: Bearer), found by the hash of its random token, and the
 * password and token primitives behind them (libsodium). */
#ifndef LINKS_AUTH_H
#define LINKS_AUTH_H

#include <stddef.h>

#include "authz.h"
#include "http.h"

/* Cookie names: browsers accept the __Host- prefix only on a Secure cookie,
 * so over plain HTTP (a loopback demo) the cookie has no prefix. */
#define LINKS_SESSION_COOKIE_TLS "__Host-links_session"
#define LINKS_SESSION_COOKIE_PLAIN "links_session"

#define LINKS_PASSWORD_MIN_CHARS 12
#define LINKS_PASSWORD_MAX_CHARS 128

/* A random token: "<scope>.<43 base64url characters>" where scope is the
 * board code or "system", so a token says which board's rows to look in;
 * row-level security then does the looking. */
#define LINKS_TOKEN_RANDOM_BYTES 32
#define LINKS_TOKEN_MAX 64
#define LINKS_TOKEN_HASH_BYTES 32
#define LINKS_SYSTEM_SCOPE "system"

enum links_principal_kind {
    LINKS_PRINCIPAL_ANONYMOUS = 0,
    LINKS_PRINCIPAL_SESSION,
    LINKS_PRINCIPAL_TOKEN
};

struct links_principal {
    enum links_principal_kind kind;
    enum links_role role;
    const char *board_code;         /* the board acted on; NULL: the deployment (system administrator) */
    const char *actor_board_code;   /* the staff member's own board (for a token: its maker's) */
    const char *staff_id;           /* the person; for a token, who created it */
    const char *username;
    const char *display_name;
    const char *practice_id;        /* may be NULL */
    const char *session_id;
    const char *token_id;
    const char *csrf_token;         /* sessions only */
    const char *session_started;    /* ISO 8601 */
    int must_change_password;
};

extern const struct links_principal links_anonymous;

/* Find who is asking from the Authorization header or the session cookie
 * and set req->principal. A bad, ended or expired credential leaves the
 * request anonymous with the reason kept (req->auth_problem_*), so a
 * public page still works and a protected one answers 401 saying why.
 * Returns -1 only after answering (the database is unreachable). */
int links_authenticate(struct links_request *req);

/* A cookie-authenticated request that changes state must carry the
 * session's CSRF token. Returns 1 if it may go on; otherwise answers 403
 * (audited) and returns 0. */
int links_check_csrf(struct links_request *req);

/* Register the statements this module runs. */
int links_auth_register(void);

/* argon2id (libsodium crypto_pwhash_str, interactive limits). 0 or -1. */
int links_password_hash(const char *password, char out[128]);
/* 1 when the password matches the stored hash. */
int links_password_verify(const char *stored_hash, const char *password);
/* NULL when acceptable, else why not (for a 400). */
const char *links_password_problem(const char *password);

/* A fresh token for `scope` (board code or "system") in out, and the hex
 * of its hash in hash_hex ("\\x..." bytea literal) */
int links_token_new(const char *scope, char out[LINKS_TOKEN_MAX], char hash_bytea[2 * LINKS_TOKEN_HASH_BYTES + 3]);
/* The bytea literal of a given token's hash; the token's scope in scope
 * (at most 15 characters). -1 when the token is malformed. */
int links_token_hash(const char *token, char hash_bytea[2 * LINKS_TOKEN_HASH_BYTES + 3],
                     char scope[16]);
/* A random URL-safe string of 43 characters (CSRF tokens). */
void links_random_string(char out[44]);

/* The value of cookie `name` in a Cookie header (RFC 6265 syntax), copied
 * into the arena, or NULL. */
const char *links_cookie_value(struct links_arena *arena, const char *header, const char *name);

/* The credential in "Authorization: Bearer <token>", or NULL. */
const char *links_bearer_token(struct links_arena *arena, const char *header);

#endif
