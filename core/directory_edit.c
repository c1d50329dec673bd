/* directory_edit.c — what a champion may send to create or change a
 * service, checked member by member before any of it reaches PostgreSQL
 * (which checks again: constraints, row-level security). The result is
 * the JSON object service_edit() applies (schema/0008_champions.sql). */
#include "directory_edit.h"

#include <string.h>

#include "validate.h"

/* Text members: name, most characters, and whether null clears them. */
struct text_field {
    const char *name;
    size_t max;
    int nullable;
};

static const struct text_field text_fields[] = {
    { "name", 200, 0 },
    { "alternate_name", 200, 1 },
    { "description", 4000, 0 },
    { "url", 500, 1 },
    { "email", 254, 1 },
    { "fees_description", 500, 1 },
    { "eligibility_description", 1000, 1 },
    { "application_process", 1000, 1 },
    { "capacity_unit", 60, 1 },
    { "alert", 500, 1 },
    { "interpretation_services", 500, 1 },
    { "wait_time", 200, 1 },
};

static const char *const statuses[] = { "active", "temporarily closed", "inactive", "defunct", NULL };
static const char *const phone_types[] = { "voice", "text", "textphone", "fax", "video", NULL };
static const char *const area_kinds[] = { "council", "board", "scotland", "district", NULL };

static int one_of(const char *s, const char *const *list)
{
    for (; *list != NULL; list++)
        if (strcmp(s, *list) == 0)
            return 1;
    return 0;
}

static int matches_charset(const char *s, const char *allowed)
{
    return strspn(s, allowed) == strlen(s);
}

/* "https://..." or "http://...", no spaces. */
static int url_ok(const char *s)
{
    return (strncmp(s, "https://", 8) == 0 || strncmp(s, "http://", 7) == 0) && strlen(s) > 10 &&
           strpbrk(s, " \t<>\"") == NULL;
}

/* Deliberately loose: one @, something either side, a dot in the domain. */
static int email_ok(const char *s)
{
    const char *at = strchr(s, '@');
    return at != NULL && at != s && strchr(at + 1, '@') == NULL && strchr(at + 1, '.') != NULL &&
           at[1] != '.' && s[strlen(s) - 1] != '.' && strpbrk(s, " \t<>\"()[],;:") == NULL;
}

/* "HH:MM", 00:00-23:59. */
static int clock_ok(const char *s)
{
    return strlen(s) == 5 && s[2] == ':' && s[0] >= '0' && s[0] <= '2' && s[1] >= '0' && s[1] <= '9' &&
           (s[0] < '2' || s[1] <= '3') && s[3] >= '0' && s[3] <= '5' && s[4] >= '0' && s[4] <= '9';
}

/* "MO" / "MO,WE" (weekly), "1TU" / "-1FR" (monthly). */
static int byday_ok(const char *s, int monthly)
{
    static const char *const days[] = { "MO", "TU", "WE", "TH", "FR", "SA", "SU", NULL };
    char buf[64];
    if (strlen(s) == 0 || strlen(s) >= sizeof buf)
        return 0;
    strcpy(buf, s);
    for (char *save = NULL, *tok = strtok_r(buf, ",", &save); tok != NULL; tok = strtok_r(NULL, ",", &save)) {
        size_t n = strlen(tok);
        if (n < 2)
            return 0;
        if (!one_of(tok + n - 2, days))
            return 0;
        if (n > 2) {
            if (!monthly)
                return 0;
            const char *num = tok[0] == '-' || tok[0] == '+' ? tok + 1 : tok;
            if (num + 1 != tok + n - 2 || *num < '1' || *num > '5')
                return 0;
        }
    }
    return s[strlen(s) - 1] != ',';
}

/* "1,15,-1": days of the month. */
static int monthdays_ok(const char *s)
{
    char buf[64];
    if (strlen(s) == 0 || strlen(s) >= sizeof buf || s[strlen(s) - 1] == ',')
        return 0;
    strcpy(buf, s);
    for (char *save = NULL, *tok = strtok_r(buf, ",", &save); tok != NULL; tok = strtok_r(NULL, ",", &save)) {
        long d;
        if (links_parse_int(tok, -31, 31, &d) < 0 || d == 0)
            return 0;
    }
    return 1;
}

static const char *member_string(json_t *obj, const char *name)
{
    json_t *j = json_object_get(obj, name);
    return json_is_string(j) && strlen(json_string_value(j)) == json_string_length(j) ? json_string_value(j)
                                                                                       : NULL;
}

/* Text of a list item's member: absent or null is NULL; `bad` set when it
 * is there but not short text. */
static const char *item_text(json_t *item, const char *name, size_t max, int *bad)
{
    json_t *j = json_object_get(item, name);
    if (j == NULL || json_is_null(j))
        return NULL;
    const char *s = member_string(item, name);
    if (s == NULL || links_utf8_length(s) > max || !links_utf8_valid(s, strlen(s))) {
        *bad = 1;
        return NULL;
    }
    for (const unsigned char *c = (const unsigned char *)s; *c != '\0'; c++)
        if (*c < 0x20)
            *bad = 1;
    return s;
}

static int only_members(json_t *item, const char *const *known)
{
    const char *key;
    json_t *value;
    json_object_foreach(item, key, value) {
        (void)value;
        if (!one_of(key, known))
            return 0;
    }
    return 1;
}

static void check_phones(json_t *list, struct links_validation *v)
{
    static const char *const known[] = { "number", "type", "description", NULL };
    size_t i;
    json_t *item;
    json_array_foreach(list, i, item) {
        int bad = !json_is_object(item) || !only_members(item, known);
        const char *number = bad ? NULL : item_text(item, "number", 40, &bad);
        const char *type = bad ? NULL : item_text(item, "type", 20, &bad);
        if (!bad)
            item_text(item, "description", 200, &bad);
        if (bad || number == NULL || strlen(number) < 3 || !matches_charset(number, "0123456789 +()-") ||
            (type != NULL && !one_of(type, phone_types))) {
            links_validation_add(v, "phones",
                                 "item %zu must be {number, type, description}: a number of digits, spaces, "
                                 "+ ( ) -; type voice, text, textphone, fax or video", i + 1);
            return;
        }
    }
}

static void check_schedules(json_t *list, struct links_validation *v)
{
    static const char *const known[] = { "freq", "byday", "bymonthday", "opens_at", "closes_at", "description", NULL };
    size_t i;
    json_t *item;
    json_array_foreach(list, i, item) {
        int bad = !json_is_object(item) || !only_members(item, known);
        const char *freq = bad ? NULL : item_text(item, "freq", 10, &bad);
        const char *byday = bad ? NULL : item_text(item, "byday", 40, &bad);
        const char *monthdays = bad ? NULL : item_text(item, "bymonthday", 40, &bad);
        const char *opens = bad ? NULL : item_text(item, "opens_at", 5, &bad);
        const char *closes = bad ? NULL : item_text(item, "closes_at", 5, &bad);
        if (!bad)
            item_text(item, "description", 200, &bad);
        int monthly = freq != NULL && strcmp(freq, "MONTHLY") == 0;
        if (bad || (freq != NULL && !monthly && strcmp(freq, "WEEKLY") != 0) ||
            (byday == NULL && (!monthly || monthdays == NULL)) || (byday != NULL && !byday_ok(byday, monthly)) ||
            (monthdays != NULL && (!monthly || !monthdays_ok(monthdays))) || (opens == NULL) != (closes == NULL) ||
            (opens != NULL && (!clock_ok(opens) || !clock_ok(closes) || strcmp(opens, closes) == 0))) {
            links_validation_add(v, "schedules",
                                 "item %zu must be {freq, byday, opens_at, closes_at}: freq WEEKLY or MONTHLY, "
                                 "days such as \"MO,TH\" (monthly \"1TU\" or \"-1FR\"), times HH:MM that differ "
                                 "(a closing time before the opening time runs past midnight)", i + 1);
            return;
        }
    }
}

static void check_areas(json_t *list, struct links_validation *v)
{
    static const char *const known[] = { "kind", "code", NULL };
    size_t i;
    json_t *item;
    json_array_foreach(list, i, item) {
        int bad = !json_is_object(item) || !only_members(item, known);
        const char *kind = bad ? NULL : item_text(item, "kind", 20, &bad);
        const char *code = bad ? NULL : item_text(item, "code", 20, &bad);
        int ok = !bad && kind != NULL && code != NULL && one_of(kind, area_kinds);
        if (ok && strcmp(kind, "council") == 0)
            ok = strlen(code) == 9 && strncmp(code, "S12", 3) == 0 && matches_charset(code + 3, "0123456789");
        else if (ok && strcmp(kind, "board") == 0)
            ok = strlen(code) == 9 && strncmp(code, "S08", 3) == 0 && matches_charset(code + 3, "0123456789");
        else if (ok && strcmp(kind, "scotland") == 0)
            ok = strcmp(code, "S92000003") == 0;
        else if (ok) {
            char normal[LINKS_POSTCODE_MAX];
            ok = links_place_normalise(code, normal) == LINKS_PLACE_DISTRICT && strcmp(normal, code) == 0;
        }
        if (!ok) {
            links_validation_add(v, "service_areas",
                                 "item %zu must be {kind, code}: council S12..., board S08..., scotland "
                                 "S92000003 or district such as G12", i + 1);
            return;
        }
    }
}

/* A list of short codes: category slugs or language codes. */
static void check_codes(json_t *list, struct links_validation *v, const char *name, int slugs)
{
    size_t i;
    json_t *item;
    json_array_foreach(list, i, item) {
        const char *s = json_is_string(item) ? json_string_value(item) : NULL;
        int ok = s != NULL && strlen(s) == json_string_length(item);
        if (ok && slugs)
            ok = links_slug_valid(s, 100);
        else if (ok) {
            size_t n = strlen(s);
            ok = n >= 2 && n <= 12 && matches_charset(s, "abcdefghijklmnopqrstuvwxyz-") && s[0] != '-';
        }
        if (!ok) {
            links_validation_add(v, name, slugs ? "item %zu must be a category slug such as \"food-nutrition\""
                                               : "item %zu must be a language code such as \"en\" or \"pl\"",
                                 i + 1);
            return;
        }
    }
}

/* The lists, each an array of at most `max` items. */
struct list_field {
    const char *name;
    size_t max;
};
static const struct list_field list_fields[] = {
    { "phones", 10 }, { "categories", 10 }, { "schedules", 21 }, { "service_areas", 20 }, { "languages", 20 },
};

json_t *links_directory_edit(json_t *body, struct links_validation *v, int creating)
{
    json_t *out = json_object();
    const char *key;
    json_t *value;
    json_object_foreach(body, key, value) {
        int known = 0;
        for (size_t i = 0; i < sizeof text_fields / sizeof text_fields[0]; i++) {
            const struct text_field *t = &text_fields[i];
            if (strcmp(key, t->name) != 0)
                continue;
            known = 1;
            if (json_is_null(value)) {
                if (!t->nullable)
                    links_validation_add(v, key, "cannot be empty");
                else
                    json_object_set(out, key, value);
                break;
            }
            const char *s = member_string(body, key);
            size_t n = s ? links_utf8_length(s) : 0;
            int control = 0;
            for (const unsigned char *c = (const unsigned char *)(s ? s : ""); *c != '\0'; c++)
                control |= *c < 0x20 && *c != '\n' && *c != '\t';
            if (s == NULL || !links_utf8_valid(s, strlen(s)))
                links_validation_add(v, key, "must be text");
            else if (n == 0 && !t->nullable)
                links_validation_add(v, key, "cannot be empty");
            else if (n > t->max)
                links_validation_add(v, key, "must be at most %zu characters (it has %zu)", t->max, n);
            else if (control)
                links_validation_add(v, key, "contains control characters");
            else if (strcmp(key, "url") == 0 && !url_ok(s))
                links_validation_add(v, key, "must be a web address starting https:// or http://");
            else if (strcmp(key, "email") == 0 && !email_ok(s))
                links_validation_add(v, key, "must be an email address such as help@example.org");
            else
                /* An empty optional text clears it. */
                json_object_set_new(out, key, n == 0 ? json_null() : json_string(s));
            break;
        }
        if (known)
            continue;
        if (strcmp(key, "status") == 0) {
            const char *s = member_string(body, key);
            if (s == NULL || !one_of(s, statuses))
                links_validation_add(v, key, "must be active, temporarily closed, inactive or defunct");
            else
                json_object_set(out, key, value);
        } else if (strcmp(key, "is_free") == 0 || strcmp(key, "accepts_referrals") == 0 ||
                   strcmp(key, "self_referral") == 0) {
            if (!json_is_boolean(value))
                links_validation_add(v, key, "must be true or false");
            else
                json_object_set(out, key, value);
        } else if (strcmp(key, "minimum_age") == 0 || strcmp(key, "maximum_age") == 0 ||
                   strcmp(key, "capacity_available") == 0 || strcmp(key, "capacity_maximum") == 0) {
            int capacity = key[0] == 'c';
            long lo = strcmp(key, "capacity_maximum") == 0 ? 1 : 0, hi = capacity ? 100000 : 120;
            if (!json_is_null(value) && (!json_is_integer(value) || json_integer_value(value) < lo ||
                                         json_integer_value(value) > hi))
                links_validation_add(v, key, "must be a whole number from %ld to %ld, or null", lo, hi);
            else
                json_object_set(out, key, value);
        } else if (strcmp(key, "champion_id") == 0) {
            const char *s = member_string(body, key);
            if (!json_is_null(value) && (s == NULL || !links_uuid_valid(s)))
                links_validation_add(v, key, "must be the id of a member of staff, or null");
            else
                json_object_set(out, key, value);
        } else {
            const struct list_field *l = NULL;
            for (size_t i = 0; i < sizeof list_fields / sizeof list_fields[0]; i++)
                if (strcmp(key, list_fields[i].name) == 0)
                    l = &list_fields[i];
            if (l == NULL) {
                if (!creating || !one_of(key, links_directory_create_only))
                    links_validation_add(v, key, "is not a field of a service");
                continue;
            }
            if (!json_is_array(value) || json_array_size(value) > l->max) {
                links_validation_add(v, key, "must be a list of at most %zu", l->max);
                continue;
            }
            if (strcmp(key, "phones") == 0)
                check_phones(value, v);
            else if (strcmp(key, "schedules") == 0)
                check_schedules(value, v);
            else if (strcmp(key, "service_areas") == 0)
                check_areas(value, v);
            else
                check_codes(value, v, key, strcmp(key, "categories") == 0);
            json_object_set(out, key, value);
        }
    }
    /* Both ages given: the range must make sense (one given is checked
     * against the stored other by the database). */
    json_t *lo = json_object_get(out, "minimum_age"), *hi = json_object_get(out, "maximum_age");
    if (json_is_integer(lo) && json_is_integer(hi) && json_integer_value(lo) > json_integer_value(hi))
        links_validation_add(v, "minimum_age", "must not be more than maximum_age");
    return out;
}

const char *const links_directory_create_only[] = { "organization_id", "organization_name", "area", "location",
                                                    NULL };
