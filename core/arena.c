/* arena.c — bump allocator with a chain of blocks and a cleanup stack. */
#include "arena.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ARENA_ALIGN 16

struct arena_block {
    struct arena_block *next;
    size_t size;
    size_t used;
    _Alignas(ARENA_ALIGN) unsigned char data[];
};

struct arena_cleanup {
    struct arena_cleanup *next;
    links_cleanup_fn fn;
    void *data;
};

struct links_arena {
    struct arena_block *first;   /* kept across resets */
    struct arena_block *current;
    struct arena_cleanup *cleanups;
    size_t used;
};

static struct arena_block *block_new(size_t size)
{
    struct arena_block *b = malloc(sizeof *b + size);
    if (b == NULL)
        return NULL;
    b->next = NULL;
    b->size = size;
    b->used = 0;
    return b;
}

struct links_arena *links_arena_new(size_t first_block_size)
{
    struct links_arena *a = calloc(1, sizeof *a);
    if (a == NULL)
        return NULL;
    a->first = block_new(first_block_size ? first_block_size : 16384);
    if (a->first == NULL) {
        free(a);
        return NULL;
    }
    a->current = a->first;
    return a;
}

static void run_cleanups(struct links_arena *a)
{
    while (a->cleanups != NULL) {
        struct arena_cleanup *c = a->cleanups;
        a->cleanups = c->next;
        c->fn(c->data);
    }
}

void links_arena_reset(struct links_arena *a)
{
    run_cleanups(a);
    struct arena_block *b = a->first->next;
    while (b != NULL) {
        struct arena_block *next = b->next;
        free(b);
        b = next;
    }
    a->first->next = NULL;
    a->first->used = 0;
    a->current = a->first;
    a->used = 0;
}

void links_arena_destroy(struct links_arena *a)
{
    if (a == NULL)
        return;
    links_arena_reset(a);
    free(a->first);
    free(a);
}

void *links_arena_alloc(struct links_arena *a, size_t size)
{
    size_t need = (size + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
    if (need < size)
        return NULL; /* overflow */
    struct arena_block *b = a->current;
    if (b->size - b->used < need) {
        size_t block_size = a->first->size;
        while (block_size < need) {
            if (block_size > SIZE_MAX / 2)
                return NULL;
            block_size *= 2;
        }
        struct arena_block *nb = block_new(block_size);
        if (nb == NULL)
            return NULL;
        b->next = nb;
        a->current = b = nb;
    }
    void *p = b->data + b->used;
    b->used += need;
    a->used += need;
    return p;
}

void *links_arena_zalloc(struct links_arena *a, size_t size)
{
    void *p = links_arena_alloc(a, size);
    if (p != NULL)
        memset(p, 0, size);
    return p;
}

char *links_arena_strndup(struct links_arena *a, const char *s, size_t n)
{
    char *p = links_arena_alloc(a, n + 1);
    if (p == NULL)
        return NULL;
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *links_arena_strdup(struct links_arena *a, const char *s)
{
    return links_arena_strndup(a, s, strlen(s));
}

char *links_arena_vprintf(struct links_arena *a, const char *fmt, va_list ap)
{
    va_list copy;
    va_copy(copy, ap);
    int n = vsnprintf(NULL, 0, fmt, copy);
    va_end(copy);
    if (n < 0)
        return NULL;
    char *p = links_arena_alloc(a, (size_t)n + 1);
    if (p != NULL)
        vsnprintf(p, (size_t)n + 1, fmt, ap);
    return p;
}

char *links_arena_printf(struct links_arena *a, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *p = links_arena_vprintf(a, fmt, ap);
    va_end(ap);
    return p;
}

int links_arena_on_reset(struct links_arena *a, links_cleanup_fn fn, void *data)
{
    struct arena_cleanup *c = links_arena_alloc(a, sizeof *c);
    if (c == NULL)
        return -1;
    c->fn = fn;
    c->data = data;
    c->next = a->cleanups;
    a->cleanups = c;
    return 0;
}

size_t links_arena_used(const struct links_arena *a)
{
    return a->used;
}
