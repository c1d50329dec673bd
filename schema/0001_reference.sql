-- 0001 reference data: boards, council areas, data zones with SIMD 2020v2,
-- postcodes and postcode districts. Public, national, not board-owned.
--
-- Migrations run as the database owner (links_owner); the runtime role
-- links_app only ever gets the privileges granted here.

CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE TABLE board (
    id          smallint PRIMARY KEY,
    code        text NOT NULL UNIQUE CHECK (code ~ '^S08[0-9]{6}$'),
    slug        text NOT NULL UNIQUE CHECK (slug ~ '^[a-z][a-z0-9-]{1,30}$'),
    name        text NOT NULL
);

CREATE TABLE council_area (
    code        text PRIMARY KEY CHECK (code ~ '^S12[0-9]{6}$'),
    name        text NOT NULL
);

-- 2011 data zones with SIMD 2020v2 (1 = most deprived).
CREATE TABLE data_zone (
    code            text PRIMARY KEY CHECK (code ~ '^S01[0-9]{6}$'),
    board_code      text NOT NULL,
    hscp_code       text NOT NULL,
    council_code    text NOT NULL,
    simd_rank       integer NOT NULL CHECK (simd_rank BETWEEN 1 AND 6976),
    simd_decile     smallint NOT NULL CHECK (simd_decile BETWEEN 1 AND 10),
    simd_quintile   smallint NOT NULL CHECK (simd_quintile BETWEEN 1 AND 5)
);

-- Every postcode we can place. `postcode` is normalised: upper case, one
-- space before the inward code ("G12 8QQ").
CREATE TABLE postcode (
    postcode        text PRIMARY KEY CHECK (postcode ~ '^[A-Z]{1,2}[0-9][0-9A-Z]? [0-9][A-Z]{2}$'),
    district        text NOT NULL,
    sector          text NOT NULL,
    lat             double precision NOT NULL CHECK (lat BETWEEN -90 AND 90),
    lon             double precision NOT NULL CHECK (lon BETWEEN -180 AND 180),
    board_code      text,
    council_code    text,
    data_zone       text REFERENCES data_zone (code),
    -- true when the data zone comes from the ONS directory for this very
    -- postcode, false when it was taken from the nearest postcode that has one
    data_zone_exact boolean NOT NULL DEFAULT false
);
CREATE INDEX postcode_district_idx ON postcode (district);

-- Centroids of postcode districts ("G12") and sectors ("G12 8"), so staff can
-- search by district when they do not know a full postcode.
CREATE TABLE postcode_area (
    area            text PRIMARY KEY,
    kind            text NOT NULL CHECK (kind IN ('district', 'sector')),
    lat             double precision NOT NULL,
    lon             double precision NOT NULL,
    board_code      text,
    council_code    text,
    n_postcodes     integer NOT NULL
);

-- Great-circle distance in kilometres (haversine, mean Earth radius).
-- Plain SQL so the planner inlines it.
CREATE FUNCTION distance_km(lat1 double precision, lon1 double precision,
                            lat2 double precision, lon2 double precision)
RETURNS double precision LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT 2 * 6371.0088 * asin(sqrt(
        power(sin(radians(lat2 - lat1) / 2), 2) +
        cos(radians(lat1)) * cos(radians(lat2)) * power(sin(radians(lon2 - lon1) / 2), 2)))
$$;

-- The bounding box (in point(lon, lat) space) that holds every point within
-- radius_km of (lat, lon); used with the GiST index on location.geo.
CREATE FUNCTION bounding_box(lat double precision, lon double precision,
                             radius_km double precision)
RETURNS box LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT box(point(lon - radius_km / (111.195 * greatest(cos(radians(lat)), 0.01)),
                     lat - radius_km / 111.195),
               point(lon + radius_km / (111.195 * greatest(cos(radians(lat)), 0.01)),
                     lat + radius_km / 111.195))
$$;

GRANT SELECT ON board, council_area, data_zone, postcode, postcode_area TO links_app;
GRANT EXECUTE ON FUNCTION distance_km(double precision, double precision, double precision, double precision) TO links_app;
GRANT EXECUTE ON FUNCTION bounding_box(double precision, double precision, double precision) TO links_app;
