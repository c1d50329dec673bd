/* audit.h — the append-only record of who did what to which data, when,
 * from where and why (table audit_log, schema/0004_staff.sql). */
#ifndef LINKS_AUDIT_H
#define LINKS_AUDIT_H

#include <jansson.h>

#include "db.h"
#include "http.h"

struct links_audit_entry {
    const char *action;             /* "sign_in.failed", "staff.role_changed" ... */
    const char *object_type;        /* "staff", "session" ...; may be NULL */
    const char *object_id;
    const char *reason;             /* why (for patient data: the purpose) */
    json_t *detail;                 /* may be NULL; borrowed */
    /* Who, when nobody is signed in yet (sign-in attempts); otherwise the
     * request's principal is the actor. */
    const char *actor_id;
    const char *actor_board_code;   /* with actor_id: the account's board (NULL: system) */
    const char *actor_name;
    const char *actor_role;
};

int links_audit_register(void);

/* Record inside the caller's open transaction (links_db_begin). */
enum links_db_status links_audit_tx(struct links_request *req, const struct links_audit_entry *e,
                                    const char **sqlstate, const char **message);

/* Record in a transaction of its own, under `board_code` (NULL: the
 * deployment). Failing to record is logged; callers that must not go on
 * without a record check the status. */
enum links_db_status links_audit(struct links_request *req, const char *board_code,
                                 const struct links_audit_entry *e);

#endif
