/* disclosure.c — the small-count rule for reports (disclosure.h). */
#include "disclosure.h"

const char links_disclosure_rule[] =
    "Counts from 1 to 4 are shown as \"<5\". Where that alone would let a hidden count be worked out "
    "from the total, another count is hidden as well, shown as \"*\".";

int links_disclosure_small(long count)
{
    return count >= 1 && count <= 4;
}

void links_disclosure_apply(const long *counts, size_t n, long total, long *shown, long *shown_total)
{
    size_t hidden = 0;
    for (size_t i = 0; i < n; i++) {
        shown[i] = links_disclosure_small(counts[i]) ? LINKS_HIDDEN : counts[i];
        hidden += shown[i] == LINKS_HIDDEN;
    }
    *shown_total = links_disclosure_small(total) ? LINKS_HIDDEN : total;
    if (hidden != 1 || *shown_total == LINKS_HIDDEN)
        return;
    /* One hidden count and a shown total: the total less the others gives
     * it away. Hide the smallest other non-zero count as well. (There is
     * one: were the others all zero, the total would be the small count,
     * hidden already.) */
    size_t pick = n;
    for (size_t i = 0; i < n; i++)
        if (shown[i] != LINKS_HIDDEN && counts[i] > 0 && (pick == n || counts[i] < counts[pick]))
            pick = i;
    if (pick < n)
        shown[pick] = LINKS_HIDDEN_OTHER;
}
