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
    name        text NOT NULL,
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
CREATE INDEX service_wide_idx ON service (board_id) WHERE area <> 'local';

CREATE TABLE service_category (
    service_id  uuid NOT NULL REFERENCES service (id) ON DELETE CASCADE,
    category_id uuid NOT NULL REFERENCES category (id),
    board_id    smallint REFERENCES board (id),
    PRIMARY KEY (service_id, category_id)
);
CREATE INDEX service_category_category_idx ON service_category (category_id);

-- Keep service.keywords and service.category_lineage in step with its categories.
CREATE FUNCTION service_refresh_categories(target uuid) RETURNS void
LANGUAGE sql AS $$
    UPDATE service s SET
        keywords = coalesce((SELECT string_agg(c.name, ' ' ORDER BY c.name)
                               FROM service_category sc JOIN category c ON c.id = sc.category_id
                              WHERE sc.service_id = target), ''),
        category_lineage = coalesce((SELECT array_agg(DISTINCT l)
                                       FROM service_category sc JOIN category c ON c.id = sc.category_id,
                                            unnest(c.lineage) l
                                      WHERE sc.service_id = target), '{}')
    WHERE s.id = target
$$;

CREATE FUNCTION service_category_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        PERFORM service_refresh_categories(NEW.service_id);
    END IF;
    IF TG_OP IN ('DELETE', 'UPDATE') THEN
        PERFORM service_refresh_categories(OLD.service_id);
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER service_category_sync AFTER INSERT OR UPDATE OR DELETE ON service_category
    FOR EACH ROW EXECUTE FUNCTION service_category_changed();

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

-- Row-level security: a board sees its own rows and national ones.
DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['practice', 'organization', 'service', 'service_category',
                             'location', 'service_at_location']
    LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
        EXECUTE format('CREATE POLICY board_isolation ON %I
                            USING (board_id IS NULL OR board_id = current_board_id())
                            WITH CHECK (board_id = current_board_id())', t);
        EXECUTE format('GRANT SELECT ON %I TO links_app', t);
    END LOOP;
END $$;

GRANT SELECT ON category, search_term TO links_app;
