/* log.c — timestamped, levelled lines written with one write(2) each so
 * lines from several processes and threads never interleave. */
#include "log.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

static enum links_log_level threshold = LINKS_LOG_INFO;

static const char *const level_names[] = { "error", "warning", "info", "debug" };

void links_log_set_level(enum links_log_level level)
{
    threshold = level;
}

int links_log_level_parse(const char *name, enum links_log_level *out)
{
    for (size_t i = 0; i < sizeof level_names / sizeof level_names[0]; i++) {
        if (strcasecmp(name, level_names[i]) == 0) {
            *out = (enum links_log_level)i;
            return 0;
        }
    }
    return -1;
}

void links_vlog(enum links_log_level level, const char *fmt, va_list ap)
{
    if (level > threshold)
        return;
    char line[2048];
    struct timespec now;
    struct tm tm;
    clock_gettime(CLOCK_REALTIME, &now);
    gmtime_r(&now.tv_sec, &tm);
    int n = snprintf(line, sizeof line, "%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ [%ld] %s: ",
                     tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
                     tm.tm_sec, now.tv_nsec / 1000000L, (long)getpid(), level_names[level]);
    if (n < 0)
        return;
    int m = vsnprintf(line + n, sizeof line - (size_t)n - 1, fmt, ap);
    size_t len = (size_t)n + (m < 0 ? 0 : (size_t)m);
    if (len > sizeof line - 2)
        len = sizeof line - 2;
    /* Keep one record per line whatever the message held. */
    for (size_t i = (size_t)n; i < len; i++)
        if (line[i] == '\n' || line[i] == '\r')
            line[i] = ' ';
    line[len++] = '\n';
    ssize_t ignored = write(STDERR_FILENO, line, len);
    (void)ignored;
}

void links_log(enum links_log_level level, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    links_vlog(level, fmt, ap);
    va_end(ap);
}
