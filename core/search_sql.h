/* search_sql.h — the SQL behind resource search, built once per process.
 * There is one prepared variant per combination of filters, so each can use
 * the indexes that fit it (a generic plan for "$1 IS NULL OR ..." could
 * not). linksctl prints them for the benchmark, which runs the very same
 * SQL in pgbench. */
#ifndef LINKS_SEARCH_SQL_H
#define LINKS_SEARCH_SQL_H

/* Parameters shared by every variant (unused ones are ignored):
 *  $1 q as a tsquery      $2 category id (uuid)   $3 origin lat   $4 origin lon
 *  $5 radius km           $6 limit                $7 offset
 *  Ranking: each preference's tier, NULL when the plugin did not ask for it:
 *  $8 tier of free services   $9 tier of services in council $10
 *  $11 tier of services in the postcode areas $12 (text[], "!" excludes)
 *  $13 tier of board-wide and national services
 *  $14 tier of everything else (the number of preferences) */
#define LINKS_SEARCH_NPARAMS 14

enum links_search_filter {
    LINKS_SEARCH_TEXT = 1,
    LINKS_SEARCH_CATEGORY = 2,
    LINKS_SEARCH_ORIGIN = 4
};
#define LINKS_SEARCH_VARIANTS 8

/* Statement name and SQL of a variant (a bitwise OR of the filters). */
const char *links_search_statement_name(int variant);
const char *links_search_sql(int variant);

/* Other statements used by search. */
extern const char links_search_resolve_sql[];    /* $1 kind, $2 place, $3 category slug, $4 q */
extern const char links_search_spell_sql[];      /* $1 q */
extern const char links_search_detail_sql[];     /* $1 service id */
extern const char links_categories_sql[];

/* Register every search statement with the database layer. */
int links_search_register(void);

#endif
