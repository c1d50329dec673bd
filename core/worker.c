/* worker.c — a worker process: T threads, each with its own FastCGI
 * request, arena and database connection, accepting on the shared socket.
 *
 * Stopping: the threads wait in poll() on the listening socket and on a
 * stop pipe, so SIGTERM never interrupts a request in flight: the main
 * thread writes the pipe, each thread finishes the request it holds, and
 * the process exits. Signals are blocked in every thread (libfcgi's own
 * SIGTERM handler never runs) and taken synchronously by the main thread. */
#include "worker.h"

#include <errno.h>
#include <fcgiapp.h>
#include <fcntl.h>
#include <malloc.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "fcgi_request.h"
#include "http.h"
#include "log.h"
#include "router.h"
#include "search_sql.h"
#include "api.h"

struct thread_ctx {
    struct links_worker worker;
    pthread_t thread;
    int listen_fd;
    int stop_fd;
    pthread_mutex_t *accept_lock;
};

/* Headers are formatted with snprintf: libfcgi's FCGX_FPrintF has its own
 * printf that lacks length modifiers such as %zu. */
static void write_response(FCGX_Request *fr, const struct links_request *req, int head_only)
{
    char head[2048];
    int n = snprintf(head, sizeof head,
                     "Status: %d %s\r\nContent-Type: %s\r\nContent-Length: %zu\r\n"
                     "Cache-Control: no-store\r\n",
                     req->status, links_status_reason(req->status),
                     req->content_type ? req->content_type : "application/json", req->body_len);
    if (n < 0 || (size_t)n >= sizeof head - 3)
        n = 0;
    /* A header that does not fit whole (with room left for the blank
     * line) is left out rather than cut. */
    for (int i = 0; i < req->nheaders && n > 0; i++) {
        size_t room = sizeof head - (size_t)n;
        int k = snprintf(head + n, room, "%s: %s\r\n", req->headers[i].name, req->headers[i].value);
        if (k < 0 || (size_t)k + 3 > room) {
            head[n] = '\0';
            links_warn("response header %s left out: too long", req->headers[i].name);
            continue;
        }
        n += k;
    }
    memcpy(head + n, "\r\n", 3);
    FCGX_PutStr(head, n + 2, fr->out);
    if (!head_only && req->body_len > 0)
        FCGX_PutStr(req->body, (int)req->body_len, fr->out);
}

static void serve(struct thread_ctx *t, FCGX_Request *fr, struct links_arena *arena)
{
    struct links_request req;
    links_request_init(&req, arena);
    req.worker = &t->worker;
    links_request_read_fcgi(fr, &req, t->worker.cfg->auth.max_body_bytes);
    if (req.method == NULL || req.path == NULL) {
        links_respond_problem(&req, 400, "Bad request", "The request has no method or path.", NULL);
    } else {
        links_route(&req);
    }
    if (req.status >= 500)
        links_warn("%s %s -> %d%s%s", req.method ? req.method : "?", req.path ? req.path : "?",
                   req.status, req.request_id ? " request_id=" : "",
                   req.request_id ? req.request_id : "");
    write_response(fr, &req, req.method != NULL && strcmp(req.method, "HEAD") == 0);
}

static void *thread_main(void *arg)
{
    struct thread_ctx *t = arg;
    FCGX_Request fr;
    struct links_arena *arena = links_arena_new(64 * 1024);
    if (arena == NULL || FCGX_InitRequest(&fr, t->listen_fd, FCGI_FAIL_ACCEPT_ON_INTR) != 0) {
        links_error("worker thread %d: cannot initialise", t->worker.index);
        links_arena_destroy(arena);
        return NULL;
    }
    /* Connect early so the first request does not pay for it. */
    links_db_connect(t->worker.db);
    struct pollfd fds[2] = { { t->listen_fd, POLLIN, 0 }, { t->stop_fd, POLLIN, 0 } };
    for (;;) {
        /* One thread per process waits for a connection at a time (an
         * accept mutex, as Apache's prefork has): otherwise every idle
         * thread wakes for every connection and all but one find nothing. */
        pthread_mutex_lock(t->accept_lock);
        int rc = -EAGAIN, stop = 0;
        while (rc == -EAGAIN || rc == -EWOULDBLOCK || rc == -EINTR) {
            int n = poll(fds, 2, -1);
            if ((n < 0 && errno != EINTR) || (n > 0 && fds[1].revents != 0)) {
                stop = 1;
                break;
            }
            if (n <= 0 || !(fds[0].revents & POLLIN))
                continue;
            /* The socket is non-blocking: if another process took the
             * connection, this returns -EAGAIN and we wait again. */
            rc = FCGX_Accept_r(&fr);
        }
        pthread_mutex_unlock(t->accept_lock);
        if (stop)
            break;
        if (rc < 0) {
            links_warn("accept failed: %s", strerror(-rc));
            continue;
        }
        serve(t, &fr, arena);
        FCGX_Finish_r(&fr);
        links_arena_reset(arena);
    }
    FCGX_Free(&fr, 0);
    links_arena_destroy(arena);
    return NULL;
}

int links_worker_run(const struct links_config *cfg, int listen_fd)
{
    /* Die with the master, whatever killed it. */
    prctl(PR_SET_PDEATHSIG, SIGTERM);
    if (getppid() == 1)
        return 0;
    if (FCGX_Init() != 0) {
        links_error("FCGX_Init failed");
        return 1;
    }
    /* After FCGX_Init: our mask, not libfcgi's handlers, decides. */
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGTERM);
    sigaddset(&stop, SIGINT);
    sigaddset(&stop, SIGHUP);
    pthread_sigmask(SIG_BLOCK, &stop, NULL);
    signal(SIGPIPE, SIG_IGN);

    /* Requests free many small jansson and libpq blocks and then ask for a
     * large one; with fastbins glibc then runs malloc_consolidate on every
     * request (a quarter of linksd's CPU time, measured with perf). */
    mallopt(M_MXFAST, 0);

    int flags = fcntl(listen_fd, F_GETFL);
    if (flags < 0 || fcntl(listen_fd, F_SETFL, flags | O_NONBLOCK) < 0) {
        links_error("cannot make the listening socket non-blocking: %s", strerror(errno));
        return 1;
    }
    int stop_pipe[2];
    if (pipe(stop_pipe) < 0) {
        links_error("pipe: %s", strerror(errno));
        return 1;
    }
    if (links_search_register() < 0 || links_api_register() < 0) {
        links_error("too many prepared statements");
        return 1;
    }

    struct links_boards boards;
    links_boards_load(&boards, cfg);

    static pthread_mutex_t accept_lock = PTHREAD_MUTEX_INITIALIZER;
    int nthreads = cfg->threads;
    struct thread_ctx *threads = calloc((size_t)nthreads, sizeof *threads);
    if (threads == NULL)
        return 1;
    int started = 0;
    for (int i = 0; i < nthreads; i++) {
        struct thread_ctx *t = &threads[i];
        t->worker.cfg = cfg;
        t->worker.boards = &boards;
        t->worker.index = i;
        t->worker.db = links_db_new(cfg->conninfo, cfg->db_retry_max_s, cfg->statement_timeout_ms);
        t->listen_fd = listen_fd;
        t->stop_fd = stop_pipe[0];
        t->accept_lock = &accept_lock;
        if (t->worker.db == NULL || pthread_create(&t->thread, NULL, thread_main, t) != 0) {
            links_error("cannot start worker thread %d", i);
            links_db_free(t->worker.db);
            t->worker.db = NULL;
            break;
        }
        started++;
    }
    links_info("worker ready: %d threads, %d boards", started, boards.n);

    int sig = 0;
    while (started > 0) {
        if (sigwait(&stop, &sig) != 0)
            continue;
        if (sig == SIGTERM || sig == SIGINT)
            break;
        /* SIGHUP is the master's business: it replaces workers. */
    }
    ssize_t w = write(stop_pipe[1], "x", 1);
    (void)w;
    for (int i = 0; i < started; i++) {
        pthread_join(threads[i].thread, NULL);
        links_db_free(threads[i].worker.db);
    }
    free(threads);
    links_boards_unload(&boards);
    close(stop_pipe[0]);
    close(stop_pipe[1]);
    return started > 0 ? 0 : 1;
}
