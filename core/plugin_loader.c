/* plugin_loader.c — dlopen, descriptor lookup and ABI checks. */
#include "plugin_loader.h"

#include <dlfcn.h>
#include <stdio.h>
#include <string.h>

/* The smallest descriptor we can use: everything up to and including the
 * hooks of ABI 1.0. Later minors only append. */
#define LINKS_PLUGIN_MIN_SIZE (offsetof(struct links_plugin, lookup) + sizeof(void *))

int links_plugin_path(const char *dir, const char *name, char *out, size_t outlen, char *err,
                      size_t errlen)
{
    if (name[0] == '\0' || strchr(name, '/') != NULL || strstr(name, "..") != NULL) {
        snprintf(err, errlen, "plugin name \"%s\" is not a bare module name", name);
        return -1;
    }
    int n = snprintf(out, outlen, "%s/%s.so", dir, name);
    if (n < 0 || (size_t)n >= outlen) {
        snprintf(err, errlen, "plugin path for \"%s\" is too long", name);
        return -1;
    }
    return 0;
}

int links_plugin_open(const char *path, void **handle, const struct links_plugin **plugin,
                      char *err, size_t errlen)
{
    *handle = NULL;
    *plugin = NULL;
    dlerror();
    void *dl = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (dl == NULL) {
        const char *why = dlerror();
        snprintf(err, errlen, "%s: cannot load: %s", path, why ? why : "unknown error");
        return -1;
    }
    const struct links_plugin *p = dlsym(dl, LINKS_PLUGIN_SYMBOL);
    if (p == NULL) {
        snprintf(err, errlen, "%s: not a Community Links plugin (no '%s' symbol)", path,
                 LINKS_PLUGIN_SYMBOL);
        dlclose(dl);
        return -1;
    }
    /* Read only the fixed head until it is known to be ours. */
    if (p->magic != LINKS_PLUGIN_MAGIC) {
        snprintf(err, errlen, "%s: refused: magic is 0x%08x, expected 0x%08x (not built with links/plugin.h)",
                 path, p->magic, LINKS_PLUGIN_MAGIC);
        dlclose(dl);
        return -1;
    }
    char mismatch[384] = "";
    size_t used = 0;
    if (p->abi_major != LINKS_PLUGIN_ABI_MAJOR)
        used += (size_t)snprintf(mismatch + used, sizeof mismatch - used,
                                 "; ABI major is %u, this linksd needs %u (rebuild the plugin against this linksd's links/plugin.h)",
                                 p->abi_major, LINKS_PLUGIN_ABI_MAJOR);
    if (used < sizeof mismatch && p->size < LINKS_PLUGIN_MIN_SIZE)
        snprintf(mismatch + used, sizeof mismatch - used,
                 "; descriptor size is %u bytes, at least %zu expected", p->size,
                 (size_t)LINKS_PLUGIN_MIN_SIZE);
    if (mismatch[0] != '\0') {
        snprintf(err, errlen, "%s: refused%s", path, mismatch);
        dlclose(dl);
        return -1;
    }
    if (p->name == NULL || p->version == NULL) {
        snprintf(err, errlen, "%s: refused: descriptor has no name or version", path);
        dlclose(dl);
        return -1;
    }
    *handle = dl;
    *plugin = p;
    return 0;
}

void links_plugin_close(void *handle)
{
    if (handle != NULL)
        dlclose(handle);
}
