-- 0007 what the richer search needs: place names, service areas on the
-- service row, opening times as "open at this moment", and each board's
-- review period (a service not reviewed in time sinks in search).

------------------------------------------------------------------------
-- Places staff type instead of a postcode: towns and neighbourhoods
-- (schema/data/places.csv). name_key is the name as compared: lower case,
-- single spaces, "St." as "st".
CREATE FUNCTION place_key(name text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT regexp_replace(regexp_replace(lower(btrim(name)), '\s+', ' ', 'g'), '\mst\.', 'st', 'g')
$$;
GRANT EXECUTE ON FUNCTION place_key(text) TO links_app;

CREATE TABLE place (
    id           serial PRIMARY KEY,
    name         text NOT NULL CHECK (name <> ''),
    name_key     text GENERATED ALWAYS AS (place_key(name)) STORED,
    kind         text NOT NULL CHECK (kind IN ('neighbourhood', 'town')),
    town         text,
    district     text,
    council_code text REFERENCES council_area (code),
    board_code   text,
    lat          double precision NOT NULL CHECK (lat BETWEEN -90 AND 90),
    lon          double precision NOT NULL CHECK (lon BETWEEN -180 AND 180),
    UNIQUE (name_key, council_code)
);
CREATE INDEX place_trgm_idx ON place USING gist (name_key gist_trgm_ops);
GRANT SELECT ON place TO links_app;

------------------------------------------------------------------------
-- Service areas on the service row (kept by trigger, as its categories and
-- places are): what search matches ("council:S12000049", "district:G12",
-- "board:S08000031", "scotland:S92000003") and what it shows
-- ("Glasgow City").
ALTER TABLE service
    ADD COLUMN area_codes text[] NOT NULL DEFAULT '{}',
    ADD COLUMN area_names text;
CREATE INDEX service_area_codes_idx ON service USING gin (area_codes) WHERE area = 'local';

CREATE FUNCTION service_refresh_areas(targets uuid[]) RETURNS void
LANGUAGE sql AS $$
    UPDATE service s SET area_codes = coalesce(a.codes, '{}'), area_names = a.names
      FROM (SELECT t.id,
                   array_agg(DISTINCT sa.kind || ':' || sa.code) FILTER (WHERE sa.code IS NOT NULL) AS codes,
                   string_agg(sa.name, ', ' ORDER BY sa.name) AS names
              FROM (SELECT DISTINCT unnest(targets) AS id) t
              LEFT JOIN service_area sa ON sa.service_id = t.id
             GROUP BY t.id) a
     WHERE s.id = a.id AND (s.area_codes, s.area_names) IS DISTINCT FROM (coalesce(a.codes, '{}'), a.names)
$$;

CREATE TRIGGER service_area_inserted AFTER INSERT ON service_area
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT
    EXECUTE FUNCTION refresh_changed_services('service_refresh_areas');
CREATE TRIGGER service_area_deleted AFTER DELETE ON service_area
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT
    EXECUTE FUNCTION refresh_changed_services('service_refresh_areas');
CREATE TRIGGER service_area_updated AFTER UPDATE ON service_area
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT
    EXECUTE FUNCTION refresh_changed_services('service_refresh_areas');

SELECT service_refresh_areas(ARRAY(SELECT DISTINCT service_id FROM service_area));

------------------------------------------------------------------------
-- Reviews: each board says how often its services must be confirmed
-- (days) and how long past that a service may go before it sinks in
-- search and is flagged to staff. National services follow the board
-- searching them. A service's review is due at last_reviewed + period,
-- overdue after the grace: computed, not stored, so a board can change
-- its period.
ALTER TABLE board
    ADD COLUMN review_period_days integer NOT NULL DEFAULT 365 CHECK (review_period_days BETWEEN 30 AND 1095),
    ADD COLUMN review_grace_days integer NOT NULL DEFAULT 30 CHECK (review_grace_days BETWEEN 0 AND 365);
ALTER TABLE service DROP COLUMN review_due;
CREATE INDEX service_last_reviewed_idx ON service (board_id, last_reviewed);

------------------------------------------------------------------------
-- Opening times as moments. All times are UK local time (Europe/London,
-- so British Summer Time is followed).

-- Does a schedule's recurrence fall on this day?
-- PL/pgSQL rather than SQL, here and in service_open_at(): a session keeps
-- the plans of PL/pgSQL statements, while a nested SQL function is planned
-- again at every call (0.45 ms per service; now a few microseconds).
CREATE FUNCTION schedule_occurs_on(sc schedule, day date) RETURNS boolean
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
BEGIN
    RETURN (sc.byday IS NOT NULL OR sc.bymonthday IS NOT NULL)
       AND day >= coalesce(sc.valid_from, sc.dtstart, day)
       AND day <= coalesce(sc.valid_to, sc.until, day)
       AND CASE sc.freq
           WHEN 'WEEKLY' THEN
                (ARRAY['SU', 'MO', 'TU', 'WE', 'TH', 'FR', 'SA'])[extract(dow FROM day)::int + 1]
                    = ANY (string_to_array(sc.byday, ','))
                -- every n weeks, counted from its first day when it has one
                AND (sc."interval" = 1 OR coalesce(sc.dtstart, sc.valid_from) IS NULL
                     OR ((day - coalesce(sc.dtstart, sc.valid_from)) / 7) % sc."interval" = 0)
           WHEN 'MONTHLY' THEN
                CASE WHEN sc.bymonthday IS NOT NULL THEN
                     extract(day FROM day)::int = ANY (string_to_array(sc.bymonthday, ',')::int[])
                     OR extract(day FROM day)::int - 1
                        - extract(day FROM (date_trunc('month', day) + interval '1 month - 1 day'))::int
                        = ANY (string_to_array(sc.bymonthday, ',')::int[])
                ELSE EXISTS (
                     -- "1MO": the first Monday; "-1FR": the last Friday
                     SELECT 1 FROM unnest(string_to_array(sc.byday, ',')) AS b(code)
                      WHERE right(b.code, 2) = (ARRAY['SU', 'MO', 'TU', 'WE', 'TH', 'FR', 'SA'])[extract(dow FROM day)::int + 1]
                        AND CASE WHEN length(b.code) = 2 THEN true
                                 WHEN left(b.code, 1) = '-' THEN
                                      (extract(day FROM (date_trunc('month', day) + interval '1 month - 1 day'))::int
                                       - extract(day FROM day)::int) / 7 + 1 = -left(b.code, length(b.code) - 2)::int
                                 ELSE (extract(day FROM day)::int - 1) / 7 + 1 = left(b.code, length(b.code) - 2)::int END)
                END
           ELSE false END;
END $$;

-- Is a service open at this moment, at any of its locations? Opening
-- hours of a day that close after midnight run into the next day (a
-- night shelter open Friday 22:00 to 08:00 is open at 03:00 on Saturday).
-- An exception on a day replaces that day's regular hours: closed, or
-- open the exception's hours (for the service everywhere, or at one
-- location).
CREATE FUNCTION service_open_at(of_service uuid, at timestamptz) RETURNS boolean
LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
BEGIN
    RETURN EXISTS (
    WITH moment AS (SELECT at AT TIME ZONE 'Europe/London' AS local),
    days AS (SELECT (m.local::date - k) AS day FROM moment m, generate_series(0, 1) k),
    opening AS (
        SELECT d.day, e.opens_at, e.closes_at
          FROM days d JOIN schedule_exception e
            ON e.service_id = of_service AND d.day BETWEEN e.starts_on AND e.ends_on
         WHERE NOT e.closed
        UNION ALL
        SELECT d.day, (x.sc).opens_at, (x.sc).closes_at
          FROM days d
          -- its schedules, then those of its services at locations: two
          -- index look-ups (an OR of the two would scan every schedule)
          CROSS JOIN (SELECT sc FROM schedule sc WHERE sc.service_id = of_service
                      UNION ALL
                      SELECT sc FROM service_at_location sal
                        JOIN schedule sc ON sc.service_at_location_id = sal.id
                       WHERE sal.service_id = of_service AND sc.service_id IS DISTINCT FROM of_service) x
         WHERE (x.sc).opens_at IS NOT NULL AND schedule_occurs_on(x.sc, d.day)
           AND NOT EXISTS (SELECT 1 FROM schedule_exception e
                            WHERE e.service_id = of_service AND d.day BETWEEN e.starts_on AND e.ends_on
                              AND (e.location_id IS NULL OR e.location_id = (x.sc).location_id))
    )
    SELECT 1 FROM opening o, moment m
     WHERE m.local >= o.day + o.opens_at
       AND m.local < o.day + o.closes_at
                     + CASE WHEN o.closes_at <= o.opens_at THEN interval '1 day' ELSE interval '0' END);
END $$;

GRANT EXECUTE ON FUNCTION schedule_occurs_on(schedule, date), service_open_at(uuid, timestamptz) TO links_app;

-- A service's opening times in the staff API's shape, now with monthly
-- recurrences ("1TU": the first Tuesday) and times that may be unknown:
-- weekly ones first, in week order, then by time.
CREATE OR REPLACE FUNCTION service_schedules(service uuid, at_location uuid) RETURNS json
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT coalesce(json_agg(json_build_object(
               'location_id', sc.location_id, 'freq', sc.freq, 'byday', sc.byday,
               'bymonthday', sc.bymonthday, 'opens_at', to_char(sc.opens_at, 'HH24:MI'),
               'closes_at', to_char(sc.closes_at, 'HH24:MI'), 'description', sc.description)
             ORDER BY sc.freq DESC,
                      array_position(ARRAY['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'], right(split_part(sc.byday, ',', 1), 2)),
                      sc.opens_at, sc.id), '[]')
      FROM schedule sc
     WHERE sc.service_id = service
       AND (sc.location_id IS NULL OR at_location IS NULL OR sc.location_id = at_location)
$$;

------------------------------------------------------------------------
-- Stable pages. A search with more than one page keeps the order of its
-- results for 30 minutes, under a random token (the `cursor` the answer
-- gives); later pages are read from it, so edits, new services and
-- closures meanwhile never make a result appear twice or not at all.
-- Results are kept as the services' small sequence numbers (4 bytes each:
-- about 2 kB for a search of 500 results). Unlogged: a crash loses only
-- these, and the staff member searches again.
ALTER TABLE service ADD COLUMN seq integer GENERATED ALWAYS AS IDENTITY UNIQUE;

CREATE UNLOGGED TABLE search_snapshot (
    token       text PRIMARY KEY CHECK (token ~ '^[0-9a-f]{32}$'),
    board_id    smallint NOT NULL REFERENCES board (id),
    -- the search it belongs to (a hash of its parameters, not the page)
    fingerprint text NOT NULL,
    corrected   text,
    created_at  timestamptz NOT NULL DEFAULT now(),
    seqs        integer[] NOT NULL
);
CREATE INDEX search_snapshot_created_idx ON search_snapshot (created_at);
ALTER TABLE search_snapshot ENABLE ROW LEVEL SECURITY;
ALTER TABLE search_snapshot FORCE ROW LEVEL SECURITY;
CREATE POLICY board_isolation ON search_snapshot
    USING (board_id = current_board_id()) WITH CHECK (board_id = current_board_id());
GRANT SELECT, INSERT, DELETE ON search_snapshot TO links_app;
