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
    long hidden_sum = 0;
    for (size_t i = 0; i < n; i++) {
        shown[i] = links_disclosure_small(counts[i]) ? LINKS_HIDDEN : counts[i];
        if (shown[i] == LINKS_HIDDEN) {
            hidden++;
            hidden_sum += counts[i];
        }
    }
    *shown_total = links_disclosure_small(total) ? LINKS_HIDDEN : total;
    if (hidden == 0 || *shown_total == LINKS_HIDDEN)
        return;
    /* With the total shown, the total less the shown counts is what is
     * hidden: one hidden count would be given away, and so would several
     * adding up to less than 5 (two "<5" making 2 are both 1: zeros are
     * shown, so a hidden count is at least 1). Hide the smallest other
     * non-zero counts, as "*", until what is hidden is at least two counts
     * and at least 5. (There are such counts: were the others all zero,
     * the total would be what is hidden, under 5 and hidden already.) */
    while (hidden < 2 || hidden_sum < 5) {
        size_t pick = n;
        for (size_t i = 0; i < n; i++)
            if (shown[i] >= 0 && counts[i] > 0 && (pick == n || counts[i] < counts[pick]))
                pick = i;
        if (pick == n) {
            *shown_total = LINKS_HIDDEN;
            return;
        }
        shown[pick] = LINKS_HIDDEN_OTHER;
        hidden++;
        hidden_sum += counts[pick];
    }
}
