/* stats.c — means with confidence intervals (stats.h). */
#include "stats.h"

#include <math.h>

/* Two-sided 95% points of Student's t (any statistics table). */
static const double t_table[] = {
    0, 12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
    2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086,
    2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042,
};
static const struct { long df; double t; } t_beyond[] = { { 30, 2.042 }, { 40, 2.021 }, { 60, 2.000 }, { 120, 1.980 } };

double links_t_975(long df)
{
    if (df < 1)
        return NAN;
    if (df <= 30)
        return t_table[df];
    for (size_t i = 0; i + 1 < sizeof t_beyond / sizeof t_beyond[0]; i++)
        if (df <= t_beyond[i + 1].df) {
            double a = 1.0 / (double)t_beyond[i].df, b = 1.0 / (double)t_beyond[i + 1].df, x = 1.0 / (double)df;
            return t_beyond[i].t + (t_beyond[i + 1].t - t_beyond[i].t) * (a - x) / (a - b);
        }
    /* beyond 120: towards 1.960 at infinity, linear in 1/df */
    double a = 1.0 / 120, x = 1.0 / (double)df;
    return 1.960 + (1.980 - 1.960) * x / a;
}

int links_mean_ci(const double *values, size_t n, struct links_mean_ci *out)
{
    if (n == 0)
        return -1;
    double sum = 0;
    for (size_t i = 0; i < n; i++)
        sum += values[i];
    out->n = n;
    out->mean = sum / (double)n;
    out->sd = 0;
    out->lower = out->upper = out->mean;
    if (n < 2)
        return 0;
    double squares = 0;
    for (size_t i = 0; i < n; i++)
        squares += (values[i] - out->mean) * (values[i] - out->mean);
    out->sd = sqrt(squares / (double)(n - 1));
    double half = links_t_975((long)n - 1) * out->sd / sqrt((double)n);
    out->lower = out->mean - half;
    out->upper = out->mean + half;
    return 0;
}
