/* linksctl.c — administration: schema migrations, demo data, plugin checks. */
#include "build-config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "ctl.h"

static void usage(FILE *out)
{
    fprintf(out,
            "usage: linksctl [-c CONFIG] [-d CONNINFO] [-s SHARE_DIR] COMMAND [ARGS]\n"
            "\n"
            "commands:\n"
            "  migrate [--status]            apply schema migrations (each in a transaction)\n"
            "  demo-data [--services N] [--seed S]\n"
            "                                load reference data, demo services and demo staff\n"
            "  demo-activity [--signposts N] [--referrals N] [--seed S]\n"
            "                                add a made-up year of signposts and referrals (after demo-data)\n"
            "  report-summaries              rebuild the monthly counts that keep reports fast (run daily)\n"
            "  create-admin USERNAME [NAME]  create (or reset and unlock) a system administrator;\n"
            "                                the password is asked for, or read as one line from stdin\n"
            "  plugin-check FILE             show a plugin's name, version and ABI, or why it is refused\n"
            "  export hsds [--board CODE] [--format json|csv] [--output FILE|DIR]\n"
            "                                the directory in Open Referral HSDS 3.0: one JSON document,\n"
            "                                or the CSV datapackage (a directory)\n"
            "  import --board CODE [--format hsds|hsds-csv|aliss] PATH\n"
            "                                load HSDS JSON or CSV, or the ALISS CSV export, into a board's directory\n"
            "  sql resolve | sql search VARIANT\n"
            "                                print the SQL linksd prepares (for benchmarks)\n"
            "\n"
            "  -c CONFIG    linksd.conf; its database.admin_conninfo is used (default " LINKS_SYSCONF_FILE ")\n"
            "  -d CONNINFO  connect as the schema owner with this libpq conninfo instead\n"
            "  -s DIR       directory holding schema/ (default " LINKS_DATADIR ")\n");
}

int main(int argc, char **argv)
{
    struct ctl_options o = { LINKS_SYSCONF_FILE, NULL, LINKS_DATADIR };
    if (argc > 1 && strcmp(argv[1], "--help") == 0) {
        usage(stdout);
        return 0;
    }
    int opt;
    int config_given = 0;
    while ((opt = getopt(argc, argv, "+c:d:s:h")) != -1) {
        switch (opt) {
        case 'c': o.config_path = optarg; config_given = 1; break;
        case 'd': o.conninfo = optarg; break;
        case 's': o.share_dir = optarg; break;
        case 'h': usage(stdout); return 0;
        default: usage(stderr); return 2;
        }
    }
    if (optind >= argc) {
        usage(stderr);
        return 2;
    }
    const char *command = argv[optind];
    int sub_argc = argc - optind;
    char **sub_argv = argv + optind;

    if (strcmp(command, "plugin-check") == 0)
        return ctl_plugin_check(sub_argc, sub_argv);
    if (strcmp(command, "sql") == 0)
        return ctl_sql(sub_argc, sub_argv);

    struct links_config cfg;
    int have_cfg = 0;
    if (o.conninfo == NULL) {
        char err[1024];
        if (links_config_load(o.config_path, &cfg, err, sizeof err) < 0) {
            fprintf(stderr, "linksctl: %s\n%s", err,
                    config_given ? "" : "linksctl: give -c CONFIG or -d CONNINFO\n");
            return 2;
        }
        have_cfg = 1;
        o.conninfo = cfg.admin_conninfo ? cfg.admin_conninfo : cfg.conninfo;
    }
    int rc;
    if (strcmp(command, "migrate") == 0)
        rc = ctl_migrate(&o, sub_argc, sub_argv);
    else if (strcmp(command, "demo-data") == 0)
        rc = ctl_demo_data(&o, sub_argc, sub_argv);
    else if (strcmp(command, "demo-activity") == 0)
        rc = ctl_demo_activity(&o, sub_argc, sub_argv);
    else if (strcmp(command, "report-summaries") == 0)
        rc = ctl_report_summaries(&o, sub_argc, sub_argv);
    else if (strcmp(command, "export") == 0)
        rc = ctl_export(&o, sub_argc, sub_argv);
    else if (strcmp(command, "import") == 0)
        rc = ctl_import(&o, sub_argc, sub_argv);
    else if (strcmp(command, "create-admin") == 0)
        rc = ctl_create_admin(&o, sub_argc, sub_argv);
    else {
        fprintf(stderr, "linksctl: unknown command \"%s\"\n", command);
        usage(stderr);
        rc = 2;
    }
    if (have_cfg)
        links_config_free(&cfg);
    return rc;
}
