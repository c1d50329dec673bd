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

/* Each practice of the board with its list size and its counts in the
 * period ($1..$2, days in Europe/London); then what the regional report
 * (api_report_regional.c) groups practices by: the postcode's district and
 * sector, the SIMD decile of its data zone, an attached links worker. */
static const char practices_sql[] =
    "WITH period AS (SELECT ($1::date::timestamp AT TIME ZONE 'Europe/London') AS since,"
    "                       (($2::date + 1)::timestamp AT TIME ZONE 'Europe/London') AS until),"
    " s AS (SELECT sp.practice_id, count(*) AS n FROM signpost sp, period"
    "        WHERE" BOARD_FILTER("sp") " AND sp.withdrawn_at IS NULL AND sp.at >= period.since AND sp.at < period.until"
    "        GROUP BY sp.practice_id),"
    " r AS (SELECT rf.practice_id, count(*) AS n FROM referral rf, period"
    "        WHERE" BOARD_FILTER("rf") " AND rf.referred_on_from IS NULL"
    "          AND rf.created_at >= period.since AND rf.created_at < period.until"
    "        GROUP BY rf.practice_id)"
    " SELECT p.id, p.code, p.name, coalesce(p.list_size, 0), p.list_size_synthetic, coalesce(s.n, 0), coalesce(r.n, 0),"
    "        split_part(p.postcode, ' ', 1), left(p.postcode, length(p.postcode) - 2), coalesce(dz.simd_decile, 0),"
    "        p.has_links_worker"
    "   FROM practice p LEFT JOIN s ON s.practice_id = p.id LEFT JOIN r ON r.practice_id = p.id"
    "   LEFT JOIN postcode pc ON pc.postcode = p.postcode LEFT JOIN data_zone dz ON dz.code = pc.data_zone"
    "  WHERE" BOARD_FILTER("p")
    "  ORDER BY p.name, p.code";

/* The same counts by the role of who signposted or referred (one pass
 * over each table, grouped). */
static const char roles_sql[] =
    "WITH period AS (SELECT ($1::date::timestamp AT TIME ZONE 'Europe/London') AS since,"
    "                       (($2::date + 1)::timestamp AT TIME ZONE 'Europe/London') AS until),"
    " s AS (SELECT st.role, count(*) AS n FROM signpost sp JOIN staff st ON st.id = sp.staff_id, period"
    "        WHERE" BOARD_FILTER("sp") " AND sp.withdrawn_at IS NULL AND sp.at >= period.since AND sp.at < period.until"
    "        GROUP BY st.role),"
    " r AS (SELECT st.role, count(*) AS n FROM referral rf JOIN staff st ON st.id = rf.referrer_id, period"
    "        WHERE" BOARD_FILTER("rf") " AND rf.referred_on_from IS NULL"
    "          AND rf.created_at >= period.since AND rf.created_at < period.until"
    "        GROUP BY st.role)"
    " SELECT roles.role, coalesce(s.n, 0), coalesce(r.n, 0)"
    "   FROM (VALUES ('receptionist', 1), ('practice_nurse', 2), ('gp', 3), ('links_worker', 4)) roles(role, rank)"
    "   LEFT JOIN s ON s.role = roles.role LEFT JOIN r ON r.role = roles.role"
    "  ORDER BY roles.rank";

/* The same counts by SIMD quintile: signposts carry no patient, so by the
 * quintile of the practice's data zone; referrals by the quintile of the
 * patient's home data zone. Quintile 1 is the most deprived fifth (deciles
 * 1 and 2); NULL: the data zone is not known. */
static const char quintiles_sql[] =
    "WITH period AS (SELECT ($1::date::timestamp AT TIME ZONE 'Europe/London') AS since,"
    "                       (($2::date + 1)::timestamp AT TIME ZONE 'Europe/London') AS until),"
    " s AS (SELECT (dz.simd_decile + 1) / 2 AS q, count(*) AS n FROM signpost sp JOIN practice p ON p.id = sp.practice_id"
    "         LEFT JOIN postcode pc ON pc.postcode = p.postcode LEFT JOIN data_zone dz ON dz.code = pc.data_zone, period"
    "        WHERE" BOARD_FILTER("sp") " AND sp.withdrawn_at IS NULL AND sp.at >= period.since AND sp.at < period.until"
    "        GROUP BY 1),"
    " r AS (SELECT (dz.simd_decile + 1) / 2 AS q, count(*) AS n FROM referral rf JOIN patient pt ON pt.id = rf.patient_id"
    "         LEFT JOIN postcode pc ON pc.postcode = pt.postcode LEFT JOIN data_zone dz ON dz.code = pc.data_zone, period"
    "        WHERE" BOARD_FILTER("rf") " AND rf.referred_on_from IS NULL"
    "          AND rf.created_at >= period.since AND rf.created_at < period.until"
    "        GROUP BY 1)"
    " SELECT coalesce(s.n, 0), coalesce(r.n, 0)"
    "   FROM (VALUES (1, 1), (2, 2), (3, 3), (4, 4), (5, 5), (NULL, 6)) quintiles(q, rank)"
    "   LEFT JOIN s ON s.q IS NOT DISTINCT FROM quintiles.q LEFT JOIN r ON r.q IS NOT DISTINCT FROM quintiles.q"
    "  ORDER BY quintiles.rank";

int links_api_report_register(void);
int links_api_report_register(void)
{
    static const struct links_statement s[] = {
        { "report_practices", practices_sql, 0, NULL },
        { "report_roles", roles_sql, 0, NULL },
        { "report_quintiles", quintiles_sql, 0, NULL },
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

/* Counts by something other than practice (role, SIMD quintile): a fixed
 * list of rows, one table per measure with its total. */
#define BREAKDOWN_ROWS 6
struct breakdown {
    const char *key;                        /* "role", "quintile" */
    int n;
    const char *labels[BREAKDOWN_ROWS];
    long count[BREAKDOWN_ROWS][MEASURES], shown[BREAKDOWN_ROWS][MEASURES], total_shown[MEASURES];
};

/* Read a breakdown's counts (a row per label, a column per measure from
 * `first_column`), then hide as the rule says. */
static void breakdown_read(struct breakdown *b, PGresult *r, int first_column, int suppress)
{
    for (int k = 0; k < b->n && k < PQntuples(r); k++)
        for (int m = 0; m < MEASURES; m++)
            b->count[k][m] = atol(PQgetvalue(r, k, first_column + m));
    for (int m = 0; m < MEASURES; m++) {
        long counts[BREAKDOWN_ROWS], shown[BREAKDOWN_ROWS], total = 0;
        for (int k = 0; k < b->n; k++)
            total += counts[k] = b->count[k][m];
        links_report_table(suppress, counts, (size_t)b->n, total, shown, &b->total_shown[m]);
        for (int k = 0; k < b->n; k++)
            b->shown[k][m] = shown[k];
    }
}

static json_t *breakdown_json(const struct breakdown *b)
{
    json_t *rows = json_array();
    for (int k = 0; k <= b->n; k++) {
        const long *shown = k < b->n ? b->shown[k] : b->total_shown;
        json_array_append_new(rows, json_pack("{s:s, s:o, s:o}", b->key, k < b->n ? b->labels[k] : "all", "signposts",
                                              links_report_count_json(shown[SIGNPOSTS]), "referrals",
                                              links_report_count_json(shown[REFERRALS])));
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
    struct breakdown roles, quintiles;
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
    return json_pack("{s:s, s:s, s:s, s:s, s:b, s:s?, s:I, s:o, s:o, s:o, s:o}", "report", "practices", "board",
                     board_code, "from", rp->from, "to", rp->to, "suppressed", rp->suppress, "disclosure_rule",
                     rp->suppress ? links_disclosure_rule : NULL, "list_size_total", (json_int_t)rp->population,
                     "measures", measures, "practices", practices, "by_role", breakdown_json(&rp->roles),
                     "by_simd_quintile", breakdown_json(&rp->quintiles));
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

void links_handle_report_practices(struct links_request *req, const struct links_route_args *a)
{
    struct links_report_request rq;
    if (links_report_begin(req, a, NULL, &rq) < 0)
        return;
    const char *board = links_api_board_code(a);
    PGresult *r;
    const char *state = "", *message = "";
    struct report rp = {
        .from = rq.from, .to = rq.to, .suppress = rq.suppress,
        .roles = { .key = "role", .n = 4, .labels = { "receptionist", "practice_nurse", "gp", "links_worker" } },
        .quintiles = { .key = "quintile", .n = 6,
                       .labels = { "1 (most deprived)", "2", "3", "4", "5 (least deprived)", "not known" } },
    };
    const char *pv[2] = { rp.from, rp.to };
    enum links_db_status st = links_db_query(req->worker->db, req->arena, board, "report_roles", 2, pv, &r, &state, &message);
    if (st == LINKS_DB_OK) {
        breakdown_read(&rp.roles, r, 1, rp.suppress);
        st = links_db_query(req->worker->db, req->arena, board, "report_quintiles", 2, pv, &r, &state, &message);
    }
    if (st == LINKS_DB_OK)
        breakdown_read(&rp.quintiles, r, 0, rp.suppress);
    if (st == LINKS_DB_OK)
        st = links_db_query(req->worker->db, req->arena, board, "report_practices", 2, pv, &r, &state, &message);
    if (st != LINKS_DB_OK) {
        links_respond_db_failure(req, st, "practice report", state, message);
        return;
    }
    rp.nrows = PQntuples(r);
    rp.rows = links_arena_alloc(req->arena, sizeof *rp.rows * (size_t)(rp.nrows > 0 ? rp.nrows : 1));
    if (rp.rows == NULL) {
        links_respond_problem(req, 503, "Service temporarily overloaded", "The server ran out of memory for this report.",
                              NULL);
        return;
    }
    for (int i = 0; i < rp.nrows; i++) {
        struct practice_row *p = &rp.rows[i];
        p->id = links_arena_strdup(req->arena, PQgetvalue(r, i, 0));
        p->code = links_arena_strdup(req->arena, PQgetvalue(r, i, 1));
        p->name = links_arena_strdup(req->arena, PQgetvalue(r, i, 2));
        p->list_size = atol(PQgetvalue(r, i, 3));
        p->synthetic = strcmp(PQgetvalue(r, i, 4), "t") == 0;
        p->count[SIGNPOSTS] = atol(PQgetvalue(r, i, 5));
        p->count[REFERRALS] = atol(PQgetvalue(r, i, 6));
        if (p->list_size > 0) {
            rp.population += p->list_size;
            if (rp.smallest == 0 || p->list_size < rp.smallest)
                rp.smallest = p->list_size;
            if (p->list_size > rp.largest)
                rp.largest = p->list_size;
        }
    }
    compute(&rp);
    if (!rq.csv) {
        links_respond_json(req, 200, report_json(&rp, a->board->cfg->slug));
        return;
    }
    size_t len = 0;
    char *text = report_csv(req, &rp, &len);
    links_report_respond_csv(req, a, &rq, "practices", text, len);
}
