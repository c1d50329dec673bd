/* stats.h — summary statistics the outcome reports need: the mean of
 * paired changes with its 95% confidence interval (Student's t). */
#ifndef LINKS_STATS_H
#define LINKS_STATS_H

#include <stddef.h>

/* The two-sided 95% critical value of Student's t with `df` degrees of
 * freedom (df >= 1): the published table for 1-30, 40, 60, 120, and
 * between those linear in 1/df (the usual table interpolation); 1.96 in
 * the limit. */
double links_t_975(long df);

struct links_mean_ci {
    size_t n;
    double mean, sd, lower, upper;      /* sd, lower, upper: n >= 2 only */
};

/* Mean of `values` with the sample standard deviation and the 95%
 * interval mean +- t(n-1) sd / sqrt(n). Returns -1 when n is 0; with n 1
 * the interval is not defined (lower = upper = mean, sd 0). */
int links_mean_ci(const double *values, size_t n, struct links_mean_ci *out);

#endif
