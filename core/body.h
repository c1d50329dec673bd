/* body.h — JSON request bodies: the media type is checked, the size is
 * capped (before reading) and the text is parsed with jansson into an
 * object whose members handlers then take out one by one, each checked,
 * with every mistake collected into one 400. */
#ifndef LINKS_BODY_H
#define LINKS_BODY_H

#include <jansson.h>

#include "http.h"

/* Parse req->in.body as a JSON object. Answers the request and returns
 * NULL on: no body or a body over the cap (413), a media type other than
 * application/json (415), text that is not UTF-8 JSON or not an object
 * (400). The object is freed with the arena. */
json_t *links_json_body(struct links_request *req);

/* The same checks on bytes given directly (for the fuzzer and tests):
 * returns the object (caller decrefs) or NULL with *status and *detail
 * (a static or `detail_buf` string) saying why. */
json_t *links_json_parse_body(const char *content_type, const char *body, size_t len,
                              int too_large, int *status, const char **title, char *detail_buf,
                              size_t detail_len);

/* A member reader over one body: records the first problem per field. */
struct links_fields {
    json_t *obj;
    struct links_validation *v;
};

/* Refuse members not in `known` (NULL-terminated). */
void links_fields_only(struct links_fields *f, const char *const *known);

/* A string member: required or optional (absent: returns NULL, *present 0),
 * 1..max_chars characters of UTF-8 text without control characters. */
const char *links_field_string(struct links_fields *f, const char *name, int required,
                               size_t max_chars, int *present);
/* A boolean member; returns -1 when absent (or wrong, recorded). */
int links_field_bool(struct links_fields *f, const char *name, int required);
/* An integer member within [min, max]; returns 0 and sets *out when present
 * and valid, -1 otherwise (absent and optional: no error recorded). */
int links_field_int(struct links_fields *f, const char *name, int required, long min, long max,
                    long *out);
/* Whether the member is present and JSON null (for "clear this value"). */
int links_field_is_null(const struct links_fields *f, const char *name);

#endif
