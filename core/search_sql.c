/* search_sql.c — SQL text for resource search. */
#include "search_sql.h"

#include <stdio.h>

#include "db.h"

static char variant_sql[LINKS_SEARCH_VARIANTS][6144];
static char variant_name[LINKS_SEARCH_VARIANTS][32];

static const Oid search_param_types[LINKS_SEARCH_NPARAMS] = {
    LINKS_OID_TSQUERY, LINKS_OID_UUID, LINKS_OID_FLOAT8, LINKS_OID_FLOAT8, LINKS_OID_FLOAT8,
    LINKS_OID_INT4, LINKS_OID_INT4, LINKS_OID_INT4, LINKS_OID_INT4, LINKS_OID_TEXT,
    LINKS_OID_INT4, LINKS_OID_TEXT_ARRAY, LINKS_OID_INT4, LINKS_OID_INT4,
};

/* Columns every hit carries, for ranking. Place columns come from the
 * service row (copied from its locations by trigger), so a search touches
 * only the services that match both its text and its place indexes. */
#define HIT_COLUMNS \
    "s.id, s.name, s.is_free, s.area, s.location_councils, s.location_sectors"

#define VISIBLE_SERVICES \
    "s.status = 'active' AND (s.board_id = current_board_id() OR s.board_id IS NULL)"

/* Nearest of the service's locations to the origin ($3, $4), in km. Most
 * services have one location: that case skips the subquery. */
#define NEAREST_KM \
    "(CASE WHEN cardinality(s.location_points) = 1\n" \
    "      THEN distance_km($3::float8, $4::float8, (s.location_points[1])[1], (s.location_points[1])[0])\n" \
    "      ELSE (SELECT min(distance_km($3::float8, $4::float8, p[1], p[0])) FROM unnest(s.location_points) p) END)"

static void build_variant(int v)
{
    const int text = v & LINKS_SEARCH_TEXT, category = v & LINKS_SEARCH_CATEGORY,
              origin = v & LINKS_SEARCH_ORIGIN;
    /* $1 is a tsquery the resolve statement made from q: a parameter, not
     * an expression, so it is neither parsed again for every row nor hidden
     * from the planner behind a CTE. */
    const char *tsq_from = "";
    /* Relevance orders results only without an origin (with one, nearest
     * comes first), so it is computed only then. */
    const char *relevance = text && !origin ? ", ts_rank_cd(s.search_vector, $1::tsquery) AS relevance"
                                            : ", 0::real AS relevance";
    const char *text_filter = text ? " AND s.search_vector @@ $1::tsquery" : "";
    const char *category_filter = category ? " AND s.category_lineage @> ARRAY[$2::uuid]" : "";
    char hits[3072];

    if (origin) {
        /* Local services: a location inside the radius (GiST on the
         * bounding box of its locations, then exact distance). Board-wide
         * and national services: wherever they are. */
        snprintf(hits, sizeof hits,
                 "hits AS (\n"
                 "  SELECT " HIT_COLUMNS ", d.distance_km%s\n"
                 "    FROM service s%s\n"
                 "    CROSS JOIN LATERAL (SELECT " NEAREST_KM ") AS d(distance_km)\n"
                 "   WHERE " VISIBLE_SERVICES " AND s.area = 'local'\n"
                 "     AND s.places_box && bounding_box($3::float8, $4::float8, $5::float8)\n"
                 "     AND d.distance_km <= $5::float8%s%s\n"
                 "  UNION ALL\n"
                 "  SELECT " HIT_COLUMNS ", " NEAREST_KM " AS distance_km%s\n"
                 "    FROM service s%s\n"
                 "   WHERE " VISIBLE_SERVICES " AND s.area <> 'local'%s%s\n"
                 ")",
                 relevance, tsq_from, text_filter, category_filter, relevance, tsq_from,
                 text_filter, category_filter);
    } else {
        snprintf(hits, sizeof hits,
                 "hits AS (\n"
                 "  SELECT " HIT_COLUMNS ", NULL::float8 AS distance_km%s\n"
                 "    FROM service s%s\n"
                 "   WHERE " VISIBLE_SERVICES "%s%s\n"
                 ")",
                 relevance, tsq_from, text_filter, category_filter);
    }

    /* Within a tier: nearest first with an origin, most relevant without;
     * name and id make the order total, so pages never overlap. */
    const char *order = origin ? "r.distance_km NULLS LAST, r.name, r.id"
                               : (text ? "r.relevance DESC, r.name, r.id" : "r.name, r.id");
    const char *outer_order = origin ? "p.distance_km NULLS LAST, p.name, p.id"
                                     : (text ? "p.relevance DESC, p.name, p.id" : "p.name, p.id");
    /* The location shown: the nearest with an origin, else the first by name. */
    const char *shown_location = origin ? "distance_km($3::float8, $4::float8, l.lat, l.lon), l.id"
                                        : "l.name, l.id";

    snprintf(variant_sql[v], sizeof variant_sql[v],
             "WITH %s,\n"
             "ranked AS (\n"
             /* The first preference a result meets sets its tier (least()
              * ignores the NULLs of preferences it does not meet). */
             "  SELECT h.*,\n"
             "         coalesce(least(\n"
             "           CASE WHEN h.is_free THEN $8::int END,\n"
             "           CASE WHEN $10::text = ANY(h.location_councils) THEN $9::int END,\n"
             "           CASE WHEN $11::int IS NOT NULL AND EXISTS (\n"
             "                  SELECT 1 FROM unnest(h.location_sectors) AS sector\n"
             "                   WHERE sector = ANY($12::text[])\n"
             "                      OR (split_part(sector, ' ', 1) = ANY($12::text[])\n"
             "                          AND NOT ('!' || sector) = ANY($12::text[])))\n"
             "                THEN $11::int END,\n"
             "           CASE WHEN h.area <> 'local' THEN $13::int END), $14::int) AS tier\n"
             "    FROM hits h\n"
             "),\n"
             "page AS (\n"
             "  SELECT r.* FROM ranked r ORDER BY r.tier, %s LIMIT $6::int OFFSET $7::int\n"
             ")\n"
             /* The page's items leave the database as one JSON array, in
              * the API's shape: PostgreSQL encodes them as it reads them,
              * and linksd places the array in the response unparsed. */
             "SELECT (SELECT count(*) FROM ranked) AS total,\n"
             "       coalesce(json_agg(json_build_object(\n"
             "         'id', s.id, 'name', s.name, 'description', s.description, 'url', s.url,\n"
             "         'email', s.email, 'phone', s.phone, 'is_free', s.is_free,\n"
             "         'fees', s.fees_description, 'area', s.area,\n"
             "         'organization', json_build_object('id', o.id, 'name', o.name),\n"
             "         'location', CASE WHEN l.id IS NOT NULL THEN json_build_object(\n"
             "             'id', l.id, 'name', l.name, 'address', l.address_1, 'city', l.city,\n"
             "             'postcode', l.postcode, 'lat', round(l.lat::numeric, 6),\n"
             "             'lon', round(l.lon::numeric, 6)) END,\n"
             "         'distance_km', round(p.distance_km::numeric, 2),\n"
             "         'rank_tier', p.tier,\n"
             "         'categories', s.category_summary,\n"
             "         'schedules', service_schedules(s.id, l.id))\n"
             "         ORDER BY p.tier, %s), '[]') AS items\n"
             "  FROM page p\n"
             "  JOIN service s ON s.id = p.id\n"
             "  JOIN organization o ON o.id = s.organization_id\n"
             "  LEFT JOIN LATERAL (\n"
             "       SELECT l.* FROM service_at_location sal JOIN location l ON l.id = sal.location_id\n"
             "        WHERE sal.service_id = p.id ORDER BY %s LIMIT 1) l ON true",
             hits, order, outer_order, shown_location);
    snprintf(variant_name[v], sizeof variant_name[v], "search_%s%s%s", text ? "q" : "",
             category ? "c" : "", origin ? "o" : "");
    if (v == 0)
        snprintf(variant_name[v], sizeof variant_name[v], "search_all");
}

const char *links_search_statement_name(int variant)
{
    return variant_name[variant];
}

const char *links_search_sql(int variant)
{
    if (variant_sql[variant][0] == '\0')
        build_variant(variant);
    return variant_sql[variant];
}

const char links_search_resolve_sql[] =
    "SELECT c.id AS category_id, o.postcode, o.district, o.sector, o.lat, o.lon,\n"
    "       o.council_code, ca.name AS council_name, o.data_zone, o.data_zone_exact,\n"
    "       dz.simd_decile, (o.lat IS NOT NULL) AS place_found,\n"
    "       websearch_to_tsquery('english', $4::text) AS tsquery\n"
    "  FROM (SELECT 1) AS one\n"
    "  LEFT JOIN category c ON c.slug = $3::text\n"
    "  LEFT JOIN LATERAL (\n"
    "       SELECT p.postcode, p.district, p.sector, p.lat, p.lon, p.council_code,\n"
    "              p.data_zone, p.data_zone_exact\n"
    "         FROM postcode p WHERE $1::text = 'postcode' AND p.postcode = $2::text\n"
    "       UNION ALL\n"
    "       SELECT NULL, split_part(a.area, ' ', 1), CASE WHEN a.kind = 'sector' THEN a.area END,\n"
    "              a.lat, a.lon, a.council_code, NULL, false\n"
    "         FROM postcode_area a WHERE $1::text IN ('district', 'sector') AND a.area = $2::text\n"
    "       ) o ON true\n"
    "  LEFT JOIN council_area ca ON ca.code = o.council_code\n"
    "  LEFT JOIN data_zone dz ON dz.code = o.data_zone";

/* Correct words the directory does not use to the closest word it does
 * (trigram similarity), for "did you mean". Short words are left alone. */
const char links_search_spell_sql[] =
    "WITH words AS (\n"
    "  SELECT w, ord FROM regexp_split_to_table(lower($1::text), '[^[:alpha:]]+')\n"
    "         WITH ORDINALITY AS t(w, ord) WHERE w <> ''\n"
    "), fixed AS (\n"
    "  SELECT ord, w, coalesce(CASE WHEN length(w) < 4\n"
    "                                 OR EXISTS (SELECT 1 FROM search_term e WHERE e.word = w)\n"
    "                               THEN NULL\n"
    "                               ELSE (SELECT t.word FROM search_term t WHERE t.word % w\n"
    "                                      ORDER BY t.word <-> w, t.nentry DESC LIMIT 1) END, w) AS fixed\n"
    "    FROM words\n"
    ")\n"
    "SELECT string_agg(fixed, ' ' ORDER BY ord) AS corrected, coalesce(bool_or(fixed <> w), false) AS changed,\n"
    "       websearch_to_tsquery('english', string_agg(fixed, ' ' ORDER BY ord)) AS tsquery\n"
    "  FROM fixed";

const char links_search_detail_sql[] =
    "SELECT s.id, s.name, s.description, s.url, s.email, s.phone, s.status, s.is_free,\n"
    "       s.fees_description, s.eligibility_description, s.area, s.last_reviewed, s.review_due,\n"
    "       o.id AS organization_id, o.name AS organization_name, o.url AS organization_url,\n"
    "       (SELECT json_agg(json_build_object('id', l.id, 'name', l.name, 'address', l.address_1,\n"
    "                                          'city', l.city, 'postcode', l.postcode,\n"
    "                                          'lat', l.lat, 'lon', l.lon) ORDER BY l.name, l.id)\n"
    "          FROM service_at_location sal JOIN location l ON l.id = sal.location_id\n"
    "         WHERE sal.service_id = s.id) AS locations,\n"
    "       (SELECT json_agg(json_build_object('slug', c.slug, 'name', c.name) ORDER BY c.name)\n"
    "          FROM service_category sc JOIN category c ON c.id = sc.category_id\n"
    "         WHERE sc.service_id = s.id) AS categories,\n"
    "       service_schedules(s.id, NULL) AS schedules\n"
    "  FROM service s JOIN organization o ON o.id = s.organization_id\n"
    " WHERE s.id = $1::uuid AND (s.board_id = current_board_id() OR s.board_id IS NULL)";

const char links_categories_sql[] =
    "SELECT c.slug, c.name, p.slug AS parent, cardinality(c.lineage) AS level\n"
    "  FROM category c LEFT JOIN category p ON p.id = c.parent_id\n"
    " ORDER BY c.lineage[1] = c.id DESC, p.name NULLS FIRST, c.name";

int links_search_register(void)
{
    static const Oid resolve_types[] = { LINKS_OID_TEXT, LINKS_OID_TEXT, LINKS_OID_TEXT, LINKS_OID_TEXT };
    static const Oid text_type[] = { LINKS_OID_TEXT };
    static const Oid uuid_type[] = { LINKS_OID_UUID };
    struct links_statement s[] = {
        { "search_resolve", links_search_resolve_sql, 4, resolve_types },
        { "search_spell", links_search_spell_sql, 1, text_type },
        { "resource_detail", links_search_detail_sql, 1, uuid_type },
        { "categories", links_categories_sql, 0, NULL },
    };
    if (links_db_register_all(s, sizeof s / sizeof s[0]) < 0)
        return -1;
    for (int v = 0; v < LINKS_SEARCH_VARIANTS; v++) {
        struct links_statement st = { NULL, links_search_sql(v), LINKS_SEARCH_NPARAMS,
                                      search_param_types };
        st.name = links_search_statement_name(v);
        if (links_db_register(&st) < 0)
            return -1;
    }
    return 0;
}
