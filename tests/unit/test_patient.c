/* test_patient.c — unit tests of patient identity and wellbeing measures
 * (Check): CHI numbers under both check-digit schemes, the SWEMWBS
 * conversion at every raw score and the ONS4 bands, each compared with the
 * published figures in schema/data/. */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chi.h"
#include "wellbeing.h"

/* ---- CHI ---------------------------------------------------------------- */

static const struct {
    const char *typed;
    enum links_chi_result result;
} chis[] = {
    /* modulus 11 (Public Health Scotland's published examples) */
    { "1904851231", LINKS_CHI_VALID },
    { "0101011237", LINKS_CHI_VALID },
    { "2902201230", LINKS_CHI_VALID },          /* 29 February 2020 */
    { "190485 1231", LINKS_CHI_VALID },         /* as typed, with a space */
    /* modulus 10 only: issued once a date's modulus 11 numbers ran out */
    { "0101201234", LINKS_CHI_VALID },
    { "1904851232", LINKS_CHI_BAD_CHECK_DIGIT },
    { "0101201233", LINKS_CHI_BAD_CHECK_DIGIT },
    /* dates */
    { "3201201234", LINKS_CHI_BAD_DATE },       /* day 32 */
    { "0113201234", LINKS_CHI_BAD_DATE },       /* month 13 */
    { "3104201234", LINKS_CHI_BAD_DATE },       /* 31 April */
    { "2902191230", LINKS_CHI_BAD_DATE },       /* 29 February, not a leap year */
    { "0011201234", LINKS_CHI_BAD_DATE },
    { "0000000000", LINKS_CHI_BAD_DATE },
    /* shapes */
    { "123456789", LINKS_CHI_WRONG_LENGTH },
    { "12345678901", LINKS_CHI_WRONG_LENGTH },
    { "", LINKS_CHI_WRONG_LENGTH },
    { "010101123?", LINKS_CHI_NOT_DIGITS },
    { "a101011237", LINKS_CHI_NOT_DIGITS },
    { "0101-01-1237", LINKS_CHI_NOT_DIGITS },
    { "0101011237\n", LINKS_CHI_NOT_DIGITS },
};

START_TEST(test_chi)
{
    char out[11] = "";
    enum links_chi_result r = links_chi_check(chis[_i].typed, out);
    ck_assert_msg(r == chis[_i].result, "\"%s\": %d (%s), expected %d", chis[_i].typed, r, links_chi_problem(r),
                  chis[_i].result);
    if (r == LINKS_CHI_VALID) {
        ck_assert_int_eq(strlen(out), 10);
        ck_assert_ptr_null(strchr(out, ' '));
    }
    ck_assert_ptr_nonnull(links_chi_problem(r));
}
END_TEST

START_TEST(test_chi_schemes)
{
    /* each scheme's digit for the examples above */
    ck_assert_int_eq(links_chi_mod11_digit("190485123"), 1);
    ck_assert_int_eq(links_chi_mod11_digit("010101123"), 7);
    ck_assert_int_eq(links_chi_mod10_digit("010120123"), 4);
    ck_assert_int_ne(links_chi_mod11_digit("010120123"), 4);
    /* modulus 11 gives no digit for some numbers (remainder 1): find one
     * and check that only a modulus 10 digit can make it valid */
    char nine[10] = "010190000";
    int found = 0;
    for (int i = 0; i < 1000 && !found; i++) {
        nine[6] = (char)('0' + i / 100);
        nine[7] = (char)('0' + i / 10 % 10);
        nine[8] = (char)('0' + i % 10);
        found = links_chi_mod11_digit(nine) == -1;
    }
    ck_assert(found);
    char number[11], out[11];
    memcpy(number, nine, 9);
    number[10] = '\0';
    number[9] = (char)('0' + links_chi_mod10_digit(nine));
    ck_assert_int_eq(links_chi_check(number, out), LINKS_CHI_VALID);
    /* every other last digit is refused (unless the modulus 10 digit) */
    int refused = 0;
    for (int d = 0; d <= 9; d++) {
        number[9] = (char)('0' + d);
        refused += links_chi_check(number, out) == LINKS_CHI_BAD_CHECK_DIGIT;
    }
    ck_assert_int_eq(refused, 9);
}
END_TEST

/* ---- SWEMWBS ------------------------------------------------------------ */

START_TEST(test_swemwbs_every_raw_score)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/schema/data/swemwbs_raw_to_metric.csv", TEST_SRCDIR);
    FILE *f = fopen(path, "r");
    ck_assert_msg(f != NULL, "%s", path);
    char line[128];
    ck_assert_ptr_nonnull(fgets(line, sizeof line, f)); /* header */
    int raw, seen = 0;
    double metric;
    while (fscanf(f, "%d,%lf", &raw, &metric) == 2) {
        ck_assert_msg(fabs(links_swemwbs_metric(raw) - metric) < 0.001, "raw %d: %.2f, published %.2f", raw,
                      links_swemwbs_metric(raw), metric);
        seen++;
    }
    fclose(f);
    ck_assert_int_eq(seen, LINKS_SWEMWBS_RAW_MAX - LINKS_SWEMWBS_RAW_MIN + 1);
    ck_assert(links_swemwbs_metric(6) < 0);
    ck_assert(links_swemwbs_metric(36) < 0);

    int items[LINKS_SWEMWBS_ITEMS] = { 1, 2, 3, 4, 5, 1, 2 };
    ck_assert_int_eq(links_swemwbs_raw(items), 18);
    items[3] = 6;
    ck_assert_int_eq(links_swemwbs_raw(items), -1);
    items[3] = 0;
    ck_assert_int_eq(links_swemwbs_raw(items), -1);
}
END_TEST

/* ---- ONS4 --------------------------------------------------------------- */

/* The band of a score, read from the published bands ("low 0-4; medium
 * 5-6; ..."). */
static void published_band(const char *bands, int score, char *out, size_t len)
{
    out[0] = '\0';
    const char *p = bands;
    while (*p) {
        char name[32];
        int lo, hi, used;
        if (sscanf(p, " %31[a-z ] %d-%d%n", name, &lo, &hi, &used) != 3)
            break;
        size_t n = strlen(name);
        while (n && name[n - 1] == ' ')
            name[--n] = '\0';
        if (score >= lo && score <= hi)
            snprintf(out, len, "%s", name);
        p += used;
        p += strcspn(p, ";");
        if (*p == ';')
            p++;
    }
}

START_TEST(test_ons4_bands)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/schema/data/ons4_questions.csv", TEST_SRCDIR);
    FILE *f = fopen(path, "r");
    ck_assert_msg(f != NULL, "%s", path);
    char line[1024];
    ck_assert_ptr_nonnull(fgets(line, sizeof line, f)); /* header */
    int items = 0;
    while (fgets(line, sizeof line, f)) {
        char *item = strtok(line, ",");
        char *bands = strrchr(line + strlen(item) + 1, '"');
        ck_assert_ptr_nonnull(bands);
        *bands = '\0';
        bands = strrchr(line + strlen(item) + 1, '"') + 1;
        enum links_ons4_item which = LINKS_ONS4_ITEMS;
        for (int i = 0; i < LINKS_ONS4_ITEMS; i++)
            if (strcmp(links_ons4_item_name(i), item) == 0)
                which = i;
        ck_assert_msg(which != LINKS_ONS4_ITEMS, "unknown item %s", item);
        for (int score = 0; score <= 10; score++) {
            char want[32];
            published_band(bands, score, want, sizeof want);
            ck_assert_msg(want[0] != '\0', "%s %d: no published band in \"%s\"", item, score, bands);
            ck_assert_str_eq(links_ons4_band(which, score), want);
        }
        ck_assert_ptr_null(links_ons4_band(which, -1));
        ck_assert_ptr_null(links_ons4_band(which, 11));
        items++;
    }
    fclose(f);
    ck_assert_int_eq(items, LINKS_ONS4_ITEMS);
}
END_TEST

static Suite *patient_suite(void)
{
    Suite *s = suite_create("patient");
    TCase *tc = tcase_create("chi");
    tcase_add_loop_test(tc, test_chi, 0, sizeof chis / sizeof chis[0]);
    tcase_add_test(tc, test_chi_schemes);
    suite_add_tcase(s, tc);
    tc = tcase_create("wellbeing");
    tcase_add_test(tc, test_swemwbs_every_raw_score);
    tcase_add_test(tc, test_ons4_bands);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(patient_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
