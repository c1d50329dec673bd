/* search.h — resource search and resource detail handlers. */
#ifndef LINKS_SEARCH_H
#define LINKS_SEARCH_H

#include "boards.h"
#include "http.h"

void links_handle_resources(struct links_request *req, const struct links_board *board);
void links_handle_resource(struct links_request *req, const struct links_board *board, const char *id);

/* Answer a database failure as the client should see it (503 or 500). */
void links_respond_db_failure(struct links_request *req, int status, const char *what,
                              const char *sqlstate, const char *message);

#endif
