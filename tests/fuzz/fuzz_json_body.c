/* fuzz_json_body.c — a request body as linksd reads it: the media type
 * (the first input line), the JSON text (the rest), then the member readers
 * a handler uses (unknown members, strings, booleans, integers) and a
 * champion's service edit (links_directory_edit). */
#include <assert.h>

#include "body.h"
#include "directory_edit.h"
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct links_arena *arena = fuzz_arena();
    const uint8_t *nl = memchr(data, '\n', size);
    size_t type_len = nl ? (size_t)(nl - data) : 0;
    char *type = nl ? fuzz_string(arena, data, type_len) : (char *)"application/json";
    const char *body = (const char *)(nl ? nl + 1 : data);
    size_t body_len = nl ? size - type_len - 1 : size;
    int status;
    const char *title;
    char detail[300];
    json_t *doc = links_json_parse_body(type, body_len ? body : NULL, body_len, 0, &status, &title,
                                        detail, sizeof detail);
    if (doc == NULL) {
        assert(status == 400 || status == 413 || status == 415);
        assert(title != NULL && detail[0] != '\0');
    } else {
        assert(json_is_object(doc));
        struct links_validation v;
        links_validation_init(&v);
        struct links_fields f = { doc, &v };
        static const char *const known[] = { "username", "password", "role", "disabled", "list_size", NULL };
        links_fields_only(&f, known);
        int present;
        const char *u = links_field_string(&f, "username", 1, 64, &present);
        if (u != NULL)
            assert(links_utf8_length(u) <= 64 && present);
        links_field_string(&f, "password", 0, 1024, NULL);
        links_field_bool(&f, "disabled", 0);
        long n;
        if (links_field_int(&f, "list_size", 0, 1, 200000, &n) == 0)
            assert(n >= 1 && n <= 200000);
        links_field_is_null(&f, "role");
        /* A service edit keeps only members it has checked: what it returns
         * is a subset of the body, and nothing passes when it complains. */
        struct links_validation ev;
        links_validation_init(&ev);
        json_t *edit = links_directory_edit(doc, &ev, size % 2);
        assert(json_is_object(edit) && json_object_size(edit) <= json_object_size(doc));
        const char *key;
        json_t *value;
        json_object_foreach(edit, key, value)
            assert(json_object_get(doc, key) != NULL);
        links_validation_free(&ev);
        json_decref(edit);
        struct links_request req;
        links_request_init(&req, arena);
        if (links_validation_failed(&v)) {
            links_validation_respond(&req, &v);
            assert(req.status == 400 && req.body_len > 0);
        } else {
            links_validation_free(&v);
        }
        json_decref(doc);
    }
    links_arena_reset(arena);
    return 0;
}
