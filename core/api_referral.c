/* api_referral.c — making referrals: where one would go under the board's
 * rules, and why (shown to staff before they confirm), making it, reading
 * it, and a links worker referring a patient on.
 *
 *   POST /api/v1/boards/{board}/referrals/preview
 *        {service_id | links_worker: true, postcode, chi?, needs?: [slug...],
 *         urgent?, patient_asks_for_service?}
 *   POST /api/v1/boards/{board}/referrals            (Idempotency-Key)
 *        the preview's members and chi, name, contact_method, contact_detail,
 *        reason, consent: true
 *   GET  /api/v1/boards/{board}/referrals/{id}
 *   POST /api/v1/boards/{board}/referrals/{id}/refer-on   (Idempotency-Key)
 *        {service_id, reason, needs?, urgent?, consent: true}
 *
 * The board's plugin decides (its referral hook); without one, or when it
 * declines, the core's default applies: a service that takes referrals
 * gets it (its waiting list when it has no places), one that does not is
 * refused, and "the links worker" means the practice's own. The CHI
 * number only gives the patient's age to the rules: it travels in bodies
 * and is never logged. What follows a referral (the caseload, contacts,
 * wellbeing) is in api_caseload.c. */
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
    " 'follow_up_on', r.follow_up_on, 'referred_on_from', r.referred_on_from," \
    " 'referred_on', (SELECT coalesce(json_agg(json_build_object('id', o.id, 'status', o.status, 'route', o.route," \
    "                                  'service', (SELECT s.name FROM service s WHERE s.id = o.service_id)," \
    "                                  'created_at', " UTC("o.created_at") ") ORDER BY o.created_at), '[]')" \
    "                   FROM referral o WHERE o.referred_on_from = r.id)," \
    " 'contacts', (SELECT coalesce(json_agg(json_build_object('on', c.contacted_on, 'method', c.method," \
    "                                  'reached', c.reached, 'note', c.note," \
    "                                  'by', (SELECT st.display_name FROM staff st WHERE st.id = c.recorded_by))" \
    "                                ORDER BY c.contacted_on, c.id), '[]')" \
    "                FROM referral_contact c WHERE c.referral_id = r.id)," \
    " 'wellbeing', referral_wellbeing_json(r.id)," \
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

/* The patient, found or added by CHI number. A patient already known keeps
 * their record and gets the newest contact details only when the name
 * given is theirs: a CHI number mistyped into someone else's (it can still
 * pass the check digit) must not rename that patient or redirect their
 * contact. No row: the CHI number is another person's. */
static const char patient_sql[] =
    "INSERT INTO patient AS p (board_id, chi, name, contact_method, contact_detail, postcode)"
    " VALUES (current_board_id(), $1, $2, $3, $4, $5)"
    " ON CONFLICT (board_id, chi) DO UPDATE SET contact_method = excluded.contact_method,"
    "   contact_detail = excluded.contact_detail, postcode = excluded.postcode, updated_at = now()"
    "   WHERE lower(regexp_replace(btrim(p.name), '\\s+', ' ', 'g')) = lower(regexp_replace(btrim(excluded.name), '\\s+', ' ', 'g'))"
    " RETURNING p.id";

static const char create_sql[] =
    "WITH r AS ("
    "  INSERT INTO referral (board_id, patient_id, practice_id, referrer_id, service_id, links_worker, route, route_reason,"
    "                        decided_by, locality, notify_links_worker, reason, needs, urgent, consent_recorded_by, status,"
    "                        idempotency_key, request_hash, referred_on_from)"
    "  VALUES (current_board_id(), $1::uuid, $2::uuid, $3::uuid, $4::uuid, $5::boolean, $6, $7, $8, $9, $10::boolean, $11,"
    "          $12::text[], $13::boolean, $3::uuid, CASE WHEN $6 = 'waiting_list' THEN 'waiting' ELSE 'received' END, $14, $15,"
    "          $16::uuid)"
    "  RETURNING *"
    ")"
    " INSERT INTO referral_event (board_id, referral_id, actor_id, from_status, to_status, note)"
    " SELECT r.board_id, r.id, r.referrer_id, NULL, r.status, r.route_reason FROM r"
    " RETURNING referral_id";

/* The referral a links worker refers on from: its patient (for the
 * routing: postcode and age) and practice, locked while the new one is
 * made. */
static const char origin_sql[] =
    "SELECT r.status, p.id, p.chi, p.postcode, r.practice_id FROM referral r JOIN patient p ON p.id = r.patient_id"
    " WHERE r.id = $1::uuid AND" BOARD_FILTER("r") " FOR UPDATE OF r";

/* The referral referred on from says so in its history. */
static const char origin_noted_sql[] =
    "INSERT INTO referral_event (board_id, referral_id, actor_id, from_status, to_status, note)"
    " SELECT r.board_id, r.id, $2::uuid, r.status, r.status,"
    "        'Referred on to ' || (SELECT s.name FROM service s WHERE s.id = $3::uuid) || coalesce(': ' || $4, '')"
    "   FROM referral r WHERE r.id = $1::uuid AND" BOARD_FILTER("r");

static const char get_sql[] =
    "SELECT " REFERRAL_JSON "::text FROM referral r WHERE r.id = $1::uuid AND" BOARD_FILTER("r");

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
        { "referral_origin", origin_sql, 0, NULL },
        { "referral_origin_noted", origin_noted_sql, 0, NULL },
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
    int referred_on;                /* a links worker refers on from a referral of theirs */
};

/* The needs member: category slugs, as a PostgreSQL text[] literal. */
static void read_needs(struct links_fields *f, struct links_validation *v, struct routing_input *in)
{
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
    read_needs(f, v, in);
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
        .referred_on_by_links_worker = in->referred_on,
    };
    default_decision(&out->ctx, &out->d);
    out->decided_by = "core";
    /* a plugin built before ABI 1.2 cannot tell a referral on from a new
     * one: for referrals on, the core's default applies */
    unsigned need_minor = in->referred_on ? 2 : 1;
    const struct links_board *board = links_boards_find(req->worker->boards, board_code);
    if (board != NULL && board->plugin != NULL && board->plugin->abi_minor >= need_minor &&
        board->plugin->referral != NULL) {
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

/* The Idempotency-Key header a new referral needs; answers 400 without. */
static const char *idempotency_key(struct links_request *req)
{
    const char *key = req->in.idempotency_key;
    if (key != NULL && *key != '\0' && strlen(key) <= 200)
        return key;
    links_respond_problem(req, 400, "Idempotency-Key needed",
                          "A new referral needs an Idempotency-Key header (up to 200 characters), so that a retry "
                          "cannot make it twice.", NULL);
    return NULL;
}

/* Open the creation's transaction, unless this key was used before (the
 * first answer again, or 422 for a different body) or is in use now
 * (409). Returns 0 with the transaction open and the key held, -1 when
 * it answered. */
static int idempotent_begin(struct links_request *req, const char *board, const char *key, const char *hash)
{
    if (links_api_begin(req, board) < 0)
        return -1;
    const char *state = "", *message = "";
    PGresult *r;
    const char *lv[2] = { req->principal->staff_id, key };
    enum links_db_status st = links_db_exec(req->worker->db, req->arena, "referral_lock", 2, lv, &r, &state, &message);
    if (st == LINKS_DB_OK && strcmp(PQgetvalue(r, 0, 0), "t") != 0) {
        links_db_rollback(req->worker->db);
        links_respond_problem(req, 409, "Already in progress",
                              "A referral with this Idempotency-Key is being made right now; ask again in a moment.",
                              NULL);
        return -1;
    }
    if (st == LINKS_DB_OK)
        st = links_db_exec(req->worker->db, req->arena, "referral_find", 2, lv, &r, &state, &message);
    if (st != LINKS_DB_OK) {
        links_db_rollback(req->worker->db);
        links_api_db_failed(req, st, "referral lookup", state, message, NULL, NULL, NULL);
        return -1;
    }
    if (PQntuples(r) == 0)
        return 0;
    const char *first = links_arena_strdup(req->arena, PQgetvalue(r, 0, 1));
    int same = strcmp(PQgetvalue(r, 0, 0), hash) == 0;
    links_db_rollback(req->worker->db);
    if (same)
        links_respond_raw_json(req, 201, first);     /* the retry gets the first answer */
    else
        links_respond_problem(req, 422, "Idempotency-Key already used",
                              "This Idempotency-Key was used for a different referral; use a new key for a new "
                              "referral.", NULL);
    return -1;
}

/* What a new referral is, once routed. */
struct new_referral {
    const char *patient, *practice, *referred_on_from, *reason, *key, *hash;
    const struct routing_input *in;
    const struct routing *rt;
};

/* Insert it with its first history entry (the transaction is open), then
 * audit, commit and answer 201 with it. */
static void insert_referral(struct links_request *req, enum links_db_status st, const char *state,
                            const char *message, const struct new_referral *n)
{
    PGresult *r;
    const char *referral = NULL, *doc = NULL;
    if (st == LINKS_DB_OK) {
        const char *cv[16] = { n->patient, n->practice, req->principal->staff_id, n->in->service,
                               n->in->to_links_worker ? "true" : "false", route_name(n->rt->d.route), n->rt->d.reason,
                               n->rt->decided_by, n->rt->d.locality, n->rt->d.notify_links_worker ? "true" : "false",
                               n->reason, n->in->needs_array, n->in->urgent ? "true" : "false", n->key, n->hash,
                               n->referred_on_from };
        st = links_db_exec(req->worker->db, req->arena, "referral_create", 16, cv, &r, &state, &message);
        if (st == LINKS_DB_OK)
            referral = links_arena_strdup(req->arena, PQgetvalue(r, 0, 0));
    }
    if (st == LINKS_DB_OK) {
        const char *gv[1] = { referral };
        st = links_db_exec(req->worker->db, req->arena, "referral_get", 1, gv, &r, &state, &message);
        if (st == LINKS_DB_OK)
            doc = links_arena_strdup(req->arena, PQgetvalue(r, 0, 0));
    }
    /* the audit names the referral and its route, never the patient */
    json_t *d = json_pack("{s:s, s:s, s:s?}", "route", route_name(n->rt->d.route), "decided_by", n->rt->decided_by,
                          "referred_on_from", n->referred_on_from);
    struct links_audit_entry e = { .action = n->referred_on_from ? "referral.referred_on" : "referral.created",
                                   .object_type = "referral", .object_id = referral, .detail = d };
    links_api_audit_commit(req, st, state, message, &e, "referral create", 201, doc);
    json_decref(d);
}

void links_handle_referral_create(struct links_request *req, const struct links_route_args *a)
{
    static const char *const known[] = { "service_id", "links_worker", "postcode", "chi", "needs", "urgent",
                                         "patient_asks_for_service", "name", "contact_method", "contact_detail",
                                         "reason", "consent", NULL };
    const char *key = idempotency_key(req);
    if (key == NULL)
        return;
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
    if (links_field_bool(&f, "consent", 1) == 0)
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
    if (idempotent_begin(req, board, key, hash) < 0)
        return;
    struct routing rt;
    if (route(req, board, &in, 1, &rt) < 0)
        return;
    if (rt.d.route == LINKS_ROUTE_REFUSED) {
        links_db_rollback(req->worker->db);
        links_respond_problem(req, 422, "This referral cannot be made", rt.d.reason, NULL);
        return;
    }
    const char *state = "", *message = "";
    PGresult *r;
    const char *pv[5] = { in.chi, name, method, detail, in.postcode };
    enum links_db_status st = links_db_exec(req->worker->db, req->arena, "referral_patient", 5, pv, &r, &state,
                                            &message);
    if (st == LINKS_DB_OK && PQntuples(r) == 0) {
        links_db_rollback(req->worker->db);
        links_validation_init(&v);          /* the request's, freed above: a new list */
        links_validation_add(&v, "chi", "belongs to a patient recorded under another name: check the CHI number and "
                                        "the name");
        links_validation_respond(req, &v);
        return;
    }
    struct new_referral n = { .patient = st == LINKS_DB_OK ? links_arena_strdup(req->arena, PQgetvalue(r, 0, 0)) : NULL,
                              .practice = req->principal->practice_id, .reason = reason, .key = key, .hash = hash,
                              .in = &in, .rt = &rt };
    insert_referral(req, st, state, message, &n);
}

/* A links worker refers the patient of one of their referrals on to a
 * service from the directory, with the patient's consent: a new referral
 * (same patient and practice) routed by the board's rules for referrals
 * on, and a line in the first one's history. The first one stays as it
 * is: the links worker closes it ("referred on") when their part is done. */
void links_handle_referral_on(struct links_request *req, const struct links_route_args *a)
{
    static const char *const known[] = { "service_id", "needs", "urgent", "reason", "consent", NULL };
    if (!links_uuid_valid(a->id)) {
        links_respond_problem(req, 404, "Not found", "There is nothing at this address.", NULL);
        return;
    }
    const char *key = idempotency_key(req);
    if (key == NULL)
        return;
    struct links_fields f;
    struct links_validation v;
    if (links_api_fields(req, &f, &v, known) < 0)
        return;
    struct routing_input in;
    memset(&in, 0, sizeof in);
    in.service = links_field_string(&f, "service_id", 1, 36, NULL);
    if (in.service != NULL && !links_uuid_valid(in.service))
        links_validation_add(&v, "service_id", "must be a service id (a UUID)");
    read_needs(&f, &v, &in);
    in.urgent = links_field_bool(&f, "urgent", 0) == 1;
    in.referred_on = 1;
    const char *reason = links_field_string(&f, "reason", 1, 2000, NULL);
    if (links_field_bool(&f, "consent", 1) == 0)
        links_validation_add(&v, "consent", "must be true: no consent, no referral");
    if (links_validation_failed(&v)) {
        links_validation_respond(req, &v);
        return;
    }
    links_validation_free(&v);
    char hash[65];
    json_object_set_new(f.obj, "referred_on_from", json_string(a->id));   /* same body, other referral: other request */
    request_hash(f.obj, hash);
    const char *board = links_api_board_code(a);
    if (idempotent_begin(req, board, key, hash) < 0)
        return;
    const char *state = "", *message = "";
    PGresult *r;
    const char *ov[1] = { a->id };
    enum links_db_status st = links_db_exec(req->worker->db, req->arena, "referral_origin", 1, ov, &r, &state,
                                            &message);
    if (st == LINKS_DB_OK && PQntuples(r) == 0) {
        links_db_rollback(req->worker->db);
        links_respond_problem(req, 404, "Not found", "There is no referral at this address.", NULL);
        return;
    }
    if (st == LINKS_DB_OK && strcmp(PQgetvalue(r, 0, 0), "closed") == 0) {
        links_db_rollback(req->worker->db);
        links_respond_problem(req, 409, "The referral is closed",
                              "Refer on from a referral that is still open, then close it as referred on.", NULL);
        return;
    }
    if (st != LINKS_DB_OK) {
        links_db_rollback(req->worker->db);
        links_api_db_failed(req, st, "referral origin", state, message, NULL, NULL, NULL);
        return;
    }
    const char *patient = links_arena_strdup(req->arena, PQgetvalue(r, 0, 1));
    const char *practice = links_arena_strdup(req->arena, PQgetvalue(r, 0, 4));
    snprintf(in.chi, sizeof in.chi, "%s", PQgetvalue(r, 0, 2));
    snprintf(in.postcode, sizeof in.postcode, "%s", PQgetvalue(r, 0, 3));
    struct routing rt;
    if (route(req, board, &in, 1, &rt) < 0)
        return;
    if (rt.d.route != LINKS_ROUTE_SERVICE && rt.d.route != LINKS_ROUTE_WAITING_LIST) {
        links_db_rollback(req->worker->db);
        links_respond_problem(req, 422, "This referral cannot be made",
                              rt.d.route == LINKS_ROUTE_REFUSED ? rt.d.reason
                                  : "The board's rules would send this referral to a links worker again.", NULL);
        return;
    }
    const char *nv[4] = { a->id, req->principal->staff_id, in.service, reason };
    st = links_db_exec(req->worker->db, req->arena, "referral_origin_noted", 4, nv, &r, &state, &message);
    struct new_referral n = { .patient = patient, .practice = practice, .referred_on_from = a->id, .reason = reason,
                              .key = key, .hash = hash, .in = &in, .rt = &rt };
    insert_referral(req, st, state, message, &n);
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

