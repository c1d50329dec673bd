/* db.c — per-thread connection, prepared statements, board-scoped queries. */
#include "db.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "log.h"

#define MAX_STATEMENTS 128

/* Filled at process start before threads exist; read-only afterwards. */
static struct links_statement statements[MAX_STATEMENTS];
static int nstatements;

/* Sets the board for this transaction only. An unknown board is an error
 * (division by zero, SQLSTATE 22012), not an empty setting: in a pipeline
 * the statement after it is then not run at all, instead of running with
 * no board set (which is the deployment's scope). */
static const char set_board_sql[] =
    "SELECT set_config('app.board_id', (SELECT id::text FROM board WHERE code = $1), true),"
    " 1 / (SELECT count(*)::int FROM board WHERE code = $1)";
#define UNKNOWN_BOARD_SQLSTATE "22012"

struct links_db {
    PGconn *conn;
    char *conninfo;
    double retry_max_s;
    int statement_timeout_ms;
    double backoff_s;           /* current delay between attempts */
    double next_attempt;        /* monotonic seconds */
};

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int links_db_register(const struct links_statement *stmt)
{
    if (nstatements == MAX_STATEMENTS)
        return -1;
    for (int i = 0; i < nstatements; i++)
        if (strcmp(statements[i].name, stmt->name) == 0) {
            statements[i] = *stmt;
            return 0;
        }
    statements[nstatements++] = *stmt;
    return 0;
}

int links_db_register_all(const struct links_statement *stmts, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (links_db_register(&stmts[i]) < 0)
            return -1;
    return 0;
}

const struct links_statement *links_db_statement(const char *name)
{
    for (int i = 0; i < nstatements; i++)
        if (strcmp(statements[i].name, name) == 0)
            return &statements[i];
    return NULL;
}

struct links_db *links_db_new(const char *conninfo, double retry_max_s, int statement_timeout_ms)
{
    struct links_db *db = calloc(1, sizeof *db);
    if (db == NULL)
        return NULL;
    db->conninfo = strdup(conninfo);
    if (db->conninfo == NULL) {
        free(db);
        return NULL;
    }
    db->retry_max_s = retry_max_s;
    db->statement_timeout_ms = statement_timeout_ms;
    return db;
}

static void disconnect(struct links_db *db)
{
    if (db->conn != NULL) {
        PQfinish(db->conn);
        db->conn = NULL;
    }
}

void links_db_free(struct links_db *db)
{
    if (db == NULL)
        return;
    disconnect(db);
    free(db->conninfo);
    free(db);
}

static void schedule_retry(struct links_db *db)
{
    db->backoff_s = db->backoff_s <= 0 ? 0.05 : fmin(db->backoff_s * 2, db->retry_max_s);
    db->next_attempt = now_s() + db->backoff_s;
}

double links_db_retry_in(const struct links_db *db)
{
    if (db->conn != NULL)
        return 0;
    double d = db->next_attempt - now_s();
    return d > 0 ? d : 0;
}

static int exec_ok(PGconn *conn, const char *sql)
{
    PGresult *r = PQexec(conn, sql);
    int ok = PQresultStatus(r) == PGRES_COMMAND_OK || PQresultStatus(r) == PGRES_TUPLES_OK;
    if (!ok)
        links_error("database: %s: %s", sql, PQerrorMessage(conn));
    PQclear(r);
    return ok;
}

static int prepare_all(struct links_db *db)
{
    char session[512];
    snprintf(session, sizeof session,
             "SET statement_timeout = %d; SET client_min_messages = warning; "
             "SET application_name = 'linksd'; "
             /* Planning the search statements costs more than running
              * them (1.5-5 ms against under 1 ms), and their generic plans
              * have the shape the custom ones have: plan once. */
             "SET plan_cache_mode = force_generic_plan; "
             /* JIT compiling costs more than it saves on these statements
              * (a report's 0.3 s became 1.6 s: the planner's estimates
              * for report joins run into the millions). */
             "SET jit = off",
             db->statement_timeout_ms);
    if (!exec_ok(db->conn, session))
        return -1;
    PGresult *r = PQprepare(db->conn, "links_set_board", set_board_sql, 1, NULL);
    int ok = PQresultStatus(r) == PGRES_COMMAND_OK;
    PQclear(r);
    if (!ok) {
        links_error("database: cannot prepare links_set_board: %s", PQerrorMessage(db->conn));
        return -1;
    }
    for (int i = 0; i < nstatements; i++) {
        const struct links_statement *s = &statements[i];
        r = PQprepare(db->conn, s->name, s->sql, s->nparams, s->param_types);
        ok = PQresultStatus(r) == PGRES_COMMAND_OK;
        PQclear(r);
        if (!ok) {
            links_error("database: cannot prepare %s: %s", s->name, PQerrorMessage(db->conn));
            return -1;
        }
    }
    return 0;
}

enum links_db_status links_db_connect(struct links_db *db)
{
    if (db->conn != NULL && PQstatus(db->conn) == CONNECTION_OK)
        return LINKS_DB_OK;
    disconnect(db);
    if (now_s() < db->next_attempt)
        return LINKS_DB_UNAVAILABLE;
    db->conn = PQconnectdb(db->conninfo);
    if (PQstatus(db->conn) != CONNECTION_OK) {
        /* The first line is enough: libpq repeats itself per address tried. */
        char msg[256];
        snprintf(msg, sizeof msg, "%s", PQerrorMessage(db->conn));
        msg[strcspn(msg, "\n")] = '\0';
        disconnect(db);
        schedule_retry(db);
        links_warn("database: cannot connect (next try in %.2fs): %s", db->backoff_s, msg);
        return LINKS_DB_UNAVAILABLE;
    }
    if (prepare_all(db) < 0) {
        disconnect(db);
        schedule_retry(db);
        return LINKS_DB_UNAVAILABLE;
    }
    if (db->backoff_s > 0)
        links_info("database: connected again");
    db->backoff_s = 0;
    db->next_attempt = 0;
    return LINKS_DB_OK;
}

static void clear_result(void *r)
{
    PQclear(r);
}

static const char *arena_copy(struct links_arena *arena, const char *s)
{
    const char *c = s ? links_arena_strdup(arena, s) : NULL;
    return c ? c : "";
}

/* Collect every result up to the pipeline's sync. The board check comes
 * first, then the statement. */
static enum links_db_status collect(struct links_db *db, struct links_arena *arena, int with_board, int discard,
                                    PGresult **result, const char **sqlstate, const char **message)
{
    enum links_db_status status = LINKS_DB_OK;
    PGresult *kept = NULL;
    int stage = with_board ? 0 : 1;     /* 0 = board check, 1 = statement */
    for (;;) {
        PGresult *r = PQgetResult(db->conn);
        if (r == NULL) {
            if (PQstatus(db->conn) != CONNECTION_OK) {
                status = LINKS_DB_UNAVAILABLE;
                break;
            }
            stage++;                    /* end of one query's results */
            continue;
        }
        ExecStatusType st = PQresultStatus(r);
        if (st == PGRES_PIPELINE_SYNC) {
            PQclear(r);
            break;
        }
        if (st == PGRES_FATAL_ERROR || st == PGRES_NONFATAL_ERROR || st == PGRES_BAD_RESPONSE) {
            if (status == LINKS_DB_OK) {
                const char *state = PQresultErrorField(r, PG_DIAG_SQLSTATE);
                *sqlstate = arena_copy(arena, state);
                *message = arena_copy(arena, PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY));
                status = PQstatus(db->conn) != CONNECTION_OK || state == NULL ||
                                 strncmp(state, "08", 2) == 0 || strncmp(state, "57P", 3) == 0
                             ? LINKS_DB_UNAVAILABLE
                         : stage == 0 && strcmp(state, UNKNOWN_BOARD_SQLSTATE) == 0 ? LINKS_DB_NO_BOARD
                                                                                     : LINKS_DB_ERROR;
            }
            PQclear(r);
            if (PQstatus(db->conn) != CONNECTION_OK)
                break;
            continue;
        }
        if (st == PGRES_PIPELINE_ABORTED) {
            PQclear(r);
            continue;
        }
        if (stage == 0) {
            const char *id = PQntuples(r) == 1 ? PQgetvalue(r, 0, 0) : "";
            if (status == LINKS_DB_OK && id[0] == '\0')
                status = LINKS_DB_NO_BOARD;
            PQclear(r);
        } else if (st == PGRES_TUPLES_OK && discard > 0) {
            discard--;                  /* a setting's answer, not the statement's */
            PQclear(r);
        } else if (kept == NULL && st == PGRES_TUPLES_OK) {
            kept = r;
        } else {
            PQclear(r);
        }
    }
    if (PQstatus(db->conn) == CONNECTION_OK && PQpipelineStatus(db->conn) != PQ_PIPELINE_OFF &&
        PQexitPipelineMode(db->conn) != 1)
        status = LINKS_DB_UNAVAILABLE;
    if (status != LINKS_DB_OK || kept == NULL) {
        PQclear(kept);
        if (status == LINKS_DB_OK)
            status = LINKS_DB_UNAVAILABLE;
        return status;
    }
    if (links_arena_on_reset(arena, clear_result, kept) < 0) {
        PQclear(kept);
        return LINKS_DB_UNAVAILABLE;
    }
    *result = kept;
    return LINKS_DB_OK;
}

/* Reports group and sort a board-year in memory rather than on disk;
 * only their transactions get this much (links_db_query_planned). */
#define LINKS_REPORT_WORK_MEM "32MB"

static enum links_db_status run_once(struct links_db *db, struct links_arena *arena, int plan_each_run,
                                     const char *board_code, const char *name, const char *sql,
                                     int nparams, const char *const *values, PGresult **result,
                                     const char **sqlstate, const char **message)
{
    enum links_db_status st = links_db_connect(db);
    if (st != LINKS_DB_OK)
        return st;
    int sent = PQenterPipelineMode(db->conn);
    if (sent && board_code != NULL)
        sent = PQsendQueryPrepared(db->conn, "links_set_board", 1, &board_code, NULL, NULL, 0);
    /* set_config(..., true): for this pipeline's implicit transaction
     * (SET LOCAL would need an explicit one) */
    if (sent && plan_each_run)
        sent = PQsendQueryParams(db->conn,
                                 "SELECT set_config('plan_cache_mode', 'force_custom_plan', true),"
                                 " set_config('work_mem', '" LINKS_REPORT_WORK_MEM "', true)",
                                 0, NULL, NULL, NULL, NULL, 0);
    if (sent && sql != NULL)
        sent = PQsendQueryParams(db->conn, "SET TRANSACTION READ ONLY", 0, NULL, NULL, NULL, NULL, 0) &&
               PQsendQueryParams(db->conn, sql, nparams, NULL, values, NULL, NULL, 0);
    else if (sent)
        sent = PQsendQueryPrepared(db->conn, name, nparams, values, NULL, NULL, 0);
    if (sent)
        sent = PQpipelineSync(db->conn) && PQflush(db->conn) == 0;
    if (!sent) {
        *sqlstate = "08000";
        *message = arena_copy(arena, PQerrorMessage(db->conn));
        return LINKS_DB_UNAVAILABLE;
    }
    return collect(db, arena, board_code != NULL, plan_each_run, result, sqlstate, message);
}

static enum links_db_status run(struct links_db *db, struct links_arena *arena, int plan_each_run, const char *board_code,
                                const char *name, const char *sql, int nparams,
                                const char *const *values, PGresult **result,
                                const char **sqlstate, const char **message)
{
    static const char *const none = "";
    *sqlstate = none;
    *message = none;
    int was_connected = db->conn != NULL;
    enum links_db_status st = run_once(db, arena, plan_each_run, board_code, name, sql, nparams, values, result,
                                       sqlstate, message);
    if (st == LINKS_DB_UNAVAILABLE) {
        /* A connection that died while idle (server restart) is found out
         * only now: reconnect once and retry at once, so the first request
         * after an outage does not fail needlessly. Statements sent this
         * way are reads, or writes that may repeat (marking a session
         * used, an audit record of a refused request): changes that must
         * happen once go through links_db_begin, which never retries a
         * statement. */
        disconnect(db);
        if (was_connected) {
            db->next_attempt = 0;
            st = run_once(db, arena, plan_each_run, board_code, name, sql, nparams, values, result, sqlstate,
                          message);
            if (st == LINKS_DB_UNAVAILABLE)
                disconnect(db);
        }
        if (db->conn == NULL && db->next_attempt <= now_s())
            schedule_retry(db);
    }
    return st;
}

enum links_db_status links_db_query(struct links_db *db, struct links_arena *arena,
                                    const char *board_code, const char *name, int nparams,
                                    const char *const *values, PGresult **result,
                                    const char **sqlstate, const char **message)
{
    return run(db, arena, 0, board_code, name, NULL, nparams, values, result, sqlstate, message);
}

enum links_db_status links_db_query_planned(struct links_db *db, struct links_arena *arena, const char *board_code,
                                            const char *name, int nparams, const char *const *values,
                                            PGresult **result, const char **sqlstate, const char **message)
{
    return run(db, arena, 1, board_code, name, NULL, nparams, values, result, sqlstate, message);
}

enum links_db_status links_db_query_sql(struct links_db *db, struct links_arena *arena,
                                        const char *board_code, const char *sql, int nparams,
                                        const char *const *values, PGresult **result,
                                        const char **sqlstate, const char **message)
{
    return run(db, arena, 0, board_code, NULL, sql, nparams, values, result, sqlstate, message);
}

/* The outcome of one statement inside a transaction. */
static enum links_db_status tx_result(struct links_db *db, struct links_arena *arena, PGresult *r,
                                      PGresult **result, const char **sqlstate, const char **message)
{
    ExecStatusType st = PQresultStatus(r);
    if (st == PGRES_TUPLES_OK || st == PGRES_COMMAND_OK) {
        if (result == NULL) {
            PQclear(r);
            return LINKS_DB_OK;
        }
        if (links_arena_on_reset(arena, clear_result, r) < 0) {
            PQclear(r);
            return LINKS_DB_UNAVAILABLE;
        }
        *result = r;
        return LINKS_DB_OK;
    }
    /* Copied before PQclear: the fields live in the result. */
    const char *field = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
    int no_state = field == NULL;
    const char *state = arena_copy(arena, no_state ? "08000" : field);
    *sqlstate = state;
    *message = arena_copy(arena, r ? PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY)
                                   : PQerrorMessage(db->conn));
    PQclear(r);
    if (PQstatus(db->conn) != CONNECTION_OK || no_state || strncmp(state, "08", 2) == 0 ||
        strncmp(state, "57P", 3) == 0) {
        disconnect(db);
        schedule_retry(db);
        return LINKS_DB_UNAVAILABLE;
    }
    return LINKS_DB_ERROR;
}

static enum links_db_status begin_once(struct links_db *db, struct links_arena *arena,
                                       const char *board_code, const char **sqlstate,
                                       const char **message)
{
    enum links_db_status st = links_db_connect(db);
    if (st != LINKS_DB_OK)
        return st;
    st = tx_result(db, arena, PQexec(db->conn, "BEGIN"), NULL, sqlstate, message);
    if (st != LINKS_DB_OK || board_code == NULL)
        return st;
    PGresult *r;
    st = tx_result(db, arena, PQexecPrepared(db->conn, "links_set_board", 1, &board_code, NULL, NULL, 0),
                   &r, sqlstate, message);
    if (st == LINKS_DB_ERROR && strcmp(*sqlstate, UNKNOWN_BOARD_SQLSTATE) == 0)
        st = LINKS_DB_NO_BOARD;
    if (st != LINKS_DB_OK && db->conn != NULL)
        links_db_rollback(db);
    return st;
}

enum links_db_status links_db_begin(struct links_db *db, struct links_arena *arena,
                                    const char *board_code, const char **sqlstate,
                                    const char **message)
{
    static const char *const none = "";
    *sqlstate = none;
    *message = none;
    int was_connected = db->conn != NULL;
    enum links_db_status st = begin_once(db, arena, board_code, sqlstate, message);
    /* Nothing has been done yet: a connection that died while idle is
     * replaced and the transaction started again at once. */
    if (st == LINKS_DB_UNAVAILABLE && was_connected) {
        disconnect(db);
        db->next_attempt = 0;
        st = begin_once(db, arena, board_code, sqlstate, message);
    }
    return st;
}

enum links_db_status links_db_exec(struct links_db *db, struct links_arena *arena, const char *name,
                                   int nparams, const char *const *values, PGresult **result,
                                   const char **sqlstate, const char **message)
{
    if (db->conn == NULL)
        return LINKS_DB_UNAVAILABLE;
    return tx_result(db, arena, PQexecPrepared(db->conn, name, nparams, values, NULL, NULL, 0),
                     result, sqlstate, message);
}

enum links_db_status links_db_commit(struct links_db *db, struct links_arena *arena,
                                     const char **sqlstate, const char **message)
{
    if (db->conn == NULL)
        return LINKS_DB_UNAVAILABLE;
    PGresult *r = PQexec(db->conn, "COMMIT");
    /* COMMIT of a failed transaction "succeeds" as a ROLLBACK: refuse it. */
    if (PQresultStatus(r) == PGRES_COMMAND_OK && strcmp(PQcmdStatus(r), "COMMIT") != 0) {
        PQclear(r);
        *sqlstate = "25P02";
        *message = "the transaction was rolled back";
        return LINKS_DB_ERROR;
    }
    return tx_result(db, arena, r, NULL, sqlstate, message);
}

void links_db_rollback(struct links_db *db)
{
    if (db->conn == NULL)
        return;
    PGresult *r = PQexec(db->conn, "ROLLBACK");
    PQclear(r);
}
