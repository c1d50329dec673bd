/* import_rules.c — checks and clean-ups of imported values (import_rules.h). */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "import_rules.h"

int import_uk_phone(const char *s)
{
    char digits[32];
    size_t n = 0;
    int plus = 0;
    for (const char *p = s; *p; p++) {
        if (isdigit((unsigned char)*p)) {
            if (n + 1 >= sizeof digits)
                return 0;
            digits[n++] = *p;
        } else if (*p == '+' && n == 0 && !plus) {
            plus = 1;
        } else if (!strchr(" -()", *p)) {
            return 0;
        }
    }
    digits[n] = '\0';
    /* +44 20 7946 0000 reads as 020 7946 0000: drop the 4, the 4 stands for 0 */
    const char *national = digits;
    if (plus) {
        if (strncmp(digits, "44", 2) != 0)
            return 0;
        national = digits + 2;
        n -= 2;
        if (national[0] == '0') { /* +44 (0)141 ... */
            national++;
            n--;
        }
        if (n < 9 || n > 10)
            return 0;
    } else {
        if (digits[0] != '0' || n < 10 || n > 11)
            return 0;
        national = digits + 1;
    }
    return strspn(national, "0") < strlen(national);
}

int import_plausible_email(const char *s)
{
    const char *at = strchr(s, '@');
    if (at == NULL || at == s || strchr(at + 1, '@') || strpbrk(s, " \t<>,;\"") != NULL)
        return 0;
    const char *dot = strrchr(at + 1, '.');
    return dot != NULL && dot > at + 1 && dot[1] != '\0';
}

int import_plausible_url(const char *s)
{
    size_t scheme = strncmp(s, "http://", 7) == 0 ? 7 : strncmp(s, "https://", 8) == 0 ? 8 : 0;
    return scheme && s[scheme] != '\0' && s[scheme] != '/' && strpbrk(s, " \t<>\"") == NULL;
}

void import_normalise_postcode(const char *in, char *out, size_t outlen)
{
    char compact[16];
    size_t n = 0;
    for (const char *p = in; *p && n + 1 < sizeof compact; p++)
        if (!isspace((unsigned char)*p))
            compact[n++] = (char)toupper((unsigned char)*p);
    compact[n] = '\0';
    if (n > 3)
        snprintf(out, outlen, "%.*s %s", (int)(n - 3), compact, compact + n - 3);
    else
        snprintf(out, outlen, "%s", compact);
}

json_t *import_quoted_list(const char *s)
{
    json_t *list = json_array();
    while (list != NULL && (s = strchr(s, '"')) != NULL) {
        const char *end = strchr(s + 1, '"');
        if (end == NULL)
            break;
        if (end > s + 1)
            json_array_append_new(list, json_stringn(s + 1, (size_t)(end - s - 1)));
        s = end + 1;
    }
    return list;
}
