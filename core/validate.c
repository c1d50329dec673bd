/* validate.c — postcode, number and slug parsing. */
#include "validate.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Outward code: A9, A99, A9A, AA9, AA99, AA9A. */
static int outward_valid(const char *s, size_t n)
{
    if (n < 2 || n > 4 || !isupper((unsigned char)s[0]))
        return 0;
    size_t i = 1;
    if (isupper((unsigned char)s[i]))
        i++;
    if (i >= n || !isdigit((unsigned char)s[i]))
        return 0;
    i++;
    if (i < n && (isdigit((unsigned char)s[i]) || isupper((unsigned char)s[i])))
        i++;
    return i == n;
}

static int inward_valid(const char *s)
{
    return isdigit((unsigned char)s[0]) && isupper((unsigned char)s[1]) &&
           isupper((unsigned char)s[2]);
}

enum links_place_kind links_place_normalise(const char *in, char out[LINKS_POSTCODE_MAX])
{
    /* Collect up to two whitespace-separated tokens, upper-cased. */
    char tok[2][9];
    size_t tlen[2] = { 0, 0 };
    int ntok = 0;
    const char *p = in;
    out[0] = '\0';
    while (*p != '\0') {
        while (*p == ' ' || *p == '\t')
            p++;
        if (*p == '\0')
            break;
        if (ntok == 2)
            return LINKS_PLACE_INVALID;
        while (*p != '\0' && *p != ' ' && *p != '\t') {
            unsigned char c = (unsigned char)*p++;
            if (!isascii(c) || !isalnum(c) || tlen[ntok] >= 8)
                return LINKS_PLACE_INVALID;
            tok[ntok][tlen[ntok]++] = (char)toupper(c);
        }
        tok[ntok][tlen[ntok]] = '\0';
        ntok++;
    }
    if (ntok == 0)
        return LINKS_PLACE_INVALID;

    if (ntok == 2) {
        if (!outward_valid(tok[0], tlen[0]))
            return LINKS_PLACE_INVALID;
        if (tlen[1] == 3 && inward_valid(tok[1])) {
            memcpy(out, tok[0], tlen[0]);
            out[tlen[0]] = ' ';
            memcpy(out + tlen[0] + 1, tok[1], 4);
            return LINKS_PLACE_POSTCODE;
        }
        if (tlen[1] == 1 && isdigit((unsigned char)tok[1][0])) {
            memcpy(out, tok[0], tlen[0]);
            out[tlen[0]] = ' ';
            out[tlen[0] + 1] = tok[1][0];
            out[tlen[0] + 2] = '\0';
            return LINKS_PLACE_SECTOR;
        }
        return LINKS_PLACE_INVALID;
    }

    /* One token: a whole postcode without its space, or a district. */
    size_t n = tlen[0];
    if (n >= 5 && inward_valid(tok[0] + n - 3) && outward_valid(tok[0], n - 3)) {
        memcpy(out, tok[0], n - 3);
        out[n - 3] = ' ';
        memcpy(out + n - 2, tok[0] + n - 3, 4);
        return LINKS_PLACE_POSTCODE;
    }
    if (outward_valid(tok[0], n)) {
        memcpy(out, tok[0], n + 1);
        return LINKS_PLACE_DISTRICT;
    }
    return LINKS_PLACE_INVALID;
}

int links_parse_int(const char *s, long min, long max, long *out)
{
    const char *p = s;
    if (*p == '-')
        p++;
    if (*p == '\0' || strlen(p) > 18)
        return -1;
    for (const char *q = p; *q != '\0'; q++)
        if (!isdigit((unsigned char)*q))
            return -1;
    errno = 0;
    long v = strtol(s, NULL, 10);
    if (errno != 0 || v < min || v > max)
        return -1;
    *out = v;
    return 0;
}

int links_parse_decimal(const char *s, double min, double max, double *out)
{
    const char *p = s;
    int digits = 0, dots = 0;
    if (*p == '-')
        p++;
    if (strlen(p) > 32)
        return -1;
    for (; *p != '\0'; p++) {
        if (isdigit((unsigned char)*p))
            digits++;
        else if (*p == '.' && dots == 0)
            dots++;
        else
            return -1;
    }
    if (digits == 0)
        return -1;
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (errno != 0 || *end != '\0' || !isfinite(v) || v < min || v > max)
        return -1;
    *out = v;
    return 0;
}

int links_slug_valid(const char *s, size_t max_len)
{
    size_t n = strlen(s);
    if (n == 0 || n > max_len || s[0] == '-' || s[n - 1] == '-')
        return 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'))
            return 0;
        if (c == '-' && s[i + 1] == '-')
            return 0;
    }
    return 1;
}

size_t links_utf8_length(const char *s)
{
    size_t n = 0;
    for (; *s != '\0'; s++)
        if (((unsigned char)*s & 0xC0) != 0x80)
            n++;
    return n;
}

int links_uuid_valid(const char *s)
{
    static const char shape[] = "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx";
    if (strlen(s) != sizeof shape - 1)
        return 0;
    for (size_t i = 0; i < sizeof shape - 1; i++) {
        if (shape[i] == '-' ? s[i] != '-' : !strchr("0123456789abcdefABCDEF", s[i]) || s[i] == '\0')
            return 0;
    }
    return 1;
}

/* n digits at s as a number, or -1. */
static int digits(const char *s, int n)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

static int days_in_month(int year, int month)
{
    static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    int leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    return days[month - 1] + (month == 2 && leap);
}

enum links_datetime_kind links_datetime_parse(const char *s)
{
    if (strlen(s) < 10)
        return LINKS_DATETIME_INVALID;
    int year = digits(s, 4), month = digits(s + 5, 2), day = digits(s + 8, 2);
    if (s[4] != '-' || s[7] != '-' || year < 1900 || year > 2200 || month < 1 || month > 12 || day < 1 ||
        day > days_in_month(year, month))
        return LINKS_DATETIME_INVALID;
    const char *t = s + 10;
    if (*t == '\0')
        return LINKS_DATETIME_DATE;
    if (*t != 'T' && *t != ' ')
        return LINKS_DATETIME_INVALID;
    t++;
    /* t[2] exists once two digits are read (it may be the final NUL). */
    int hour = digits(t, 2);
    if (hour < 0 || hour > 23 || t[2] != ':')
        return LINKS_DATETIME_INVALID;
    int minute = digits(t + 3, 2);
    if (minute < 0 || minute > 59)
        return LINKS_DATETIME_INVALID;
    t += 5;
    if (*t == ':') {
        int second = digits(t + 1, 2);
        if (second < 0 || second > 59)
            return LINKS_DATETIME_INVALID;
        t += 3;
        if (*t == '.') {
            size_t n = strspn(t + 1, "0123456789");
            if (n < 1 || n > 9)
                return LINKS_DATETIME_INVALID;
            t += 1 + n;
        }
    }
    if (*t == '\0')
        return LINKS_DATETIME_LOCAL;
    if (strcmp(t, "Z") == 0)
        return LINKS_DATETIME_ZONED;
    if (*t != '+' && *t != '-')
        return LINKS_DATETIME_INVALID;
    int zh = digits(t + 1, 2), zm = 0;
    size_t rest = strlen(t + 1);
    if (rest == 5 && t[3] == ':')
        zm = digits(t + 4, 2);
    else if (rest == 4)
        zm = digits(t + 3, 2);
    else if (rest != 2)
        return LINKS_DATETIME_INVALID;
    return zh >= 0 && zh <= 14 && zm >= 0 && zm <= 59 ? LINKS_DATETIME_ZONED : LINKS_DATETIME_INVALID;
}
