/* ctl_report.c — rebuild the monthly report summaries (schema 0016): the
 * months before the current one, every board, in one transaction. Reports
 * are exact without them, and fast with them; run daily (deploy/systemd). */
#include <stdio.h>
#include <string.h>

#include "ctl.h"

int ctl_report_summaries(const struct ctl_options *o, int argc, char **argv)
{
    (void)argv;
    if (argc != 1) {
        fprintf(stderr, "usage: linksctl report-summaries\n");
        return 2;
    }
    PGconn *conn = ctl_connect(o);
    if (conn == NULL)
        return 1;
    PGresult *r = PQexec(conn, "SELECT b.slug, s.through, s.signposts, s.referrals"
                               "  FROM report_summaries_build() s JOIN board b ON b.id = s.board_id ORDER BY b.slug");
    int rc = PQresultStatus(r) == PGRES_TUPLES_OK ? 0 : 1;
    if (rc != 0)
        fprintf(stderr, "linksctl: report summaries not built: %s", PQresultErrorMessage(r));
    for (int i = 0; rc == 0 && i < PQntuples(r); i++)
        printf("%-8s months before %s: %s signposts, %s referrals summarised\n", PQgetvalue(r, i, 0),
               PQgetvalue(r, i, 1), PQgetvalue(r, i, 2), PQgetvalue(r, i, 3));
    PQclear(r);
    PQfinish(conn);
    return rc;
}
