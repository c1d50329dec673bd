/* funnel.h — comparing practices' rates on a funnel plot.
 *
 * Each practice's rate (signposts or referrals per 1,000 registered
 * patients) is plotted against its list size around the board's rate (all
 * the practices' events over all their patients). The control limits are
 * where a practice with the board's underlying rate would fall with
 * probability 95% and 99.8%: exact Poisson limits with the interpolation of
 * Spiegelhalter (2005, "Funnel plots for comparing institutional
 * performance", Statistics in Medicine 24:1185), so that the limits are
 * smooth curves rather than steps. A practice outside them is flagged. */
#ifndef LINKS_FUNNEL_H
#define LINKS_FUNNEL_H

/* Events per 1,000 of population; negative when the population is not
 * positive (no rate). */
double links_rate_per_1000(long events, long population);

/* The interpolated p-quantile (0 < p < 1) of the number of events when
 * `expected` are expected (Poisson), as a count: r - a, where r is the
 * smallest count whose cumulative probability reaches p and a the share of
 * r's own probability above p. Never below 0. Negative when the arguments
 * are out of range. */
double links_poisson_limit(double expected, double p);

struct links_funnel_limits {
    double lower_998, lower_95, upper_95, upper_998;    /* per 1,000 */
};

/* The limits at a list size around a board rate (per 1,000). Returns -1
 * (limits untouched) when the population is not positive or the rate is
 * negative. */
int links_funnel_limits(double board_rate_per_1000, long population, struct links_funnel_limits *out);

enum links_funnel_position {
    LINKS_FUNNEL_WITHIN = 0,
    LINKS_FUNNEL_ABOVE_95,      /* above the 95% limit, within 99.8% */
    LINKS_FUNNEL_ABOVE_998,
    LINKS_FUNNEL_BELOW_95,
    LINKS_FUNNEL_BELOW_998
};

/* Where a practice's rate lies against its limits. */
enum links_funnel_position links_funnel_position(double rate_per_1000, const struct links_funnel_limits *limits);

/* "within", "above 95%", "above 99.8%", "below 95%", "below 99.8%". */
const char *links_funnel_position_name(enum links_funnel_position p);

#endif
