/* linksd.c — the Community Links FastCGI daemon. */
#include "build-config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "boards.h"
#include "config.h"
#include "log.h"
#include "master.h"

static void usage(FILE *out)
{
    fprintf(out,
            "usage: linksd [-c FILE] [-p PIDFILE] [-t]\n"
            "  -c FILE     configuration (default " LINKS_SYSCONF_FILE ")\n"
            "  -p PIDFILE  write the master's pid here\n"
            "  -t          check the configuration and every board's plugin, then exit\n"
            "  -V          print the version\n");
}

/* -t: load each plugin and run its init, as a worker would. */
static int check_only(const struct links_config *cfg)
{
    struct links_boards boards;
    links_boards_load(&boards, cfg);
    int bad = 0;
    for (int i = 0; i < boards.n; i++) {
        const struct links_board *b = &boards.board[i];
        if (b->in_service)
            printf("board %s (%s): ok%s%s\n", b->cfg->slug, b->cfg->code,
                   b->plugin ? ", plugin " : "", b->plugin ? b->plugin->name : "");
        else
            printf("board %s (%s): OUT OF SERVICE: %s\n", b->cfg->slug, b->cfg->code, b->reason);
        bad += !b->in_service;
    }
    links_boards_unload(&boards);
    printf("%s: configuration %s\n", cfg->path, bad ? "has problems" : "ok");
    return bad ? 1 : 0;
}

int main(int argc, char **argv)
{
    const char *config_path = LINKS_SYSCONF_FILE;
    const char *pidfile = NULL;
    int test = 0;
    int opt;
    while ((opt = getopt(argc, argv, "c:p:tVh")) != -1) {
        switch (opt) {
        case 'c': config_path = optarg; break;
        case 'p': pidfile = optarg; break;
        case 't': test = 1; break;
        case 'V': printf("linksd %s (plugin ABI %d.%d)\n", PACKAGE_VERSION, LINKS_PLUGIN_ABI_MAJOR,
                         LINKS_PLUGIN_ABI_MINOR);
                  return 0;
        case 'h': usage(stdout); return 0;
        default: usage(stderr); return 2;
        }
    }
    struct links_config *cfg = malloc(sizeof *cfg);
    char err[1024];
    if (cfg == NULL)
        return 1;
    if (links_config_load(config_path, cfg, err, sizeof err) < 0) {
        fprintf(stderr, "linksd: %s\n", err);
        free(cfg);
        return 2;
    }
    links_log_set_level(cfg->log_level);
    if (test) {
        int rc = check_only(cfg);
        links_config_free(cfg);
        free(cfg);
        return rc;
    }
    char created[512];
    int fd = links_listen_open(cfg, created, sizeof created, err, sizeof err);
    if (fd < 0) {
        fprintf(stderr, "linksd: %s\n", err);
        links_config_free(cfg);
        free(cfg);
        return 1;
    }
    if (pidfile != NULL) {
        FILE *f = fopen(pidfile, "w");
        if (f == NULL) {
            fprintf(stderr, "linksd: cannot write %s\n", pidfile);
            return 1;
        }
        fprintf(f, "%ld\n", (long)getpid());
        fclose(f);
    }
    int rc = links_master_run(cfg, config_path, fd, created);
    if (pidfile != NULL)
        unlink(pidfile);
    return rc;
}
