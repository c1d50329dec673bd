/* master.h — the supervising process: binds (or inherits) the socket,
 * keeps N workers running, reloads on SIGHUP, stops cleanly on SIGTERM. */
#ifndef LINKS_MASTER_H
#define LINKS_MASTER_H

#include "config.h"

/* Open the listening socket described by cfg->listen. Returns the fd, or -1
 * with err set. *created_path is set to the unix socket path we created. */
int links_listen_open(const struct links_config *cfg, char *created_path, size_t pathlen, char *err,
                      size_t errlen);

/* Runs until SIGTERM/SIGINT. Takes ownership of cfg. Returns exit status. */
int links_master_run(struct links_config *cfg, const char *config_path, int listen_fd,
                     const char *created_path);

#endif
