/* router.h — map a request to its handler. */
#ifndef LINKS_ROUTER_H
#define LINKS_ROUTER_H

#include "http.h"

/* Parse the query string, find the route, check the method and run the
 * handler. Always leaves a complete response in req. */
void links_route(struct links_request *req);

#endif
