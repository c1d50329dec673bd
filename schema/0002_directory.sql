-- 0002 the directory: practices, categories, organizations, services,
-- locations (Open Referral HSDS 3.0 shaped, UUID ids).
--
-- Board-owned rows carry board_id first. A NULL board_id marks a national
-- row, visible to every board. Row-level security is enabled and forced on
-- every board-owned table: the runtime role sees only rows of the board set
-- for the transaction with set_config('app.board_id', id, true).

-- The board of the current transaction, or NULL when none is set.
CREATE FUNCTION current_board_id() RETURNS smallint
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT nullif(current_setting('app.board_id', true), '')::smallint
$$;
GRANT EXECUTE ON FUNCTION current_board_id() TO links_app;

CREATE TABLE practice (
    board_id            smallint NOT NULL REFERENCES board (id),
    id                  uuid NOT NULL DEFAULT gen_random_uuid(),
    code                text NOT NULL CHECK (code ~ '^[0-9]{5}$'),
    name                text NOT NULL,
    address             text NOT NULL,
    postcode            text NOT NULL,
    phone               text,
    list_size           integer NOT NULL CHECK (list_size > 0),
    -- the open practice file has no list sizes: demo sizes are generated
    list_size_synthetic boolean NOT NULL DEFAULT false,
    has_links_worker    boolean NOT NULL DEFAULT false,
    lat                 double precision,
    lon                 double precision,
    PRIMARY KEY (board_id, id),
    UNIQUE (id),
    UNIQUE (code)
);

-- Two-level (in ALISS data, up to three-level) category tree:
-- HSDS taxonomy_term. National.
CREATE TABLE category (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    parent_id   uuid REFERENCES category (id),
    slug        text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
    name        text NOT NULL CHECK (name <> '' AND name !~ '[\x01-\x1f]'),
    -- this category and all its ancestors, maintained by trigger
    lineage     uuid[] NOT NULL DEFAULT '{}'
);

CREATE FUNCTION category_set_lineage() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.parent_id IS NULL THEN
        NEW.lineage := ARRAY[NEW.id];
    ELSE
        SELECT lineage || NEW.id INTO NEW.lineage FROM category WHERE id = NEW.parent_id;
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER category_lineage BEFORE INSERT OR UPDATE OF parent_id ON category
    FOR EACH ROW EXECUTE FUNCTION category_set_lineage();

CREATE TABLE organization (
    board_id    smallint REFERENCES board (id),
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name        text NOT NULL,
    description text,
    url         text,
    email       text,
    UNIQUE (board_id, id)
);

CREATE TABLE service (
    board_id            smallint REFERENCES board (id),
    id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    organization_id     uuid NOT NULL REFERENCES organization (id),
    name                text NOT NULL,
    description         text NOT NULL DEFAULT '',
    url                 text,
    email               text,
    phone               text,
    status              text NOT NULL DEFAULT 'active'
                        CHECK (status IN ('active', 'inactive', 'defunct', 'temporarily closed')),
    fees_description    text,
    is_free             boolean NOT NULL DEFAULT true,
    eligibility_description text,
    -- 'local': serves people near its locations; 'board': the whole board;
    -- 'national': all of Scotland
    area                text NOT NULL DEFAULT 'local' CHECK (area IN ('local', 'board', 'national')),
    -- extra search words, e.g. the names of its categories (maintained by trigger)
    keywords            text NOT NULL DEFAULT '',
    -- categories and their ancestors (maintained by trigger)
    category_lineage    uuid[] NOT NULL DEFAULT '{}',
    -- its categories as the API shows them, [{slug, name}] by name
    -- (maintained by trigger, so a search page need not look them up)
    category_summary    json NOT NULL DEFAULT '[]',
    -- Where the service is, copied from its locations (maintained by
    -- trigger) so search can combine the text and place indexes on one
    -- table (a BitmapAnd) instead of joining thousands of rows first.
    location_points     point[] NOT NULL DEFAULT '{}',      -- point(lon, lat) each
    places_box          box,                                -- bounding box of them
    location_councils   text[] NOT NULL DEFAULT '{}',
    location_sectors    text[] NOT NULL DEFAULT '{}',       -- "G12 8"
    last_reviewed       date,
    review_due          date,
    demo                boolean NOT NULL DEFAULT false,
    search_vector       tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('english', name), 'A') ||
        setweight(to_tsvector('english', keywords), 'B') ||
        setweight(to_tsvector('english', description), 'C')) STORED,
    UNIQUE (board_id, id),
    CHECK ((area = 'national') = (board_id IS NULL))
);
CREATE INDEX service_search_idx ON service USING gin (search_vector);
CREATE INDEX service_category_lineage_idx ON service USING gin (category_lineage);
CREATE INDEX service_board_idx ON service (board_id);
-- Foreign keys are checked from the referenced side too: deleting an
-- organization must not scan every service and location.
CREATE INDEX service_organization_idx ON service (organization_id);
CREATE INDEX service_wide_idx ON service (board_id) WHERE area <> 'local';
-- Where local services are: search ANDs this with the text index (GIN)
-- in one bitmap, so it reads only services that match both. (A single
-- GiST over (places_box, search_vector) measured 10% slower: tsvector
-- signatures barely prune inside a dense city.)
CREATE INDEX service_places_idx ON service USING gist (places_box) WHERE area = 'local';

CREATE TABLE service_category (
    service_id  uuid NOT NULL REFERENCES service (id) ON DELETE CASCADE,
    category_id uuid NOT NULL REFERENCES category (id),
    board_id    smallint REFERENCES board (id),
    PRIMARY KEY (service_id, category_id)
);
CREATE INDEX service_category_category_idx ON service_category (category_id);

-- Keep service.keywords and service.category_lineage in step with its
-- categories (triggers below).
CREATE FUNCTION service_refresh_categories(targets uuid[]) RETURNS void
LANGUAGE sql AS $$
    UPDATE service s SET
        keywords = coalesce(c.names, ''),
        category_lineage = coalesce(g.lineage, '{}'),
        category_summary = coalesce(c.summary, '[]')
    FROM (SELECT t.id,
                 string_agg(cat.name, ' ' ORDER BY cat.name) AS names,
                 json_agg(json_build_object('slug', cat.slug, 'name', cat.name) ORDER BY cat.name, cat.slug)
                     FILTER (WHERE cat.id IS NOT NULL) AS summary
            FROM (SELECT DISTINCT unnest(targets) AS id) t
            LEFT JOIN service_category sc ON sc.service_id = t.id
            LEFT JOIN category cat ON cat.id = sc.category_id
           GROUP BY t.id) c
    LEFT JOIN (SELECT sc.service_id AS id, array_agg(DISTINCT l) AS lineage
                 FROM service_category sc
                 JOIN category cat ON cat.id = sc.category_id
                 CROSS JOIN LATERAL unnest(cat.lineage) l
                WHERE sc.service_id = ANY (targets)
                GROUP BY sc.service_id) g ON g.id = c.id
    WHERE s.id = c.id
$$;

-- Refresh the services whose rows in a link table changed in one statement:
-- TG_ARGV[0] names the refresh function. Statement-level with transition
-- tables, so a bulk load refreshes each service once, set-based.
CREATE FUNCTION refresh_changed_services() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    changed uuid[];
BEGIN
    IF TG_OP = 'INSERT' THEN
        changed := ARRAY(SELECT service_id FROM new_rows);
    ELSIF TG_OP = 'DELETE' THEN
        changed := ARRAY(SELECT service_id FROM old_rows);
    ELSE
        changed := ARRAY(SELECT service_id FROM new_rows UNION SELECT service_id FROM old_rows);
    END IF;
    EXECUTE format('SELECT %I($1)', TG_ARGV[0]) USING changed;
    RETURN NULL;
END $$;

CREATE TRIGGER service_category_inserted AFTER INSERT ON service_category
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT
    EXECUTE FUNCTION refresh_changed_services('service_refresh_categories');
CREATE TRIGGER service_category_deleted AFTER DELETE ON service_category
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT
    EXECUTE FUNCTION refresh_changed_services('service_refresh_categories');
CREATE TRIGGER service_category_updated AFTER UPDATE ON service_category
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT
    EXECUTE FUNCTION refresh_changed_services('service_refresh_categories');

CREATE TABLE location (
    board_id        smallint REFERENCES board (id),
    id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    organization_id uuid REFERENCES organization (id),
    name            text NOT NULL,
    address_1       text NOT NULL,
    city            text NOT NULL,
    postcode        text NOT NULL,
    district        text GENERATED ALWAYS AS (split_part(postcode, ' ', 1)) STORED,
    sector          text GENERATED ALWAYS AS (left(postcode, length(postcode) - 2)) STORED,
    lat             double precision NOT NULL,
    lon             double precision NOT NULL,
    council_code    text,
    geo             point GENERATED ALWAYS AS (point(lon, lat)) STORED,
    UNIQUE (board_id, id)
);
CREATE INDEX location_geo_idx ON location USING gist (geo);
CREATE INDEX location_organization_idx ON location (organization_id);

-- Place a location from its postcode when no coordinates are given.
CREATE FUNCTION location_place() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    p postcode%ROWTYPE;
BEGIN
    SELECT * INTO p FROM postcode WHERE postcode.postcode = NEW.postcode;
    IF NEW.lat IS NULL OR NEW.lon IS NULL THEN
        IF NOT FOUND THEN
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
CREATE TRIGGER location_place BEFORE INSERT OR UPDATE OF postcode, lat, lon ON location
    FOR EACH ROW EXECUTE FUNCTION location_place();

CREATE TABLE service_at_location (
    board_id    smallint REFERENCES board (id),
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    service_id  uuid NOT NULL REFERENCES service (id) ON DELETE CASCADE,
    location_id uuid NOT NULL REFERENCES location (id) ON DELETE CASCADE,
    UNIQUE (service_id, location_id)
);
CREATE INDEX service_at_location_location_idx ON service_at_location (location_id);

-- Keep service.location_* and places_box in step with its locations
-- (triggers below).
CREATE FUNCTION service_refresh_places(targets uuid[]) RETURNS void
LANGUAGE sql AS $$
    -- Joins and GROUP BY, not a subquery per service: a bulk load of 25,000
    -- rows into tables without statistics yet stays linear.
    UPDATE service s SET
        location_points = coalesce(p.points, '{}'),
        places_box = p.bbox,
        location_councils = coalesce(p.councils, '{}'),
        location_sectors = coalesce(p.sectors, '{}')
    FROM (SELECT t.id,
                 array_agg(l.geo ORDER BY l.id) FILTER (WHERE l.id IS NOT NULL) AS points,
                 CASE WHEN count(l.id) > 0
                      THEN box(point(min(l.lon), min(l.lat)), point(max(l.lon), max(l.lat))) END AS bbox,
                 array_agg(DISTINCT l.council_code) FILTER (WHERE l.council_code IS NOT NULL) AS councils,
                 array_agg(DISTINCT l.sector) FILTER (WHERE l.sector IS NOT NULL) AS sectors
            FROM (SELECT DISTINCT unnest(targets) AS id) t
            LEFT JOIN service_at_location sal ON sal.service_id = t.id
            LEFT JOIN location l ON l.id = sal.location_id
           GROUP BY t.id) p
    WHERE s.id = p.id
$$;

CREATE TRIGGER service_at_location_inserted AFTER INSERT ON service_at_location
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT
    EXECUTE FUNCTION refresh_changed_services('service_refresh_places');
CREATE TRIGGER service_at_location_deleted AFTER DELETE ON service_at_location
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT
    EXECUTE FUNCTION refresh_changed_services('service_refresh_places');
CREATE TRIGGER service_at_location_updated AFTER UPDATE ON service_at_location
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT
    EXECUTE FUNCTION refresh_changed_services('service_refresh_places');

CREATE FUNCTION location_moved() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM service_refresh_places(ARRAY(SELECT sal.service_id FROM service_at_location sal
                                         WHERE sal.location_id = NEW.id));
    RETURN NULL;
END $$;
CREATE TRIGGER location_moved AFTER UPDATE OF lat, lon, postcode, council_code ON location
    FOR EACH ROW EXECUTE FUNCTION location_moved();

-- Words used in the directory, for "did you mean" spelling correction.
-- Rebuilt by refresh_search_terms() after bulk loads.
CREATE TABLE search_term (
    word    text PRIMARY KEY,
    nentry  integer NOT NULL
);
CREATE INDEX search_term_trgm_idx ON search_term USING gist (word gist_trgm_ops);

CREATE FUNCTION refresh_search_terms() RETURNS void LANGUAGE sql AS $$
    DELETE FROM search_term;
    INSERT INTO search_term (word, nentry)
    SELECT word, nentry FROM ts_stat(
        'SELECT to_tsvector(''simple'', name || '' '' || keywords || '' '' || description) FROM service')
    WHERE length(word) >= 3 AND word ~ '^[a-z]+$';
$$;

-- Row-level security, enabled and forced on every board-owned table.
--
-- The directory (organizations, services, locations) is public information,
-- published to anyone through the Open Referral API, so every board may read
-- every board's directory; a board may change only its own rows. Reading
-- through a board-scoped policy would also stop PostgreSQL from using the
-- GiST and GIN indexes for search: quals with operators that are not
-- LEAKPROOF (point <@ box, tsvector @@ tsquery) must then run after the
-- policy's, row by row (43 ms instead of under 2 ms per search on 20,000
-- services). Search filters by board explicitly.
--
-- Practices are board-owned and not part of the public directory: a board
-- sees only its own.
DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['organization', 'service', 'service_category', 'location',
                             'service_at_location']
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

ALTER TABLE practice ENABLE ROW LEVEL SECURITY;
ALTER TABLE practice FORCE ROW LEVEL SECURITY;
CREATE POLICY board_isolation ON practice
    USING (board_id = current_board_id())
    WITH CHECK (board_id = current_board_id());
GRANT SELECT ON practice TO links_app;

GRANT SELECT ON category, search_term TO links_app;
