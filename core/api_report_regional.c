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
#include <strings.h>

#include "api.h"
#include "boards.h"
#include "disclosure.h"
#include "funnel.h"
#include "log.h"
#include "report_common.h"
#include "search.h"
#include "validate.h"
#include "worker.h"
#include "api_sql.h"

#include <links/plugin.h>

struct group {
    const char *name;
    long practices, list_size, signposts, referrals;
};

/* The board's practices without counts (for a report narrowed to one
 * group of them), in the layout of report_practices' practice rows. */
static const char practice_list_sql[] =
    "WITH " REPORT_PRACTICES_CTE " SELECT " REPORT_PRACTICE_ROW("0", "0") " FROM practices p ORDER BY p.name, p.code";

void links_report_practice_at(PGresult *r, int row, struct links_report_practice *out)
{
    *out = (struct links_report_practice){
        .code = PQgetvalue(r, row, 2), .name = PQgetvalue(r, row, 3), .list_size = atol(PQgetvalue(r, row, 4)),
        .district = PQgetisnull(r, row, 8) ? NULL : PQgetvalue(r, row, 8),
        .sector = PQgetisnull(r, row, 9) ? NULL : PQgetvalue(r, row, 9),
        .simd_decile = atoi(PQgetvalue(r, row, 10)), .has_links_worker = strcmp(PQgetvalue(r, row, 11), "t") == 0,
    };
}

int links_api_report_regional_register(void);
int links_api_report_regional_register(void)
{
    static const struct links_statement s[] = { { "report_practice_list", practice_list_sql, 0, NULL } };
    return links_db_register_all(s, sizeof s / sizeof s[0]);
}

/* Group names in natural order: "Decile 2" before "Decile 10" (strverscmp, GNU). */
static int by_text(const void *a, const void *b)
{
    return strverscmp(*(const char *const *)a, *(const char *const *)b);
}

static int has_report_hook(const struct links_plugin *plugin)
{
    return plugin != NULL && plugin->abi_minor >= 3 && plugin->report_dimension != NULL && plugin->report_group != NULL;
}

/* The group the plugin puts a practice in, for grouping `d`. */
static const char *group_of(struct links_request *req, const struct links_board *board, int d,
                            const struct links_report_practice *p)
{
    const char *name = NULL;
    if (board->plugin->report_group(board->state, req, d, p, &name) != LINKS_PLUGIN_OK || name == NULL) {
        links_error("board %s: plugin %s could not group practice %s", board->cfg->slug, board->plugin->name, p->code);
        return "Not grouped";
    }
    return name;
}

/* Answer 400 naming `field`, and drop the groupings made so far. */
static int refuse(struct links_request *req, json_t **groupings, const char *field, const char *message)
{
    json_decref(*groupings);
    *groupings = NULL;
    struct links_validation v;
    links_validation_init(&v);
    links_validation_add(&v, field, "%s", message);
    links_validation_respond(req, &v);
    return -1;
}

int links_report_group_practices(struct links_request *req, const struct links_route_args *a, const char *wanted,
                                 const char *practice, const char **members, json_t **groupings)
{
    const struct links_board *board = a->board;
    int hook = has_report_hook(board->plugin);
    *members = NULL;
    *groupings = json_array();
    if (wanted != NULL && !hook)
        return refuse(req, groupings, "group", "this board's reports have no groups of practices");
    PGresult *r;
    const char *state = "", *message = "";
    enum links_db_status st = links_db_query(req->worker->db, req->arena, links_api_board_code(a), "report_practice_list", 0,
                                             NULL, &r, &state, &message);
    if (st != LINKS_DB_OK) {
        json_decref(*groupings);
        links_respond_db_failure(req, st, "report groups", state, message);
        return -1;
    }
    int rows = PQntuples(r);
    if (practice != NULL) {
        int found = -1;
        for (int i = 0; i < rows && found < 0; i++)
            if (strcasecmp(PQgetvalue(r, i, 1), practice) == 0)
                found = i;
        if (found < 0)
            return refuse(req, groupings, "practice", "is not a practice of this board");
        *members = links_arena_printf(req->arena, "{%s}", PQgetvalue(r, found, 1));
    }
    size_t slots = (size_t)(rows > 0 ? rows : 1);
    const char **names = links_arena_alloc(req->arena, sizeof *names * slots);
    char *in_group = links_arena_zalloc(req->arena, slots);
    char *list = links_arena_alloc(req->arena, slots * 37 + 2);
    if (names == NULL || in_group == NULL || list == NULL) {
        json_decref(*groupings);
        links_respond_problem(req, 503, "Service temporarily overloaded", "The server ran out of memory for this report.",
                              NULL);
        return -1;
    }
    for (int d = 0; hook && d < 16; d++) {
        const char *title = board->plugin->report_dimension(board->state, d);
        if (title == NULL)
            break;
        size_t n = 0;
        for (int i = 0; i < rows; i++) {
            struct links_report_practice p;
            links_report_practice_at(r, i, &p);
            const char *name = group_of(req, board, d, &p);
            size_t k = 0;
            while (k < n && strcmp(names[k], name) != 0)
                k++;
            if (k == n)
                names[n++] = links_arena_strdup(req->arena, name);
            if (wanted != NULL && strcmp(name, wanted) == 0)
                in_group[i] = 1;
        }
        qsort(names, n, sizeof *names, by_text);
        json_t *group_names = json_array();
        for (size_t k = 0; k < n; k++)
            json_array_append_new(group_names, json_string(names[k]));
        json_array_append_new(*groupings, json_pack("{s:s, s:o}", "grouping", title, "groups", group_names));
    }
    /* the group's practices as a uuid[] literal */
    size_t used = 0;
    list[used++] = '{';
    for (int i = 0; i < rows; i++)
        if (in_group[i])
            used += (size_t)sprintf(list + used, "%s%s", used > 1 ? "," : "", PQgetvalue(r, i, 1));
    list[used++] = '}';
    list[used] = '\0';
    if (wanted != NULL && used == 2)
        return refuse(req, groupings, "group", "names no group of this board's practices");
    if (wanted != NULL)
        *members = list;
    return 0;
}

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
    if (!has_report_hook(plugin)) {
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
            struct links_report_practice p;
            links_report_practice_at(r, i, &p);
            const char *name = group_of(req, board, d, &p);
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
