/* failing_init.c — a plugin whose init fails, keeping its board out of
 * service with its reason. */
#include <links/plugin.h>

static int failing_init(const struct links_host *host, const struct links_settings *settings,
                        void **state, const char **error)
{
    (void)host; (void)settings; (void)state;
    *error = "required setting 'api_key' is missing";
    return -1;
}

LINKS_PLUGIN_EXPORT const struct links_plugin links_plugin = {
    LINKS_PLUGIN_HEAD("failing_init", "0.0.1", "init always fails"),
    .init = failing_init,
};
