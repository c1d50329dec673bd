/* ctl_staff.c — accounts made from the command line: the first system
 * administrator (`linksctl create-admin`), and the demo staff that
 * `linksctl demo-data` gives each board (one account per role). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "auth.h"
#include "authz.h"
#include "ctl.h"

/* Run as the owner, who is not subject to row-level security, so the board
 * is named in every statement. Re-running enables, unlocks and resets the
 * account: a way back in for an administrator who is locked out. */
static const char upsert_sql[] =
    "INSERT INTO staff (board_id, username, display_name, role, practice_id, password_hash,"
    " must_change_password)"
    " VALUES ((SELECT id FROM board WHERE slug = $1), $2, $3, $4,"
    "  (SELECT p.id FROM practice p JOIN board b ON b.id = p.board_id WHERE b.slug = $1"
    "    AND $5::boolean ORDER BY p.has_links_worker DESC, p.code LIMIT 1), $6, false)"
    " ON CONFLICT (board_key, username) DO UPDATE SET display_name = EXCLUDED.display_name,"
    "  role = EXCLUDED.role, practice_id = EXCLUDED.practice_id, password_hash = EXCLUDED.password_hash,"
    "  must_change_password = false, failed_sign_ins = 0, locked_until = NULL, disabled_at = NULL,"
    "  updated_at = now()"
    " RETURNING id";

static int upsert(PGconn *conn, const char *board_slug, const char *username, const char *name,
                  const char *role, int with_practice, const char *password)
{
    char hash[128];
    if (links_password_hash(password, hash) != 0) {
        fprintf(stderr, "linksctl: cannot hash the password (out of memory?)\n");
        return -1;
    }
    const char *v[6] = { board_slug, username, name, role, with_practice ? "true" : "false", hash };
    PGresult *r = PQexecParams(conn, upsert_sql, 6, NULL, v, NULL, NULL, 0);
    int ok = PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1;
    if (!ok)
        fprintf(stderr, "linksctl: cannot create %s: %s", username, PQresultErrorMessage(r));
    PQclear(r);
    return ok ? 0 : -1;
}

int ctl_demo_staff(PGconn *conn)
{
    static const struct { const char *suffix; const char *role; int practice; } demo[] = {
        { "receptionist", "receptionist", 1 }, { "nurse", "practice_nurse", 1 }, { "gp", "gp", 1 },
        { "linksworker", "links_worker", 1 }, { "champion", "champion", 0 }, { "admin", "board_admin", 0 },
    };
    PGresult *boards = PQexec(conn, "SELECT slug, name FROM board WHERE id IN (SELECT board_id FROM practice)"
                                    " ORDER BY slug");
    if (PQresultStatus(boards) != PGRES_TUPLES_OK) {
        fprintf(stderr, "linksctl: %s", PQresultErrorMessage(boards));
        PQclear(boards);
        return -1;
    }
    int rc = 0;
    for (int b = 0; b < PQntuples(boards) && rc == 0; b++) {
        const char *slug = PQgetvalue(boards, b, 0);
        for (size_t i = 0; i < sizeof demo / sizeof demo[0] && rc == 0; i++) {
            char username[80], name[120];
            snprintf(username, sizeof username, "%s.%s", slug, demo[i].suffix);
            snprintf(name, sizeof name, "Demo %s (%s)", links_role_label(links_role_parse(demo[i].role)), slug);
            rc = upsert(conn, slug, username, name, demo[i].role, demo[i].practice, CTL_DEMO_PASSWORD);
        }
    }
    PQclear(boards);
    if (rc == 0)
        rc = upsert(conn, NULL, "admin", "Demo system administrator", "system_admin", 0, CTL_DEMO_PASSWORD);
    return rc;
}

/* A password from the terminal (asked twice, not echoed) or one line of
 * standard input. */
static char *read_password(void)
{
    static char first[1100], second[1100];
    int tty = isatty(STDIN_FILENO);
    struct termios saved, quiet;
    for (int attempt = 0; attempt < (tty ? 2 : 1); attempt++) {
        char *buf = attempt == 0 ? first : second;
        if (tty) {
            fprintf(stderr, attempt == 0 ? "Password (at least 12 characters): " : "Again: ");
            tcgetattr(STDIN_FILENO, &saved);
            quiet = saved;
            quiet.c_lflag &= ~(tcflag_t)ECHO;
            tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
        }
        char *got = fgets(buf, sizeof first, stdin);
        if (tty) {
            tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved);
            fputc('\n', stderr);
        }
        if (got == NULL)
            return NULL;
        buf[strcspn(buf, "\r\n")] = '\0';
    }
    if (tty && strcmp(first, second) != 0) {
        fprintf(stderr, "linksctl: the two passwords differ\n");
        return NULL;
    }
    return first;
}

int ctl_create_admin(const struct ctl_options *o, int argc, char **argv)
{
    if (argc < 2 || argc > 3) {
        fprintf(stderr, "usage: linksctl create-admin USERNAME [\"DISPLAY NAME\"]\n"
                        "  (the password is asked for, or read as one line from standard input)\n");
        return 2;
    }
    const char *username = argv[1];
    const char *name = argc == 3 ? argv[2] : "System administrator";
    char *password = read_password();
    if (password == NULL) {
        fprintf(stderr, "linksctl: no password given\n");
        return 2;
    }
    const char *problem = links_password_problem(password);
    if (problem != NULL) {
        fprintf(stderr, "linksctl: the password %s\n", problem);
        return 2;
    }
    PGconn *conn = ctl_connect(o);
    if (conn == NULL)
        return 1;
    int rc = upsert(conn, NULL, username, name, "system_admin", 0, password);
    if (rc == 0)
        printf("system administrator \"%s\" is ready: sign in with it as a system administrator in the web front end\n", username);
    PQfinish(conn);
    return rc == 0 ? 0 : 1;
}
