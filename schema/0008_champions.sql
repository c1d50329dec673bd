-- 0008 champions keep the directory current: each service has a champion
-- (the member of staff who looks after its entry), every change to it is
-- kept field by field (who, when, old value, new value), and edits are
-- made through service_edit(), which refuses an edit based on an older
-- version (optimistic concurrency: the API's ETag / If-Match).

ALTER TABLE service ADD COLUMN champion_id uuid;
-- A champion is staff of the service's own board (staff are keyed by
-- board_key, the board or 0 for system administrators).
ALTER TABLE service ADD FOREIGN KEY (board_id, champion_id) REFERENCES staff (board_key, id);
CREATE INDEX service_champion_idx ON service (board_id, champion_id);

------------------------------------------------------------------------
-- The history. Staff-only (never in the public API), kept for each board
-- apart, append-only.
CREATE TABLE service_change (
    board_id    smallint NOT NULL REFERENCES board (id),
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    service_id  uuid NOT NULL REFERENCES service (id),
    -- the version of the service this change made
    version     integer NOT NULL,
    at          timestamptz NOT NULL DEFAULT clock_timestamp(),
    actor_id    uuid,
    actor_name  text NOT NULL,          -- the username, or "linksctl import"
    action      text NOT NULL CHECK (action IN ('created', 'edited', 'reviewed', 'imported')),
    field       text NOT NULL,
    old_value   jsonb,
    new_value   jsonb,
    request_id  text
);
CREATE INDEX service_change_service_idx ON service_change (service_id, id);
CREATE INDEX service_change_board_at_idx ON service_change (board_id, at DESC);

CREATE FUNCTION service_change_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the change history is append-only' USING ERRCODE = '42501';
END $$;
CREATE TRIGGER service_change_append_only BEFORE UPDATE OR DELETE ON service_change
    FOR EACH ROW EXECUTE FUNCTION service_change_is_append_only();

ALTER TABLE service_change ENABLE ROW LEVEL SECURITY;
ALTER TABLE service_change FORCE ROW LEVEL SECURITY;
CREATE POLICY board_isolation ON service_change
    USING (board_id = current_board_id()) WITH CHECK (board_id = current_board_id());
GRANT SELECT, INSERT ON service_change TO links_app;

------------------------------------------------------------------------
-- What champions may change, and how each list is compared and kept.
-- Scalar fields are columns of service; lists are replaced whole.
CREATE FUNCTION service_editable_fields() RETURNS text[]
LANGUAGE sql IMMUTABLE AS $$
    SELECT ARRAY['name', 'alternate_name', 'description', 'url', 'email', 'status', 'fees_description',
                 'is_free', 'eligibility_description', 'minimum_age', 'maximum_age', 'application_process',
                 'accepts_referrals', 'capacity_available', 'capacity_maximum', 'capacity_unit', 'alert',
                 'interpretation_services', 'wait_time', 'champion_id']
$$;

-- A service's lists as champions edit them, in a stable order.
CREATE FUNCTION service_lists(target uuid) RETURNS jsonb
LANGUAGE sql STABLE AS $$
    SELECT jsonb_build_object(
        'phones', (SELECT coalesce(jsonb_agg(jsonb_strip_nulls(jsonb_build_object('number', p.number, 'type', p.type,
                                                                                 'description', p.description))
                                             ORDER BY p.position, p.id), '[]')
                     FROM phone p WHERE p.service_id = target),
        'categories', (SELECT coalesce(jsonb_agg(c.slug ORDER BY c.slug), '[]')
                         FROM service_category sc JOIN category c ON c.id = sc.category_id WHERE sc.service_id = target),
        'schedules', (SELECT coalesce(jsonb_agg(jsonb_strip_nulls(jsonb_build_object(
                                      'freq', sc.freq, 'byday', sc.byday, 'bymonthday', sc.bymonthday,
                                      'opens_at', to_char(sc.opens_at, 'HH24:MI'), 'closes_at', to_char(sc.closes_at, 'HH24:MI'),
                                      'description', sc.description))
                                      ORDER BY sc.freq DESC, sc.byday, sc.opens_at, sc.id), '[]')
                        FROM schedule sc WHERE sc.service_id = target AND sc.location_id IS NULL
                         AND sc.service_at_location_id IS NULL),
        'service_areas', (SELECT coalesce(jsonb_agg(jsonb_build_object('kind', a.kind, 'code', a.code, 'name', a.name)
                                                    ORDER BY a.kind, a.code), '[]')
                            FROM service_area a WHERE a.service_id = target),
        'languages', (SELECT coalesce(jsonb_agg(g.code ORDER BY g.code), '[]')
                        FROM language g WHERE g.service_id = target AND g.code IS NOT NULL))
$$;

-- Replace one list of a service by the edit's.
CREATE FUNCTION service_replace_list(s service, list text, items jsonb) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    CASE list
    WHEN 'phones' THEN
        DELETE FROM phone WHERE service_id = s.id;
        INSERT INTO phone (board_id, service_id, number, type, description, position)
        SELECT s.board_id, s.id, e ->> 'number', e ->> 'type', e ->> 'description', (o - 1)::smallint
          FROM jsonb_array_elements(items) WITH ORDINALITY AS t(e, o);
    WHEN 'categories' THEN
        DELETE FROM service_category WHERE service_id = s.id;
        INSERT INTO service_category (board_id, service_id, category_id)
        SELECT s.board_id, s.id, c.id FROM jsonb_array_elements_text(items) AS t(slug) JOIN category c ON c.slug = t.slug;
    WHEN 'schedules' THEN
        DELETE FROM schedule WHERE service_id = s.id AND location_id IS NULL AND service_at_location_id IS NULL;
        INSERT INTO schedule (board_id, service_id, freq, byday, bymonthday, opens_at, closes_at, description)
        SELECT s.board_id, s.id, coalesce(e ->> 'freq', 'WEEKLY'), e ->> 'byday', e ->> 'bymonthday',
               (e ->> 'opens_at')::time, (e ->> 'closes_at')::time, e ->> 'description'
          FROM jsonb_array_elements(items) AS t(e);
    WHEN 'service_areas' THEN
        DELETE FROM service_area WHERE service_id = s.id;
        INSERT INTO service_area (board_id, service_id, kind, code, name, uri)
        SELECT s.board_id, s.id, e ->> 'kind', e ->> 'code', e ->> 'name',
               CASE WHEN e ->> 'kind' IN ('council', 'board', 'scotland')
                    THEN 'https://statistics.gov.scot/id/statistical-geography/' || (e ->> 'code') END
          FROM jsonb_array_elements(items) AS t(e);
    WHEN 'languages' THEN
        DELETE FROM language WHERE service_id = s.id;
        INSERT INTO language (board_id, service_id, code, name)
        SELECT s.board_id, s.id, t.code, NULL FROM jsonb_array_elements_text(items) AS t(code);
    END CASE;
END $$;

-- Service areas as an edit gives them ({kind, code}) get their names here.
CREATE FUNCTION service_area_named(items jsonb) RETURNS jsonb
LANGUAGE sql STABLE AS $$
    SELECT coalesce(jsonb_agg(jsonb_build_object('kind', e ->> 'kind', 'code', e ->> 'code',
               'name', coalesce(e ->> 'name',
                                CASE e ->> 'kind' WHEN 'council' THEN (SELECT name FROM council_area WHERE code = e ->> 'code')
                                                  WHEN 'board' THEN (SELECT name FROM board WHERE code = e ->> 'code')
                                                  WHEN 'scotland' THEN 'Scotland'
                                                  WHEN 'district' THEN 'Postcode district ' || (e ->> 'code') END))
             ORDER BY e ->> 'kind', e ->> 'code'), '[]')
      FROM jsonb_array_elements(items) AS t(e)
$$;

-- Apply an edit: `changes` holds the fields and lists to change (linksd
-- has checked every value). Returns {status: "ok", version, changed} or
-- {status: "conflict", version, changes: [what changed since]} when the
-- service is not at `expected` (NULL: any version), or {status:
-- "not_found"}. Each changed field is one service_change row; the version
-- rises by one for the whole edit; an edit that changes nothing changes
-- nothing.
CREATE FUNCTION service_edit(target uuid, expected integer, changes jsonb, action text,
                             actor uuid, actor_name text, request_id text) RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
    old_row service;
    new_row service;
    old_json jsonb;
    old_lists jsonb;
    wanted jsonb := changes;
    field text;
    changed text[] := '{}';
    new_version integer;
BEGIN
    SELECT * INTO old_row FROM service s WHERE s.id = target AND s.board_id = current_board_id() FOR UPDATE;
    IF NOT FOUND THEN
        RETURN jsonb_build_object('status', 'not_found');
    END IF;
    IF expected IS NOT NULL AND old_row.version <> expected THEN
        RETURN jsonb_build_object('status', 'conflict', 'version', old_row.version, 'changes',
            (SELECT coalesce(jsonb_agg(jsonb_build_object('version', c.version, 'at', c.at, 'by', c.actor_name,
                                                          'action', c.action, 'field', c.field,
                                                          'from', c.old_value, 'to', c.new_value) ORDER BY c.id), '[]')
               FROM service_change c WHERE c.service_id = target AND c.version > expected));
    END IF;
    IF wanted ? 'service_areas' THEN
        wanted := jsonb_set(wanted, '{service_areas}', service_area_named(wanted -> 'service_areas'));
    END IF;
    -- A creation is recorded against nothing, at the first version.
    new_version := CASE WHEN action = 'created' THEN old_row.version ELSE old_row.version + 1 END;
    old_json := CASE WHEN action = 'created' THEN '{}'::jsonb ELSE to_jsonb(old_row) END;

    -- Scalar fields: the old row with the edit's members laid over it.
    new_row := jsonb_populate_record(old_row, wanted - ARRAY['phones', 'categories', 'schedules',
                                                            'service_areas', 'languages', 'review']);
    FOREACH field IN ARRAY service_editable_fields() LOOP
        IF wanted ? field AND (old_json -> field) IS DISTINCT FROM (to_jsonb(new_row) -> field)
           AND NOT (action = 'created' AND to_jsonb(new_row) -> field = 'null') THEN
            changed := changed || field;
            INSERT INTO service_change (board_id, service_id, version, actor_id, actor_name, action, field,
                                        old_value, new_value, request_id)
            VALUES (old_row.board_id, target, new_version, actor, actor_name, action, field,
                    old_json -> field, to_jsonb(new_row) -> field, request_id);
        END IF;
    END LOOP;

    -- Lists: replaced whole, recorded whole.
    old_lists := CASE WHEN action = 'created' THEN '{}'::jsonb ELSE service_lists(target) END;
    FOREACH field IN ARRAY ARRAY['phones', 'categories', 'schedules', 'service_areas', 'languages'] LOOP
        IF wanted ? field AND (old_lists -> field) IS DISTINCT FROM (wanted -> field) THEN
            PERFORM service_replace_list(old_row, field, wanted -> field);
            IF (old_lists -> field) IS DISTINCT FROM (service_lists(target) -> field)
               AND NOT (action = 'created' AND service_lists(target) -> field = '[]') THEN
                changed := changed || field;
                INSERT INTO service_change (board_id, service_id, version, actor_id, actor_name, action, field,
                                            old_value, new_value, request_id)
                VALUES (old_row.board_id, target, new_version, actor, actor_name, action, field,
                        old_lists -> field, service_lists(target) -> field, request_id);
            END IF;
        END IF;
    END LOOP;

    -- "Still correct": the review date moves to today.
    IF (wanted -> 'review') = 'true' AND old_row.last_reviewed IS DISTINCT FROM current_date THEN
        changed := changed || 'last_reviewed'::text;
        INSERT INTO service_change (board_id, service_id, version, actor_id, actor_name, action, field,
                                    old_value, new_value, request_id)
        VALUES (old_row.board_id, target, new_version, actor, actor_name,
                CASE WHEN action = 'edited' THEN 'reviewed' ELSE action END, 'last_reviewed',
                to_jsonb(old_row.last_reviewed), to_jsonb(current_date), request_id);
    END IF;

    IF cardinality(changed) = 0 THEN
        RETURN jsonb_build_object('status', 'ok', 'version', old_row.version, 'changed', '[]'::jsonb);
    END IF;
    UPDATE service s SET
        name = new_row.name, alternate_name = new_row.alternate_name, description = new_row.description,
        url = new_row.url, email = new_row.email, status = new_row.status,
        fees_description = new_row.fees_description, is_free = new_row.is_free,
        eligibility_description = new_row.eligibility_description, minimum_age = new_row.minimum_age,
        maximum_age = new_row.maximum_age, application_process = new_row.application_process,
        accepts_referrals = new_row.accepts_referrals, capacity_available = new_row.capacity_available,
        capacity_maximum = new_row.capacity_maximum, capacity_unit = new_row.capacity_unit,
        capacity_updated = CASE WHEN 'capacity_available' = ANY (changed) OR 'capacity_maximum' = ANY (changed)
                                THEN CASE WHEN new_row.capacity_available IS NULL THEN NULL ELSE now() END
                                ELSE s.capacity_updated END,
        alert = new_row.alert, interpretation_services = new_row.interpretation_services,
        wait_time = new_row.wait_time, champion_id = new_row.champion_id,
        last_reviewed = CASE WHEN 'last_reviewed' = ANY (changed) THEN current_date ELSE s.last_reviewed END,
        version = new_version, last_modified = now()
     WHERE s.id = target;
    RETURN jsonb_build_object('status', 'ok', 'version', new_version, 'changed', to_jsonb(changed));
END $$;

GRANT EXECUTE ON FUNCTION service_editable_fields(), service_lists(uuid), service_replace_list(service, text, jsonb),
    service_area_named(jsonb), service_edit(uuid, integer, jsonb, text, uuid, text, text) TO links_app;

-- What the runtime role may write for champions' edits (through
-- service_edit, which runs with the caller's rights: row-level security
-- keeps every write in the caller's board).
GRANT INSERT, UPDATE ON service, organization, location TO links_app;
GRANT INSERT, DELETE ON phone, service_category, schedule, service_area, language, service_at_location TO links_app;

-- Board administrators set their board's review period (the handler
-- updates only the row of the board set for the transaction).
GRANT UPDATE (review_period_days, review_grace_days) ON board TO links_app;
