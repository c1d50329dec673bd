/* master.c — process supervision. The master never loads plugins or talks
 * to the database, so nothing a request can trigger takes it down. */
#include "master.h"

#include <errno.h>
#include <grp.h>
#include <netdb.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "worker.h"

#define MAX_WORKERS 256
#define STOP_GRACE_SECONDS 30

struct worker_slot {
    pid_t pid;
    unsigned generation;
    double started;
    double respawn_at;      /* >0: a replacement is due at this time */
};

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int open_unix(const struct links_config *cfg, const char *path, char *created, size_t pathlen,
                     char *err, size_t errlen)
{
    struct sockaddr_un sa = { .sun_family = AF_UNIX };
    if (strlen(path) >= sizeof sa.sun_path) {
        snprintf(err, errlen, "socket path %s is too long", path);
        return -1;
    }
    strcpy(sa.sun_path, path);
    struct stat st;
    if (lstat(path, &st) == 0) {
        if (!S_ISSOCK(st.st_mode)) {
            snprintf(err, errlen, "%s exists and is not a socket; refusing to replace it", path);
            return -1;
        }
        unlink(path);   /* stale socket of an earlier run */
    }
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        snprintf(err, errlen, "socket: %s", strerror(errno));
        return -1;
    }
    mode_t old = umask(0777 & ~(mode_t)cfg->socket_mode);
    int rc = bind(fd, (struct sockaddr *)&sa, sizeof sa);
    umask(old);
    if (rc < 0) {
        snprintf(err, errlen, "cannot bind %s: %s", path, strerror(errno));
        close(fd);
        return -1;
    }
    snprintf(created, pathlen, "%s", path);
    if (chmod(path, (mode_t)cfg->socket_mode) < 0) {
        snprintf(err, errlen, "chmod %s: %s", path, strerror(errno));
        close(fd);
        return -1;
    }
    if (cfg->socket_group != NULL) {
        struct group *g = getgrnam(cfg->socket_group);
        if (g == NULL) {
            snprintf(err, errlen, "socket_group \"%s\" does not exist", cfg->socket_group);
            close(fd);
            return -1;
        }
        if (chown(path, (uid_t)-1, g->gr_gid) < 0) {
            snprintf(err, errlen, "cannot give %s to group %s: %s", path, cfg->socket_group,
                     strerror(errno));
            close(fd);
            return -1;
        }
    }
    return fd;
}

static int open_tcp(const char *hostport, char *err, size_t errlen)
{
    char host[256];
    const char *colon = strrchr(hostport, ':');
    size_t hlen = (size_t)(colon - hostport);
    if (hlen >= sizeof host) {
        snprintf(err, errlen, "listen address too long");
        return -1;
    }
    memcpy(host, hostport, hlen);
    host[hlen] = '\0';
    if (host[0] == '[') {
        memmove(host, host + 1, hlen);
        host[strcspn(host, "]")] = '\0';
    }
    struct addrinfo hints = { .ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM,
                              .ai_flags = AI_PASSIVE | AI_NUMERICSERV };
    struct addrinfo *res;
    int rc = getaddrinfo(host, colon + 1, &hints, &res);
    if (rc != 0) {
        snprintf(err, errlen, "cannot resolve %s: %s", hostport, gai_strerror(rc));
        return -1;
    }
    int fd = socket(res->ai_family, res->ai_socktype | SOCK_CLOEXEC, 0);
    int one = 1;
    if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) < 0 ||
        bind(fd, res->ai_addr, res->ai_addrlen) < 0) {
        snprintf(err, errlen, "cannot bind %s: %s", hostport, strerror(errno));
        if (fd >= 0)
            close(fd);
        freeaddrinfo(res);
        return -1;
    }
    freeaddrinfo(res);
    return fd;
}

int links_listen_open(const struct links_config *cfg, char *created, size_t pathlen, char *err,
                      size_t errlen)
{
    created[0] = '\0';
    int fd;
    if (strncmp(cfg->listen, "fd:", 3) == 0) {
        fd = atoi(cfg->listen + 3);
        int accepting = 0;
        socklen_t len = sizeof accepting;
        if (getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &accepting, &len) < 0 || !accepting) {
            snprintf(err, errlen, "listen = \"%s\" but fd %d is not a listening socket", cfg->listen, fd);
            return -1;
        }
        return fd;      /* spawn-fcgi or systemd already listen on it */
    }
    if (strncmp(cfg->listen, "unix:", 5) == 0)
        fd = open_unix(cfg, cfg->listen + 5, created, pathlen, err, errlen);
    else
        fd = open_tcp(cfg->listen, err, errlen);
    if (fd >= 0 && listen(fd, cfg->backlog) < 0) {
        snprintf(err, errlen, "listen: %s", strerror(errno));
        close(fd);
        return -1;
    }
    return fd;
}

static pid_t spawn(const struct links_config *cfg, int listen_fd)
{
    pid_t pid = fork();
    if (pid == 0) {
        int rc = links_worker_run(cfg, listen_fd);
        /* exit, not _exit: at-exit work such as LeakSanitizer's check must
         * run in workers too (logs use write(2), so no stdio is flushed twice). */
        exit(rc);
    }
    if (pid < 0)
        links_error("fork: %s", strerror(errno));
    return pid;
}

static void describe_exit(pid_t pid, int status)
{
    if (WIFSIGNALED(status))
        links_error("worker %ld killed by signal %d (%s); replacing it", (long)pid, WTERMSIG(status),
                    strsignal(WTERMSIG(status)));
    else
        links_error("worker %ld exited with status %d; replacing it", (long)pid, WEXITSTATUS(status));
}

int links_master_run(struct links_config *cfg, const char *config_path, int listen_fd,
                     const char *created_path)
{
    sigset_t handled;
    sigemptyset(&handled);
    sigaddset(&handled, SIGCHLD);
    sigaddset(&handled, SIGHUP);
    sigaddset(&handled, SIGTERM);
    sigaddset(&handled, SIGINT);
    sigprocmask(SIG_BLOCK, &handled, NULL);
    signal(SIGPIPE, SIG_IGN);

    static struct worker_slot slots[MAX_WORKERS];
    unsigned generation = 1;
    int nworkers = cfg->workers;
    double crash_backoff = 0;
    for (int i = 0; i < nworkers; i++) {
        slots[i].pid = spawn(cfg, listen_fd);
        slots[i].generation = generation;
        slots[i].started = now_s();
    }
    links_info("linksd master %ld: %d workers x %d threads on %s", (long)getpid(), cfg->workers,
               cfg->threads, cfg->listen);

    int stopping = 0;
    double stop_deadline = 0;
    for (;;) {
        struct timespec tick = { 0, 200 * 1000 * 1000 };
        siginfo_t info;
        int sig = sigtimedwait(&handled, &info, &tick);
        double now = now_s();

        if (sig == SIGTERM || sig == SIGINT) {
            if (!stopping) {
                links_info("stopping: letting workers finish their requests");
                stopping = 1;
                stop_deadline = now + STOP_GRACE_SECONDS;
                for (int i = 0; i < MAX_WORKERS; i++)
                    if (slots[i].pid > 0)
                        kill(slots[i].pid, SIGTERM);
            }
        } else if (sig == SIGHUP && !stopping) {
            struct links_config *next = malloc(sizeof *next);
            char err[1024];
            if (next == NULL || links_config_load(config_path, next, err, sizeof err) < 0) {
                links_error("reload refused, still running the old configuration: %s",
                            next ? err : "out of memory");
                free(next);
            } else {
                if (strcmp(next->listen, cfg->listen) != 0)
                    links_warn("reload: listen changed to %s; that takes a restart, keeping %s",
                               next->listen, cfg->listen);
                links_log_set_level(next->log_level);
                generation++;
                /* New workers first; the old ones then drain and exit. */
                int placed = 0;
                for (int i = 0; i < MAX_WORKERS && placed < next->workers; i++) {
                    if (slots[i].pid > 0)
                        continue;
                    slots[i].pid = spawn(next, listen_fd);
                    slots[i].generation = generation;
                    slots[i].started = now;
                    slots[i].respawn_at = 0;
                    placed++;
                }
                for (int i = 0; i < MAX_WORKERS; i++) {
                    if (slots[i].generation != generation) {
                        if (slots[i].pid > 0)
                            kill(slots[i].pid, SIGTERM);
                        slots[i].respawn_at = 0;
                    }
                }
                links_config_free(cfg);
                free(cfg);
                cfg = next;
                nworkers = cfg->workers;
                links_info("reloaded %s: %d new workers started, old workers draining", config_path,
                           placed);
            }
        }

        /* Reap, and replace workers of the current generation that died. */
        int status;
        pid_t pid;
        while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
            for (int i = 0; i < MAX_WORKERS; i++) {
                if (slots[i].pid != pid)
                    continue;
                slots[i].pid = 0;
                if (stopping || slots[i].generation != generation)
                    break;
                describe_exit(pid, status);
                /* A worker that dies at once is likely to again: back off. */
                crash_backoff = now - slots[i].started < 2.0
                                    ? (crash_backoff == 0 ? 0.5 : crash_backoff * 2 > 10 ? 10 : crash_backoff * 2)
                                    : 0;
                slots[i].respawn_at = now + crash_backoff;
                break;
            }
        }
        for (int i = 0; i < MAX_WORKERS && !stopping; i++) {
            if (slots[i].pid == 0 && slots[i].respawn_at > 0 && now >= slots[i].respawn_at) {
                slots[i].pid = spawn(cfg, listen_fd);
                slots[i].started = now;
                slots[i].respawn_at = 0;
            }
        }

        if (stopping) {
            int alive = 0;
            for (int i = 0; i < MAX_WORKERS; i++)
                alive += slots[i].pid > 0;
            if (alive == 0)
                break;
            if (now > stop_deadline) {
                links_warn("%d workers still busy after %ds: killing them", alive, STOP_GRACE_SECONDS);
                for (int i = 0; i < MAX_WORKERS; i++)
                    if (slots[i].pid > 0)
                        kill(slots[i].pid, SIGKILL);
                stop_deadline = now + 5;
            }
        }
    }
    if (created_path != NULL && created_path[0] != '\0')
        unlink(created_path);
    links_config_free(cfg);
    free(cfg);
    links_info("stopped");
    return 0;
}
