/* import_records.c — the list of records an import reader produces, and
 * CSV tables read with libcsv. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <csv.h>

#include "import.h"

static struct import_record *grow(struct import_records *r)
{
    if (r->count == r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 64;
        struct import_record *items = realloc(r->items, cap * sizeof *items);
        if (items == NULL)
            return NULL;
        r->items = items;
        r->cap = cap;
    }
    struct import_record *rec = &r->items[r->count++];
    memset(rec, 0, sizeof *rec);
    return rec;
}

static char *make_label(const char *kind, const char *id, const char *name)
{
    char *label = NULL;
    if (asprintf(&label, "%s %s%s%s%s", kind, id && *id ? id : "(no id)", name && *name ? " \"" : "",
                 name && *name ? name : "", name && *name ? "\"" : "") < 0)
        return NULL;
    return label;
}

int import_add(struct import_records *r, const char *kind, json_t *doc)
{
    struct import_record *rec = grow(r);
    if (rec == NULL) {
        json_decref(doc);
        return -1;
    }
    rec->kind = kind;
    rec->doc = doc;
    rec->label = make_label(kind, json_string_value(json_object_get(doc, "id")),
                            json_string_value(json_object_get(doc, "name")));
    return rec->label ? 0 : -1;
}

int import_reject(struct import_records *r, const char *kind, const char *id, const char *name,
                  const char *fmt, ...)
{
    struct import_record *rec = grow(r);
    if (rec == NULL)
        return -1;
    rec->kind = kind;
    rec->label = make_label(kind, id, name);
    va_list ap;
    va_start(ap, fmt);
    int n = vasprintf(&rec->reason, fmt, ap);
    va_end(ap);
    if (n < 0)
        rec->reason = NULL;
    return rec->label && rec->reason ? 0 : -1;
}

void import_records_free(struct import_records *r)
{
    for (size_t i = 0; i < r->count; i++) {
        json_decref(r->items[i].doc);
        free(r->items[i].label);
        free(r->items[i].reason);
    }
    free(r->items);
    memset(r, 0, sizeof *r);
}

/* ---- CSV ---- */

struct csv_state {
    struct csv_table *t;
    char **row;
    size_t nfields, rowcap;
    int failed;
};

static void on_field(void *s, size_t len, void *data)
{
    struct csv_state *st = data;
    if (st->failed)
        return;
    if (st->nfields == st->rowcap) {
        size_t cap = st->rowcap ? st->rowcap * 2 : 16;
        char **row = realloc(st->row, cap * sizeof *row);
        if (row == NULL) {
            st->failed = 1;
            return;
        }
        st->row = row;
        st->rowcap = cap;
    }
    char *v = malloc(len + 1);
    if (v == NULL) {
        st->failed = 1;
        return;
    }
    if (len)
        memcpy(v, s, len);
    v[len] = '\0';
    st->row[st->nfields++] = v;
}

static void on_row(int c, void *data)
{
    (void)c;
    struct csv_state *st = data;
    struct csv_table *t = st->t;
    if (st->failed)
        return;
    if (t->header == NULL) {
        t->header = st->row;
        t->ncols = st->nfields;
    } else {
        /* every row gets exactly the header's columns ("" when short) */
        if (t->nrows == t->cap) {
            size_t cap = t->cap ? t->cap * 2 : 64;
            char ***rows = realloc(t->rows, cap * sizeof *rows);
            if (rows == NULL) {
                st->failed = 1;
                return;
            }
            t->rows = rows;
            t->cap = cap;
        }
        char **row = calloc(t->ncols, sizeof *row);
        if (row == NULL) {
            st->failed = 1;
            return;
        }
        for (size_t j = 0; j < t->ncols; j++)
            row[j] = j < st->nfields ? st->row[j] : strdup("");
        for (size_t j = t->ncols; j < st->nfields; j++)
            free(st->row[j]);
        free(st->row);
        t->rows[t->nrows++] = row;
    }
    st->row = NULL;
    st->nfields = st->rowcap = 0;
}

int csv_table_load(const char *path, struct csv_table *t, char *err, size_t errlen)
{
    memset(t, 0, sizeof *t);
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        snprintf(err, errlen, "cannot open %s", path);
        return -1;
    }
    struct csv_parser p;
    if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0) {
        fclose(f);
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    struct csv_state st = { .t = t };
    char buf[65536];
    size_t n;
    int bad = 0;
    while (!bad && (n = fread(buf, 1, sizeof buf, f)) > 0)
        bad = csv_parse(&p, buf, n, on_field, on_row, &st) != n;
    if (!bad)
        bad = csv_fini(&p, on_field, on_row, &st) != 0;
    if (bad)
        snprintf(err, errlen, "%s: not a CSV file: %s", path, csv_strerror(csv_error(&p)));
    else if (st.failed)
        snprintf(err, errlen, "out of memory reading %s", path);
    else if (t->header == NULL)
        snprintf(err, errlen, "%s is empty (no header row)", path);
    csv_free(&p);
    fclose(f);
    for (size_t j = 0; j < st.nfields; j++)
        free(st.row[j]);
    free(st.row);
    if (bad || st.failed || t->header == NULL) {
        csv_table_free(t);
        return -1;
    }
    return 0;
}

int csv_table_column(const struct csv_table *t, const char *name)
{
    for (size_t j = 0; j < t->ncols; j++)
        if (strcmp(t->header[j], name) == 0)
            return (int)j;
    return -1;
}

void csv_table_free(struct csv_table *t)
{
    for (size_t i = 0; i < t->nrows; i++) {
        for (size_t j = 0; j < t->ncols; j++)
            free(t->rows[i][j]);
        free(t->rows[i]);
    }
    free(t->rows);
    for (size_t j = 0; j < t->ncols; j++)
        free(t->header[j]);
    free(t->header);
    memset(t, 0, sizeof *t);
}
