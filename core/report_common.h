/* report_common.h — what every report endpoint shares: its period
 * (?from=&to=, whole days in Europe/London), JSON or CSV (?format= or
 * Accept), whether the disclosure rule applies to who asks, counts as
 * shown under the rule, and CSV answers. */
#ifndef LINKS_REPORT_COMMON_H
#define LINKS_REPORT_COMMON_H

#include <jansson.h>
#include <stdio.h>

#include "api.h"

struct links_report_request {
    const char *from, *to;      /* YYYY-MM-DD, both set after links_report_begin */
    int csv;                    /* answer text/csv */
    int suppress;               /* apply the disclosure rule */
};

/* Check the query (from, to, format and the report's own `extra`
 * parameters, NULL-terminated; NULL for none), fill in the default period
 * (the 365 days to today) and decide CSV and suppression. Returns 0, or -1
 * after answering (400 naming the parameter, or a database failure). */
int links_report_begin(struct links_request *req, const struct links_route_args *a, const char *const *extra,
                       struct links_report_request *out);

/* A count as shown: the number, "<5" (LINKS_HIDDEN) or "*" (LINKS_HIDDEN_OTHER). */
json_t *links_report_count_json(long shown);
const char *links_report_count_text(struct links_request *req, long shown);

/* Hide what the rule hides in one table of counts and its total, when
 * `suppress`; otherwise copy. */
void links_report_table(int suppress, const long *counts, size_t n, long total, long *shown, long *shown_total);

/* One CSV field, quoted by libcsv, then "," or the row's end; text a
 * spreadsheet would run as a formula gets an apostrophe first. */
void links_report_csv_field(FILE *f, const char *text, int last);

/* Answer 200 text/csv with `text` (malloc'd, taken) as an attachment
 * named "{board}-{name}-{from}-to-{to}.csv". */
void links_report_respond_csv(struct links_request *req, const struct links_route_args *a,
                              const struct links_report_request *rq, const char *name, char *text, size_t len);

/* The board's practices with what reports show and plugins group them by
 * (a CTE named "practices"), and one of them as a row the reports share:
 * 'practice', id, code, name, list size, synthetic, signposts, referrals,
 * district, sector, SIMD decile (0 unknown), links worker. Practice rows of
 * report_practices (counts) and report_practice_list (none) have it. */
#define REPORT_PRACTICES_CTE \
    "practices AS MATERIALIZED (SELECT p.id, p.code, p.name, coalesce(p.list_size, 0) AS list_size, p.list_size_synthetic," \
    "        split_part(p.postcode, ' ', 1) AS district, left(p.postcode, length(p.postcode) - 2) AS sector," \
    "        dz.simd_decile, p.has_links_worker" \
    "   FROM practice p LEFT JOIN postcode pc ON pc.postcode = p.postcode LEFT JOIN data_zone dz ON dz.code = pc.data_zone" \
    "  WHERE" BOARD_FILTER("p") ")"
#define REPORT_PRACTICE_ROW(signposts, referrals) \
    "'practice' AS dimension, p.id::text AS key, p.code, p.name, p.list_size, p.list_size_synthetic," \
    " " signposts " AS signposts, " referrals " AS referrals," \
    " p.district, p.sector, coalesce(p.simd_decile, 0), p.has_links_worker"

/* A practice row (REPORT_PRACTICE_ROW) as the plugins' report hook sees it;
 * the strings are the result's. */
struct links_report_practice;
void links_report_practice_at(PGresult *r, int row, struct links_report_practice *out);

/* For a report narrowed to one group of practices (?group=, from the
 * board's plugin: api_report_regional.c): the practices the plugin puts in
 * the group named `wanted`, in any of its groupings, as a PostgreSQL
 * uuid[] literal (*members; NULL when `wanted` is NULL), and every grouping
 * with its group names (*groupings, a new reference: [{grouping, groups:
 * [name...]}], empty for a board without a report hook). Or, with
 * `practice` (a UUID) instead, that practice alone, after checking it is
 * one of the board's. Returns -1 after answering: 400 naming "group" or
 * "practice" for one the board does not have. */
int links_report_group_practices(struct links_request *req, const struct links_route_args *a, const char *wanted,
                                 const char *practice, const char **members, json_t **groupings);

#endif
