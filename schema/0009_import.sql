-- 0009 importing Open Referral HSDS 3.0 documents (`linksctl import`).
--
-- linksctl turns every source format (HSDS JSON, ALISS CSV) into HSDS
-- objects and hands them here one at a time: hsds_import(board, kind, doc)
-- writes one organization, service or taxonomy term and answers
-- 'created', 'updated' or 'unchanged', or raises an error whose message
-- is the reason the record was rejected (nothing of it is written).
--
-- Re-importing the same document changes nothing: each imported row keeps
-- a digest of the document it came from, and an equal digest stops the
-- import before any write (so a champion's later edit is kept until the
-- source itself changes).
--
-- Nothing a document carries is lost. Members the model has columns for
-- go there; other members go to the row's hsds_extra. A child the model
-- cannot hold as a row (an id the document also uses for another owner,
-- as the standard's own examples do; coordinates off the globe; a term
-- this directory does not know) is kept whole in its owner's hsds_extra
-- under the array's name, and published after the modelled ones.

ALTER TABLE service ADD COLUMN import_digest text;
ALTER TABLE organization ADD COLUMN import_digest text;
ALTER TABLE location ADD COLUMN import_digest text;

-- Reject the record being imported, with a reason a person can act on.
CREATE FUNCTION hsds_reject(reason text) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '%', reason USING ERRCODE = '22023';
END $$;

-- Why a row of another board, or a national one, is not this import's.
CREATE FUNCTION hsds_not_ours(what text, owner smallint) RETURNS text
LANGUAGE sql STABLE AS $$
    SELECT CASE WHEN owner IS NULL
                THEN format('%s is national (every board''s directory has it): an import into one board cannot change it', what)
                ELSE format('%s belongs to another board''s directory', what) END
$$;

-- An object's id: the document's, which must be a UUID, or (children only)
-- one derived from the owner so a re-import derives the same.
CREATE FUNCTION hsds_import_id(doc jsonb, what text, owner uuid, ordinal bigint) RETURNS uuid
LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
    IF doc -> 'id' IS NULL OR doc -> 'id' = 'null' THEN
        IF owner IS NULL THEN
            PERFORM hsds_reject(format('%s has no id', what));
        END IF;
        RETURN md5(format('links:import:%s:%s:%s', owner, what, ordinal))::uuid;
    END IF;
    IF jsonb_typeof(doc -> 'id') <> 'string'
       OR doc ->> 'id' !~* '^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$' THEN
        PERFORM hsds_reject(format('%s id %s is not a UUID', what, doc -> 'id'));
    END IF;
    RETURN (doc ->> 'id')::uuid;
END $$;

-- A text member: absent, null or blank is NULL; anything but a string is
-- refused (a number where a name belongs is a broken record).
CREATE FUNCTION hsds_text(doc jsonb, member text, what text) RETURNS text
LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
    IF doc -> member IS NULL OR doc -> member = 'null' THEN
        RETURN NULL;
    END IF;
    IF jsonb_typeof(doc -> member) <> 'string' THEN
        PERFORM hsds_reject(format('%s %s must be text, not %s', what, member, doc -> member));
    END IF;
    RETURN nullif(btrim(doc ->> member), '');
END $$;

CREATE FUNCTION hsds_number(doc jsonb, member text, what text) RETURNS numeric
LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
    IF doc -> member IS NULL OR doc -> member = 'null' THEN
        RETURN NULL;
    END IF;
    IF jsonb_typeof(doc -> member) <> 'number' THEN
        PERFORM hsds_reject(format('%s %s must be a number, not %s', what, member, doc -> member));
    END IF;
    RETURN (doc ->> member)::numeric;
END $$;

-- The elements of an array member (none when absent).
CREATE FUNCTION hsds_elements(doc jsonb, member text, what text) RETURNS SETOF jsonb
LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
    IF doc -> member IS NULL OR doc -> member = 'null' THEN
        RETURN;
    END IF;
    IF jsonb_typeof(doc -> member) <> 'array' THEN
        PERFORM hsds_reject(format('%s %s must be a list', what, member));
    END IF;
    RETURN QUERY SELECT e FROM jsonb_array_elements(doc -> member) e;
END $$;

------------------------------------------------------------------------
-- Children. Each importer writes one child row and answers true, or
-- answers false when the model cannot hold it (the caller keeps it whole).

-- Languages of a service, location or phone.
CREATE FUNCTION hsds_import_language(b smallint, e jsonb, of_service uuid, of_location uuid, of_phone uuid,
                                     ordinal bigint) RETURNS boolean
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO language (board_id, id, service_id, location_id, phone_id, name, code, note, hsds_extra)
    VALUES (b, hsds_import_id(e, 'language', coalesce(of_service, of_location, of_phone), ordinal),
            of_service, of_location, of_phone, e ->> 'name', e ->> 'code', e ->> 'note',
            e - ARRAY['id', 'name', 'code', 'note']);
    RETURN true;
EXCEPTION WHEN unique_violation OR check_violation OR not_null_violation OR invalid_text_representation THEN
    RETURN false;
END $$;

-- Phones of a service, organization, location or service at a location,
-- with their languages.
CREATE FUNCTION hsds_import_phone(b smallint, e jsonb, of_service uuid, of_organization uuid, of_location uuid,
                                  of_sal uuid, ordinal bigint) RETURNS boolean
LANGUAGE plpgsql AS $$
DECLARE
    phone_id uuid;
    kept jsonb := '[]';
    l jsonb;
    n bigint := 0;
BEGIN
    BEGIN
        phone_id := hsds_import_id(e, 'phone', coalesce(of_service, of_organization, of_location, of_sal), ordinal);
        INSERT INTO phone (board_id, id, service_id, organization_id, location_id, service_at_location_id,
                           number, extension, type, description, position, hsds_extra)
        VALUES (b, phone_id, of_service, of_organization, of_location, of_sal, e ->> 'number',
                (e ->> 'extension')::integer, e ->> 'type', e ->> 'description', ordinal::smallint,
                e - ARRAY['id', 'number', 'extension', 'type', 'description', 'languages']);
    EXCEPTION WHEN unique_violation OR check_violation OR not_null_violation OR invalid_text_representation
                   OR numeric_value_out_of_range OR foreign_key_violation THEN
        RETURN false;
    END;
    FOR l IN SELECT * FROM hsds_elements(e, 'languages', 'phone') LOOP
        n := n + 1;
        IF NOT hsds_import_language(b, l, NULL, NULL, phone_id, n) THEN
            kept := kept || jsonb_build_array(l);
        END IF;
    END LOOP;
    IF kept <> '[]' THEN
        UPDATE phone SET hsds_extra = hsds_extra || jsonb_build_object('languages', kept) WHERE id = phone_id;
    END IF;
    RETURN true;
END $$;

-- Schedules of a service (everywhere or at one service-at-location) or of
-- a location itself.
CREATE FUNCTION hsds_import_schedule(b smallint, e jsonb, of_service uuid, of_location uuid, of_sal uuid,
                                     ordinal bigint) RETURNS boolean
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO schedule (board_id, id, service_id, location_id, service_at_location_id, freq, byday, opens_at,
                          closes_at, description, valid_from, valid_to, dtstart, until, count, "interval", wkst,
                          byweekno, bymonthday, byyearday, timezone, schedule_link, attending_type, notes,
                          hsds_extra)
    VALUES (b, hsds_import_id(e, 'schedule', coalesce(of_sal, of_service, of_location), ordinal),
            of_service, of_location, of_sal, e ->> 'freq', e ->> 'byday', (e ->> 'opens_at')::time,
            (e ->> 'closes_at')::time, e ->> 'description', (e ->> 'valid_from')::date, (e ->> 'valid_to')::date,
            (e ->> 'dtstart')::date, (e ->> 'until')::date, (e ->> 'count')::integer,
            coalesce((e ->> 'interval')::integer, 1), e ->> 'wkst', e ->> 'byweekno', e ->> 'bymonthday',
            e ->> 'byyearday', (e ->> 'timezone')::numeric, e ->> 'schedule_link', e ->> 'attending_type',
            e ->> 'notes',
            e - ARRAY['id', 'freq', 'byday', 'opens_at', 'closes_at', 'description', 'valid_from', 'valid_to',
                      'dtstart', 'until', 'count', 'interval', 'wkst', 'byweekno', 'bymonthday', 'byyearday',
                      'timezone', 'schedule_link', 'attending_type', 'notes']
              -- a time written otherwise than the model writes it ("10:00")
              -- is published as it came
              || jsonb_strip_nulls(jsonb_build_object(
                     'opens_at', CASE WHEN (e ->> 'opens_at')::time::text <> e ->> 'opens_at' THEN e -> 'opens_at' END,
                     'closes_at', CASE WHEN (e ->> 'closes_at')::time::text <> e ->> 'closes_at' THEN e -> 'closes_at' END)));
    RETURN true;
EXCEPTION WHEN unique_violation OR check_violation OR not_null_violation OR invalid_text_representation
               OR invalid_datetime_format OR datetime_field_overflow OR numeric_value_out_of_range THEN
    RETURN false;
END $$;

-- A service area; its kind and code (what search matches) come from a
-- statistics.gov.scot geography uri, else it is described only.
CREATE FUNCTION hsds_import_service_area(b smallint, e jsonb, of_service uuid, ordinal bigint) RETURNS boolean
LANGUAGE plpgsql AS $$
DECLARE
    code text := substring(e ->> 'uri' FROM '/statistical-geography/(S(?:12|08|92)[0-9]{6})$');
BEGIN
    INSERT INTO service_area (board_id, id, service_id, kind, code, name, description, extent, extent_type, uri,
                              hsds_extra)
    VALUES (b, hsds_import_id(e, 'service area', of_service, ordinal), of_service,
            CASE WHEN code LIKE 'S12%' THEN 'council' WHEN code LIKE 'S08%' THEN 'board'
                 WHEN code = 'S92000003' THEN 'scotland' ELSE 'other' END,
            CASE WHEN code LIKE 'S12%' OR code LIKE 'S08%' OR code = 'S92000003' THEN code END,
            e ->> 'name', e ->> 'description', e ->> 'extent', e ->> 'extent_type', e ->> 'uri',
            e - ARRAY['id', 'name', 'description', 'extent', 'extent_type', 'uri']);
    RETURN true;
EXCEPTION WHEN unique_violation OR check_violation OR not_null_violation THEN
    RETURN false;
END $$;

-- A category of a service (an HSDS attribute): only a term this directory
-- knows, by id or (ALISS) by name in the ALISS taxonomy.
CREATE FUNCTION hsds_import_attribute(b smallint, e jsonb, of_service uuid, ordinal bigint) RETURNS boolean
LANGUAGE plpgsql AS $$
DECLARE
    term uuid;
BEGIN
    SELECT c.id INTO term FROM category c
     WHERE c.id::text = coalesce(e ->> 'taxonomy_term_id', e -> 'taxonomy_term' ->> 'id')
        OR (e -> 'taxonomy_term' ->> 'id' IS NULL AND e ->> 'taxonomy_term_id' IS NULL
            AND e -> 'taxonomy_term' ->> 'taxonomy' = 'ALISS categories'
            AND lower(c.name) = lower(e -> 'taxonomy_term' ->> 'name'))
     LIMIT 1;
    IF term IS NULL THEN
        RETURN false;
    END IF;
    INSERT INTO service_category (board_id, service_id, category_id, id, hsds_extra)
    VALUES (b, of_service, term, hsds_import_id(e, 'attribute', of_service, ordinal),
            e - ARRAY['id', 'link_id', 'taxonomy_term_id', 'taxonomy_term']);
    RETURN true;
EXCEPTION WHEN unique_violation OR check_violation THEN
    RETURN false;
END $$;

------------------------------------------------------------------------
-- Lists of children. A member the document gives replaces the owner's
-- rows of that kind (an empty list removes them); a member it leaves out
-- keeps them: the standard's list shapes summarise a service without its
-- phones or schedules, and must not wipe them.

-- Import one list of an owner's children: NULL when the document does not
-- give it, else the children the model could not hold ([] when none).
-- owner is 'service', 'organization', 'location' or 'sal'; of_service is
-- the service a service-at-location belongs to.
CREATE FUNCTION hsds_import_children(b smallint, doc jsonb, member text, owner text, owner_id uuid,
                                     of_service uuid, what text) RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
    kept jsonb := '[]';
    e jsonb;
    n bigint;
    ok boolean;
BEGIN
    IF doc -> member IS NULL OR doc -> member = 'null' THEN
        RETURN NULL;
    END IF;
    CASE owner || '.' || member
    WHEN 'service.phones' THEN DELETE FROM phone WHERE service_id = owner_id;
    WHEN 'organization.phones' THEN DELETE FROM phone WHERE organization_id = owner_id;
    WHEN 'location.phones' THEN DELETE FROM phone WHERE location_id = owner_id;
    WHEN 'sal.phones' THEN DELETE FROM phone WHERE service_at_location_id = owner_id;
    WHEN 'service.schedules' THEN
        DELETE FROM schedule WHERE service_id = owner_id AND location_id IS NULL AND service_at_location_id IS NULL;
    WHEN 'location.schedules' THEN
        DELETE FROM schedule WHERE location_id = owner_id AND service_id IS NULL AND service_at_location_id IS NULL;
    WHEN 'sal.schedules' THEN DELETE FROM schedule WHERE service_at_location_id = owner_id;
    WHEN 'service.languages' THEN DELETE FROM language WHERE service_id = owner_id;
    WHEN 'location.languages' THEN DELETE FROM language WHERE location_id = owner_id;
    WHEN 'service.service_areas' THEN DELETE FROM service_area WHERE service_id = owner_id;
    WHEN 'service.attributes' THEN DELETE FROM service_category WHERE service_id = owner_id;
    WHEN 'location.accessibility' THEN DELETE FROM accessibility WHERE location_id = owner_id;
    END CASE;
    n := 0;
    FOR e IN SELECT * FROM hsds_elements(doc, member, what) LOOP
        n := n + 1;
        ok := CASE member
            WHEN 'phones' THEN hsds_import_phone(b, e, CASE owner WHEN 'service' THEN owner_id END,
                                                 CASE owner WHEN 'organization' THEN owner_id END,
                                                 CASE owner WHEN 'location' THEN owner_id END,
                                                 CASE owner WHEN 'sal' THEN owner_id END, n)
            WHEN 'schedules' THEN hsds_import_schedule(b, e, CASE owner WHEN 'service' THEN owner_id
                                                                        WHEN 'sal' THEN of_service END,
                                                       CASE owner WHEN 'location' THEN owner_id END,
                                                       CASE owner WHEN 'sal' THEN owner_id END, n)
            WHEN 'languages' THEN hsds_import_language(b, e, CASE owner WHEN 'service' THEN owner_id END,
                                                       CASE owner WHEN 'location' THEN owner_id END, NULL, n)
            WHEN 'service_areas' THEN hsds_import_service_area(b, e, owner_id, n)
            WHEN 'attributes' THEN hsds_import_attribute(b, e, owner_id, n)
            WHEN 'accessibility' THEN hsds_import_accessibility(b, e, owner_id, n)
        END;
        IF NOT ok THEN
            kept := kept || jsonb_build_array(e);
        END IF;
    END LOOP;
    RETURN kept;
END $$;

-- An owner's hsds_extra after importing one of its lists.
CREATE FUNCTION hsds_extra_with(extra jsonb, member text, kept jsonb) RETURNS jsonb
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN kept IS NULL THEN extra
                WHEN kept = '[]' THEN extra - member
                ELSE extra || jsonb_build_object(member, kept) END
$$;

-- The hsds_extra of a row being imported again: what the document gives
-- and the model has no column for, over what the row kept of members the
-- document leaves out.
CREATE FUNCTION hsds_extra_from(old_extra jsonb, doc jsonb, modelled text[]) RETURNS jsonb
LANGUAGE sql IMMUTABLE AS $$
    -- (an empty list of something the model does not hold is nothing to keep)
    SELECT (coalesce(old_extra, '{}') - ARRAY(SELECT jsonb_object_keys(doc)))
           || coalesce((SELECT jsonb_object_agg(e.key, e.value) FROM jsonb_each(doc - modelled) e
                         WHERE e.value <> '[]'), '{}')
$$;

-- Import each of these lists of an owner, then record what it kept.
CREATE FUNCTION hsds_import_lists(b smallint, doc jsonb, members text[], owner text, owner_id uuid,
                                  of_service uuid, what text) RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
    changes jsonb := '{}';
    member text;
    kept jsonb;
BEGIN
    FOREACH member IN ARRAY members LOOP
        kept := hsds_import_children(b, doc, member, owner, owner_id, of_service, what);
        IF kept IS NOT NULL THEN
            changes := changes || jsonb_build_object(member, kept);
        END IF;
    END LOOP;
    RETURN changes;
END $$;

-- Apply hsds_import_lists' answer to an hsds_extra.
CREATE FUNCTION hsds_extra_with_lists(extra jsonb, changes jsonb) RETURNS jsonb
LANGUAGE sql IMMUTABLE AS $$
    SELECT (extra - ARRAY(SELECT jsonb_object_keys(changes)))
           || coalesce((SELECT jsonb_object_agg(c.key, c.value) FROM jsonb_each(changes) c WHERE c.value <> '[]'),
                       '{}')
$$;

CREATE FUNCTION hsds_import_accessibility(b smallint, e jsonb, of_location uuid, ordinal bigint) RETURNS boolean
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO accessibility (board_id, id, location_id, description, details, url, hsds_extra)
    VALUES (b, hsds_import_id(e, 'accessibility', of_location, ordinal), of_location, e ->> 'description',
            e ->> 'details', e ->> 'url', e - ARRAY['id', 'description', 'details', 'url']);
    RETURN true;
EXCEPTION WHEN unique_violation OR check_violation THEN
    RETURN false;
END $$;

------------------------------------------------------------------------
-- A location, with its address, languages, accessibility, phones and own
-- opening hours. Without an addresses member its address is kept.
CREATE FUNCTION hsds_import_location(b smallint, doc jsonb, of_organization uuid) RETURNS uuid
LANGUAGE plpgsql AS $$
DECLARE
    named_org uuid;
    lists jsonb;
    loc_id uuid := hsds_import_id(doc, 'location', NULL, NULL);
    what text := format('location %s', doc ->> 'id');
    modelled text[] := ARRAY['id', 'location_type', 'url', 'name', 'alternate_name', 'description',
                             'transportation', 'external_identifier', 'external_identifier_type', 'languages',
                             'addresses', 'accessibility', 'phones', 'schedules', 'organization_id'];
    has_address boolean := jsonb_typeof(doc -> 'addresses') = 'array';
    addr jsonb := coalesce(doc -> 'addresses' -> 0, '{}');
    lat numeric := hsds_number(doc, 'latitude', what);
    lon numeric := hsds_number(doc, 'longitude', what);
    placed boolean;
    old location;
    extra jsonb;
BEGIN
    SELECT * INTO old FROM location WHERE id = loc_id;
    IF FOUND AND old.board_id IS DISTINCT FROM b THEN
        PERFORM hsds_reject(hsds_not_ours(what, old.board_id));
    END IF;
    -- An organization_id naming no organization here is kept as it came.
    SELECT id INTO named_org FROM organization WHERE id::text = doc ->> 'organization_id' AND board_id = b;
    IF named_org IS NULL AND doc ->> 'organization_id' IS NOT NULL THEN
        modelled := array_remove(modelled, 'organization_id');
    END IF;
    -- Coordinates off the globe are kept as they came, unplaced.
    placed := lat BETWEEN -90 AND 90 AND lon BETWEEN -180 AND 180;
    IF placed OR (lat IS NULL AND lon IS NULL) THEN
        modelled := modelled || ARRAY['latitude', 'longitude'];
    END IF;
    extra := hsds_extra_from(old.hsds_extra, doc, modelled) - ARRAY['other_addresses', 'address_extra'];
    IF has_address THEN
        IF jsonb_array_length(doc -> 'addresses') > 1 THEN
            extra := extra || jsonb_build_object('other_addresses', (doc -> 'addresses') - 0);
        END IF;
        extra := extra || jsonb_strip_nulls(jsonb_build_object('address_extra',
                     nullif(addr - ARRAY['id', 'attention', 'address_1', 'address_2', 'city', 'region',
                                         'state_province', 'postal_code', 'country', 'address_type'], '{}')));
    ELSIF old.id IS NOT NULL THEN
        extra := extra || jsonb_strip_nulls(jsonb_build_object(
                     'other_addresses', old.hsds_extra -> 'other_addresses',
                     'address_extra', old.hsds_extra -> 'address_extra'));
    END IF;
    INSERT INTO location AS l (board_id, id, organization_id, name, location_type, url, alternate_name,
                               description, transportation, external_identifier, external_identifier_type,
                               address_id, address_attention, address_1, address_2, city, region,
                               state_province, postcode, country, address_type, lat, lon, hsds_extra)
    VALUES (b, loc_id, coalesce(named_org, of_organization, old.organization_id),
            coalesce(hsds_text(doc, 'name', what), ''), coalesce(doc ->> 'location_type', 'physical'),
            doc ->> 'url', doc ->> 'alternate_name', doc ->> 'description', doc ->> 'transportation',
            doc ->> 'external_identifier', doc ->> 'external_identifier_type',
            hsds_import_id(addr, 'address', loc_id, 1),
            addr ->> 'attention', addr ->> 'address_1', addr ->> 'address_2', addr ->> 'city', addr ->> 'region',
            addr ->> 'state_province', addr ->> 'postal_code', coalesce(addr ->> 'country', 'GB'),
            coalesce(addr ->> 'address_type', 'physical'),
            CASE WHEN placed THEN lat END, CASE WHEN placed THEN lon END, extra)
    ON CONFLICT (id) DO UPDATE SET
        organization_id = excluded.organization_id, name = excluded.name, location_type = excluded.location_type,
        url = excluded.url, alternate_name = excluded.alternate_name, description = excluded.description,
        transportation = excluded.transportation, external_identifier = excluded.external_identifier,
        external_identifier_type = excluded.external_identifier_type,
        address_id = CASE WHEN has_address THEN excluded.address_id ELSE l.address_id END,
        address_attention = CASE WHEN has_address THEN excluded.address_attention ELSE l.address_attention END,
        address_1 = CASE WHEN has_address THEN excluded.address_1 ELSE l.address_1 END,
        address_2 = CASE WHEN has_address THEN excluded.address_2 ELSE l.address_2 END,
        city = CASE WHEN has_address THEN excluded.city ELSE l.city END,
        region = CASE WHEN has_address THEN excluded.region ELSE l.region END,
        state_province = CASE WHEN has_address THEN excluded.state_province ELSE l.state_province END,
        postcode = CASE WHEN has_address THEN excluded.postcode ELSE l.postcode END,
        country = CASE WHEN has_address THEN excluded.country ELSE l.country END,
        address_type = CASE WHEN has_address THEN excluded.address_type ELSE l.address_type END,
        lat = excluded.lat, lon = excluded.lon, hsds_extra = excluded.hsds_extra,
        -- what a location record's import saw is no longer what is here
        import_digest = NULL;

    -- (lists first: their rows' triggers update the owner, which one
    -- statement must not update twice)
    lists := hsds_import_lists(b, doc, ARRAY['languages', 'accessibility', 'phones', 'schedules'], 'location', loc_id, NULL, what);
    UPDATE location SET hsds_extra = hsds_extra_with_lists(hsds_extra, lists) WHERE id = loc_id;
    RETURN loc_id;
END $$;

------------------------------------------------------------------------
-- An organization with its phones and locations (not its services: each
-- is a record of its own). Answers created / updated / unchanged.
CREATE FUNCTION hsds_import_organization(b smallint, doc jsonb) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
    lists jsonb;
    org_id uuid := hsds_import_id(doc, 'organization', NULL, NULL);
    what text := format('organization %s', doc ->> 'id');
    digest text := md5((doc - 'services')::text);
    existing organization;
    e jsonb;
BEGIN
    IF jsonb_typeof(doc) <> 'object' THEN
        PERFORM hsds_reject('an organization must be a JSON object');
    END IF;
    SELECT * INTO existing FROM organization WHERE id = org_id;
    IF FOUND AND existing.board_id IS DISTINCT FROM b THEN
        PERFORM hsds_reject(hsds_not_ours(what, existing.board_id));
    END IF;
    IF hsds_text(doc, 'name', what) IS NULL THEN
        PERFORM hsds_reject(format('%s has no name', what));
    END IF;
    IF FOUND AND existing.import_digest = digest THEN
        RETURN 'unchanged';
    END IF;
    INSERT INTO organization (board_id, id, name, alternate_name, description, email, url, tax_status, tax_id,
                              year_incorporated, legal_status, logo, uri, parent_organization_id, hsds_extra,
                              import_digest, last_modified)
    VALUES (b, org_id, hsds_text(doc, 'name', what), doc ->> 'alternate_name', doc ->> 'description',
            doc ->> 'email', doc ->> 'website', doc ->> 'tax_status', doc ->> 'tax_id',
            hsds_number(doc, 'year_incorporated', what)::integer, doc ->> 'legal_status', doc ->> 'logo',
            doc ->> 'uri', (doc ->> 'parent_organization_id')::uuid,
            hsds_extra_from(existing.hsds_extra, doc - 'services',
                            ARRAY['id', 'name', 'alternate_name', 'description', 'email', 'website', 'tax_status',
                                  'tax_id', 'year_incorporated', 'legal_status', 'logo', 'uri',
                                  'parent_organization_id', 'phones', 'locations']),
            digest, now())
    ON CONFLICT (id) DO UPDATE SET
        name = excluded.name, alternate_name = excluded.alternate_name, description = excluded.description,
        email = excluded.email, url = excluded.url, tax_status = excluded.tax_status, tax_id = excluded.tax_id,
        year_incorporated = excluded.year_incorporated, legal_status = excluded.legal_status,
        logo = excluded.logo, uri = excluded.uri, parent_organization_id = excluded.parent_organization_id,
        hsds_extra = excluded.hsds_extra, import_digest = excluded.import_digest, last_modified = now();

    -- (lists first: their rows' triggers update the owner, which one
    -- statement must not update twice)
    lists := hsds_import_lists(b, doc, ARRAY['phones'], 'organization', org_id, NULL, what);
    UPDATE organization SET hsds_extra = hsds_extra_with_lists(hsds_extra, lists) WHERE id = org_id;
    FOR e IN SELECT * FROM hsds_elements(doc, 'locations', what) LOOP
        PERFORM hsds_import_location(b, e, org_id);
    END LOOP;
    RETURN CASE WHEN existing.id IS NULL THEN 'created' ELSE 'updated' END;
END $$;

------------------------------------------------------------------------
-- What an import changed, field by field, in the service's history (the
-- same fields and lists champions' edits record).
CREATE FUNCTION service_record_import(s service, old_json jsonb, old_lists jsonb, actor_name text)
RETURNS void LANGUAGE sql AS $$
    INSERT INTO service_change (board_id, service_id, version, actor_name, action, field, old_value, new_value)
    SELECT s.board_id, s.id, s.version, actor_name, 'imported', f.field, old_json -> f.field, to_jsonb(s) -> f.field
      FROM unnest(service_editable_fields() || ARRAY['last_reviewed']) AS f(field)
     WHERE (old_json -> f.field) IS DISTINCT FROM (to_jsonb(s) -> f.field)
       AND NOT (old_json = '{}' AND to_jsonb(s) -> f.field = 'null')
    UNION ALL
    SELECT s.board_id, s.id, s.version, actor_name, 'imported', l.list, old_lists -> l.list, new_lists -> l.list
      FROM (SELECT service_lists(s.id) AS new_lists) n,
           unnest(ARRAY['phones', 'categories', 'schedules', 'service_areas', 'languages']) AS l(list)
     WHERE (old_lists -> l.list) IS DISTINCT FROM (new_lists -> l.list)
       AND NOT (old_lists = '{}' AND new_lists -> l.list = '[]')
$$;

-- Where a service is offered: each service at a location with its
-- location (imported too). Those of the service the list does not name go.
CREATE FUNCTION hsds_import_service_at_locations(b smallint, doc jsonb, svc_id uuid, org_id uuid, what text)
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    lists jsonb;
    sal_doc jsonb;
    n bigint := 0;
    sal_id uuid;
    loc_id uuid;
    listed uuid[] := '{}';
    old service_at_location;
BEGIN
    IF doc -> 'service_at_locations' IS NULL OR doc -> 'service_at_locations' = 'null' THEN
        RETURN;
    END IF;
    FOR sal_doc IN SELECT * FROM hsds_elements(doc, 'service_at_locations', what) LOOP
        n := n + 1;
        IF jsonb_typeof(sal_doc -> 'location') IS DISTINCT FROM 'object' THEN
            PERFORM hsds_reject(format('%s: service_at_locations[%s] has no location', what, n - 1));
        END IF;
        sal_id := hsds_import_id(sal_doc, 'service at location', svc_id, n);
        SELECT * INTO old FROM service_at_location WHERE id = sal_id;
        IF FOUND AND old.service_id <> svc_id THEN
            PERFORM hsds_reject(format('%s: service_at_location %s belongs to another service', what, sal_id));
        END IF;
        loc_id := hsds_import_location(b, sal_doc -> 'location', org_id);
        listed := listed || sal_id;
        -- one row per service and location: another id for the same place replaces it
        DELETE FROM service_at_location WHERE service_id = svc_id AND location_id = loc_id AND id <> sal_id;
        INSERT INTO service_at_location AS s (board_id, id, service_id, location_id, description, hsds_extra)
        VALUES (b, sal_id, svc_id, loc_id, sal_doc ->> 'description',
                hsds_extra_from(old.hsds_extra, sal_doc,
                                ARRAY['id', 'description', 'phones', 'schedules', 'location', 'service',
                                      'service_id', 'location_id']))
        ON CONFLICT (id) DO UPDATE SET location_id = excluded.location_id, description = excluded.description,
                                       hsds_extra = excluded.hsds_extra;
        -- (lists first: their rows' triggers update the owner, which one
        -- statement must not update twice)
        lists := hsds_import_lists(b, sal_doc, ARRAY['phones', 'schedules'], 'sal', sal_id, svc_id, what);
        UPDATE service_at_location SET hsds_extra = hsds_extra_with_lists(hsds_extra, lists) WHERE id = sal_id;
    END LOOP;
    DELETE FROM service_at_location WHERE service_id = svc_id AND NOT id = ANY (listed);
END $$;

-- A service with its organization (nested, or an organization_id this
-- directory has), its phones, schedules, service areas, languages,
-- categories and service-at-locations with their locations.
CREATE FUNCTION hsds_import_service(b smallint, doc jsonb, actor_name text) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
    lists jsonb;
    svc_id uuid := hsds_import_id(doc, 'service', NULL, NULL);
    what text := format('service %s', doc ->> 'id');
    digest text := md5(doc::text);
    existing service;
    old_json jsonb := '{}';
    old_lists jsonb := '{}';
    org_id uuid;
    status text;
    result service;
BEGIN
    IF jsonb_typeof(doc) <> 'object' THEN
        PERFORM hsds_reject('a service must be a JSON object');
    END IF;
    SELECT * INTO existing FROM service WHERE id = svc_id;
    IF FOUND AND existing.board_id IS DISTINCT FROM b THEN
        PERFORM hsds_reject(hsds_not_ours(what, existing.board_id));
    END IF;
    IF FOUND AND existing.import_digest = digest THEN
        RETURN 'unchanged';
    END IF;
    IF hsds_text(doc, 'name', what) IS NULL THEN
        PERFORM hsds_reject(format('%s has no name', what));
    END IF;
    status := coalesce(hsds_text(doc, 'status', what), 'active');
    IF status NOT IN ('active', 'inactive', 'defunct', 'temporarily closed') THEN
        PERFORM hsds_reject(format('%s status "%s" is not one of active, inactive, defunct, temporarily closed',
                                   what, status));
    END IF;

    -- Its organization: nested (imported first), or one already here.
    IF jsonb_typeof(doc -> 'organization') = 'object' THEN
        PERFORM hsds_import_organization(b, doc -> 'organization');
        org_id := (doc -> 'organization' ->> 'id')::uuid;
    ELSIF doc ->> 'organization_id' IS NOT NULL THEN
        org_id := hsds_import_id(jsonb_build_object('id', doc -> 'organization_id'), 'organization', NULL, NULL);
        IF NOT EXISTS (SELECT 1 FROM organization WHERE id = org_id AND board_id = b) THEN
            PERFORM hsds_reject(format('%s: its organization %s is not in this board''s directory', what, org_id));
        END IF;
    ELSE
        PERFORM hsds_reject(format('%s has no organization', what));
    END IF;

    IF existing.id IS NOT NULL THEN
        old_json := to_jsonb(existing);
        old_lists := service_lists(svc_id);
    END IF;
    INSERT INTO service (board_id, id, organization_id, name, alternate_name, description, url, email, status,
                         interpretation_services, application_process, fees_description, wait_time,
                         accreditations, eligibility_description, minimum_age, maximum_age, last_reviewed,
                         licenses, alert, last_modified, hsds_extra, import_digest)
    VALUES (b, svc_id, org_id, hsds_text(doc, 'name', what), doc ->> 'alternate_name',
            coalesce(doc ->> 'description', ''), doc ->> 'url', doc ->> 'email', status,
            doc ->> 'interpretation_services', doc ->> 'application_process', doc ->> 'fees_description',
            doc ->> 'wait_time', doc ->> 'accreditations', doc ->> 'eligibility_description',
            hsds_number(doc, 'minimum_age', what), hsds_number(doc, 'maximum_age', what),
            (doc ->> 'assured_date')::date, doc ->> 'licenses', doc ->> 'alert',
            coalesce((doc ->> 'last_modified')::timestamptz, now()),
            hsds_extra_from(existing.hsds_extra, doc,
                            ARRAY['id', 'organization_id', 'organization', 'name', 'alternate_name', 'description',
                                  'url', 'email', 'status', 'interpretation_services', 'application_process',
                                  'fees_description', 'wait_time', 'accreditations', 'eligibility_description',
                                  'minimum_age', 'maximum_age', 'assured_date', 'licenses', 'alert',
                                  'last_modified', 'phones', 'schedules', 'service_areas', 'languages',
                                  'attributes', 'service_at_locations']),
            digest)
    ON CONFLICT (id) DO UPDATE SET
        organization_id = excluded.organization_id, name = excluded.name,
        alternate_name = excluded.alternate_name, description = excluded.description, url = excluded.url,
        email = excluded.email, status = excluded.status,
        interpretation_services = excluded.interpretation_services,
        application_process = excluded.application_process, fees_description = excluded.fees_description,
        wait_time = excluded.wait_time, accreditations = excluded.accreditations,
        eligibility_description = excluded.eligibility_description, minimum_age = excluded.minimum_age,
        maximum_age = excluded.maximum_age, last_reviewed = excluded.last_reviewed,
        licenses = excluded.licenses, alert = excluded.alert, last_modified = excluded.last_modified,
        hsds_extra = excluded.hsds_extra, import_digest = excluded.import_digest,
        version = service.version + 1;

    -- (lists first: their rows' triggers update the owner, which one
    -- statement must not update twice)
    lists := hsds_import_lists(b, doc, ARRAY['phones', 'schedules', 'service_areas', 'languages', 'attributes'], 'service', svc_id, NULL, what);
    UPDATE service SET hsds_extra = hsds_extra_with_lists(hsds_extra, lists) WHERE id = svc_id;
    PERFORM hsds_import_service_at_locations(b, doc, svc_id, org_id, what);

    SELECT * INTO result FROM service WHERE id = svc_id;
    PERFORM service_record_import(result, old_json, old_lists, actor_name);
    RETURN CASE WHEN existing.id IS NULL THEN 'created' ELSE 'updated' END;
EXCEPTION
    -- A value the model refuses (an age of 200, an unknown postcode in the
    -- board's area...): the record is rejected with the database's reason.
    WHEN check_violation OR not_null_violation OR invalid_text_representation OR invalid_datetime_format
         OR datetime_field_overflow OR numeric_value_out_of_range OR foreign_key_violation THEN
        PERFORM hsds_reject(format('%s: %s', what, SQLERRM));
        RETURN NULL;
END $$;

-- A location on its own updates one this board's directory has (a
-- location is imported with the service or organization that offers it).
CREATE FUNCTION hsds_import_location_record(b smallint, doc jsonb) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
    loc_id uuid := hsds_import_id(doc, 'location', NULL, NULL);
    digest text := md5(doc::text);
    existing location;
BEGIN
    SELECT * INTO existing FROM location WHERE id = loc_id AND board_id = b;
    IF NOT FOUND THEN
        PERFORM hsds_reject(format('location %s is not in this board''s directory: import the service or '
                                   'organization that offers it', loc_id));
    END IF;
    IF existing.import_digest = digest THEN
        RETURN 'unchanged';
    END IF;
    PERFORM hsds_import_location(b, doc, NULL);
    UPDATE location SET import_digest = digest WHERE id = loc_id;
    RETURN 'updated';
EXCEPTION WHEN check_violation OR not_null_violation OR invalid_text_representation OR foreign_key_violation THEN
    PERFORM hsds_reject(format('location %s: %s', loc_id, SQLERRM));
    RETURN NULL;
END $$;

-- Taxonomies and their terms are national (every board's directory uses
-- the same vocabularies): an import adds those this directory lacks and
-- never changes one it has. What a term carries that the model does not
-- (a parent this directory lacks, a language, its own taxonomy label) is
-- kept in its hsds_extra and published as it came.
CREATE FUNCTION hsds_import_taxonomy(doc jsonb) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
    tax_id uuid := hsds_import_id(doc, 'taxonomy', NULL, NULL);
BEGIN
    IF EXISTS (SELECT 1 FROM taxonomy WHERE id = tax_id) THEN
        RETURN 'unchanged';
    END IF;
    IF hsds_text(doc, 'name', 'taxonomy') IS NULL THEN
        PERFORM hsds_reject(format('taxonomy %s has no name', tax_id));
    END IF;
    IF EXISTS (SELECT 1 FROM taxonomy WHERE name = doc ->> 'name') THEN
        PERFORM hsds_reject(format('taxonomy %s: another taxonomy here is called "%s"', tax_id, doc ->> 'name'));
    END IF;
    INSERT INTO taxonomy (id, name, description, uri, version)
    VALUES (tax_id, doc ->> 'name', coalesce(doc ->> 'description', ''), doc ->> 'uri', doc ->> 'version');
    RETURN 'created';
END $$;

ALTER TABLE category ADD COLUMN hsds_extra jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(hsds_extra) = 'object');

CREATE FUNCTION hsds_import_taxonomy_term(doc jsonb) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
    term_id uuid := hsds_import_id(doc, 'taxonomy term', NULL, NULL);
    what text := format('taxonomy term %s', doc ->> 'id');
    tax jsonb := doc -> 'taxonomy_detail';
    tax_id uuid := md5('links:taxonomy:aliss')::uuid;
    parent uuid;
    extra jsonb;
BEGIN
    IF EXISTS (SELECT 1 FROM category WHERE id = term_id) THEN
        RETURN 'unchanged';
    END IF;
    IF hsds_text(doc, 'name', what) IS NULL THEN
        PERFORM hsds_reject(format('%s has no name', what));
    END IF;
    IF jsonb_typeof(tax) = 'object' THEN
        PERFORM hsds_import_taxonomy(tax);
        tax_id := (tax ->> 'id')::uuid;
    ELSIF doc ->> 'taxonomy_id' IS NOT NULL THEN
        SELECT id INTO tax_id FROM taxonomy WHERE id::text = doc ->> 'taxonomy_id';
        IF NOT FOUND THEN
            PERFORM hsds_reject(format('%s: its taxonomy %s is not in this directory', what, doc ->> 'taxonomy_id'));
        END IF;
    END IF;
    SELECT id INTO parent FROM category WHERE id::text = doc ->> 'parent_id';
    extra := doc - ARRAY['id', 'code', 'name', 'description', 'taxonomy_detail', 'taxonomy_id', 'term_uri']
                 - CASE WHEN parent IS NOT NULL OR doc ->> 'parent_id' IS NULL THEN ARRAY['parent_id'] ELSE '{}' END;
    IF extra ->> 'taxonomy' = (SELECT name FROM taxonomy WHERE id = tax_id) THEN
        extra := extra - 'taxonomy';
    END IF;
    IF extra ->> 'language' = 'en' THEN
        extra := extra - 'language';
    END IF;
    INSERT INTO category (id, parent_id, slug, name, taxonomy_id, code, description, term_uri, hsds_extra)
    VALUES (term_id, parent,
            left(trim(BOTH '-' FROM regexp_replace(lower(coalesce(doc ->> 'code', doc ->> 'name')), '[^a-z0-9]+', '-', 'g')),
                 40) || '-' || left(term_id::text, 8),
            hsds_text(doc, 'name', what), tax_id, doc ->> 'code', doc ->> 'description', doc ->> 'term_uri', extra);
    RETURN 'created';
EXCEPTION WHEN check_violation OR unique_violation OR invalid_text_representation THEN
    PERFORM hsds_reject(format('%s: %s', what, SQLERRM));
    RETURN NULL;
END $$;

-- One record of an import: kind is 'organization', 'service', 'location',
-- 'taxonomy' or 'taxonomy_term'; board a board's code or slug. Runs as
-- the board (row-level security keeps every write in it).
CREATE FUNCTION hsds_import(board_code text, kind text, doc jsonb, actor_name text) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
    b smallint;
BEGIN
    SELECT id INTO b FROM board WHERE code = board_code OR slug = board_code;
    IF b IS NULL THEN
        RAISE EXCEPTION 'no board "%"', board_code USING ERRCODE = '22023';
    END IF;
    PERFORM set_config('app.board_id', b::text, true);
    RETURN CASE kind
        WHEN 'organization' THEN hsds_import_organization(b, doc)
        WHEN 'service' THEN hsds_import_service(b, doc, actor_name)
        WHEN 'location' THEN hsds_import_location_record(b, doc)
        WHEN 'taxonomy' THEN hsds_import_taxonomy(doc)
        WHEN 'taxonomy_term' THEN hsds_import_taxonomy_term(doc)
    END;
END $$;

------------------------------------------------------------------------
-- Publishing what an import kept whole: each list is its modelled rows
-- followed by the children kept in the owner's hsds_extra (0006's
-- functions, redefined).
SET LOCAL check_function_bodies = off;

CREATE FUNCTION hsds_kept(extra jsonb, list text) RETURNS jsonb
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN jsonb_typeof(extra -> list) = 'array' THEN extra -> list ELSE '[]' END
$$;

CREATE OR REPLACE FUNCTION hsds_phones(of_service uuid, of_organization uuid, of_location uuid, of_sal uuid)
RETURNS jsonb LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT coalesce(jsonb_agg(p.hsds_extra || jsonb_strip_nulls(jsonb_build_object(
               'id', p.id, 'number', p.number, 'extension', p.extension, 'type', p.type,
               'description', p.description))
               || jsonb_build_object('languages', hsds_languages(NULL, NULL, p.id)
                                                  || hsds_kept(p.hsds_extra, 'languages'))
             ORDER BY p.position, p.id), '[]')
      FROM phone p
     WHERE p.service_id = of_service OR p.organization_id = of_organization
        OR p.location_id = of_location OR p.service_at_location_id = of_sal
$$;

CREATE OR REPLACE FUNCTION hsds_addresses(l location) RETURNS jsonb
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN l.address_1 IS NOT NULL AND l.city IS NOT NULL AND l.postcode IS NOT NULL
                THEN jsonb_build_array(coalesce(l.hsds_extra -> 'address_extra', '{}') || jsonb_strip_nulls(jsonb_build_object(
                     'id', l.address_id, 'attention', l.address_attention,
                     'address_1', l.address_1, 'address_2', l.address_2, 'city', l.city,
                     'region', l.region,
                     'state_province', coalesce(l.state_province,
                                                CASE WHEN l.council_code LIKE 'S12%' THEN 'Scotland' END,
                                                ''),
                     'postal_code', l.postcode, 'country', l.country,
                     'address_type', l.address_type)))
                ELSE '[]' END
           || hsds_kept(l.hsds_extra, 'other_addresses')
$$;

CREATE OR REPLACE FUNCTION hsds_location(l location) RETURNS jsonb
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT (l.hsds_extra - ARRAY['other_addresses', 'address_extra']) || hsds_location_brief(l) || jsonb_build_object(
        'languages', hsds_languages(NULL, l.id, NULL) || hsds_kept(l.hsds_extra, 'languages'),
        'addresses', hsds_addresses(l),
        'accessibility', (SELECT coalesce(jsonb_agg(a.hsds_extra || jsonb_strip_nulls(jsonb_build_object(
                                     'id', a.id, 'description', a.description, 'details', a.details,
                                     'url', a.url)) ORDER BY a.id), '[]')
                            FROM accessibility a WHERE a.location_id = l.id)
                         || hsds_kept(l.hsds_extra, 'accessibility'),
        'phones', hsds_phones(NULL, NULL, l.id, NULL) || hsds_kept(l.hsds_extra, 'phones'),
        'schedules', hsds_location_schedules(l.id) || hsds_kept(l.hsds_extra, 'schedules'))
$$;

CREATE OR REPLACE FUNCTION hsds_service_at_location(sal service_at_location, nested boolean, with_service boolean)
RETURNS jsonb LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN nested THEN sal.hsds_extra ELSE hsds_scalars(sal.hsds_extra) END
        || jsonb_strip_nulls(jsonb_build_object('id', sal.id, 'service_id', sal.service_id,
                                                'location_id', sal.location_id, 'description', sal.description))
        || CASE WHEN nested THEN jsonb_build_object(
               'phones', hsds_phones(NULL, NULL, NULL, sal.id) || hsds_kept(sal.hsds_extra, 'phones'),
               'schedules', hsds_sal_schedules(sal) || hsds_kept(sal.hsds_extra, 'schedules'))
           ELSE '{}' END
        || jsonb_build_object('location', (SELECT CASE WHEN nested THEN hsds_location(l)
                                                       ELSE hsds_location_brief(l) END
                                             FROM location l WHERE l.id = sal.location_id))
        || CASE WHEN with_service
                THEN jsonb_build_object('service', (SELECT CASE WHEN nested THEN hsds_service(s, false)
                                                                ELSE hsds_service_brief(s) END
                                                      FROM service s WHERE s.id = sal.service_id))
                ELSE '{}' END
$$;

-- The fully nested service nests its organization whole (its phones and
-- locations too), without the organization's other services.
CREATE OR REPLACE FUNCTION hsds_service(s service, with_locations boolean) RETURNS jsonb
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT s.hsds_extra || hsds_service_brief(s) || jsonb_build_object(
        'organization', (SELECT hsds_organization(o, false, NULL) - 'services' FROM organization o
                          WHERE o.id = s.organization_id),
        'phones', hsds_phones(s.id, NULL, NULL, NULL) || hsds_kept(s.hsds_extra, 'phones'),
        'schedules', hsds_service_schedules(s.id) || hsds_kept(s.hsds_extra, 'schedules'),
        'service_areas', (SELECT coalesce(jsonb_agg(hsds_service_area(a) ORDER BY a.name, a.id), '[]')
                            FROM service_area a WHERE a.service_id = s.id)
                         || hsds_kept(s.hsds_extra, 'service_areas'),
        'languages', hsds_languages(s.id, NULL, NULL) || hsds_kept(s.hsds_extra, 'languages'),
        'attributes', hsds_service_attributes(s.id) || hsds_kept(s.hsds_extra, 'attributes'))
        || CASE WHEN with_locations THEN jsonb_build_object(
               'service_at_locations',
               (SELECT coalesce(jsonb_agg(hsds_service_at_location(sal, true, false)
                                          ORDER BY l.name, sal.id), '[]')
                  FROM service_at_location sal JOIN location l ON l.id = sal.location_id
                 WHERE sal.service_id = s.id))
           ELSE '{}' END
$$;

CREATE OR REPLACE FUNCTION hsds_organization(o organization, full_services boolean, board smallint) RETURNS jsonb
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT o.hsds_extra || hsds_organization_brief(o) || jsonb_build_object(
        'phones', hsds_phones(NULL, o.id, NULL, NULL) || hsds_kept(o.hsds_extra, 'phones'),
        'locations', (SELECT coalesce(jsonb_agg(hsds_location(l) ORDER BY l.name, l.id), '[]')
                        FROM location l WHERE l.organization_id = o.id),
        'services', (SELECT coalesce(jsonb_agg(CASE WHEN full_services THEN hsds_service(s, true) - 'organization'
                                                    ELSE hsds_service_brief(s) - 'organization' END
                                               ORDER BY s.name, s.id), '[]')
                       FROM service s
                      WHERE s.organization_id = o.id
                        AND (board IS NULL OR s.board_id IS NULL OR s.board_id = board)))
$$;

-- A schedule: a time an import brought written its own way is kept so.
CREATE OR REPLACE FUNCTION hsds_schedule(sc schedule) RETURNS jsonb
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT sc.hsds_extra || jsonb_strip_nulls(jsonb_build_object(
        'id', sc.id, 'valid_from', sc.valid_from, 'valid_to', sc.valid_to, 'dtstart', sc.dtstart,
        'timezone', sc.timezone, 'until', sc.until, 'count', sc.count, 'wkst', sc.wkst,
        'freq', sc.freq, 'interval', sc."interval", 'byday', sc.byday, 'byweekno', sc.byweekno,
        'bymonthday', sc.bymonthday, 'byyearday', sc.byyearday, 'description', sc.description,
        'opens_at', coalesce(sc.hsds_extra ->> 'opens_at', sc.opens_at::text),
        'closes_at', coalesce(sc.hsds_extra ->> 'closes_at', sc.closes_at::text),
        'schedule_link', sc.schedule_link, 'attending_type', sc.attending_type, 'notes', sc.notes))
$$;

-- A term: what its import kept (a parent this directory lacks, its own
-- language or taxonomy label) is published as it came.
CREATE OR REPLACE FUNCTION hsds_taxonomy_term(c category) RETURNS jsonb
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT jsonb_strip_nulls(jsonb_build_object(
        'id', c.id, 'code', coalesce(c.code, c.slug), 'name', c.name,
        'description', coalesce(c.description, c.name),
        'parent_id', c.parent_id, 'taxonomy', t.name, 'taxonomy_detail', hsds_taxonomy(t),
        'language', 'en', 'taxonomy_id', t.id, 'term_uri', c.term_uri)) || c.hsds_extra
      FROM taxonomy t WHERE t.id = c.taxonomy_id
$$;

GRANT EXECUTE ON FUNCTION hsds_kept(jsonb, text) TO links_app;
