/* arena.h — per-request memory: allocate freely, release everything at once.
 *
 * A request's allocations (strings, JSON text, libpq results via cleanups)
 * come from one arena that is reset when the request ends, so the request
 * path needs no free() bookkeeping and cannot leak. */
#ifndef LINKS_ARENA_H
#define LINKS_ARENA_H

#include <stdarg.h>
#include <stddef.h>

struct links_arena;

typedef void (*links_cleanup_fn)(void *data);

struct links_arena *links_arena_new(size_t first_block_size);
void links_arena_destroy(struct links_arena *arena);
/* Run cleanups and forget every allocation, keeping the first block. */
void links_arena_reset(struct links_arena *arena);

/* NULL only when memory is exhausted. Memory is 16-byte aligned. */
void *links_arena_alloc(struct links_arena *arena, size_t size);
void *links_arena_zalloc(struct links_arena *arena, size_t size);
char *links_arena_strdup(struct links_arena *arena, const char *s);
char *links_arena_strndup(struct links_arena *arena, const char *s, size_t n);
char *links_arena_printf(struct links_arena *arena, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
char *links_arena_vprintf(struct links_arena *arena, const char *fmt, va_list ap);

/* Call fn(data) when the arena is reset or destroyed (last registered runs
 * first). Returns -1 (and runs nothing) when memory is exhausted; callers
 * then clean up themselves. */
int links_arena_on_reset(struct links_arena *arena, links_cleanup_fn fn, void *data);

/* Bytes handed out since the last reset (for limits and tests). */
size_t links_arena_used(const struct links_arena *arena);

#endif
