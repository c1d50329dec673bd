/* authz.h — roles, permissions and the one table that maps one to the
 * other (docs/PERMISSIONS.md is this table in prose). Handlers never test
 * roles: each route names the permission it needs and the router asks
 * links_authorize() before the handler runs. */
#ifndef LINKS_AUTHZ_H
#define LINKS_AUTHZ_H

#include "http.h"

enum links_role {
    LINKS_ROLE_NONE = 0,            /* not signed in */
    LINKS_ROLE_RECEPTIONIST,
    LINKS_ROLE_PRACTICE_NURSE,
    LINKS_ROLE_GP,
    LINKS_ROLE_LINKS_WORKER,
    LINKS_ROLE_CHAMPION,
    LINKS_ROLE_BOARD_ADMIN,
    LINKS_ROLE_SYSTEM_ADMIN,
    LINKS_ROLE_COUNT
};

enum links_permission {
    LINKS_PERM_PUBLIC = 0,          /* anyone, signed in or not */
    LINKS_PERM_OWN_SESSION,         /* see and end one's own session, change one's password */
    LINKS_PERM_PRACTICE_READ,
    LINKS_PERM_PRACTICE_MANAGE,
    LINKS_PERM_STAFF_READ,
    LINKS_PERM_STAFF_MANAGE,
    LINKS_PERM_TOKEN_MANAGE,
    LINKS_PERM_AUDIT_READ,
    LINKS_PERM_DEPLOYMENT_AUDIT_READ,   /* the log of system administrators' own sign-ins */
    /* Granted now, used by the directory, referral and report endpoints
     * as they arrive, so the matrix is decided in one place. */
    LINKS_PERM_DIRECTORY_EDIT,
    LINKS_PERM_SIGNPOST_CREATE,
    LINKS_PERM_REFERRAL_CREATE,
    LINKS_PERM_PATIENT_READ,
    LINKS_PERM_CASELOAD,
    LINKS_PERM_REPORT_READ,
    LINKS_PERM_DIRECTORY_SETTINGS,      /* the board's review period */
    LINKS_PERM_COUNT
};

/* "receptionist" ... "system_admin"; NULL for NONE. */
const char *links_role_name(enum links_role role);
enum links_role links_role_parse(const char *name);     /* NONE when unknown */
/* Human wording: "Practice nurse". */
const char *links_role_label(enum links_role role);
const char *links_permission_name(enum links_permission perm);

/* Whether the role holds the permission (the matrix alone, no board). */
int links_role_can(enum links_role role, enum links_permission perm);

/* Whether `actor` may give an account or token the role `target`: board
 * administrators give any board role; system administrators any role. */
int links_role_may_assign(enum links_role actor, enum links_role target);

/* May the request's principal use `perm` on `board_code` (NULL: an
 * endpoint outside any board)? If not, answers the request: 401 when
 * nobody is signed in, 404 for another board's data (it is not there for
 * them, and its existence is not confirmed), 403 for a role without the
 * permission or a password that must be changed first. Returns 1 if
 * allowed. */
int links_authorize(struct links_request *req, enum links_permission perm, const char *board_code);

#endif
