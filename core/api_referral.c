/* api_referral.c — referrals. So far the routing preview: where a referral
 * would go under the board's rules, and why, shown to staff before they
 * confirm.
 *
 *   POST /api/v1/boards/{board}/referrals/preview
 *        {service_id | links_worker: true, postcode, chi?, needs?: [slug...],
 *         urgent?, patient_asks_for_service?}
 *
 * The board's plugin decides (its referral hook); without one, or when it
 * declines, the core's default applies: a service that takes referrals
 * gets it (its waiting list when it has no places), one that does not is
 * refused, and "the links worker" means the practice's own. Nothing is
 * written. The CHI number, when given, only gives the patient's age: it
 * travels in the body and is never logged. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "api.h"
#include "audit.h"
#include "api_sql.h"
#include "auth.h"
#include "boards.h"
#include "chi.h"
#include "log.h"
#include "plugin_loader.h"
#include "validate.h"
#include "worker.h"

/* What the rules need, in one round trip: the service (when one was
 * chosen and it is active in this board's directory), the practice, the
 * patient's postcode (district, sector, data zone decile) and how many of
 * the needs are categories of the directory. */
static const char context_sql[] =
    "SELECT s.id IS NOT NULL, coalesce(s.accepts_referrals, false), coalesce(s.capacity_available, -1),"
    "       coalesce(s.minimum_age, -1), coalesce(s.maximum_age, -1), coalesce(s.self_referral, false),"
    "       coalesce((SELECT p.has_links_worker FROM practice p WHERE p.id = $2::uuid AND" BOARD_FILTER("p") "), false),"
    "       pc.postcode IS NOT NULL, coalesce(dz.simd_decile, 0),"
    "       (SELECT count(*) FROM category c WHERE c.slug = ANY ($4::text[]))"
    "  FROM (SELECT 1) one"
    "  LEFT JOIN service s ON s.id = $1::uuid AND s.status = 'active'"
    "        AND (s.board_id = current_board_id() OR s.board_id IS NULL)"
    "  LEFT JOIN postcode pc ON pc.postcode = $3::text"
    "  LEFT JOIN data_zone dz ON dz.code = pc.data_zone";

/* A referral as the API shows it, with its history. */
#define REFERRAL_JSON \
    "json_build_object('id', r.id, 'status', r.status, 'closing_reason', r.closing_reason," \
    " 'route', r.route, 'route_reason', r.route_reason, 'decided_by', r.decided_by, 'locality', r.locality," \
    " 'notify_links_worker', r.notify_links_worker, 'urgent', r.urgent, 'reason', r.reason, 'needs', to_json(r.needs)," \
    " 'links_worker', r.links_worker," \
    " 'service', (SELECT json_build_object('id', s.id, 'name', s.name) FROM service s WHERE s.id = r.service_id)," \
    " 'patient', (SELECT json_build_object('id', p.id, 'chi', p.chi, 'name', p.name, 'contact_method', p.contact_method," \
    "                                      'contact_detail', p.contact_detail, 'postcode', p.postcode)" \
    "              FROM patient p WHERE p.id = r.patient_id)," \
    " 'practice_id', r.practice_id," \
    " 'referrer', json_build_object('id', r.referrer_id, 'name', (SELECT st.display_name FROM staff st WHERE st.id = r.referrer_id))," \
    " 'consent', json_build_object('recorded_by', r.consent_recorded_by, 'recorded_at', " UTC("r.consent_recorded_at") ")," \
    " 'snomed_code', r.snomed_code, 'created_at', " UTC("r.created_at") "," \
    " 'history', (SELECT coalesce(json_agg(json_build_object('at', " UTC("e.at") ", 'by', (SELECT st.display_name FROM staff st" \
    "                                                         WHERE st.id = e.actor_id)," \
    "                                    'from', e.from_status, 'to', e.to_status, 'note', e.note) ORDER BY e.id), '[]')" \
    "              FROM referral_event e WHERE e.referral_id = r.id))"

/* One creation per referrer and key at a time: a retry while the first is
 * still in flight does not wait for it. */
static const char lock_sql[] =
    "SELECT pg_try_advisory_xact_lock(hashtextextended(current_board_id() || ':' || $1 || ':' || $2, 0))";

static const char find_sql[] =
    "SELECT r.request_hash, " REFERRAL_JSON "::text FROM referral r"
    " WHERE r.referrer_id = $1::uuid AND r.idempotency_key = $2 AND" BOARD_FILTER("r");

static const char patient_sql[] =
    "INSERT INTO patient AS p (board_id, chi, name, contact_method, contact_detail, postcode)"
    " VALUES (current_board_id(), $1, $2, $3, $4, $5)"
    " ON CONFLICT (board_id, chi) DO UPDATE SET name = excluded.name, contact_method = excluded.contact_method,"
    "   contact_detail = excluded.contact_detail, postcode = excluded.postcode, updated_at = now()"
    " RETURNING p.id";

static const char create_sql[] =
    "WITH r AS ("
    "  INSERT INTO referral (board_id, patient_id, practice_id, referrer_id, service_id, links_worker, route, route_reason,"
    "                        decided_by, locality, notify_links_worker, reason, needs, urgent, consent_recorded_by, status,"
    "                        idempotency_key, request_hash)"
    "  VALUES (current_board_id(), $1::uuid, $2::uuid, $3::uuid, $4::uuid, $5::boolean, $6, $7, $8, $9, $10::boolean, $11,"
    "          $12::text[], $13::boolean, $3::uuid, CASE WHEN $6 = 'waiting_list' THEN 'waiting' ELSE 'received' END, $14, $15)"
    "  RETURNING *"
    ")"
    " INSERT INTO referral_event (board_id, referral_id, actor_id, from_status, to_status, note)"
    " SELECT r.board_id, r.id, r.referrer_id, NULL, r.status, r.route_reason FROM r"
    " RETURNING referral_id";

static const char get_sql[] =
    "SELECT " REFERRAL_JSON "::text FROM referral r WHERE r.id = $1::uuid AND" BOARD_FILTER("r");

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
 * FIRST_CONTACT_DAYS of the referral. The practice's, or (a worker
 * attached to none) the whole board's. */
#define FIRST_CONTACT_DAYS "5"
static const char caseload_sql[] =
    "SELECT json_build_object('first_contact_days', " FIRST_CONTACT_DAYS ", 'referrals', coalesce(json_agg(json_build_object("
    "  'id', r.id, 'group', g.name, 'status', r.status, 'route', r.route, 'urgent', r.urgent,"
    "  'patient', (SELECT json_build_object('name', p.name, 'contact_method', p.contact_method,"
    "                                      'contact_detail', p.contact_detail) FROM patient p WHERE p.id = r.patient_id),"
    "  'service', (SELECT s.name FROM service s WHERE s.id = r.service_id), 'reason', r.reason,"
    "  'created_at', " UTC("r.created_at") ", 'updated_at', " UTC("r.updated_at") ")"
    "  ORDER BY g.rank, r.urgent DESC, r.created_at), '[]'))::text"
    " FROM referral r"
    " CROSS JOIN LATERAL (SELECT CASE"
    "     WHEN r.status = 'received' AND r.created_at < now() - interval '" FIRST_CONTACT_DAYS " days' THEN 'overdue'"
    "     WHEN r.status = 'received' THEN 'new'"
    "     WHEN r.status = 'waiting' THEN 'waiting'"
    "     ELSE 'active' END AS name) g0"
    " CROSS JOIN LATERAL (SELECT g0.name, array_position(ARRAY['overdue', 'new', 'active', 'waiting'], g0.name) AS rank) g"
    " WHERE" BOARD_FILTER("r") " AND r.status <> 'closed'"
    "   AND (r.route IN ('links_worker', 'locality_links_worker') OR r.notify_links_worker)"
    "   AND ($1::uuid IS NULL OR r.practice_id = $1::uuid)";

int links_api_referral_register(void);
int links_api_referral_register(void)
{
    static const struct links_statement s[] = {
        { "referral_context", context_sql, 0, NULL },
        { "referral_lock", lock_sql, 0, NULL },
        { "referral_find", find_sql, 0, NULL },
        { "referral_patient", patient_sql, 0, NULL },
        { "referral_create", create_sql, 0, NULL },
        { "referral_get", get_sql, 0, NULL },
        { "referral_status", status_sql, 0, NULL },
        { "referral_caseload", caseload_sql, 0, NULL },
    };
    return links_db_register_all(s, sizeof s / sizeof s[0]);
}

static const char *route_name(enum links_referral_route r)
{
    switch (r) {
    case LINKS_ROUTE_SERVICE:
        return "service";
    case LINKS_ROUTE_WAITING_LIST:
        return "waiting_list";
    case LINKS_ROUTE_LINKS_WORKER:
        return "links_worker";
    case LINKS_ROUTE_LOCALITY_LINKS_WORKER:
        return "locality_links_worker";
    case LINKS_ROUTE_REFUSED:
        return "refused";
    }
    return NULL;
}

/* The core's decision, which a plugin may keep (declining) or replace. */
static void default_decision(const struct links_referral_context *ctx, struct links_referral_decision *d)
{
    memset(d, 0, sizeof *d);
    if (ctx->to_links_worker) {
        d->route = ctx->practice_has_links_worker ? LINKS_ROUTE_LINKS_WORKER : LINKS_ROUTE_REFUSED;
        d->reason = ctx->practice_has_links_worker ? "To the practice's links worker"
                                                   : "This practice has no links worker";
    } else if (!ctx->service_accepts_referrals) {
        d->route = LINKS_ROUTE_REFUSED;
        d->reason = "This service does not take referrals: signpost the patient to it instead";
    } else if (ctx->service_capacity == 0) {
        d->route = LINKS_ROUTE_WAITING_LIST;
        d->reason = "The service takes referrals but is full: the patient joins its waiting list";
    } else {
        d->route = LINKS_ROUTE_SERVICE;
        d->reason = "The service takes referrals: straight to the service";
    }
}

/* The patient's age in whole years from a CHI number's date of birth
 * (DDMMYY): the century is the one that does not put the birth in the
 * future. */
static int age_from_chi(const char chi[11])
{
    time_t now = time(NULL);
    struct tm today;
    gmtime_r(&now, &today);
    int day = (chi[0] - '0') * 10 + (chi[1] - '0'), month = (chi[2] - '0') * 10 + (chi[3] - '0');
    int yy = (chi[4] - '0') * 10 + (chi[5] - '0');
    int year_now = today.tm_year + 1900;
    int year = 2000 + yy;
    if (year > year_now || (year == year_now && (month > today.tm_mon + 1 || (month == today.tm_mon + 1 && day > today.tm_mday))))
        year -= 100;
    int age = year_now - year;
    if (today.tm_mon + 1 < month || (today.tm_mon + 1 == month && today.tm_mday < day))
        age--;
    return age;
}

/* What routing needs from a request body (the preview's and a new
 * referral's shared members). */
struct routing_input {
    const char *service;
    int to_links_worker;
    char postcode[LINKS_POSTCODE_MAX];
    char chi[11];                   /* "" when not given */
    char needs_array[2048];         /* a PostgreSQL text[] literal of category slugs */
    size_t n_needs;
    int urgent, asks;
};

/* Read the routing members; problems go to v. */
static void read_routing(struct links_fields *f, struct links_validation *v, int chi_required,
                         struct routing_input *in)
{
    memset(in, 0, sizeof *in);
    in->service = links_field_string(f, "service_id", 0, 36, NULL);
    if (in->service != NULL && !links_uuid_valid(in->service))
        links_validation_add(v, "service_id", "must be a service id (a UUID)");
    in->to_links_worker = links_field_bool(f, "links_worker", 0) == 1;
    if ((in->service != NULL) == in->to_links_worker && !links_validation_failed(v))
        links_validation_add(v, "service_id", "(or links_worker: true) is needed, exactly one: where the referral is to");
    const char *postcode_in = links_field_string(f, "postcode", 1, 10, NULL);
    if (postcode_in != NULL && links_place_normalise(postcode_in, in->postcode) != LINKS_PLACE_POSTCODE)
        links_validation_add(v, "postcode", "must be the patient's full postcode, such as G51 2XX");
    const char *chi_in = links_field_string(f, "chi", chi_required, 20, NULL);
    enum links_chi_result chi_result = chi_in ? links_chi_check(chi_in, in->chi) : LINKS_CHI_VALID;
    if (chi_result != LINKS_CHI_VALID) {
        links_validation_add(v, "chi", "%s", links_chi_problem(chi_result));
        in->chi[0] = '\0';
    }
    in->urgent = links_field_bool(f, "urgent", 0) == 1;
    in->asks = links_field_bool(f, "patient_asks_for_service", 0) == 1;
    strcpy(in->needs_array, "{}");
    json_t *needs = json_object_get(f->obj, "needs");
    if (needs != NULL && !json_is_null(needs)) {
        size_t i, used = 0;
        json_t *slug;
        int bad = !json_is_array(needs) || json_array_size(needs) > 20;
        in->needs_array[used++] = '{';
        json_array_foreach(needs, i, slug) {
            const char *s = json_string_value(slug);
            size_t len = s ? strlen(s) : 0;
            if (bad || len == 0 || len > 60 || strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789-") != len) {
                bad = 1;
                break;
            }
            if (in->n_needs++)
                in->needs_array[used++] = ',';
            memcpy(in->needs_array + used, s, len);
            used += len;
        }
        in->needs_array[used++] = '}';
        in->needs_array[used] = '\0';
        if (bad) {
            links_validation_add(v, "needs", "must be a list of at most 20 category slugs");
            strcpy(in->needs_array, "{}");
            in->n_needs = 0;
        }
    }
}

struct routing {
    struct links_referral_context ctx;
    struct links_referral_decision d;
    const char *decided_by;
    char district[8], sector[10];
};

/* Decide where the referral goes: the context from the database, the
 * core's default, then the board's plugin. Answers (400 or 503) and
 * returns -1 when it cannot. `in_tx`: the handler's transaction is open. */
static int route(struct links_request *req, const char *board_code, const struct routing_input *in, int in_tx,
                 struct routing *out)
{
    const char *cv[4] = { in->service, req->principal->practice_id, in->postcode, in->needs_array };
    const char *state = "", *message = "";
    PGresult *r;
    enum links_db_status st = in_tx ? links_db_exec(req->worker->db, req->arena, "referral_context", 4, cv, &r, &state,
                                                    &message)
                                    : links_db_query(req->worker->db, req->arena, board_code, "referral_context", 4, cv,
                                                     &r, &state, &message);
    if (st != LINKS_DB_OK) {
        if (in_tx)
            links_db_rollback(req->worker->db);
        links_api_db_failed(req, st, "referral context", state, message, NULL, NULL, NULL);
        return -1;
    }
    struct links_validation v;
    links_validation_init(&v);
    if (in->service != NULL && strcmp(PQgetvalue(r, 0, 0), "t") != 0)
        links_validation_add(&v, "service_id", "is not an active service in this board's directory");
    if ((size_t)atol(PQgetvalue(r, 0, 9)) != in->n_needs)
        links_validation_add(&v, "needs", "names a category the directory does not have");
    if (links_validation_failed(&v)) {
        if (in_tx)
            links_db_rollback(req->worker->db);
        links_validation_respond(req, &v);
        return -1;
    }
    links_validation_free(&v);

    memset(out, 0, sizeof *out);
    snprintf(out->sector, sizeof out->sector, "%.*s", (int)strlen(in->postcode) - 2, in->postcode);
    snprintf(out->district, sizeof out->district, "%.*s", (int)strcspn(in->postcode, " "), in->postcode);
    out->ctx = (struct links_referral_context){
        .board_code = board_code,
        .to_links_worker = in->to_links_worker,
        .urgent = in->urgent,
        .patient_age = in->chi[0] ? age_from_chi(in->chi) : -1,
        .simd_decile = atoi(PQgetvalue(r, 0, 8)),
        .patient_district = out->district,
        .patient_sector = out->sector,
        .needs = (int)in->n_needs,
        .patient_asks_for_service = in->asks,
        .practice_has_links_worker = strcmp(PQgetvalue(r, 0, 6), "t") == 0,
        .service_accepts_referrals = strcmp(PQgetvalue(r, 0, 1), "t") == 0,
        .service_self_referral = strcmp(PQgetvalue(r, 0, 5), "t") == 0,
        .service_capacity = atoi(PQgetvalue(r, 0, 2)),
        .service_minimum_age = atof(PQgetvalue(r, 0, 3)),
        .service_maximum_age = atof(PQgetvalue(r, 0, 4)),
    };
    default_decision(&out->ctx, &out->d);
    out->decided_by = "core";
    const struct links_board *board = links_boards_find(req->worker->boards, board_code);
    if (board != NULL && board->plugin != NULL && board->plugin->abi_minor >= 1 && board->plugin->referral != NULL) {
        struct links_referral_decision pd = out->d;
        int rc = board->plugin->referral(board->state, req, &out->ctx, &pd);
        if (rc == LINKS_PLUGIN_OK && route_name(pd.route) != NULL && pd.reason != NULL) {
            out->d = pd;
            out->decided_by = board->plugin->name;
        } else if (rc != LINKS_PLUGIN_DECLINED) {
            if (in_tx)
                links_db_rollback(req->worker->db);
            links_error("board %s: plugin %s referral rules failed", board->cfg->slug, board->plugin->name);
            links_respond_problem(req, 503, "Regional referral rules failed",
                                  "This board's referral rules could not be applied; the failure has been logged.", NULL);
            return -1;
        }
    }
    return 0;
}

void links_handle_referral_preview(struct links_request *req, const struct links_route_args *a)
{
    static const char *const known[] = { "service_id", "links_worker", "postcode", "chi", "needs", "urgent",
                                         "patient_asks_for_service", NULL };
    struct links_fields f;
    struct links_validation v;
    if (links_api_fields(req, &f, &v, known) < 0)
        return;
    struct routing_input in;
    read_routing(&f, &v, 0, &in);
    if (req->principal->practice_id == NULL)
        links_validation_add(&v, "practice", "referrals are made by staff attached to a practice");
    if (links_validation_failed(&v)) {
        links_validation_respond(req, &v);
        return;
    }
    links_validation_free(&v);
    struct routing rt;
    if (route(req, links_api_board_code(a), &in, 0, &rt) < 0)
        return;
    json_t *patient = json_pack("{s:o, s:o, s:s}", "simd_decile",
                                rt.ctx.simd_decile > 0 ? json_integer(rt.ctx.simd_decile) : json_null(), "age",
                                rt.ctx.patient_age >= 0 ? json_integer(rt.ctx.patient_age) : json_null(), "district",
                                rt.district);
    json_t *doc = json_pack("{s:s, s:s, s:b, s:s?, s:s, s:o}", "route", route_name(rt.d.route), "reason", rt.d.reason,
                            "notify_links_worker", rt.d.notify_links_worker, "locality", rt.d.locality, "decided_by",
                            rt.decided_by, "patient", patient);
    links_respond_json(req, 200, doc);
}

/* The body as the key's fingerprint: canonical JSON (keys sorted), so a
 * retry that orders members differently is still the same request. */
static void request_hash(json_t *obj, char out[65])
{
    unsigned char digest[crypto_hash_sha256_BYTES];
    char *text = json_dumps(obj, JSON_COMPACT | JSON_SORT_KEYS);
    crypto_hash_sha256(digest, (const unsigned char *)(text ? text : ""), text ? strlen(text) : 0);
    free(text);
    sodium_bin2hex(out, 65, digest, sizeof digest);
}

void links_handle_referral_create(struct links_request *req, const struct links_route_args *a)
{
    static const char *const known[] = { "service_id", "links_worker", "postcode", "chi", "needs", "urgent",
                                         "patient_asks_for_service", "name", "contact_method", "contact_detail",
                                         "reason", "consent", NULL };
    const char *key = req->in.idempotency_key;
    if (key == NULL || *key == '\0' || strlen(key) > 200) {
        links_respond_problem(req, 400, "Idempotency-Key needed",
                              "A new referral needs an Idempotency-Key header (up to 200 characters), so that a retry "
                              "cannot make it twice.", NULL);
        return;
    }
    struct links_fields f;
    struct links_validation v;
    if (links_api_fields(req, &f, &v, known) < 0)
        return;
    struct routing_input in;
    read_routing(&f, &v, 1, &in);
    const char *name = links_field_string(&f, "name", 1, 200, NULL);
    const char *method = links_field_string(&f, "contact_method", 1, 10, NULL);
    if (method != NULL && strcmp(method, "phone") != 0 && strcmp(method, "text") != 0 && strcmp(method, "email") != 0 &&
        strcmp(method, "post") != 0)
        links_validation_add(&v, "contact_method", "must be one of phone, text, email, post");
    const char *detail = links_field_string(&f, "contact_detail", 1, 300, NULL);
    const char *reason = links_field_string(&f, "reason", 1, 2000, NULL);
    int consent = links_field_bool(&f, "consent", 1);
    if (consent == 0)
        links_validation_add(&v, "consent", "must be true: no consent, no referral");
    if (req->principal->practice_id == NULL)
        links_validation_add(&v, "practice", "referrals are made by staff attached to a practice");
    if (links_validation_failed(&v)) {
        links_validation_respond(req, &v);
        return;
    }
    links_validation_free(&v);
    char hash[65];
    request_hash(f.obj, hash);
    const char *board = links_api_board_code(a);
    const char *staff = req->principal->staff_id;
    if (links_api_begin(req, board) < 0)
        return;

    const char *state = "", *message = "";
    PGresult *r;
    const char *lv[2] = { staff, key };
    enum links_db_status st = links_db_exec(req->worker->db, req->arena, "referral_lock", 2, lv, &r, &state, &message);
    if (st == LINKS_DB_OK && strcmp(PQgetvalue(r, 0, 0), "t") != 0) {
        links_db_rollback(req->worker->db);
        links_respond_problem(req, 409, "Already in progress",
                              "A referral with this Idempotency-Key is being made right now; ask again in a moment.",
                              NULL);
        return;
    }
    if (st == LINKS_DB_OK)
        st = links_db_exec(req->worker->db, req->arena, "referral_find", 2, lv, &r, &state, &message);
    if (st == LINKS_DB_OK && PQntuples(r) == 1) {
        const char *first = links_arena_strdup(req->arena, PQgetvalue(r, 0, 1));
        int same = strcmp(PQgetvalue(r, 0, 0), hash) == 0;
        links_db_rollback(req->worker->db);
        if (!same) {
            links_respond_problem(req, 422, "Idempotency-Key already used",
                                  "This Idempotency-Key was used for a different referral; use a new key for a new "
                                  "referral.", NULL);
            return;
        }
        links_respond_raw_json(req, 201, first);     /* the retry gets the first answer */
        return;
    }
    if (st != LINKS_DB_OK) {
        links_db_rollback(req->worker->db);
        links_api_db_failed(req, st, "referral lookup", state, message, NULL, NULL, NULL);
        return;
    }

    struct routing rt;
    if (route(req, board, &in, 1, &rt) < 0)
        return;
    if (rt.d.route == LINKS_ROUTE_REFUSED) {
        links_db_rollback(req->worker->db);
        links_respond_problem(req, 422, "This referral cannot be made", rt.d.reason, NULL);
        return;
    }
    const char *pv[5] = { in.chi, name, method, detail, in.postcode };
    st = links_db_exec(req->worker->db, req->arena, "referral_patient", 5, pv, &r, &state, &message);
    const char *patient = st == LINKS_DB_OK ? links_arena_strdup(req->arena, PQgetvalue(r, 0, 0)) : NULL;
    const char *referral = NULL;
    if (st == LINKS_DB_OK) {
        const char *cv[15] = { patient, req->principal->practice_id, staff, in.service,
                               in.to_links_worker ? "true" : "false", route_name(rt.d.route), rt.d.reason,
                               rt.decided_by, rt.d.locality, rt.d.notify_links_worker ? "true" : "false", reason,
                               in.needs_array, in.urgent ? "true" : "false", key, hash };
        st = links_db_exec(req->worker->db, req->arena, "referral_create", 15, cv, &r, &state, &message);
        if (st == LINKS_DB_OK)
            referral = links_arena_strdup(req->arena, PQgetvalue(r, 0, 0));
    }
    const char *doc = NULL;
    if (st == LINKS_DB_OK) {
        const char *gv[1] = { referral };
        st = links_db_exec(req->worker->db, req->arena, "referral_get", 1, gv, &r, &state, &message);
        if (st == LINKS_DB_OK)
            doc = links_arena_strdup(req->arena, PQgetvalue(r, 0, 0));
    }
    /* the audit names the referral and its route, never the patient */
    json_t *d = json_pack("{s:s, s:s}", "route", route_name(rt.d.route), "decided_by", rt.decided_by);
    struct links_audit_entry e = { .action = "referral.created", .object_type = "referral",
                                   .object_id = referral, .detail = d };
    links_api_audit_commit(req, st, state, message, &e, "referral create", 201, doc);
    json_decref(d);
}

void links_handle_referral_get(struct links_request *req, const struct links_route_args *a)
{
    if (!links_uuid_valid(a->id)) {
        links_respond_problem(req, 404, "Not found", "There is nothing at this address.", NULL);
        return;
    }
    const char *v[1] = { a->id };
    links_api_respond_row(req, links_api_board_code(a), "referral_get", 1, v, 200);
}

void links_handle_referral_status(struct links_request *req, const struct links_route_args *a)
{
    static const char *const known[] = { "status", "closing_reason", "note", NULL };
    static const char *const closing[] = { "completed", "did_not_engage", "declined", "moved_away", "referred_on", NULL };
    if (!links_uuid_valid(a->id)) {
        links_respond_problem(req, 404, "Not found", "There is nothing at this address.", NULL);
        return;
    }
    struct links_fields f;
    struct links_validation v;
    if (links_api_fields(req, &f, &v, known) < 0)
        return;
    const char *status = links_field_string(&f, "status", 1, 20, NULL);
    if (status != NULL && strcmp(status, "received") != 0 && strcmp(status, "contacted") != 0 &&
        strcmp(status, "engaged") != 0 && strcmp(status, "closed") != 0)
        links_validation_add(&v, "status", "must be one of received, contacted, engaged, closed");
    const char *why = links_field_string(&f, "closing_reason", 0, 20, NULL);
    int known_reason = 0;
    for (const char *const *c = closing; why != NULL && *c; c++)
        known_reason |= strcmp(*c, why) == 0;
    if (status != NULL && strcmp(status, "closed") == 0 && why == NULL)
        links_validation_add(&v, "closing_reason", "is needed to close: completed, did_not_engage, declined, "
                                                   "moved_away or referred_on");
    else if (why != NULL && (status == NULL || strcmp(status, "closed") != 0))
        links_validation_add(&v, "closing_reason", "is given only when closing");
    else if (why != NULL && !known_reason)
        links_validation_add(&v, "closing_reason", "must be one of completed, did_not_engage, declined, moved_away, "
                                                   "referred_on");
    const char *note = links_field_string(&f, "note", 0, 2000, NULL);
    if (links_validation_failed(&v)) {
        links_validation_respond(req, &v);
        return;
    }
    links_validation_free(&v);
    const char *board = links_api_board_code(a);
    if (links_api_begin(req, board) < 0)
        return;
    const char *sv[5] = { a->id, status, why, req->principal->staff_id, note };
    const char *state = "", *message = "";
    PGresult *r;
    enum links_db_status st = links_db_exec(req->worker->db, req->arena, "referral_status", 5, sv, &r, &state,
                                            &message);
    if (st == LINKS_DB_OK && PQgetisnull(r, 0, 0)) {
        links_db_rollback(req->worker->db);
        links_respond_problem(req, 404, "Not found", "There is no referral at this address.", NULL);
        return;
    }
    if (st == LINKS_DB_OK && strcmp(PQgetvalue(r, 0, 1), "1") != 0) {
        const char *from = links_arena_strdup(req->arena, PQgetvalue(r, 0, 0));
        links_db_rollback(req->worker->db);
        links_respond_problem(req, 409, "Not from this state",
                              links_arena_printf(req->arena, "A referral that is %s cannot become %s.", from, status),
                              NULL);
        return;
    }
    const char *doc = NULL;
    if (st == LINKS_DB_OK) {
        const char *gv[1] = { a->id };
        st = links_db_exec(req->worker->db, req->arena, "referral_get", 1, gv, &r, &state, &message);
        if (st == LINKS_DB_OK)
            doc = links_arena_strdup(req->arena, PQgetvalue(r, 0, 0));
    }
    json_t *d = json_pack("{s:s, s:s?}", "status", status, "closing_reason", why);
    struct links_audit_entry e = { .action = "referral.status_changed", .object_type = "referral",
                                   .object_id = a->id, .detail = d };
    links_api_audit_commit(req, st, state, message, &e, "referral status", 200, doc);
    json_decref(d);
}

void links_handle_caseload(struct links_request *req, const struct links_route_args *a)
{
    const char *v[1] = { req->principal->practice_id };
    links_api_respond_row(req, links_api_board_code(a), "referral_caseload", 1, v, 200);
}
