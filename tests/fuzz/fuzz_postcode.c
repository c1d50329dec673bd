/* fuzz_postcode.c — postcodes, sectors and districts typed by staff, and
 * the number, id and date-time parsers: whatever is accepted comes out normalised. */
#include <assert.h>
#include <ctype.h>

#include "fuzz_common.h"
#include "validate.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct links_arena *arena = fuzz_arena();
    char *s = fuzz_string(arena, data, size);
    if (s != NULL) {
        char out[LINKS_POSTCODE_MAX];
        enum links_place_kind kind = links_place_normalise(s, out);
        if (kind != LINKS_PLACE_INVALID) {
            size_t n = strlen(out);
            assert(n >= 2 && n < LINKS_POSTCODE_MAX);
            for (size_t i = 0; i < n; i++)
                assert(isupper((unsigned char)out[i]) || isdigit((unsigned char)out[i]) || out[i] == ' ');
            assert((kind == LINKS_PLACE_DISTRICT) == (strchr(out, ' ') == NULL));
            /* Normalising is idempotent. */
            char again[LINKS_POSTCODE_MAX];
            assert(links_place_normalise(out, again) == kind && strcmp(out, again) == 0);
        }
        long l;
        if (links_parse_int(s, -1000, 1000, &l) == 0)
            assert(l >= -1000 && l <= 1000);
        double d;
        if (links_parse_decimal(s, 0, 50, &d) == 0)
            assert(d >= 0 && d <= 50);
        if (links_uuid_valid(s))
            assert(strlen(s) == 36);
        /* An accepted date or time is ASCII of a bounded length and starts
         * with a four-digit year. */
        enum links_datetime_kind dt = links_datetime_parse(s);
        if (dt != LINKS_DATETIME_INVALID) {
            assert(strlen(s) >= 10 && strlen(s) <= 35);
            assert(isdigit((unsigned char)s[0]) && s[4] == '-' && s[7] == '-');
            assert((dt == LINKS_DATETIME_DATE) == (strlen(s) == 10));
        }
        links_slug_valid(s, 40);
        links_utf8_length(links_utf8_valid(s, strlen(s)) ? s : "");
    }
    links_arena_reset(arena);
    return 0;
}
