/* ctl.h — linksctl subcommands. */
#ifndef LINKS_CTL_H
#define LINKS_CTL_H

#include <libpq-fe.h>

struct ctl_options {
    const char *config_path;
    const char *conninfo;       /* owner connection for migrate / demo-data */
    const char *share_dir;      /* holds schema/ (migrations, data, demo) */
};

int ctl_migrate(const struct ctl_options *o, int argc, char **argv);
int ctl_demo_data(const struct ctl_options *o, int argc, char **argv);
int ctl_demo_activity(const struct ctl_options *o, int argc, char **argv);
int ctl_report_summaries(const struct ctl_options *o, int argc, char **argv);
int ctl_create_admin(const struct ctl_options *o, int argc, char **argv);
int ctl_plugin_check(int argc, char **argv);
int ctl_export(const struct ctl_options *o, int argc, char **argv);
int ctl_import(const struct ctl_options *o, int argc, char **argv);

/* Every demo account's password (printed by deploy/demo). */
#define CTL_DEMO_PASSWORD "community-links-demo"
/* One account per role on each board with practices, and "admin". */
int ctl_demo_staff(PGconn *conn);
int ctl_sql(int argc, char **argv);

/* Connect with the owner's conninfo or say why not. */
PGconn *ctl_connect(const struct ctl_options *o);
/* Run a statement; on error print the server's message. Returns 0/-1. */
int ctl_exec(PGconn *conn, const char *sql);
/* Run SQL text; on error print it with file name and line. Returns 0/-1. */
int ctl_exec_file_text(PGconn *conn, const char *file, const char *sql);
/* Read a whole file (NUL-terminated, malloc'd). */
char *ctl_read_file(const char *path, size_t *len);

#endif
