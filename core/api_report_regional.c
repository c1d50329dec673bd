/* api_report_regional.c — each region's own report, through its plugin's
 * report hook (ABI 1.3): the plugin names ways of grouping the board's
 * practices (Glasgow: by the SIMD decile of the practice's data zone, and
 * with or without an attached links worker; Fife: by locality) and puts
 * each practice in a group; the core counts signposts and referrals per
 * group with rates per 1,000 registered patients.
 *
 *   GET /api/v1/boards/{board}/reports/regional?from=&to=[&format=csv]
 *
 * It is the board's own plugin that groups, so a region's report exists
 * only for its board; a board whose plugin has no report hook answers 404.
 * Period, format and the disclosure rule as for every report
 * (report_common.h); each grouping is one table with the board's total. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "boards.h"
#include "disclosure.h"
#include "funnel.h"
#include "log.h"
#include "report_common.h"
#include "search.h"
#include "worker.h"

#include <links/plugin.h>

struct group {
    const char *name;
    long practices, list_size, signposts, referrals;
};

/* Groups in natural order: "Decile 2" before "Decile 10" (strverscmp, GNU). */
static int by_name(const void *a, const void *b)
{
    return strverscmp(((const struct group *)a)->name, ((const struct group *)b)->name);
}

static json_t *rate_json(int shown, long events, long population)
{
    return shown && population > 0 ? json_real(links_rate_per_1000(events, population)) : json_null();
}

/* One grouping as a table: counts under the rule, rates only where the
 * count is shown. */
static json_t *dimension_json(struct links_request *req, int suppress, const char *title, struct group *groups, int n,
                              FILE *csv)
{
    long sp[n > 0 ? n : 1], rf[n > 0 ? n : 1], sp_shown[n > 0 ? n : 1], rf_shown[n > 0 ? n : 1];
    long sp_total = 0, rf_total = 0, sp_total_shown, rf_total_shown;
    for (int i = 0; i < n; i++) {
        sp[i] = groups[i].signposts;
        rf[i] = groups[i].referrals;
        sp_total += sp[i];
        rf_total += rf[i];
    }
    links_report_table(suppress, sp, (size_t)n, sp_total, sp_shown, &sp_total_shown);
    links_report_table(suppress, rf, (size_t)n, rf_total, rf_shown, &rf_total_shown);
    json_t *rows = json_array();
    for (int i = 0; i < n; i++) {
        const struct group *g = &groups[i];
        json_array_append_new(rows, json_pack("{s:s, s:I, s:I, s:o, s:o, s:o, s:o}", "group", g->name, "practices",
                                              (json_int_t)g->practices, "list_size", (json_int_t)g->list_size,
                                              "signposts", links_report_count_json(sp_shown[i]), "signposts_per_1000",
                                              rate_json(sp_shown[i] >= 0, g->signposts, g->list_size), "referrals",
                                              links_report_count_json(rf_shown[i]), "referrals_per_1000",
                                              rate_json(rf_shown[i] >= 0, g->referrals, g->list_size)));
        if (csv != NULL) {
            links_report_csv_field(csv, title, 0);
            links_report_csv_field(csv, g->name, 0);
            links_report_csv_field(csv, links_arena_printf(req->arena, "%ld", g->practices), 0);
            links_report_csv_field(csv, links_arena_printf(req->arena, "%ld", g->list_size), 0);
            links_report_csv_field(csv, links_report_count_text(req, sp_shown[i]), 0);
            links_report_csv_field(csv, links_report_count_text(req, rf_shown[i]), 1);
        }
    }
    return json_pack("{s:s, s:o, s:o, s:o}", "title", title, "groups", rows, "signposts_total",
                     links_report_count_json(sp_total_shown), "referrals_total", links_report_count_json(rf_total_shown));
}

void links_handle_report_regional(struct links_request *req, const struct links_route_args *a)
{
    struct links_report_request rq;
    if (links_report_begin(req, a, NULL, &rq) < 0)
        return;
    const struct links_board *board = a->board;
    const struct links_plugin *plugin = board->plugin;
    if (plugin == NULL || plugin->abi_minor < 3 || plugin->report_dimension == NULL || plugin->report_group == NULL) {
        links_respond_problem(req, 404, "No regional report",
                              "This board's plugin has no report of its own; the practices and outcomes reports "
                              "cover every board.", NULL);
        return;
    }
    PGresult *r;
    const char *state = "", *message = "";
    const char *pv[2] = { rq.from, rq.to };
    enum links_db_status st = links_db_query_planned(req->worker->db, req->arena, links_api_board_code(a), "report_practices", 2,
                                             pv, &r, &state, &message);
    if (st != LINKS_DB_OK) {
        links_respond_db_failure(req, st, "regional report", state, message);
        return;
    }
    /* The practice rows come first; the other dimensions are not used here. */
    int rows = 0;
    while (rows < PQntuples(r) && strcmp(PQgetvalue(r, rows, 0), "practice") == 0)
        rows++;
    struct group *groups = links_arena_alloc(req->arena, sizeof *groups * (size_t)(rows > 0 ? rows : 1));
    char *text = NULL;
    size_t len = 0;
    FILE *csv = rq.csv ? open_memstream(&text, &len) : NULL;
    if (groups == NULL || (rq.csv && csv == NULL)) {
        if (csv)
            fclose(csv);
        free(text);
        links_respond_problem(req, 503, "Service temporarily overloaded", "The server ran out of memory for this report.",
                              NULL);
        return;
    }
    if (csv != NULL) {
        static const char *const head[] = { "grouping", "group", "practices", "list_size", "signposts", "referrals" };
        for (size_t i = 0; i < sizeof head / sizeof head[0]; i++)
            links_report_csv_field(csv, head[i], i + 1 == sizeof head / sizeof head[0]);
    }
    json_t *dimensions = json_array();
    for (int d = 0;; d++) {
        const char *title = plugin->report_dimension(board->state, d);
        if (title == NULL || d == 16)
            break;
        int n = 0;
        for (int i = 0; i < rows; i++) {
            struct links_report_practice p = {
                .code = PQgetvalue(r, i, 2), .name = PQgetvalue(r, i, 3), .list_size = atol(PQgetvalue(r, i, 4)),
                .district = PQgetisnull(r, i, 8) ? NULL : PQgetvalue(r, i, 8),
                .sector = PQgetisnull(r, i, 9) ? NULL : PQgetvalue(r, i, 9),
                .simd_decile = atoi(PQgetvalue(r, i, 10)), .has_links_worker = strcmp(PQgetvalue(r, i, 11), "t") == 0,
            };
            const char *name = NULL;
            if (plugin->report_group(board->state, req, d, &p, &name) != LINKS_PLUGIN_OK || name == NULL) {
                links_error("board %s: plugin %s could not group practice %s", board->cfg->slug, plugin->name, p.code);
                name = "Not grouped";
            }
            int g = 0;
            while (g < n && strcmp(groups[g].name, name) != 0)
                g++;
            if (g == n)
                groups[n++] = (struct group){ .name = links_arena_strdup(req->arena, name) };
            groups[g].practices++;
            groups[g].list_size += p.list_size;
            groups[g].signposts += atol(PQgetvalue(r, i, 6));
            groups[g].referrals += atol(PQgetvalue(r, i, 7));
        }
        qsort(groups, (size_t)n, sizeof *groups, by_name);
        json_array_append_new(dimensions, dimension_json(req, rq.suppress, title, groups, n, csv));
    }
    if (csv != NULL) {
        json_decref(dimensions);
        links_report_csv_field(csv, "note", 0);
        links_report_csv_field(csv, links_arena_printf(req->arena, "Period %s to %s", rq.from, rq.to), 0);
        for (int i = 0; i < 3; i++)
            links_report_csv_field(csv, "", 0);
        links_report_csv_field(csv, links_disclosure_rule, 1);
        if (fclose(csv) != 0) {
            free(text);
            text = NULL;
        }
        links_report_respond_csv(req, a, &rq, "regional", text, len);
        return;
    }
    links_respond_json(req, 200, json_pack("{s:s, s:s, s:s, s:s, s:s, s:b, s:s?, s:o}", "report", "regional", "board",
                                           board->cfg->slug, "region", plugin->name, "from", rq.from, "to", rq.to,
                                           "suppressed", rq.suppress, "disclosure_rule",
                                           rq.suppress ? links_disclosure_rule : NULL, "dimensions", dimensions));
}
