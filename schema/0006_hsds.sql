-- 0006 the directory in Open Referral HSDS 3.0's shape, for the public
-- /hsds/ API and `linksctl export hsds`.
--
-- Each function builds one HSDS object from the tables (jsonb). Members
-- without a value are left out rather than sent as null: the standard's
-- schemas type them as strings or numbers, and "no value" is absence.
-- hsds_extra (what an import carried that the model does not use) goes
-- under the modelled members, which always win.
--
-- Only public directory data is published: no staff, no review owner, no
-- patient or referral data, nothing from the staff tables.

-- The functions call each other (a service nests its locations, a service
-- at a location nests its service): bodies are checked when first run.
SET LOCAL check_function_bodies = off;

CREATE FUNCTION hsds_timestamp(t timestamptz) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT to_char(t AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
$$;

-- The scalar members of an extra object: list shapes carry one-to-one
-- fields only, never nested arrays.
CREATE FUNCTION hsds_scalars(extra jsonb) RETURNS jsonb
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT coalesce(jsonb_object_agg(e.key, e.value), '{}')
      FROM jsonb_each(extra) e
     WHERE jsonb_typeof(e.value) NOT IN ('array', 'object')
$$;

CREATE FUNCTION hsds_languages(of_service uuid, of_location uuid, of_phone uuid) RETURNS jsonb
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT coalesce(jsonb_agg(l.hsds_extra || jsonb_strip_nulls(jsonb_build_object(
               'id', l.id, 'name', l.name, 'code', l.code, 'note', l.note))
             ORDER BY l.name, l.code, l.id), '[]')
      FROM language l
     WHERE l.service_id = of_service OR l.location_id = of_location OR l.phone_id = of_phone
$$;

CREATE FUNCTION hsds_phones(of_service uuid, of_organization uuid, of_location uuid, of_sal uuid)
RETURNS jsonb LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT coalesce(jsonb_agg(p.hsds_extra || jsonb_strip_nulls(jsonb_build_object(
               'id', p.id, 'number', p.number, 'extension', p.extension, 'type', p.type,
               'description', p.description))
               || jsonb_build_object('languages', hsds_languages(NULL, NULL, p.id))
             ORDER BY p.position, p.id), '[]')
      FROM phone p
     WHERE p.service_id = of_service OR p.organization_id = of_organization
        OR p.location_id = of_location OR p.service_at_location_id = of_sal
$$;

CREATE FUNCTION hsds_schedule(sc schedule) RETURNS jsonb
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT sc.hsds_extra || jsonb_strip_nulls(jsonb_build_object(
        'id', sc.id, 'valid_from', sc.valid_from, 'valid_to', sc.valid_to, 'dtstart', sc.dtstart,
        'timezone', sc.timezone, 'until', sc.until, 'count', sc.count, 'wkst', sc.wkst,
        'freq', sc.freq, 'interval', sc."interval", 'byday', sc.byday, 'byweekno', sc.byweekno,
        'bymonthday', sc.bymonthday, 'byyearday', sc.byyearday, 'description', sc.description,
        'opens_at', sc.opens_at::text, 'closes_at', sc.closes_at::text,
        'schedule_link', sc.schedule_link, 'attending_type', sc.attending_type, 'notes', sc.notes))
$$;

-- Schedules of a service everywhere (not tied to one of its locations).
CREATE FUNCTION hsds_service_schedules(of_service uuid) RETURNS jsonb
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT coalesce(jsonb_agg(hsds_schedule(sc) ORDER BY sc.opens_at, sc.byday, sc.id), '[]')
      FROM schedule sc
     WHERE sc.service_id = of_service AND sc.location_id IS NULL AND sc.service_at_location_id IS NULL
$$;

-- Schedules of a service at one of its locations.
CREATE FUNCTION hsds_sal_schedules(sal service_at_location) RETURNS jsonb
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT coalesce(jsonb_agg(hsds_schedule(sc) ORDER BY sc.opens_at, sc.byday, sc.id), '[]')
      FROM schedule sc
     WHERE sc.service_at_location_id = sal.id
        OR (sc.service_id = sal.service_id AND sc.location_id = sal.location_id
            AND sc.service_at_location_id IS NULL)
$$;

-- Opening hours of a location itself (of no one service).
CREATE FUNCTION hsds_location_schedules(of_location uuid) RETURNS jsonb
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT coalesce(jsonb_agg(hsds_schedule(sc) ORDER BY sc.opens_at, sc.byday, sc.id), '[]')
      FROM schedule sc
     WHERE sc.location_id = of_location AND sc.service_id IS NULL AND sc.service_at_location_id IS NULL
$$;

-- A location's one-to-one members (list shapes).
CREATE FUNCTION hsds_location_brief(l location) RETURNS jsonb
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT hsds_scalars(l.hsds_extra) || jsonb_strip_nulls(jsonb_build_object(
        'id', l.id, 'location_type', l.location_type, 'url', l.url, 'name', l.name,
        'alternate_name', l.alternate_name, 'description', l.description,
        'transportation', l.transportation, 'latitude', round(l.lat::numeric, 6),
        'longitude', round(l.lon::numeric, 6), 'external_identifier', l.external_identifier,
        'external_identifier_type', l.external_identifier_type))
$$;

-- Its address, when it has one the standard can carry (first line, town
-- and postcode), then any other addresses an import brought.
CREATE FUNCTION hsds_addresses(l location) RETURNS jsonb
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN l.address_1 IS NOT NULL AND l.city IS NOT NULL AND l.postcode IS NOT NULL
                THEN jsonb_build_array(jsonb_strip_nulls(jsonb_build_object(
                     'id', l.address_id, 'attention', l.address_attention,
                     'address_1', l.address_1, 'address_2', l.address_2, 'city', l.city,
                     'region', l.region,
                     'state_province', coalesce(l.state_province,
                                                CASE WHEN l.council_code LIKE 'S12%' THEN 'Scotland' END,
                                                ''),
                     'postal_code', l.postcode, 'country', l.country,
                     'address_type', l.address_type)))
                ELSE '[]' END
           || coalesce(l.hsds_extra -> 'other_addresses', '[]')
$$;

CREATE FUNCTION hsds_location(l location) RETURNS jsonb
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT (l.hsds_extra - 'other_addresses') || hsds_location_brief(l) || jsonb_build_object(
        'languages', hsds_languages(NULL, l.id, NULL),
        'addresses', hsds_addresses(l),
        'accessibility', (SELECT coalesce(jsonb_agg(a.hsds_extra || jsonb_strip_nulls(jsonb_build_object(
                                     'id', a.id, 'description', a.description, 'details', a.details,
                                     'url', a.url)) ORDER BY a.id), '[]')
                            FROM accessibility a WHERE a.location_id = l.id),
        'phones', hsds_phones(NULL, NULL, l.id, NULL),
        'schedules', hsds_location_schedules(l.id))
$$;

CREATE FUNCTION hsds_organization_brief(o organization) RETURNS jsonb
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT hsds_scalars(o.hsds_extra) || jsonb_strip_nulls(jsonb_build_object(
        'id', o.id, 'name', o.name, 'alternate_name', o.alternate_name,
        -- required by the standard: an organization without one has ''
        'description', coalesce(o.description, ''), 'email', o.email, 'website', o.url,
        'tax_status', o.tax_status, 'tax_id', o.tax_id, 'year_incorporated', o.year_incorporated,
        'legal_status', o.legal_status, 'logo', o.logo, 'uri', o.uri,
        'parent_organization_id', o.parent_organization_id))
$$;

CREATE FUNCTION hsds_taxonomy(t taxonomy) RETURNS jsonb
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT jsonb_strip_nulls(jsonb_build_object('id', t.id, 'name', t.name, 'description', t.description,
                                                'uri', t.uri, 'version', t.version))
$$;

CREATE FUNCTION hsds_taxonomy_term(c category) RETURNS jsonb
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT jsonb_strip_nulls(jsonb_build_object(
        'id', c.id, 'code', coalesce(c.code, c.slug), 'name', c.name,
        -- required by the standard; ALISS categories have none but their name
        'description', coalesce(c.description, c.name),
        'parent_id', c.parent_id, 'taxonomy', t.name, 'taxonomy_detail', hsds_taxonomy(t),
        'language', 'en', 'taxonomy_id', t.id, 'term_uri', c.term_uri))
      FROM taxonomy t WHERE t.id = c.taxonomy_id
$$;

-- A service's categories as HSDS attributes.
CREATE FUNCTION hsds_service_attributes(of_service uuid) RETURNS jsonb
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT coalesce(jsonb_agg(jsonb_build_object('link_type', 'category', 'link_entity', 'service')
                              || sc.hsds_extra
                              || jsonb_build_object('id', sc.id, 'link_id', sc.service_id,
                                                    'taxonomy_term_id', c.id,
                                                    'taxonomy_term', hsds_taxonomy_term(c))
                              ORDER BY c.name, c.id), '[]')
      FROM service_category sc JOIN category c ON c.id = sc.category_id
     WHERE sc.service_id = of_service
$$;

-- A service's one-to-one members, with its organization (list shapes).
CREATE FUNCTION hsds_service_brief(s service) RETURNS jsonb
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT hsds_scalars(s.hsds_extra) || jsonb_strip_nulls(jsonb_build_object(
        'id', s.id, 'organization_id', s.organization_id, 'name', s.name,
        'alternate_name', s.alternate_name, 'description', s.description, 'url', s.url,
        'email', s.email, 'status', s.status, 'interpretation_services', s.interpretation_services,
        'application_process', s.application_process, 'fees_description', s.fees_description,
        'wait_time', s.wait_time, 'accreditations', s.accreditations,
        'eligibility_description', s.eligibility_description, 'minimum_age', s.minimum_age,
        'maximum_age', s.maximum_age, 'assured_date', s.last_reviewed, 'licenses', s.licenses,
        'alert', s.alert, 'last_modified', hsds_timestamp(s.last_modified)))
        || jsonb_build_object('organization', (SELECT hsds_organization_brief(o) FROM organization o
                                                WHERE o.id = s.organization_id))
$$;

CREATE FUNCTION hsds_service_area(a service_area) RETURNS jsonb
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT a.hsds_extra || jsonb_strip_nulls(jsonb_build_object(
        'id', a.id, 'name', a.name, 'description', a.description, 'extent', a.extent,
        'extent_type', a.extent_type, 'uri', a.uri))
$$;

-- A service at one location; with_service adds the service (the
-- /service_at_locations shapes) and full adds phones, schedules and the
-- location's nested members.
CREATE FUNCTION hsds_service_at_location(sal service_at_location, nested boolean, with_service boolean)
RETURNS jsonb LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN nested THEN sal.hsds_extra ELSE hsds_scalars(sal.hsds_extra) END
        || jsonb_strip_nulls(jsonb_build_object('id', sal.id, 'description', sal.description))
        || CASE WHEN nested THEN jsonb_build_object(
               'phones', hsds_phones(NULL, NULL, NULL, sal.id),
               'schedules', hsds_sal_schedules(sal))
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

-- The fully nested service; with_locations false leaves out its
-- service_at_locations (a service nested in one of them).
CREATE FUNCTION hsds_service(s service, with_locations boolean) RETURNS jsonb
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT s.hsds_extra || hsds_service_brief(s) || jsonb_build_object(
        'phones', hsds_phones(s.id, NULL, NULL, NULL),
        'schedules', hsds_service_schedules(s.id),
        'service_areas', (SELECT coalesce(jsonb_agg(hsds_service_area(a) ORDER BY a.name, a.id), '[]')
                            FROM service_area a WHERE a.service_id = s.id),
        'languages', hsds_languages(s.id, NULL, NULL),
        'attributes', hsds_service_attributes(s.id))
        || CASE WHEN with_locations THEN jsonb_build_object(
               'service_at_locations',
               (SELECT coalesce(jsonb_agg(hsds_service_at_location(sal, true, false)
                                          ORDER BY l.name, sal.id), '[]')
                  FROM service_at_location sal JOIN location l ON l.id = sal.location_id
                 WHERE sal.service_id = s.id))
           ELSE '{}' END
$$;

-- The fully nested organization with its services (one-to-one members
-- each, or fully nested with full_services).
CREATE FUNCTION hsds_organization(o organization, full_services boolean, board smallint) RETURNS jsonb
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT o.hsds_extra || hsds_organization_brief(o) || jsonb_build_object(
        'phones', hsds_phones(NULL, o.id, NULL, NULL),
        'locations', (SELECT coalesce(jsonb_agg(hsds_location(l) ORDER BY l.name, l.id), '[]')
                        FROM location l WHERE l.organization_id = o.id),
        'services', (SELECT coalesce(jsonb_agg(CASE WHEN full_services THEN hsds_service(s, true)
                                                    ELSE hsds_service_brief(s) - 'organization' END
                                               ORDER BY s.name, s.id), '[]')
                       FROM service s
                      WHERE s.organization_id = o.id
                        AND (board IS NULL OR s.board_id IS NULL OR s.board_id = board)))
$$;

DO $$
DECLARE
    f text;
BEGIN
    FOR f IN SELECT p.oid::regprocedure::text FROM pg_proc p
              WHERE p.proname LIKE 'hsds\_%' AND p.pronamespace = 'public'::regnamespace
    LOOP
        EXECUTE format('GRANT EXECUTE ON FUNCTION %s TO links_app', f);
    END LOOP;
END $$;
