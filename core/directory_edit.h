/* directory_edit.h — checking what champions send to create or change a
 * service (api_directory.c). */
#ifndef LINKS_DIRECTORY_EDIT_H
#define LINKS_DIRECTORY_EDIT_H

#include <jansson.h>

#include "http.h"

/* Members a creation takes besides a service's own fields. */
extern const char *const links_directory_create_only[];

/* Check every member of `body` (a service's fields and lists; creating:
 * also links_directory_create_only, which are left to the caller) and
 * return the members to apply, for service_edit(). Problems are added to
 * `v`. The caller decrefs the result. */
json_t *links_directory_edit(json_t *body, struct links_validation *v, int creating);

#endif
