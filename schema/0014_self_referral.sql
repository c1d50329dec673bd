-- 0014 self-referral, edited by champions: whether people may refer
-- themselves to a service (0011 added it for the referral rules; Glasgow's
-- sends a patient from a most deprived data zone straight to a service they
-- ask for only when it takes self-referrals). Champions set it like any
-- other field, recorded field by field in the service's history: the edit
-- function is the one 0008 made, writing one more column.

CREATE OR REPLACE FUNCTION service_editable_fields() RETURNS text[]
LANGUAGE sql IMMUTABLE AS $$
    SELECT ARRAY['name', 'alternate_name', 'description', 'url', 'email', 'status', 'fees_description',
                 'is_free', 'eligibility_description', 'minimum_age', 'maximum_age', 'application_process',
                 'accepts_referrals', 'self_referral', 'capacity_available', 'capacity_maximum', 'capacity_unit',
                 'alert', 'interpretation_services', 'wait_time', 'champion_id']
$$;

CREATE OR REPLACE FUNCTION service_edit(target uuid, expected integer, changes jsonb, action text,
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
        wait_time = new_row.wait_time, champion_id = new_row.champion_id, self_referral = new_row.self_referral,
        last_reviewed = CASE WHEN 'last_reviewed' = ANY (changed) THEN current_date ELSE s.last_reviewed END,
        version = new_version, last_modified = now()
     WHERE s.id = target;
    RETURN jsonb_build_object('status', 'ok', 'version', new_version, 'changed', to_jsonb(changed));
END $$;
