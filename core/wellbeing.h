/* wellbeing.h — the two wellbeing measures links workers record at first
 * contact and at closing.
 *
 * SWEMWBS (Short Warwick-Edinburgh Mental Wellbeing Scale): seven items
 * scored 1-5, summed to a raw score of 7-35, converted to a metric score
 * with the published (Rasch) conversion table. The item wording is
 * licensed by the University of Warwick and is not part of this software.
 *
 * ONS4 (the ONS personal well-being questions): four items scored 0-10,
 * never summed; each is reported in the ONS threshold bands. */
#ifndef LINKS_WELLBEING_H
#define LINKS_WELLBEING_H

#define LINKS_SWEMWBS_ITEMS 7
#define LINKS_SWEMWBS_RAW_MIN 7
#define LINKS_SWEMWBS_RAW_MAX 35

/* The metric score of a raw score (7-35), or a negative number when the
 * raw score is out of range. */
double links_swemwbs_metric(int raw);

/* The raw score of seven item scores (each 1-5), or -1 when an item is out
 * of range. */
int links_swemwbs_raw(const int items[LINKS_SWEMWBS_ITEMS]);

enum links_ons4_item {
    LINKS_ONS4_LIFE_SATISFACTION,
    LINKS_ONS4_WORTHWHILE,
    LINKS_ONS4_HAPPINESS,
    LINKS_ONS4_ANXIETY,
    LINKS_ONS4_ITEMS
};

/* The item's name as the API carries it ("life_satisfaction"...). */
const char *links_ons4_item_name(enum links_ons4_item item);

/* The ONS band of a score (0-10): "low", "medium", "high", "very high" for
 * the first three items; "very low", "low", "medium", "high" for anxiety
 * (where higher is worse). NULL when the score is out of range. */
const char *links_ons4_band(enum links_ons4_item item, int score);

#endif
