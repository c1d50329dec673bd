/* http.h — the request and response a handler sees, independent of FastCGI
 * so handlers can be tested without a server (lwan's model: a handler sets
 * a status and a body; the server writes headers and the stream). */
#ifndef LINKS_HTTP_H
#define LINKS_HTTP_H

#include <jansson.h>
#include <stddef.h>

#include "arena.h"

#define LINKS_MAX_QUERY_PARAMS 32
#define LINKS_MAX_HEADERS 12
#define LINKS_MAX_BODY_DEFAULT (64 * 1024)

struct links_param {
    const char *name;
    const char *value;          /* decoded, valid UTF-8, no NUL */
};

struct links_header {
    const char *name;
    const char *value;
};

struct links_worker;            /* server.h: the thread's connection and boards */
struct links_board;             /* boards.h */
struct links_principal;         /* auth.h: who is asking */

/* What the request brought besides its address (FastCGI parameters; NULL
 * when absent). Header values are as the client sent them. */
struct links_request_in {
    const char *cookie;
    const char *authorization;
    const char *csrf_token;         /* X-CSRF-Token */
    const char *if_match;           /* If-Match: the ETag an edit is based on */
    const char *idempotency_key;    /* Idempotency-Key: a retried creation finds the first */
    const char *accept;             /* Accept: reports answer text/csv when asked */
    const char *origin;
    const char *host;
    const char *content_type;
    const char *client_address;     /* REMOTE_ADDR as nginx saw it */
    int https;                      /* served over TLS */
    long content_length;            /* -1: none given */
    int body_too_large;             /* more than the configured cap */
    const char *body;               /* NUL-terminated copy; NULL when none */
    size_t body_len;
};

struct links_request {
    struct links_arena *arena;
    struct links_worker *worker;
    const struct links_board *board;    /* set once a handler has resolved it */

    const char *method;
    const char *path;            /* as received, without the query string */
    const char *query_string;
    const char *request_id;
    struct links_request_in in;
    const struct links_principal *principal;   /* set by the router; never NULL after */
    const char *auth_problem_title;     /* why a credential given was not accepted */
    const char *auth_problem_detail;

    int nparams;
    struct links_param params[LINKS_MAX_QUERY_PARAMS];

    /* response */
    int status;
    const char *content_type;
    int nheaders;
    struct links_header headers[LINKS_MAX_HEADERS];
    const char *body;
    size_t body_len;
};

void links_request_init(struct links_request *req, struct links_arena *arena);

/* Parse query_string into params. Returns 0, or -1 after answering the
 * request with a 400 problem (malformed escape, invalid UTF-8, NUL byte,
 * a repeated or too many parameters). */
int links_parse_query(struct links_request *req);
const char *links_param(const struct links_request *req, const char *name);

/* Decode application/x-www-form-urlencoded text in place semantics: writes
 * into out (at least len + 1 bytes). Returns the decoded length or -1. */
long links_url_decode(const char *in, size_t len, char *out);
int links_utf8_valid(const char *s, size_t len);

void links_add_header(struct links_request *req, const char *name, const char *value);

/* Answer with a JSON document (takes the reference to `doc`). */
void links_respond_json(struct links_request *req, int status, json_t *doc);

/* Answer with `doc` plus one more member, `key`, whose value is JSON text
 * made elsewhere (by PostgreSQL's JSON functions) and placed unparsed.
 * Takes the reference to `doc`; `key` must be a plain ASCII name. */
void links_respond_json_with(struct links_request *req, int status, json_t *doc, const char *key,
                             const char *raw_json);

/* Answer with JSON text made elsewhere (PostgreSQL's JSON functions),
 * copied into the arena. */
void links_respond_raw_json(struct links_request *req, int status, const char *json_text);

/* Answer with an RFC 9457 problem. `errors` (may be NULL) is a JSON array of
 * {field, message} objects and is taken over. */
void links_respond_problem(struct links_request *req, int status, const char *title,
                           const char *detail, json_t *errors);
/* The same with more members (`extra`, an object, is taken over): a 412's
 * current version and what changed. */
void links_respond_problem_extra(struct links_request *req, int status, const char *title,
                                 const char *detail, json_t *extra);

/* Collects validation errors, answered together as one 400. */
struct links_validation {
    json_t *errors;
};
void links_validation_init(struct links_validation *v);
void links_validation_add(struct links_validation *v, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
int links_validation_failed(const struct links_validation *v);
/* Answer 400 with every collected error; frees the collection. */
void links_validation_respond(struct links_request *req, struct links_validation *v);
void links_validation_free(struct links_validation *v);

const char *links_status_reason(int status);

#endif
