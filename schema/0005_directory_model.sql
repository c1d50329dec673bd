-- 0005 the complete directory model, shaped after Open Referral HSDS 3.0
-- (docs/HSDS.md maps each table and column to the standard):
--
--   service            + alternate name, how to access it, ages, referrals
--                        and capacity, alert, accreditations, last_modified
--   organization       + alternate name, logo, legal and tax status, parent
--   location           + type (physical, postal, virtual), description,
--                        transport, identifiers; its physical address inline
--   phone              numbers of a service, organization, location or
--                      service at a location (service.phone is kept as the
--                      first of a service's numbers, for search pages)
--   language           languages of a service, location or phone
--   accessibility      accessibility of a location
--   service_area       areas a service covers without being near them: a
--                      council area, a whole board, all of Scotland, a
--                      postcode district
--   schedule           + monthly recurrences, validity, overnight hours
--   schedule_exception a date or dates a service is closed or keeps other
--                      hours (bank holidays, a closure for repairs)
--   taxonomy           the category tree's vocabulary (ALISS categories)
--
-- hsds_extra keeps the HSDS members a row was imported with that this
-- model does not use (contacts, funding, programs...), so a directory
-- imported from another system is published again as it came.
--
-- Every new board-owned table is public to read and changed only by its
-- own board, like the rest of the directory (0002_directory.sql).

------------------------------------------------------------------------
-- Organizations
ALTER TABLE organization
    ADD COLUMN alternate_name text,
    ADD COLUMN logo text,
    ADD COLUMN uri text,
    ADD COLUMN year_incorporated integer CHECK (year_incorporated BETWEEN 1000 AND 2200),
    ADD COLUMN legal_status text,
    ADD COLUMN tax_status text,
    ADD COLUMN tax_id text,
    ADD COLUMN parent_organization_id uuid,
    ADD COLUMN last_modified timestamptz NOT NULL DEFAULT now(),
    ADD COLUMN hsds_extra jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(hsds_extra) = 'object');

------------------------------------------------------------------------
-- Services
ALTER TABLE service
    ADD COLUMN alternate_name text,
    -- how to access it: "ring to book", "drop in", "ask your GP to refer"
    ADD COLUMN application_process text,
    ADD COLUMN interpretation_services text,
    ADD COLUMN wait_time text,
    ADD COLUMN accreditations text,
    ADD COLUMN licenses text,
    -- a short notice shown first: "closed for refurbishment until May"
    ADD COLUMN alert text,
    ADD COLUMN minimum_age numeric CHECK (minimum_age >= 0 AND minimum_age <= 130),
    ADD COLUMN maximum_age numeric CHECK (maximum_age >= 0 AND maximum_age <= 130),
    -- Whether practices may refer patients to it, and how full it is (the
    -- shape HSDS 3.1 gives service_capacity): NULL available = not known.
    ADD COLUMN accepts_referrals boolean NOT NULL DEFAULT false,
    ADD COLUMN capacity_available integer CHECK (capacity_available >= 0),
    ADD COLUMN capacity_maximum integer CHECK (capacity_maximum > 0),
    ADD COLUMN capacity_unit text CHECK (capacity_unit <> ''),
    ADD COLUMN capacity_updated timestamptz,
    ADD COLUMN last_modified timestamptz NOT NULL DEFAULT now(),
    -- bumped by every change: the ETag of optimistic concurrency
    ADD COLUMN version integer NOT NULL DEFAULT 1 CHECK (version > 0),
    ADD COLUMN hsds_extra jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(hsds_extra) = 'object'),
    ADD CONSTRAINT service_age_range CHECK (minimum_age <= maximum_age),
    ADD CONSTRAINT service_capacity_range CHECK (capacity_available <= capacity_maximum),
    ADD CONSTRAINT service_capacity_updated CHECK ((capacity_available IS NULL) = (capacity_updated IS NULL));

------------------------------------------------------------------------
-- Locations: virtual and postal locations need no coordinates; a physical
-- one outside the postcodes this deployment knows may have none either
-- (it is then found by text and area, not by distance).
ALTER TABLE location
    ADD COLUMN location_type text NOT NULL DEFAULT 'physical'
        CHECK (location_type IN ('physical', 'postal', 'virtual')),
    ADD COLUMN alternate_name text,
    ADD COLUMN description text,
    ADD COLUMN transportation text,
    ADD COLUMN url text,
    ADD COLUMN external_identifier text,
    ADD COLUMN external_identifier_type text,
    -- the address, HSDS's address object (id kept for the standard)
    ADD COLUMN address_id uuid NOT NULL DEFAULT gen_random_uuid() UNIQUE,
    ADD COLUMN address_attention text,
    ADD COLUMN address_2 text,
    ADD COLUMN region text,
    ADD COLUMN state_province text,
    ADD COLUMN country text NOT NULL DEFAULT 'GB' CHECK (country ~ '^[A-Z]{2}$'),
    ADD COLUMN address_type text NOT NULL DEFAULT 'physical'
        CHECK (address_type IN ('physical', 'postal', 'virtual')),
    ADD COLUMN hsds_extra jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(hsds_extra) = 'object'),
    ALTER COLUMN address_1 DROP NOT NULL,
    ALTER COLUMN city DROP NOT NULL,
    ALTER COLUMN postcode DROP NOT NULL,
    ALTER COLUMN lat DROP NOT NULL,
    ALTER COLUMN lon DROP NOT NULL,
    ADD CHECK ((lat IS NULL) = (lon IS NULL)),
    ADD CHECK (lat BETWEEN -90 AND 90 AND lon BETWEEN -180 AND 180);

-- Place a location from its postcode when no coordinates are given; a
-- location without a postcode (virtual, or abroad) is left unplaced.
CREATE OR REPLACE FUNCTION location_place() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    p postcode%ROWTYPE;
BEGIN
    IF NEW.postcode IS NULL THEN
        RETURN NEW;
    END IF;
    SELECT * INTO p FROM postcode WHERE postcode.postcode = NEW.postcode;
    IF NEW.lat IS NULL THEN
        IF NOT FOUND AND NEW.location_type = 'physical' AND NEW.country = 'GB'
           AND NEW.postcode ~ '^(G|KY)[0-9]' THEN
            RAISE EXCEPTION 'unknown postcode %', NEW.postcode USING ERRCODE = '22023';
        END IF;
        NEW.lat := p.lat;
        NEW.lon := p.lon;
    END IF;
    IF NEW.council_code IS NULL AND FOUND THEN
        NEW.council_code := p.council_code;
    END IF;
    RETURN NEW;
END $$;

-- Places of a service come only from placed locations.
CREATE OR REPLACE FUNCTION service_refresh_places(targets uuid[]) RETURNS void
LANGUAGE sql AS $$
    UPDATE service s SET
        location_points = coalesce(p.points, '{}'),
        places_box = p.bbox,
        location_councils = coalesce(p.councils, '{}'),
        location_sectors = coalesce(p.sectors, '{}')
    FROM (SELECT t.id,
                 array_agg(l.geo ORDER BY l.id) FILTER (WHERE l.geo IS NOT NULL) AS points,
                 CASE WHEN count(l.geo) > 0
                      THEN box(point(min(l.lon), min(l.lat)), point(max(l.lon), max(l.lat))) END AS bbox,
                 array_agg(DISTINCT l.council_code) FILTER (WHERE l.council_code IS NOT NULL) AS councils,
                 array_agg(DISTINCT l.sector) FILTER (WHERE l.sector IS NOT NULL) AS sectors
            FROM (SELECT DISTINCT unnest(targets) AS id) t
            LEFT JOIN service_at_location sal ON sal.service_id = t.id
            LEFT JOIN location l ON l.id = sal.location_id
           GROUP BY t.id) p
    WHERE s.id = p.id
$$;

ALTER TABLE service_at_location
    ADD COLUMN description text,
    ADD COLUMN hsds_extra jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(hsds_extra) = 'object'),
    ADD UNIQUE (board_id, id);

------------------------------------------------------------------------
-- Phones. Each belongs to exactly one of a service, an organization, a
-- location or a service at a location; `position` orders a service's
-- numbers (the first is the one search pages show).
CREATE TABLE phone (
    board_id                smallint REFERENCES board (id),
    id                      uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    service_id              uuid REFERENCES service (id) ON DELETE CASCADE,
    organization_id         uuid REFERENCES organization (id) ON DELETE CASCADE,
    location_id             uuid REFERENCES location (id) ON DELETE CASCADE,
    service_at_location_id  uuid REFERENCES service_at_location (id) ON DELETE CASCADE,
    number                  text NOT NULL CHECK (number <> '' AND number !~ '[\x01-\x1f]'),
    extension               integer CHECK (extension >= 0),
    type                    text CHECK (type IN ('text', 'voice', 'fax', 'cell', 'video', 'pager', 'textphone')),
    description             text,
    position                smallint NOT NULL DEFAULT 0,
    hsds_extra              jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(hsds_extra) = 'object'),
    UNIQUE (board_id, id),
    CHECK (num_nonnulls(service_id, organization_id, location_id, service_at_location_id) = 1),
    FOREIGN KEY (board_id, service_id) REFERENCES service (board_id, id) ON DELETE CASCADE,
    FOREIGN KEY (board_id, organization_id) REFERENCES organization (board_id, id) ON DELETE CASCADE,
    FOREIGN KEY (board_id, location_id) REFERENCES location (board_id, id) ON DELETE CASCADE,
    FOREIGN KEY (board_id, service_at_location_id) REFERENCES service_at_location (board_id, id) ON DELETE CASCADE
);
CREATE INDEX phone_service_idx ON phone (service_id) WHERE service_id IS NOT NULL;
CREATE INDEX phone_organization_idx ON phone (organization_id) WHERE organization_id IS NOT NULL;
CREATE INDEX phone_location_idx ON phone (location_id) WHERE location_id IS NOT NULL;
CREATE INDEX phone_sal_idx ON phone (service_at_location_id) WHERE service_at_location_id IS NOT NULL;

-- service.phone: the service's first number, kept for search pages.
CREATE FUNCTION service_refresh_phone(targets uuid[]) RETURNS void
LANGUAGE sql AS $$
    UPDATE service s SET phone = f.number
      FROM (SELECT t.id,
                   (SELECT p.number FROM phone p WHERE p.service_id = t.id
                     ORDER BY p.position, p.id LIMIT 1) AS number
              FROM (SELECT DISTINCT unnest(targets) AS id) t) f
     WHERE s.id = f.id AND s.phone IS DISTINCT FROM f.number
$$;

CREATE TRIGGER phone_inserted AFTER INSERT ON phone
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT
    EXECUTE FUNCTION refresh_changed_services('service_refresh_phone');
CREATE TRIGGER phone_deleted AFTER DELETE ON phone
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT
    EXECUTE FUNCTION refresh_changed_services('service_refresh_phone');
CREATE TRIGGER phone_updated AFTER UPDATE ON phone
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT
    EXECUTE FUNCTION refresh_changed_services('service_refresh_phone');

-- Every number services had becomes their first phone row.
INSERT INTO phone (board_id, id, service_id, number, type)
SELECT board_id, md5('links:service-phone:' || id)::uuid, id, phone, 'voice'
  FROM service WHERE phone IS NOT NULL;

------------------------------------------------------------------------
-- Languages (ISO 639 codes) a service is offered in, spoken at a location
-- or answered on a phone.
CREATE TABLE language (
    board_id    smallint REFERENCES board (id),
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    service_id  uuid REFERENCES service (id) ON DELETE CASCADE,
    location_id uuid REFERENCES location (id) ON DELETE CASCADE,
    phone_id    uuid REFERENCES phone (id) ON DELETE CASCADE,
    name        text CHECK (name <> ''),
    code        text CHECK (code ~ '^[a-z]{2,3}(-[A-Za-z0-9]{1,8})*$'),
    note        text,
    hsds_extra  jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(hsds_extra) = 'object'),
    UNIQUE (board_id, id),
    CHECK (num_nonnulls(service_id, location_id, phone_id) = 1),
    CHECK (num_nonnulls(name, code) >= 1),
    FOREIGN KEY (board_id, service_id) REFERENCES service (board_id, id) ON DELETE CASCADE,
    FOREIGN KEY (board_id, location_id) REFERENCES location (board_id, id) ON DELETE CASCADE,
    FOREIGN KEY (board_id, phone_id) REFERENCES phone (board_id, id) ON DELETE CASCADE
);
CREATE INDEX language_service_idx ON language (service_id) WHERE service_id IS NOT NULL;
CREATE INDEX language_location_idx ON language (location_id) WHERE location_id IS NOT NULL;
CREATE INDEX language_phone_idx ON language (phone_id) WHERE phone_id IS NOT NULL;

------------------------------------------------------------------------
-- Accessibility of a location: step-free access, hearing loop...
CREATE TABLE accessibility (
    board_id    smallint REFERENCES board (id),
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    location_id uuid NOT NULL REFERENCES location (id) ON DELETE CASCADE,
    description text,
    details     text,
    url         text,
    hsds_extra  jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(hsds_extra) = 'object'),
    UNIQUE (board_id, id),
    CHECK (num_nonnulls(description, details, url) >= 1),
    FOREIGN KEY (board_id, location_id) REFERENCES location (board_id, id) ON DELETE CASCADE
);
CREATE INDEX accessibility_location_idx ON accessibility (location_id);

------------------------------------------------------------------------
-- Service areas: where a service takes people from, whatever its distance.
-- `kind` and `code` are what search matches: a council area (S12...), a
-- board (S08...), all of Scotland (S92000003), or a postcode district
-- (G12); `kind` 'other' is a described area search cannot match (kept
-- from imports). HSDS's name, description, extent and uri are published.
CREATE TABLE service_area (
    board_id    smallint REFERENCES board (id),
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    service_id  uuid NOT NULL REFERENCES service (id) ON DELETE CASCADE,
    kind        text NOT NULL CHECK (kind IN ('council', 'board', 'scotland', 'district', 'other')),
    code        text,
    name        text NOT NULL CHECK (name <> ''),
    description text,
    extent      text,
    extent_type text,
    uri         text,
    hsds_extra  jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(hsds_extra) = 'object'),
    UNIQUE (board_id, id),
    CHECK (CASE kind WHEN 'council' THEN code ~ '^S12[0-9]{6}$'
                     WHEN 'board' THEN code ~ '^S08[0-9]{6}$'
                     WHEN 'scotland' THEN code = 'S92000003'
                     WHEN 'district' THEN code ~ '^[A-Z]{1,2}[0-9][0-9A-Z]?$'
                     ELSE code IS NULL END),
    FOREIGN KEY (board_id, service_id) REFERENCES service (board_id, id) ON DELETE CASCADE
);
CREATE INDEX service_area_service_idx ON service_area (service_id);
CREATE INDEX service_area_code_idx ON service_area (kind, code);

------------------------------------------------------------------------
-- Schedules: weekly or monthly recurrences (RFC 5545 as HSDS has them),
-- valid between two dates if given. closes_at before opens_at means the
-- service closes the next day (an overnight shelter: 22:00 to 08:00).
ALTER TABLE schedule
    DROP CONSTRAINT schedule_freq_check,
    DROP CONSTRAINT schedule_byday_check,
    DROP CONSTRAINT schedule_check,
    ALTER COLUMN service_id DROP NOT NULL,
    ALTER COLUMN byday DROP NOT NULL,
    ALTER COLUMN opens_at DROP NOT NULL,
    ALTER COLUMN closes_at DROP NOT NULL,
    ADD COLUMN service_at_location_id uuid REFERENCES service_at_location (id) ON DELETE CASCADE,
    ADD COLUMN valid_from date,
    ADD COLUMN valid_to date,
    ADD COLUMN dtstart date,
    ADD COLUMN until date,
    ADD COLUMN count integer CHECK (count > 0),
    ADD COLUMN "interval" integer NOT NULL DEFAULT 1 CHECK ("interval" BETWEEN 1 AND 52),
    ADD COLUMN wkst text CHECK (wkst IN ('MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU')),
    ADD COLUMN byweekno text CHECK (byweekno ~ '^-?[0-9]{1,2}(,-?[0-9]{1,2})*$'),
    ADD COLUMN bymonthday text CHECK (bymonthday ~ '^-?[0-9]{1,2}(,-?[0-9]{1,2})*$'),
    ADD COLUMN byyearday text CHECK (byyearday ~ '^-?[0-9]{1,3}(,-?[0-9]{1,3})*$'),
    ADD COLUMN timezone numeric CHECK (timezone BETWEEN -12 AND 14),
    ADD COLUMN schedule_link text,
    ADD COLUMN attending_type text,
    ADD COLUMN notes text,
    ADD COLUMN hsds_extra jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(hsds_extra) = 'object'),
    ADD CHECK (freq IN ('WEEKLY', 'MONTHLY')),
    -- WEEKLY: 'MO', 'TU,TH'; MONTHLY: '1MO' (first Monday), '-1FR' (last Friday)
    ADD CHECK (byday ~ '^([+-]?[1-5])?(MO|TU|WE|TH|FR|SA|SU)(,([+-]?[1-5])?(MO|TU|WE|TH|FR|SA|SU))*$'),
    ADD CHECK ((opens_at IS NULL) = (closes_at IS NULL)),
    ADD CHECK (opens_at IS NULL OR closes_at <> opens_at),
    ADD CHECK (valid_from <= valid_to),
    ADD CHECK (num_nonnulls(service_id, location_id, service_at_location_id) >= 1),
    ADD FOREIGN KEY (board_id, service_at_location_id) REFERENCES service_at_location (board_id, id) ON DELETE CASCADE;
CREATE INDEX schedule_sal_idx ON schedule (service_at_location_id) WHERE service_at_location_id IS NOT NULL;

-- Exceptions to the regular hours, for a service everywhere (location_id
-- NULL) or at one location: closed on those days, or open other hours.
CREATE TABLE schedule_exception (
    board_id    smallint REFERENCES board (id),
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    service_id  uuid NOT NULL REFERENCES service (id) ON DELETE CASCADE,
    location_id uuid REFERENCES location (id) ON DELETE CASCADE,
    starts_on   date NOT NULL,
    ends_on     date NOT NULL,
    closed      boolean NOT NULL,
    opens_at    time,
    closes_at   time,
    description text CHECK (description <> ''),
    UNIQUE (board_id, id),
    CHECK (ends_on >= starts_on AND ends_on - starts_on < 366),
    CHECK (closed = (opens_at IS NULL) AND (opens_at IS NULL) = (closes_at IS NULL)),
    CHECK (opens_at IS NULL OR closes_at <> opens_at),
    FOREIGN KEY (board_id, service_id) REFERENCES service (board_id, id) ON DELETE CASCADE,
    FOREIGN KEY (board_id, location_id) REFERENCES location (board_id, id) ON DELETE CASCADE
);
CREATE INDEX schedule_exception_service_idx ON schedule_exception (service_id, ends_on);

------------------------------------------------------------------------
-- Taxonomies: the vocabulary each category belongs to. The ALISS tree is
-- the one shipped; imported directories may bring their own.
CREATE TABLE taxonomy (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name        text NOT NULL UNIQUE CHECK (name <> ''),
    description text NOT NULL,
    uri         text,
    version     text
);
INSERT INTO taxonomy (id, name, description, uri, version)
VALUES (md5('links:taxonomy:aliss')::uuid, 'ALISS categories',
        'The categories of ALISS (A Local Information System for Scotland), used to describe '
        'community services across Scotland.', 'https://www.aliss.org/', '2019');

ALTER TABLE category
    ADD COLUMN taxonomy_id uuid REFERENCES taxonomy (id),
    ADD COLUMN code text,
    ADD COLUMN description text,
    ADD COLUMN term_uri text;
UPDATE category SET taxonomy_id = md5('links:taxonomy:aliss')::uuid;
ALTER TABLE category ALTER COLUMN taxonomy_id SET DEFAULT md5('links:taxonomy:aliss')::uuid,
                     ALTER COLUMN taxonomy_id SET NOT NULL;

-- A service's category link is HSDS's attribute: it needs an id, and may
-- carry the attribute's link_type and value from an import.
ALTER TABLE service_category
    ADD COLUMN id uuid NOT NULL DEFAULT gen_random_uuid() UNIQUE,
    ADD COLUMN hsds_extra jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(hsds_extra) = 'object');

------------------------------------------------------------------------
-- Row-level security on the new board-owned tables, as on the rest of the
-- directory: public to read, changed only by the row's own board.
DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['phone', 'language', 'accessibility', 'service_area', 'schedule_exception']
    LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
        EXECUTE format('CREATE POLICY directory_is_public ON %I FOR SELECT USING (true)', t);
        EXECUTE format('CREATE POLICY board_changes_own_rows ON %I FOR ALL
                            USING (board_id = current_board_id())
                            WITH CHECK (board_id = current_board_id())', t);
        EXECUTE format('GRANT SELECT ON %I TO links_app', t);
    END LOOP;
END $$;
GRANT SELECT ON taxonomy TO links_app;
