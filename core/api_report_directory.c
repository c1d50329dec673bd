/* api_report_directory.c — directory health among the reports: the share
 * of the board's services reviewed within their review period, overall,
 * by top-level category and by champion, on a day (today by default; a
 * past day as the directory stood then, from the services' histories).
 *
 *   GET /api/v1/boards/{board}/reports/directory[?on=YYYY-MM-DD][&format=csv]
 *
 * The figures are the champions' freshness summary (api_directory.c's
 * directory_freshness statement). They count services, not people, so
 * the disclosure rule is not applied; the report says so. Champions are
 * named, without their usernames and ids. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "report_common.h"
#include "search.h"
#include "validate.h"
#include "worker.h"

static const char not_people[] =
    "These are counts of services, not of people: the small-numbers rule for patient counts does not apply.";

static void csv_row(FILE *f, struct links_request *req, const char *grouping, const char *name, json_t *row)
{
    json_t *share = json_object_get(row, "share_current");
    links_report_csv_field(f, grouping, 0);
    links_report_csv_field(f, name, 0);
    links_report_csv_field(f, links_arena_printf(req->arena, "%lld", (long long)json_integer_value(json_object_get(row, "total"))), 0);
    links_report_csv_field(f, links_arena_printf(req->arena, "%lld", (long long)json_integer_value(json_object_get(row, "current"))), 0);
    links_report_csv_field(f, json_is_number(share) ? links_arena_printf(req->arena, "%.1f", 100 * json_number_value(share)) : "", 1);
}

static char *directory_csv(struct links_request *req, json_t *doc, size_t *len)
{
    char *text = NULL;
    FILE *f = open_memstream(&text, len);
    if (f == NULL)
        return NULL;
    static const char *const head[] = { "grouping", "name", "services", "reviewed_in_time", "percent_reviewed_in_time" };
    for (size_t i = 0; i < sizeof head / sizeof head[0]; i++)
        links_report_csv_field(f, head[i], i + 1 == sizeof head / sizeof head[0]);
    csv_row(f, req, "all", "All services", doc);
    size_t i;
    json_t *row;
    json_array_foreach(json_object_get(doc, "by_category"), i, row)
        csv_row(f, req, "category", json_string_value(json_object_get(row, "name")), row);
    json_array_foreach(json_object_get(doc, "by_champion"), i, row) {
        json_t *champion = json_object_get(row, "champion");
        csv_row(f, req, "champion", json_is_object(champion) ? json_string_value(json_object_get(champion, "name")) : "No champion",
                row);
    }
    links_report_csv_field(f, "note", 0);
    links_report_csv_field(f, links_arena_printf(req->arena, "On %s; reviewed in time: within %lld days of the last review",
                                                 json_string_value(json_object_get(doc, "on")),
                                                 (long long)json_integer_value(json_object_get(doc, "review_period_days"))), 0);
    links_report_csv_field(f, "", 0);
    links_report_csv_field(f, "", 0);
    links_report_csv_field(f, not_people, 1);
    if (fclose(f) != 0) {
        free(text);
        return NULL;
    }
    return text;
}

void links_handle_report_directory(struct links_request *req, const struct links_route_args *a)
{
    static const char *const extra[] = { "on", NULL };
    struct links_validation v;
    links_validation_init(&v);
    /* before the common checks, which would ask for the other end */
    if (links_param(req, "from") || links_param(req, "to")) {
        links_validation_add(&v, links_param(req, "from") ? "from" : "to",
                             "is not a parameter of this report: it is of one day (on=YYYY-MM-DD, by default today)");
        links_validation_respond(req, &v);
        return;
    }
    links_validation_free(&v);
    struct links_report_request rq;
    if (links_report_begin(req, a, extra, &rq) < 0)
        return;
    const char *on = links_param(req, "on");
    links_validation_init(&v);
    if (on && links_datetime_parse(on) != LINKS_DATETIME_DATE)
        links_validation_add(&v, "on", "must be a date, YYYY-MM-DD");
    else if (on && strcmp(on, rq.to) > 0)
        links_validation_add(&v, "on", "must not be after today (%s)", rq.to);
    if (links_validation_failed(&v)) {
        links_validation_respond(req, &v);
        return;
    }
    links_validation_free(&v);
    PGresult *r;
    const char *state = "", *message = "";
    const char *pv[1] = { on };
    enum links_db_status st = links_db_query(req->worker->db, req->arena, links_api_board_code(a), "directory_freshness", 1,
                                             pv, &r, &state, &message);
    if (st != LINKS_DB_OK) {
        links_respond_db_failure(req, st, "directory report", state, message);
        return;
    }
    json_t *doc = json_loads(PQgetvalue(r, 0, 0), 0, NULL);
    if (doc == NULL) {
        links_respond_problem(req, 503, "Service temporarily overloaded", "The server ran out of memory for this report.",
                              NULL);
        return;
    }
    /* champions by name only: everyone who reads reports sees this, not
     * only those who edit the directory */
    size_t i;
    json_t *row;
    json_array_foreach(json_object_get(doc, "by_champion"), i, row) {
        json_t *champion = json_object_get(row, "champion");
        if (json_is_object(champion)) {
            json_object_del(champion, "id");
            json_object_del(champion, "username");
        }
    }
    json_object_set_new(doc, "report", json_string("directory"));
    json_object_set_new(doc, "board", json_string(a->board->cfg->slug));
    json_object_set_new(doc, "on", json_string(PQgetvalue(r, 0, 1)));
    json_object_set_new(doc, "note", json_string(not_people));
    if (!rq.csv) {
        links_respond_json(req, 200, doc);
        return;
    }
    size_t len = 0;
    char *text = directory_csv(req, doc, &len);
    json_decref(doc);
    /* the file is named for the day */
    struct links_report_request named = rq;
    named.from = named.to = PQgetvalue(r, 0, 1);
    links_report_respond_csv(req, a, &named, "directory", text, len);
}
