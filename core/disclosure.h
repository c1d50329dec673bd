/* disclosure.h — statistical disclosure control for reports that leave a
 * board's administrators (exports, and reports for other roles).
 *
 * The rule, stated on every such report: a count from 1 to 4 is shown as
 * "<5"; and where a table shows its total, enough other counts are hidden
 * as well that no hidden count can be found by subtracting the shown ones
 * from the total, nor pinned down by it (at least two hidden counts
 * adding up to 5 or more, or the total hidden too).
 * Zeros are shown: an empty cell discloses no one. */
#ifndef LINKS_DISCLOSURE_H
#define LINKS_DISCLOSURE_H

#include <stddef.h>

/* What replaces a hidden count: a small one ("<5"), or another hidden so
 * that a small one cannot be worked out ("*": it may be any size). */
#define LINKS_HIDDEN (-1L)
#define LINKS_HIDDEN_OTHER (-2L)

/* The rule, in words, for reports to print. */
extern const char links_disclosure_rule[];

/* Whether a count is small enough to hide on its own (1..4). */
int links_disclosure_small(long count);

/* Apply the rule to one table: `counts[0..n)` and their `total` (the sum
 * of the counts). `shown[i]` gets each count, LINKS_HIDDEN or
 * LINKS_HIDDEN_OTHER; `*shown_total` the total, or LINKS_HIDDEN when it
 * is small itself. With the total shown, whatever is hidden is at least two
 * counts adding up to at least 5: secondary hiding takes the smallest
 * non-zero shown counts (the least information lost), the first of
 * equals. */
void links_disclosure_apply(const long *counts, size_t n, long total, long *shown, long *shown_total);

#endif
