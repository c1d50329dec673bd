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
 *  $14 tier of everything else (the number of preferences)
 *  Narrowing (NULL or false: not asked for):
 *  $15 open at this moment   $16 the patient's age   $17 free only
 *  $18 accepting referrals now
 *  $19 the origin's area codes ("council:S12000049", "district:G12",
 *      "board:S08000031", "scotland:S92000003"): service areas that cover it
 *  $20 order within a tier: "reviewed", "relevance", or NULL (nearest with
 *      an origin, most relevant with words, else by name)
 *  Stable pages:
 *  $21 a new token to keep the order under when there is more than a page
 *      (the search), or the kept search's token (a later page)
 *  $22 the search's fingerprint   $23 the corrected text, if any */
#define LINKS_SEARCH_NPARAMS 23

enum links_search_filter {
    LINKS_SEARCH_TEXT = 1,
    LINKS_SEARCH_CATEGORY = 2,
    LINKS_SEARCH_ORIGIN = 4
};
#define LINKS_SEARCH_VARIANTS 8

/* Statement name and SQL of a variant (a bitwise OR of the filters):
 * columns total, cursor (the token when the order was kept), items. */
const char *links_search_statement_name(int variant);
const char *links_search_sql(int variant);

/* A later page of a kept search, with or without an origin: columns
 * total (NULL: no such search), corrected, items. */
const char *links_search_page_statement_name(int origin);
const char *links_search_page_sql(int origin);

/* Other statements used by search. */
extern const char links_search_resolve_sql[];    /* $1 kind, $2 place, $3 category slug, $4 q */
extern const char links_search_spell_sql[];      /* $1 q */
extern const char links_search_detail_sql[];     /* $1 service id */
extern const char links_categories_sql[];

/* Register every search statement with the database layer. */
int links_search_register(void);

#endif
