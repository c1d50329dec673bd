/* test_fife.c — unit tests for the NHS Fife plugin, linked with
 * plugins/fife/fife.c and the mock host. Expected values come from the
 * plugin's specification and the default mapping in docs/PLUGINS.md. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "links/plugin.h"
#include "mock_host.h"

extern const struct links_plugin links_plugin;

#define CORE_RADIUS_KM 10.0

/* The default mapping documented in docs/PLUGINS.md. */
static const char default_settings[] =
    "prefer_fife_wide = true;\n"
    "localities = (\n"
    "  { name = \"Cowdenbeath\";     areas = [ \"KY4\", \"KY5\" ]; },\n"
    "  { name = \"Dunfermline\";     areas = [ \"KY11\", \"KY12\" ]; },\n"
    "  { name = \"Glenrothes\";      areas = [ \"KY6\", \"KY7\" ]; },\n"
    "  { name = \"Kirkcaldy\";       areas = [ \"KY1\", \"KY2\", \"KY3\" ]; },\n"
    "  { name = \"Levenmouth\";      areas = [ \"KY8\", \"KY1 4\" ]; },\n"
    "  { name = \"North East Fife\"; areas = [ \"KY9\", \"KY10\", \"KY14\", \"KY15\",\n"
    "                                        \"KY16\", \"DD6\" ]; },\n"
    "  { name = \"South West Fife\"; areas = [ \"KY11 1\", \"KY11 2\", \"KY11 3\", \"KY11 7\",\n"
    "                                        \"KY11 9\", \"KY12 8\", \"KY12 9\", \"FK10 4\" ]; }\n"
    ");\n";

/* A locality's districts exclude the sectors listed for other localities
 * (longest prefix wins), e.g. Levenmouth's KY1 4 inside Kirkcaldy's KY1. */
#define KIRKCALDY_AREAS       "KY1,KY2,KY3,!KY1 4"
#define DUNFERMLINE_AREAS     "KY11,KY12,!KY11 1,!KY11 2,!KY11 3,!KY11 7,!KY11 9,!KY12 8,!KY12 9"
#define LEVENMOUTH_AREAS      "KY8,KY1 4"
#define NORTH_EAST_FIFE_AREAS "KY9,KY10,KY14,KY15,KY16,DD6"
#define SOUTH_WEST_FIFE_AREAS "KY11 1,KY11 2,KY11 3,KY11 7,KY11 9,KY12 8,KY12 9,FK10 4"

static void *state;

static void teardown(void)
{
    if (state != NULL)
        links_plugin.fini(state);
    state = NULL;
    mock_host_teardown();
}

static void start(const char *settings_text)
{
    const char *error = NULL;

    ck_assert_msg(mock_host_setup(settings_text) == 0, "%s", mock_host_last_log());
    ck_assert_msg(links_plugin.init(mock_host(), mock_settings(), &state, &error) == 0,
                  "init failed: %s", error != NULL ? error : "(no message)");
    ck_assert_ptr_nonnull(state);
}

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

/* An origin from a full postcode: district and sector both known. */
static struct links_lookup_context from_postcode(const char *postcode, const char *district,
                                                 const char *sector)
{
    return (struct links_lookup_context){
        .board_code = "S08000029",
        .has_origin = 1,
        .origin_postcode = postcode,
        .origin_district = district,
        .origin_sector = sector,
        .origin_council_code = "S12000047",
        .origin_simd_decile = 5,
        .radius_km = CORE_RADIUS_KM,
    };
}

/* An origin given as a district only. */
static struct links_lookup_context from_district(const char *district)
{
    struct links_lookup_context ctx = from_postcode(NULL, district, NULL);

    ctx.origin_council_code = NULL;
    ctx.origin_simd_decile = 0;
    return ctx;
}

static struct links_lookup_plan core_plan(void)
{
    return (struct links_lookup_plan){ .radius_km = CORE_RADIUS_KM };
}

static struct links_lookup_plan lookup_ok(const struct links_lookup_context *ctx)
{
    struct links_lookup_plan plan = core_plan();

    ck_assert_int_eq(links_plugin.lookup(state, mock_request(), ctx, &plan), LINKS_PLUGIN_OK);
    ck_assert_double_eq(plan.radius_km, CORE_RADIUS_KM);
    return plan;
}

static void assert_locality(const struct links_lookup_plan *plan, const char *areas,
                            const char *explanation)
{
    ck_assert_int_eq(plan->n_preferences, 2);
    ck_assert_int_eq(plan->preferences[0].kind, LINKS_PREFER_AREAS);
    ck_assert_str_eq(plan->preferences[0].value, areas);
    ck_assert_int_eq(plan->preferences[1].kind, LINKS_PREFER_BOARD_WIDE);
    ck_assert_str_eq(plan->explanation, explanation);
}

static void assert_outside(const struct links_lookup_plan *plan)
{
    ck_assert_int_eq(plan->n_preferences, 1);
    ck_assert_int_eq(plan->preferences[0].kind, LINKS_PREFER_BOARD_WIDE);
    ck_assert_ptr_nonnull(plan->explanation);
    ck_assert_ptr_nonnull(strstr(plan->explanation, "Fife-wide services"));
}

/* ---- ABI head ----------------------------------------------------------- */

START_TEST(test_descriptor_head)
{
    ck_assert_uint_eq(links_plugin.magic, LINKS_PLUGIN_MAGIC);
    ck_assert_uint_eq(links_plugin.magic, 0x4C4E4B53u);
    ck_assert_uint_eq(links_plugin.abi_major, LINKS_PLUGIN_ABI_MAJOR);
    ck_assert_uint_eq(links_plugin.abi_minor, LINKS_PLUGIN_ABI_MINOR);
    ck_assert_uint_eq(links_plugin.size, sizeof(struct links_plugin));
    ck_assert_str_eq(links_plugin.name, "fife");
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

START_TEST(test_init_default_mapping)
{
    struct links_lookup_context ctx = from_postcode("KY2 5AA", "KY2", "KY2 5");
    struct links_lookup_plan plan;

    start(default_settings);
    plan = lookup_ok(&ctx);
    assert_locality(&plan, KIRKCALDY_AREAS, "Kirkcaldy locality first, then Fife-wide services");
}
END_TEST

START_TEST(test_init_prefer_fife_wide_default)
{
    /* Without prefer_fife_wide: it defaults to 1. */
    struct links_lookup_context ctx = from_postcode("KY16 9AA", "KY16", "KY16 9");
    struct links_lookup_plan plan;

    start("localities = ( { name = \"North East Fife\"; areas = [ \"KY16\" ]; } );");
    plan = lookup_ok(&ctx);
    assert_locality(&plan, "KY16", "North East Fife locality first, then Fife-wide services");
}
END_TEST

START_TEST(test_init_without_fife_wide)
{
    struct links_lookup_context inside = from_postcode("KY1 1AA", "KY1", "KY1 1");
    struct links_lookup_context outside = from_postcode("EH1 1AA", "EH1", "EH1 1");
    struct links_lookup_plan plan;

    start("prefer_fife_wide = false;\n"
          "localities = ( { name = \"Kirkcaldy\"; areas = [ \"KY1\", \"KY2\", \"KY3\" ]; } );");
    plan = lookup_ok(&inside);
    ck_assert_int_eq(plan.n_preferences, 1);
    ck_assert_int_eq(plan.preferences[0].kind, LINKS_PREFER_AREAS);
    /* Kirkcaldy alone: no other locality's sectors to exclude. */
    ck_assert_str_eq(plan.preferences[0].value, "KY1,KY2,KY3");
    ck_assert_str_eq(plan.explanation, "Kirkcaldy locality first");

    plan = core_plan();
    ck_assert_int_eq(links_plugin.lookup(state, mock_request(), &outside, &plan),
                     LINKS_PLUGIN_DECLINED);
    ck_assert_int_eq(plan.n_preferences, 0);
    ck_assert_ptr_null(plan.explanation);
}
END_TEST

START_TEST(test_init_accepts_outward_code_shapes)
{
    struct links_lookup_context ctx = from_postcode("W1A 1AA", "W1A", "W1A 1");
    struct links_lookup_plan plan;

    start("prefer_fife_wide = 1;\n"
          "localities = ( { name = \"Test\"; areas = [ \"G1\", \"G12\", \"EH1 2\", \"W1A\","
          " \"KY11 9\", \"DD6\" ]; } );");
    plan = lookup_ok(&ctx);
    assert_locality(&plan, "G1,G12,EH1 2,W1A,KY11 9,DD6",
                    "Test locality first, then Fife-wide services");
}
END_TEST

static const struct {
    const char *settings;
    const char *message;
} init_failures[] = {
    { "prefer_fife_wide = 1;", "non-empty localities list" },
    { "localities = ();", "non-empty localities list" },
    { "localities = \"KY1\";", "non-empty localities list" },
    { "localities = { Kirkcaldy = [ \"KY1\" ]; };",
      "localities must be a list of groups" },
    { "localities = ( { name = \"Kirkcaldy\"; } );",
      "locality \"Kirkcaldy\" (localities.[0]) has no areas" },
    { "localities = ( { name = \"Kirkcaldy\"; areas = []; } );",
      "locality \"Kirkcaldy\" (localities.[0]) has no areas" },
    { "localities = ( { name = \"Kirkcaldy\"; areas = [ \"KY1\" ]; },"
      " { areas = [ \"KY6\" ]; } );",
      "localities.[1] has no name" },
    { "localities = ( { name = \"\"; areas = [ \"KY6\" ]; } );",
      "localities.[0] has no name" },
    { "localities = ( { name = \"Dunfermline\"; areas = [ \"KY11\", \"KY12\" ]; },"
      " { name = \"South West Fife\"; areas = [ \"KY11 9\", \"KY11\" ]; } );",
      "area \"KY11\" is listed twice: in locality \"Dunfermline\" and in locality "
      "\"South West Fife\"" },
    { "localities = ( { name = \"Kirkcaldy\"; areas = [ \"KY1\", \"KY2\", \"KY1\" ]; } );",
      "area \"KY1\" is listed twice in locality \"Kirkcaldy\"" },
    { "localities = ( { name = \"Kirkcaldy\"; areas = [ \"KY1\" ]; },"
      " { name = \"Kirkcaldy\"; areas = [ \"KY2\" ]; } );",
      "locality \"Kirkcaldy\" is listed twice" },
    { "localities = ( { name = \"Kirkcaldy\"; areas = [ \"ky1\" ]; } );",
      "locality \"Kirkcaldy\": area \"ky1\" is not a postcode district or sector" },
    { "localities = ( { name = \"Kirkcaldy\"; areas = [ \"KY1 1AA\" ]; } );",
      "area \"KY1 1AA\" is not a postcode district or sector" },
    { "localities = ( { name = \"Kirkcaldy\"; areas = [ \"KY\" ]; } );",
      "area \"KY\" is not a postcode district or sector" },
    { "localities = ( { name = \"Kirkcaldy\"; areas = [ \"KY1,KY2\" ]; } );",
      "area \"KY1,KY2\" is not a postcode district or sector" },
    { "localities = ( { name = \"Kirkcaldy\"; areas = [ \"KY11  9\" ]; } );",
      "area \"KY11  9\" is not a postcode district or sector" },
    { "localities = ( { name = \"Kirkcaldy\"; areas = [ \"KYY1\" ]; } );",
      "area \"KYY1\" is not a postcode district or sector" },
    { "localities = ( { name = \"Kirkcaldy\"; areas = [ 1 ]; } );",
      "locality \"Kirkcaldy\": localities.[0].areas.[0] is not a string" },
    { "prefer_fife_wide = \"yes\";"
      " localities = ( { name = \"Kirkcaldy\"; areas = [ \"KY1\" ]; } );",
      "prefer_fife_wide must be true/false or 1/0" },
};

START_TEST(test_init_fails)
{
    const char *error = start_failing(init_failures[_i].settings);

    ck_assert_msg(strstr(error, init_failures[_i].message) != NULL,
                  "settings \"%s\": message \"%s\" lacks \"%s\"",
                  init_failures[_i].settings, error, init_failures[_i].message);
}
END_TEST

/* ---- lookup ------------------------------------------------------------- */

START_TEST(test_locality_by_district)
{
    struct links_lookup_context ctx = from_postcode("KY11 4AA", "KY11", "KY11 4");
    struct links_lookup_plan plan;

    start(default_settings);
    plan = lookup_ok(&ctx);
    assert_locality(&plan, DUNFERMLINE_AREAS,
                    "Dunfermline locality first, then Fife-wide services");
}
END_TEST

START_TEST(test_locality_by_sector_override)
{
    struct links_lookup_context dalgety_bay = from_postcode("KY11 9AA", "KY11", "KY11 9");
    struct links_lookup_context oakley = from_postcode("KY12 9AA", "KY12", "KY12 9");
    struct links_lookup_context dunfermline = from_postcode("KY12 7AA", "KY12", "KY12 7");
    struct links_lookup_plan plan;

    start(default_settings);
    plan = lookup_ok(&dalgety_bay);
    assert_locality(&plan, SOUTH_WEST_FIFE_AREAS,
                    "South West Fife locality first, then Fife-wide services");
    plan = lookup_ok(&oakley);
    assert_locality(&plan, SOUTH_WEST_FIFE_AREAS,
                    "South West Fife locality first, then Fife-wide services");
    plan = lookup_ok(&dunfermline);
    assert_locality(&plan, DUNFERMLINE_AREAS,
                    "Dunfermline locality first, then Fife-wide services");
}
END_TEST

START_TEST(test_sector_override_across_localities)
{
    /* KY1 4 belongs to Levenmouth though KY1 is Kirkcaldy's. */
    struct links_lookup_context wemyss = from_postcode("KY1 4AA", "KY1", "KY1 4");
    struct links_lookup_context kirkcaldy = from_postcode("KY1 2AA", "KY1", "KY1 2");
    struct links_lookup_plan plan;

    start(default_settings);
    plan = lookup_ok(&wemyss);
    assert_locality(&plan, LEVENMOUTH_AREAS, "Levenmouth locality first, then Fife-wide services");
    plan = lookup_ok(&kirkcaldy);
    assert_locality(&plan, KIRKCALDY_AREAS, "Kirkcaldy locality first, then Fife-wide services");
}
END_TEST

START_TEST(test_sector_only_area_outside_its_district)
{
    /* FK10 4 (Kincardine) is in Fife; the rest of FK10 (Alloa) is not. */
    struct links_lookup_context kincardine = from_postcode("FK10 4AA", "FK10", "FK10 4");
    struct links_lookup_context alloa = from_postcode("FK10 1AA", "FK10", "FK10 1");
    struct links_lookup_plan plan;

    start(default_settings);
    plan = lookup_ok(&kincardine);
    assert_locality(&plan, SOUTH_WEST_FIFE_AREAS,
                    "South West Fife locality first, then Fife-wide services");
    plan = lookup_ok(&alloa);
    assert_outside(&plan);
}
END_TEST

START_TEST(test_locality_from_district_only_origin)
{
    struct links_lookup_context dunfermline = from_district("KY11");
    struct links_lookup_context tayport = from_district("DD6");
    struct links_lookup_plan plan;

    start(default_settings);
    plan = lookup_ok(&dunfermline);
    assert_locality(&plan, DUNFERMLINE_AREAS,
                    "Dunfermline locality first, then Fife-wide services");
    plan = lookup_ok(&tayport);
    assert_locality(&plan, NORTH_EAST_FIFE_AREAS,
                    "North East Fife locality first, then Fife-wide services");
}
END_TEST

START_TEST(test_outside_fife)
{
    struct links_lookup_context glasgow = from_postcode("G12 8QQ", "G12", "G12 8");
    struct links_lookup_context kinross = from_postcode("KY13 8AA", "KY13", "KY13 8");
    struct links_lookup_plan plan;

    start(default_settings);
    plan = lookup_ok(&glasgow);
    assert_outside(&plan);
    plan = lookup_ok(&kinross);
    assert_outside(&plan);
}
END_TEST

START_TEST(test_no_origin_declines)
{
    struct links_lookup_context ctx = {
        .board_code = "S08000029", .query_text = "carers", .radius_km = CORE_RADIUS_KM,
    };
    struct links_lookup_plan plan = core_plan();

    start(default_settings);
    ck_assert_int_eq(links_plugin.lookup(state, mock_request(), &ctx, &plan),
                     LINKS_PLUGIN_DECLINED);
    ck_assert_int_eq(plan.n_preferences, 0);
    ck_assert_ptr_null(plan.explanation);
    ck_assert_double_eq(plan.radius_km, CORE_RADIUS_KM);
}
END_TEST

START_TEST(test_core_preferences_replaced)
{
    struct links_lookup_context ctx = from_postcode("KY6 1AA", "KY6", "KY6 1");
    struct links_lookup_plan plan = core_plan();

    plan.n_preferences = 4;
    for (int i = 0; i < 4; i++)
        plan.preferences[i] = (struct links_preference){ LINKS_PREFER_FREE, NULL };
    start(default_settings);
    ck_assert_int_eq(links_plugin.lookup(state, mock_request(), &ctx, &plan), LINKS_PLUGIN_OK);
    assert_locality(&plan, "KY6,KY7", "Glenrothes locality first, then Fife-wide services");
}
END_TEST

START_TEST(test_state_outlives_settings)
{
    /* The plan's strings live in the plugin's state: they survive the host
     * dropping the parsed configuration, and lookup allocates nothing. */
    struct links_lookup_context ctx = from_postcode("KY8 4AA", "KY8", "KY8 4");
    struct links_lookup_plan first;
    struct links_lookup_plan second;

    start(default_settings);
    first = lookup_ok(&ctx);
    ck_assert_int_eq(mock_host_setup("unrelated = 1;"), 0);
    second = lookup_ok(&ctx);
    ck_assert_ptr_eq(first.preferences[0].value, second.preferences[0].value);
    ck_assert_uint_eq(mock_host_alloc_count(), 0);
    assert_locality(&second, LEVENMOUTH_AREAS,
                    "Levenmouth locality first, then Fife-wide services");
}
END_TEST

/* ---- referral rules ------------------------------------------------------ */

/* A referral of an adult from Kirkcaldy (KY1 1) to a service that takes
 * referrals, with places, for one need. */
static struct links_referral_context referral(void)
{
    return (struct links_referral_context){
        .board_code = "S08000029", .patient_age = 40, .simd_decile = 5, .patient_district = "KY1",
        .patient_sector = "KY1 1", .needs = 1, .practice_has_links_worker = 0,
        .service_accepts_referrals = 1, .service_capacity = 4, .service_minimum_age = -1,
        .service_maximum_age = -1,
    };
}

static struct links_referral_decision decide_ok(const struct links_referral_context *ctx)
{
    struct links_referral_decision d = { .route = LINKS_ROUTE_SERVICE };
    ck_assert_int_eq(links_plugin.referral(state, mock_request(), ctx, &d), LINKS_PLUGIN_OK);
    ck_assert_ptr_nonnull(d.reason);
    return d;
}

START_TEST(test_referral_straight_to_service_with_places)
{
    start(default_settings);
    struct links_referral_context ctx = referral();
    struct links_referral_decision d = decide_ok(&ctx);
    ck_assert_int_eq(d.route, LINKS_ROUTE_SERVICE);
    ck_assert_ptr_nonnull(strstr(d.reason, "has places"));
    ctx.service_capacity = -1;      /* not known: not full */
    ck_assert_int_eq(decide_ok(&ctx).route, LINKS_ROUTE_SERVICE);
}
END_TEST

START_TEST(test_referral_full_service_waiting_list)
{
    start(default_settings);
    struct links_referral_context ctx = referral();
    ctx.service_capacity = 0;
    struct links_referral_decision d = decide_ok(&ctx);
    ck_assert_int_eq(d.route, LINKS_ROUTE_WAITING_LIST);
    ck_assert_ptr_nonnull(strstr(d.reason, "waiting list"));
}
END_TEST

START_TEST(test_referral_service_without_referrals_refused)
{
    start(default_settings);
    struct links_referral_context ctx = referral();
    ctx.service_accepts_referrals = 0;
    struct links_referral_decision d = decide_ok(&ctx);
    ck_assert_int_eq(d.route, LINKS_ROUTE_REFUSED);
    ck_assert_ptr_nonnull(strstr(d.reason, "does not take referrals"));
}
END_TEST

START_TEST(test_referral_three_needs_to_locality_links_worker)
{
    start(default_settings);
    static const struct { const char *district, *sector, *locality; } cases[] = {
        { "KY1", "KY1 1", "Kirkcaldy" },
        { "KY1", "KY1 4", "Levenmouth" },           /* a sector entry overrides its district */
        { "KY11", "KY11 9", "South West Fife" },
        { "KY16", NULL, "North East Fife" },        /* district only */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct links_referral_context ctx = referral();
        ctx.patient_district = cases[i].district;
        ctx.patient_sector = cases[i].sector;
        ctx.needs = 3;
        struct links_referral_decision d = decide_ok(&ctx);
        ck_assert_int_eq(d.route, LINKS_ROUTE_LOCALITY_LINKS_WORKER);
        ck_assert_str_eq(d.locality, cases[i].locality);
        ck_assert_ptr_nonnull(strstr(d.reason, "3 or more needs"));
        ck_assert_ptr_nonnull(strstr(d.reason, cases[i].locality));
    }
    /* two needs: the service */
    struct links_referral_context ctx = referral();
    ctx.needs = 2;
    ck_assert_int_eq(decide_ok(&ctx).route, LINKS_ROUTE_SERVICE);
}
END_TEST

START_TEST(test_referral_needs_threshold_is_a_setting)
{
    char settings[2048];
    snprintf(settings, sizeof settings, "%sneeds_for_links_worker = 2;\n", default_settings);
    start(settings);
    struct links_referral_context ctx = referral();
    ctx.needs = 2;
    struct links_referral_decision d = decide_ok(&ctx);
    ck_assert_int_eq(d.route, LINKS_ROUTE_LOCALITY_LINKS_WORKER);
    ck_assert_ptr_nonnull(strstr(d.reason, "2 or more needs"));
}
END_TEST

START_TEST(test_referral_to_links_worker_and_outside_fife)
{
    start(default_settings);
    struct links_referral_context ctx = referral();
    ctx.to_links_worker = 1;
    struct links_referral_decision d = decide_ok(&ctx);
    ck_assert_int_eq(d.route, LINKS_ROUTE_LOCALITY_LINKS_WORKER);
    ck_assert_str_eq(d.locality, "Kirkcaldy");
    ctx.patient_district = "G12";
    ctx.patient_sector = "G12 8";
    d = decide_ok(&ctx);
    ck_assert_int_eq(d.route, LINKS_ROUTE_REFUSED);
    ck_assert_ptr_nonnull(strstr(d.reason, "none of Fife's localities"));
}
END_TEST

START_TEST(test_referral_under_16_age_range)
{
    start(default_settings);
    struct links_referral_context ctx = referral();
    ctx.patient_age = 14;
    ctx.service_minimum_age = 18;
    struct links_referral_decision d = decide_ok(&ctx);
    ck_assert_int_eq(d.route, LINKS_ROUTE_REFUSED);
    ck_assert_ptr_nonnull(strstr(d.reason, "Under-16s"));
    ctx.service_minimum_age = 12;               /* 12-18: fits */
    ctx.service_maximum_age = 18;
    ck_assert_int_eq(decide_ok(&ctx).route, LINKS_ROUTE_SERVICE);
    ctx.service_minimum_age = 0;                /* up to 11: does not */
    ctx.service_maximum_age = 11;
    ck_assert_int_eq(decide_ok(&ctx).route, LINKS_ROUTE_REFUSED);
    ctx.service_minimum_age = -1;               /* no range given: any age */
    ctx.service_maximum_age = -1;
    ck_assert_int_eq(decide_ok(&ctx).route, LINKS_ROUTE_SERVICE);
    ctx.patient_age = 16;                       /* 16 is not under 16 */
    ctx.service_minimum_age = 18;
    ck_assert_int_eq(decide_ok(&ctx).route, LINKS_ROUTE_SERVICE);
}
END_TEST

/* A links worker referring on: needs do not send the patient back to a
 * links worker; the age range still applies. */
START_TEST(test_referral_on_by_links_worker_goes_to_service)
{
    start(default_settings);
    struct links_referral_context ctx = referral();
    ctx.needs = 5;
    ctx.referred_on_by_links_worker = 1;
    struct links_referral_decision d = decide_ok(&ctx);
    ck_assert_int_eq(d.route, LINKS_ROUTE_SERVICE);
    ck_assert_ptr_null(d.locality);
    ctx.service_capacity = 0;
    ck_assert_int_eq(decide_ok(&ctx).route, LINKS_ROUTE_WAITING_LIST);
    ctx.patient_age = 10;
    ctx.service_minimum_age = 18;
    ck_assert_int_eq(decide_ok(&ctx).route, LINKS_ROUTE_REFUSED);
}
END_TEST

/* ---- regional report ------------------------------------------------------ */

START_TEST(test_report_groups_by_locality)
{
    start(default_settings);
    ck_assert_str_eq(links_plugin.report_dimension(state, 0), "Locality");
    ck_assert_ptr_null(links_plugin.report_dimension(state, 1));
    static const struct { const char *district, *sector, *locality; } cases[] = {
        { "KY1", "KY1 1", "Kirkcaldy" },
        { "KY1", "KY1 4", "Levenmouth" },           /* a sector entry overrides its district */
        { "KY16", NULL, "North East Fife" },
        { "G12", "G12 8", "Outside Fife's localities" },
        { NULL, NULL, "Outside Fife's localities" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct links_report_practice p = { .code = "20001", .name = "P", .district = cases[i].district,
                                           .sector = cases[i].sector, .list_size = 4000 };
        const char *group = NULL;
        ck_assert_int_eq(links_plugin.report_group(state, mock_request(), 0, &p, &group), LINKS_PLUGIN_OK);
        ck_assert_str_eq(group, cases[i].locality);
    }
}
END_TEST

static Suite *fife_suite(void)
{
    Suite *suite = suite_create("fife");
    TCase *abi = tcase_create("abi");
    TCase *settings = tcase_create("settings");
    TCase *lookups = tcase_create("lookup");

    tcase_add_test(abi, test_descriptor_head);
    suite_add_tcase(suite, abi);

    tcase_add_checked_fixture(settings, NULL, teardown);
    tcase_add_test(settings, test_init_default_mapping);
    tcase_add_test(settings, test_init_prefer_fife_wide_default);
    tcase_add_test(settings, test_init_without_fife_wide);
    tcase_add_test(settings, test_init_accepts_outward_code_shapes);
    tcase_add_loop_test(settings, test_init_fails, 0,
                        (int)(sizeof init_failures / sizeof init_failures[0]));
    suite_add_tcase(suite, settings);

    tcase_add_checked_fixture(lookups, NULL, teardown);
    tcase_add_test(lookups, test_locality_by_district);
    tcase_add_test(lookups, test_locality_by_sector_override);
    tcase_add_test(lookups, test_sector_override_across_localities);
    tcase_add_test(lookups, test_sector_only_area_outside_its_district);
    tcase_add_test(lookups, test_locality_from_district_only_origin);
    tcase_add_test(lookups, test_outside_fife);
    tcase_add_test(lookups, test_no_origin_declines);
    tcase_add_test(lookups, test_core_preferences_replaced);
    tcase_add_test(lookups, test_state_outlives_settings);
    suite_add_tcase(suite, lookups);
    TCase *referrals = tcase_create("referral");
    tcase_add_checked_fixture(referrals, NULL, teardown);
    tcase_add_test(referrals, test_referral_straight_to_service_with_places);
    tcase_add_test(referrals, test_referral_full_service_waiting_list);
    tcase_add_test(referrals, test_referral_service_without_referrals_refused);
    tcase_add_test(referrals, test_referral_three_needs_to_locality_links_worker);
    tcase_add_test(referrals, test_referral_needs_threshold_is_a_setting);
    tcase_add_test(referrals, test_referral_to_links_worker_and_outside_fife);
    tcase_add_test(referrals, test_referral_under_16_age_range);
    tcase_add_test(referrals, test_referral_on_by_links_worker_goes_to_service);
    tcase_add_test(referrals, test_report_groups_by_locality);
    suite_add_tcase(suite, referrals);
    return suite;
}

int main(void)
{
    SRunner *runner = srunner_create(fife_suite());
    int failures;

    srunner_run_all(runner, CK_NORMAL);
    failures = srunner_ntests_failed(runner);
    srunner_free(runner);
    return failures != 0 ? EXIT_FAILURE : EXIT_SUCCESS;
}
