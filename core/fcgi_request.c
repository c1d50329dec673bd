/* fcgi_request.c — a links_request from what libfcgi read off the socket:
 * the FastCGI parameters nginx sends and the request body. */
#include "fcgi_request.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* The body, read only up to the cap: a larger one is refused unread (413)
 * rather than buffered. nginx caps bodies too (client_max_body_size); this
 * holds for anything else that reaches the socket. */
static void read_body(FCGX_Request *fr, struct links_request *req, long cap)
{
    const char *cl = FCGX_GetParam("CONTENT_LENGTH", fr->envp);
    req->in.content_length = -1;
    if (cl == NULL || cl[0] == '\0')
        return;
    char *end;
    long n = strtol(cl, &end, 10);
    if (*end != '\0' || n < 0) {
        req->in.body_too_large = 1;
        return;
    }
    req->in.content_length = n;
    if (n == 0)
        return;
    if (n > cap) {
        req->in.body_too_large = 1;
        return;
    }
    char *buf = links_arena_alloc(req->arena, (size_t)n + 1);
    if (buf == NULL) {
        req->in.body_too_large = 1;
        return;
    }
    int got = FCGX_GetStr(buf, (int)n, fr->in);
    if (got < 0)
        got = 0;
    buf[got] = '\0';
    req->in.body = buf;
    req->in.body_len = (size_t)got;
}

void links_request_read_fcgi(FCGX_Request *fr, struct links_request *req, long cap)
{
    req->method = FCGX_GetParam("REQUEST_METHOD", fr->envp);
    req->path = FCGX_GetParam("DOCUMENT_URI", fr->envp);
    if (req->path == NULL)
        req->path = FCGX_GetParam("SCRIPT_NAME", fr->envp);
    req->query_string = FCGX_GetParam("QUERY_STRING", fr->envp);
    req->request_id = FCGX_GetParam("REQUEST_ID", fr->envp);
    req->in.cookie = FCGX_GetParam("HTTP_COOKIE", fr->envp);
    req->in.authorization = FCGX_GetParam("HTTP_AUTHORIZATION", fr->envp);
    req->in.csrf_token = FCGX_GetParam("HTTP_X_CSRF_TOKEN", fr->envp);
    req->in.if_match = FCGX_GetParam("HTTP_IF_MATCH", fr->envp);
    req->in.idempotency_key = FCGX_GetParam("HTTP_IDEMPOTENCY_KEY", fr->envp);
    req->in.accept = FCGX_GetParam("HTTP_ACCEPT", fr->envp);
    req->in.origin = FCGX_GetParam("HTTP_ORIGIN", fr->envp);
    /* nginx's own HTTP_HOST drops the port; links-app.conf sends it whole. */
    req->in.host = FCGX_GetParam("REQUEST_HOST", fr->envp);
    req->in.content_type = FCGX_GetParam("CONTENT_TYPE", fr->envp);
    req->in.client_address = FCGX_GetParam("REMOTE_ADDR", fr->envp);
    const char *https = FCGX_GetParam("HTTPS", fr->envp);
    req->in.https = https != NULL && strcasecmp(https, "on") == 0;
    read_body(fr, req, cap);
}

