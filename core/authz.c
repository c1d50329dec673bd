/* authz.c — the permission matrix and the single check the router makes. */
#include "authz.h"

#include <string.h>

#include "auth.h"

struct role_info {
    const char *name;
    const char *label;
};

static const struct role_info roles[LINKS_ROLE_COUNT] = {
    [LINKS_ROLE_NONE] = { NULL, "Not signed in" },
    [LINKS_ROLE_RECEPTIONIST] = { "receptionist", "Receptionist" },
    [LINKS_ROLE_PRACTICE_NURSE] = { "practice_nurse", "Practice nurse" },
    [LINKS_ROLE_GP] = { "gp", "GP" },
    [LINKS_ROLE_LINKS_WORKER] = { "links_worker", "Links worker" },
    [LINKS_ROLE_CHAMPION] = { "champion", "Directory champion" },
    [LINKS_ROLE_BOARD_ADMIN] = { "board_admin", "Board administrator" },
    [LINKS_ROLE_SYSTEM_ADMIN] = { "system_admin", "System administrator" },
};

#define R (1u << LINKS_ROLE_RECEPTIONIST)
#define N (1u << LINKS_ROLE_PRACTICE_NURSE)
#define G (1u << LINKS_ROLE_GP)
#define L (1u << LINKS_ROLE_LINKS_WORKER)
#define C (1u << LINKS_ROLE_CHAMPION)
#define B (1u << LINKS_ROLE_BOARD_ADMIN)
#define S (1u << LINKS_ROLE_SYSTEM_ADMIN)
#define ANYONE_SIGNED_IN (R | N | G | L | C | B | S)

struct permission_info {
    const char *name;
    unsigned roles;
};

/* The matrix. A system administrator looks after accounts, practices and
 * tokens on every board but is not given patient data or the directory:
 * that is the board's own staff's work. */
static const struct permission_info permissions[LINKS_PERM_COUNT] = {
    [LINKS_PERM_PUBLIC] = { "public", 0 },
    [LINKS_PERM_OWN_SESSION] = { "own_session", ANYONE_SIGNED_IN },
    [LINKS_PERM_PRACTICE_READ] = { "practice.read", R | N | G | L | C | B | S },
    [LINKS_PERM_PRACTICE_MANAGE] = { "practice.manage", B | S },
    [LINKS_PERM_STAFF_READ] = { "staff.read", B | S },
    [LINKS_PERM_STAFF_MANAGE] = { "staff.manage", B | S },
    [LINKS_PERM_TOKEN_MANAGE] = { "token.manage", B | S },
    [LINKS_PERM_AUDIT_READ] = { "audit.read", B | S },
    [LINKS_PERM_DEPLOYMENT_AUDIT_READ] = { "deployment_audit.read", S },
    [LINKS_PERM_DIRECTORY_EDIT] = { "directory.edit", C | B },
    [LINKS_PERM_SIGNPOST_CREATE] = { "signpost.create", R | N | G | L },
    [LINKS_PERM_REFERRAL_CREATE] = { "referral.create", N | G | L },
    [LINKS_PERM_PATIENT_READ] = { "patient.read", N | G | L },
    [LINKS_PERM_CASELOAD] = { "caseload", L },
    [LINKS_PERM_REPORT_READ] = { "report.read", G | L | C | B },
    [LINKS_PERM_DIRECTORY_SETTINGS] = { "directory.settings", B },
};

const char *links_role_name(enum links_role role)
{
    return role > LINKS_ROLE_NONE && role < LINKS_ROLE_COUNT ? roles[role].name : NULL;
}

const char *links_role_label(enum links_role role)
{
    return role >= LINKS_ROLE_NONE && role < LINKS_ROLE_COUNT ? roles[role].label : "Unknown";
}

enum links_role links_role_parse(const char *name)
{
    if (name == NULL)
        return LINKS_ROLE_NONE;
    for (int r = LINKS_ROLE_NONE + 1; r < LINKS_ROLE_COUNT; r++)
        if (strcmp(roles[r].name, name) == 0)
            return (enum links_role)r;
    return LINKS_ROLE_NONE;
}

const char *links_permission_name(enum links_permission perm)
{
    return perm >= 0 && perm < LINKS_PERM_COUNT ? permissions[perm].name : "unknown";
}

int links_role_can(enum links_role role, enum links_permission perm)
{
    if (perm < 0 || perm >= LINKS_PERM_COUNT)
        return 0;
    if (perm == LINKS_PERM_PUBLIC)
        return 1;
    return role > LINKS_ROLE_NONE && role < LINKS_ROLE_COUNT &&
           (permissions[perm].roles & (1u << role)) != 0;
}

int links_role_may_assign(enum links_role actor, enum links_role target)
{
    if (target <= LINKS_ROLE_NONE || target >= LINKS_ROLE_COUNT)
        return 0;
    if (actor == LINKS_ROLE_SYSTEM_ADMIN)
        return 1;
    return actor == LINKS_ROLE_BOARD_ADMIN && target != LINKS_ROLE_SYSTEM_ADMIN;
}

int links_authorize(struct links_request *req, enum links_permission perm, const char *board_code)
{
    const struct links_principal *p = req->principal ? req->principal : &links_anonymous;
    if (perm == LINKS_PERM_PUBLIC)
        return 1;
    if (p->kind == LINKS_PRINCIPAL_ANONYMOUS) {
        links_add_header(req, "WWW-Authenticate", "Bearer realm=\"Community Links\"");
        if (req->auth_problem_title != NULL)
            links_respond_problem(req, 401, req->auth_problem_title, req->auth_problem_detail, NULL);
        else
            links_respond_problem(req, 401, "Sign-in required",
                                  "Sign in to use this part of Community Links.", NULL);
        return 0;
    }
    /* Board staff see only their own board: another board's addresses are
     * answered as if there were nothing there. */
    if (board_code != NULL && p->board_code != NULL && strcmp(board_code, p->board_code) != 0) {
        links_respond_problem(req, 404, "Not found", "There is nothing at this address.", NULL);
        return 0;
    }
    if (p->must_change_password && perm != LINKS_PERM_OWN_SESSION) {
        links_respond_problem(req, 403, "Password change needed",
                              "Your password was set by an administrator: choose your own "
                              "password before going on.", NULL);
        return 0;
    }
    if (!links_check_csrf(req))
        return 0;
    /* An API token does not make or revoke tokens: a leaked one could
     * otherwise outlive its own revocation through the ones it made. */
    if (perm == LINKS_PERM_TOKEN_MANAGE && p->kind == LINKS_PRINCIPAL_TOKEN) {
        links_respond_problem(req, 403, "Not allowed with an API token",
                              "API tokens are made and revoked by an administrator who is signed in.", NULL);
        return 0;
    }
    if (!links_role_can(p->role, perm)) {
        links_respond_problem(req, 403, "Not allowed for your role",
                              links_arena_printf(req->arena,
                                                 "Your role (%s) does not allow this (%s).",
                                                 links_role_label(p->role),
                                                 links_permission_name(perm)), NULL);
        return 0;
    }
    return 1;
}
