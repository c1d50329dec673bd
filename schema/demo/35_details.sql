-- Demo data, step 3b: the rest of each demo service's description
-- (schema/0005_directory_model.sql): ages, how to access it, whether
-- practices may refer and how full it is, phones, languages, the
-- accessibility of its locations, the areas it covers, and holiday
-- closures. Runs after 30_services.sql in the same transaction and reads
-- its temporary tables (demo_svc, demo_kind, demo_loc, demo_place).
--
-- Deterministic: choices come from md5 of the service's id (demo_pick),
-- not from random(), so they do not shift the draws 30_services.sql makes.
-- Idempotent: rows are upserted by derived ids and only written when they
-- differ.

-- A number in [0, 1) for service i and purpose p.
CREATE OR REPLACE FUNCTION pg_temp.demo_pick(i integer, p text) RETURNS float8
LANGUAGE sql IMMUTABLE AS $$
    SELECT ('x' || substr(md5('links-demo:' || p || ':' || i), 1, 8))::bit(32)::bigint / 4294967296.0
$$;

CREATE TEMP TABLE demo_detail ON COMMIT DROP AS
SELECT s.i, s.id, s.board_id, s.scope, k.key,
       -- Ages as the eligibility text states them ("aged 11 to 18",
       -- "Adults 18+", "aged 60+", "aged 50 and over").
       coalesce((regexp_match(s.eligibility, 'aged (\d+) to \d+'))[1],
                (regexp_match(s.eligibility, '(\d+)\+'))[1],
                (regexp_match(s.eligibility, 'aged (\d+) and over'))[1])::numeric AS minimum_age,
       (regexp_match(s.eligibility, 'aged \d+ to (\d+)'))[1]::numeric AS maximum_age,
       CASE WHEN k.key IN ('walk', 'walkfoot', 'foodbank', 'pantry', 'meal', 'cafe', 'lunch', 'shed',
                           'choir', 'art', 'garden', 'toddler', 'youth', 'taichi', 'exercise', 'digital')
                 THEN CASE WHEN pg_temp.demo_pick(s.i, 'access') < 0.5
                           THEN 'Just turn up during the times shown: no need to book.'
                           ELSE 'Drop in, or ring first to check there is space.' END
            WHEN k.key IN ('babybank', 'furniture', 'counselling', 'b_recovery', 'b_housing')
                 THEN 'By referral from a GP practice, links worker or other professional.'
            WHEN s.scope = 'national' THEN 'Ring the helpline or use the web chat.'
            ELSE 'Ring or email to make an appointment; GP practices and links workers can refer.' END
           AS application_process,
       -- Practices may refer to advice, support and referral-only services.
       k.key IN ('foodbank', 'debt', 'welfare', 'carers', 'mhpeer', 'befriend', 'employ', 'housing',
                 'recovery', 'bereave', 'energy', 'dementia', 'babybank', 'counselling', 'advocacy',
                 'furniture', 'family', 'ld', 'b_carers', 'b_debt', 'b_befriend', 'b_mh', 'b_welfare',
                 'b_housing', 'b_recovery', 'b_employ', 'b_transport') AS accepts_referrals,
       pg_temp.demo_pick(s.i, 'capacity') AS r_capacity,
       pg_temp.demo_pick(s.i, 'language') AS r_language,
       pg_temp.demo_pick(s.i, 'area') AS r_area,
       pg_temp.demo_pick(s.i, 'closure') AS r_closure,
       s.phone, pl.council_code, ca.name AS council_name, b.code AS board_code, b.name AS board_name
  FROM demo_svc s
  JOIN demo_kind k ON k.id = s.kind_id
  JOIN demo_place pl ON pl.id = s.place_id
  LEFT JOIN council_area ca ON ca.code = pl.council_code
  LEFT JOIN board b ON b.id = s.board_id;

-- last_modified: the demo pretends each service was last changed when it
-- was last reviewed (so it does not move with every load).
UPDATE service t SET
    last_modified = t.last_reviewed + time '09:00',
    minimum_age = d.minimum_age, maximum_age = d.maximum_age, application_process = d.application_process,
    accepts_referrals = d.accepts_referrals,
    capacity_maximum = c.maximum, capacity_available = c.available, capacity_unit = c.unit,
    capacity_updated = c.updated
  FROM demo_detail d
 CROSS JOIN LATERAL (
       -- Two in three services that take referrals say how full they are.
       SELECT CASE WHEN d.accepts_referrals AND d.r_capacity < 0.67 THEN 10 + floor(d.r_capacity * 45)::int END AS maximum,
              CASE WHEN d.accepts_referrals AND d.r_capacity < 0.67
                   THEN floor((10 + floor(d.r_capacity * 45)) * pg_temp.demo_pick(d.i, 'available'))::int END AS available,
              CASE WHEN d.accepts_referrals AND d.r_capacity < 0.67
                   THEN CASE WHEN d.scope = 'local' THEN 'places' ELSE 'new referrals this month' END END AS unit,
              CASE WHEN d.accepts_referrals AND d.r_capacity < 0.67
                   THEN timestamptz '2026-11-02 09:00+00' + floor(d.r_capacity * 20) * interval '1 day' END AS updated) c
 WHERE t.id = d.id
   AND (t.last_modified, t.minimum_age, t.maximum_age, t.application_process, t.accepts_referrals, t.capacity_maximum,
        t.capacity_available, t.capacity_unit, t.capacity_updated)
       IS DISTINCT FROM
       (t.last_reviewed + time '09:00', d.minimum_age, d.maximum_age, d.application_process, d.accepts_referrals, c.maximum, c.available,
        c.unit, c.updated);

------------------------------------------------------------------------
-- Phones: each service's number is its first phone row (service.phone is
-- kept from it by trigger); national helplines also take texts.
CREATE TEMP TABLE demo_phone ON COMMIT DROP AS
SELECT md5('links:service-phone:' || d.id)::uuid AS id, d.board_id, d.id AS service_id, d.phone AS number,
       'voice' AS type, 0 AS position, NULL::text AS description
  FROM demo_detail d WHERE d.phone IS NOT NULL
UNION ALL
SELECT md5('links-demo:text-phone:' || d.id)::uuid, d.board_id, d.id, '07700 900' || to_char(d.i % 1000, 'FM000'),
       'text', 1, 'Text this number and we will call you back.'
  FROM demo_detail d WHERE d.scope = 'national' AND d.phone IS NOT NULL;

DELETE FROM phone p
 USING service s
 WHERE s.id = p.service_id AND s.demo AND p.id NOT IN (SELECT id FROM demo_phone);

INSERT INTO phone (id, board_id, service_id, number, type, position, description)
SELECT id, board_id, service_id, number, type, position, description FROM demo_phone
ON CONFLICT (id) DO UPDATE SET
    board_id = EXCLUDED.board_id, service_id = EXCLUDED.service_id, number = EXCLUDED.number,
    type = EXCLUDED.type, position = EXCLUDED.position, description = EXCLUDED.description
WHERE (phone.board_id, phone.service_id, phone.number, phone.type, phone.position, phone.description)
      IS DISTINCT FROM
      (EXCLUDED.board_id, EXCLUDED.service_id, EXCLUDED.number, EXCLUDED.type, EXCLUDED.position,
       EXCLUDED.description);

------------------------------------------------------------------------
-- Languages: every service in English; about one in six in another
-- language spoken in Glasgow and Fife too (ISO 639-1 codes; British Sign
-- Language has the ISO 639-3 code bfi).
CREATE TEMP TABLE demo_language ON COMMIT DROP AS
SELECT md5('links-demo:language:en:' || d.id)::uuid AS id, d.board_id, d.id AS service_id,
       'English' AS name, 'en' AS code, NULL::text AS note
  FROM demo_detail d
UNION ALL
SELECT md5('links-demo:language:2:' || d.id)::uuid, d.board_id, d.id, l.name, l.code, l.note
  FROM demo_detail d
  CROSS JOIN LATERAL (SELECT (ARRAY['Polish', 'Urdu', 'Arabic', 'British Sign Language', 'Romanian', 'Mandarin'])[1 + floor(d.r_language * 6 / 0.17)::int] AS name,
                             (ARRAY['pl', 'ur', 'ar', 'bfi', 'ro', 'zh'])[1 + floor(d.r_language * 6 / 0.17)::int] AS code,
                             'Ask for a session with a worker who speaks it.' AS note) l
 WHERE d.r_language < 0.17;

DELETE FROM language g
 USING service s
 WHERE s.id = g.service_id AND s.demo AND g.id NOT IN (SELECT id FROM demo_language);

INSERT INTO language (id, board_id, service_id, name, code, note)
SELECT id, board_id, service_id, name, code, note FROM demo_language
ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, code = EXCLUDED.code, note = EXCLUDED.note,
    board_id = EXCLUDED.board_id, service_id = EXCLUDED.service_id
WHERE (language.name, language.code, language.note, language.board_id, language.service_id)
      IS DISTINCT FROM (EXCLUDED.name, EXCLUDED.code, EXCLUDED.note, EXCLUDED.board_id, EXCLUDED.service_id);

------------------------------------------------------------------------
-- Accessibility of about half the demo locations.
CREATE TEMP TABLE demo_access ON COMMIT DROP AS
SELECT md5('links-demo:accessibility:' || l.id)::uuid AS id, l.board_id, l.id AS location_id,
       a.description, a.details
  FROM demo_loc l
  CROSS JOIN LATERAL (SELECT pg_temp.demo_pick(l.i * 10 + l.j, 'accessibility') AS r) x
  CROSS JOIN LATERAL (SELECT (ARRAY['Step-free access from the street',
                                    'Hearing loop at the reception desk',
                                    'Accessible toilet',
                                    'Lift to all floors'])[1 + floor(x.r * 4 / 0.5)::int] AS description,
                             CASE WHEN x.r < 0.1 THEN 'Ring ahead and a volunteer will meet you at the door.' END AS details) a
 WHERE x.r < 0.5;

DELETE FROM accessibility a
 WHERE a.location_id IN (SELECT id FROM demo_loc) AND a.id NOT IN (SELECT id FROM demo_access);

INSERT INTO accessibility (id, board_id, location_id, description, details)
SELECT id, board_id, location_id, description, details FROM demo_access
ON CONFLICT (id) DO UPDATE SET description = EXCLUDED.description, details = EXCLUDED.details
WHERE (accessibility.description, accessibility.details) IS DISTINCT FROM (EXCLUDED.description, EXCLUDED.details);

------------------------------------------------------------------------
-- Service areas: board-wide services cover their board, national ones
-- all of Scotland, and about a third of the local advice and support
-- services (not groups and classes) take people from their whole council
-- area too. uri: the area's Scottish statistical
-- geography page.
CREATE TEMP TABLE demo_area ON COMMIT DROP AS
SELECT md5('links-demo:service-area:' || d.id)::uuid AS id, d.board_id, d.id AS service_id, a.kind, a.code, a.name,
       'https://statistics.gov.scot/id/statistical-geography/' || a.code AS uri
  FROM demo_detail d
  CROSS JOIN LATERAL (SELECT CASE WHEN d.scope = 'national' THEN 'scotland'
                                  WHEN d.scope = 'board' THEN 'board' ELSE 'council' END AS kind,
                             CASE WHEN d.scope = 'national' THEN 'S92000003'
                                  WHEN d.scope = 'board' THEN d.board_code ELSE d.council_code END AS code,
                             CASE WHEN d.scope = 'national' THEN 'Scotland'
                                  WHEN d.scope = 'board' THEN d.board_name ELSE d.council_name END AS name) a
 WHERE d.scope <> 'local'
    OR (d.r_area < 0.35 AND d.council_name IS NOT NULL
        AND d.key IN ('debt', 'welfare', 'carers', 'housing', 'advocacy', 'befriend', 'counselling', 'bereave',
                      'energy', 'employ', 'recovery', 'family', 'ld', 'transport', 'babybank', 'furniture'));

DELETE FROM service_area a
 USING service s
 WHERE s.id = a.service_id AND s.demo AND a.id NOT IN (SELECT id FROM demo_area);

INSERT INTO service_area (id, board_id, service_id, kind, code, name, uri)
SELECT id, board_id, service_id, kind, code, name, uri FROM demo_area
ON CONFLICT (id) DO UPDATE SET kind = EXCLUDED.kind, code = EXCLUDED.code, name = EXCLUDED.name,
    uri = EXCLUDED.uri, board_id = EXCLUDED.board_id, service_id = EXCLUDED.service_id
WHERE (service_area.kind, service_area.code, service_area.name, service_area.uri, service_area.board_id,
       service_area.service_id)
      IS DISTINCT FROM (EXCLUDED.kind, EXCLUDED.code, EXCLUDED.name, EXCLUDED.uri, EXCLUDED.board_id,
                        EXCLUDED.service_id);

------------------------------------------------------------------------
-- Holiday closures: a third of the services with opening times close
-- over Christmas and New Year (Scottish bank holidays 25-26 December and
-- 1-2 January).
CREATE TEMP TABLE demo_exception ON COMMIT DROP AS
SELECT md5('links-demo:closure:' || h.n || ':' || d.id)::uuid AS id, d.board_id, d.id AS service_id,
       h.starts_on, h.ends_on, h.description
  FROM demo_detail d
  CROSS JOIN (VALUES (1, date '2026-12-25', date '2026-12-26', 'Closed for Christmas'),
                     (2, date '2027-01-01', date '2027-01-02', 'Closed for New Year')) h (n, starts_on, ends_on, description)
 WHERE d.r_closure < 0.34 AND EXISTS (SELECT 1 FROM schedule sc WHERE sc.service_id = d.id);

DELETE FROM schedule_exception e
 USING service s
 WHERE s.id = e.service_id AND s.demo AND e.id NOT IN (SELECT id FROM demo_exception);

INSERT INTO schedule_exception (id, board_id, service_id, starts_on, ends_on, closed, description)
SELECT id, board_id, service_id, starts_on, ends_on, true, description FROM demo_exception
ON CONFLICT (id) DO NOTHING;
