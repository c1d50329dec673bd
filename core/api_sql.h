/* api_sql.h — SQL fragments the staff endpoints share.
 *
 * BOARD_FILTER(alias) is the explicit board condition every board-owned
 * query carries. Row-level security enforces the same thing underneath:
 * the test build with -DLINKS_NO_BOARD_FILTER drops these conditions, and
 * the integration tests prove each board still sees only its own rows. */
#ifndef LINKS_API_SQL_H
#define LINKS_API_SQL_H

#ifdef LINKS_NO_BOARD_FILTER
#define BOARD_FILTER(alias) " true "
#else
#define BOARD_FILTER(alias) " " alias ".board_id IS NOT DISTINCT FROM current_board_id() "
#endif

/* An ISO 8601 UTC timestamp (or null) as JSON text. */
#define UTC(col) "to_char(" col " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"

#endif
