/* api_caseload.c — what a links worker does with referrals: the caseload,
 * changes of state, contacts with the patient, follow-up dates and
 * wellbeing measured at first contact and at closing.
 *
 *   GET  /api/v1/boards/{board}/caseload
 *   POST /api/v1/boards/{board}/referrals/{id}/status     {status, closing_reason?, note?}
 *   POST /api/v1/boards/{board}/referrals/{id}/contacts   {contacted_on, method, reached, note?, follow_up_on?}
 *   POST /api/v1/boards/{board}/referrals/{id}/follow-up  {follow_up_on: date | null, note?}
 *   POST /api/v1/boards/{board}/referrals/{id}/wellbeing  {stage, measured_on, swemwbs?: [7 x 1-5],
 *                                                           ons4?: {life_satisfaction, worthwhile, happiness, anxiety}}
 *
 * Each change answers with the whole referral (as GET /referrals/{id}),
 * is audited without the patient's details, and writes nothing unless
 * every member is right. Referring on is in api_referral.c: it makes a
 * referral. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "api_sql.h"
#include "audit.h"
#include "auth.h"
#include "validate.h"
#include "wellbeing.h"
#include "worker.h"

/* Today where the staff work (Scotland), for dates they give. */
#define LONDON_TODAY "(now() AT TIME ZONE 'Europe/London')::date"

/* A change of state, if the referral is in a state it may leave that way;
 * closing as declined records the SNOMED CT concept for a declined
 * referral. */
static const char status_sql[] =
    "WITH old AS (SELECT r.id, r.status FROM referral r WHERE r.id = $1::uuid AND" BOARD_FILTER("r") " FOR UPDATE),"
    " changed AS ("
    "  UPDATE referral r SET status = $2, closing_reason = $3,"
    "         snomed_code = CASE WHEN $3 = 'declined' THEN '871711000000103' ELSE r.snomed_code END, updated_at = now()"
    "    FROM old WHERE r.id = old.id AND (old.status, $2) IN (('waiting', 'received'), ('waiting', 'contacted'),"
    "          ('waiting', 'closed'), ('received', 'contacted'), ('received', 'closed'), ('contacted', 'engaged'),"
    "          ('contacted', 'closed'), ('engaged', 'closed'))"
    "  RETURNING r.id, r.board_id),"
    " logged AS ("
    "  INSERT INTO referral_event (board_id, referral_id, actor_id, from_status, to_status, note)"
    "  SELECT c.board_id, c.id, $4::uuid, (SELECT status FROM old), $2, $5 FROM changed c RETURNING 1)"
    " SELECT (SELECT status FROM old), (SELECT count(*) FROM logged)";

/* A links worker's caseload: referrals for a links worker (the practice's,
 * or the locality's) and referrals they are told of, grouped as the
 * worker works through them. First contact is due within
 * FIRST_CONTACT_DAYS of the referral; a follow-up is due on its date.
 * The practice's, or (a worker attached to none) the whole board's. */
#define FIRST_CONTACT_DAYS "5"
static const char caseload_sql[] =
    "SELECT json_build_object('first_contact_days', " FIRST_CONTACT_DAYS ", 'referrals', coalesce(json_agg(json_build_object("
    "  'id', r.id, 'group', g.name, 'status', r.status, 'route', r.route, 'urgent', r.urgent,"
    "  'patient', (SELECT json_build_object('name', p.name, 'contact_method', p.contact_method,"
    "                                      'contact_detail', p.contact_detail) FROM patient p WHERE p.id = r.patient_id),"
    "  'service', (SELECT s.name FROM service s WHERE s.id = r.service_id), 'reason', r.reason,"
    "  'follow_up_on', r.follow_up_on,"
    "  'last_contact', (SELECT json_build_object('on', c.contacted_on, 'method', c.method, 'reached', c.reached)"
    "                     FROM referral_contact c WHERE c.referral_id = r.id ORDER BY c.contacted_on DESC, c.id DESC LIMIT 1),"
    "  'created_at', " UTC("r.created_at") ", 'updated_at', " UTC("r.updated_at") ")"
    "  ORDER BY g.rank, r.urgent DESC, r.follow_up_on NULLS LAST, r.created_at), '[]'))::text"
    " FROM referral r"
    " CROSS JOIN LATERAL (SELECT CASE"
    "     WHEN r.status = 'received' AND r.created_at < now() - interval '" FIRST_CONTACT_DAYS " days' THEN 'overdue'"
    "     WHEN r.follow_up_on <= " LONDON_TODAY " THEN 'follow_up_due'"
    "     WHEN r.status = 'received' THEN 'new'"
    "     WHEN r.status = 'waiting' THEN 'waiting'"
    "     ELSE 'active' END AS name) g0"
    " CROSS JOIN LATERAL (SELECT g0.name, array_position(ARRAY['overdue', 'follow_up_due', 'new', 'active', 'waiting'],"
    "                                                    g0.name) AS rank) g"
    " WHERE" BOARD_FILTER("r") " AND r.status <> 'closed'"
    "   AND (r.route IN ('links_worker', 'locality_links_worker') OR r.notify_links_worker)"
    "   AND ($1::uuid IS NULL OR r.practice_id = $1::uuid)";

/* A referral, locked, and what today is where the staff work: dates they
 * give are checked against it. */
#define LOCKED_REFERRAL \
    "ref AS (SELECT r.id, r.board_id, r.status, r.patient_id," \
    "               (r.created_at AT TIME ZONE 'Europe/London')::date AS made_on FROM referral r" \
    "         WHERE r.id = $1::uuid AND" BOARD_FILTER("r") " FOR UPDATE)," \
    " today AS (SELECT " LONDON_TODAY " AS d)"
/* A date that has happened, not before the referral was made. */
#define PAST_DATE(param) "(" param "::date <= today.d AND " param "::date >= ref.made_on)"
/* A follow-up date: today or within the next year (or none). */
#define FOLLOW_UP_DATE(param) "(" param "::date IS NULL OR " param "::date BETWEEN today.d AND today.d + 366)"

/* A contact with the patient: logged whether or not it got through; the
 * first that reaches them makes a new referral "contacted"; it may set
 * (or clear) the next follow-up. Not on a closed referral. */
static const char contact_sql[] =
    "WITH " LOCKED_REFERRAL ","
    " ok AS (SELECT ref.*, " PAST_DATE("$2") " AS date_ok, " FOLLOW_UP_DATE("$7") " AS follow_ok FROM ref, today),"
    " ins AS ("
    "  INSERT INTO referral_contact (board_id, referral_id, contacted_on, method, reached, note, recorded_by)"
    "  SELECT ok.board_id, ok.id, $2::date, $3, $4::boolean, $5, $6::uuid FROM ok"
    "   WHERE ok.date_ok AND ok.follow_ok AND ok.status <> 'closed' RETURNING referral_id),"
    " moved AS ("
    "  UPDATE referral r SET status = CASE WHEN ok.status = 'received' AND $4::boolean THEN 'contacted' ELSE r.status END,"
    "         follow_up_on = CASE WHEN $8::boolean THEN $7::date ELSE r.follow_up_on END, updated_at = now()"
    "    FROM ok WHERE r.id = ok.id AND EXISTS (SELECT 1 FROM ins)"
    "  RETURNING r.id, r.board_id, r.status),"
    " logged AS ("
    "  INSERT INTO referral_event (board_id, referral_id, actor_id, from_status, to_status, note)"
    "  SELECT m.board_id, m.id, $6::uuid, 'received', 'contacted', 'First contact made' FROM moved m, ok"
    "   WHERE ok.status = 'received' AND m.status = 'contacted' RETURNING 1)"
    " SELECT (SELECT status FROM ok), (SELECT date_ok FROM ok), (SELECT follow_ok FROM ok), (SELECT count(*) FROM ins),"
    "        (SELECT count(*) FROM logged)";

/* The next follow-up: a date, or none. Recorded in the history too, so
 * the page shows when it was moved and by whom. */
static const char follow_up_sql[] =
    "WITH " LOCKED_REFERRAL ","
    " ok AS (SELECT ref.*, " FOLLOW_UP_DATE("$2") " AS follow_ok FROM ref, today),"
    " changed AS ("
    "  UPDATE referral r SET follow_up_on = $2::date, updated_at = now()"
    "    FROM ok WHERE r.id = ok.id AND ok.follow_ok AND ok.status <> 'closed'"
    "  RETURNING r.id, r.board_id, r.status),"
    " logged AS ("
    "  INSERT INTO referral_event (board_id, referral_id, actor_id, from_status, to_status, note)"
    "  SELECT c.board_id, c.id, $3::uuid, c.status, c.status,"
    "         CASE WHEN $2::date IS NULL THEN 'No follow-up planned'"
    "              ELSE 'Follow-up on ' || to_char($2::date, 'FMDay FMDD FMMonth YYYY') END"
    "         || coalesce(': ' || $4, '') FROM changed c RETURNING 1)"
    " SELECT (SELECT status FROM ok), (SELECT follow_ok FROM ok), (SELECT count(*) FROM logged)";

/* Wellbeing measured at first contact or at closing (scores already
 * checked, the metric score and bands computed by the core). */
static const char wellbeing_sql[] =
    "WITH " LOCKED_REFERRAL ","
    " ok AS (SELECT ref.*, " PAST_DATE("$3") " AS date_ok FROM ref, today),"
    " ins AS ("
    "  INSERT INTO wellbeing_measure (board_id, referral_id, patient_id, stage, measured_on, swemwbs_items, swemwbs_raw,"
    "                                 swemwbs_metric, life_satisfaction, life_satisfaction_band, worthwhile,"
    "                                 worthwhile_band, happiness, happiness_band, anxiety, anxiety_band, recorded_by)"
    "  SELECT ok.board_id, ok.id, ok.patient_id, $2, $3::date, $4::smallint[], $5::smallint, $6::numeric,"
    "         $7::smallint, $8, $9::smallint, $10, $11::smallint, $12, $13::smallint, $14, $15::uuid"
    "    FROM ok WHERE ok.date_ok RETURNING id)"
    " SELECT (SELECT status FROM ok), (SELECT date_ok FROM ok), (SELECT id FROM ins)";

int links_api_caseload_register(void);
int links_api_caseload_register(void)
{
    static const struct links_statement s[] = {
        { "referral_status", status_sql, 0, NULL },
        { "referral_caseload", caseload_sql, 0, NULL },
        { "referral_contact", contact_sql, 0, NULL },
        { "referral_follow_up", follow_up_sql, 0, NULL },
        { "referral_wellbeing", wellbeing_sql, 0, NULL },
    };
    return links_db_register_all(s, sizeof s / sizeof s[0]);
}

/* The end of every change here: the referral as it now is, the audit
 * record, commit, answer 200. */
static void answer_changed(struct links_request *req, const char *id, enum links_db_status st, const char *state,
                           const char *message, const char *action, json_t *detail, const char *what)
{
    const char *doc = NULL;
    if (st == LINKS_DB_OK) {
        PGresult *r;
        const char *gv[1] = { id };
        st = links_db_exec(req->worker->db, req->arena, "referral_get", 1, gv, &r, &state, &message);
        if (st == LINKS_DB_OK)
            doc = links_arena_strdup(req->arena, PQgetvalue(r, 0, 0));
    }
    struct links_audit_entry e = { .action = action, .object_type = "referral", .object_id = id, .detail = detail };
    links_api_audit_commit(req, st, state, message, &e, what, 200, doc);
}

static int not_found(struct links_request *req)
{
    links_db_rollback(req->worker->db);
    links_respond_problem(req, 404, "Not found", "There is no referral at this address.", NULL);
    return -1;
}

static int closed_already(struct links_request *req)
{
    links_db_rollback(req->worker->db);
    links_respond_problem(req, 409, "The referral is closed",
                          "Nothing more can be recorded against a closed referral.", NULL);
    return -1;
}

/* A 400 found only once the database said what today is. */
static int date_refused(struct links_request *req, const char *field, const char *problem)
{
    links_db_rollback(req->worker->db);
    struct links_validation v;
    links_validation_init(&v);
    links_validation_add(&v, field, "%s", problem);
    links_validation_respond(req, &v);
    return -1;
}

/* A date member ("2026-12-03"): required or optional; *given says whether
 * it was there at all (null counts as given: "none"). */
static const char *date_field(struct links_fields *f, const char *name, int required, int *given)
{
    int present = 0;
    if (links_field_is_null(f, name)) {
        if (given)
            *given = 1;
        if (required)
            links_validation_add(f->v, name, "is needed: a date such as 2026-12-03");
        return NULL;
    }
    const char *s = links_field_string(f, name, required, 10, &present);
    if (given)
        *given = present;
    if (s != NULL && links_datetime_parse(s) != LINKS_DATETIME_DATE) {
        links_validation_add(f->v, name, "must be a date such as 2026-12-03");
        return NULL;
    }
    return s;
}

static int is_one_of(const char *s, const char *const *list)
{
    for (; s != NULL && *list; list++)
        if (strcmp(*list, s) == 0)
            return 1;
    return 0;
}

static int referral_id_ok(struct links_request *req, const struct links_route_args *a)
{
    if (links_uuid_valid(a->id))
        return 1;
    links_respond_problem(req, 404, "Not found", "There is nothing at this address.", NULL);
    return 0;
}

void links_handle_referral_status(struct links_request *req, const struct links_route_args *a)
{
    static const char *const known[] = { "status", "closing_reason", "note", NULL };
    static const char *const states[] = { "received", "contacted", "engaged", "closed", NULL };
    static const char *const closing[] = { "completed", "did_not_engage", "declined", "moved_away", "referred_on", NULL };
    if (!referral_id_ok(req, a))
        return;
    struct links_fields f;
    struct links_validation v;
    if (links_api_fields(req, &f, &v, known) < 0)
        return;
    const char *status = links_field_string(&f, "status", 1, 20, NULL);
    if (status != NULL && !is_one_of(status, states))
        links_validation_add(&v, "status", "must be one of received, contacted, engaged, closed");
    const char *why = links_field_string(&f, "closing_reason", 0, 20, NULL);
    if (status != NULL && strcmp(status, "closed") == 0 && why == NULL)
        links_validation_add(&v, "closing_reason", "is needed to close: completed, did not engage, declined, "
                                                   "moved away or referred on");
    else if (why != NULL && (status == NULL || strcmp(status, "closed") != 0))
        links_validation_add(&v, "closing_reason", "is given only when closing");
    else if (why != NULL && !is_one_of(why, closing))
        links_validation_add(&v, "closing_reason", "must be one of completed, did_not_engage, declined, moved_away, "
                                                   "referred_on");
    const char *note = links_field_string(&f, "note", 0, 2000, NULL);
    if (links_validation_failed(&v)) {
        links_validation_respond(req, &v);
        return;
    }
    links_validation_free(&v);
    if (links_api_begin(req, links_api_board_code(a)) < 0)
        return;
    const char *sv[5] = { a->id, status, why, req->principal->staff_id, note };
    const char *state = "", *message = "";
    PGresult *r;
    enum links_db_status st = links_db_exec(req->worker->db, req->arena, "referral_status", 5, sv, &r, &state,
                                            &message);
    if (st == LINKS_DB_OK && PQgetisnull(r, 0, 0))
        return (void)not_found(req);
    if (st == LINKS_DB_OK && strcmp(PQgetvalue(r, 0, 1), "1") != 0) {
        const char *from = links_arena_strdup(req->arena, PQgetvalue(r, 0, 0));
        links_db_rollback(req->worker->db);
        links_respond_problem(req, 409, "Not from this state",
                              links_arena_printf(req->arena, "A referral that is %s cannot become %s.", from, status),
                              NULL);
        return;
    }
    json_t *d = json_pack("{s:s, s:s?}", "status", status, "closing_reason", why);
    answer_changed(req, a->id, st, state, message, "referral.status_changed", d, "referral status");
    json_decref(d);
}

void links_handle_caseload(struct links_request *req, const struct links_route_args *a)
{
    const char *v[1] = { req->principal->practice_id };
    links_api_respond_row(req, links_api_board_code(a), "referral_caseload", 1, v, 200);
}

void links_handle_referral_contact(struct links_request *req, const struct links_route_args *a)
{
    static const char *const known[] = { "contacted_on", "method", "reached", "note", "follow_up_on", NULL };
    static const char *const methods[] = { "phone", "text", "email", "letter", "in_person", "video", NULL };
    if (!referral_id_ok(req, a))
        return;
    struct links_fields f;
    struct links_validation v;
    if (links_api_fields(req, &f, &v, known) < 0)
        return;
    const char *on = date_field(&f, "contacted_on", 1, NULL);
    const char *method = links_field_string(&f, "method", 1, 20, NULL);
    if (method != NULL && !is_one_of(method, methods))
        links_validation_add(&v, "method", "must be one of phone, text, email, letter, in_person, video");
    int reached = links_field_bool(&f, "reached", 1);
    const char *note = links_field_string(&f, "note", 0, 2000, NULL);
    int follow_given = 0;
    const char *follow = date_field(&f, "follow_up_on", 0, &follow_given);
    if (links_validation_failed(&v)) {
        links_validation_respond(req, &v);
        return;
    }
    links_validation_free(&v);
    if (links_api_begin(req, links_api_board_code(a)) < 0)
        return;
    const char *cv[8] = { a->id, on, method, reached == 1 ? "true" : "false", note, req->principal->staff_id, follow,
                          follow_given ? "true" : "false" };
    const char *state = "", *message = "";
    PGresult *r;
    enum links_db_status st = links_db_exec(req->worker->db, req->arena, "referral_contact", 8, cv, &r, &state,
                                            &message);
    if (st == LINKS_DB_OK) {
        if (PQgetisnull(r, 0, 0))
            return (void)not_found(req);
        if (strcmp(PQgetvalue(r, 0, 1), "t") != 0)
            return (void)date_refused(req, "contacted_on", "must be today or a day since the referral was made");
        if (strcmp(PQgetvalue(r, 0, 2), "t") != 0)
            return (void)date_refused(req, "follow_up_on", "must be today or a day in the next year");
        if (strcmp(PQgetvalue(r, 0, 3), "1") != 0)
            return (void)closed_already(req);
    }
    json_t *d = json_pack("{s:s, s:b, s:b}", "method", method, "reached", reached == 1, "first_contact",
                          st == LINKS_DB_OK && strcmp(PQgetvalue(r, 0, 4), "1") == 0);
    answer_changed(req, a->id, st, state, message, "referral.contact_recorded", d, "referral contact");
    json_decref(d);
}

void links_handle_referral_follow_up(struct links_request *req, const struct links_route_args *a)
{
    static const char *const known[] = { "follow_up_on", "note", NULL };
    if (!referral_id_ok(req, a))
        return;
    struct links_fields f;
    struct links_validation v;
    if (links_api_fields(req, &f, &v, known) < 0)
        return;
    int given = 0;
    const char *on = date_field(&f, "follow_up_on", 0, &given);
    if (!given && !links_validation_failed(&v))
        links_validation_add(&v, "follow_up_on", "is needed: a date such as 2026-12-03, or null for none");
    const char *note = links_field_string(&f, "note", 0, 500, NULL);
    if (links_validation_failed(&v)) {
        links_validation_respond(req, &v);
        return;
    }
    links_validation_free(&v);
    if (links_api_begin(req, links_api_board_code(a)) < 0)
        return;
    const char *fv[4] = { a->id, on, req->principal->staff_id, note };
    const char *state = "", *message = "";
    PGresult *r;
    enum links_db_status st = links_db_exec(req->worker->db, req->arena, "referral_follow_up", 4, fv, &r, &state,
                                            &message);
    if (st == LINKS_DB_OK) {
        if (PQgetisnull(r, 0, 0))
            return (void)not_found(req);
        if (strcmp(PQgetvalue(r, 0, 1), "t") != 0)
            return (void)date_refused(req, "follow_up_on", "must be today or a day in the next year");
        if (strcmp(PQgetvalue(r, 0, 2), "1") != 0)
            return (void)closed_already(req);
    }
    json_t *d = json_pack("{s:s?}", "follow_up_on", on);
    answer_changed(req, a->id, st, state, message, "referral.follow_up_set", d, "referral follow-up");
    json_decref(d);
}

/* The SWEMWBS member: seven item scores, each 1-5. Fills items[] and
 * returns 1 when given and right. */
static int read_swemwbs(struct links_fields *f, int items[LINKS_SWEMWBS_ITEMS])
{
    json_t *a = json_object_get(f->obj, "swemwbs");
    if (a == NULL || json_is_null(a))
        return 0;
    size_t i;
    json_t *item;
    if (!json_is_array(a) || json_array_size(a) != LINKS_SWEMWBS_ITEMS) {
        links_validation_add(f->v, "swemwbs", "must be the 7 item scores in order, each 1 to 5");
        return 0;
    }
    json_array_foreach(a, i, item) {
        if (!json_is_integer(item) || json_integer_value(item) < 1 || json_integer_value(item) > 5) {
            links_validation_add(f->v, "swemwbs", "item %zu must be a whole number from 1 to 5", i + 1);
            return 0;
        }
        items[i] = (int)json_integer_value(item);
    }
    return 1;
}

/* The ONS4 member: the four scores, each 0-10, all four. */
static int read_ons4(struct links_fields *f, int scores[LINKS_ONS4_ITEMS])
{
    json_t *o = json_object_get(f->obj, "ons4");
    if (o == NULL || json_is_null(o))
        return 0;
    if (!json_is_object(o) || json_object_size(o) != LINKS_ONS4_ITEMS) {
        links_validation_add(f->v, "ons4", "must give all four scores: life_satisfaction, worthwhile, happiness, "
                                           "anxiety (each 0 to 10)");
        return 0;
    }
    for (int i = 0; i < LINKS_ONS4_ITEMS; i++) {
        const char *name = links_ons4_item_name((enum links_ons4_item)i);
        json_t *s = json_object_get(o, name);
        if (!json_is_integer(s) || json_integer_value(s) < 0 || json_integer_value(s) > 10) {
            links_validation_add(f->v, "ons4", "%s must be a whole number from 0 to 10", name);
            return 0;
        }
        scores[i] = (int)json_integer_value(s);
    }
    return 1;
}

void links_handle_referral_wellbeing(struct links_request *req, const struct links_route_args *a)
{
    static const char *const known[] = { "stage", "measured_on", "swemwbs", "ons4", NULL };
    static const char *const stages[] = { "first_contact", "closing", NULL };
    if (!referral_id_ok(req, a))
        return;
    struct links_fields f;
    struct links_validation v;
    if (links_api_fields(req, &f, &v, known) < 0)
        return;
    const char *stage = links_field_string(&f, "stage", 1, 20, NULL);
    if (stage != NULL && !is_one_of(stage, stages))
        links_validation_add(&v, "stage", "must be first_contact or closing");
    const char *on = date_field(&f, "measured_on", 1, NULL);
    int items[LINKS_SWEMWBS_ITEMS], ons4[LINKS_ONS4_ITEMS];
    int has_swemwbs = read_swemwbs(&f, items), has_ons4 = read_ons4(&f, ons4);
    if (!has_swemwbs && !has_ons4 && !links_validation_failed(&v))
        links_validation_add(&v, "swemwbs", "or ons4 (or both) is needed: the scores measured");
    if (links_validation_failed(&v)) {
        links_validation_respond(req, &v);
        return;
    }
    links_validation_free(&v);

    /* the scores as the database takes them, with the metric score and
     * bands from the published tables */
    const char *wv[15] = { a->id, stage, on };
    int raw = has_swemwbs ? links_swemwbs_raw(items) : -1;
    if (has_swemwbs) {
        wv[3] = links_arena_printf(req->arena, "{%d,%d,%d,%d,%d,%d,%d}", items[0], items[1], items[2], items[3],
                                   items[4], items[5], items[6]);
        wv[4] = links_arena_printf(req->arena, "%d", raw);
        wv[5] = links_arena_printf(req->arena, "%.2f", links_swemwbs_metric(raw));
    }
    for (int i = 0; has_ons4 && i < LINKS_ONS4_ITEMS; i++) {
        wv[6 + 2 * i] = links_arena_printf(req->arena, "%d", ons4[i]);
        wv[7 + 2 * i] = links_ons4_band((enum links_ons4_item)i, ons4[i]);
    }
    wv[14] = req->principal->staff_id;
    if (links_api_begin(req, links_api_board_code(a)) < 0)
        return;
    const char *state = "", *message = "";
    PGresult *r;
    enum links_db_status st = links_db_exec(req->worker->db, req->arena, "referral_wellbeing", 15, wv, &r, &state,
                                            &message);
    if (st == LINKS_DB_OK) {
        if (PQgetisnull(r, 0, 0))
            return (void)not_found(req);
        if (strcmp(PQgetvalue(r, 0, 1), "t") != 0)
            return (void)date_refused(req, "measured_on", "must be today or a day since the referral was made");
    }
    /* the audit says what was measured, never the scores */
    json_t *d = json_pack("{s:s, s:b, s:b}", "stage", stage, "swemwbs", has_swemwbs, "ons4", has_ons4);
    answer_changed(req, a->id, st, state, message, "referral.wellbeing_recorded", d, "referral wellbeing");
    json_decref(d);
}

