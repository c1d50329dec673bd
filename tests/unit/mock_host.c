/* mock_host.c — the plugin test host (see mock_host.h). Its setting_*
 * functions follow the rules the daemon's host must follow: paths are
 * libconfig paths relative to the board's settings group, setting_int
 * accepts booleans as 0/1, and setting_float accepts only floats. */
#include "mock_host.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libconfig.h>

struct links_settings {
    config_setting_t *group;
};

struct links_request {
    int unused;
};

struct mock_block {
    struct mock_block *next;
    max_align_t data[];
};

static config_t mock_config;
static int mock_config_loaded;
static struct links_settings mock_board_settings;
static struct links_request mock_the_request;
static struct mock_block *mock_blocks;
static size_t mock_allocs;
static long mock_fail_at = -1;
static char mock_log_line[1024];
static enum links_log_level mock_log_level;

static const config_setting_t *mock_find(const struct links_settings *s, const char *path)
{
    if (s == NULL || s->group == NULL || path == NULL)
        return NULL;
    return config_setting_lookup(s->group, path);
}

static void mock_log(const struct links_settings *s, enum links_log_level level,
                     const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void mock_log(const struct links_settings *s, enum links_log_level level,
                     const char *fmt, ...)
{
    va_list ap;

    (void)s;
    va_start(ap, fmt);
    vsnprintf(mock_log_line, sizeof mock_log_line, fmt, ap);
    va_end(ap);
    mock_log_level = level;
}

static int mock_setting_int(const struct links_settings *s, const char *path, long *out)
{
    const config_setting_t *found = mock_find(s, path);

    if (found == NULL)
        return 0;
    switch (config_setting_type(found)) {
    case CONFIG_TYPE_INT:
        *out = config_setting_get_int(found);
        return 1;
    case CONFIG_TYPE_INT64:
        *out = (long)config_setting_get_int64(found);
        return 1;
    case CONFIG_TYPE_BOOL:
        *out = config_setting_get_bool(found) ? 1 : 0;
        return 1;
    default:
        return 0;
    }
}

static int mock_setting_float(const struct links_settings *s, const char *path, double *out)
{
    const config_setting_t *found = mock_find(s, path);

    if (found == NULL || config_setting_type(found) != CONFIG_TYPE_FLOAT)
        return 0;
    *out = config_setting_get_float(found);
    return 1;
}

static int mock_setting_string(const struct links_settings *s, const char *path,
                               const char **out)
{
    const config_setting_t *found = mock_find(s, path);

    if (found == NULL || config_setting_type(found) != CONFIG_TYPE_STRING)
        return 0;
    *out = config_setting_get_string(found);
    return 1;
}

static int mock_is_aggregate(const config_setting_t *setting)
{
    return config_setting_is_group(setting) || config_setting_is_list(setting)
           || config_setting_is_array(setting);
}

static int mock_setting_count(const struct links_settings *s, const char *path)
{
    const config_setting_t *found = mock_find(s, path);

    if (found == NULL || !mock_is_aggregate(found))
        return 0;
    return config_setting_length(found);
}

static int mock_setting_child(const struct links_settings *s, const char *path, int index,
                              const char **name, const char **string_value)
{
    const config_setting_t *found = mock_find(s, path);
    const config_setting_t *child;

    if (found == NULL || !mock_is_aggregate(found) || index < 0)
        return 0;
    child = config_setting_get_elem(found, (unsigned int)index);
    if (child == NULL)
        return 0;
    *name = config_setting_name(child);
    *string_value = config_setting_type(child) == CONFIG_TYPE_STRING
                    ? config_setting_get_string(child) : NULL;
    return 1;
}

static void *mock_alloc(struct links_request *req, size_t size)
{
    struct mock_block *block;

    (void)req;
    if (mock_fail_at >= 0 && mock_fail_at-- == 0)
        return NULL;
    block = malloc(sizeof *block + size);
    if (block == NULL)
        return NULL;
    block->next = mock_blocks;
    mock_blocks = block;
    mock_allocs++;
    return block->data;
}

static struct links_host mock_table;

static void mock_table_reset(void)
{
    mock_table = (struct links_host){
        .abi_major = LINKS_PLUGIN_ABI_MAJOR,
        .abi_minor = LINKS_PLUGIN_ABI_MINOR,
        .size = sizeof(struct links_host),
        .log = mock_log,
        .setting_int = mock_setting_int,
        .setting_float = mock_setting_float,
        .setting_string = mock_setting_string,
        .setting_count = mock_setting_count,
        .setting_child = mock_setting_child,
        .alloc = mock_alloc,
        .query = NULL,
        .rows_count = NULL,
        .rows_value = NULL,
    };
}

int mock_host_setup(const char *settings_text)
{
    static const char prefix[] = "settings = {\n";
    static const char suffix[] = "\n};\n";
    size_t n = strlen(prefix) + strlen(settings_text) + strlen(suffix) + 1;
    char *text;
    int ok;

    mock_host_teardown();
    mock_table_reset();
    text = malloc(n);
    if (text == NULL)
        return -1;
    snprintf(text, n, "%s%s%s", prefix, settings_text, suffix);
    config_init(&mock_config);
    mock_config_loaded = 1;
    ok = config_read_string(&mock_config, text);
    free(text);
    if (!ok) {
        snprintf(mock_log_line, sizeof mock_log_line, "settings line %d: %s",
                 config_error_line(&mock_config) - 1, config_error_text(&mock_config));
        return -1;
    }
    mock_board_settings.group = config_lookup(&mock_config, "settings");
    return 0;
}

void mock_host_teardown(void)
{
    while (mock_blocks != NULL) {
        struct mock_block *next = mock_blocks->next;

        free(mock_blocks);
        mock_blocks = next;
    }
    if (mock_config_loaded) {
        config_destroy(&mock_config);
        mock_config_loaded = 0;
    }
    mock_board_settings.group = NULL;
    mock_allocs = 0;
    mock_fail_at = -1;
    mock_log_line[0] = '\0';
    mock_log_level = LINKS_LOG_DEBUG;
}

struct links_host *mock_host(void) { return &mock_table; }
const struct links_settings *mock_settings(void) { return &mock_board_settings; }
struct links_request *mock_request(void) { return &mock_the_request; }
void mock_host_fail_alloc_at(long n) { mock_fail_at = n; }
size_t mock_host_alloc_count(void) { return mock_allocs; }
const char *mock_host_last_log(void) { return mock_log_line; }
enum links_log_level mock_host_last_log_level(void) { return mock_log_level; }
