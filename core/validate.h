/* validate.h — parsers for values that arrive from outside: each turns a
 * string into a typed value or says it is invalid. No handler parses
 * client text itself. */
#ifndef LINKS_VALIDATE_H
#define LINKS_VALIDATE_H

#include <stddef.h>

enum links_place_kind {
    LINKS_PLACE_INVALID = 0,
    LINKS_PLACE_POSTCODE,        /* "G12 8QQ" */
    LINKS_PLACE_SECTOR,          /* "G12 8" */
    LINKS_PLACE_DISTRICT         /* "G12" */
};

#define LINKS_POSTCODE_MAX 9     /* "AB12 3CD" plus NUL */

/* Normalise a UK postcode, sector or district typed in any case and spacing
 * ("g128qq", " G12  8QQ ") to upper case with one space before the inward
 * code. Writes `out` (LINKS_POSTCODE_MAX bytes) and returns its kind. */
enum links_place_kind links_place_normalise(const char *in, char out[LINKS_POSTCODE_MAX]);

/* Strict decimal integer: optional leading '-', digits only, within
 * [min, max]. Returns 0 on success. */
int links_parse_int(const char *s, long min, long max, long *out);

/* Strict decimal number ("5", "2.5", ".5"; no exponent, no inf/nan),
 * within [min, max]. Returns 0 on success. */
int links_parse_decimal(const char *s, double min, double max, double *out);

/* Lower-case slug: [a-z0-9]+(-[a-z0-9]+)*, at most max_len characters. */
int links_slug_valid(const char *s, size_t max_len);

/* Number of Unicode characters in valid UTF-8 text. */
size_t links_utf8_length(const char *s);

/* A UUID in its 8-4-4-4-12 hex form. */
int links_uuid_valid(const char *s);

enum links_datetime_kind {
    LINKS_DATETIME_INVALID = 0,
    LINKS_DATETIME_DATE,         /* "2026-01-31" */
    LINKS_DATETIME_LOCAL,        /* "2026-01-31T09:30[:00[.123]]", no zone */
    LINKS_DATETIME_ZONED         /* the same with "Z", "+01:00", "-0500" or "+01" */
};

/* An ISO 8601 date or date and time (T or one space between them), a real
 * calendar date from year 1900 to 2200: PostgreSQL never sees text it
 * would refuse. */
enum links_datetime_kind links_datetime_parse(const char *s);

#endif
