/* test_glasgow.c — unit tests for the NHS Greater Glasgow and Clyde plugin,
 * linked with plugins/glasgow/glasgow.c and the mock host. Expected values
 * come from the plugin's specification (docs/PLUGINS.md). */
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "links/plugin.h"
#include "mock_host.h"

extern const struct links_plugin links_plugin;

#define CORE_RADIUS_KM 10.0

static void *state;

static void teardown(void)
{
    if (state != NULL)
        links_plugin.fini(state);
    state = NULL;
    mock_host_teardown();
}

/* Parses the settings and runs init, which must succeed. */
static void start(const char *settings_text)
{
    const char *error = NULL;

    ck_assert_msg(mock_host_setup(settings_text) == 0, "%s", mock_host_last_log());
    ck_assert_msg(links_plugin.init(mock_host(), mock_settings(), &state, &error) == 0,
                  "init failed: %s", error != NULL ? error : "(no message)");
    ck_assert_ptr_nonnull(state);
}

/* Runs init, which must fail; returns the message. */
static const char *start_failing(const char *settings_text)
{
    const char *error = NULL;
    void *failed_state = NULL;

    ck_assert_msg(mock_host_setup(settings_text) == 0, "%s", mock_host_last_log());
    ck_assert_int_eq(links_plugin.init(mock_host(), mock_settings(), &failed_state, &error), -1);
    ck_assert_ptr_null(failed_state);
    ck_assert_ptr_nonnull(error);
    return error;
}

static struct links_lookup_context context(int decile, const char *council)
{
    return (struct links_lookup_context){
        .board_code = "S08000031",
        .has_origin = 1,
        .origin_postcode = "G12 8QQ",
        .origin_district = "G12",
        .origin_sector = "G12 8",
        .origin_council_code = council,
        .origin_data_zone = "S01010277",
        .origin_simd_decile = decile,
        .radius_km = CORE_RADIUS_KM,
    };
}

static struct links_lookup_plan core_plan(double radius_km)
{
    return (struct links_lookup_plan){ .radius_km = radius_km };
}

static int lookup(const struct links_lookup_context *ctx, struct links_lookup_plan *plan)
{
    return links_plugin.lookup(state, mock_request(), ctx, plan);
}

/* ---- ABI head ----------------------------------------------------------- */

START_TEST(test_descriptor_head)
{
    ck_assert_uint_eq(links_plugin.magic, LINKS_PLUGIN_MAGIC);
    ck_assert_uint_eq(links_plugin.magic, 0x4C4E4B53u);
    ck_assert_uint_eq(links_plugin.abi_major, LINKS_PLUGIN_ABI_MAJOR);
    ck_assert_uint_eq(links_plugin.abi_minor, LINKS_PLUGIN_ABI_MINOR);
    ck_assert_uint_eq(links_plugin.size, sizeof(struct links_plugin));
    ck_assert_str_eq(links_plugin.name, "glasgow");
    ck_assert_ptr_nonnull(links_plugin.version);
    ck_assert_ptr_nonnull(links_plugin.description);
    ck_assert_ptr_nonnull(links_plugin.init);
    ck_assert_ptr_nonnull(links_plugin.fini);
    ck_assert_ptr_nonnull(links_plugin.lookup);
    ck_assert_ptr_nonnull(links_plugin.referral);
    for (size_t i = 0; i < sizeof links_plugin.reserved / sizeof links_plugin.reserved[0]; i++)
        ck_assert_ptr_null(links_plugin.reserved[i]);
}
END_TEST

/* ---- settings ----------------------------------------------------------- */

START_TEST(test_init_defaults)
{
    struct links_lookup_context ctx;
    struct links_lookup_plan plan;

    start("");

    /* deprived_decile_max 2: decile 2 is deprived, capped at 3 km */
    ctx = context(2, "S12000049");
    plan = core_plan(CORE_RADIUS_KM);
    ck_assert_int_eq(lookup(&ctx, &plan), LINKS_PLUGIN_OK);
    ck_assert_int_eq(plan.preferences[0].kind, LINKS_PREFER_FREE);
    ck_assert_double_eq(plan.radius_km, 3.0);

    /* decile 3 is not */
    ctx = context(3, "S12000049");
    plan = core_plan(CORE_RADIUS_KM);
    ck_assert_int_eq(lookup(&ctx, &plan), LINKS_PLUGIN_OK);
    ck_assert_int_eq(plan.n_preferences, 1);
    ck_assert_int_eq(plan.preferences[0].kind, LINKS_PREFER_COUNCIL);
    ck_assert_double_eq(plan.radius_km, CORE_RADIUS_KM);
}
END_TEST

START_TEST(test_init_custom)
{
    struct links_lookup_context ctx;
    struct links_lookup_plan plan;

    start("deprived_decile_max = 4; deprived_radius_km = 2.5; prefer_own_council = false;");

    ctx = context(4, "S12000049");
    plan = core_plan(CORE_RADIUS_KM);
    ck_assert_int_eq(lookup(&ctx, &plan), LINKS_PLUGIN_OK);
    ck_assert_int_eq(plan.n_preferences, 1);
    ck_assert_int_eq(plan.preferences[0].kind, LINKS_PREFER_FREE);
    ck_assert_double_eq(plan.radius_km, 2.5);
    ck_assert_str_eq(plan.explanation,
                     "Most deprived area (SIMD decile 4): free services first, within 2.5 km");

    /* Not deprived and no council preference: nothing to change. */
    ctx = context(5, "S12000049");
    plan = core_plan(CORE_RADIUS_KM);
    ck_assert_int_eq(lookup(&ctx, &plan), LINKS_PLUGIN_DECLINED);
    ck_assert_int_eq(plan.n_preferences, 0);
    ck_assert_ptr_null(plan.explanation);
    ck_assert_double_eq(plan.radius_km, CORE_RADIUS_KM);
}
END_TEST

START_TEST(test_init_integer_forms)
{
    struct links_lookup_context ctx = context(1, "S12000049");
    struct links_lookup_plan plan = core_plan(CORE_RADIUS_KM);

    /* A whole-number radius and a 0/1 flag are accepted. */
    start("deprived_radius_km = 5; prefer_own_council = 0;");
    ck_assert_int_eq(lookup(&ctx, &plan), LINKS_PLUGIN_OK);
    ck_assert_double_eq(plan.radius_km, 5.0);
    ck_assert_int_eq(plan.n_preferences, 1);
}
END_TEST

START_TEST(test_init_range_limits)
{
    struct links_lookup_context ctx = context(10, NULL);
    struct links_lookup_plan plan = core_plan(60.0);

    start("deprived_decile_max = 10; deprived_radius_km = 50.0;");
    ck_assert_int_eq(lookup(&ctx, &plan), LINKS_PLUGIN_OK);
    ck_assert_double_eq(plan.radius_km, 50.0);
}
END_TEST

static const struct {
    const char *settings;
    const char *message;
} init_failures[] = {
    { "deprived_decile_max = 0;", "deprived_decile_max is 0; it must be an SIMD decile from 1 to 10" },
    { "deprived_decile_max = 11;", "deprived_decile_max is 11; it must be an SIMD decile from 1 to 10" },
    { "deprived_decile_max = -3;", "deprived_decile_max is -3" },
    { "deprived_radius_km = 0.0;", "deprived_radius_km is 0; it must be more than 0 and at most 50" },
    { "deprived_radius_km = -1.5;", "deprived_radius_km is -1.5" },
    { "deprived_radius_km = 50.5;", "deprived_radius_km is 50.5; it must be more than 0 and at most 50" },
    { "deprived_radius_km = 51;", "deprived_radius_km is 51" },
    { "deprived_decile_max = \"2\";", "deprived_decile_max must be an integer" },
    { "deprived_decile_max = 2.0;", "deprived_decile_max must be an integer" },
    { "deprived_radius_km = \"3 km\";", "deprived_radius_km must be a number" },
    { "prefer_own_council = \"yes\";", "prefer_own_council must be an integer" },
};

START_TEST(test_init_fails)
{
    const char *error = start_failing(init_failures[_i].settings);

    ck_assert_msg(strstr(error, init_failures[_i].message) != NULL,
                  "settings \"%s\": message \"%s\" lacks \"%s\"",
                  init_failures[_i].settings, error, init_failures[_i].message);
}
END_TEST

START_TEST(test_init_fails_without_alloc)
{
    const char *error = NULL;
    void *failed_state = NULL;

    ck_assert_int_eq(mock_host_setup(""), 0);
    mock_host()->alloc = NULL;
    ck_assert_int_eq(links_plugin.init(mock_host(), mock_settings(), &failed_state, &error), -1);
    ck_assert_ptr_nonnull(strstr(error, "alloc"));
}
END_TEST

/* ---- lookup ------------------------------------------------------------- */

START_TEST(test_deprived)
{
    struct links_lookup_context ctx = context(1, "S12000049");
    struct links_lookup_plan plan = core_plan(CORE_RADIUS_KM);

    start("");
    ck_assert_int_eq(lookup(&ctx, &plan), LINKS_PLUGIN_OK);
    ck_assert_int_eq(plan.n_preferences, 2);
    ck_assert_int_eq(plan.preferences[0].kind, LINKS_PREFER_FREE);
    ck_assert_int_eq(plan.preferences[1].kind, LINKS_PREFER_COUNCIL);
    ck_assert_str_eq(plan.preferences[1].value, "S12000049");
    ck_assert_double_eq(plan.radius_km, 3.0);
    ck_assert_str_eq(plan.explanation, "Most deprived area (SIMD decile 1): free services "
                     "first, within 3 km; services in Glasgow City first");
}
END_TEST

START_TEST(test_deprived_radius_never_raised)
{
    struct links_lookup_context ctx = context(2, "S12000038");
    struct links_lookup_plan plan = core_plan(2.0);

    start("");
    ck_assert_int_eq(lookup(&ctx, &plan), LINKS_PLUGIN_OK);
    ck_assert_double_eq(plan.radius_km, 2.0);
    ck_assert_str_eq(plan.explanation, "Most deprived area (SIMD decile 2): free services "
                     "first, within 2 km; services in Renfrewshire first");
}
END_TEST

START_TEST(test_deprived_unnamed_council)
{
    /* City of Edinburgh: not in the board's table, shown as its code. */
    struct links_lookup_context ctx = context(1, "S12000036");
    struct links_lookup_plan plan = core_plan(CORE_RADIUS_KM);

    start("");
    ck_assert_int_eq(lookup(&ctx, &plan), LINKS_PLUGIN_OK);
    ck_assert_int_eq(plan.n_preferences, 2);
    ck_assert_str_eq(plan.preferences[1].value, "S12000036");
    ck_assert_str_eq(plan.explanation, "Most deprived area (SIMD decile 1): free services "
                     "first, within 3 km; services in council area S12000036 first");
}
END_TEST

START_TEST(test_deprived_council_unknown)
{
    struct links_lookup_context ctx = context(1, NULL);
    struct links_lookup_plan plan = core_plan(CORE_RADIUS_KM);

    start("");
    ck_assert_int_eq(lookup(&ctx, &plan), LINKS_PLUGIN_OK);
    ck_assert_int_eq(plan.n_preferences, 1);
    ck_assert_int_eq(plan.preferences[0].kind, LINKS_PREFER_FREE);
    ck_assert_double_eq(plan.radius_km, 3.0);
    ck_assert_str_eq(plan.explanation,
                     "Most deprived area (SIMD decile 1): free services first, within 3 km");
}
END_TEST

START_TEST(test_not_deprived)
{
    struct links_lookup_context ctx = context(3, "S12000045");
    struct links_lookup_plan plan = core_plan(CORE_RADIUS_KM);

    start("");
    ck_assert_int_eq(lookup(&ctx, &plan), LINKS_PLUGIN_OK);
    ck_assert_int_eq(plan.n_preferences, 1);
    ck_assert_int_eq(plan.preferences[0].kind, LINKS_PREFER_COUNCIL);
    ck_assert_str_eq(plan.preferences[0].value, "S12000045");
    ck_assert_double_eq(plan.radius_km, CORE_RADIUS_KM);
    ck_assert_str_eq(plan.explanation, "Services in East Dunbartonshire first");
}
END_TEST

START_TEST(test_decile_unknown_is_not_deprived)
{
    struct links_lookup_context ctx = context(0, "S12000011");
    struct links_lookup_plan plan = core_plan(CORE_RADIUS_KM);

    start("");
    ck_assert_int_eq(lookup(&ctx, &plan), LINKS_PLUGIN_OK);
    ck_assert_int_eq(plan.n_preferences, 1);
    ck_assert_int_eq(plan.preferences[0].kind, LINKS_PREFER_COUNCIL);
    ck_assert_str_eq(plan.preferences[0].value, "S12000011");
    ck_assert_double_eq(plan.radius_km, CORE_RADIUS_KM);
    ck_assert_str_eq(plan.explanation, "Services in East Renfrewshire first");
}
END_TEST

START_TEST(test_not_deprived_council_unknown_declines)
{
    struct links_lookup_context ctx = context(7, NULL);
    struct links_lookup_plan plan = core_plan(CORE_RADIUS_KM);

    start("");
    ck_assert_int_eq(lookup(&ctx, &plan), LINKS_PLUGIN_DECLINED);
    ck_assert_int_eq(plan.n_preferences, 0);
    ck_assert_ptr_null(plan.explanation);
    ck_assert_double_eq(plan.radius_km, CORE_RADIUS_KM);
}
END_TEST

START_TEST(test_no_origin_declines)
{
    struct links_lookup_context ctx = {
        .board_code = "S08000031", .query_text = "walking group", .radius_km = CORE_RADIUS_KM,
    };
    struct links_lookup_plan plan = core_plan(CORE_RADIUS_KM);

    start("");
    ck_assert_int_eq(lookup(&ctx, &plan), LINKS_PLUGIN_DECLINED);
    ck_assert_int_eq(plan.n_preferences, 0);
    ck_assert_ptr_null(plan.explanation);
    ck_assert_double_eq(plan.radius_km, CORE_RADIUS_KM);
}
END_TEST

START_TEST(test_core_preferences_replaced)
{
    struct links_lookup_context ctx = context(1, "S12000039");
    struct links_lookup_plan plan = core_plan(CORE_RADIUS_KM);

    plan.n_preferences = 3;
    for (int i = 0; i < 3; i++)
        plan.preferences[i] = (struct links_preference){ LINKS_PREFER_AREAS, "G1" };
    start("");
    ck_assert_int_eq(lookup(&ctx, &plan), LINKS_PLUGIN_OK);
    ck_assert_int_eq(plan.n_preferences, 2);
    ck_assert_int_eq(plan.preferences[0].kind, LINKS_PREFER_FREE);
    ck_assert_int_eq(plan.preferences[1].kind, LINKS_PREFER_COUNCIL);
    ck_assert_str_eq(plan.preferences[1].value, "S12000039");
}
END_TEST

START_TEST(test_plan_strings_outlive_context)
{
    char council[] = "S12000018";
    struct links_lookup_context ctx = context(1, council);
    struct links_lookup_plan plan = core_plan(CORE_RADIUS_KM);

    start("");
    ck_assert_int_eq(lookup(&ctx, &plan), LINKS_PLUGIN_OK);
    memset(council, 'X', sizeof council - 1);
    ck_assert_str_eq(plan.preferences[1].value, "S12000018");
    ck_assert_str_eq(plan.explanation, "Most deprived area (SIMD decile 1): free services "
                     "first, within 3 km; services in Inverclyde first");
    ck_assert_uint_gt(mock_host_alloc_count(), 0);
}
END_TEST

START_TEST(test_out_of_memory_is_an_error)
{
    struct links_lookup_context deprived = context(1, "S12000049");
    struct links_lookup_context not_deprived = context(6, "S12000049");
    struct links_lookup_plan plan = core_plan(CORE_RADIUS_KM);

    /* Out of memory becomes a 503, never a plan with a dangling string. */
    start("");
    mock_host_fail_alloc_at(0);
    ck_assert_int_eq(lookup(&deprived, &plan), LINKS_PLUGIN_ERROR);
    plan = core_plan(CORE_RADIUS_KM);
    mock_host_fail_alloc_at(0);
    ck_assert_int_eq(lookup(&not_deprived, &plan), LINKS_PLUGIN_ERROR);
}
END_TEST

/* ---- referral rules ------------------------------------------------------ */

/* A referral to a service that takes referrals, from a practice with a
 * links worker, for a patient in decile `decile`. */
static struct links_referral_context referral(int decile)
{
    return (struct links_referral_context){
        .board_code = "S08000031", .patient_age = 40, .simd_decile = decile, .needs = 1,
        .practice_has_links_worker = 1, .service_accepts_referrals = 1, .service_capacity = -1,
        .service_minimum_age = -1, .service_maximum_age = -1,
    };
}

static int decide(const struct links_referral_context *ctx, struct links_referral_decision *d)
{
    *d = (struct links_referral_decision){ .route = LINKS_ROUTE_SERVICE };
    return links_plugin.referral(state, mock_request(), ctx, d);
}

START_TEST(test_referral_deprived_goes_to_links_worker)
{
    start("links_worker_decile_max = 2;");
    for (int decile = 1; decile <= 2; decile++) {
        struct links_referral_context ctx = referral(decile);
        struct links_referral_decision d;
        ck_assert_int_eq(decide(&ctx, &d), LINKS_PLUGIN_OK);
        ck_assert_int_eq(d.route, LINKS_ROUTE_LINKS_WORKER);
        ck_assert_int_eq(d.notify_links_worker, 0);
        ck_assert_ptr_nonnull(strstr(d.reason, "most deprived"));
        ck_assert_ptr_nonnull(strstr(d.reason, decile == 1 ? "decile 1" : "decile 2"));
    }
}
END_TEST

START_TEST(test_referral_threshold_is_a_setting)
{
    start("links_worker_decile_max = 4;");
    struct links_referral_context ctx = referral(4);
    struct links_referral_decision d;
    ck_assert_int_eq(decide(&ctx, &d), LINKS_PLUGIN_OK);
    ck_assert_int_eq(d.route, LINKS_ROUTE_LINKS_WORKER);
    ck_assert_ptr_nonnull(strstr(d.reason, "at or below 4"));
    ctx = referral(5);
    ck_assert_int_eq(decide(&ctx, &d), LINKS_PLUGIN_DECLINED);
}
END_TEST

START_TEST(test_referral_not_deprived_or_unknown_declines)
{
    start("");
    for (int decile = 0; decile <= 10; decile += 3) {     /* 0 = unknown, 3, 6, 9 */
        struct links_referral_context ctx = referral(decile);
        struct links_referral_decision d;
        ck_assert_int_eq(decide(&ctx, &d), LINKS_PLUGIN_DECLINED);
    }
}
END_TEST

START_TEST(test_referral_patient_asks_for_self_referral_service)
{
    start("");
    struct links_referral_context ctx = referral(1);
    ctx.patient_asks_for_service = 1;
    ctx.service_self_referral = 1;
    struct links_referral_decision d;
    ck_assert_int_eq(decide(&ctx, &d), LINKS_PLUGIN_OK);
    ck_assert_int_eq(d.route, LINKS_ROUTE_SERVICE);
    ck_assert_ptr_nonnull(strstr(d.reason, "directly"));
    /* asking is not enough when the service takes no self-referrals */
    ctx.service_self_referral = 0;
    ck_assert_int_eq(decide(&ctx, &d), LINKS_PLUGIN_OK);
    ck_assert_int_eq(d.route, LINKS_ROUTE_LINKS_WORKER);
}
END_TEST

START_TEST(test_referral_urgent_always_tells_the_links_worker)
{
    start("");
    for (int decile = 1; decile <= 10; decile++) {
        struct links_referral_context ctx = referral(decile);
        ctx.urgent = 1;
        struct links_referral_decision d;
        int rc = decide(&ctx, &d);
        ck_assert_int_ne(rc, LINKS_PLUGIN_ERROR);
        ck_assert_msg(d.notify_links_worker, "decile %d: the links worker is told of an urgent referral", decile);
        ck_assert_ptr_nonnull(d.reason);
        ck_assert_ptr_nonnull(strstr(d.reason, decile <= 2 ? "urgent" : "Urgent"));
    }
}
END_TEST

START_TEST(test_referral_urgent_but_refused_declines)
{
    start("");
    struct links_referral_context ctx = referral(7);
    ctx.urgent = 1;
    ctx.service_accepts_referrals = 0;
    struct links_referral_decision d = { .route = LINKS_ROUTE_REFUSED, .reason = "does not take referrals" };
    ck_assert_int_eq(links_plugin.referral(state, mock_request(), &ctx, &d), LINKS_PLUGIN_DECLINED);
}
END_TEST

START_TEST(test_referral_without_links_worker_declines)
{
    start("");
    struct links_referral_context ctx = referral(1);
    ctx.practice_has_links_worker = 0;
    struct links_referral_decision d;
    ck_assert_int_eq(decide(&ctx, &d), LINKS_PLUGIN_DECLINED);
    ctx = referral(1);
    ctx.to_links_worker = 1;
    ck_assert_int_eq(decide(&ctx, &d), LINKS_PLUGIN_DECLINED);
}
END_TEST

START_TEST(test_referral_setting_refused)
{
    const char *error = start_failing("links_worker_decile_max = 11;");
    ck_assert_ptr_nonnull(strstr(error, "links_worker_decile_max"));
}
END_TEST

/* A links worker referring on has seen the patient: the core decides,
 * whatever the decile or urgency. */
START_TEST(test_referral_on_by_links_worker_declines)
{
    start("links_worker_decile_max = 10;");
    struct links_referral_context ctx = referral(1);
    ctx.urgent = 1;
    ctx.referred_on_by_links_worker = 1;
    struct links_referral_decision d;
    ck_assert_int_eq(decide(&ctx, &d), LINKS_PLUGIN_DECLINED);
    ctx.referred_on_by_links_worker = 0;
    ck_assert_int_eq(decide(&ctx, &d), LINKS_PLUGIN_OK);
    ck_assert_int_eq(d.route, LINKS_ROUTE_LINKS_WORKER);
}
END_TEST

/* ---- regional report ------------------------------------------------------ */

START_TEST(test_report_groups)
{
    start("links_worker_decile_max = 2;");
    ck_assert_str_eq(links_plugin.report_dimension(state, 0), "SIMD decile of the practice's data zone");
    ck_assert_ptr_nonnull(links_plugin.report_dimension(state, 1));
    ck_assert_ptr_null(links_plugin.report_dimension(state, 2));
    struct links_report_practice p = { .code = "43021", .name = "A Practice", .district = "G51", .sector = "G51 2",
                                       .simd_decile = 1, .has_links_worker = 1, .list_size = 5000 };
    const char *group = NULL;
    ck_assert_int_eq(links_plugin.report_group(state, mock_request(), 0, &p, &group), LINKS_PLUGIN_OK);
    ck_assert_str_eq(group, "Decile 1 (most deprived)");
    ck_assert_int_eq(links_plugin.report_group(state, mock_request(), 1, &p, &group), LINKS_PLUGIN_OK);
    ck_assert_str_eq(group, "With a links worker");
    p.simd_decile = 10;
    p.has_links_worker = 0;
    links_plugin.report_group(state, mock_request(), 0, &p, &group);
    ck_assert_str_eq(group, "Decile 10 (least deprived)");
    links_plugin.report_group(state, mock_request(), 1, &p, &group);
    ck_assert_str_eq(group, "Without a links worker");
    p.simd_decile = 0;                          /* a postcode without a data zone */
    links_plugin.report_group(state, mock_request(), 0, &p, &group);
    ck_assert_str_eq(group, "Decile not known");
    ck_assert_int_eq(links_plugin.report_group(state, mock_request(), 2, &p, &group), LINKS_PLUGIN_ERROR);
}
END_TEST

static Suite *glasgow_suite(void)
{
    Suite *suite = suite_create("glasgow");
    TCase *abi = tcase_create("abi");
    TCase *settings = tcase_create("settings");
    TCase *lookups = tcase_create("lookup");

    tcase_add_test(abi, test_descriptor_head);
    suite_add_tcase(suite, abi);

    tcase_add_checked_fixture(settings, NULL, teardown);
    tcase_add_test(settings, test_init_defaults);
    tcase_add_test(settings, test_init_custom);
    tcase_add_test(settings, test_init_integer_forms);
    tcase_add_test(settings, test_init_range_limits);
    tcase_add_loop_test(settings, test_init_fails, 0,
                        (int)(sizeof init_failures / sizeof init_failures[0]));
    tcase_add_test(settings, test_init_fails_without_alloc);
    suite_add_tcase(suite, settings);

    tcase_add_checked_fixture(lookups, NULL, teardown);
    tcase_add_test(lookups, test_deprived);
    tcase_add_test(lookups, test_deprived_radius_never_raised);
    tcase_add_test(lookups, test_deprived_unnamed_council);
    tcase_add_test(lookups, test_deprived_council_unknown);
    tcase_add_test(lookups, test_not_deprived);
    tcase_add_test(lookups, test_decile_unknown_is_not_deprived);
    tcase_add_test(lookups, test_not_deprived_council_unknown_declines);
    tcase_add_test(lookups, test_no_origin_declines);
    tcase_add_test(lookups, test_core_preferences_replaced);
    tcase_add_test(lookups, test_plan_strings_outlive_context);
    tcase_add_test(lookups, test_out_of_memory_is_an_error);
    suite_add_tcase(suite, lookups);
    TCase *referrals = tcase_create("referral");
    tcase_add_checked_fixture(referrals, NULL, teardown);
    tcase_add_test(referrals, test_referral_deprived_goes_to_links_worker);
    tcase_add_test(referrals, test_referral_threshold_is_a_setting);
    tcase_add_test(referrals, test_referral_not_deprived_or_unknown_declines);
    tcase_add_test(referrals, test_referral_patient_asks_for_self_referral_service);
    tcase_add_test(referrals, test_referral_urgent_always_tells_the_links_worker);
    tcase_add_test(referrals, test_referral_without_links_worker_declines);
    tcase_add_test(referrals, test_referral_urgent_but_refused_declines);
    tcase_add_test(referrals, test_referral_setting_refused);
    tcase_add_test(referrals, test_referral_on_by_links_worker_declines);
    tcase_add_test(referrals, test_report_groups);
    suite_add_tcase(suite, referrals);
    return suite;
}

int main(void)
{
    SRunner *runner = srunner_create(glasgow_suite());
    int failures;

    srunner_run_all(runner, CK_NORMAL);
    failures = srunner_ntests_failed(runner);
    srunner_free(runner);
    return failures != 0 ? EXIT_FAILURE : EXIT_SUCCESS;
}
