-- Demo data, step 1: staging tables for the open-data CSV files.
--
-- `linksctl demo-data` runs, in ONE transaction: this file; then for each
-- line of schema/demo/manifest
--     COPY <staging table> FROM STDIN WITH (FORMAT csv, HEADER true)
-- streaming schema/data/<file>; then 20_reference.sql, 30_services.sql and
-- 40_finish.sql; then COMMIT. Before the SQL files it sets links.demo_services
-- and links.demo_seed with set_config(..., false).
--
-- Every column is text, in the order of the CSV header; 20_reference.sql does
-- the parsing, so a bad value fails with a message that names the column.
-- ON COMMIT DROP: nothing is left behind.

CREATE TEMP TABLE staging_codepoint (
    postcode text, postcode_district text, postcode_sector text,
    easting text, northing text, latitude text, longitude text,
    positional_quality_indicator text, country_code text,
    health_board_code text, council_area_code text, electoral_ward_code text
) ON COMMIT DROP;

CREATE TEMP TABLE staging_postcode_dz (
    postcode text, datazone2011 text, council_area_code text, health_board_code text,
    hscp_code text, easting text, northing text, latitude text, longitude text,
    simd2020v2_rank text, simd2020v2_country_decile_popweighted text,
    simd2020v2_country_quintile_popweighted text, simd2020v2_hb_decile text,
    in_codepoint_2020_08 text
) ON COMMIT DROP;

CREATE TEMP TABLE staging_district_centroid (
    postcode_district text, n_postcodes text, easting text, northing text,
    latitude text, longitude text, main_health_board_code text, main_council_area_code text
) ON COMMIT DROP;

CREATE TEMP TABLE staging_sector_centroid (
    postcode_sector text, n_postcodes text, easting text, northing text,
    latitude text, longitude text, main_health_board_code text, main_council_area_code text
) ON COMMIT DROP;

CREATE TEMP TABLE staging_simd (
    datazone text, intzone text, hb text, hscp text, ca text,
    simd2020v2rank text, simd2020v2countrydecile text, simd2020v2countryquintile text,
    simd2020v2hbdecile text, simd2020v2hbquintile text,
    simd2020v2hscpdecile text, simd2020v2hscpquintile text,
    simd2020v2cadecile text, simd2020v2caquintile text,
    simd2020v2most15pc text, simd2020v2least15pc text
) ON COMMIT DROP;

CREATE TEMP TABLE staging_health_board (
    hb text, hbname text, hbdateenacted text, hbdatearchived text, country text
) ON COMMIT DROP;

CREATE TEMP TABLE staging_gp_practice (
    ods_code text, practice_code text, practice_name text,
    address1 text, address2 text, address3 text, town text, postcode text,
    telephone text, open_date text, health_board_code text, council_area_code text,
    easting text, northing text, latitude text, longitude text
) ON COMMIT DROP;

CREATE TEMP TABLE staging_category (
    id text, name text, slug text, parent_id text
) ON COMMIT DROP;

CREATE TEMP TABLE staging_place (
    name text, town text, postcode_district text, council_area_code text, latitude text, longitude text
) ON COMMIT DROP;
