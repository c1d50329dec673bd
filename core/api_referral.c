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

#include "api.h"
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

int links_api_referral_register(void);
int links_api_referral_register(void)
{
    static const struct links_statement s[] = {
        { "referral_context", context_sql, 0, NULL },
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

void links_handle_referral_preview(struct links_request *req, const struct links_route_args *a)
{
    static const char *const known[] = { "service_id", "links_worker", "postcode", "chi", "needs", "urgent",
                                         "patient_asks_for_service", NULL };
    struct links_fields f;
    struct links_validation v;
    if (links_api_fields(req, &f, &v, known) < 0)
        return;
    const char *service = links_field_string(&f, "service_id", 0, 36, NULL);
    if (service != NULL && !links_uuid_valid(service))
        links_validation_add(&v, "service_id", "must be a service id (a UUID)");
    int to_links_worker = links_field_bool(&f, "links_worker", 0) == 1;
    if ((service != NULL) == to_links_worker && !links_validation_failed(&v))
        links_validation_add(&v, "service_id", "(or links_worker: true) is needed, exactly one: where the referral is to");
    const char *postcode_in = links_field_string(&f, "postcode", 1, 10, NULL);
    char postcode[LINKS_POSTCODE_MAX] = "";
    if (postcode_in != NULL && links_place_normalise(postcode_in, postcode) != LINKS_PLACE_POSTCODE)
        links_validation_add(&v, "postcode", "must be the patient's full postcode, such as G51 2XX");
    const char *chi_in = links_field_string(&f, "chi", 0, 20, NULL);
    char chi[11] = "";
    enum links_chi_result chi_result = chi_in ? links_chi_check(chi_in, chi) : LINKS_CHI_VALID;
    if (chi_result != LINKS_CHI_VALID)
        links_validation_add(&v, "chi", "%s", links_chi_problem(chi_result));
    int urgent = links_field_bool(&f, "urgent", 0) == 1;
    int asks = links_field_bool(&f, "patient_asks_for_service", 0) == 1;
    /* needs: category slugs, as a PostgreSQL text[] literal */
    json_t *needs = json_object_get(f.obj, "needs");
    char needs_array[2048] = "{}";
    size_t n_needs = 0;
    if (needs != NULL && !json_is_null(needs)) {
        size_t i, used = 0;
        json_t *slug;
        int bad = !json_is_array(needs) || json_array_size(needs) > 20;
        needs_array[used++] = '{';
        json_array_foreach(needs, i, slug) {
            const char *s = json_string_value(slug);
            size_t len = s ? strlen(s) : 0;
            if (bad || len == 0 || len > 60 || strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789-") != len) {
                bad = 1;
                break;
            }
            if (n_needs++)
                needs_array[used++] = ',';
            memcpy(needs_array + used, s, len);
            used += len;
        }
        needs_array[used++] = '}';
        needs_array[used] = '\0';
        if (bad)
            links_validation_add(&v, "needs", "must be a list of at most 20 category slugs");
    }
    if (req->principal->practice_id == NULL)
        links_validation_add(&v, "practice", "referrals are made by staff attached to a practice");
    if (links_validation_failed(&v)) {
        links_validation_respond(req, &v);
        return;
    }
    links_validation_free(&v);

    const char *board_code = links_api_board_code(a);
    const char *cv[4] = { service, req->principal->practice_id, postcode, needs_array };
    const char *state = "", *message = "";
    PGresult *r;
    enum links_db_status st = links_db_query(req->worker->db, req->arena, board_code, "referral_context", 4, cv, &r,
                                             &state, &message);
    if (st != LINKS_DB_OK) {
        links_api_db_failed(req, st, "referral context", state, message, NULL, NULL, NULL);
        return;
    }
    links_validation_init(&v);
    if (service != NULL && strcmp(PQgetvalue(r, 0, 0), "t") != 0)
        links_validation_add(&v, "service_id", "is not an active service in this board's directory");
    if ((size_t)atol(PQgetvalue(r, 0, 9)) != n_needs)
        links_validation_add(&v, "needs", "names a category the directory does not have");
    if (links_validation_failed(&v)) {
        links_validation_respond(req, &v);
        return;
    }
    links_validation_free(&v);

    char district[8] = "", sector[10] = "";
    snprintf(sector, sizeof sector, "%.*s", (int)strlen(postcode) - 2, postcode);
    snprintf(district, sizeof district, "%.*s", (int)strcspn(postcode, " "), postcode);
    struct links_referral_context ctx = {
        .board_code = board_code,
        .to_links_worker = to_links_worker,
        .urgent = urgent,
        .patient_age = chi[0] ? age_from_chi(chi) : -1,
        .simd_decile = atoi(PQgetvalue(r, 0, 8)),
        .patient_district = district,
        .patient_sector = sector,
        .needs = (int)n_needs,
        .patient_asks_for_service = asks,
        .practice_has_links_worker = strcmp(PQgetvalue(r, 0, 6), "t") == 0,
        .service_accepts_referrals = strcmp(PQgetvalue(r, 0, 1), "t") == 0,
        .service_self_referral = strcmp(PQgetvalue(r, 0, 5), "t") == 0,
        .service_capacity = atoi(PQgetvalue(r, 0, 2)),
        .service_minimum_age = atof(PQgetvalue(r, 0, 3)),
        .service_maximum_age = atof(PQgetvalue(r, 0, 4)),
    };
    struct links_referral_decision d;
    default_decision(&ctx, &d);
    const struct links_board *board = links_boards_find(req->worker->boards, board_code);
    const char *decided_by = "core";
    if (board != NULL && board->plugin != NULL && board->plugin->abi_minor >= 1 && board->plugin->referral != NULL) {
        struct links_referral_decision pd = d;
        int rc = board->plugin->referral(board->state, req, &ctx, &pd);
        if (rc == LINKS_PLUGIN_OK && route_name(pd.route) != NULL && pd.reason != NULL) {
            d = pd;
            decided_by = board->plugin->name;
        } else if (rc != LINKS_PLUGIN_DECLINED) {
            links_error("board %s: plugin %s referral rules failed", board->cfg->slug, board->plugin->name);
            links_respond_problem(req, 503, "Regional referral rules failed",
                                  "This board's referral rules could not be applied; the failure has been logged.", NULL);
            return;
        }
    }
    json_t *patient = json_pack("{s:o, s:o, s:s}", "simd_decile",
                                ctx.simd_decile > 0 ? json_integer(ctx.simd_decile) : json_null(), "age",
                                ctx.patient_age >= 0 ? json_integer(ctx.patient_age) : json_null(), "district", district);
    json_t *doc = json_pack("{s:s, s:s, s:b, s:s?, s:s, s:o}", "route", route_name(d.route), "reason", d.reason,
                            "notify_links_worker", d.notify_links_worker, "locality", d.locality, "decided_by",
                            decided_by, "patient", patient);
    links_respond_json(req, 200, doc);
}
