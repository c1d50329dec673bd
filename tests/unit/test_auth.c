/* test_auth.c — the permission matrix, credentials (passwords, tokens,
 * cookies, bearer headers) and request bodies, without a database. The
 * matrix expectations are docs/PERMISSIONS.md's table written out again. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "authz.h"
#include "body.h"

static struct links_arena *arena;
static void arena_setup(void) { arena = links_arena_new(4096); }
static void arena_teardown(void) { links_arena_destroy(arena); }

/* ---- the matrix ---------------------------------------------------------- */

#define R LINKS_ROLE_RECEPTIONIST
#define N LINKS_ROLE_PRACTICE_NURSE
#define G LINKS_ROLE_GP
#define L LINKS_ROLE_LINKS_WORKER
#define C LINKS_ROLE_CHAMPION
#define B LINKS_ROLE_BOARD_ADMIN
#define S LINKS_ROLE_SYSTEM_ADMIN

struct expectation {
    enum links_permission perm;
    enum links_role allowed[8];     /* terminated by LINKS_ROLE_NONE */
};

static const struct expectation matrix[] = {
    { LINKS_PERM_OWN_SESSION, { R, N, G, L, C, B, S } },
    { LINKS_PERM_PRACTICE_READ, { R, N, G, L, C, B, S } },
    { LINKS_PERM_PRACTICE_MANAGE, { B, S } },
    { LINKS_PERM_STAFF_READ, { B, S } },
    { LINKS_PERM_STAFF_MANAGE, { B, S } },
    { LINKS_PERM_TOKEN_MANAGE, { B, S } },
    { LINKS_PERM_AUDIT_READ, { B, S } },
    { LINKS_PERM_DEPLOYMENT_AUDIT_READ, { S } },
    { LINKS_PERM_DIRECTORY_EDIT, { C, B } },
    { LINKS_PERM_SIGNPOST_CREATE, { R, N, G, L } },
    { LINKS_PERM_REFERRAL_CREATE, { N, G, L } },
    { LINKS_PERM_PATIENT_READ, { N, G, L } },
    { LINKS_PERM_CASELOAD, { L } },
    { LINKS_PERM_REPORT_READ, { G, L, C, B } },
    { LINKS_PERM_DIRECTORY_SETTINGS, { B } },
};

START_TEST(test_matrix)
{
    const struct expectation *e = &matrix[_i];
    for (int role = LINKS_ROLE_NONE; role < LINKS_ROLE_COUNT; role++) {
        int expected = 0;
        for (int k = 0; k < 8 && e->allowed[k] != LINKS_ROLE_NONE; k++)
            expected |= e->allowed[k] == (enum links_role)role;
        ck_assert_msg(links_role_can((enum links_role)role, e->perm) == expected, "%s: %s should %sbe allowed",
                      links_permission_name(e->perm), links_role_name((enum links_role)role) ? links_role_name((enum links_role)role) : "nobody",
                      expected ? "" : "not ");
    }
}
END_TEST

START_TEST(test_matrix_edges)
{
    /* Public is everyone's, signed in or not; nothing else is the anonymous role's. */
    ck_assert(links_role_can(LINKS_ROLE_NONE, LINKS_PERM_PUBLIC));
    ck_assert(!links_role_can(LINKS_ROLE_NONE, LINKS_PERM_OWN_SESSION));
    ck_assert(!links_role_can(LINKS_ROLE_COUNT, LINKS_PERM_OWN_SESSION));
    ck_assert(!links_role_can(B, LINKS_PERM_COUNT));
    /* Every permission is in the expectations above (a new one needs a row). */
    ck_assert_int_eq((int)(sizeof matrix / sizeof matrix[0]), LINKS_PERM_COUNT - 1);
}
END_TEST

START_TEST(test_roles)
{
    static const char *const names[] = { "receptionist", "practice_nurse", "gp", "links_worker", "champion",
                                         "board_admin", "system_admin" };
    for (int i = 0; i < 7; i++) {
        enum links_role r = links_role_parse(names[i]);
        ck_assert_int_eq(r, LINKS_ROLE_RECEPTIONIST + i);
        ck_assert_str_eq(links_role_name(r), names[i]);
    }
    ck_assert_int_eq(links_role_parse("Receptionist"), LINKS_ROLE_NONE);
    ck_assert_int_eq(links_role_parse(""), LINKS_ROLE_NONE);
    ck_assert_int_eq(links_role_parse(NULL), LINKS_ROLE_NONE);
    ck_assert_str_eq(links_role_label(N), "Practice nurse");
    /* Board administrators give any board role, not the system role; only a
     * system administrator gives that; nobody else gives any. */
    for (int r = R; r <= B; r++) {
        ck_assert(links_role_may_assign(B, (enum links_role)r));
        ck_assert(links_role_may_assign(S, (enum links_role)r));
        ck_assert(!links_role_may_assign(G, (enum links_role)r));
    }
    ck_assert(!links_role_may_assign(B, S));
    ck_assert(links_role_may_assign(S, S));
    ck_assert(!links_role_may_assign(S, LINKS_ROLE_NONE));
}
END_TEST

/* ---- credentials ----------------------------------------------------------- */

START_TEST(test_password_hash)
{
    char hash[128];
    ck_assert_int_eq(links_password_hash("correct horse battery", hash), 0);
    ck_assert_msg(strncmp(hash, "$argon2id$v=19$m=65536,t=2,p=1$", 31) == 0, "%s", hash);
    ck_assert(links_password_verify(hash, "correct horse battery"));
    ck_assert(!links_password_verify(hash, "correct horse batterY"));
    ck_assert(!links_password_verify(hash, ""));
    char again[128];
    links_password_hash("correct horse battery", again);
    ck_assert_str_ne(hash, again);          /* a fresh salt each time */
    ck_assert(!links_password_verify("not a hash", "x"));
}
END_TEST

START_TEST(test_password_rules)
{
    ck_assert_ptr_nonnull(links_password_problem("elevenchars"));
    ck_assert_ptr_null(links_password_problem("twelve chars"));
    /* Characters, not bytes: 12 two-byte letters pass, 11 do not. */
    ck_assert_ptr_null(links_password_problem("éééééééééééé"));
    ck_assert_ptr_nonnull(links_password_problem("ééééééééééé"));
    char longest[129];
    memset(longest, 'x', 128);
    longest[128] = '\0';
    ck_assert_ptr_null(links_password_problem(longest));
    char too_long[130];
    memset(too_long, 'x', 129);
    too_long[129] = '\0';
    ck_assert_ptr_nonnull(links_password_problem(too_long));
}
END_TEST

START_TEST(test_tokens)
{
    char token[LINKS_TOKEN_MAX], hash[2 * LINKS_TOKEN_HASH_BYTES + 3], again[2 * LINKS_TOKEN_HASH_BYTES + 3];
    char scope[16];
    ck_assert_int_eq(links_token_new("S08000031", token, hash), 0);
    ck_assert_int_eq(strlen(token), 10 + 43);
    ck_assert(strncmp(token, "S08000031.", 10) == 0);
    ck_assert(strncmp(hash, "\\x", 2) == 0 && strlen(hash) == 66);
    ck_assert_int_eq(links_token_hash(token, again, scope), 0);
    ck_assert_str_eq(again, hash);
    ck_assert_str_eq(scope, "S08000031");
    /* The hash is not the token, and another token hashes differently. */
    char other[LINKS_TOKEN_MAX], other_hash[2 * LINKS_TOKEN_HASH_BYTES + 3];
    links_token_new("S08000031", other, other_hash);
    ck_assert_str_ne(other, token);
    ck_assert_str_ne(other_hash, hash);
    /* BLAKE2b-256 of a known token (computed with Python's hashlib.blake2b(digest_size=32)). */
    ck_assert_int_eq(links_token_hash("system.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", again, scope), 0);
    ck_assert_str_eq(scope, "system");
    ck_assert_str_eq(again, "\\xc7f1ec9b4f89fbcf6ead20d353feb7a3c63f1d97616bedda3a1336aaab5ac2c7");
    static const char *const bad[] = { "", ".", "S08000031", "S08000031.", "S08000031.short",
                                       ".AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
                                       "S08000031.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
                                       "S0800003/.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
                                       "averyveryverylongscope.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
                                       "S08000031.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\x01" };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        ck_assert_msg(links_token_hash(bad[i], again, scope) == -1, "accepted \"%s\"", bad[i]);
    ck_assert_int_eq(links_token_new("not/a scope", token, hash), -1);
}
END_TEST

START_TEST(test_cookies)
{
    ck_assert_str_eq(links_cookie_value(arena, "links_session=abc", "links_session"), "abc");
    ck_assert_str_eq(links_cookie_value(arena, "a=1; links_session=abc; b=2", "links_session"), "abc");
    ck_assert_str_eq(links_cookie_value(arena, "a=1;links_session=\"abc\" ", "links_session"), "abc");
    ck_assert_str_eq(links_cookie_value(arena, "links_session=first; links_session=second", "links_session"), "first");
    ck_assert_str_eq(links_cookie_value(arena, "links_session=", "links_session"), "");
    /* A name is matched whole: not as a prefix or a suffix of another. */
    ck_assert_ptr_null(links_cookie_value(arena, "xlinks_session=abc", "links_session"));
    ck_assert_ptr_null(links_cookie_value(arena, "links_session_old=abc", "links_session"));
    ck_assert_ptr_null(links_cookie_value(arena, "__Host-links_session=abc", "links_session"));
    ck_assert_str_eq(links_cookie_value(arena, "__Host-links_session=abc", "__Host-links_session"), "abc");
    ck_assert_ptr_null(links_cookie_value(arena, NULL, "links_session"));
    ck_assert_ptr_null(links_cookie_value(arena, "", "links_session"));
    ck_assert_ptr_null(links_cookie_value(arena, ";;;", "links_session"));
}
END_TEST

START_TEST(test_bearer)
{
    ck_assert_str_eq(links_bearer_token(arena, "Bearer abc.def"), "abc.def");
    ck_assert_str_eq(links_bearer_token(arena, "bearer  abc "), "abc");
    ck_assert_ptr_null(links_bearer_token(arena, "Basic dXNlcjpwYXNz"));
    ck_assert_ptr_null(links_bearer_token(arena, "Bearer "));
    ck_assert_ptr_null(links_bearer_token(arena, "Bearer"));
    ck_assert_ptr_null(links_bearer_token(arena, NULL));
}
END_TEST

/* ---- bodies ---------------------------------------------------------------- */

struct body_case {
    const char *type;
    const char *body;
    int status;             /* 0: accepted */
    const char *detail;     /* part of the detail */
};

static const struct body_case body_cases[] = {
    { "application/json", "{\"a\":1}", 0, NULL },
    { "application/json; charset=utf-8", "{}", 0, NULL },
    { "Application/JSON;charset=\"UTF-8\"", "{}", 0, NULL },
    { "application/json; charset=latin1", "{}", 415, "application/json" },
    { "application/json-patch+json", "{}", 415, NULL },
    { "text/plain", "{}", 415, NULL },
    { "application/x-www-form-urlencoded", "a=1", 415, NULL },
    { NULL, "{}", 415, NULL },
    { "application/json", "", 400, "JSON object as its body" },
    { "application/json", "[1]", 400, "must be a JSON object" },
    { "application/json", "42", 400, "must be a JSON object" },
    { "application/json", "{\"a\":1,\"a\":2}", 400, "not valid JSON" },
    { "application/json", "{\"a\":", 400, "not valid JSON" },
    { "application/json", "{\"a\":\"\\u0000\"}", 400, "not valid JSON" },
    { "application/json", "{\"a\":\"\xff\"}", 400, "UTF-8" },
};

START_TEST(test_body)
{
    const struct body_case *c = &body_cases[_i];
    int status = 0;
    const char *title = NULL;
    char detail[300] = "";
    json_t *doc = links_json_parse_body(c->type, c->body, strlen(c->body), 0, &status, &title, detail, sizeof detail);
    if (c->status == 0) {
        ck_assert_msg(doc != NULL, "%s %s refused: %s", c->type, c->body, detail);
        json_decref(doc);
    } else {
        ck_assert_msg(doc == NULL, "%s %s accepted", c->type ? c->type : "(none)", c->body);
        ck_assert_int_eq(status, c->status);
        ck_assert_ptr_nonnull(title);
        if (c->detail)
            ck_assert_msg(strstr(detail, c->detail) != NULL, "\"%s\" lacks \"%s\"", detail, c->detail);
    }
}
END_TEST

START_TEST(test_body_too_large_wins)
{
    int status;
    const char *title;
    char detail[300];
    ck_assert_ptr_null(links_json_parse_body("text/plain", "{}", 2, 1, &status, &title, detail, sizeof detail));
    ck_assert_int_eq(status, 413);
}
END_TEST

START_TEST(test_fields)
{
    json_error_t err;
    json_t *doc = json_loads("{\"name\":\"Jo\",\"role\":7,\"ok\":true,\"n\":5,\"big\":500,\"ctl\":\"a\\tb\","
                             "\"empty\":\"\",\"extra\":1,\"nul\":null,\"spaces\":\"   \"}", 0, &err);
    ck_assert_ptr_nonnull(doc);
    struct links_validation v;
    links_validation_init(&v);
    struct links_fields f = { doc, &v };
    static const char *const known[] = { "name", "role", "ok", "n", "big", "ctl", "empty", "nul", "spaces", NULL };
    links_fields_only(&f, known);
    int present = -1;
    ck_assert_str_eq(links_field_string(&f, "name", 1, 10, &present), "Jo");
    ck_assert_int_eq(present, 1);
    ck_assert_ptr_null(links_field_string(&f, "name", 1, 1, NULL));             /* too long */
    ck_assert_ptr_null(links_field_string(&f, "role", 1, 10, NULL));            /* not text */
    ck_assert_ptr_null(links_field_string(&f, "ctl", 1, 10, NULL));             /* control character */
    ck_assert_ptr_null(links_field_string(&f, "empty", 1, 10, NULL));           /* required, empty */
    ck_assert_ptr_null(links_field_string(&f, "spaces", 0, 10, NULL));          /* only spaces */
    ck_assert_ptr_null(links_field_string(&f, "absent", 0, 10, &present));      /* optional, absent: fine */
    ck_assert_int_eq(present, 0);
    ck_assert_int_eq(links_field_bool(&f, "ok", 1), 1);
    ck_assert_int_eq(links_field_bool(&f, "n", 1), -1);
    long n = 0;
    ck_assert_int_eq(links_field_int(&f, "n", 1, 1, 10, &n), 0);
    ck_assert_int_eq(n, 5);
    ck_assert_int_eq(links_field_int(&f, "big", 1, 1, 10, &n), -1);
    ck_assert(links_field_is_null(&f, "nul"));
    ck_assert(!links_field_is_null(&f, "name"));
    /* extra, name (too long), role, ctl, empty, spaces, n (not a boolean), big: one error each. */
    json_t *errors = v.errors;
    ck_assert_int_eq(json_array_size(errors), 8);
    const char *fields[8];
    for (size_t i = 0; i < 8; i++)
        fields[i] = json_string_value(json_object_get(json_array_get(errors, i), "field"));
    ck_assert_str_eq(fields[0], "extra");
    ck_assert_str_eq(fields[1], "name");
    ck_assert_str_eq(fields[2], "role");
    ck_assert_str_eq(fields[3], "ctl");
    ck_assert_str_eq(fields[4], "empty");
    ck_assert_str_eq(fields[5], "spaces");
    ck_assert_str_eq(fields[6], "n");
    ck_assert_str_eq(fields[7], "big");
    links_validation_free(&v);
    json_decref(doc);
}
END_TEST

static Suite *auth_suite(void)
{
    Suite *s = suite_create("auth");
    TCase *t = tcase_create("matrix");
    tcase_add_loop_test(t, test_matrix, 0, (int)(sizeof matrix / sizeof matrix[0]));
    tcase_add_test(t, test_matrix_edges);
    tcase_add_test(t, test_roles);
    suite_add_tcase(s, t);

    t = tcase_create("credentials");
    tcase_add_checked_fixture(t, arena_setup, arena_teardown);
    tcase_set_timeout(t, 30);
    tcase_add_test(t, test_password_hash);
    tcase_add_test(t, test_password_rules);
    tcase_add_test(t, test_tokens);
    tcase_add_test(t, test_cookies);
    tcase_add_test(t, test_bearer);
    suite_add_tcase(s, t);

    t = tcase_create("bodies");
    tcase_add_loop_test(t, test_body, 0, (int)(sizeof body_cases / sizeof body_cases[0]));
    tcase_add_test(t, test_body_too_large_wins);
    tcase_add_test(t, test_fields);
    suite_add_tcase(s, t);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(auth_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
