/* db.h — one PostgreSQL connection per worker thread: statements prepared
 * once per connection, every board-scoped query run in a transaction that
 * first sets app.board_id (row-level security), and a broken connection
 * re-established with backoff while requests get a quick 503. */
#ifndef LINKS_DB_H
#define LINKS_DB_H

#include <libpq-fe.h>
#include <stddef.h>

#include "arena.h"

enum links_db_status {
    LINKS_DB_OK = 0,
    LINKS_DB_UNAVAILABLE,       /* no connection (now): answer 503 */
    LINKS_DB_NO_BOARD,          /* the board is not in the database */
    LINKS_DB_ERROR              /* the statement failed: see message */
};

/* A statement every connection prepares. Parameter types are given so a
 * statement may leave some parameters unused (search variants do). */
struct links_statement {
    const char *name;
    const char *sql;
    int nparams;
    const Oid *param_types;     /* NULL: inferred */
};

#define LINKS_OID_BOOL 16
#define LINKS_OID_INT4 23
#define LINKS_OID_TEXT 25
#define LINKS_OID_FLOAT8 701
#define LINKS_OID_TEXT_ARRAY 1009
#define LINKS_OID_TIMESTAMPTZ 1184
#define LINKS_OID_NUMERIC 1700
#define LINKS_OID_UUID 2950
#define LINKS_OID_TSQUERY 3615

/* Register before any connection is made (at process start). */
int links_db_register(const struct links_statement *stmt);
const struct links_statement *links_db_statement(const char *name);
/* Register each of n statements; -1 if the table is full. */
int links_db_register_all(const struct links_statement *stmts, size_t n);

struct links_db;

struct links_db *links_db_new(const char *conninfo, double retry_max_s, int statement_timeout_ms);
void links_db_free(struct links_db *db);

/* Connect now if disconnected and the backoff allows. */
enum links_db_status links_db_connect(struct links_db *db);

/* Run prepared statement `name` with text parameters (NULL = SQL NULL).
 * With board_code non-NULL, runs it in one transaction after setting the
 * board for row-level security (one round trip, libpq pipeline mode).
 * The result is freed with the arena. On LINKS_DB_ERROR, *sqlstate and
 * *message (arena strings) say why. */
enum links_db_status links_db_query(struct links_db *db, struct links_arena *arena,
                                    const char *board_code, const char *name, int nparams,
                                    const char *const *values, PGresult **result,
                                    const char **sqlstate, const char **message);

/* The same, planned for these very parameters rather than with the
 * connection's generic plan: for reports, whose best plan depends on how
 * long the period is (a year of signposts: hash joins; a week: index
 * lookups) and whose planning time is small beside their run time. */
enum links_db_status links_db_query_planned(struct links_db *db, struct links_arena *arena, const char *board_code,
                                            const char *name, int nparams, const char *const *values,
                                            PGresult **result, const char **sqlstate, const char **message);

/* The same for SQL text (plugins' host->query). Read-only: runs in a
 * transaction that is set READ ONLY. */
enum links_db_status links_db_query_sql(struct links_db *db, struct links_arena *arena,
                                        const char *board_code, const char *sql, int nparams,
                                        const char *const *values, PGresult **result,
                                        const char **sqlstate, const char **message);

/* Transactions of several statements, for changes that must land together
 * (a change and its audit record). begin sets the board as
 * links_db_query does (board_code NULL: the deployment's rows only);
 * exec runs a prepared statement and returns TUPLES_OK or COMMAND_OK
 * results (freed with the arena); after any failure the caller calls
 * rollback. Only when commit returns LINKS_DB_OK has the change landed. */
enum links_db_status links_db_begin(struct links_db *db, struct links_arena *arena,
                                    const char *board_code, const char **sqlstate,
                                    const char **message);
enum links_db_status links_db_exec(struct links_db *db, struct links_arena *arena, const char *name,
                                   int nparams, const char *const *values, PGresult **result,
                                   const char **sqlstate, const char **message);
enum links_db_status links_db_commit(struct links_db *db, struct links_arena *arena,
                                     const char **sqlstate, const char **message);
void links_db_rollback(struct links_db *db);

/* Seconds until the next reconnect attempt (0 when connected or due). */
double links_db_retry_in(const struct links_db *db);

#endif
