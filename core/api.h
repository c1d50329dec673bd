/* api.h — the staff-facing endpoints (sessions, staff, practices, API
 * tokens, audit) and what they share. Each handler runs after the router
 * has matched its route and links_authorize() has allowed it. */
#ifndef LINKS_API_H
#define LINKS_API_H

#include <libpq-fe.h>

#include "boards.h"
#include "body.h"
#include "db.h"
#include "http.h"

/* What the router found in the address. */
struct links_route_args {
    const struct links_board *board;    /* NULL: not a board's address */
    const char *id;                     /* {id}, checked to be a UUID */
};

typedef void links_handler(struct links_request *req, const struct links_route_args *a);

int links_api_register(void);

/* sessions (api_session.c) */
links_handler links_handle_sign_in, links_handle_session_get, links_handle_sign_out,
    links_handle_password_change;
/* staff (api_staff.c) */
links_handler links_handle_staff_list, links_handle_staff_create, links_handle_staff_get,
    links_handle_staff_update, links_handle_staff_password_reset;
/* practices (api_practice.c) */
links_handler links_handle_practice_list, links_handle_practice_create, links_handle_practice_get,
    links_handle_practice_update;
/* API tokens (api_token.c) */
links_handler links_handle_token_list, links_handle_token_create, links_handle_token_revoke;
/* referrals (api_referral.c) */
links_handler links_handle_referral_preview, links_handle_referral_create, links_handle_referral_get,
    links_handle_referral_on;
/* the links worker's follow-up (api_caseload.c) */
links_handler links_handle_caseload, links_handle_referral_status, links_handle_referral_contact,
    links_handle_referral_follow_up, links_handle_referral_wellbeing;
/* reports (api_report.c) */
links_handler links_handle_report_practices, links_handle_report_outcomes, links_handle_report_regional,
    links_handle_report_directory;
/* signposting (api_signpost.c) */
links_handler links_handle_signpost_list, links_handle_signpost_create, links_handle_signpost_withdraw;
/* audit log (api_audit.c) */
links_handler links_handle_audit_list;
/* champions' directory (api_directory.c) */
links_handler links_handle_directory_list, links_handle_directory_create, links_handle_directory_get,
    links_handle_directory_update, links_handle_directory_review, links_handle_directory_history,
    links_handle_directory_freshness, links_handle_directory_settings, links_handle_directory_settings_update;
/* the public Open Referral HSDS API (api_hsds.c) */
links_handler links_handle_hsds_root, links_handle_hsds_services, links_handle_hsds_service,
    links_handle_hsds_organizations, links_handle_hsds_organization, links_handle_hsds_taxonomies,
    links_handle_hsds_taxonomy, links_handle_hsds_taxonomy_terms, links_handle_hsds_taxonomy_term,
    links_handle_hsds_service_at_locations, links_handle_hsds_service_at_location;

/* ---- shared by the handlers (api_common.c) ---- */

/* The board code a handler works in: the route's board, or NULL (the
 * deployment). */
const char *links_api_board_code(const struct links_route_args *a);

/* Run a statement whose one row, one column is the JSON answer. No row:
 * 404. */
void links_api_respond_row(struct links_request *req, const char *board_code, const char *stmt,
                           int nparams, const char *const *values, int status);

/* Answer a failed statement: unique violation 409 (with `conflict`), a
 * violated foreign key of `missing_field` 400 (with `missing`), others as
 * links_respond_db_failure. */
void links_api_db_failed(struct links_request *req, enum links_db_status st, const char *what,
                         const char *sqlstate, const char *message, const char *conflict,
                         const char *missing_field, const char *missing);

/* Commit the open transaction if `st` is still LINKS_DB_OK; otherwise, or
 * if COMMIT fails, roll back and answer as links_api_db_failed. Returns 0
 * only when the change has landed. */
int links_api_commit(struct links_request *req, enum links_db_status st, const char *state,
                     const char *message, const char *what, const char *conflict,
                     const char *missing_field, const char *missing);

struct links_audit_entry;
/* The end of a change: record `e` in the audit log (when `st` is still
 * LINKS_DB_OK), commit, and answer the raw JSON `doc` with `status`; on any
 * failure roll back and answer as links_api_commit. */
void links_api_audit_commit(struct links_request *req, enum links_db_status st, const char *state,
                            const char *message, const struct links_audit_entry *e, const char *what, int status,
                            const char *doc);

/* argon2id of a new password into hash (128 bytes); answers 503 and
 * returns -1 when it cannot (out of memory). */
int links_api_hash_password(struct links_request *req, const char *password, char hash[128]);

/* Begin a transaction for a change, answering on failure (returns -1). */
int links_api_begin(struct links_request *req, const char *board_code);

/* The request's body as an object whose members are read through
 * `f`; answers and returns -1 when there is none. */
int links_api_fields(struct links_request *req, struct links_fields *f, struct links_validation *v,
                     const char *const *known);

/* Value of column `col` of row 0, or NULL when SQL NULL. */
const char *links_api_value(PGresult *r, int col);

#endif
