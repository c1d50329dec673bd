-- 0003 opening times: Open Referral HSDS 3.0 `schedule` rows, as the
-- standard describes them (an RFC 5545 recurrence: freq, byday, opens_at,
-- closes_at), for a service at all its locations (location_id NULL) or at
-- one. Weekly recurrences only for now; the directory issue adds
-- exceptions and other frequencies.
--
-- Board-owned like the rest of the directory: public to read, changed only
-- by its own board; board_id always equals its service's (composite key).

CREATE TABLE schedule (
    board_id    smallint REFERENCES board (id),
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    service_id  uuid NOT NULL REFERENCES service (id) ON DELETE CASCADE,
    location_id uuid REFERENCES location (id) ON DELETE CASCADE,
    freq        text NOT NULL DEFAULT 'WEEKLY' CHECK (freq = 'WEEKLY'),
    -- RFC 5545 BYDAY, days in week order without repeats: 'MO', 'TU,TH'
    byday       text NOT NULL CHECK (byday ~ '^(MO|TU|WE|TH|FR|SA|SU)(,(MO|TU|WE|TH|FR|SA|SU))*$'),
    opens_at    time NOT NULL,
    closes_at   time NOT NULL CHECK (closes_at > opens_at),
    description text CHECK (description <> ''),
    UNIQUE (board_id, id),
    FOREIGN KEY (board_id, service_id) REFERENCES service (board_id, id) ON DELETE CASCADE
);
CREATE INDEX schedule_service_idx ON schedule (service_id);
CREATE INDEX schedule_location_idx ON schedule (location_id);

ALTER TABLE schedule ENABLE ROW LEVEL SECURITY;
ALTER TABLE schedule FORCE ROW LEVEL SECURITY;
CREATE POLICY directory_is_public ON schedule FOR SELECT USING (true);
CREATE POLICY board_changes_own_rows ON schedule FOR ALL
    USING (board_id = current_board_id())
    WITH CHECK (board_id = current_board_id());
GRANT SELECT ON schedule TO links_app;

-- A service's opening times at one of its locations (or everywhere, with
-- NULL), in the API's shape: the days in week order, then by time.
CREATE FUNCTION service_schedules(service uuid, at_location uuid) RETURNS json
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT coalesce(json_agg(json_build_object(
               'location_id', sc.location_id, 'byday', sc.byday, 'opens_at', to_char(sc.opens_at, 'HH24:MI'),
               'closes_at', to_char(sc.closes_at, 'HH24:MI'), 'description', sc.description)
             ORDER BY array_position(ARRAY['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'],
                                     split_part(sc.byday, ',', 1)), sc.opens_at, sc.id), '[]')
      FROM schedule sc
     WHERE sc.service_id = service
       AND (sc.location_id IS NULL OR at_location IS NULL OR sc.location_id = at_location)
$$;
GRANT EXECUTE ON FUNCTION service_schedules(uuid, uuid) TO links_app;
