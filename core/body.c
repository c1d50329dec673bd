/* body.c — JSON request bodies and their members. */
#include "body.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "validate.h"

/* "application/json", optionally with "; charset=utf-8" (any case and
 * spacing). Anything else is a 415: a form post or text/plain is how a
 * cross-site page would try to send us a request. */
static int is_json_media_type(const char *ct)
{
    if (ct == NULL)
        return 0;
    while (*ct == ' ' || *ct == '\t')
        ct++;
    static const char json[] = "application/json";
    if (strncasecmp(ct, json, sizeof json - 1) != 0)
        return 0;
    const char *p = ct + sizeof json - 1;
    while (*p == ' ' || *p == '\t')
        p++;
    if (*p == '\0')
        return 1;
    if (*p++ != ';')
        return 0;
    while (*p == ' ' || *p == '\t')
        p++;
    static const char charset[] = "charset=";
    if (strncasecmp(p, charset, sizeof charset - 1) != 0)
        return 0;
    p += sizeof charset - 1;
    if (*p == '"')
        p++;
    if (strncasecmp(p, "utf-8", 5) != 0)
        return 0;
    p += 5;
    if (*p == '"')
        p++;
    while (*p == ' ' || *p == '\t')
        p++;
    return *p == '\0';
}

json_t *links_json_parse_body(const char *content_type, const char *body, size_t len,
                              int too_large, int *status, const char **title, char *detail_buf,
                              size_t detail_len)
{
    if (too_large) {
        *status = 413;
        *title = "Request body too large";
        snprintf(detail_buf, detail_len, "The request body is larger than this service accepts.");
        return NULL;
    }
    if (!is_json_media_type(content_type)) {
        *status = 415;
        *title = "Unsupported media type";
        snprintf(detail_buf, detail_len, "Send the request body as application/json.");
        return NULL;
    }
    if (body == NULL || len == 0) {
        *status = 400;
        *title = "Invalid request";
        snprintf(detail_buf, detail_len, "The request needs a JSON object as its body.");
        return NULL;
    }
    if (!links_utf8_valid(body, len)) {
        *status = 400;
        *title = "Invalid request";
        snprintf(detail_buf, detail_len, "The request body is not valid UTF-8 text.");
        return NULL;
    }
    json_error_t err;
    /* No NUL inside strings (they would cut text short in C and in
     * PostgreSQL), no member given twice. */
    json_t *doc = json_loadb(body, len, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &err);
    if (doc == NULL) {
        *status = 400;
        *title = "Invalid request";
        /* jansson names its own flag for \u0000; say what is wrong instead. */
        if (strstr(err.text, "NUL") != NULL)
            snprintf(detail_buf, detail_len, "The request body is not valid JSON for this service: it contains "
                     "a NUL character (\\u0000), which is not allowed (line %d, column %d).", err.line, err.column);
        else
            snprintf(detail_buf, detail_len, "The request body is not valid JSON: %s (line %d, column %d).",
                     err.text, err.line, err.column);
        return NULL;
    }
    if (!json_is_object(doc)) {
        json_decref(doc);
        *status = 400;
        *title = "Invalid request";
        snprintf(detail_buf, detail_len, "The request body must be a JSON object.");
        return NULL;
    }
    return doc;
}

static void decref(void *p)
{
    json_decref(p);
}

json_t *links_json_body(struct links_request *req)
{
    int status;
    const char *title;
    char detail[300];
    json_t *doc = links_json_parse_body(req->in.content_type, req->in.body, req->in.body_len,
                                        req->in.body_too_large, &status, &title, detail,
                                        sizeof detail);
    if (doc == NULL) {
        links_respond_problem(req, status, title, links_arena_strdup(req->arena, detail), NULL);
        return NULL;
    }
    if (links_arena_on_reset(req->arena, decref, doc) < 0) {
        json_decref(doc);
        links_respond_problem(req, 503, "Service temporarily overloaded",
                              "The server ran out of memory for this request.", NULL);
        return NULL;
    }
    return doc;
}

void links_fields_only(struct links_fields *f, const char *const *known)
{
    const char *key;
    json_t *value;
    json_object_foreach(f->obj, key, value) {
        int ok = 0;
        for (const char *const *k = known; *k != NULL && !ok; k++)
            ok = strcmp(key, *k) == 0;
        if (!ok)
            links_validation_add(f->v, key, "is not a field of this request");
    }
}

static int has_control_chars(const char *s)
{
    for (const unsigned char *c = (const unsigned char *)s; *c != '\0'; c++)
        if (*c < 0x20 || *c == 0x7f)
            return 1;
    return 0;
}

const char *links_field_string(struct links_fields *f, const char *name, int required,
                               size_t max_chars, int *present)
{
    json_t *j = json_object_get(f->obj, name);
    if (present != NULL)
        *present = j != NULL;
    if (j == NULL) {
        if (required)
            links_validation_add(f->v, name, "is required");
        return NULL;
    }
    if (!json_is_string(j)) {
        links_validation_add(f->v, name, "must be text");
        return NULL;
    }
    const char *s = json_string_value(j);
    if (strlen(s) != json_string_length(j)) {
        links_validation_add(f->v, name, "contains a NUL character");
        return NULL;
    }
    size_t n = links_utf8_length(s);
    if (n == 0 && required) {
        links_validation_add(f->v, name, "must not be empty");
        return NULL;
    }
    if (n > max_chars) {
        links_validation_add(f->v, name, "must be at most %zu characters (it has %zu)", max_chars, n);
        return NULL;
    }
    if (has_control_chars(s)) {
        links_validation_add(f->v, name, "contains control characters");
        return NULL;
    }
    if (n > 0 && strspn(s, " ") == strlen(s)) {
        links_validation_add(f->v, name, "must not be only spaces");
        return NULL;
    }
    return s;
}

int links_field_bool(struct links_fields *f, const char *name, int required)
{
    json_t *j = json_object_get(f->obj, name);
    if (j == NULL) {
        if (required)
            links_validation_add(f->v, name, "is required");
        return -1;
    }
    if (!json_is_boolean(j)) {
        links_validation_add(f->v, name, "must be true or false");
        return -1;
    }
    return json_is_true(j);
}

int links_field_int(struct links_fields *f, const char *name, int required, long min, long max,
                    long *out)
{
    json_t *j = json_object_get(f->obj, name);
    if (j == NULL) {
        if (required)
            links_validation_add(f->v, name, "is required");
        return -1;
    }
    if (!json_is_integer(j) || json_integer_value(j) < min || json_integer_value(j) > max) {
        links_validation_add(f->v, name, "must be a whole number from %ld to %ld", min, max);
        return -1;
    }
    *out = (long)json_integer_value(j);
    return 0;
}

int links_field_is_null(const struct links_fields *f, const char *name)
{
    return json_is_null(json_object_get(f->obj, name));
}
