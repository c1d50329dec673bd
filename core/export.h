/* export.h — `linksctl export hsds --format csv`: the directory's HSDS
 * objects flattened into the standard's tables (export_tabular.c). */
#ifndef LINKS_EXPORT_H
#define LINKS_EXPORT_H

#include <jansson.h>

/* Add one published object (JSON text) of an export part ("services",
 * "organizations", "taxonomies", "taxonomy_terms") to tables
 * (table -> id -> row). 0, or -1 when it is not JSON. */
int export_tabular_add(json_t *tables, const char *part, const char *json_text);

/* Write every table of the standard's datapackage as CSV into dir, with
 * the datapackage.json. 0, or -1 (said on stderr). */
int export_tabular_write(json_t *tables, const char *standard_datapackage, const char *dir);

#endif
