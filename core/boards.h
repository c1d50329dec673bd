/* boards.h — the boards this process serves: each with its configuration,
 * its plugin and the plugin's state, or the reason it is out of service. */
#ifndef LINKS_BOARDS_H
#define LINKS_BOARDS_H

#include "config.h"
#include "links/plugin.h"

/* What a plugin sees as `struct links_settings`. */
struct links_settings {
    const config_setting_t *group;  /* may be NULL: no settings given */
    const char *board_slug;
    const char *plugin_name;
};

struct links_board {
    const struct links_board_config *cfg;
    struct links_settings settings;
    void *dl;
    const struct links_plugin *plugin;  /* NULL: no plugin configured, or refused */
    void *state;
    int in_service;
    char reason[1536];                   /* why not in service */
};

struct links_boards {
    int n;
    struct links_board board[LINKS_MAX_BOARDS];
};

/* Load every board's plugin and run its init. A board whose plugin is
 * refused or fails init is kept out of service with the reason; the others
 * serve. Never fails as a whole. */
void links_boards_load(struct links_boards *boards, const struct links_config *cfg);
void links_boards_unload(struct links_boards *boards);
const struct links_board *links_boards_find(const struct links_boards *boards, const char *code_or_slug);

/* The host function table handed to plugins. */
extern const struct links_host links_host_table;

#endif
