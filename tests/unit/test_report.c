/* test_report.c — unit tests of the reports' arithmetic (Check): rates per
 * 1,000, the funnel plot's Poisson control limits and the small-count
 * disclosure rule.
 *
 * The expected limits were worked out independently of the code, from the
 * definition (Spiegelhalter 2005): for `expected` = E events, r_p is the
 * smallest count with P(Y <= r_p) >= p for Y ~ Poisson(E), a = (P(Y <= r_p)
 * - p) / P(Y = r_p), and the limit is r_p - a (never below 0). By hand for
 * E = 2 (the cumulative sums of e^-2 2^k / k!), and for E = 10 and 25 with
 * the same sums in 40-digit decimal arithmetic (Python's decimal module,
 * the series written out term by term, no statistics library). The
 * quantiles r_p agree with published Poisson tables (E = 10: the 2.5% and
 * 97.5% points are 4 and 17). */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "disclosure.h"
#include "report_common.h"
#include "funnel.h"
#include "stats.h"

/* ---- rates ---------------------------------------------------------------- */

START_TEST(test_rate_per_1000)
{
    ck_assert_double_eq_tol(links_rate_per_1000(37, 4120), 8.980582524, 1e-9);  /* 37000 / 4120 */
    ck_assert_double_eq(links_rate_per_1000(0, 3000), 0);                      /* zero counts are rates */
    ck_assert_double_eq_tol(links_rate_per_1000(3, 150), 20.0, 1e-12);         /* a very small practice */
    ck_assert(links_rate_per_1000(5, 0) < 0);                                  /* no list: no rate */
    ck_assert(links_rate_per_1000(-1, 100) < 0);
}
END_TEST

/* ---- Poisson limits ----------------------------------------------------------- */

static const struct {
    double expected, p, limit;
} limits[] = {
    /* E = 2. Cumulative: F(0) = 0.1353352832, F(4) = 0.9473469827,
     * F(5) = 0.9834363916 (P(5) = 0.0360894089), F(7) = 0.9989032812,
     * F(8) = 0.9997625528 (P(8) = 0.0008592716).
     * 97.5%: r = 5, a = (0.9834363916 - 0.975) / 0.0360894089 = 0.233764
     * 99.8% upper: r = 8, a = 0.0007625528 / 0.0008592716 = 0.887441
     * 2.5%, 0.1%: r = 0, a = 0.815274 and 0.992611: below 0, so 0 */
    { 2, 0.975, 4.766236 },
    { 2, 0.999, 7.112559 },
    { 2, 0.025, 0 },
    { 2, 0.001, 0 },
    /* E = 10 */
    { 10, 0.001, 1.220529 },
    { 10, 0.025, 3.775188 },
    { 10, 0.975, 16.159951 },
    { 10, 0.999, 20.662001 },
    /* E = 25 */
    { 25, 0.001, 10.498533 },
    { 25, 0.025, 15.175157 },
    { 25, 0.975, 34.776717 },
    { 25, 0.999, 41.346523 },
    /* E = 0 (nothing expected): every limit is 0 */
    { 0, 0.975, 0 },
    { 0, 0.999, 0 },
};

START_TEST(test_poisson_limit)
{
    double got = links_poisson_limit(limits[_i].expected, limits[_i].p);
    ck_assert_msg(fabs(got - limits[_i].limit) < 5e-6, "E = %g, p = %g: %.6f, expected %.6f", limits[_i].expected,
                  limits[_i].p, got, limits[_i].limit);
}
END_TEST

START_TEST(test_poisson_limit_large_and_bad)
{
    /* A big practice: E = 2000. The normal approximation E +- 1.96 sqrt(E)
     * (1912.35, 2087.65) must be close (within one count) and ordered. */
    double lo = links_poisson_limit(2000, 0.025), hi = links_poisson_limit(2000, 0.975);
    ck_assert_msg(fabs(lo - (2000 - 1.959964 * sqrt(2000))) < 1.5, "lower %.3f", lo);
    ck_assert_msg(fabs(hi - (2000 + 1.959964 * sqrt(2000))) < 1.5, "upper %.3f", hi);
    ck_assert(links_poisson_limit(2000, 0.001) < lo && links_poisson_limit(2000, 0.999) > hi);
    ck_assert(links_poisson_limit(-1, 0.5) < 0);
    ck_assert(links_poisson_limit(5, 0) < 0);
    ck_assert(links_poisson_limit(5, 1) < 0);
    ck_assert(links_poisson_limit(NAN, 0.5) < 0);
}
END_TEST

/* The limits in rates: a board rate of 20 per 1,000 at a list of 500
 * expects 10 events, so each limit is the E = 10 count x 1000 / 500. A
 * list of 100 at 20 per 1,000 expects 2. */
START_TEST(test_funnel_limits_and_positions)
{
    struct links_funnel_limits l;
    ck_assert_int_eq(links_funnel_limits(20, 500, &l), 0);
    ck_assert_double_eq_tol(l.lower_998, 2.441059, 1e-5);
    ck_assert_double_eq_tol(l.lower_95, 7.550376, 1e-5);
    ck_assert_double_eq_tol(l.upper_95, 32.319901, 1e-5);
    ck_assert_double_eq_tol(l.upper_998, 41.324002, 1e-5);
    ck_assert_int_eq(links_funnel_position(links_rate_per_1000(10, 500), &l), LINKS_FUNNEL_WITHIN);
    ck_assert_int_eq(links_funnel_position(links_rate_per_1000(17, 500), &l), LINKS_FUNNEL_ABOVE_95);   /* 34 */
    ck_assert_int_eq(links_funnel_position(links_rate_per_1000(21, 500), &l), LINKS_FUNNEL_ABOVE_998);  /* 42 */
    ck_assert_int_eq(links_funnel_position(links_rate_per_1000(3, 500), &l), LINKS_FUNNEL_BELOW_95);    /* 6 */
    ck_assert_int_eq(links_funnel_position(links_rate_per_1000(1, 500), &l), LINKS_FUNNEL_BELOW_998);   /* 2 */
    ck_assert_str_eq(links_funnel_position_name(LINKS_FUNNEL_ABOVE_998), "above 99.8%");

    /* A small practice: its limits are wide, and no count can be below
     * them (the lower limits are 0). 0 events is within. */
    ck_assert_int_eq(links_funnel_limits(20, 100, &l), 0);
    ck_assert_double_eq_tol(l.upper_95, 47.66236, 1e-4);
    ck_assert_double_eq(l.lower_95, 0);
    ck_assert_int_eq(links_funnel_position(0, &l), LINKS_FUNNEL_WITHIN);
    ck_assert_int_eq(links_funnel_position(links_rate_per_1000(5, 100), &l), LINKS_FUNNEL_ABOVE_95);   /* 50 */

    ck_assert_int_eq(links_funnel_limits(20, 0, &l), -1);
    ck_assert_int_eq(links_funnel_limits(-1, 100, &l), -1);
}
END_TEST

/* ---- disclosure ------------------------------------------------------------- */

#define H LINKS_HIDDEN
#define O LINKS_HIDDEN_OTHER
static const struct {
    const char *why;
    size_t n;
    long counts[5], shown[5], total_shown;
} tables[] = {
    { "nothing small: all shown", 3, { 10, 25, 7 }, { 10, 25, 7 }, 42 },
    { "zeros are shown", 3, { 0, 12, 0 }, { 0, 12, 0 }, 12 },
    { "one small count: the smallest other non-zero one hidden too", 4, { 3, 20, 9, 0 }, { H, 20, O, 0 }, 32 },
    { "two small counts: nothing more", 3, { 1, 4, 30 }, { H, H, 30 }, 35 },
    { "the smallest other, the first of equals", 4, { 2, 8, 8, 50 }, { H, O, 8, 50 }, 68 },
    { "one small count, the others zero: the total is as small, hidden", 3, { 0, 4, 0 }, { 0, H, 0 }, H },
    { "a small total is hidden, and so are its parts", 2, { 0, 3 }, { 0, H }, H },
    { "five is not small", 2, { 5, 100 }, { 5, 100 }, 105 },
    { "all small", 3, { 1, 2, 1 }, { H, H, H }, H },
    { "two small adding up to 2 (each would be 1): another hidden", 5, { 0, 1, 1, 0, 9 }, { 0, H, H, 0, O }, 11 },
    { "two small adding up to 3: the smallest other", 4, { 1, 2, 30, 40 }, { H, H, O, 40 }, 73 },
    { "two small adding up to 3, the only other non-zero hidden too", 4, { 2, 1, 0, 20 }, { H, H, 0, O }, 23 },
};

START_TEST(test_disclosure)
{
    long shown[5], total_shown, total = 0;
    for (size_t i = 0; i < tables[_i].n; i++)
        total += tables[_i].counts[i];
    links_disclosure_apply(tables[_i].counts, tables[_i].n, total, shown, &total_shown);
    for (size_t i = 0; i < tables[_i].n; i++)
        ck_assert_msg(shown[i] == tables[_i].shown[i], "%s: cell %zu shown as %ld, expected %ld", tables[_i].why, i,
                      shown[i], tables[_i].shown[i]);
    ck_assert_msg(total_shown == tables[_i].total_shown, "%s: total %ld", tables[_i].why, total_shown);
}
END_TEST

/* Whatever the table, subtraction never finds a hidden count: either the
 * total is hidden, or none is, or at least two counts are, adding up to 5 or
 * more. Tried on every table of three counts from 0 to 7. */
START_TEST(test_disclosure_never_one_hidden_with_total)
{
    for (long a = 0; a < 8; a++)
        for (long b = 0; b < 8; b++)
            for (long c = 0; c < 8; c++) {
                long counts[3] = { a, b, c }, shown[3], total_shown;
                links_disclosure_apply(counts, 3, a + b + c, shown, &total_shown);
                int hidden = (shown[0] < 0) + (shown[1] < 0) + (shown[2] < 0);
                long hidden_sum = a + b + c;
                for (int i = 0; i < 3; i++)
                    hidden_sum -= shown[i] >= 0 ? shown[i] : 0;
                ck_assert_msg(total_shown < 0 || hidden != 1, "%ld %ld %ld: one hidden with the total shown", a, b, c);
                ck_assert_msg(total_shown < 0 || hidden == 0 || hidden_sum >= 5,
                              "%ld %ld %ld: what is hidden (%ld) is worked out as under 5 from the total", a, b, c, hidden_sum);
                for (int i = 0; i < 3; i++)
                    ck_assert_msg(shown[i] == H || shown[i] == O || shown[i] == counts[i], "a shown count is the count");
                for (int i = 0; i < 3; i++)
                    ck_assert_msg(!links_disclosure_small(counts[i]) || shown[i] == H, "small counts are hidden");
            }
}
END_TEST

/* ---- CSV fields ---------------------------------------------------------------- */

/* What a spreadsheet would run as a formula goes out with an apostrophe
 * first (OWASP's advice for CSV injection); numbers, negative ones too,
 * and other text as they are, quoted. */
START_TEST(test_csv_field_formulas)
{
    static const struct { const char *in, *out; } cases[] = {
        { "=HYPERLINK(\"http://evil.example\",\"Click\")", "\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"Click\"\")\"," },
        { "+1+1", "\"'+1+1\"," },
        { "-2+3", "\"'-2+3\"," },
        { "@SUM(A1)", "\"'@SUM(A1)\"," },
        { "\tx", "\"'\tx\"," },
        { "-0.52", "\"-0.52\"," },
        { "12", "\"12\"," },
        { "<5", "\"<5\"," },
        { "Demo champion", "\"Demo champion\"," },
        { "", "\"\"," },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *text = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&text, &len);
        ck_assert_ptr_nonnull(f);
        links_report_csv_field(f, cases[i].in, 0);
        ck_assert_int_eq(fclose(f), 0);
        ck_assert_msg(strcmp(text, cases[i].out) == 0, "%s: %s, expected %s", cases[i].in, text, cases[i].out);
        free(text);
    }
}
END_TEST

/* ---- means with 95% intervals -------------------------------------------------- */

/* Worked by hand: changes 1, 2, 3, 4, 5 have mean 3 and sample sd
 * sqrt(10 / 4) = 1.581139; t(4) = 2.776 (tables), so the half-width is
 * 2.776 x 1.581139 / sqrt(5) = 1.962932 and the interval 1.037068 to
 * 4.962932. */
START_TEST(test_mean_ci_by_hand)
{
    const double changes[] = { 1, 2, 3, 4, 5 };
    struct links_mean_ci ci;
    ck_assert_int_eq(links_mean_ci(changes, 5, &ci), 0);
    ck_assert_double_eq_tol(ci.mean, 3, 1e-12);
    ck_assert_double_eq_tol(ci.sd, 1.581139, 1e-6);
    ck_assert_double_eq_tol(ci.lower, 1.037068, 1e-5);
    ck_assert_double_eq_tol(ci.upper, 4.962932, 1e-5);
    /* one pair: a mean, no interval; none: nothing */
    ck_assert_int_eq(links_mean_ci(changes, 1, &ci), 0);
    ck_assert_double_eq(ci.mean, 1);
    ck_assert_double_eq(ci.lower, ci.upper);
    ck_assert_int_eq(links_mean_ci(changes, 0, &ci), -1);
    /* all the same change: sd 0, the interval is the point */
    const double same[] = { 2.5, 2.5, 2.5 };
    ck_assert_int_eq(links_mean_ci(same, 3, &ci), 0);
    ck_assert_double_eq_tol(ci.upper - ci.lower, 0, 1e-12);
}
END_TEST

/* The t points against a printed table: df 1, 10, 30, 60, 120; between
 * 40 and 60 the interpolation in 1/df lies between the two; large df
 * approach 1.96. */
START_TEST(test_t_points)
{
    ck_assert_double_eq_tol(links_t_975(1), 12.706, 1e-9);
    ck_assert_double_eq_tol(links_t_975(10), 2.228, 1e-9);
    ck_assert_double_eq_tol(links_t_975(30), 2.042, 1e-9);
    ck_assert_double_eq_tol(links_t_975(60), 2.000, 1e-9);
    ck_assert_double_eq_tol(links_t_975(120), 1.980, 1e-9);
    double t50 = links_t_975(50);           /* tables: 2.009 */
    ck_assert_double_eq_tol(t50, 2.009, 0.002);
    ck_assert(links_t_975(100000) > 1.96 && links_t_975(100000) < 1.961);
    ck_assert(isnan(links_t_975(0)));
}
END_TEST

static Suite *report_suite(void)
{
    Suite *s = suite_create("report");
    TCase *tc = tcase_create("funnel");
    tcase_add_test(tc, test_rate_per_1000);
    tcase_add_loop_test(tc, test_poisson_limit, 0, sizeof limits / sizeof limits[0]);
    tcase_add_test(tc, test_poisson_limit_large_and_bad);
    tcase_add_test(tc, test_funnel_limits_and_positions);
    suite_add_tcase(s, tc);
    tc = tcase_create("disclosure");
    tcase_add_loop_test(tc, test_disclosure, 0, sizeof tables / sizeof tables[0]);
    tcase_add_test(tc, test_disclosure_never_one_hidden_with_total);
    tcase_add_test(tc, test_csv_field_formulas);
    suite_add_tcase(s, tc);
    tc = tcase_create("stats");
    tcase_add_test(tc, test_mean_ci_by_hand);
    tcase_add_test(tc, test_t_points);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(report_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
