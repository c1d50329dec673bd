/* fuzz_fastcgi.c — the FastCGI stream as linksd meets it: a request is
 * written, as nginx would, down a real Unix socket; libfcgi accepts and
 * parses the records (begin request, parameters, stdin); linksd builds its
 * request from them (links_request_read_fcgi), splits the query string and
 * reads the body as JSON; libfcgi writes an answer back. */
#include <assert.h>
#include <errno.h>
#include <fcgiapp.h>
#include <fcntl.h>
#include <stddef.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "body.h"
#include "fcgi_request.h"
#include "fuzz_common.h"

static int listen_fd = -1;
static struct sockaddr_un addr;
static socklen_t addr_len;

/* The input describes a request as nginx could send it:
 *   byte 0          how many bytes each record carries (1-256), so libfcgi
 *                   must reassemble parameters and body across records
 *   then up to "\n\n"  parameters, one "NAME=VALUE" per line (any bytes)
 *   then            the body, sent on FCGI_STDIN
 * and the harness writes it as well-formed records. Raw bytes, which only
 * a process on linksd's socket could send, found two libfcgi 2.4.2 faults
 * on the first runs (tests/fuzz/libfcgi-findings/, docs/SECURITY.md): an
 * abort on a parameter length near 2^31 and a small leak on unknown record
 * types. Only nginx can connect to the socket (mode 0660), so this harness
 * fuzzes what nginx can produce. */
static uint8_t stream[4 * 100000];
static size_t stream_len;

static void put_record(int type, const uint8_t *content, size_t len)
{
    uint8_t h[8] = { 1, (uint8_t)type, 0, 1, (uint8_t)(len >> 8), (uint8_t)len, 0, 0 };
    if (stream_len + 8 + len > sizeof stream)
        return;
    memcpy(stream + stream_len, h, 8);
    if (len > 0)
        memcpy(stream + stream_len + 8, content, len);
    stream_len += 8 + len;
}

static void put_chunked(int type, const uint8_t *content, size_t len, size_t chunk)
{
    for (size_t off = 0; off < len; off += chunk)
        put_record(type, content + off, len - off < chunk ? len - off : chunk);
    put_record(type, NULL, 0);
}

static size_t put_length(uint8_t *out, size_t n)
{
    if (n < 128) {
        out[0] = (uint8_t)n;
        return 1;
    }
    out[0] = (uint8_t)(0x80 | n >> 24);
    out[1] = (uint8_t)(n >> 16);
    out[2] = (uint8_t)(n >> 8);
    out[3] = (uint8_t)n;
    return 4;
}

static void build_stream(const uint8_t *data, size_t size)
{
    static uint8_t params[2 * 100000];
    stream_len = 0;
    size_t chunk = size > 0 ? (size_t)data[0] + 1 : 256;
    const uint8_t *p = size > 0 ? data + 1 : data, *end = data + size;
    const uint8_t *split = p;
    while (split + 1 < end && !(split[0] == '\n' && split[1] == '\n'))
        split++;
    const uint8_t *params_end = split + 1 < end ? split : end;
    size_t n = 0;
    while (p < params_end) {
        const uint8_t *line_end = memchr(p, '\n', (size_t)(params_end - p));
        if (line_end == NULL)
            line_end = params_end;
        const uint8_t *eq = memchr(p, '=', (size_t)(line_end - p));
        size_t name_len = eq ? (size_t)(eq - p) : (size_t)(line_end - p);
        size_t value_len = eq ? (size_t)(line_end - eq - 1) : 0;
        n += put_length(params + n, name_len);
        n += put_length(params + n, value_len);
        memcpy(params + n, p, name_len);
        n += name_len;
        if (eq)
            memcpy(params + n, eq + 1, value_len);
        n += value_len;
        p = line_end + 1;
    }
    static const uint8_t begin[8] = { 0, 1, 0, 0, 0, 0, 0, 0 };   /* responder, no keep-alive */
    put_record(1, begin, sizeof begin);
    put_chunked(4, params, n, chunk);
    const uint8_t *body = split + 1 < end ? split + 2 : end;
    put_chunked(5, body, (size_t)(end - body), chunk);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int ready;
    if (!ready) {
        signal(SIGPIPE, SIG_IGN);
        FCGX_Init();
        /* An abstract socket (leading NUL): nothing is left on disk. */
        addr.sun_family = AF_UNIX;
        int n = snprintf(addr.sun_path + 1, sizeof addr.sun_path - 1, "links-fuzz-fcgi-%d", (int)getpid());
        addr_len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + (size_t)n);
        listen_fd = socket(AF_UNIX, SOCK_STREAM, 0);
        if (listen_fd < 0 || bind(listen_fd, (struct sockaddr *)&addr, addr_len) < 0 || listen(listen_fd, 4) < 0) {
            perror("fuzz_fastcgi: listen");
            abort();
        }
        /* Non-blocking, as in linksd: when libfcgi gives up on a stream it
         * looks for the next connection, and there is none. */
        fcntl(listen_fd, F_SETFL, fcntl(listen_fd, F_GETFL) | O_NONBLOCK);
        ready = 1;
    }
    if (size > 100000)
        return 0;
    build_stream(data, size);
    int client = socket(AF_UNIX, SOCK_STREAM, 0);
    if (client < 0 || connect(client, (struct sockaddr *)&addr, addr_len) < 0) {
        perror("fuzz_fastcgi: connect");
        abort();
    }
    int buf = 1 << 20;
    setsockopt(client, SOL_SOCKET, SO_SNDBUF, &buf, sizeof buf);
    for (size_t off = 0; off < stream_len;) {
        ssize_t n = write(client, stream + off, stream_len - off);
        if (n <= 0)
            break;
        off += (size_t)n;
    }
    shutdown(client, SHUT_WR);

    FCGX_Request fr;
    FCGX_InitRequest(&fr, listen_fd, FCGI_FAIL_ACCEPT_ON_INTR);
    int rc = FCGX_Accept_r(&fr);
    struct links_arena *arena = fuzz_arena();
    if (rc == 0) {
        struct links_request req;
        links_request_init(&req, arena);
        links_request_read_fcgi(&fr, &req, 64 * 1024);
        if (req.in.body != NULL)
            assert(strlen(req.in.body) <= req.in.body_len && req.in.body_len <= 64 * 1024);
        if (links_parse_query(&req) == 0 && req.in.body != NULL) {
            json_t *doc = links_json_body(&req);
            assert(doc != NULL || req.status >= 400);
        }
        FCGX_FPrintF(fr.out, "Status: 200 OK\r\nContent-Type: text/plain\r\n\r\nok");
        /* Gone before libfcgi finishes, so its lingering close does not
         * wait for the peer (writes to it fail quietly: SIGPIPE ignored). */
        close(client);
        client = -1;
        FCGX_Finish_r(&fr);
    }
    FCGX_Free(&fr, 1);
    if (client >= 0)
        close(client);
    links_arena_reset(arena);
    return 0;
}
