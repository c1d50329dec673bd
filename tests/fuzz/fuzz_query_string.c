/* fuzz_query_string.c — links_parse_query: %-escapes, '+', UTF-8
 * checks, repeated and too many parameters. Every accepted parameter must
 * come out as valid UTF-8 with no NUL, and a refusal must be a 400. */
#include <assert.h>

#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct links_arena *arena = fuzz_arena();
    struct links_request req;
    links_request_init(&req, arena);
    req.query_string = fuzz_string(arena, data, size);
    if (req.query_string != NULL) {
        if (links_parse_query(&req) == 0) {
            for (int i = 0; i < req.nparams; i++) {
                const char *n = req.params[i].name, *v = req.params[i].value;
                assert(n[0] != '\0');
                assert(links_utf8_valid(n, strlen(n)) && links_utf8_valid(v, strlen(v)));
                assert(links_param(&req, n) != NULL);
            }
        } else {
            assert(req.status == 400 || req.status == 503);
            assert(req.body != NULL && req.body_len > 0);
        }
    }
    links_arena_reset(arena);
    return 0;
}
