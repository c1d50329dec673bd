/* log.h — one-line log records on stderr (journald / the quick-start log
 * file pick them up). Never log patient identifiers or query strings that
 * could hold them. */
#ifndef LINKS_LOG_H
#define LINKS_LOG_H

#include <stdarg.h>

#include "links/plugin.h"

void links_log_set_level(enum links_log_level level);
int links_log_level_parse(const char *name, enum links_log_level *out);
void links_log(enum links_log_level level, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void links_vlog(enum links_log_level level, const char *fmt, va_list ap);

#define links_error(...) links_log(LINKS_LOG_ERROR, __VA_ARGS__)
#define links_warn(...)  links_log(LINKS_LOG_WARNING, __VA_ARGS__)
#define links_info(...)  links_log(LINKS_LOG_INFO, __VA_ARGS__)
#define links_debug(...) links_log(LINKS_LOG_DEBUG, __VA_ARGS__)

#endif
