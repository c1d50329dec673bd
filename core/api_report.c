/* api_report.c — comparative rates: how often each practice signposts and
 * refers, per 1,000 registered patients, against the board's rate on a
 * funnel plot (funnel.h), and the same counts by staff role and by SIMD
 * quintile (of the practice's data zone for signposts, which carry no
 * patient; of the patient's home for referrals).
 *
 *   GET /api/v1/boards/{board}/reports/practices?from=YYYY-MM-DD&to=YYYY-MM-DD[&format=csv]
 *
 * The period, the format and who sees hidden counts: report_common.h.
 * Where the disclosure rule applies (disclosure.h), the rates and funnel
 * positions of hidden counts are hidden too (the list size would give the
 * count back). Signposts withdrawn as slips
 * are left out; referrals count once, where they were made (not the
 * referrals a links worker made on from them). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "api_sql.h"
#include "auth.h"
#include "authz.h"
#include "disclosure.h"
#include "funnel.h"
#include "report_common.h"
#include "search.h"
#include "validate.h"
#include "worker.h"

/* The period ($1..$2, whole days in Europe/London) in three parts: the
 * whole months that report_summary says are summarised (schema 0016),
 * [a0, a1), and the days before and after them, counted from the tables
 * themselves. When no whole summarised month falls in the period, a0 = a1
 * = its end and everything is counted from the tables. */
#define REPORT_PERIOD \
    "bounds AS MATERIALIZED (SELECT d.since_day, d.until_day," \
    "        CASE WHEN m.m0 < m.m1 THEN m.m0 ELSE d.until_day END AS m0," \
    "        CASE WHEN m.m0 < m.m1 THEN m.m1 ELSE d.until_day END AS m1" \
    "   FROM (SELECT $1::date AS since_day, $2::date + 1 AS until_day) d," \
    "   LATERAL (SELECT (date_trunc('month', (d.since_day - 1)::timestamp) + interval '1 month')::date AS m0," \
    "                   least(date_trunc('month', d.until_day::timestamp)::date," \
    "                         coalesce((SELECT rs.through FROM report_summary rs WHERE" BOARD_FILTER("rs") ")," \
    "                                  '-infinity'::date)) AS m1) m)," \
    " period AS MATERIALIZED (SELECT m0, m1," \
    "        since_day::timestamp AT TIME ZONE 'Europe/London' AS since, m0::timestamp AT TIME ZONE 'Europe/London' AS a0," \
    "        m1::timestamp AT TIME ZONE 'Europe/London' AS a1, until_day::timestamp AT TIME ZONE 'Europe/London' AS until" \
    "   FROM bounds)"

/* One statement: the period's signposts grouped by practice and staff
 * member and by subject, its referrals by practice, referrer and the
 * patient's SIMD quintile and by needs (each from the monthly summaries
 * and the unsummarised days; withdrawn signposts of summarised months
 * subtracted). The small grouped results then give every table of the
 * report, as rows tagged by dimension:
 *
 *   practice  each practice of the board: id, code, name, list size,
 *             synthetic, signposts, referrals, and what the regional report
 *             (api_report_regional.c) groups practices by: the postcode's
 *             district and sector, the SIMD decile of its data zone, an
 *             attached links worker (columns 8-11)
 *   role      who signposted or referred
 *   quintile  SIMD quintile: of the practice's data zone for signposts
 *             (they carry no patient), of the patient's home for referrals;
 *             1 is the most deprived fifth (deciles 1 and 2), NULL unknown
 *   need      the top-level category of need: a signpost's category, or
 *             each top-level category of its service; each of a referral's
 *             needs (a record counts once under each top-level category it
 *             names, so these rows can add up to more than the total);
 *             "links_worker" for signposts to the links worker, "none"
 *             for referrals naming no need and services without categories
 *
 * Columns: dimension, key, code, name or label, list size, synthetic,
 * signposts, referrals, district, sector, decile, links worker. Practice
 * rows first (by name), then each dimension's rows in a fixed order. */
static const char practices_sql[] =
    "WITH " REPORT_PERIOD ","
    " raw_signposts AS MATERIALIZED ("
    "   SELECT sp.practice_id, sp.staff_id, sp.category_id, sp.service_id, 1 AS n FROM signpost sp, period"
    "    WHERE" BOARD_FILTER("sp") " AND sp.withdrawn_at IS NULL AND sp.at >= period.since AND sp.at < period.a0"
    "   UNION ALL"
    "   SELECT sp.practice_id, sp.staff_id, sp.category_id, sp.service_id, 1 FROM signpost sp, period"
    "    WHERE" BOARD_FILTER("sp") " AND sp.withdrawn_at IS NULL AND sp.at >= period.a1 AND sp.at < period.until"
    "   UNION ALL"
    "   SELECT sp.practice_id, sp.staff_id, sp.category_id, sp.service_id, -1 FROM signpost sp, period"
    "    WHERE" BOARD_FILTER("sp") " AND sp.withdrawn_at IS NOT NULL AND sp.at >= period.a0 AND sp.at < period.a1),"
    " s AS MATERIALIZED (SELECT practice_id, staff_id, sum(n) AS n FROM ("
    "   SELECT practice_id, staff_id, n FROM raw_signposts"
    "   UNION ALL SELECT m.practice_id, m.staff_id, m.n FROM report_signpost_month m, period"
    "    WHERE" BOARD_FILTER("m") " AND m.month >= period.m0 AND m.month < period.m1) x GROUP BY 1, 2),"
    " s_subject AS MATERIALIZED (SELECT category_id, service_id, sum(n) AS n FROM ("
    "   SELECT category_id, service_id, n FROM raw_signposts"
    "   UNION ALL SELECT m.category_id, m.service_id, m.n FROM report_signpost_subject_month m, period"
    "    WHERE" BOARD_FILTER("m") " AND m.month >= period.m0 AND m.month < period.m1) x GROUP BY 1, 2),"
    " raw_referrals AS MATERIALIZED ("
    "   SELECT rf.practice_id, rf.referrer_id, rf.q, rf.needs, count(*) AS n"
    "     FROM (SELECT rf.practice_id, rf.referrer_id, rf.needs, rf.referred_on_from,"
    /* a lookup per referral: the unsummarised days are few */
    "                  (SELECT (dz.simd_decile + 1) / 2 FROM patient pt JOIN postcode pc ON pc.postcode = pt.postcode"
    "                     JOIN data_zone dz ON dz.code = pc.data_zone WHERE pt.id = rf.patient_id) AS q"
    "             FROM (SELECT rf.* FROM referral rf, period WHERE" BOARD_FILTER("rf")
    "                      AND rf.created_at >= period.since AND rf.created_at < period.a0"
    "                   UNION ALL"
    "                   SELECT rf.* FROM referral rf, period WHERE" BOARD_FILTER("rf")
    "                      AND rf.created_at >= period.a1 AND rf.created_at < period.until) rf) rf"
    "    WHERE rf.referred_on_from IS NULL"
    "    GROUP BY 1, 2, 3, 4),"
    " r AS MATERIALIZED (SELECT practice_id, referrer_id, q, sum(n) AS n FROM ("
    "   SELECT practice_id, referrer_id, q, n FROM raw_referrals"
    "   UNION ALL SELECT m.practice_id, m.referrer_id, m.quintile, m.n FROM report_referral_month m, period"
    "    WHERE" BOARD_FILTER("m") " AND m.month >= period.m0 AND m.month < period.m1) x GROUP BY 1, 2, 3),"
    " r_needs AS MATERIALIZED (SELECT needs, sum(n) AS n FROM ("
    "   SELECT needs, n FROM raw_referrals"
    "   UNION ALL SELECT m.needs, m.n FROM report_referral_needs_month m, period"
    "    WHERE" BOARD_FILTER("m") " AND m.month >= period.m0 AND m.month < period.m1) x GROUP BY 1),"
    " " REPORT_PRACTICES_CTE ","
    " signpost_needs AS MATERIALIZED (SELECT top, sum(n) AS n FROM ("
    "   SELECT c.lineage[1] AS top, s_subject.n FROM s_subject JOIN category c ON c.id = s_subject.category_id"
    "   UNION ALL SELECT tc.id, s_subject.n FROM s_subject JOIN service sv ON sv.id = s_subject.service_id"
    "        JOIN category tc ON tc.parent_id IS NULL AND tc.id = ANY (sv.category_lineage)"
    "   UNION ALL SELECT NULL, s_subject.n FROM s_subject JOIN service sv ON sv.id = s_subject.service_id"
    "        WHERE NOT EXISTS (SELECT 1 FROM category tc WHERE tc.parent_id IS NULL AND tc.id = ANY (sv.category_lineage))"
    "   ) x GROUP BY 1),"
    " referral_needs AS MATERIALIZED (SELECT top, sum(n) AS n FROM ("
    "   SELECT DISTINCT r_needs.needs, r_needs.n, c.lineage[1] AS top"
    "     FROM r_needs CROSS JOIN LATERAL unnest(r_needs.needs) need JOIN category c ON c.slug = need) x GROUP BY 1),"
    " needs AS (SELECT c.id, c.slug AS key, c.name AS label, 1 AS rank FROM category c WHERE c.parent_id IS NULL"
    "   UNION ALL VALUES (NULL::uuid, 'links_worker', 'The links worker', 2), (NULL, 'none', 'No category recorded', 3)),"
    " roles(key, rank) AS (VALUES ('receptionist', 1), ('practice_nurse', 2), ('gp', 3), ('links_worker', 4)),"
    " quintiles(q, key, rank) AS (VALUES (1, '1 (most deprived)', 1), (2, '2', 2), (3, '3', 3), (4, '4', 4),"
    "                                    (5, '5 (least deprived)', 5), (NULL, 'not known', 6))"
    " SELECT * FROM ("
    " SELECT " REPORT_PRACTICE_ROW("coalesce(ps.n, 0)", "coalesce(pr.n, 0)") ", 0 AS rank, p.name AS sort_name"
    "   FROM practices p"
    "   LEFT JOIN (SELECT practice_id, sum(n) AS n FROM s GROUP BY 1) ps ON ps.practice_id = p.id"
    "   LEFT JOIN (SELECT practice_id, sum(n) AS n FROM r GROUP BY 1) pr ON pr.practice_id = p.id"
    " UNION ALL"
    " SELECT 'role', roles.key, NULL, roles.key, NULL, NULL,"
    "        coalesce((SELECT sum(n) FROM s JOIN staff st ON st.id = s.staff_id WHERE st.role = roles.key), 0),"
    "        coalesce((SELECT sum(n) FROM r JOIN staff st ON st.id = r.referrer_id WHERE st.role = roles.key), 0),"
    "        NULL, NULL, NULL, NULL, 10 + roles.rank, NULL FROM roles"
    " UNION ALL"
    " SELECT 'quintile', quintiles.key, NULL, quintiles.key, NULL, NULL,"
    "        coalesce((SELECT sum(n) FROM s JOIN practices p ON p.id = s.practice_id"
    "                   WHERE (p.simd_decile + 1) / 2 IS NOT DISTINCT FROM quintiles.q), 0),"
    "        coalesce((SELECT sum(n) FROM r WHERE r.q IS NOT DISTINCT FROM quintiles.q), 0),"
    "        NULL, NULL, NULL, NULL, 20 + quintiles.rank, NULL FROM quintiles"
    " UNION ALL"
    " SELECT 'need', needs.key, NULL, needs.label, NULL, NULL,"
    "        coalesce(CASE needs.key"
    "             WHEN 'links_worker' THEN (SELECT sum(n) FROM s_subject WHERE category_id IS NULL AND service_id IS NULL)"
    "             WHEN 'none' THEN (SELECT n FROM signpost_needs WHERE top IS NULL)"
    "             ELSE (SELECT n FROM signpost_needs WHERE top = needs.id) END, 0),"
    "        coalesce(CASE needs.key"
    "             WHEN 'links_worker' THEN 0"
    "             WHEN 'none' THEN (SELECT sum(n) FROM r_needs WHERE cardinality(needs) = 0)"
    "             ELSE (SELECT n FROM referral_needs WHERE top = needs.id) END, 0),"
    "        NULL, NULL, NULL, NULL, 30 + needs.rank, needs.label FROM needs"
    " ) rows ORDER BY rank, sort_name, code";

int links_api_report_register(void);
int links_api_report_register(void)
{
    static const struct links_statement s[] = {
        { "report_practices", practices_sql, 0, NULL },
    };
    return links_db_register_all(s, sizeof s / sizeof s[0]);
}

enum { SIGNPOSTS, REFERRALS, MEASURES };
static const char *const measure_names[MEASURES] = { "signposts", "referrals" };

struct practice_row {
    const char *id, *code, *name;
    long list_size;
    int synthetic;
    long count[MEASURES];
    long shown[MEASURES];       /* the count, or LINKS_HIDDEN(_OTHER) */
};

static json_t *limits_json(const struct links_funnel_limits *l)
{
    return json_pack("{s:f, s:f, s:f, s:f}", "lower_998", l->lower_998, "lower_95", l->lower_95, "upper_95",
                     l->upper_95, "upper_998", l->upper_998);
}

/* The funnel's curves, for drawing: the limits at list sizes from the
 * smallest practice's to the largest's. */
static json_t *funnel_curve(double board_rate, long smallest, long largest)
{
    json_t *points = json_array();
    const int steps = 40;
    for (int i = 0; i <= steps && smallest > 0 && largest >= smallest; i++) {
        long n = smallest + (long)((double)(largest - smallest) * i / steps);
        struct links_funnel_limits l;
        if (links_funnel_limits(board_rate, n, &l) == 0) {
            json_t *p = limits_json(&l);
            json_object_set_new(p, "list_size", json_integer(n));
            json_array_append_new(points, p);
        }
    }
    return points;
}

/* Counts by something other than practice (role, SIMD quintile, need):
 * the statement's rows of one dimension, one table per measure. */
struct breakdown {
    const char *dimension;      /* the statement's tag, and the JSON member naming a row */
    int labelled;               /* rows carry a label ("name") besides their key */
    int n;
    const char **keys, **labels;
    long (*count)[MEASURES], (*shown)[MEASURES];
    long total_shown[MEASURES];
};

/* Take the rows tagged with the breakdown's dimension, then hide as the
 * rule says. The total of each table is `totals[m]` when given (rows that
 * may overlap: needs), or else the sum of its rows. Returns -1 when out of
 * memory. */
static int breakdown_read(struct links_arena *arena, struct breakdown *b, PGresult *r, int suppress, const long *totals)
{
    int rows = PQntuples(r), n = 0;
    for (int i = 0; i < rows; i++)
        n += strcmp(PQgetvalue(r, i, 0), b->dimension) == 0;
    size_t slots = (size_t)(n > 0 ? n : 1);
    b->keys = links_arena_alloc(arena, slots * sizeof *b->keys);
    b->labels = links_arena_alloc(arena, slots * sizeof *b->labels);
    b->count = links_arena_alloc(arena, slots * sizeof *b->count);
    b->shown = links_arena_alloc(arena, slots * sizeof *b->shown);
    long *counts = links_arena_alloc(arena, slots * sizeof *counts), *shown = links_arena_alloc(arena, slots * sizeof *shown);
    if (!b->keys || !b->labels || !b->count || !b->shown || !counts || !shown)
        return -1;
    b->n = 0;
    for (int i = 0; i < rows; i++) {
        if (strcmp(PQgetvalue(r, i, 0), b->dimension) != 0)
            continue;
        b->keys[b->n] = PQgetvalue(r, i, 1);
        b->labels[b->n] = PQgetvalue(r, i, 3);
        for (int m = 0; m < MEASURES; m++)
            b->count[b->n][m] = atol(PQgetvalue(r, i, 6 + m));
        b->n++;
    }
    for (int m = 0; m < MEASURES; m++) {
        long total = 0;
        for (int k = 0; k < b->n; k++)
            total += counts[k] = b->count[k][m];
        links_report_table(suppress, counts, (size_t)b->n, totals ? totals[m] : total, shown, &b->total_shown[m]);
        for (int k = 0; k < b->n; k++)
            b->shown[k][m] = shown[k];
    }
    return 0;
}

static json_t *breakdown_json(const struct breakdown *b)
{
    json_t *rows = json_array();
    for (int k = 0; k <= b->n; k++) {
        const long *shown = k < b->n ? b->shown[k] : b->total_shown;
        json_t *row = json_pack("{s:s, s:o, s:o}", b->dimension, k < b->n ? b->keys[k] : "all", "signposts",
                                links_report_count_json(shown[SIGNPOSTS]), "referrals",
                                links_report_count_json(shown[REFERRALS]));
        if (b->labelled)
            json_object_set_new(row, "name", json_string(k < b->n ? b->labels[k] : "All"));
        json_array_append_new(rows, row);
    }
    return rows;
}

struct report {
    const char *from, *to;
    int suppress;
    struct practice_row *rows;
    int nrows;
    long total[MEASURES], total_shown[MEASURES], population;
    double board_rate[MEASURES];
    long smallest, largest;
    struct breakdown roles, quintiles, needs;
};

/* Counts, hiding where the rule says, and the board's rates. */
static void compute(struct report *rp)
{
    for (int m = 0; m < MEASURES; m++) {
        long counts[rp->nrows > 0 ? rp->nrows : 1], shown[rp->nrows > 0 ? rp->nrows : 1], events = 0;
        rp->total[m] = 0;
        for (int i = 0; i < rp->nrows; i++) {
            counts[i] = rp->rows[i].count[m];
            rp->total[m] += counts[i];
            if (rp->rows[i].list_size > 0)
                events += counts[i];
        }
        links_report_table(rp->suppress, counts, (size_t)rp->nrows, rp->total[m], shown, &rp->total_shown[m]);
        for (int i = 0; i < rp->nrows; i++)
            rp->rows[i].shown[m] = shown[i];
        rp->board_rate[m] = rp->population > 0 ? links_rate_per_1000(events, rp->population) : -1;
    }
}

static json_t *report_json(const struct report *rp, const char *board_code)
{
    json_t *measures = json_object(), *practices = json_array();
    for (int m = 0; m < MEASURES; m++) {
        json_t *outside = json_array();
        for (int i = 0; i < rp->nrows; i++) {
            const struct practice_row *p = &rp->rows[i];
            struct links_funnel_limits l;
            if (p->shown[m] < 0 || p->list_size <= 0 || rp->board_rate[m] < 0 ||
                links_funnel_limits(rp->board_rate[m], p->list_size, &l) < 0)
                continue;
            enum links_funnel_position pos = links_funnel_position(links_rate_per_1000(p->count[m], p->list_size), &l);
            if (pos != LINKS_FUNNEL_WITHIN)
                json_array_append_new(outside, json_pack("{s:s, s:s, s:s}", "id", p->id, "name", p->name, "position",
                                                         links_funnel_position_name(pos)));
        }
        json_object_set_new(measures, measure_names[m],
                            json_pack("{s:o, s:o, s:o, s:o}", "total", links_report_count_json(rp->total_shown[m]),
                                      "board_per_1000", rp->board_rate[m] >= 0 ? json_real(rp->board_rate[m]) : json_null(),
                                      "outside_limits", outside,
                                      "funnel", rp->board_rate[m] >= 0 ? funnel_curve(rp->board_rate[m], rp->smallest, rp->largest)
                                                                        : json_array()));
    }
    for (int i = 0; i < rp->nrows; i++) {
        const struct practice_row *p = &rp->rows[i];
        json_t *row = json_pack("{s:s, s:s, s:s, s:o, s:b}", "id", p->id, "code", p->code, "name", p->name, "list_size",
                                p->list_size > 0 ? json_integer(p->list_size) : json_null(), "list_size_synthetic",
                                p->synthetic);
        for (int m = 0; m < MEASURES; m++) {
            struct links_funnel_limits l;
            int rated = p->shown[m] >= 0 && p->list_size > 0 && rp->board_rate[m] >= 0 &&
                        links_funnel_limits(rp->board_rate[m], p->list_size, &l) == 0;
            double rate = rated ? links_rate_per_1000(p->count[m], p->list_size) : 0;
            json_object_set_new(row, measure_names[m],
                                json_pack("{s:o, s:o, s:o, s:o}", "count", links_report_count_json(p->shown[m]), "per_1000",
                                          rated ? json_real(rate) : json_null(), "position",
                                          rated ? json_string(links_funnel_position_name(links_funnel_position(rate, &l)))
                                                : json_null(),
                                          "limits", rated ? limits_json(&l) : json_null()));
        }
        json_array_append_new(practices, row);
    }
    return json_pack("{s:s, s:s, s:s, s:s, s:b, s:s?, s:I, s:o, s:o, s:o, s:o, s:o}", "report", "practices", "board",
                     board_code, "from", rp->from, "to", rp->to, "suppressed", rp->suppress, "disclosure_rule",
                     rp->suppress ? links_disclosure_rule : NULL, "list_size_total", (json_int_t)rp->population,
                     "measures", measures, "practices", practices, "by_role", breakdown_json(&rp->roles),
                     "by_simd_quintile", breakdown_json(&rp->quintiles), "by_need", breakdown_json(&rp->needs));
}

static char *report_csv(struct links_request *req, const struct report *rp, size_t *len)
{
    char *text = NULL;
    FILE *f = open_memstream(&text, len);
    if (f == NULL)
        return NULL;
    static const char *const head[] = { "practice_code", "practice_name", "list_size", "signposts", "signposts_per_1000",
                                        "signposts_position", "referrals", "referrals_per_1000", "referrals_position" };
    for (size_t i = 0; i < sizeof head / sizeof head[0]; i++)
        links_report_csv_field(f, head[i], i + 1 == sizeof head / sizeof head[0]);
    for (int i = 0; i < rp->nrows; i++) {
        const struct practice_row *p = &rp->rows[i];
        links_report_csv_field(f, p->code, 0);
        links_report_csv_field(f, p->name, 0);
        links_report_csv_field(f, p->list_size > 0 ? links_arena_printf(req->arena, "%ld", p->list_size) : "", 0);
        for (int m = 0; m < MEASURES; m++) {
            struct links_funnel_limits l;
            int rated = p->shown[m] >= 0 && p->list_size > 0 && rp->board_rate[m] >= 0 &&
                        links_funnel_limits(rp->board_rate[m], p->list_size, &l) == 0;
            double rate = rated ? links_rate_per_1000(p->count[m], p->list_size) : 0;
            links_report_csv_field(f, links_report_count_text(req, p->shown[m]), 0);
            links_report_csv_field(f, rated ? links_arena_printf(req->arena, "%.2f", rate) : "", 0);
            links_report_csv_field(f, rated ? links_funnel_position_name(links_funnel_position(rate, &l)) : "", m == MEASURES - 1);
        }
    }
    links_report_csv_field(f, "", 0);
    links_report_csv_field(f, "All practices", 0);
    links_report_csv_field(f, links_arena_printf(req->arena, "%ld", rp->population), 0);
    for (int m = 0; m < MEASURES; m++) {
        links_report_csv_field(f, links_report_count_text(req, rp->total_shown[m]), 0);
        links_report_csv_field(f, rp->board_rate[m] >= 0 ? links_arena_printf(req->arena, "%.2f", rp->board_rate[m]) : "", 0);
        links_report_csv_field(f, "", m == MEASURES - 1);
    }
    links_report_csv_field(f, "", 0);
    links_report_csv_field(f, links_arena_printf(req->arena, "Period %s to %s. %s", rp->from, rp->to, links_disclosure_rule), 1);
    if (fclose(f) != 0)
        return NULL;
    return text;
}

/* One breakdown as CSV: its rows and "all", then the period and the rule. */
static char *breakdown_csv(struct links_request *req, const struct report *rp, const struct breakdown *b, size_t *len)
{
    char *text = NULL;
    FILE *f = open_memstream(&text, len);
    if (f == NULL)
        return NULL;
    links_report_csv_field(f, b->dimension, 0);
    if (b->labelled)
        links_report_csv_field(f, "name", 0);
    links_report_csv_field(f, "signposts", 0);
    links_report_csv_field(f, "referrals", 1);
    for (int k = 0; k <= b->n; k++) {
        const long *shown = k < b->n ? b->shown[k] : b->total_shown;
        links_report_csv_field(f, k < b->n ? b->keys[k] : "all", 0);
        if (b->labelled)
            links_report_csv_field(f, k < b->n ? b->labels[k] : "All", 0);
        links_report_csv_field(f, links_report_count_text(req, shown[SIGNPOSTS]), 0);
        links_report_csv_field(f, links_report_count_text(req, shown[REFERRALS]), 1);
    }
    links_report_csv_field(f, "note", 0);
    if (b->labelled)
        links_report_csv_field(f, "", 0);
    links_report_csv_field(f, links_arena_printf(req->arena, "Period %s to %s", rp->from, rp->to), 0);
    links_report_csv_field(f, links_disclosure_rule, 1);
    if (fclose(f) != 0) {
        free(text);
        return NULL;
    }
    return text;
}

void links_handle_report_practices(struct links_request *req, const struct links_route_args *a)
{
    struct links_report_request rq;
    static const char *const extra[] = { "breakdown", NULL };
    if (links_report_begin(req, a, extra, &rq) < 0)
        return;
    /* ?breakdown=role|quintile|need: that table alone, as CSV */
    const char *breakdown = links_param(req, "breakdown");
    if (breakdown != NULL && (!rq.csv || (strcmp(breakdown, "role") != 0 && strcmp(breakdown, "quintile") != 0 &&
                                          strcmp(breakdown, "need") != 0))) {
        struct links_validation v;
        links_validation_init(&v);
        links_validation_add(&v, "breakdown", rq.csv ? "must be role, quintile or need"
                                                     : "is for CSV (format=csv): the JSON report has every breakdown");
        links_validation_respond(req, &v);
        return;
    }
    const char *board = links_api_board_code(a);
    PGresult *r;
    const char *state = "", *message = "";
    struct report rp = {
        .from = rq.from, .to = rq.to, .suppress = rq.suppress,
        .roles = { .dimension = "role" }, .quintiles = { .dimension = "quintile" },
        .needs = { .dimension = "need", .labelled = 1 },
    };
    const char *pv[2] = { rp.from, rp.to };
    enum links_db_status st = links_db_query_planned(req->worker->db, req->arena, board, "report_practices", 2, pv, &r, &state, &message);
    if (st != LINKS_DB_OK) {
        links_respond_db_failure(req, st, "practice report", state, message);
        return;
    }
    int rows = PQntuples(r);
    while (rp.nrows < rows && strcmp(PQgetvalue(r, rp.nrows, 0), "practice") == 0)
        rp.nrows++;
    rp.rows = links_arena_alloc(req->arena, sizeof *rp.rows * (size_t)(rp.nrows > 0 ? rp.nrows : 1));
    if (rp.rows == NULL) {
        links_respond_problem(req, 503, "Service temporarily overloaded", "The server ran out of memory for this report.",
                              NULL);
        return;
    }
    for (int i = 0; i < rp.nrows; i++) {
        struct practice_row *p = &rp.rows[i];
        p->id = PQgetvalue(r, i, 1);
        p->code = PQgetvalue(r, i, 2);
        p->name = PQgetvalue(r, i, 3);
        p->list_size = atol(PQgetvalue(r, i, 4));
        p->synthetic = strcmp(PQgetvalue(r, i, 5), "t") == 0;
        p->count[SIGNPOSTS] = atol(PQgetvalue(r, i, 6));
        p->count[REFERRALS] = atol(PQgetvalue(r, i, 7));
        if (p->list_size > 0) {
            rp.population += p->list_size;
            if (rp.smallest == 0 || p->list_size < rp.smallest)
                rp.smallest = p->list_size;
            if (p->list_size > rp.largest)
                rp.largest = p->list_size;
        }
    }
    compute(&rp);
    if (breakdown_read(req->arena, &rp.roles, r, rp.suppress, NULL) < 0 ||
        breakdown_read(req->arena, &rp.quintiles, r, rp.suppress, NULL) < 0 ||
        breakdown_read(req->arena, &rp.needs, r, rp.suppress, rp.total) < 0) {
        links_respond_problem(req, 503, "Service temporarily overloaded", "The server ran out of memory for this report.",
                              NULL);
        return;
    }
    if (!rq.csv) {
        links_respond_json(req, 200, report_json(&rp, a->board->cfg->slug));
        return;
    }
    size_t len = 0;
    if (breakdown != NULL) {
        const struct breakdown *b = strcmp(breakdown, "role") == 0 ? &rp.roles
                                    : strcmp(breakdown, "quintile") == 0 ? &rp.quintiles : &rp.needs;
        char *text = breakdown_csv(req, &rp, b, &len);
        links_report_respond_csv(req, a, &rq, links_arena_printf(req->arena, "practices-by-%s", breakdown), text, len);
        return;
    }
    char *text = report_csv(req, &rp, &len);
    links_report_respond_csv(req, a, &rq, "practices", text, len);
}
