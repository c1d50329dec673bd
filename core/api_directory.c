/* api_directory.c — champions keep their board's directory current.
 *
 *   GET   /api/v1/boards/{board}/directory/services           the board's services, with
 *                                                             their review state (?due, mine, q, status)
 *   POST  /api/v1/boards/{board}/directory/services           a new service
 *   GET   /api/v1/boards/{board}/directory/services/{id}      one, as champions edit it (ETag)
 *   PATCH /api/v1/boards/{board}/directory/services/{id}      change it (If-Match: the ETag)
 *   POST  /api/v1/boards/{board}/directory/services/{id}/review   "still correct"
 *   GET   /api/v1/boards/{board}/directory/services/{id}/history  every change, field by field
 *   GET   /api/v1/boards/{board}/directory/freshness          share reviewed within the period
 *   GET   /api/v1/boards/{board}/directory/settings           the board's review period
 *   PATCH /api/v1/boards/{board}/directory/settings           (board administrators)
 *
 * Every change goes through service_edit() (schema/0008_champions.sql) in
 * one transaction with its audit record: the version check, the change
 * and its history land together or not at all. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "api_sql.h"
#include "audit.h"
#include "auth.h"
#include "directory_edit.h"
#include "validate.h"
#include "worker.h"

#define REVIEW_STATE(s, b) \
    "CASE WHEN " s ".last_reviewed IS NULL OR " s ".last_reviewed + " b ".review_period_days + " b ".review_grace_days" \
    " < current_date THEN 'overdue'" \
    " WHEN " s ".last_reviewed + " b ".review_period_days <= current_date THEN 'due'" \
    " WHEN " s ".last_reviewed + " b ".review_period_days <= current_date + 30 THEN 'due_soon'" \
    " ELSE 'current' END"

#define CHAMPION_JSON(s) \
    "(SELECT json_build_object('id', st.id, 'name', st.display_name, 'username', st.username)" \
    " FROM staff st WHERE st.id = " s ".champion_id AND st.board_key = " s ".board_id)"

/* $1 q, $2 due only, $3 champion, $4 status, $5 limit, $6 offset */
static const char list_sql[] =
    "WITH b AS (SELECT * FROM board WHERE id = current_board_id()),"
    " svc AS (SELECT s.*, o.name AS organization_name, s.last_reviewed + b.review_period_days AS review_due,"
    "   " REVIEW_STATE("s", "b") " AS review_state"
    "   FROM service s CROSS JOIN b JOIN organization o ON o.id = s.organization_id"
    "  WHERE" BOARD_FILTER("s")
    "    AND ($1::text IS NULL OR strpos(lower(s.name), lower($1::text)) > 0"
    "         OR strpos(lower(o.name), lower($1::text)) > 0)"
    "    AND ($3::uuid IS NULL OR s.champion_id = $3::uuid)"
    "    AND ($4::text IS NULL OR s.status = $4::text))"
    " SELECT json_build_object("
    "   'review_period_days', (SELECT review_period_days FROM b), 'review_grace_days', (SELECT review_grace_days FROM b),"
    "   'total', (SELECT count(*) FROM svc x WHERE NOT $2::boolean OR (x.review_state <> 'current' AND x.status <> 'defunct')),"
    "   'items', coalesce((SELECT json_agg(json_build_object("
    "       'id', x.id, 'name', x.name, 'organization', x.organization_name, 'status', x.status, 'area', x.area,"
    "       'version', x.version, 'last_reviewed', x.last_reviewed, 'review_due', x.review_due,"
    "       'review_state', x.review_state, 'champion', " CHAMPION_JSON("x") ") ORDER BY x.ord)"
    "     FROM (SELECT y.*, row_number() OVER (ORDER BY CASE WHEN $2::boolean THEN y.review_due END NULLS FIRST,"
    "                                          y.name, y.id) AS ord"
    "             FROM svc y WHERE NOT $2::boolean OR (y.review_state <> 'current' AND y.status <> 'defunct')"
    "            ORDER BY ord LIMIT $5::int OFFSET $6::int) x), '[]'))::text";

/* One service as champions see and edit it. */
static const char get_sql[] =
    "SELECT (json_build_object("
    "  'id', s.id, 'version', s.version, 'name', s.name, 'alternate_name', s.alternate_name,"
    "  'description', s.description, 'url', s.url, 'email', s.email, 'status', s.status,"
    "  'fees_description', s.fees_description, 'is_free', s.is_free,"
    "  'eligibility_description', s.eligibility_description, 'minimum_age', s.minimum_age,"
    "  'maximum_age', s.maximum_age, 'application_process', s.application_process,"
    "  'accepts_referrals', s.accepts_referrals, 'self_referral', s.self_referral,"
    "  'capacity_available', s.capacity_available,"
    "  'capacity_maximum', s.capacity_maximum, 'capacity_unit', s.capacity_unit,"
    "  'capacity_updated', " UTC("s.capacity_updated") ", 'alert', s.alert,"
    "  'interpretation_services', s.interpretation_services, 'wait_time', s.wait_time,"
    "  'area', s.area, 'champion', " CHAMPION_JSON("s") ","
    "  'organization', json_build_object('id', o.id, 'name', o.name),"
    "  'locations', (SELECT coalesce(json_agg(json_build_object('id', l.id, 'name', l.name, 'address_1', l.address_1,"
    "                  'city', l.city, 'postcode', l.postcode) ORDER BY l.name, l.id), '[]')"
    "                  FROM service_at_location sal JOIN location l ON l.id = sal.location_id WHERE sal.service_id = s.id),"
    "  'last_reviewed', s.last_reviewed, 'review_due', s.last_reviewed + b.review_period_days,"
    "  'review_state', " REVIEW_STATE("s", "b") ", 'last_modified', " UTC("s.last_modified") ")::jsonb"
    "  || service_lists(s.id))::text, s.version"
    " FROM service s JOIN organization o ON o.id = s.organization_id"
    " JOIN board b ON b.id = current_board_id()"
    " WHERE s.id = $1::uuid AND" BOARD_FILTER("s");

/* Names that an edit refers to and that must exist in this board: unknown
 * categories, council areas, a champion who is not one. */
static const char check_sql[] =
    "SELECT (SELECT string_agg(t.slug, ', ') FROM unnest($1::text[]) t(slug)"
    "         WHERE NOT EXISTS (SELECT 1 FROM category c WHERE c.slug = t.slug)),"
    "       (SELECT string_agg(t.code, ', ') FROM unnest($2::text[]) t(code)"
    "         WHERE NOT EXISTS (SELECT 1 FROM council_area c WHERE c.code = t.code)"
    "           AND NOT EXISTS (SELECT 1 FROM board b WHERE b.code = t.code) AND t.code <> 'S92000003'"
    "           AND NOT EXISTS (SELECT 1 FROM postcode_area a WHERE a.area = t.code)),"
    "       $3::uuid IS NULL OR EXISTS (SELECT 1 FROM staff st WHERE st.id = $3::uuid"
    "         AND st.board_id = current_board_id() AND st.role IN ('champion', 'board_admin') AND st.disabled_at IS NULL)";

static const char edit_sql[] =
    "SELECT service_edit($1::uuid, $2::int, $3::jsonb, $4, $5::uuid, $6, $7)::text";

/* A new service: its organization (an existing one of the board or a
 * national one, or a new one of the board), where it is, and its first
 * champion (whoever creates it). */
static const char create_sql[] =
    "WITH new_org AS (INSERT INTO organization (board_id, name, description)"
    "  SELECT current_board_id(), $2, '' WHERE $1::uuid IS NULL RETURNING id),"
    " org AS (SELECT o.id FROM organization o WHERE o.id = $1::uuid AND" BOARD_FILTER("o")
    "  UNION ALL SELECT id FROM new_org),"
    " svc AS (INSERT INTO service (board_id, organization_id, name, description, area, champion_id, last_reviewed)"
    "  SELECT current_board_id(), org.id, $3, $4, $5, $6::uuid, current_date FROM org RETURNING id, organization_id),"
    " loc AS (INSERT INTO location (board_id, organization_id, name, address_1, city, postcode)"
    "  SELECT current_board_id(), svc.organization_id, $7, $8, $9, $10 FROM svc WHERE $10::text IS NOT NULL"
    "  RETURNING id),"
    " sal AS (INSERT INTO service_at_location (board_id, service_id, location_id)"
    "  SELECT current_board_id(), svc.id, loc.id FROM svc, loc RETURNING id)"
    " SELECT svc.id, (SELECT count(*) FROM sal) FROM svc";

static const char history_sql[] =
    "SELECT json_build_object('changes', coalesce(json_agg(json_build_object("
    "   'version', c.version, 'at', " UTC("c.at") ", 'by', c.actor_name, 'action', c.action,"
    "   'field', c.field, 'from', c.old_value, 'to', c.new_value) ORDER BY c.id DESC), '[]'))::text"
    " FROM service_change c WHERE c.service_id = $1::uuid AND" BOARD_FILTER("c")
    "   AND EXISTS (SELECT 1 FROM service s WHERE s.id = $1::uuid AND" BOARD_FILTER("s") ")"
    " HAVING EXISTS (SELECT 1 FROM service s WHERE s.id = $1::uuid AND" BOARD_FILTER("s") ")";

/* The share of the board's services (not retired) reviewed within the
 * review period on a day ($1, a date; NULL: today in Europe/London),
 * overall, by top-level category and by champion. For a past day each
 * service's last review and status are those it had then: the value before
 * the first change made after that day (service_change keeps every one;
 * an old value recorded as SQL NULL, never reviewed, stays NULL), else the
 * value now — but a review dated after the day (a load that set the date
 * directly, with no history of what came before) cannot have counted on
 * it: not reviewed. A service created after the day is
 * left out. Its champion and categories are today's. Also
 * the directory-health report's figures (api_report_directory.c). */
#define FIELD_ON(field, now_value) \
    "coalesce((SELECT coalesce(c.old_value, 'null'::jsonb) FROM service_change c" \
    "           WHERE c.service_id = s.id AND c.field = '" field "' AND c.at >= d.day_end ORDER BY c.id LIMIT 1)," \
    "         to_jsonb(" now_value "))"
static const char freshness_sql[] =
    "WITH b AS (SELECT * FROM board WHERE id = current_board_id()),"
    " d AS (SELECT day, ((day + 1)::timestamp AT TIME ZONE 'Europe/London') AS day_end"
    "         FROM (SELECT coalesce($1::date, (now() AT TIME ZONE 'Europe/London')::date) AS day) x),"
    " on_day AS (SELECT s.id, s.champion_id, s.category_lineage,"
    "                 (SELECT CASE WHEN lr.v <= d.day THEN lr.v END"
    "                    FROM (SELECT (" FIELD_ON("last_reviewed", "s.last_reviewed") " #>> '{}')::date AS v) lr) AS last_reviewed,"
    "                 " FIELD_ON("status", "s.status") " #>> '{}' AS status"
    "            FROM service s CROSS JOIN d WHERE" BOARD_FILTER("s")
    "             AND NOT EXISTS (SELECT 1 FROM service_change c WHERE c.service_id = s.id AND c.version = 1"
    "                               AND c.action IN ('created', 'imported') AND c.at >= d.day_end)),"
    " svc AS (SELECT t.id, t.champion_id, t.category_lineage,"
    "   CASE WHEN t.last_reviewed IS NULL OR t.last_reviewed + b.review_period_days + b.review_grace_days < d.day THEN 'overdue'"
    "        WHEN t.last_reviewed + b.review_period_days <= d.day THEN 'due'"
    "        WHEN t.last_reviewed + b.review_period_days <= d.day + 30 THEN 'due_soon'"
    "        ELSE 'current' END AS state"
    "   FROM on_day t CROSS JOIN b CROSS JOIN d WHERE t.status IS DISTINCT FROM 'defunct'),"
    " summary AS (SELECT count(*) AS total, count(*) FILTER (WHERE state IN ('current', 'due_soon')) AS current,"
    "   count(*) FILTER (WHERE state = 'due') AS due, count(*) FILTER (WHERE state = 'overdue') AS overdue FROM svc)"
    " SELECT json_build_object("
    "  'review_period_days', b.review_period_days, 'review_grace_days', b.review_grace_days,"
    "  'total', m.total, 'current', m.current, 'due', m.due, 'overdue', m.overdue,"
    "  'share_current', CASE WHEN m.total > 0 THEN round(m.current::numeric / m.total, 4) END,"
    "  'by_category', (SELECT coalesce(json_agg(json_build_object('slug', c.slug, 'name', c.name, 'total', x.total,"
    "        'current', x.current, 'share_current', round(x.current::numeric / x.total, 4)) ORDER BY c.name), '[]')"
    "     FROM category c JOIN LATERAL (SELECT count(*) AS total,"
    "        count(*) FILTER (WHERE v.state IN ('current', 'due_soon')) AS current FROM svc v"
    "        WHERE v.category_lineage @> ARRAY[c.id]) x ON x.total > 0 WHERE c.parent_id IS NULL),"
    "  'by_champion', (SELECT coalesce(json_agg(json_build_object('champion', CASE WHEN y.champion_id IS NULL THEN NULL"
    "        ELSE json_build_object('id', st.id, 'name', st.display_name, 'username', st.username) END,"
    "        'total', y.total, 'current', y.current, 'share_current', round(y.current::numeric / y.total, 4))"
    "        ORDER BY st.display_name NULLS LAST), '[]')"
    "     FROM (SELECT v.champion_id, count(*) AS total,"
    "             count(*) FILTER (WHERE v.state IN ('current', 'due_soon')) AS current FROM svc v GROUP BY 1) y"
    "     LEFT JOIN staff st ON st.id = y.champion_id AND st.board_key = current_board_id()))::text,"
    "  d.day"
    " FROM b CROSS JOIN summary m CROSS JOIN d";

static const char settings_sql[] =
    "SELECT json_build_object('review_period_days', b.review_period_days,"
    " 'review_grace_days', b.review_grace_days)::text FROM board b WHERE b.id = current_board_id()";

static const char settings_update_sql[] =
    "WITH old AS (SELECT review_period_days, review_grace_days FROM board WHERE id = current_board_id() FOR UPDATE)"
    " UPDATE board b SET review_period_days = coalesce($1::int, b.review_period_days),"
    "  review_grace_days = coalesce($2::int, b.review_grace_days) FROM old WHERE b.id = current_board_id()"
    " RETURNING json_build_object('review_period_days', old.review_period_days,"
    "  'review_grace_days', old.review_grace_days)::text,"
    "  json_build_object('review_period_days', b.review_period_days, 'review_grace_days', b.review_grace_days)::text";

int links_api_directory_register(void);
int links_api_directory_register(void)
{
    static const struct links_statement s[] = {
        { "directory_list", list_sql, 0, NULL },
        { "directory_get", get_sql, 0, NULL },
        { "directory_check", check_sql, 0, NULL },
        { "directory_edit", edit_sql, 0, NULL },
        { "directory_create", create_sql, 0, NULL },
        { "directory_history", history_sql, 0, NULL },
        { "directory_freshness", freshness_sql, 0, NULL },
        { "directory_settings", settings_sql, 0, NULL },
        { "directory_settings_update", settings_update_sql, 0, NULL },
    };
    return links_db_register_all(s, sizeof s / sizeof s[0]);
}

static const char *flag_param(struct links_request *req, struct links_validation *v, const char *name)
{
    const char *s = links_param(req, name);
    if (s == NULL || strcmp(s, "false") == 0)
        return "false";
    if (strcmp(s, "true") == 0)
        return "true";
    links_validation_add(v, name, "must be true or false");
    return "false";
}

void links_handle_directory_list(struct links_request *req, const struct links_route_args *a)
{
    static const char *const known[] = { "q", "due", "mine", "status", "page", "per_page", NULL };
    struct links_validation v;
    links_validation_init(&v);
    for (int i = 0; i < req->nparams; i++) {
        int ok = 0;
        for (const char *const *k = known; *k != NULL; k++)
            ok |= strcmp(req->params[i].name, *k) == 0;
        if (!ok)
            links_validation_add(&v, req->params[i].name, "is not a parameter of this list");
    }
    const char *q = links_param(req, "q");
    if (q != NULL && (links_utf8_length(q) > 200))
        links_validation_add(&v, "q", "is too long; at most 200 characters are allowed");
    if (q != NULL && *q == '\0')
        q = NULL;
    const char *due = flag_param(req, &v, "due");
    const char *mine = flag_param(req, &v, "mine");
    const char *status = links_param(req, "status");
    if (status != NULL && strcmp(status, "active") != 0 && strcmp(status, "temporarily closed") != 0 &&
        strcmp(status, "inactive") != 0 && strcmp(status, "defunct") != 0)
        links_validation_add(&v, "status", "must be active, temporarily closed, inactive or defunct");
    long page = 1, per_page = 50;
    const char *p = links_param(req, "page"), *pp = links_param(req, "per_page");
    if (p != NULL && links_parse_int(p, 1, 10000, &page) < 0)
        links_validation_add(&v, "page", "must be a whole number from 1 to 10000");
    if (pp != NULL && links_parse_int(pp, 1, 200, &per_page) < 0)
        links_validation_add(&v, "per_page", "must be a whole number from 1 to 200");
    if (links_validation_failed(&v)) {
        links_validation_respond(req, &v);
        return;
    }
    links_validation_free(&v);
    char limit[16], offset[24];
    snprintf(limit, sizeof limit, "%ld", per_page);
    snprintf(offset, sizeof offset, "%ld", (page - 1) * per_page);
    const char *values[6] = { q, due, strcmp(mine, "true") == 0 ? req->principal->staff_id : NULL, status,
                              limit, offset };
    links_api_respond_row(req, links_api_board_code(a), "directory_list", 6, values, 200);
}

/* The service as champions edit it, with its version as the ETag. */
static void respond_service(struct links_request *req, const struct links_route_args *a, const char *id,
                            int status)
{
    PGresult *r;
    const char *state, *message;
    enum links_db_status st = links_db_query(req->worker->db, req->arena, links_api_board_code(a),
                                             "directory_get", 1, &id, &r, &state, &message);
    if (st != LINKS_DB_OK) {
        links_api_db_failed(req, st, "directory get", state, message, NULL, NULL, NULL);
        return;
    }
    if (PQntuples(r) == 0) {
        links_respond_problem(req, 404, "Not found", "There is no service with this id in this board's directory.",
                              NULL);
        return;
    }
    links_add_header(req, "ETag", links_arena_printf(req->arena, "\"%s\"", PQgetvalue(r, 0, 1)));
    links_respond_raw_json(req, status, PQgetvalue(r, 0, 0));
}

void links_handle_directory_get(struct links_request *req, const struct links_route_args *a)
{
    respond_service(req, a, a->id, 200);
}

/* Look up what the edit names (categories, areas, the champion); adds
 * errors for those that do not exist. -1 after answering a failure. */
static int check_references(struct links_request *req, const char *board, json_t *edit,
                            struct links_validation *v)
{
    json_t *cats = json_array(), *codes = json_array();
    size_t i;
    json_t *item;
    json_array_foreach(json_object_get(edit, "categories"), i, item)
        json_array_append(cats, item);
    json_array_foreach(json_object_get(edit, "service_areas"), i, item) {
        const char *code = json_string_value(json_object_get(item, "code"));
        if (code != NULL)
            json_array_append_new(codes, json_string(code));
    }
    /* JSON arrays of strings read as text[] literals through PostgreSQL's
     * own parser: "{"a","b"}" with each element quoted and escaped. */
    char *c1 = json_dumps(cats, JSON_COMPACT), *c2 = json_dumps(codes, JSON_COMPACT);
    json_decref(cats);
    json_decref(codes);
    const char *arr1 = links_arena_printf(req->arena, "{%.*s}", (int)(strlen(c1) - 2), c1 + 1);
    const char *arr2 = links_arena_printf(req->arena, "{%.*s}", (int)(strlen(c2) - 2), c2 + 1);
    free(c1);
    free(c2);
    const char *values[3] = { arr1, arr2, json_string_value(json_object_get(edit, "champion_id")) };
    PGresult *r;
    const char *state, *message;
    enum links_db_status st = links_db_query(req->worker->db, req->arena, board, "directory_check", 3, values, &r,
                                             &state, &message);
    if (st != LINKS_DB_OK) {
        links_validation_free(v);
        links_api_db_failed(req, st, "directory check", state, message, NULL, NULL, NULL);
        return -1;
    }
    if (!PQgetisnull(r, 0, 0))
        links_validation_add(v, "categories", "has categories this directory does not know: %s", PQgetvalue(r, 0, 0));
    if (!PQgetisnull(r, 0, 1))
        links_validation_add(v, "service_areas", "has areas this directory does not know: %s", PQgetvalue(r, 0, 1));
    if (PQgetvalue(r, 0, 2)[0] != 't')
        links_validation_add(v, "champion_id", "must be a champion or administrator of this board");
    return 0;
}

/* What every change does before its statements: look up what the edit
 * names, answer every problem found in one 400, and open the transaction.
 * -1: answered (and `edit` released); 0: go on. */
static int begin_change(struct links_request *req, const char *board, json_t *edit, struct links_validation *v)
{
    if (!links_validation_failed(v) && check_references(req, board, edit, v) < 0) {
        json_decref(edit);
        return -1;
    }
    if (links_validation_failed(v)) {
        json_decref(edit);
        links_validation_respond(req, v);
        return -1;
    }
    links_validation_free(v);
    if (links_api_begin(req, board) < 0) {
        json_decref(edit);
        return -1;
    }
    return 0;
}

/* The version an If-Match names: "12" (quotes included). -1: none; -2:
 * malformed. */
static long if_match_version(const struct links_request *req)
{
    const char *s = req->in.if_match;
    if (s == NULL)
        return -1;
    size_t n = strlen(s);
    long version;
    if (n < 3 || s[0] != '"' || s[n - 1] != '"')
        return -2;
    char digits[16];
    if (n - 2 >= sizeof digits)
        return -2;
    memcpy(digits, s + 1, n - 2);
    digits[n - 2] = '\0';
    return links_parse_int(digits, 1, 2000000000, &version) == 0 ? version : -2;
}

/* Run service_edit inside the open transaction and answer its outcome:
 * 0 when the change is made (the caller commits), -1 after answering. */
static int apply_edit(struct links_request *req, const char *id, long expected, json_t *edit, const char *action,
                      json_t **outcome, const char **state, const char **message, enum links_db_status *st)
{
    char version[24];
    snprintf(version, sizeof version, "%ld", expected);
    char *text = json_dumps(edit, JSON_COMPACT);
    const char *values[7] = { id, expected > 0 ? version : NULL, links_arena_strdup(req->arena, text), action,
                              req->principal->staff_id, req->principal->username, req->request_id };
    free(text);
    PGresult *r;
    *st = links_db_exec(req->worker->db, req->arena, "directory_edit", 7, values, &r, state, message);
    if (*st != LINKS_DB_OK)
        return 0;
    *outcome = json_loads(PQgetvalue(r, 0, 0), 0, NULL);
    const char *result = json_string_value(json_object_get(*outcome, "status"));
    if (result != NULL && strcmp(result, "ok") == 0)
        return 0;
    links_db_rollback(req->worker->db);
    if (result != NULL && strcmp(result, "conflict") == 0) {
        json_t *extra = json_pack("{s:O, s:O}", "current_version", json_object_get(*outcome, "version"),
                                  "changes", json_object_get(*outcome, "changes"));
        links_add_header(req, "ETag", links_arena_printf(req->arena, "\"%lld\"",
                                                         json_integer_value(json_object_get(*outcome, "version"))));
        links_respond_problem_extra(req, 412, "Changed by someone else",
                                    "Someone else changed this service after you opened it. Their changes are "
                                    "listed; look at the service again and make your change on top of theirs.",
                                    extra);
    } else {
        links_respond_problem(req, 404, "Not found", "There is no service with this id in this board's directory.",
                              NULL);
    }
    json_decref(*outcome);
    *outcome = NULL;
    return -1;
}

/* Map what the database refused to the field it concerns. */
static void edit_failed(struct links_request *req, enum links_db_status st, const char *state, const char *message)
{
    if (st == LINKS_DB_ERROR && (strcmp(state, "23514") == 0 || strcmp(state, "22023") == 0)) {
        struct links_validation v;
        links_validation_init(&v);
        if (strstr(message, "age") != NULL)
            links_validation_add(&v, "minimum_age", "must not be more than maximum_age");
        else if (strstr(message, "capacity") != NULL)
            links_validation_add(&v, "capacity_available", "must not be more than capacity_maximum");
        else if (strstr(message, "postcode") != NULL)
            links_validation_add(&v, "location", "has a postcode this directory does not know");
        else
            links_validation_add(&v, "body", "these values do not fit together");
        links_validation_respond(req, &v);
        return;
    }
    links_api_db_failed(req, st, "directory edit", state, message, NULL, NULL, NULL);
}

static int audit_change(struct links_request *req, const char *action, const char *id, json_t *outcome,
                        const char **state, const char **message)
{
    struct links_audit_entry e = { .action = action, .object_type = "service", .object_id = id,
                                   .detail = outcome };
    return links_audit_tx(req, &e, state, message) == LINKS_DB_OK ? 0 : -1;
}

void links_handle_directory_update(struct links_request *req, const struct links_route_args *a)
{
    long expected = if_match_version(req);
    if (expected == -1 || (req->in.if_match != NULL && strcmp(req->in.if_match, "*") == 0)) {
        links_respond_problem(req, 428, "If-Match required",
                              "Send the ETag you read with the service in If-Match, so that a change someone "
                              "else made meanwhile is not overwritten.", NULL);
        return;
    }
    if (expected == -2) {
        links_respond_problem(req, 400, "Invalid If-Match",
                              "If-Match must be the ETag the service was read with, such as \"12\".", NULL);
        return;
    }
    json_t *body = links_json_body(req);
    if (body == NULL)
        return;
    struct links_validation v;
    links_validation_init(&v);
    json_t *edit = links_directory_edit(body, &v, 0);
    if (!links_validation_failed(&v) && json_object_size(edit) == 0)
        links_validation_add(&v, "body", "names nothing to change");
    const char *board = links_api_board_code(a);
    if (begin_change(req, board, edit, &v) < 0)
        return;
    json_t *outcome = NULL;
    const char *state = "", *message = "";
    enum links_db_status st;
    int rc = apply_edit(req, a->id, expected, edit, "edited", &outcome, &state, &message, &st);
    json_decref(edit);
    if (rc < 0)
        return;
    if (st == LINKS_DB_OK && json_array_size(json_object_get(outcome, "changed")) > 0 &&
        audit_change(req, "service.updated", a->id, outcome, &state, &message) < 0)
        st = LINKS_DB_ERROR;
    json_decref(outcome);
    if (st == LINKS_DB_OK)
        st = links_db_commit(req->worker->db, req->arena, &state, &message);
    if (st != LINKS_DB_OK) {
        links_db_rollback(req->worker->db);
        edit_failed(req, st, state, message);
        return;
    }
    respond_service(req, a, a->id, 200);
}

void links_handle_directory_review(struct links_request *req, const struct links_route_args *a)
{
    long expected = if_match_version(req);
    if (expected == -2) {
        links_respond_problem(req, 400, "Invalid If-Match",
                              "If-Match must be the ETag the service was read with, such as \"12\".", NULL);
        return;
    }
    if (req->in.body != NULL && req->in.body_len > 0) {
        struct links_validation v;
        links_validation_init(&v);
        links_validation_add(&v, "body", "must be empty: a review says only that the entry is still correct");
        links_validation_respond(req, &v);
        return;
    }
    const char *board = links_api_board_code(a);
    if (links_api_begin(req, board) < 0)
        return;
    json_t *edit = json_pack("{s:b}", "review", 1), *outcome = NULL;
    const char *state = "", *message = "";
    enum links_db_status st;
    int rc = apply_edit(req, a->id, expected, edit, "edited", &outcome, &state, &message, &st);
    json_decref(edit);
    if (rc < 0)
        return;
    if (st == LINKS_DB_OK && audit_change(req, "service.reviewed", a->id, outcome, &state, &message) < 0)
        st = LINKS_DB_ERROR;
    json_decref(outcome);
    if (links_api_commit(req, st, state, message, "directory review", NULL, NULL, NULL) < 0)
        return;
    respond_service(req, a, a->id, 200);
}

void links_handle_directory_create(struct links_request *req, const struct links_route_args *a)
{
    json_t *body = links_json_body(req);
    if (body == NULL)
        return;
    struct links_validation v;
    links_validation_init(&v);
    json_t *edit = links_directory_edit(body, &v, 1);
    struct links_fields f = { body, &v };
    const char *name = links_field_string(&f, "name", 1, 200, NULL);
    const char *description = links_field_string(&f, "description", 1, 4000, NULL);
    const char *org_id = json_string_value(json_object_get(body, "organization_id"));
    const char *org_name = links_field_string(&f, "organization_name", 0, 200, NULL);
    if (json_object_get(body, "organization_id") != NULL && (org_id == NULL || !links_uuid_valid(org_id)))
        links_validation_add(&v, "organization_id", "must be the id of an organization");
    if ((org_id == NULL) == (org_name == NULL))
        links_validation_add(&v, "organization_name", "give the organization's name, or organization_id for one "
                                                      "of this board already in the directory (not both)");
    const char *area = json_string_value(json_object_get(body, "area"));
    if (json_object_get(body, "area") != NULL && (area == NULL || (strcmp(area, "local") != 0 && strcmp(area, "board") != 0)))
        links_validation_add(&v, "area", "must be local (near its location) or board (the whole board)");
    if (area == NULL)
        area = "local";
    /* Where it is: a venue and postcode (placed from the postcode). */
    json_t *location = json_object_get(body, "location");
    const char *loc_name = NULL, *address = NULL, *city = NULL, *postcode = NULL;
    char normal[LINKS_POSTCODE_MAX];
    if (location != NULL) {
        static const char *const known[] = { "name", "address_1", "city", "postcode", NULL };
        struct links_validation lv;
        links_validation_init(&lv);
        struct links_fields lf = { location, &lv };
        if (!json_is_object(location))
            links_validation_add(&v, "location", "must be {name, address_1, city, postcode}");
        else {
            links_fields_only(&lf, known);
            loc_name = links_field_string(&lf, "name", 1, 200, NULL);
            address = links_field_string(&lf, "address_1", 1, 200, NULL);
            city = links_field_string(&lf, "city", 1, 100, NULL);
            const char *pc = links_field_string(&lf, "postcode", 1, 10, NULL);
            if (pc != NULL && links_place_normalise(pc, normal) == LINKS_PLACE_POSTCODE)
                postcode = normal;
            else if (pc != NULL)
                links_validation_add(&lv, "postcode", "must be a full UK postcode, such as G12 8QQ");
            if (links_validation_failed(&lv))
                links_validation_add(&v, "location", "must be {name, address_1, city, postcode}, each filled in, "
                                                     "with a full UK postcode");
        }
        links_validation_free(&lv);
    } else if (strcmp(area, "local") == 0 && json_array_size(json_object_get(body, "service_areas")) == 0) {
        links_validation_add(&v, "location", "is needed for a local service (or give service_areas it covers)");
    }
    const char *board = links_api_board_code(a);
    if (begin_change(req, board, edit, &v) < 0)
        return;
    const char *cv[10] = { org_id, org_name, name, description, area, req->principal->staff_id,
                           loc_name, address, city, postcode };
    const char *state = "", *message = "";
    PGresult *r;
    enum links_db_status st = links_db_exec(req->worker->db, req->arena, "directory_create", 10, cv, &r, &state,
                                            &message);
    const char *id = NULL;
    if (st == LINKS_DB_OK && PQntuples(r) == 0) {
        links_db_rollback(req->worker->db);
        json_decref(edit);
        struct links_validation ov;
        links_validation_init(&ov);
        links_validation_add(&ov, "organization_id", "is not an organization of this board's directory");
        links_validation_respond(req, &ov);
        return;
    }
    json_t *outcome = NULL;
    if (st == LINKS_DB_OK) {
        id = links_arena_strdup(req->arena, PQgetvalue(r, 0, 0));
        /* Everything sent, recorded as the creation (name and description
         * are in the row already; the rest is applied now). */
        json_object_set_new(edit, "name", json_string(name));
        json_object_set_new(edit, "description", json_string(description));
        if (apply_edit(req, id, 0, edit, "created", &outcome, &state, &message, &st) < 0) {
            json_decref(edit);
            return;
        }
    }
    json_decref(edit);
    if (st == LINKS_DB_OK && audit_change(req, "service.created", id, outcome, &state, &message) < 0)
        st = LINKS_DB_ERROR;
    json_decref(outcome);
    if (st == LINKS_DB_OK)
        st = links_db_commit(req->worker->db, req->arena, &state, &message);
    if (st != LINKS_DB_OK) {
        links_db_rollback(req->worker->db);
        edit_failed(req, st, state, message);
        return;
    }
    links_add_header(req, "Location", links_arena_printf(req->arena, "/api/v1/boards/%s/directory/services/%s",
                                                         a->board->cfg->slug, id));
    respond_service(req, a, id, 201);
}

void links_handle_directory_history(struct links_request *req, const struct links_route_args *a)
{
    const char *v[1] = { a->id };
    links_api_respond_row(req, links_api_board_code(a), "directory_history", 1, v, 200);
}

void links_handle_directory_freshness(struct links_request *req, const struct links_route_args *a)
{
    const char *today[1] = { NULL };
    links_api_respond_row(req, links_api_board_code(a), "directory_freshness", 1, today, 200);
}

void links_handle_directory_settings(struct links_request *req, const struct links_route_args *a)
{
    links_api_respond_row(req, links_api_board_code(a), "directory_settings", 0, NULL, 200);
}

void links_handle_directory_settings_update(struct links_request *req, const struct links_route_args *a)
{
    static const char *const known[] = { "review_period_days", "review_grace_days", NULL };
    struct links_fields f;
    struct links_validation v;
    if (links_api_fields(req, &f, &v, known) < 0)
        return;
    long period = 0, grace = 0;
    int has_period = links_field_int(&f, "review_period_days", 0, 30, 1095, &period) == 0;
    int has_grace = links_field_int(&f, "review_grace_days", 0, 0, 365, &grace) == 0;
    if (!links_validation_failed(&v) && !has_period && !has_grace)
        links_validation_add(&v, "body", "names nothing to change");
    if (links_validation_failed(&v)) {
        links_validation_respond(req, &v);
        return;
    }
    links_validation_free(&v);
    char p[16], g[16];
    snprintf(p, sizeof p, "%ld", period);
    snprintf(g, sizeof g, "%ld", grace);
    const char *board = links_api_board_code(a);
    if (links_api_begin(req, board) < 0)
        return;
    const char *values[2] = { has_period ? p : NULL, has_grace ? g : NULL };
    const char *state = "", *message = "";
    PGresult *r;
    enum links_db_status st = links_db_exec(req->worker->db, req->arena, "directory_settings_update", 2, values, &r,
                                            &state, &message);
    if (st == LINKS_DB_OK) {
        json_t *detail = json_pack("{s:o, s:o}", "from", json_loads(PQgetvalue(r, 0, 0), 0, NULL),
                                   "to", json_loads(PQgetvalue(r, 0, 1), 0, NULL));
        struct links_audit_entry e = { .action = "directory.settings_changed", .object_type = "board",
                                       .object_id = board, .detail = detail };
        st = links_audit_tx(req, &e, &state, &message);
        json_decref(detail);
    }
    if (links_api_commit(req, st, state, message, "directory settings", NULL, NULL, NULL) < 0)
        return;
    links_api_respond_row(req, board, "directory_settings", 0, NULL, 200);
}
