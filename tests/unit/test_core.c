/* test_core.c — unit tests of the core's parsers, validators, config
 * loader, arena and plugin loader (Check). */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "arena.h"
#include "boards.h"
#include "config.h"
#include "http.h"
#include "plugin_loader.h"
#include "validate.h"

/* ---- postcodes ---------------------------------------------------------- */

struct place_case {
    const char *in;
    enum links_place_kind kind;
    const char *out;
};

static const struct place_case place_cases[] = {
    { "G12 8QQ", LINKS_PLACE_POSTCODE, "G12 8QQ" },
    { "g12 8qq", LINKS_PLACE_POSTCODE, "G12 8QQ" },
    { "g128qq", LINKS_PLACE_POSTCODE, "G12 8QQ" },
    { "  G12   8QQ ", LINKS_PLACE_POSTCODE, "G12 8QQ" },
    { "KY1 1AB", LINKS_PLACE_POSTCODE, "KY1 1AB" },
    { "ky11aB", LINKS_PLACE_POSTCODE, "KY1 1AB" },
    { "G1 1AB", LINKS_PLACE_POSTCODE, "G1 1AB" },
    { "EH1A 1AA", LINKS_PLACE_POSTCODE, "EH1A 1AA" },
    { "G12", LINKS_PLACE_DISTRICT, "G12" },
    { "ky16", LINKS_PLACE_DISTRICT, "KY16" },
    { "G12 8", LINKS_PLACE_SECTOR, "G12 8" },
    { "", LINKS_PLACE_INVALID, "" },
    { "   ", LINKS_PLACE_INVALID, "" },
    { "12 8QQ", LINKS_PLACE_INVALID, "" },
    { "G12 8Q", LINKS_PLACE_INVALID, "" },
    { "G12 8QQ X", LINKS_PLACE_INVALID, "" },
    { "GGG1 8QQ", LINKS_PLACE_INVALID, "" },
    { "G12-8QQ", LINKS_PLACE_INVALID, "" },
    { "G12 8QQQ", LINKS_PLACE_INVALID, "" },
    { "'; DROP TABLE", LINKS_PLACE_INVALID, "" },
    { "G\xc3\xa9" "12", LINKS_PLACE_INVALID, "" },
};

START_TEST(test_place_normalise)
{
    const struct place_case *c = &place_cases[_i];
    char out[LINKS_POSTCODE_MAX];
    enum links_place_kind k = links_place_normalise(c->in, out);
    ck_assert_msg(k == c->kind, "\"%s\": kind %d, expected %d", c->in, k, c->kind);
    if (c->kind != LINKS_PLACE_INVALID)
        ck_assert_str_eq(out, c->out);
}
END_TEST

/* ---- numbers ------------------------------------------------------------ */

START_TEST(test_parse_int)
{
    long v;
    ck_assert_int_eq(links_parse_int("20", 1, 100, &v), 0);
    ck_assert_int_eq(v, 20);
    ck_assert_int_eq(links_parse_int("100", 1, 100, &v), 0);
    ck_assert_int_eq(links_parse_int("101", 1, 100, &v), -1);
    ck_assert_int_eq(links_parse_int("0", 1, 100, &v), -1);
    ck_assert_int_eq(links_parse_int("-5", 1, 100, &v), -1);
    ck_assert_int_eq(links_parse_int("5x", 1, 100, &v), -1);
    ck_assert_int_eq(links_parse_int("", 1, 100, &v), -1);
    ck_assert_int_eq(links_parse_int(" 5", 1, 100, &v), -1);
    ck_assert_int_eq(links_parse_int("99999999999999999999999", 1, 100, &v), -1);
}
END_TEST

START_TEST(test_datetime_parse)
{
    ck_assert_int_eq(links_datetime_parse("2026-01-31"), LINKS_DATETIME_DATE);
    ck_assert_int_eq(links_datetime_parse("2024-02-29"), LINKS_DATETIME_DATE);          /* leap year */
    ck_assert_int_eq(links_datetime_parse("2000-02-29"), LINKS_DATETIME_DATE);
    ck_assert_int_eq(links_datetime_parse("2026-01-31T09:30"), LINKS_DATETIME_LOCAL);
    ck_assert_int_eq(links_datetime_parse("2026-01-31 09:30:59"), LINKS_DATETIME_LOCAL);
    ck_assert_int_eq(links_datetime_parse("2026-01-31T09:30:00.123"), LINKS_DATETIME_LOCAL);
    ck_assert_int_eq(links_datetime_parse("2026-01-31T09:30:00Z"), LINKS_DATETIME_ZONED);
    ck_assert_int_eq(links_datetime_parse("2026-01-31T09:30:00.5+01:00"), LINKS_DATETIME_ZONED);
    ck_assert_int_eq(links_datetime_parse("2026-01-31T09:30-0500"), LINKS_DATETIME_ZONED);
    ck_assert_int_eq(links_datetime_parse("2026-01-31T09:30+01"), LINKS_DATETIME_ZONED);
    static const char *const bad[] = {
        "", "2026", "2026-1-31", "2026-01-3", "26-01-31", "2026/01/31", "2026-13-01", "2026-00-10",
        "2026-02-29", "1900-02-29", "2026-04-31", "2026-01-00", "1899-12-31", "2201-01-01",
        "2026-01-31T", "2026-01-31T9:30", "2026-01-31T24:00", "2026-01-31T09:60", "2026-01-31T09:30:60",
        "2026-01-31T09:30:00.", "2026-01-31T09:30:00.1234567890", "2026-01-31T09:30Zulu",
        "2026-01-31T09:30+1", "2026-01-31T09:30+15:00", "2026-01-31T09:30+01:60", "2026-01-31x09:30",
        "2026- 1-31", "2026-+1-31", "2026-01-31T 9:30", "yesterday", "2026-01-31T09:30:00Z ",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        ck_assert_msg(links_datetime_parse(bad[i]) == LINKS_DATETIME_INVALID, "accepted \"%s\"", bad[i]);
}
END_TEST

START_TEST(test_parse_decimal)
{
    double v;
    ck_assert_int_eq(links_parse_decimal("2.5", 0, 50, &v), 0);
    ck_assert_double_eq_tol(v, 2.5, 1e-12);
    ck_assert_int_eq(links_parse_decimal(".5", 0, 50, &v), 0);
    ck_assert_double_eq_tol(v, 0.5, 1e-12);
    ck_assert_int_eq(links_parse_decimal("50", 0, 50, &v), 0);
    ck_assert_int_eq(links_parse_decimal("50.01", 0, 50, &v), -1);
    ck_assert_int_eq(links_parse_decimal("-1", 0, 50, &v), -1);
    ck_assert_int_eq(links_parse_decimal("nan", 0, 50, &v), -1);
    ck_assert_int_eq(links_parse_decimal("inf", 0, 50, &v), -1);
    ck_assert_int_eq(links_parse_decimal("1e1", 0, 50, &v), -1);
    ck_assert_int_eq(links_parse_decimal("1.2.3", 0, 50, &v), -1);
    ck_assert_int_eq(links_parse_decimal(".", 0, 50, &v), -1);
    ck_assert_int_eq(links_parse_decimal("five", 0, 50, &v), -1);
}
END_TEST

START_TEST(test_slug)
{
    ck_assert(links_slug_valid("food-nutrition", 100));
    ck_assert(links_slug_valid("money", 100));
    ck_assert(!links_slug_valid("Food", 100));
    ck_assert(!links_slug_valid("-food", 100));
    ck_assert(!links_slug_valid("food--bank", 100));
    ck_assert(!links_slug_valid("food bank", 100));
    ck_assert(!links_slug_valid("", 100));
    ck_assert(!links_slug_valid("abcdef", 5));
}
END_TEST

/* ---- query strings and UTF-8 -------------------------------------------- */

START_TEST(test_url_decode)
{
    char out[64];
    ck_assert_int_eq(links_url_decode("g12+8qq", 7, out), 7);
    ck_assert_str_eq(out, "g12 8qq");
    ck_assert_int_eq(links_url_decode("a%20b%2Fc", 9, out), 5);
    ck_assert_str_eq(out, "a b/c");
    ck_assert_int_eq(links_url_decode("%e2%82%ac", 9, out), 3);
    ck_assert_str_eq(out, "\xe2\x82\xac");
    ck_assert_int_eq(links_url_decode("bad%2", 5, out), -1);
    ck_assert_int_eq(links_url_decode("bad%", 4, out), -1);
    ck_assert_int_eq(links_url_decode("bad%zz", 6, out), -1);
}
END_TEST

START_TEST(test_utf8)
{
    ck_assert(links_utf8_valid("plain", 5));
    ck_assert(links_utf8_valid("caf\xc3\xa9", 5));                 /* é */
    ck_assert(links_utf8_valid("\xf0\x9f\x98\x80", 4));            /* emoji */
    ck_assert(!links_utf8_valid("\xc3", 1));                       /* truncated */
    ck_assert(!links_utf8_valid("\xc0\xaf", 2));                   /* overlong '/' */
    ck_assert(!links_utf8_valid("\xed\xa0\x80", 3));               /* surrogate */
    ck_assert(!links_utf8_valid("\xf4\x90\x80\x80", 4));           /* > U+10FFFF */
    ck_assert(!links_utf8_valid("\xff", 1));
    ck_assert_uint_eq(links_utf8_length("caf\xc3\xa9"), 4);
}
END_TEST

static struct links_arena *arena;

static void arena_setup(void)
{
    arena = links_arena_new(1024);
}

static void arena_teardown(void)
{
    links_arena_destroy(arena);
}

static int query_status(const char *qs, struct links_request *req)
{
    links_request_init(req, arena);
    req->query_string = qs;
    return links_parse_query(req);
}

START_TEST(test_parse_query_ok)
{
    struct links_request req;
    ck_assert_int_eq(query_status("q=walking&postcode=g12+8qq&radius_km=2.5&empty=&flag", &req), 0);
    ck_assert_int_eq(req.nparams, 5);
    ck_assert_str_eq(links_param(&req, "q"), "walking");
    ck_assert_str_eq(links_param(&req, "postcode"), "g12 8qq");
    ck_assert_str_eq(links_param(&req, "empty"), "");
    ck_assert_str_eq(links_param(&req, "flag"), "");
    ck_assert_ptr_null(links_param(&req, "missing"));
}
END_TEST

static void assert_bad_query(const char *qs, const char *expect_in_body)
{
    struct links_request req;
    ck_assert_int_eq(query_status(qs, &req), -1);
    ck_assert_int_eq(req.status, 400);
    ck_assert_str_eq(req.content_type, "application/problem+json");
    ck_assert_msg(strstr(req.body, expect_in_body) != NULL, "body %s lacks %s", req.body, expect_in_body);
}

START_TEST(test_parse_query_bad)
{
    assert_bad_query("q=%ff%fe", "not valid UTF-8");
    assert_bad_query("q=a%00b", "NUL");
    assert_bad_query("q=%4", "malformed");
    assert_bad_query("=x", "without a name");
    assert_bad_query("q=a&q=b", "more than once");
    char many[1024] = "";
    for (int i = 0; i < 40; i++)
        sprintf(many + strlen(many), "p%d=1&", i);
    assert_bad_query(many, "too many");
}
END_TEST

START_TEST(test_problem_shape)
{
    struct links_request req;
    links_request_init(&req, arena);
    links_respond_problem(&req, 404, "Unknown board", "no \"such\" board", NULL);
    ck_assert_int_eq(req.status, 404);
    json_t *doc = json_loadb(req.body, req.body_len, 0, NULL);
    ck_assert_ptr_nonnull(doc);
    ck_assert_int_eq(json_integer_value(json_object_get(doc, "status")), 404);
    ck_assert_str_eq(json_string_value(json_object_get(doc, "title")), "Unknown board");
    ck_assert_str_eq(json_string_value(json_object_get(doc, "detail")), "no \"such\" board");
    json_decref(doc);
}
END_TEST

/* The search response: linksd's own fields, then the item array PostgreSQL
 * encoded, placed unparsed. The result must be one valid JSON document. */
START_TEST(test_json_with_raw_member)
{
    struct links_request req;
    links_request_init(&req, arena);
    json_t *doc = json_pack("{s:i,s:s}", "total", 2, "ranking", "near \"you\"");
    links_respond_json_with(&req, 200, doc, "items", "[{\"id\":1},{\"id\":2}]");   /* takes doc */
    ck_assert_int_eq(req.status, 200);
    ck_assert_uint_eq(req.body_len, strlen(req.body));
    json_t *back = json_loadb(req.body, req.body_len, 0, NULL);
    ck_assert_ptr_nonnull(back);
    ck_assert_int_eq(json_integer_value(json_object_get(back, "total")), 2);
    ck_assert_str_eq(json_string_value(json_object_get(back, "ranking")), "near \"you\"");
    ck_assert_uint_eq(json_array_size(json_object_get(back, "items")), 2);
    json_decref(back);

    /* An empty object gets no leading comma. */
    links_request_init(&req, arena);
    doc = json_object();
    links_respond_json_with(&req, 200, doc, "items", "[]");
    ck_assert_str_eq(req.body, "{\"items\":[]}");
    ck_assert_uint_eq(req.body_len, 12);
}
END_TEST

START_TEST(test_arena)
{
    char *a = links_arena_strdup(arena, "hello");
    ck_assert_str_eq(a, "hello");
    ck_assert_uint_eq((uintptr_t)links_arena_alloc(arena, 3) % 16, 0);
    /* Larger than a block: must still work. */
    char *big = links_arena_alloc(arena, 100000);
    ck_assert_ptr_nonnull(big);
    memset(big, 'x', 100000);
    ck_assert_str_eq(links_arena_printf(arena, "%d-%s", 42, "x"), "42-x");
    ck_assert_uint_ge(links_arena_used(arena), 100000);
    links_arena_reset(arena);
    ck_assert_uint_eq(links_arena_used(arena), 0);
}
END_TEST

static int cleanup_calls;
static void count_cleanup(void *p)
{
    (void)p;
    cleanup_calls++;
}

START_TEST(test_arena_cleanups)
{
    cleanup_calls = 0;
    links_arena_on_reset(arena, count_cleanup, NULL);
    links_arena_on_reset(arena, count_cleanup, NULL);
    links_arena_reset(arena);
    ck_assert_int_eq(cleanup_calls, 2);
    links_arena_reset(arena);
    ck_assert_int_eq(cleanup_calls, 2);
}
END_TEST

/* ---- configuration ------------------------------------------------------- */

static char conf_path[64];

static const char *write_conf(const char *text)
{
    snprintf(conf_path, sizeof conf_path, "/tmp/links-test-XXXXXX");
    int fd = mkstemp(conf_path);
    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    close(fd);
    return conf_path;
}

#define MINIMAL_BOARDS "boards = ( { code = \"S08000031\"; slug = \"ggc\"; name = \"GGC\"; } );\n"
#define MINIMAL_DB "database = { conninfo = \"dbname=links\"; };\n"

START_TEST(test_config_example_loads)
{
    struct links_config c;
    char err[1024];
    int rc = links_config_load(TEST_SRCDIR "/conf/linksd.conf.example", &c, err, sizeof err);
    ck_assert_msg(rc == 0, "example config refused: %s", err);
    ck_assert_int_eq(c.nboards, 2);
    ck_assert_str_eq(c.boards[0].code, "S08000031");
    ck_assert_str_eq(c.boards[1].slug, "fife");
    ck_assert_str_eq(c.boards[1].plugin, "fife");
    ck_assert_int_eq(c.socket_mode, 0660);
    /* The auth group as the example writes it (the documented defaults). */
    ck_assert_int_eq(c.auth.idle_timeout_minutes, 30);
    ck_assert_int_eq(c.auth.absolute_timeout_hours, 12);
    ck_assert_int_eq(c.auth.lockout_failures, 5);
    ck_assert_int_eq(c.auth.lockout_minutes, 15);
    ck_assert_int_eq(c.auth.address_failures, 30);
    ck_assert_int_eq(c.auth.max_body_bytes, 65536);
    ck_assert_ptr_eq(links_config_board(&c, "fife"), &c.boards[1]);
    ck_assert_ptr_eq(links_config_board(&c, "S08000029"), &c.boards[1]);
    ck_assert_ptr_null(links_config_board(&c, "lothian"));
    links_config_free(&c);
}
END_TEST

struct bad_conf {
    const char *text;
    const char *expect;     /* in the error, after "FILE:" */
};

static const struct bad_conf bad_confs[] = {
    { "listen = \"127.0.0.1:9000\";\n" MINIMAL_DB MINIMAL_BOARDS "wokers = 2;\n", ":4: unknown setting 'wokers'" },
    { "listen = \"127.0.0.1:9000\";\nworkers = \"two\";\n" MINIMAL_DB MINIMAL_BOARDS, ":2: 'workers' must be a whole number" },
    { "listen = \"127.0.0.1:9000\";\nthreads = 0;\n" MINIMAL_DB MINIMAL_BOARDS, ":2: 'threads' must be between 1 and 256" },
    { "listen = \"/tmp/sock\";\n" MINIMAL_DB MINIMAL_BOARDS, ":1: listen must be" },
    { "listen = \"127.0.0.1:9000\";\n" MINIMAL_BOARDS, "missing 'database' group" },
    { "listen = \"127.0.0.1:9000\";\n" MINIMAL_DB, "missing 'boards' list" },
    { "listen = \"127.0.0.1:9000\";\n" MINIMAL_DB "boards = ( { code = \"X1\"; slug = \"ggc\"; name = \"G\"; } );\n", ":3: board code must be" },
    { "listen = \"127.0.0.1:9000\";\n" MINIMAL_DB "boards = ( { code = \"S08000031\"; slug = \"ggc\"; name = \"G\"; plugin = \"../evil\"; } );\n", "not a path" },
    { "listen = \"127.0.0.1:9000\";\n" MINIMAL_DB "boards = ( { code = \"S08000031\"; slug = \"ggc\"; name = \"G\"; },\n { code = \"S08000031\"; slug = \"g2\"; name = \"G\"; } );\n", ":4: board S08000031 (g2) is declared twice" },
    { "listen = \"127.0.0.1:9000\";\n" MINIMAL_DB "boards = ( { code = \"S08000031\"; slug = \"services\"; name = \"G\"; } );\n", ":3: board slug \"services\" is taken by the Open Referral API" },
    { "listen = \"127.0.0.1:9000\";\n" MINIMAL_DB MINIMAL_BOARDS "search = { max_radius_km = 5.0; default_radius_km = 10.0; };\n", "default_radius_km (10) is larger than max_radius_km (5)" },
    { "listen = \"127.0.0.1:9000\";\nworkers = = 2;\n", ":2: syntax error" },
    { "listen = \"127.0.0.1:9000\";\nsocket_mode = \"999\";\n" MINIMAL_DB MINIMAL_BOARDS, ":2: socket_mode must be an octal mode" },
    { "listen = \"127.0.0.1:9000\";\n" MINIMAL_DB MINIMAL_BOARDS "auth = { lockout_failures = 1; };\n", ":4: 'lockout_failures' must be between 3 and 100" },
    { "listen = \"127.0.0.1:9000\";\n" MINIMAL_DB MINIMAL_BOARDS "auth = { idle_timeout_minutes = 900; absolute_timeout_hours = 12; };\n", "idle_timeout_minutes (900) is longer than absolute_timeout_hours (12)" },
    { "listen = \"127.0.0.1:9000\";\n" MINIMAL_DB MINIMAL_BOARDS "auth = { max_body_bytes = 10; };\n", "'max_body_bytes' must be between 1024" },
    { "listen = \"127.0.0.1:9000\";\n" MINIMAL_DB MINIMAL_BOARDS "auth = { session_minutes = 10; };\n", "unknown setting 'session_minutes'" },
};

START_TEST(test_config_errors)
{
    const struct bad_conf *b = &bad_confs[_i];
    struct links_config c;
    char err[1024] = "";
    const char *path = write_conf(b->text);
    ck_assert_int_eq(links_config_load(path, &c, err, sizeof err), -1);
    unlink(path);
    ck_assert_msg(strncmp(err, path, strlen(path)) == 0, "error \"%s\" does not start with the file", err);
    ck_assert_msg(strstr(err, b->expect) != NULL, "error \"%s\" lacks \"%s\"", err, b->expect);
}
END_TEST

START_TEST(test_config_missing_file)
{
    struct links_config c;
    char err[1024];
    ck_assert_int_eq(links_config_load("/nonexistent/linksd.conf", &c, err, sizeof err), -1);
    ck_assert_msg(strstr(err, "cannot read") != NULL, "%s", err);
}
END_TEST

/* ---- plugins ------------------------------------------------------------- */

START_TEST(test_plugin_good)
{
    void *h;
    const struct links_plugin *p;
    char err[512];
    ck_assert_int_eq(links_plugin_open(TEST_PLUGIN_DIR "/good.so", &h, &p, err, sizeof err), 0);
    ck_assert_str_eq(p->name, "good");
    ck_assert_str_eq(p->version, "1.2.3");
    ck_assert_ptr_nonnull(p->lookup);
    links_plugin_close(h);
}
END_TEST

START_TEST(test_plugin_wrong_abi)
{
    void *h = (void *)1;
    const struct links_plugin *p = (const void *)1;
    char err[512];
    ck_assert_int_eq(links_plugin_open(TEST_PLUGIN_DIR "/wrong_abi.so", &h, &p, err, sizeof err), -1);
    ck_assert_ptr_null(h);
    ck_assert_ptr_null(p);
    ck_assert_msg(strstr(err, "wrong_abi.so: refused") != NULL, "%s", err);
    ck_assert_msg(strstr(err, "ABI major is 2, this linksd needs 1") != NULL, "%s", err);
}
END_TEST

START_TEST(test_plugin_missing_and_not_a_plugin)
{
    void *h;
    const struct links_plugin *p;
    char err[512];
    ck_assert_int_eq(links_plugin_open(TEST_PLUGIN_DIR "/absent.so", &h, &p, err, sizeof err), -1);
    ck_assert_msg(strstr(err, "cannot load") != NULL, "%s", err);
    /* A shared object without the descriptor symbol. */
    ck_assert_int_eq(links_plugin_open("libc.so.6", &h, &p, err, sizeof err), -1);
    ck_assert_msg(strstr(err, "not a Community Links plugin") != NULL, "%s", err);
}
END_TEST

START_TEST(test_plugin_path)
{
    char out[256], err[256];
    ck_assert_int_eq(links_plugin_path("/usr/lib/links", "fife", out, sizeof out, err, sizeof err), 0);
    ck_assert_str_eq(out, "/usr/lib/links/fife.so");
    ck_assert_int_eq(links_plugin_path("/usr/lib/links", "../../tmp/x", out, sizeof out, err, sizeof err), -1);
    ck_assert_int_eq(links_plugin_path("/usr/lib/links", "a/b", out, sizeof out, err, sizeof err), -1);
    ck_assert_int_eq(links_plugin_path("/usr/lib/links", "", out, sizeof out, err, sizeof err), -1);
}
END_TEST

START_TEST(test_boards_isolate_plugin_failures)
{
    char text[1024];
    snprintf(text, sizeof text,
             "listen = \"127.0.0.1:9000\";\n" MINIMAL_DB "plugin_dir = \"%s\";\n"
             "boards = ( { code = \"S08000031\"; slug = \"ggc\"; name = \"G\"; plugin = \"good\"; },\n"
             "           { code = \"S08000029\"; slug = \"fife\"; name = \"F\"; plugin = \"wrong_abi\"; },\n"
             "           { code = \"S08000015\"; slug = \"ayr\"; name = \"A\"; plugin = \"failing_init\"; } );\n",
             TEST_PLUGIN_DIR);
    struct links_config c;
    char err[1024];
    const char *path = write_conf(text);
    ck_assert_msg(links_config_load(path, &c, err, sizeof err) == 0, "%s", err);
    unlink(path);
    struct links_boards boards;
    links_boards_load(&boards, &c);
    ck_assert_int_eq(boards.n, 3);
    const struct links_board *ggc = links_boards_find(&boards, "ggc");
    const struct links_board *fife = links_boards_find(&boards, "S08000029");
    const struct links_board *ayr = links_boards_find(&boards, "ayr");
    ck_assert(ggc->in_service);
    ck_assert_str_eq(ggc->plugin->name, "good");
    ck_assert(!fife->in_service);
    ck_assert_msg(strstr(fife->reason, "ABI major") != NULL, "%s", fife->reason);
    ck_assert(!ayr->in_service);
    ck_assert_msg(strstr(ayr->reason, "api_key") != NULL, "%s", ayr->reason);
    links_boards_unload(&boards);
    links_config_free(&c);
}
END_TEST

static Suite *core_suite(void)
{
    Suite *s = suite_create("core");
    TCase *t = tcase_create("validate");
    tcase_add_loop_test(t, test_place_normalise, 0, (int)(sizeof place_cases / sizeof place_cases[0]));
    tcase_add_test(t, test_parse_int);
    tcase_add_test(t, test_parse_decimal);
    tcase_add_test(t, test_slug);
    tcase_add_test(t, test_datetime_parse);
    suite_add_tcase(s, t);

    t = tcase_create("http");
    tcase_add_checked_fixture(t, arena_setup, arena_teardown);
    tcase_add_test(t, test_url_decode);
    tcase_add_test(t, test_utf8);
    tcase_add_test(t, test_parse_query_ok);
    tcase_add_test(t, test_parse_query_bad);
    tcase_add_test(t, test_problem_shape);
    tcase_add_test(t, test_json_with_raw_member);
    tcase_add_test(t, test_arena);
    tcase_add_test(t, test_arena_cleanups);
    suite_add_tcase(s, t);

    t = tcase_create("config");
    tcase_add_test(t, test_config_example_loads);
    tcase_add_loop_test(t, test_config_errors, 0, (int)(sizeof bad_confs / sizeof bad_confs[0]));
    tcase_add_test(t, test_config_missing_file);
    suite_add_tcase(s, t);

    t = tcase_create("plugins");
    tcase_add_test(t, test_plugin_good);
    tcase_add_test(t, test_plugin_wrong_abi);
    tcase_add_test(t, test_plugin_missing_and_not_a_plugin);
    tcase_add_test(t, test_plugin_path);
    tcase_add_test(t, test_boards_isolate_plugin_failures);
    suite_add_tcase(s, t);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(core_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
