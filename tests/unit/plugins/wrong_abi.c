/* wrong_abi.c — a plugin built for a future ABI major: must be refused
 * before any of its hooks is touched. */
#include <stddef.h>

#include <links/plugin.h>

LINKS_PLUGIN_EXPORT const struct links_plugin links_plugin = {
    .magic = LINKS_PLUGIN_MAGIC,
    .abi_major = LINKS_PLUGIN_ABI_MAJOR + 1,
    .abi_minor = 0,
    .size = (uint32_t)sizeof(struct links_plugin),
    .name = "wrong_abi",
    .version = "9.9.9",
    .description = "built against another ABI",
};
