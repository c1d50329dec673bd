/* api_report_outcomes.c — what happened to the referrals made in a period:
 * where they are now, how many were contacted and engaged, how long first
 * contact took, why they closed, waiting-list times, and whether the
 * patients' wellbeing changed (SWEMWBS paired from first contact to
 * closing, with a 95% interval; ONS4 band shifts).
 *
 *   GET /api/v1/boards/{board}/reports/outcomes?from=&to=[&practice=UUID | &group=NAME][&format=csv]
 *
 * group: the practices the board's plugin puts in that group (a Fife
 * locality, a Glasgow SIMD decile...); the JSON lists the groupings.
 *
 * Referrals count by when they were made; each one's latest measure of
 * each scale at each stage counts (a correction replaces what it corrects,
 * scale by scale). Under the
 * disclosure rule (report_common.h) tables are hidden as disclosure.h
 * says, a single count of 1-4 is "<5", and a rate, median or mean made
 * from fewer than 5 is not shown. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "api_sql.h"
#include "disclosure.h"
#include "report_common.h"
#include "search.h"
#include "stats.h"
#include "validate.h"
#include "worker.h"

#define PERIOD_REFERRALS \
    "period AS (SELECT ($1::date::timestamp AT TIME ZONE 'Europe/London') AS since," \
    "                  (($2::date + 1)::timestamp AT TIME ZONE 'Europe/London') AS until)," \
    " ref AS (SELECT r.id, r.status, r.closing_reason, r.created_at FROM referral r, period" \
    "          WHERE" BOARD_FILTER("r") " AND r.created_at >= period.since AND r.created_at < period.until" \
    "            AND ($3::uuid[] IS NULL OR r.practice_id = ANY ($3::uuid[])))"

/* The counts, in one pass over the period's referrals and how far each
 * has got (referral_progress, kept from their histories: schema 0016). */
static const char counts_sql[] =
    "WITH " PERIOD_REFERRALS ","
    " j AS (SELECT ref.*, pg.first_contact_at AS first_contact, coalesce(pg.engaged, false) AS engaged,"
    "              coalesce(pg.waited, false) AS waited, pg.left_waiting_at AS left_waiting"
    "         FROM ref LEFT JOIN referral_progress pg ON pg.referral_id = ref.id)"
    " SELECT count(*),"
    "        count(*) FILTER (WHERE status = 'received'), count(*) FILTER (WHERE status = 'waiting'),"
    "        count(*) FILTER (WHERE status = 'contacted'), count(*) FILTER (WHERE status = 'engaged'),"
    "        count(*) FILTER (WHERE status = 'closed'),"
    "        count(*) FILTER (WHERE first_contact IS NOT NULL OR engaged), count(*) FILTER (WHERE engaged),"
    "        count(*) FILTER (WHERE closing_reason = 'completed'), count(*) FILTER (WHERE closing_reason = 'did_not_engage'),"
    "        count(*) FILTER (WHERE closing_reason = 'declined'), count(*) FILTER (WHERE closing_reason = 'moved_away'),"
    "        count(*) FILTER (WHERE closing_reason = 'referred_on'),"
    "        count(first_contact),"
    "        percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM first_contact - created_at) / 86400),"
    "        count(*) FILTER (WHERE waited), count(left_waiting),"
    "        percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM left_waiting - created_at) / 86400)"
    "   FROM j";

/* Each referral with a measure at first contact and at closing, scale by
 * scale: the latest SWEMWBS of each stage, and the latest ONS4 (a later
 * measure corrects an earlier one per scale, as the referral shows; kept
 * in referral_progress). One row per referral with either pair; a missing
 * pair is NULLs. */
static const char pairs_sql[] =
    "WITH " PERIOD_REFERRALS
    " SELECT CASE WHEN pg.closing_swemwbs IS NOT NULL THEN pg.first_swemwbs END,"
    "        CASE WHEN pg.first_swemwbs IS NOT NULL THEN pg.closing_swemwbs END,"
    "        f.band[1], c.band[1], f.band[2], c.band[2], f.band[3], c.band[3], f.band[4], c.band[4]"
    "   FROM ref JOIN referral_progress pg ON pg.referral_id = ref.id,"
    "        LATERAL (SELECT CASE WHEN pg.closing_ons4 IS NOT NULL THEN pg.first_ons4 END AS band) f,"
    "        LATERAL (SELECT CASE WHEN pg.first_ons4 IS NOT NULL THEN pg.closing_ons4 END AS band) c"
    "  WHERE (pg.first_swemwbs IS NOT NULL AND pg.closing_swemwbs IS NOT NULL)"
    "     OR (pg.first_ons4 IS NOT NULL AND pg.closing_ons4 IS NOT NULL)";

int links_api_report_outcomes_register(void);
int links_api_report_outcomes_register(void)
{
    static const struct links_statement s[] = {
        { "report_outcome_counts", counts_sql, 0, NULL },
        { "report_outcome_pairs", pairs_sql, 0, NULL },
    };
    return links_db_register_all(s, sizeof s / sizeof s[0]);
}

static const char *const statuses[] = { "received", "waiting", "contacted", "engaged", "closed" };
static const char *const reasons[] = { "completed", "did_not_engage", "declined", "moved_away", "referred_on" };
enum { N_STATUSES = 5, N_REASONS = 5 };

/* ONS4 items as the pairs query gives them, and each band's rank (higher:
 * better wellbeing; for anxiety a lower band is better). */
static const char *const ons4_items[] = { "life_satisfaction", "worthwhile", "happiness", "anxiety" };
static int band_rank(int item, const char *band)
{
    static const char *const up[] = { "low", "medium", "high", "very high" };
    static const char *const anxiety[] = { "high", "medium", "low", "very low" };
    const char *const *order = item == 3 ? anxiety : up;
    for (int i = 0; i < 4; i++)
        if (strcmp(order[i], band) == 0)
            return i;
    return -1;
}

struct outcomes {
    long referrals, status[N_STATUSES], contacted, engaged, reason[N_REASONS], closed;
    long first_contact_n, waited, left_waiting;
    double first_contact_median, waiting_median;
    int has_first_median, has_waiting_median;
    size_t pairs;
    struct links_mean_ci change;
    double mean_first, mean_closing;
    long shift[4][3];       /* improved, same, worse */
    long ons_pairs[4];
};

/* A figure made from `n` cases: shown unless the rule applies and n is 1-4. */
static int figure_shown(int suppress, long n)
{
    return n > 0 && !(suppress && links_disclosure_small(n));
}

/* A count shown as one of two parts of a shown total (the part and the
 * rest): hidden when either part is small. */
static long shown_of_two(int suppress, long part, long total)
{
    long counts[2] = { part, total - part }, shown[2], total_shown;
    links_report_table(suppress, counts, 2, total, shown, &total_shown);
    return total_shown == LINKS_HIDDEN ? LINKS_HIDDEN : shown[0];
}

static json_t *maybe_real(int shown, double x)
{
    return shown ? json_real(x) : json_null();
}

static json_t *outcomes_json(const struct outcomes *o, const struct links_report_request *rq, const char *board,
                             const char *practice)
{
    int sup = rq->suppress;
    long shown[N_STATUSES > N_REASONS ? N_STATUSES : N_REASONS], total_shown;
    json_t *by_status = json_array(), *closing = json_array(), *ons = json_array();
    links_report_table(sup, o->status, N_STATUSES, o->referrals, shown, &total_shown);
    for (int i = 0; i < N_STATUSES; i++)
        json_array_append_new(by_status, json_pack("{s:s, s:o}", "status", statuses[i], "count",
                                                   links_report_count_json(shown[i])));
    json_t *referrals = links_report_count_json(total_shown);
    long closed_shown;
    links_report_table(sup, o->reason, N_REASONS, o->closed, shown, &closed_shown);
    for (int i = 0; i < N_REASONS; i++)
        json_array_append_new(closing, json_pack("{s:s, s:o}", "reason", reasons[i], "count",
                                                 links_report_count_json(shown[i])));
    /* engagement: engaged / referrals, shown when neither part is small */
    int rate_shown = o->referrals > 0 && !(sup && (links_disclosure_small(o->engaged) ||
                                                   links_disclosure_small(o->referrals - o->engaged)));
    int contact_rate_shown = o->referrals > 0 && !(sup && (links_disclosure_small(o->contacted) ||
                                                           links_disclosure_small(o->referrals - o->contacted)));
    for (int k = 0; k < 4; k++) {
        long shift_shown[3], pairs_shown;
        links_report_table(sup, o->shift[k], 3, o->ons_pairs[k], shift_shown, &pairs_shown);
        json_array_append_new(ons, json_pack("{s:s, s:o, s:o, s:o, s:o}", "item", ons4_items[k], "pairs",
                                             links_report_count_json(pairs_shown), "improved",
                                             links_report_count_json(shift_shown[0]), "same",
                                             links_report_count_json(shift_shown[1]), "worse",
                                             links_report_count_json(shift_shown[2])));
    }
    int sw = figure_shown(sup, (long)o->pairs), sw_ci = sw && o->pairs >= 2;
    json_t *swemwbs = json_pack("{s:o, s:o, s:o, s:o, s:o, s:o}", "pairs",
                                links_report_count_json(sup && links_disclosure_small((long)o->pairs) ? LINKS_HIDDEN
                                                                                                      : (long)o->pairs),
                                "mean_first", maybe_real(sw, o->mean_first), "mean_closing", maybe_real(sw, o->mean_closing),
                                "mean_change", maybe_real(sw, o->change.mean), "ci_lower", maybe_real(sw_ci, o->change.lower),
                                "ci_upper", maybe_real(sw_ci, o->change.upper));
    /* contacted and engaged each with the rest of the referrals, waiting
     * with those who left the list, as tables of two with their total:
     * "18 of 19 contacted" would give away the one not contacted */
    long contacted_c = shown_of_two(sup, o->contacted, o->referrals);
    long engaged_c = shown_of_two(sup, o->engaged, o->referrals);
    json_t *reached = json_pack("{s:o, s:o, s:o, s:o}", "contacted", links_report_count_json(contacted_c), "engaged",
                                links_report_count_json(engaged_c), "contact_rate",
                                maybe_real(contact_rate_shown, 100.0 * (double)o->contacted / (double)(o->referrals ? o->referrals : 1)),
                                "engagement_rate",
                                maybe_real(rate_shown, 100.0 * (double)o->engaged / (double)(o->referrals ? o->referrals : 1)));
    long waited_c = sup && links_disclosure_small(o->waited) ? LINKS_HIDDEN : o->waited;
    long still = o->waited - o->left_waiting;
    long still_c = shown_of_two(sup, still, o->waited);
    json_t *first = json_pack("{s:o, s:o}", "referrals_contacted",
                              links_report_count_json(sup && links_disclosure_small(o->first_contact_n) ? LINKS_HIDDEN
                                                                                                        : o->first_contact_n),
                              "median_days", maybe_real(o->has_first_median && figure_shown(sup, o->first_contact_n),
                                                        o->first_contact_median));
    json_t *waiting = json_pack("{s:o, s:o, s:o}", "joined", links_report_count_json(waited_c), "still_waiting",
                                links_report_count_json(still_c), "median_days_waited",
                                maybe_real(o->has_waiting_median && figure_shown(sup, o->left_waiting), o->waiting_median));
    return json_pack("{s:s, s:s, s:s, s:s, s:s?, s:b, s:s?, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "report", "outcomes",
                     "board", board, "from", rq->from, "to", rq->to, "practice", practice, "suppressed", sup,
                     "disclosure_rule", sup ? links_disclosure_rule : NULL, "referrals", referrals, "by_status", by_status,
                     "reached", reached, "first_contact", first, "closing_reasons", closing, "waiting_list", waiting,
                     "swemwbs", swemwbs, "ons4", ons);
}

/* The JSON report as CSV rows: section, measure, value. */
static char *outcomes_csv(struct links_request *req, json_t *doc, size_t *len)
{
    char *text = NULL;
    FILE *f = open_memstream(&text, len);
    if (f == NULL)
        return NULL;
    links_report_csv_field(f, "section", 0);
    links_report_csv_field(f, "measure", 0);
    links_report_csv_field(f, "value", 1);
    const char *key;
    json_t *value;
    json_object_foreach(doc, key, value) {
        if (strcmp(key, "disclosure_rule") == 0 || json_is_null(value))
            continue;
        if (!json_is_object(value) && !json_is_array(value)) {
            char *v = json_dumps(value, JSON_ENCODE_ANY);
            links_report_csv_field(f, "report", 0);
            links_report_csv_field(f, key, 0);
            links_report_csv_field(f, v && v[0] == '"' ? json_string_value(value) : (v ? v : ""), 1);
            free(v);
            continue;
        }
        /* an object's members, or each element's label and its other members */
        size_t i;
        json_t *el;
        json_t *items = json_is_array(value) ? value : json_pack("[O]", value);
        json_array_foreach(items, i, el) {
            const char *label = NULL, *k;
            json_t *m;
            json_object_foreach(el, k, m)
                if (json_is_string(m) && (strcmp(k, "status") == 0 || strcmp(k, "reason") == 0 || strcmp(k, "item") == 0))
                    label = json_string_value(m);
            json_object_foreach(el, k, m) {
                if (label != NULL && json_is_string(m) && json_string_value(m) == label)
                    continue;
                char *v = json_is_null(m) ? NULL : json_dumps(m, JSON_ENCODE_ANY | JSON_REAL_PRECISION(6));
                links_report_csv_field(f, key, 0);
                links_report_csv_field(f, label ? links_arena_printf(req->arena, "%s %s", label, k) : k, 0);
                links_report_csv_field(f, json_is_string(m) ? json_string_value(m) : (v ? v : ""), 1);
                free(v);
            }
        }
        if (items != value)
            json_decref(items);
    }
    links_report_csv_field(f, "note", 0);
    links_report_csv_field(f, "disclosure", 0);
    links_report_csv_field(f, links_disclosure_rule, 1);
    if (fclose(f) != 0)
        return NULL;
    return text;
}

void links_handle_report_outcomes(struct links_request *req, const struct links_route_args *a)
{
    static const char *const extra[] = { "practice", "group", NULL };
    struct links_report_request rq;
    if (links_report_begin(req, a, extra, &rq) < 0)
        return;
    const char *practice = links_param(req, "practice"), *group = links_param(req, "group");
    if ((practice != NULL && !links_uuid_valid(practice)) || (practice != NULL && group != NULL)) {
        struct links_validation v;
        links_validation_init(&v);
        links_validation_add(&v, "practice", group ? "is one practice, group a group of them: give one or the other"
                                                   : "must be a practice id (a UUID)");
        links_validation_respond(req, &v);
        return;
    }
    /* the practices to count: one, the plugin's group, or all */
    const char *members;
    json_t *groupings;
    if (links_report_group_practices(req, a, group, practice, &members, &groupings) < 0)
        return;
    const char *board = links_api_board_code(a);
    const char *pv[3] = { rq.from, rq.to, members };
    PGresult *r;
    const char *state = "", *message = "";
    enum links_db_status st = links_db_query_planned(req->worker->db, req->arena, board, "report_outcome_counts", 3, pv, &r,
                                             &state, &message);
    if (st != LINKS_DB_OK) {
        json_decref(groupings);
        links_respond_db_failure(req, st, "outcomes report", state, message);
        return;
    }
    struct outcomes o;
    memset(&o, 0, sizeof o);
    int c = 0;
    o.referrals = atol(PQgetvalue(r, 0, c++));
    for (int i = 0; i < N_STATUSES; i++)
        o.status[i] = atol(PQgetvalue(r, 0, c++));
    o.closed = o.status[4];
    o.contacted = atol(PQgetvalue(r, 0, c++));
    o.engaged = atol(PQgetvalue(r, 0, c++));
    for (int i = 0; i < N_REASONS; i++)
        o.reason[i] = atol(PQgetvalue(r, 0, c++));
    o.first_contact_n = atol(PQgetvalue(r, 0, c++));
    o.has_first_median = !PQgetisnull(r, 0, c);
    o.first_contact_median = atof(PQgetvalue(r, 0, c++));
    o.waited = atol(PQgetvalue(r, 0, c++));
    o.left_waiting = atol(PQgetvalue(r, 0, c++));
    o.has_waiting_median = !PQgetisnull(r, 0, c);
    o.waiting_median = atof(PQgetvalue(r, 0, c++));

    st = links_db_query_planned(req->worker->db, req->arena, board, "report_outcome_pairs", 3, pv, &r, &state, &message);
    if (st != LINKS_DB_OK) {
        json_decref(groupings);
        links_respond_db_failure(req, st, "outcomes report", state, message);
        return;
    }
    int rows = PQntuples(r);
    double *changes = links_arena_alloc(req->arena, sizeof *changes * (size_t)(rows > 0 ? rows : 1));
    if (changes == NULL) {
        json_decref(groupings);
        links_respond_problem(req, 503, "Service temporarily overloaded", "The server ran out of memory for this report.",
                              NULL);
        return;
    }
    double sum_first = 0, sum_closing = 0;
    for (int i = 0; i < rows; i++) {
        if (!PQgetisnull(r, i, 0) && !PQgetisnull(r, i, 1)) {
            double first = atof(PQgetvalue(r, i, 0)), last = atof(PQgetvalue(r, i, 1));
            changes[o.pairs++] = last - first;
            sum_first += first;
            sum_closing += last;
        }
        for (int k = 0; k < 4; k++) {
            if (PQgetisnull(r, i, 2 + 2 * k) || PQgetisnull(r, i, 3 + 2 * k))
                continue;
            int from = band_rank(k, PQgetvalue(r, i, 2 + 2 * k)), to = band_rank(k, PQgetvalue(r, i, 3 + 2 * k));
            if (from < 0 || to < 0)
                continue;
            o.shift[k][to > from ? 0 : to == from ? 1 : 2]++;
            o.ons_pairs[k]++;
        }
    }
    if (o.pairs > 0) {
        links_mean_ci(changes, o.pairs, &o.change);
        o.mean_first = sum_first / (double)o.pairs;
        o.mean_closing = sum_closing / (double)o.pairs;
    }
    json_t *doc = outcomes_json(&o, &rq, a->board->cfg->slug, practice);
    json_object_set_new(doc, "group", group ? json_string(group) : json_null());
    if (!rq.csv) {
        json_object_set_new(doc, "groupings", groupings);
        links_respond_json(req, 200, doc);
        return;
    }
    json_decref(groupings);
    size_t len = 0;
    char *text = outcomes_csv(req, doc, &len);
    json_decref(doc);
    links_report_respond_csv(req, a, &rq, "outcomes", text, len);
}
