/* import.h — `linksctl import`: every source format becomes a list of
 * Open Referral HSDS records (an organization, a service or a taxonomy
 * term, each a JSON object) that the database imports one at a time
 * (hsds_import() in schema/0009_import.sql). A record a reader already
 * knows is bad is kept with its reason instead, so it is reported with
 * the database's rejections. */
#ifndef LINKS_IMPORT_H
#define LINKS_IMPORT_H

#include <stddef.h>

#include <jansson.h>

struct import_record {
    const char *kind;   /* "organization", "service" or "taxonomy_term" */
    char *label;        /* how the report names it: kind, id and name */
    json_t *doc;        /* NULL when rejected by the reader */
    char *reason;       /* why the reader rejected it, or NULL */
};

struct import_records {
    struct import_record *items;
    size_t count, cap;
};

/* Add a record (takes the reference to doc); label from its id and name. */
int import_add(struct import_records *r, const char *kind, json_t *doc);
/* Add a record the reader rejected, with the reason (printf-style). */
int import_reject(struct import_records *r, const char *kind, const char *id, const char *name,
                  const char *fmt, ...) __attribute__((format(printf, 5, 6)));
void import_records_free(struct import_records *r);

/* HSDS JSON as the API and `linksctl export hsds` give it: one object, a
 * list, a Page, or an export document. 0, or -1 with err set. */
int import_read_hsds_json(const char *path, struct import_records *out, char *err, size_t errlen);

/* HSDS's tabular form: tables (name without .csv -> [row objects]) nested
 * into records. 0, or -1 with err set. */
int import_read_hsds_tables(json_t *tables, struct import_records *out, char *err, size_t errlen);

/* The HSDS CSV datapackage: a directory of the standard's CSV files (or
 * its datapackage.json), typed by the standard's datapackage. */
int import_read_hsds_csv(const char *path, const char *standard_datapackage, struct import_records *out, char *err,
                         size_t errlen);

/* The ALISS CSV export: a directory holding aliss_organisation_result.csv,
 * aliss_service_result.csv, aliss_location_result.csv and (optionally)
 * service_areas.csv. 0, or -1 with err set. */
int import_read_aliss(const char *dir, struct import_records *out, char *err, size_t errlen);

/* Rows of a CSV file with a header row (libcsv). */
struct csv_table {
    char **header;
    size_t ncols;
    char ***rows;       /* rows[i][j], each NUL-terminated, "" when absent */
    size_t nrows, cap;
};
int csv_table_load(const char *path, struct csv_table *t, char *err, size_t errlen);
/* Column index of a header name, or -1. */
int csv_table_column(const struct csv_table *t, const char *name);
void csv_table_free(struct csv_table *t);

#endif
