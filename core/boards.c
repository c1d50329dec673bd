/* boards.c — per-process board registry and plugin life cycle. */
#include "boards.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "log.h"
#include "plugin_loader.h"

static void take_out_of_service(struct links_board *b, const char *why)
{
    b->in_service = 0;
    snprintf(b->reason, sizeof b->reason, "%s", why);
    links_error("board %s (%s) is out of service: %s", b->cfg->slug, b->cfg->code, why);
}

static void load_one(struct links_board *b, const struct links_config *cfg)
{
    b->in_service = 1;
    if (b->cfg->plugin == NULL)
        return;                         /* the core's defaults serve it */
    char path[4096], err[1024];
    if (links_plugin_path(cfg->plugin_dir, b->cfg->plugin, path, sizeof path, err, sizeof err) < 0 ||
        links_plugin_open(path, &b->dl, &b->plugin, err, sizeof err) < 0) {
        b->plugin = NULL;
        take_out_of_service(b, err);
        return;
    }
    b->settings.plugin_name = b->plugin->name;
    if (b->plugin->init != NULL) {
        const char *why = NULL;
        if (b->plugin->init(&links_host_table, &b->settings, &b->state, &why) != 0) {
            char msg[1400];
            snprintf(msg, sizeof msg, "plugin %s %s failed to start: %s", b->plugin->name,
                     b->plugin->version, why ? why : "no reason given");
            links_plugin_close(b->dl);
            b->dl = NULL;
            b->plugin = NULL;
            b->state = NULL;
            take_out_of_service(b, msg);
            return;
        }
    }
    links_info("board %s (%s): plugin %s %s loaded from %s", b->cfg->slug, b->cfg->code,
               b->plugin->name, b->plugin->version, path);
}

void links_boards_load(struct links_boards *boards, const struct links_config *cfg)
{
    memset(boards, 0, sizeof *boards);
    boards->n = cfg->nboards;
    for (int i = 0; i < cfg->nboards; i++) {
        struct links_board *b = &boards->board[i];
        b->cfg = &cfg->boards[i];
        b->settings.group = b->cfg->settings;
        b->settings.board_slug = b->cfg->slug;
        b->settings.plugin_name = b->cfg->plugin ? b->cfg->plugin : "core";
        load_one(b, cfg);
    }
}

void links_boards_unload(struct links_boards *boards)
{
    for (int i = boards->n - 1; i >= 0; i--) {
        struct links_board *b = &boards->board[i];
        if (b->plugin != NULL && b->plugin->fini != NULL)
            b->plugin->fini(b->state);
        links_plugin_close(b->dl);
        b->dl = NULL;
        b->plugin = NULL;
        b->state = NULL;
    }
    boards->n = 0;
}

const struct links_board *links_boards_find(const struct links_boards *boards, const char *key)
{
    for (int i = 0; i < boards->n; i++) {
        const struct links_board *b = &boards->board[i];
        /* "GGC" and "s08000031" are what people type, too. */
        if (strcasecmp(b->cfg->code, key) == 0 || strcasecmp(b->cfg->slug, key) == 0)
            return b;
    }
    return NULL;
}
