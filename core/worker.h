/* worker.h — what one request-serving thread owns. */
#ifndef LINKS_WORKER_H
#define LINKS_WORKER_H

#include "boards.h"
#include "config.h"
#include "db.h"

struct links_worker {
    const struct links_config *cfg;
    const struct links_boards *boards;
    struct links_db *db;
    int index;
};

/* Run a worker process: T threads accepting on listen_fd until SIGTERM.
 * Returns the process exit status. */
int links_worker_run(const struct links_config *cfg, int listen_fd);

#endif
