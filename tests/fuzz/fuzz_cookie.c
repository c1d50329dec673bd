/* fuzz_cookie.c — the Cookie and Authorization headers and session/API
 * tokens: links_cookie_value, links_bearer_token, links_token_hash. A
 * token accepted must have the documented shape. */
#include <assert.h>
#include <ctype.h>

#include "auth.h"
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct links_arena *arena = fuzz_arena();
    char *header = fuzz_string(arena, data, size);
    if (header != NULL) {
        const char *names[] = { LINKS_SESSION_COOKIE_PLAIN, LINKS_SESSION_COOKIE_TLS, "a" };
        for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
            const char *v = links_cookie_value(arena, header, names[i]);
            if (v != NULL)
                assert(strlen(v) <= strlen(header));
        }
        const char *candidates[] = { links_cookie_value(arena, header, LINKS_SESSION_COOKIE_PLAIN),
                                     links_bearer_token(arena, header), header };
        for (size_t i = 0; i < sizeof candidates / sizeof candidates[0]; i++) {
            if (candidates[i] == NULL)
                continue;
            char hash[2 * LINKS_TOKEN_HASH_BYTES + 3], scope[16];
            if (links_token_hash(candidates[i], hash, scope) == 0) {
                assert(hash[0] == '\\' && hash[1] == 'x' && strlen(hash) == 2 * LINKS_TOKEN_HASH_BYTES + 2);
                assert(strlen(scope) >= 1 && strlen(scope) <= 15);
                const char *dot = strchr(candidates[i], '.');
                assert(dot != NULL && strlen(dot + 1) == 43);
            }
        }
    }
    links_arena_reset(arena);
    return 0;
}
