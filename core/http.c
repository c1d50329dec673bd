/* http.c — query-string decoding and JSON / problem+json responses. */
#include "http.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void links_request_init(struct links_request *req, struct links_arena *arena)
{
    memset(req, 0, sizeof *req);
    req->arena = arena;
    req->status = 200;
}

static int hex_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

long links_url_decode(const char *in, size_t len, char *out)
{
    size_t o = 0;
    for (size_t i = 0; i < len; i++) {
        char c = in[i];
        if (c == '+') {
            out[o++] = ' ';
        } else if (c == '%') {
            if (i + 2 >= len)
                return -1;
            int hi = hex_value(in[i + 1]), lo = hex_value(in[i + 2]);
            if (hi < 0 || lo < 0)
                return -1;
            out[o++] = (char)(hi * 16 + lo);
            i += 2;
        } else {
            out[o++] = c;
        }
    }
    out[o] = '\0';
    return (long)o;
}

/* Strict UTF-8 (RFC 3629): no overlongs, no surrogates, nothing above U+10FFFF. */
int links_utf8_valid(const char *str, size_t len)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t i = 0;
    while (i < len) {
        unsigned char c = s[i];
        if (c < 0x80) {
            i++;
            continue;
        }
        size_t n;
        unsigned min;
        unsigned cp;
        if ((c & 0xE0) == 0xC0) {
            n = 1; min = 0x80; cp = c & 0x1F;
        } else if ((c & 0xF0) == 0xE0) {
            n = 2; min = 0x800; cp = c & 0x0F;
        } else if ((c & 0xF8) == 0xF0) {
            n = 3; min = 0x10000; cp = c & 0x07;
        } else {
            return 0;
        }
        if (len - i <= n)
            return 0;
        for (size_t k = 1; k <= n; k++) {
            if ((s[i + k] & 0xC0) != 0x80)
                return 0;
            cp = (cp << 6) | (s[i + k] & 0x3F);
        }
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return 0;
        i += n + 1;
    }
    return 1;
}

static void bad_query(struct links_request *req, const char *field, const char *message)
{
    struct links_validation v;
    links_validation_init(&v);
    links_validation_add(&v, field, "%s", message);
    links_validation_respond(req, &v);
}

int links_parse_query(struct links_request *req)
{
    const char *qs = req->query_string ? req->query_string : "";
    while (*qs != '\0') {
        const char *amp = strchr(qs, '&');
        size_t len = amp ? (size_t)(amp - qs) : strlen(qs);
        if (len > 0) {
            const char *eq = memchr(qs, '=', len);
            size_t name_len = eq ? (size_t)(eq - qs) : len;
            size_t value_len = eq ? len - name_len - 1 : 0;
            char *name = links_arena_alloc(req->arena, name_len + 1);
            char *value = links_arena_alloc(req->arena, value_len + 1);
            if (name == NULL || value == NULL) {
                links_respond_problem(req, 503, "Service temporarily overloaded",
                                      "The server ran out of memory for this request.", NULL);
                return -1;
            }
            long nl = links_url_decode(qs, name_len, name);
            long vl = eq ? links_url_decode(eq + 1, value_len, value) : 0;
            if (!eq)
                value[0] = '\0';
            const char *field = nl > 0 && links_utf8_valid(name, (size_t)nl) &&
                                        strlen(name) == (size_t)nl ? name : "query";
            if (nl < 0 || vl < 0) {
                bad_query(req, field, "contains a malformed %-escape (use %XX with two hex digits)");
                return -1;
            }
            if ((size_t)nl != strlen(name) || (size_t)vl != strlen(value)) {
                bad_query(req, field, "contains a NUL byte (%00), which is not allowed");
                return -1;
            }
            if (nl == 0) {
                bad_query(req, "query", "has a parameter without a name (\"=value\")");
                return -1;
            }
            if (!links_utf8_valid(name, (size_t)nl) || !links_utf8_valid(value, (size_t)vl)) {
                bad_query(req, field, "is not valid UTF-8 text");
                return -1;
            }
            if (links_param(req, name) != NULL) {
                bad_query(req, name, "is given more than once");
                return -1;
            }
            if (req->nparams == LINKS_MAX_QUERY_PARAMS) {
                bad_query(req, "query", "has too many parameters");
                return -1;
            }
            req->params[req->nparams].name = name;
            req->params[req->nparams].value = value;
            req->nparams++;
        }
        if (amp == NULL)
            break;
        qs = amp + 1;
    }
    return 0;
}

const char *links_param(const struct links_request *req, const char *name)
{
    for (int i = 0; i < req->nparams; i++)
        if (strcmp(req->params[i].name, name) == 0)
            return req->params[i].value;
    return NULL;
}

void links_add_header(struct links_request *req, const char *name, const char *value)
{
    if (req->nheaders == LINKS_MAX_HEADERS)
        return;
    req->headers[req->nheaders].name = name;
    req->headers[req->nheaders].value = value;
    req->nheaders++;
}

static void free_string(void *p)
{
    free(p);
}

static void set_json_body(struct links_request *req, json_t *doc)
{
    /* UTF-8 out as it came in: JSON_ENSURE_ASCII decoded every character
     * again and was the largest single cost of a search response. */
    char *text = json_dumps(doc, JSON_COMPACT | JSON_REAL_PRECISION(10));
    json_decref(doc);
    if (text == NULL || links_arena_on_reset(req->arena, free_string, text) < 0) {
        free(text);
        static const char fallback[] =
            "{\"type\":\"about:blank\",\"title\":\"Service temporarily overloaded\",\"status\":503}";
        req->status = 503;
        req->content_type = "application/problem+json";
        req->body = fallback;
        req->body_len = sizeof fallback - 1;
        return;
    }
    req->body = text;
    req->body_len = strlen(text);
}

void links_respond_json(struct links_request *req, int status, json_t *doc)
{
    req->status = status;
    req->content_type = "application/json";
    set_json_body(req, doc);
}

void links_respond_json_with(struct links_request *req, int status, json_t *doc, const char *key,
                             const char *raw_json)
{
    links_respond_json(req, status, doc);
    if (req->status != status || req->body_len < 2 || req->body[req->body_len - 1] != '}')
        return;                         /* out of memory: the 503 stands */
    /* Spliced with memcpy: the raw array is tens of kilobytes, and printf's
     * "%s" copies it a byte at a time (a fifth of linksd's CPU per search). */
    const char *sep = req->body_len > 2 ? "," : "";
    size_t head_len = req->body_len - 1, sep_len = strlen(sep), key_len = strlen(key),
           raw_len = strlen(raw_json);
    size_t len = head_len + sep_len + 1 + key_len + 2 + raw_len + 1;
    char *body = links_arena_alloc(req->arena, len + 1);
    if (body == NULL) {
        links_respond_problem(req, 503, "Service temporarily overloaded",
                              "The server ran out of memory for this request.", NULL);
        return;
    }
    char *at = body;
    memcpy(at, req->body, head_len), at += head_len;
    memcpy(at, sep, sep_len), at += sep_len;
    *at++ = '"';
    memcpy(at, key, key_len), at += key_len;
    *at++ = '"';
    *at++ = ':';
    memcpy(at, raw_json, raw_len), at += raw_len;
    *at++ = '}';
    *at = '\0';
    req->body = body;
    req->body_len = len;
}

void links_respond_raw_json(struct links_request *req, int status, const char *json_text)
{
    char *body = links_arena_strdup(req->arena, json_text);
    if (body == NULL) {
        links_respond_problem(req, 503, "Service temporarily overloaded",
                              "The server ran out of memory for this request.", NULL);
        return;
    }
    req->status = status;
    req->content_type = "application/json";
    req->body = body;
    req->body_len = strlen(body);
}

void links_respond_problem(struct links_request *req, int status, const char *title,
                           const char *detail, json_t *errors)
{
    links_respond_problem_extra(req, status, title, detail,
                                errors != NULL ? json_pack("{s:o}", "errors", errors) : NULL);
}

void links_respond_problem_extra(struct links_request *req, int status, const char *title,
                                 const char *detail, json_t *extra)
{
    json_t *doc = json_object();
    json_object_set_new(doc, "type", json_string("about:blank"));
    json_object_set_new(doc, "title", json_string(title));
    json_object_set_new(doc, "status", json_integer(status));
    if (detail != NULL)
        json_object_set_new(doc, "detail", json_string(detail));
    if (extra != NULL) {
        json_object_update(doc, extra);
        json_decref(extra);
    }
    if (req->request_id != NULL)
        json_object_set_new(doc, "request_id", json_string(req->request_id));
    req->status = status;
    set_json_body(req, doc);
    if (req->status == status)
        req->content_type = "application/problem+json";
}

void links_validation_init(struct links_validation *v)
{
    v->errors = json_array();
}

void links_validation_add(struct links_validation *v, const char *field, const char *fmt, ...)
{
    char message[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(message, sizeof message, fmt, ap);
    va_end(ap);
    json_t *e = json_object();
    /* field names come from the client: keep them printable and short */
    char safe_field[65];
    snprintf(safe_field, sizeof safe_field, "%s", field);
    json_object_set_new(e, "field", json_string(links_utf8_valid(safe_field, strlen(safe_field))
                                                    ? safe_field : "query"));
    json_object_set_new(e, "message", json_string(message));
    json_array_append_new(v->errors, e);
}

int links_validation_failed(const struct links_validation *v)
{
    return json_array_size(v->errors) > 0;
}

void links_validation_respond(struct links_request *req, struct links_validation *v)
{
    size_t n = json_array_size(v->errors);
    const char *first = json_string_value(json_object_get(json_array_get(v->errors, 0), "message"));
    const char *field = json_string_value(json_object_get(json_array_get(v->errors, 0), "field"));
    char *detail = n == 1 ? links_arena_printf(req->arena, "%s %s", field, first)
                          : links_arena_printf(req->arena, "%zu parameters are invalid; see errors.", n);
    links_respond_problem(req, 400, "Invalid request", detail, v->errors);
    v->errors = NULL;
}

void links_validation_free(struct links_validation *v)
{
    json_decref(v->errors);
    v->errors = NULL;
}

const char *links_status_reason(int status)
{
    switch (status) {
    case 200: return "OK";
    case 201: return "Created";
    case 204: return "No Content";
    case 304: return "Not Modified";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 406: return "Not Acceptable";
    case 409: return "Conflict";
    case 412: return "Precondition Failed";
    case 413: return "Content Too Large";
    case 415: return "Unsupported Media Type";
    case 422: return "Unprocessable Content";
    case 429: return "Too Many Requests";
    case 500: return "Internal Server Error";
    case 503: return "Service Unavailable";
    default: return "Unknown";
    }
}
