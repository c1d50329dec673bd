/* funnel.c — funnel plot rates and Poisson control limits (funnel.h). */
#include "funnel.h"

#include <math.h>

double links_rate_per_1000(long events, long population)
{
    if (population <= 0 || events < 0)
        return -1;
    return 1000.0 * (double)events / (double)population;
}

/* P(Y = k) for Y ~ Poisson(mean), in logs so that large means (a big
 * practice's thousands of expected events) neither overflow nor
 * underflow near the mode. */
static double poisson_probability(long k, double mean)
{
    if (mean == 0)
        return k == 0 ? 1 : 0;
    return exp((double)k * log(mean) - mean - lgamma((double)k + 1));
}

double links_poisson_limit(double expected, double p)
{
    if (!(expected >= 0) || !(p > 0 && p < 1) || !isfinite(expected))
        return -1;
    /* Sum the probabilities from ten standard deviations below the mean:
     * the mass below that is under 1e-22, far beneath the smallest p a
     * funnel asks for (0.001), and a big practice's limits then take a few
     * hundred steps rather than thousands. Each term from the one before
     * (P(k) = P(k-1) mean / k). The quantile lies within a few dozen
     * standard deviations of the mean; the bound only stops a loop that
     * rounding kept below p. */
    long r = (long)floor(expected - 10 * sqrt(expected));
    if (r < 0)
        r = 0;
    long last = (long)(expected + 40 * sqrt(expected) + 40);
    double probability = poisson_probability(r, expected), cumulative = probability;
    while (cumulative < p && r < last) {
        r++;
        probability *= expected / (double)r;
        cumulative += probability;
    }
    double limit = probability > 0 ? (double)r - (cumulative - p) / probability : (double)r;
    return limit > 0 ? limit : 0;
}

int links_funnel_limits(double board_rate_per_1000, long population, struct links_funnel_limits *out)
{
    if (population <= 0 || !(board_rate_per_1000 >= 0))
        return -1;
    double expected = board_rate_per_1000 * (double)population / 1000.0;
    double per_1000 = 1000.0 / (double)population;
    out->lower_998 = links_poisson_limit(expected, 0.001) * per_1000;
    out->lower_95 = links_poisson_limit(expected, 0.025) * per_1000;
    out->upper_95 = links_poisson_limit(expected, 0.975) * per_1000;
    out->upper_998 = links_poisson_limit(expected, 0.999) * per_1000;
    return 0;
}

enum links_funnel_position links_funnel_position(double rate, const struct links_funnel_limits *l)
{
    if (rate > l->upper_998)
        return LINKS_FUNNEL_ABOVE_998;
    if (rate > l->upper_95)
        return LINKS_FUNNEL_ABOVE_95;
    if (rate < l->lower_998)
        return LINKS_FUNNEL_BELOW_998;
    if (rate < l->lower_95)
        return LINKS_FUNNEL_BELOW_95;
    return LINKS_FUNNEL_WITHIN;
}

const char *links_funnel_position_name(enum links_funnel_position p)
{
    switch (p) {
    case LINKS_FUNNEL_WITHIN:
        return "within";
    case LINKS_FUNNEL_ABOVE_95:
        return "above 95%";
    case LINKS_FUNNEL_ABOVE_998:
        return "above 99.8%";
    case LINKS_FUNNEL_BELOW_95:
        return "below 95%";
    case LINKS_FUNNEL_BELOW_998:
        return "below 99.8%";
    }
    return "within";
}
