/* report_common.c — the period, format, disclosure and CSV plumbing the
 * report endpoints share (report_common.h). */
#include "report_common.h"

#include <csv.h>
#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "authz.h"
#include "disclosure.h"
#include "search.h"
#include "validate.h"
#include "worker.h"

static const char period_sql[] =
    "SELECT to_char(d - 364, 'YYYY-MM-DD'), to_char(d, 'YYYY-MM-DD')"
    "  FROM (SELECT (now() AT TIME ZONE 'Europe/London')::date AS d) t";

int links_report_common_register(void);
int links_report_common_register(void)
{
    static const struct links_statement s[] = { { "report_period", period_sql, 0, NULL } };
    return links_db_register_all(s, sizeof s / sizeof s[0]);
}

static int listed(const char *name, const char *const *names)
{
    for (; names != NULL && *names; names++)
        if (strcmp(*names, name) == 0)
            return 1;
    return 0;
}

int links_report_begin(struct links_request *req, const struct links_route_args *a, const char *const *extra,
                       struct links_report_request *out)
{
    static const char *const common[] = { "from", "to", "format", NULL };
    struct links_validation v;
    links_validation_init(&v);
    for (int i = 0; i < req->nparams; i++)
        if (!listed(req->params[i].name, common) && !listed(req->params[i].name, extra))
            links_validation_add(&v, req->params[i].name, "is not a parameter of this report");
    const char *from = links_param(req, "from"), *to = links_param(req, "to"), *format = links_param(req, "format");
    if (from && links_datetime_parse(from) != LINKS_DATETIME_DATE)
        links_validation_add(&v, "from", "must be a date, YYYY-MM-DD");
    if (to && links_datetime_parse(to) != LINKS_DATETIME_DATE)
        links_validation_add(&v, "to", "must be a date, YYYY-MM-DD");
    if (from && to && strcmp(from, to) > 0 && !links_validation_failed(&v))
        links_validation_add(&v, "to", "must not be before from");
    if ((from == NULL) != (to == NULL) && !links_validation_failed(&v))
        links_validation_add(&v, from ? "to" : "from", "is needed with %s: a period has two ends", from ? "from" : "to");
    if (format && strcmp(format, "csv") != 0 && strcmp(format, "json") != 0)
        links_validation_add(&v, "format", "must be json or csv");
    if (links_validation_failed(&v)) {
        links_validation_respond(req, &v);
        return -1;
    }
    links_validation_free(&v);
    /* ?format= wins; otherwise an Accept naming text/csv (and not JSON) */
    out->csv = format != NULL ? strcmp(format, "csv") == 0
                              : req->in.accept != NULL && strstr(req->in.accept, "text/csv") != NULL &&
                                    strstr(req->in.accept, "application/json") == NULL;
    /* counts leave the board's administrators only through the rule */
    enum links_role role = req->principal->role;
    out->suppress = out->csv || (role != LINKS_ROLE_BOARD_ADMIN && role != LINKS_ROLE_SYSTEM_ADMIN);
    out->from = from;
    out->to = to;
    if (from != NULL)
        return 0;
    PGresult *r;
    const char *state = "", *message = "";
    enum links_db_status st = links_db_query(req->worker->db, req->arena, links_api_board_code(a), "report_period", 0,
                                             NULL, &r, &state, &message);
    if (st != LINKS_DB_OK) {
        links_respond_db_failure(req, st, "report period", state, message);
        return -1;
    }
    out->from = links_arena_strdup(req->arena, PQgetvalue(r, 0, 0));
    out->to = links_arena_strdup(req->arena, PQgetvalue(r, 0, 1));
    return 0;
}

json_t *links_report_count_json(long shown)
{
    if (shown == LINKS_HIDDEN)
        return json_string("<5");
    if (shown == LINKS_HIDDEN_OTHER)
        return json_string("*");
    return json_integer(shown);
}

const char *links_report_count_text(struct links_request *req, long shown)
{
    return shown == LINKS_HIDDEN ? "<5" : shown == LINKS_HIDDEN_OTHER ? "*" : links_arena_printf(req->arena, "%ld", shown);
}

void links_report_table(int suppress, const long *counts, size_t n, long total, long *shown, long *shown_total)
{
    if (suppress) {
        links_disclosure_apply(counts, n, total, shown, shown_total);
        return;
    }
    memcpy(shown, counts, n * sizeof *counts);
    *shown_total = total;
}

/* A plain decimal number: an optional minus, digits, an optional point
 * and more digits ("-0.52"). */
static int plain_number(const char *text)
{
    const char *c = text + (*text == '-');
    int digits = 0, point = 0;
    for (; *c != '\0'; c++) {
        if (*c >= '0' && *c <= '9')
            digits++;
        else if (*c == '.' && !point)
            point = 1;
        else
            return 0;
    }
    return digits > 0;
}

void links_report_csv_field(FILE *f, const char *text, int last)
{
    /* A spreadsheet runs a cell that starts with =, +, -, @, a tab or a
     * carriage return as a formula: such text (a name someone typed) goes
     * out with an apostrophe first, which spreadsheets show as text.
     * Numbers (a negative mean change) go out as they are. */
    if (strchr("=+-@\t\r", text[0]) != NULL && text[0] != '\0' && !plain_number(text)) {
        size_t len = strlen(text);
        char *guarded = malloc(len + 2);
        if (guarded != NULL) {
            guarded[0] = '\'';
            memcpy(guarded + 1, text, len + 1);
            csv_fwrite(f, guarded, len + 1);
            free(guarded);
            fputs(last ? "\r\n" : ",", f);
            return;
        }
    }
    csv_fwrite(f, text, strlen(text));
    fputs(last ? "\r\n" : ",", f);
}

static void free_text(void *p)
{
    free(p);
}

void links_report_respond_csv(struct links_request *req, const struct links_route_args *a,
                              const struct links_report_request *rq, const char *name, char *text, size_t len)
{
    if (text == NULL || links_arena_on_reset(req->arena, free_text, text) < 0) {
        free(text);
        links_respond_problem(req, 503, "Service temporarily overloaded", "The server ran out of memory for this report.",
                              NULL);
        return;
    }
    req->status = 200;
    req->content_type = "text/csv; charset=utf-8";
    links_add_header(req, "Content-Disposition",
                     links_arena_printf(req->arena, "attachment; filename=\"%s-%s-%s-to-%s.csv\"", a->board->cfg->slug,
                                        name, rq->from, rq->to));
    req->body = text;
    req->body_len = len;
}
