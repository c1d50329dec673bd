/* plugin_loader.h — open a region plugin and check its ABI before trusting
 * anything else in it (PostgreSQL's magic block, Apache's module head). */
#ifndef LINKS_PLUGIN_LOADER_H
#define LINKS_PLUGIN_LOADER_H

#include <stddef.h>

#include "links/plugin.h"

/* The plugin file for module `name` in `dir`: "dir/name.so". Refuses names
 * that could leave the directory. Returns 0 or -1 with err set. */
int links_plugin_path(const char *dir, const char *name, char *out, size_t outlen, char *err,
                      size_t errlen);

/* dlopen `path` (RTLD_NOW | RTLD_LOCAL), find its descriptor and check the
 * magic, ABI major and size. Returns 0 with *handle and *plugin, or -1 with
 * err naming the file and every mismatch (and nothing left open). */
int links_plugin_open(const char *path, void **handle, const struct links_plugin **plugin,
                      char *err, size_t errlen);
void links_plugin_close(void *handle);

#endif
