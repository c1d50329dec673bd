/* mock_host.h — a struct links_host for plugin unit tests: settings come from
 * a real libconfig group parsed from a string, alloc hands out blocks freed
 * at teardown, log keeps the last line, and query is NULL (plugins must not
 * need the database to shape a lookup). One mock per test process. */
#ifndef LINKS_MOCK_HOST_H
#define LINKS_MOCK_HOST_H

#include <stddef.h>

#include "links/plugin.h"

/* Parses `settings_text` as the body of the board's settings group, e.g.
 * "deprived_decile_max = 3;". Returns 0, or -1 with mock_host_last_log()
 * holding libconfig's parse error. */
int mock_host_setup(const char *settings_text);
/* Frees every allocation and the parsed settings. Safe to call twice. */
void mock_host_teardown(void);

/* The table handed to a plugin; mutable so a test can remove a member. */
struct links_host *mock_host(void);
const struct links_settings *mock_settings(void);
struct links_request *mock_request(void);

/* Make the n-th alloc from now on (0 = the next) return NULL; -1 = never. */
void mock_host_fail_alloc_at(long n);
/* Allocations made since setup. */
size_t mock_host_alloc_count(void);
/* Last line logged ("" if none) and its level. */
const char *mock_host_last_log(void);
enum links_log_level mock_host_last_log_level(void);

#endif
