/* good.c — a minimal valid plugin for loader tests: it narrows the radius to
 * 1 km so a test can see its lookup hook ran. */
#include <links/plugin.h>

static int good_lookup(void *state, struct links_request *req, const struct links_lookup_context *ctx,
                       struct links_lookup_plan *plan)
{
    (void)state; (void)req; (void)ctx;
    plan->radius_km = 1.0;
    plan->explanation = "test plugin";
    return LINKS_PLUGIN_OK;
}

LINKS_PLUGIN_EXPORT const struct links_plugin links_plugin = {
    LINKS_PLUGIN_HEAD("good", "1.2.3", "loader test plugin"),
    .lookup = good_lookup,
};
