/* credentials.c — the password, token and header primitives behind
 * sign-in, with no database in sight (so they can be fuzzed alone):
 * argon2id hashing, random tokens and their BLAKE2b hashes, and parsing
 * the Cookie and Authorization headers. */
#include <assert.h>
#include <ctype.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "auth.h"
#include "validate.h"

/* ---- passwords ---------------------------------------------------------- */

int links_password_hash(const char *password, char out[128])
{
    static_assert(crypto_pwhash_STRBYTES <= 128, "hash buffer");
    return crypto_pwhash_str_alg(out, password, strlen(password), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                                 crypto_pwhash_MEMLIMIT_INTERACTIVE, crypto_pwhash_ALG_ARGON2ID13);
}

int links_password_verify(const char *stored_hash, const char *password)
{
    return crypto_pwhash_str_verify(stored_hash, password, strlen(password)) == 0;
}

const char *links_password_problem(const char *password)
{
    size_t n = links_utf8_length(password);
    if (n < LINKS_PASSWORD_MIN_CHARS)
        return "must be at least 12 characters long (a few words together make a good one)";
    if (n > LINKS_PASSWORD_MAX_CHARS)
        return "must be at most 128 characters long";
    return NULL;
}

/* ---- tokens ------------------------------------------------------------- */

static void hash_to_bytea(const unsigned char hash[LINKS_TOKEN_HASH_BYTES],
                          char out[2 * LINKS_TOKEN_HASH_BYTES + 3])
{
    out[0] = '\\';
    out[1] = 'x';
    sodium_bin2hex(out + 2, 2 * LINKS_TOKEN_HASH_BYTES + 1, hash, LINKS_TOKEN_HASH_BYTES);
}

void links_random_string(char out[44])
{
    unsigned char raw[LINKS_TOKEN_RANDOM_BYTES];
    randombytes_buf(raw, sizeof raw);
    sodium_bin2base64(out, 44, raw, sizeof raw, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

static int scope_valid(const char *s, size_t n)
{
    if (n == 0 || n > 15)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!isalnum((unsigned char)s[i]))
            return 0;
    return 1;
}

int links_token_new(const char *scope, char out[LINKS_TOKEN_MAX],
                    char hash_bytea[2 * LINKS_TOKEN_HASH_BYTES + 3])
{
    if (!scope_valid(scope, strlen(scope)))
        return -1;
    char random[44];
    links_random_string(random);
    snprintf(out, LINKS_TOKEN_MAX, "%s.%s", scope, random);
    char ignored[16];
    return links_token_hash(out, hash_bytea, ignored);
}

int links_token_hash(const char *token, char hash_bytea[2 * LINKS_TOKEN_HASH_BYTES + 3],
                     char scope[16])
{
    const char *dot = strchr(token, '.');
    if (dot == NULL || !scope_valid(token, (size_t)(dot - token)))
        return -1;
    size_t random_len = strlen(dot + 1);
    if (random_len != 43)
        return -1;
    for (const char *c = dot + 1; *c != '\0'; c++)
        if (!isalnum((unsigned char)*c) && *c != '-' && *c != '_')
            return -1;
    memcpy(scope, token, (size_t)(dot - token));
    scope[dot - token] = '\0';
    unsigned char hash[LINKS_TOKEN_HASH_BYTES];
    crypto_generichash(hash, sizeof hash, (const unsigned char *)token, strlen(token), NULL, 0);
    hash_to_bytea(hash, hash_bytea);
    return 0;
}

/* ---- headers ------------------------------------------------------------ */

/* Cookie: name=value; name2=value2 (RFC 6265 section 4.2.1). The first
 * cookie of that name wins, as browsers send the most specific first. */
const char *links_cookie_value(struct links_arena *arena, const char *header, const char *name)
{
    if (header == NULL)
        return NULL;
    size_t name_len = strlen(name);
    const char *p = header;
    while (*p != '\0') {
        while (*p == ' ' || *p == '\t' || *p == ';')
            p++;
        const char *end = strchr(p, ';');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        if (len > name_len && strncmp(p, name, name_len) == 0 && p[name_len] == '=') {
            const char *v = p + name_len + 1;
            size_t vlen = len - name_len - 1;
            while (vlen > 0 && (v[vlen - 1] == ' ' || v[vlen - 1] == '\t'))
                vlen--;
            if (vlen >= 2 && v[0] == '"' && v[vlen - 1] == '"') {
                v++;
                vlen -= 2;
            }
            return links_arena_strndup(arena, v, vlen);
        }
        p += len;
    }
    return NULL;
}

const char *links_bearer_token(struct links_arena *arena, const char *header)
{
    if (header == NULL)
        return NULL;
    while (*header == ' ')
        header++;
    if (strncasecmp(header, "Bearer ", 7) != 0)
        return NULL;
    const char *t = header + 7;
    while (*t == ' ')
        t++;
    size_t n = strlen(t);
    while (n > 0 && t[n - 1] == ' ')
        n--;
    return n > 0 ? links_arena_strndup(arena, t, n) : NULL;
}

