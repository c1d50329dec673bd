/* fuzz_common.h — what every harness shares: one arena per input, reset
 * after it, so leaks and use-after-reset show up under ASan. */
#ifndef LINKS_FUZZ_COMMON_H
#define LINKS_FUZZ_COMMON_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "arena.h"
#include "http.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct links_arena *fuzz_arena(void)
{
    static struct links_arena *arena;
    if (arena == NULL)
        arena = links_arena_new(4096);
    return arena;
}

/* The input as a NUL-terminated string in the arena (NULs inside stay:
 * C callers see a shorter string, as they would from libfcgi). */
static char *fuzz_string(struct links_arena *arena, const uint8_t *data, size_t size)
{
    char *s = links_arena_alloc(arena, size + 1);
    if (s != NULL) {
        memcpy(s, data, size);
        s[size] = '\0';
    }
    return s;
}

#endif
