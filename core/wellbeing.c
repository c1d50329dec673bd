/* wellbeing.c — SWEMWBS conversion and ONS4 bands (wellbeing.h). */
#include "wellbeing.h"

#include <stddef.h>

/* The published SWEMWBS raw-to-metric conversion, raw scores 7 to 35
 * (schema/data/swemwbs_raw_to_metric.csv; the unit tests compare the two). */
static const double swemwbs_metric[LINKS_SWEMWBS_RAW_MAX - LINKS_SWEMWBS_RAW_MIN + 1] = {
    7.00,  9.51,  11.25, 12.40, 13.33, 14.08, 14.75, 15.32, 15.84, 16.36,
    16.88, 17.43, 17.98, 18.59, 19.25, 19.98, 20.73, 21.54, 22.35, 23.21,
    24.11, 25.03, 26.02, 27.03, 28.13, 29.31, 30.70, 32.55, 35.00,
};

double links_swemwbs_metric(int raw)
{
    if (raw < LINKS_SWEMWBS_RAW_MIN || raw > LINKS_SWEMWBS_RAW_MAX)
        return -1;
    return swemwbs_metric[raw - LINKS_SWEMWBS_RAW_MIN];
}

int links_swemwbs_raw(const int items[LINKS_SWEMWBS_ITEMS])
{
    int raw = 0;
    for (int i = 0; i < LINKS_SWEMWBS_ITEMS; i++) {
        if (items[i] < 1 || items[i] > 5)
            return -1;
        raw += items[i];
    }
    return raw;
}

const char *links_ons4_item_name(enum links_ons4_item item)
{
    static const char *const names[LINKS_ONS4_ITEMS] = { "life_satisfaction", "worthwhile", "happiness", "anxiety" };
    return item >= 0 && item < LINKS_ONS4_ITEMS ? names[item] : NULL;
}

const char *links_ons4_band(enum links_ons4_item item, int score)
{
    if (score < 0 || score > 10 || item < 0 || item >= LINKS_ONS4_ITEMS)
        return NULL;
    if (item == LINKS_ONS4_ANXIETY)
        return score <= 1 ? "very low" : score <= 3 ? "low" : score <= 5 ? "medium" : "high";
    return score <= 4 ? "low" : score <= 6 ? "medium" : score <= 8 ? "high" : "very high";
}
