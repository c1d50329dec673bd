/* fcgi_request.h — filling a links_request from a FastCGI request. */
#ifndef LINKS_FCGI_REQUEST_H
#define LINKS_FCGI_REQUEST_H

#include <fcgiapp.h>

#include "http.h"

/* Method, path, query string, request id, the headers linksd looks at,
 * and the body (up to `cap` bytes: a longer or unreadable one is marked
 * too large and not read). Strings point into libfcgi's request or the
 * request's arena. */
void links_request_read_fcgi(FCGX_Request *fr, struct links_request *req, long cap);

#endif
