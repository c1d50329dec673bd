/* search_sql.c — SQL text for resource search. */
#include "search_sql.h"

#include <stdio.h>

#include "db.h"

static char variant_sql[LINKS_SEARCH_VARIANTS][8192];
static char variant_name[LINKS_SEARCH_VARIANTS][32];

static const Oid search_param_types[LINKS_SEARCH_NPARAMS] = {
    LINKS_OID_TSQUERY, LINKS_OID_UUID, LINKS_OID_FLOAT8, LINKS_OID_FLOAT8, LINKS_OID_FLOAT8,
    LINKS_OID_INT4, LINKS_OID_INT4, LINKS_OID_INT4, LINKS_OID_INT4, LINKS_OID_TEXT,
    LINKS_OID_INT4, LINKS_OID_TEXT_ARRAY, LINKS_OID_INT4, LINKS_OID_INT4,
    LINKS_OID_TIMESTAMPTZ, LINKS_OID_NUMERIC, LINKS_OID_BOOL, LINKS_OID_BOOL, LINKS_OID_TEXT_ARRAY,
    LINKS_OID_TEXT, LINKS_OID_TEXT, LINKS_OID_TEXT, LINKS_OID_TEXT,
};

/* Columns every hit carries, for ranking. Place columns come from the
 * service row (copied from its locations and service areas by trigger), so
 * a search touches only the services that match both its text and its
 * place indexes. */
#define HIT_COLUMNS \
    "s.id, s.seq, s.name, s.is_free, s.area, s.location_councils, s.location_sectors, s.area_codes,\n" \
    "         s.last_reviewed"

#define VISIBLE_SERVICES \
    "s.status = 'active' AND (s.board_id = current_board_id() OR s.board_id IS NULL)"

/* The filters that no index serves: checked on the candidates the indexes
 * found. A NULL (or false) parameter leaves its filter out. */
#define NARROWING_FILTERS \
    "     AND (NOT $17::boolean OR s.is_free)\n" \
    "     AND ($16::numeric IS NULL OR ((s.minimum_age IS NULL OR s.minimum_age <= $16::numeric)\n" \
    "                                   AND (s.maximum_age IS NULL OR s.maximum_age >= $16::numeric)))\n" \
    "     AND (NOT $18::boolean OR (s.accepts_referrals AND coalesce(s.capacity_available, 1) > 0))\n" \
    "     AND ($15::timestamptz IS NULL OR service_open_at(s.id, $15::timestamptz))\n"

/* Nearest of the service's locations to the origin ($3, $4), in km. Most
 * services have one location: that case skips the subquery. */
#define NEAREST_KM \
    "(CASE WHEN cardinality(s.location_points) = 1\n" \
    "      THEN distance_km($3::float8, $4::float8, (s.location_points[1])[1], (s.location_points[1])[0])\n" \
    "      ELSE (SELECT min(distance_km($3::float8, $4::float8, p[1], p[0])) FROM unnest(s.location_points) p) END)"

/* Order within what ranking sets (overdue services last, then the tier of
 * the plugin's first preference met): $20 "reviewed" most recently
 * reviewed first, "relevance" most relevant first, else the variant's own
 * order (nearest with an origin, most relevant with words, by name). Name
 * and id make the order total, so pages never overlap. */
static void order_clause(char *out, size_t size, const char *t, int text, int origin)
{
    char natural[128];
    if (origin)
        snprintf(natural, sizeof natural, "%s.distance_km NULLS LAST, %s.name, %s.id", t, t, t);
    else if (text)
        snprintf(natural, sizeof natural, "%s.relevance DESC, %s.name, %s.id", t, t, t);
    else
        snprintf(natural, sizeof natural, "%s.name, %s.id", t, t);
    snprintf(out, size,
             "%s.overdue, %s.tier,\n"
             "           CASE WHEN $20::text = 'reviewed' THEN %s.last_reviewed END DESC NULLS LAST,\n"
             "           CASE WHEN $20::text = 'relevance' THEN %s.relevance END DESC NULLS LAST, %s",
             t, t, t, t, natural);
}

/* The tier of the plugin's first preference a hit meets (least() ignores
 * the NULLs of preferences it does not meet), and whether its review is
 * overdue: not confirmed within the board's review period and grace. Only
 * what ordering and the page need goes on: the arrays the tiers were
 * computed from would otherwise be copied into the sorted, kept rows. */
#define RANKED \
    "ranked AS (\n" \
    "  SELECT h.id, h.seq, h.name, h.distance_km, h.covers, h.relevance, h.last_reviewed, h.ord,\n" \
    "         coalesce(least(\n" \
    "           CASE WHEN h.is_free THEN $8::int END,\n" \
    "           CASE WHEN $10::text = ANY(h.location_councils)\n" \
    "                  OR ('council:' || $10::text) = ANY(h.area_codes) THEN $9::int END,\n" \
    "           CASE WHEN $11::int IS NOT NULL AND EXISTS (\n" \
    "                  SELECT 1 FROM unnest(h.location_sectors) AS sector\n" \
    "                   WHERE sector = ANY($12::text[])\n" \
    "                      OR (split_part(sector, ' ', 1) = ANY($12::text[])\n" \
    "                          AND NOT ('!' || sector) = ANY($12::text[])))\n" \
    "                THEN $11::int END,\n" \
    "           CASE WHEN h.area <> 'local' THEN $13::int END), $14::int) AS tier,\n" \
    "         coalesce(h.last_reviewed < rv.cutoff, h.last_reviewed IS NULL) AS overdue\n" \
    "    FROM hits h\n" \
    "    LEFT JOIN (SELECT current_date - b.review_period_days - b.review_grace_days AS cutoff\n" \
    "                 FROM board b WHERE b.id = current_board_id()) rv ON true\n" \
    ")"

/* Where a hit is from the origin: the nearest of its locations, within the
 * radius; a local service outside it (found by a service area) shows the
 * areas it covers instead of a distance. */
#define PLACED_FROM \
    "    CROSS JOIN LATERAL (SELECT " NEAREST_KM ") AS d(distance_km)\n" \
    "    CROSS JOIN LATERAL (SELECT coalesce(d.distance_km <= $5::float8, false)) AS w(within)\n"
#define PLACED_COLUMNS \
    "         CASE WHEN w.within OR s.area <> 'local' THEN d.distance_km END AS distance_km,\n" \
    "         CASE WHEN NOT w.within AND s.area = 'local' THEN s.area_names END AS covers"

/* The page's items leave the database as one JSON array, in the API's
 * shape: PostgreSQL encodes them as it reads them, and linksd places the
 * array in the response unparsed. %s: the order, then the location shown
 * (the nearest with an origin, else the first by name). */
#define ITEMS_SELECT \
    "       coalesce(json_agg(json_build_object(\n" \
    "         'id', s.id, 'name', s.name, 'description', s.description, 'url', s.url,\n" \
    "         'email', s.email, 'phone', s.phone, 'is_free', s.is_free,\n" \
    "         'fees', s.fees_description, 'area', s.area,\n" \
    "         'organization', json_build_object('id', o.id, 'name', o.name),\n" \
    "         'location', CASE WHEN l.id IS NOT NULL THEN json_build_object(\n" \
    "             'id', l.id, 'name', l.name, 'address', l.address_1, 'city', l.city,\n" \
    "             'postcode', l.postcode, 'lat', round(l.lat::numeric, 6),\n" \
    "             'lon', round(l.lon::numeric, 6)) END,\n" \
    "         'distance_km', round(p.distance_km::numeric, 2),\n" \
    "         'covers', p.covers,\n" \
    "         'rank_tier', p.tier,\n" \
    "         'categories', s.category_summary,\n" \
    "         'schedules', service_schedules(s.id, l.id),\n" \
    /* open at the moment asked about (now without open_at); null when its
     * opening times are not known */ \
    "         'open', CASE WHEN EXISTS (SELECT 1 FROM schedule sc WHERE sc.service_id = s.id)\n" \
    "                      THEN service_open_at(s.id, coalesce($15::timestamptz, now())) END,\n" \
    "         'minimum_age', s.minimum_age, 'maximum_age', s.maximum_age,\n" \
    "         'accepts_referrals', s.accepts_referrals,\n" \
    "         'alert', s.alert,\n" \
    "         'last_reviewed', s.last_reviewed, 'review_overdue', p.overdue)\n" \
    "         ORDER BY %s), '[]') AS items\n" \
    "  FROM page p\n" \
    "  JOIN service s ON s.id = p.id\n" \
    "  JOIN organization o ON o.id = s.organization_id\n" \
    "  LEFT JOIN LATERAL (\n" \
    "       SELECT l.* FROM service_at_location sal JOIN location l ON l.id = sal.location_id\n" \
    "        WHERE sal.service_id = p.id ORDER BY %s LIMIT 1) l ON true"

static const char *shown_location(int origin)
{
    return origin ? "distance_km($3::float8, $4::float8, l.lat, l.lon) NULLS LAST, l.id" : "l.name, l.id";
}

static void build_variant(int v)
{
    const int text = v & LINKS_SEARCH_TEXT, category = v & LINKS_SEARCH_CATEGORY,
              origin = v & LINKS_SEARCH_ORIGIN;
    /* $1 is a tsquery the resolve statement made from q: a parameter, not
     * an expression, so it is neither parsed again for every row nor hidden
     * from the planner behind a CTE. Relevance is computed only when it
     * orders the results. */
    const char *relevance = !text ? ", 0::real AS relevance"
                            : origin ? ", CASE WHEN $20::text = 'relevance' THEN ts_rank_cd(s.search_vector, $1::tsquery)"
                                       " ELSE 0::real END AS relevance"
                                     : ", ts_rank_cd(s.search_vector, $1::tsquery) AS relevance";
    const char *text_filter = text ? " AND s.search_vector @@ $1::tsquery" : "";
    const char *category_filter = category ? " AND s.category_lineage @> ARRAY[$2::uuid]" : "";
    char hits[4096];

    if (origin) {
        /* Local services: a location inside the radius (GiST on the
         * bounding box of its locations, then exact distance), or a service
         * area that covers the origin ($19: its council, district, board).
         * Board-wide and national services: wherever they are. */
        snprintf(hits, sizeof hits,
                 "hits AS (\n"
                 "  SELECT " HIT_COLUMNS ", NULL::bigint AS ord,\n" PLACED_COLUMNS "%s\n"
                 "    FROM service s\n" PLACED_FROM
                 "   WHERE " VISIBLE_SERVICES " AND s.area = 'local'\n"
                 "     AND (s.places_box && bounding_box($3::float8, $4::float8, $5::float8)\n"
                 "          OR s.area_codes && $19::text[])\n"
                 "     AND (w.within OR s.area_codes && $19::text[])%s%s\n"
                 NARROWING_FILTERS
                 "  UNION ALL\n"
                 "  SELECT " HIT_COLUMNS ", NULL::bigint AS ord, " NEAREST_KM " AS distance_km, NULL::text AS covers%s\n"
                 "    FROM service s\n"
                 "   WHERE " VISIBLE_SERVICES " AND s.area <> 'local'%s%s\n"
                 NARROWING_FILTERS
                 ")",
                 relevance, text_filter, category_filter, relevance, text_filter, category_filter);
    } else {
        snprintf(hits, sizeof hits,
                 "hits AS (\n"
                 "  SELECT " HIT_COLUMNS ", NULL::bigint AS ord, NULL::float8 AS distance_km, NULL::text AS covers%s\n"
                 "    FROM service s\n"
                 "   WHERE " VISIBLE_SERVICES "%s%s\n"
                 NARROWING_FILTERS
                 ")",
                 relevance, text_filter, category_filter);
    }

    char order[512];
    order_clause(order, sizeof order, "r", text, origin);

    snprintf(variant_sql[v], sizeof variant_sql[v],
             "WITH %s,\n" RANKED ",\n"
             "ordered AS (\n"
             "  SELECT r.id, r.seq, r.name, r.distance_km, r.covers, r.relevance, r.last_reviewed, r.tier,\n"
             "         r.overdue, row_number() OVER (ORDER BY %s) AS ord FROM ranked r\n"
             "),\n"
             /* More than a page: keep the order under the token $21 for
              * the later pages (search_page). */
             "snapshot AS (\n"
             "  INSERT INTO search_snapshot (token, board_id, fingerprint, corrected, seqs)\n"
             "  SELECT $21::text, current_board_id(), $22::text, $23::text, array_agg(o.seq ORDER BY o.ord)\n"
             "    FROM ordered o HAVING $21::text IS NOT NULL AND count(*) > $6::int\n"
             "  RETURNING token\n"
             "),\n"
             "expired AS (\n"
             "  DELETE FROM search_snapshot WHERE token IN (\n"
             "    SELECT e.token FROM search_snapshot e WHERE e.created_at < now() - interval '30 minutes'\n"
             "     ORDER BY e.created_at LIMIT 20)\n"
             "),\n"
             "page AS (\n"
             "  SELECT o.* FROM ordered o WHERE o.ord > $7::int ORDER BY o.ord LIMIT $6::int\n"
             ")\n"
             "SELECT (SELECT count(*) FROM ordered) AS total, (SELECT token FROM snapshot) AS cursor,\n"
             ITEMS_SELECT,
             hits, order, "p.ord", shown_location(origin));
    snprintf(variant_name[v], sizeof variant_name[v], "search_%s%s%s", text ? "q" : "",
             category ? "c" : "", origin ? "o" : "");
    if (v == 0)
        snprintf(variant_name[v], sizeof variant_name[v], "search_all");
}

/* A later page of a kept search: its services in the kept order, shown as
 * they are now (a service closed since is left out). NULL total: no such
 * search (expired, or the token is another search's). */
static char page_sql[2][6144];

static void build_page(int origin)
{
    char hits[2048];
    snprintf(hits, sizeof hits,
             "hits AS (\n"
             "  SELECT " HIT_COLUMNS ",\n%s, 0::real AS relevance, sl.ord\n"
             "    FROM slice sl JOIN service s ON s.seq = sl.seq\n%s"
             "   WHERE " VISIBLE_SERVICES "\n"
             ")",
             origin ? PLACED_COLUMNS : "         NULL::float8 AS distance_km, NULL::text AS covers",
             origin ? PLACED_FROM : "");
    snprintf(page_sql[origin], sizeof page_sql[origin],
             "WITH snap AS (\n"
             "  SELECT k.seqs, k.corrected FROM search_snapshot k\n"
             "   WHERE k.token = $21::text AND k.fingerprint = $22::text\n"
             "     AND k.created_at > now() - interval '30 minutes'\n"
             "),\n"
             "slice AS (\n"
             "  SELECT u.seq, u.ord FROM snap CROSS JOIN LATERAL unnest(snap.seqs) WITH ORDINALITY AS u(seq, ord)\n"
             "   WHERE u.ord > $7::int AND u.ord <= $7::int + $6::int\n"
             "),\n"
             "%s,\n" RANKED ",\n"
             "page AS (SELECT r.* FROM ranked r)\n"
             "SELECT (SELECT cardinality(seqs) FROM snap) AS total, (SELECT corrected FROM snap) AS corrected,\n"
             ITEMS_SELECT,
             hits, "p.ord", shown_location(origin));
}

const char *links_search_page_statement_name(int origin)
{
    return origin ? "search_page_o" : "search_page";
}

const char *links_search_page_sql(int origin)
{
    if (page_sql[origin][0] == '\0')
        build_page(origin);
    return page_sql[origin];
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
    "       websearch_to_tsquery('english', $4::text) AS tsquery,\n"
    "       o.board_code, o.place_name,\n"
    /* a place name not found: the closest one known, for "did you mean" */
    "       CASE WHEN $1::text = 'place' AND o.lat IS NULL THEN\n"
    "            (SELECT pl.name FROM place pl WHERE pl.name_key % place_key($2::text)\n"
    "              ORDER BY pl.name_key <-> place_key($2::text), pl.id LIMIT 1) END AS suggestion\n"
    "  FROM (SELECT 1) AS one\n"
    "  LEFT JOIN category c ON c.slug = $3::text\n"
    "  LEFT JOIN LATERAL (\n"
    "       SELECT p.postcode, p.district, p.sector, p.lat, p.lon, p.council_code,\n"
    "              p.data_zone, p.data_zone_exact, p.board_code, NULL::text AS place_name\n"
    "         FROM postcode p WHERE $1::text = 'postcode' AND p.postcode = $2::text\n"
    "       UNION ALL\n"
    "       SELECT NULL, split_part(a.area, ' ', 1), CASE WHEN a.kind = 'sector' THEN a.area END,\n"
    "              a.lat, a.lon, a.council_code, NULL, false, a.board_code, NULL\n"
    "         FROM postcode_area a WHERE $1::text IN ('district', 'sector') AND a.area = $2::text\n"
    "       UNION ALL\n"
    /* a place of the searching board first, a town before a neighbourhood */
    "       (SELECT NULL, pl.district, NULL, pl.lat, pl.lon, pl.council_code, NULL, false,\n"
    "               pl.board_code, pl.name\n"
    "          FROM place pl WHERE $1::text = 'place' AND pl.name_key = place_key($2::text)\n"
    "         ORDER BY pl.board_code = (SELECT b.code FROM board b WHERE b.id = current_board_id()) DESC,\n"
    "                  pl.kind = 'town' DESC, pl.id LIMIT 1)\n"
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
    "       s.fees_description, s.eligibility_description, s.area, s.last_reviewed,\n"
    "       s.last_reviewed + b.review_period_days AS review_due,\n"
    "       o.id AS organization_id, o.name AS organization_name, o.url AS organization_url,\n"
    "       (SELECT json_agg(json_build_object('id', l.id, 'name', l.name, 'address', l.address_1,\n"
    "                                          'city', l.city, 'postcode', l.postcode,\n"
    "                                          'lat', l.lat, 'lon', l.lon,\n"
    "                                          'accessibility', (SELECT coalesce(json_agg(a.description ORDER BY a.id), '[]')\n"
    "                                                              FROM accessibility a WHERE a.location_id = l.id))\n"
    "                         ORDER BY l.name, l.id)\n"
    "          FROM service_at_location sal JOIN location l ON l.id = sal.location_id\n"
    "         WHERE sal.service_id = s.id) AS locations,\n"
    "       (SELECT json_agg(json_build_object('slug', c.slug, 'name', c.name) ORDER BY c.name)\n"
    "          FROM service_category sc JOIN category c ON c.id = sc.category_id\n"
    "         WHERE sc.service_id = s.id) AS categories,\n"
    "       service_schedules(s.id, NULL) AS schedules,\n"
    "       json_build_object(\n"
    "         'alternate_name', s.alternate_name, 'application_process', s.application_process,\n"
    "         'minimum_age', s.minimum_age, 'maximum_age', s.maximum_age, 'alert', s.alert,\n"
    "         'accepts_referrals', s.accepts_referrals,\n"
    "         'capacity', CASE WHEN s.capacity_updated IS NOT NULL THEN json_build_object(\n"
    "             'available', s.capacity_available, 'maximum', s.capacity_maximum,\n"
    "             'unit', s.capacity_unit, 'updated', s.capacity_updated) END,\n"
    "         'interpretation_services', s.interpretation_services, 'wait_time', s.wait_time,\n"
    "         'phones', (SELECT coalesce(json_agg(json_build_object('number', p.number, 'type', p.type,\n"
    "                                                   'description', p.description) ORDER BY p.position, p.id), '[]')\n"
    "                      FROM phone p WHERE p.service_id = s.id),\n"
    "         'languages', (SELECT coalesce(json_agg(json_build_object('name', g.name, 'code', g.code, 'note', g.note)\n"
    "                                                ORDER BY g.code = 'en' DESC, g.name), '[]')\n"
    "                         FROM language g WHERE g.service_id = s.id),\n"
    "         'service_areas', (SELECT coalesce(json_agg(json_build_object('kind', a.kind, 'code', a.code, 'name', a.name)\n"
    "                                                    ORDER BY a.name), '[]')\n"
    "                             FROM service_area a WHERE a.service_id = s.id),\n"
    "         'closures', (SELECT coalesce(json_agg(json_build_object('starts_on', e.starts_on, 'ends_on', e.ends_on,\n"
    "                                       'closed', e.closed, 'opens_at', to_char(e.opens_at, 'HH24:MI'),\n"
    "                                       'closes_at', to_char(e.closes_at, 'HH24:MI'), 'description', e.description)\n"
    "                                       ORDER BY e.starts_on, e.id), '[]')\n"
    "                        FROM schedule_exception e WHERE e.service_id = s.id AND e.ends_on >= current_date),\n"
    "         'open_now', CASE WHEN EXISTS (SELECT 1 FROM schedule sc WHERE sc.service_id = s.id)\n"
    "                          THEN service_open_at(s.id, now()) END,\n"
    "         'review_overdue', coalesce(s.last_reviewed < current_date - b.review_period_days - b.review_grace_days,\n"
    "                                    s.last_reviewed IS NULL),\n"
    "         'last_modified', s.last_modified) AS more\n"
    "  FROM service s JOIN organization o ON o.id = s.organization_id\n"
    "  LEFT JOIN board b ON b.id = current_board_id()\n"
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
    for (int origin = 0; origin < 2; origin++) {
        struct links_statement st = { links_search_page_statement_name(origin), links_search_page_sql(origin),
                                      LINKS_SEARCH_NPARAMS, search_param_types };
        if (links_db_register(&st) < 0)
            return -1;
    }
    return 0;
}
