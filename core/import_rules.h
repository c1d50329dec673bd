/* import_rules.h — what an imported value must look like to be kept (ALISS
 * and other sources without the standard's types): UK phone numbers,
 * email and web addresses, postcodes, ALISS's quoted lists. */
#ifndef LINKS_IMPORT_RULES_H
#define LINKS_IMPORT_RULES_H

#include <stddef.h>

#include <jansson.h>

/* A UK number: 0 and 9-10 more digits, or +44 and 9-10 (spaces, hyphens
 * and brackets allowed), not all zeros after the first digit. */
int import_uk_phone(const char *s);
/* Something@somewhere.tld, without spaces or list separators. */
int import_plausible_email(const char *s);
/* An http:// or https:// address without spaces or quotes. */
int import_plausible_url(const char *s);
/* "eh21  6by" -> "EH21 6BY": capitals, one space before the last three. */
void import_normalise_postcode(const char *in, char *out, size_t outlen);
/* ALISS's lists: "A" "B C" -> ["A", "B C"] (empty names left out). */
json_t *import_quoted_list(const char *s);

#endif
