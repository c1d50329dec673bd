-- Demo data, step 2: reference data from the open-data files in the staging
-- tables (10_staging.sql): boards, council areas, data zones with SIMD
-- 2020v2, postcodes, postcode districts/sectors, GP practices, categories.
--
-- Runs inside the loader's transaction as links_owner. Idempotent: every
-- table is upserted on its natural key, so running demo-data again leaves
-- the same rows (and keeps the ids that other rows may point at).
-- Deterministic for a given links.demo_seed (the practices' synthetic list
-- sizes and links workers are the only random part here).

SET LOCAL max_parallel_workers_per_gather = 0;
SET LOCAL jit = off;
SET LOCAL client_min_messages = warning;

-- links.demo_seed -> setseed() argument in [-1, 1).
CREATE TEMP TABLE demo_setting ON COMMIT DROP AS
SELECT coalesce(nullif(current_setting('links.demo_seed', true), ''), '42')::integer AS seed,
       coalesce(nullif(current_setting('links.demo_services', true), ''), '400')::integer AS services;

SELECT setseed(hashint4(seed)::float8 / 2147483648.0) FROM demo_setting;

-- Code changes: NHS Fife, Tayside, Greater Glasgow & Clyde and Lanarkshire
-- and four councils got new codes in 2018/2019 boundary changes. The files
-- shipped here already use the new codes; older extracts may not.
CREATE TEMP TABLE demo_code_map (old_code text PRIMARY KEY, new_code text NOT NULL) ON COMMIT DROP;
INSERT INTO demo_code_map
SELECT o.hb, n.hb
  FROM staging_health_board o
  JOIN staging_health_board n ON n.hbname = o.hbname AND coalesce(n.hbdatearchived, '') = ''
 WHERE coalesce(o.hbdatearchived, '') <> '';
INSERT INTO demo_code_map VALUES
    ('S12000015', 'S12000047'),  -- Fife
    ('S12000024', 'S12000048'),  -- Perth and Kinross
    ('S12000046', 'S12000049'),  -- Glasgow City
    ('S12000044', 'S12000050');  -- North Lanarkshire

CREATE OR REPLACE FUNCTION pg_temp.demo_code(c text) RETURNS text LANGUAGE sql STABLE AS $$
    SELECT coalesce((SELECT new_code FROM demo_code_map WHERE old_code = c), nullif(c, ''))
$$;
-- the same as a join, for the big tables
CREATE TEMP TABLE demo_code_set ON COMMIT DROP AS
SELECT DISTINCT code, pg_temp.demo_code(code) AS new_code
  FROM (SELECT health_board_code FROM staging_codepoint
        UNION SELECT council_area_code FROM staging_codepoint) c (code);

-- "g12  8qq" -> "G12 8QQ"
CREATE OR REPLACE FUNCTION pg_temp.demo_postcode(p text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT left(x, length(x) - 3) || ' ' || right(x, 3)
      FROM (SELECT regexp_replace(upper(p), '\s', '', 'g') AS x) s
$$;

------------------------------------------------------------------------
-- Boards: our two, named as in hb14_hb19.csv.
INSERT INTO board (id, code, slug, name)
SELECT v.id, v.code, v.slug, coalesce(h.hbname, v.name)
  FROM (VALUES (1::smallint, 'S08000031', 'ggc', 'NHS Greater Glasgow and Clyde'),
               (2::smallint, 'S08000029', 'fife', 'NHS Fife')) v (id, code, slug, name)
  LEFT JOIN staging_health_board h ON h.hb = v.code
ON CONFLICT (id) DO UPDATE SET code = EXCLUDED.code, slug = EXCLUDED.slug, name = EXCLUDED.name
WHERE (board.code, board.slug, board.name) IS DISTINCT FROM (EXCLUDED.code, EXCLUDED.slug, EXCLUDED.name);

------------------------------------------------------------------------
-- Council areas: all 32 (data zones cover the whole of Scotland; G and KY
-- postcodes reach into 15 of them). Current (2019) codes.
INSERT INTO council_area (code, name) VALUES
    ('S12000005', 'Clackmannanshire'),
    ('S12000006', 'Dumfries and Galloway'),
    ('S12000008', 'East Ayrshire'),
    ('S12000010', 'East Lothian'),
    ('S12000011', 'East Renfrewshire'),
    ('S12000013', 'Na h-Eileanan Siar'),
    ('S12000014', 'Falkirk'),
    ('S12000017', 'Highland'),
    ('S12000018', 'Inverclyde'),
    ('S12000019', 'Midlothian'),
    ('S12000020', 'Moray'),
    ('S12000021', 'North Ayrshire'),
    ('S12000023', 'Orkney Islands'),
    ('S12000026', 'Scottish Borders'),
    ('S12000027', 'Shetland Islands'),
    ('S12000028', 'South Ayrshire'),
    ('S12000029', 'South Lanarkshire'),
    ('S12000030', 'Stirling'),
    ('S12000033', 'Aberdeen City'),
    ('S12000034', 'Aberdeenshire'),
    ('S12000035', 'Argyll and Bute'),
    ('S12000036', 'City of Edinburgh'),
    ('S12000038', 'Renfrewshire'),
    ('S12000039', 'West Dunbartonshire'),
    ('S12000040', 'West Lothian'),
    ('S12000041', 'Angus'),
    ('S12000042', 'Dundee City'),
    ('S12000045', 'East Dunbartonshire'),
    ('S12000047', 'Fife'),
    ('S12000048', 'Perth and Kinross'),
    ('S12000049', 'Glasgow City'),
    ('S12000050', 'North Lanarkshire')
ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name
WHERE council_area.name IS DISTINCT FROM EXCLUDED.name;

------------------------------------------------------------------------
-- Data zones (2011) with SIMD 2020v2: country deciles/quintiles.
INSERT INTO data_zone (code, board_code, hscp_code, council_code, simd_rank, simd_decile, simd_quintile)
SELECT datazone, pg_temp.demo_code(hb), hscp, pg_temp.demo_code(ca),
       simd2020v2rank::integer, simd2020v2countrydecile::smallint, simd2020v2countryquintile::smallint
  FROM staging_simd
ON CONFLICT (code) DO UPDATE SET
    board_code = EXCLUDED.board_code, hscp_code = EXCLUDED.hscp_code,
    council_code = EXCLUDED.council_code, simd_rank = EXCLUDED.simd_rank,
    simd_decile = EXCLUDED.simd_decile, simd_quintile = EXCLUDED.simd_quintile
WHERE (data_zone.board_code, data_zone.hscp_code, data_zone.council_code, data_zone.simd_rank,
       data_zone.simd_decile, data_zone.simd_quintile)
      IS DISTINCT FROM
      (EXCLUDED.board_code, EXCLUDED.hscp_code, EXCLUDED.council_code, EXCLUDED.simd_rank,
       EXCLUDED.simd_decile, EXCLUDED.simd_quintile);

------------------------------------------------------------------------
-- Postcodes. The data zone is exact where the ONS directory sample has the
-- postcode; otherwise it is the data zone of the nearest sample postcode
-- (preferring one in the same council area among the 8 nearest).
-- Distances in point(lon * cos 56°, lat) space, near enough to isotropic
-- for central Scotland.
CREATE TEMP TABLE demo_pc ON COMMIT DROP AS
SELECT pg_temp.demo_postcode(postcode) AS postcode,
       upper(trim(postcode_district)) AS district,
       upper(regexp_replace(trim(postcode_sector), '\s+', ' ', 'g')) AS sector,
       latitude::float8 AS lat, longitude::float8 AS lon,
       hb.new_code AS board_code, ca.new_code AS council_code
  FROM staging_codepoint s
  LEFT JOIN demo_code_set hb ON hb.code = s.health_board_code
  LEFT JOIN demo_code_set ca ON ca.code = s.council_area_code;

CREATE TEMP TABLE demo_dz_sample ON COMMIT DROP AS
SELECT pg_temp.demo_postcode(s.postcode) AS postcode, s.datazone2011 AS data_zone,
       pg_temp.demo_code(s.council_area_code) AS council_code,
       CASE WHEN coalesce(s.latitude, '') <> '' AND coalesce(s.longitude, '') <> ''
            THEN point(s.longitude::float8 * 0.559193, s.latitude::float8) END AS geo
  FROM staging_postcode_dz s
  JOIN data_zone dz ON dz.code = s.datazone2011;
CREATE INDEX ON demo_dz_sample USING gist (geo);
CREATE INDEX ON demo_dz_sample (postcode);
ANALYZE demo_dz_sample;

INSERT INTO postcode (postcode, district, sector, lat, lon, board_code, council_code, data_zone, data_zone_exact)
SELECT c.postcode, c.district, c.sector, c.lat, c.lon, c.board_code, c.council_code,
       coalesce(e.data_zone, n.data_zone), e.data_zone IS NOT NULL
  FROM demo_pc c
  LEFT JOIN demo_dz_sample e ON e.postcode = c.postcode
  LEFT JOIN LATERAL (
        SELECT k.data_zone
          FROM (SELECT s.data_zone, s.council_code, s.geo <-> point(c.lon * 0.559193, c.lat) AS d
                  FROM demo_dz_sample s
                 WHERE s.geo IS NOT NULL
                 ORDER BY s.geo <-> point(c.lon * 0.559193, c.lat)
                 LIMIT 8) k
         ORDER BY k.council_code IS DISTINCT FROM c.council_code, k.d
         LIMIT 1) n ON e.data_zone IS NULL
ON CONFLICT (postcode) DO UPDATE SET
    district = EXCLUDED.district, sector = EXCLUDED.sector, lat = EXCLUDED.lat, lon = EXCLUDED.lon,
    board_code = EXCLUDED.board_code, council_code = EXCLUDED.council_code,
    data_zone = EXCLUDED.data_zone, data_zone_exact = EXCLUDED.data_zone_exact
WHERE (postcode.district, postcode.sector, postcode.lat, postcode.lon, postcode.board_code,
       postcode.council_code, postcode.data_zone, postcode.data_zone_exact)
      IS DISTINCT FROM
      (EXCLUDED.district, EXCLUDED.sector, EXCLUDED.lat, EXCLUDED.lon, EXCLUDED.board_code,
       EXCLUDED.council_code, EXCLUDED.data_zone, EXCLUDED.data_zone_exact);

------------------------------------------------------------------------
-- Postcode districts and sectors: G and KY ones, and any other whose main
-- board is one of ours (e.g. PA districts of Greater Glasgow and Clyde).
INSERT INTO postcode_area (area, kind, lat, lon, board_code, council_code, n_postcodes)
SELECT area, kind, lat, lon, board_code, council_code, n_postcodes
  FROM (SELECT upper(trim(postcode_district)) AS area, 'district' AS kind,
               latitude::float8 AS lat, longitude::float8 AS lon,
               pg_temp.demo_code(main_health_board_code) AS board_code,
               pg_temp.demo_code(main_council_area_code) AS council_code,
               n_postcodes::integer AS n_postcodes
          FROM staging_district_centroid
        UNION ALL
        SELECT upper(regexp_replace(trim(postcode_sector), '\s+', ' ', 'g')), 'sector',
               latitude::float8, longitude::float8,
               pg_temp.demo_code(main_health_board_code), pg_temp.demo_code(main_council_area_code),
               n_postcodes::integer
          FROM staging_sector_centroid) a
 WHERE area ~ '^(G|KY)[0-9]' OR board_code IN (SELECT code FROM board)
ON CONFLICT (area) DO UPDATE SET
    kind = EXCLUDED.kind, lat = EXCLUDED.lat, lon = EXCLUDED.lon, board_code = EXCLUDED.board_code,
    council_code = EXCLUDED.council_code, n_postcodes = EXCLUDED.n_postcodes
WHERE (postcode_area.kind, postcode_area.lat, postcode_area.lon, postcode_area.board_code,
       postcode_area.council_code, postcode_area.n_postcodes)
      IS DISTINCT FROM
      (EXCLUDED.kind, EXCLUDED.lat, EXCLUDED.lon, EXCLUDED.board_code,
       EXCLUDED.council_code, EXCLUDED.n_postcodes);

------------------------------------------------------------------------
-- GP practices. The open file has no list sizes: they are drawn from a
-- log-normal distribution (median about 5,500, roughly 1,500-15,000;
-- single-handed "Dr X" practices smaller) and flagged synthetic. About 40%
-- of Greater Glasgow and Clyde practices in SIMD deciles 1-2 have a
-- Community Links Worker, about 25% of the others. Phone numbers cut short
-- in the source file (fewer than 11 digits) are left out.
CREATE OR REPLACE FUNCTION pg_temp.demo_title(t text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT nullif(regexp_replace(regexp_replace(regexp_replace(initcap(trim(t)),
                  '\s*,\s*', ', ', 'g'), '\s+', ' ', 'g'), '''S\M', '''s', 'g'), '')
$$;

CREATE TEMP TABLE demo_gp ON COMMIT DROP AS
SELECT row_number() OVER (ORDER BY g.practice_code) AS n, g.*,
       dz.simd_decile
  FROM staging_gp_practice g
  LEFT JOIN postcode p ON p.postcode = pg_temp.demo_postcode(g.postcode)
  LEFT JOIN data_zone dz ON dz.code = p.data_zone;

-- random numbers drawn in a fixed order (generate_series), so the result
-- does not depend on the plan of the statements that use them
CREATE TEMP TABLE demo_gp_rnd ON COMMIT DROP AS
SELECT n, 1.0 - random() AS u1, random() AS u2, random() AS u3
  FROM generate_series(1, (SELECT count(*) FROM demo_gp)) n;

INSERT INTO practice (board_id, id, code, name, address, postcode, phone, list_size,
                      list_size_synthetic, has_links_worker, lat, lon)
SELECT b.id,
       md5('links-demo:practice:' || g.practice_code)::uuid,
       g.practice_code,
       pg_temp.demo_title(g.practice_name),
       concat_ws(', ', pg_temp.demo_title(g.address1), pg_temp.demo_title(g.address2),
                 pg_temp.demo_title(g.address3), pg_temp.demo_title(g.town)),
       pg_temp.demo_postcode(g.postcode),
       CASE WHEN regexp_replace(g.telephone, '\D', '', 'g') ~ '^01[0-9]1[0-9]{7}$'
            THEN regexp_replace(regexp_replace(g.telephone, '\D', '', 'g'),
                                '^(0[0-9]{3})([0-9]{3})([0-9]{4})$', '\1 \2 \3')
            WHEN regexp_replace(g.telephone, '\D', '', 'g') ~ '^0[0-9]{10}$'
            THEN regexp_replace(regexp_replace(g.telephone, '\D', '', 'g'),
                                '^(0[0-9]{4})([0-9]{6})$', '\1 \2') END,
       -- Box-Muller normal deviate -> log-normal list size
       round(exp(CASE WHEN g.practice_name ~ '^DR ' THEN ln(3200) ELSE ln(5900) END
                 + 0.38 * greatest(-2.5, least(2.5, sqrt(-2 * ln(r.u1)) * cos(2 * pi() * r.u2)))))::integer,
       true,
       r.u3 < CASE WHEN b.id = 1 AND g.simd_decile <= 2 THEN 0.40 ELSE 0.25 END,
       nullif(g.latitude, '')::float8, nullif(g.longitude, '')::float8
  FROM demo_gp g
  JOIN demo_gp_rnd r USING (n)
  JOIN board b ON b.code = pg_temp.demo_code(g.health_board_code)
ON CONFLICT (code) DO UPDATE SET
    board_id = EXCLUDED.board_id, name = EXCLUDED.name, address = EXCLUDED.address,
    postcode = EXCLUDED.postcode, phone = EXCLUDED.phone, list_size = EXCLUDED.list_size,
    list_size_synthetic = EXCLUDED.list_size_synthetic, has_links_worker = EXCLUDED.has_links_worker,
    lat = EXCLUDED.lat, lon = EXCLUDED.lon
WHERE (practice.board_id, practice.name, practice.address, practice.postcode, practice.phone,
       practice.list_size, practice.list_size_synthetic, practice.has_links_worker,
       practice.lat, practice.lon)
      IS DISTINCT FROM
      (EXCLUDED.board_id, EXCLUDED.name, EXCLUDED.address, EXCLUDED.postcode, EXCLUDED.phone,
       EXCLUDED.list_size, EXCLUDED.list_size_synthetic, EXCLUDED.has_links_worker,
       EXCLUDED.lat, EXCLUDED.lon);

------------------------------------------------------------------------
-- Categories: the ALISS tree. ALISS integer ids become stable UUIDs
-- (md5 of "links-demo:aliss-category:<id>"), so reloading keeps them.
-- Parents first, so the lineage trigger always finds its parent.
CREATE TEMP TABLE demo_category ON COMMIT DROP AS
WITH RECURSIVE t AS (
    SELECT id::integer AS aliss_id, nullif(parent_id, '')::integer AS aliss_parent,
           trim(name) AS name, trim(slug) AS slug
      FROM staging_category
), d AS (
    SELECT t.*, 0 AS depth FROM t WHERE aliss_parent IS NULL
    UNION ALL
    SELECT t.*, d.depth + 1 FROM t JOIN d ON t.aliss_parent = d.aliss_id
)
SELECT md5('links-demo:aliss-category:' || aliss_id)::uuid AS id,
       CASE WHEN aliss_parent IS NOT NULL
            THEN md5('links-demo:aliss-category:' || aliss_parent)::uuid END AS parent_id,
       slug, name, depth
  FROM d;

DO $$
DECLARE
    lvl integer;
BEGIN
    IF (SELECT count(*) FROM demo_category) <> (SELECT count(*) FROM staging_category) THEN
        RAISE EXCEPTION 'categories.csv: some categories are not reachable from a root';
    END IF;
    FOR lvl IN SELECT DISTINCT depth FROM demo_category ORDER BY depth LOOP
        INSERT INTO category (id, parent_id, slug, name)
        SELECT id, parent_id, slug, name FROM demo_category WHERE depth = lvl ORDER BY slug
        ON CONFLICT (id) DO UPDATE SET parent_id = EXCLUDED.parent_id, slug = EXCLUDED.slug,
                                       name = EXCLUDED.name
        WHERE (category.parent_id, category.slug, category.name)
              IS DISTINCT FROM (EXCLUDED.parent_id, EXCLUDED.slug, EXCLUDED.name);
    END LOOP;
END $$;

------------------------------------------------------------------------
-- Places staff may type instead of a postcode: the towns and
-- neighbourhoods of places.csv.
CREATE TEMP TABLE demo_place_ref ON COMMIT DROP AS
SELECT p.name, CASE WHEN p.name = p.town THEN 'town' ELSE 'neighbourhood' END AS kind, p.town,
       p.postcode_district AS district, p.council_area_code AS council_code,
       CASE WHEN p.postcode_district LIKE 'KY%' THEN 'S08000029' ELSE 'S08000031' END AS board_code,
       p.latitude::float8 AS lat, p.longitude::float8 AS lon
  FROM staging_place p;

DELETE FROM place p
 WHERE NOT EXISTS (SELECT 1 FROM demo_place_ref d WHERE place_key(d.name) = p.name_key
                                                    AND d.council_code IS NOT DISTINCT FROM p.council_code);

INSERT INTO place (name, kind, town, district, council_code, board_code, lat, lon)
SELECT name, kind, town, district, council_code, board_code, lat, lon FROM demo_place_ref
ON CONFLICT (name_key, council_code) DO UPDATE SET
    name = EXCLUDED.name, kind = EXCLUDED.kind, town = EXCLUDED.town, district = EXCLUDED.district,
    board_code = EXCLUDED.board_code, lat = EXCLUDED.lat, lon = EXCLUDED.lon
WHERE (place.name, place.kind, place.town, place.district, place.board_code, place.lat, place.lon)
      IS DISTINCT FROM
      (EXCLUDED.name, EXCLUDED.kind, EXCLUDED.town, EXCLUDED.district, EXCLUDED.board_code, EXCLUDED.lat, EXCLUDED.lon);
