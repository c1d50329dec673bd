/* chi.c — CHI number validation (chi.h). */
#include "chi.h"

#include <ctype.h>
#include <string.h>

int links_chi_mod11_digit(const char nine[9])
{
    /* weights 10 down to 2; the check digit makes the weighted sum with it
     * (weight 1) a multiple of 11 */
    int sum = 0;
    for (int i = 0; i < 9; i++)
        sum += (nine[i] - '0') * (10 - i);
    int check = 11 - sum % 11;
    if (check == 11)
        return 0;
    return check == 10 ? -1 : check;
}

int links_chi_mod10_digit(const char nine[9])
{
    /* Luhn: from the ninth digit leftwards every other digit is doubled
     * (its digits summed); the check digit brings the total to a multiple
     * of 10 */
    int sum = 0;
    for (int i = 8, doubled = 1; i >= 0; i--, doubled = !doubled) {
        int d = nine[i] - '0';
        if (doubled) {
            d *= 2;
            if (d > 9)
                d -= 9;
        }
        sum += d;
    }
    return (10 - sum % 10) % 10;
}

/* DDMMYY: the century is not in the number, so 29 February is a date when
 * the two-digit year is a leap year in either century (00: 2000). */
static int is_birth_date(const char *d)
{
    int day = (d[0] - '0') * 10 + (d[1] - '0');
    int month = (d[2] - '0') * 10 + (d[3] - '0');
    int year = (d[4] - '0') * 10 + (d[5] - '0');
    static const int days_in[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    if (month < 1 || month > 12 || day < 1 || day > days_in[month - 1])
        return 0;
    return !(month == 2 && day == 29 && year % 4 != 0);
}

enum links_chi_result links_chi_check(const char *typed, char out[11])
{
    char digits[11];
    size_t n = 0;
    for (const char *p = typed; *p; p++) {
        if (*p == ' ')
            continue;
        if (!isdigit((unsigned char)*p))
            return LINKS_CHI_NOT_DIGITS;
        if (n == 10)
            return LINKS_CHI_WRONG_LENGTH;
        digits[n++] = *p;
    }
    if (n != 10)
        return LINKS_CHI_WRONG_LENGTH;
    digits[10] = '\0';
    if (!is_birth_date(digits))
        return LINKS_CHI_BAD_DATE;
    int check = digits[9] - '0';
    if (links_chi_mod11_digit(digits) != check && links_chi_mod10_digit(digits) != check)
        return LINKS_CHI_BAD_CHECK_DIGIT;
    memcpy(out, digits, sizeof digits);
    return LINKS_CHI_VALID;
}

const char *links_chi_problem(enum links_chi_result r)
{
    switch (r) {
    case LINKS_CHI_VALID:
        return "is a valid CHI number";
    case LINKS_CHI_NOT_DIGITS:
        return "must be digits only";
    case LINKS_CHI_WRONG_LENGTH:
        return "must be 10 digits";
    case LINKS_CHI_BAD_DATE:
        return "must start with a date of birth (DDMMYY)";
    case LINKS_CHI_BAD_CHECK_DIGIT:
        return "is not a CHI number (its last digit does not check): please check it was typed correctly";
    }
    return "is not a CHI number";
}
