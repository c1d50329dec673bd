-- Demo activity: a made-up year of signposting and referrals for every
-- board with demo staff, so the reports have something to show and the
-- report benchmark has a realistic board-year (tests/bench/reports).
--
-- Settings (linksctl demo-activity): links.demo_signposts and
-- links.demo_referrals (totals over all boards, shared out by list size),
-- links.demo_seed. Everything happens in the 365 days before now.
--
-- What is made up, and how:
--  * each practice has its own propensity to signpost and refer (list size
--    times a log-normal factor), so a funnel plot has practices inside and
--    a few outside its limits;
--  * signposts are made by the board's demo receptionist (55%), nurse (25%),
--    GP (15%) and links worker (5%); 60% name a category, 35% a service,
--    5% the links worker; 1 in 100 is withdrawn as a slip;
--  * each referral is a new patient (valid CHI number: check digit as the
--    CHI scheme computes it; name "Demo patient N"; a telephone number from
--    Ofcom's drama range; a postcode in the practice's postcode district),
--    with one to three needs, to the links worker (70%) or a service;
--    in Fife one in five goes first to a waiting list;
--  * what happens next follows the days drawn for it, and only what would
--    have happened by now is recorded: first contact after 1-30 days (90%
--    of referrals), engagement (65% of those contacted), closing; contacts
--    as the links worker would have logged them; SWEMWBS (items 1-5, the
--    published metric, act_swemwbs_metric, from
--    schema/data/swemwbs_raw_to_metric.csv) and ONS4 (bands as
--    core/wellbeing.c gives them) at first contact for 80% and at closing
--    for 70% of completed referrals.
-- No referral is referred on (none has closing reason referred_on).

SELECT setseed((current_setting('links.demo_seed')::bigint % 1000000) / 1000000.0);
-- Days as the practices see them (the database checks contact days so).
SET LOCAL timezone = 'Europe/London';

-- ONS4 bands of the three positive items (life satisfaction, worthwhile,
-- happiness), as core/wellbeing.c gives them.
CREATE FUNCTION pg_temp.act_ons4_band(score smallint) RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN score <= 4 THEN 'low' WHEN score <= 6 THEN 'medium' WHEN score <= 8 THEN 'high' ELSE 'very high' END
$$;

CREATE TEMP TABLE act_staff ON COMMIT DROP AS
SELECT b.id AS board_id,
       (SELECT id FROM staff WHERE board_id = b.id AND username = b.slug || '.receptionist') AS receptionist,
       (SELECT id FROM staff WHERE board_id = b.id AND username = b.slug || '.nurse') AS nurse,
       (SELECT id FROM staff WHERE board_id = b.id AND username = b.slug || '.gp') AS gp,
       (SELECT id FROM staff WHERE board_id = b.id AND username = b.slug || '.linksworker') AS links_worker
  FROM board b
 WHERE EXISTS (SELECT 1 FROM staff WHERE board_id = b.id AND username = b.slug || '.linksworker');

-- Each practice's propensity: list size times exp(0.35 z), z standard normal
-- (Box-Muller), and its share of the activity.
CREATE TEMP TABLE act_practice ON COMMIT DROP AS
WITH w AS (
    SELECT p.board_id, p.id, split_part(p.postcode, ' ', 1) AS district,
           coalesce(p.list_size, 0) * exp(0.35 * sqrt(-2 * ln(1 - random())) * cos(2 * pi() * random())) AS weight
      FROM practice p JOIN act_staff s ON s.board_id = p.board_id
     WHERE coalesce(p.list_size, 0) > 0)
SELECT w.*,
       round(current_setting('links.demo_signposts')::bigint * weight / sum(weight) OVER ())::int AS signposts,
       round(current_setting('links.demo_referrals')::bigint * weight / sum(weight) OVER ())::int AS referrals
  FROM w;

CREATE TEMP TABLE act_board_choice ON COMMIT DROP AS
SELECT s.board_id,
       (SELECT array_agg(id ORDER BY id) FROM service WHERE board_id = s.board_id) AS services,
       (SELECT array_agg(id ORDER BY slug) FROM category WHERE parent_id IS NOT NULL) AS categories,
       (SELECT array_agg(slug ORDER BY slug) FROM category WHERE parent_id IS NOT NULL) AS category_slugs
  FROM act_staff s;

-- Postcodes to live at: those of the practice's district that place a
-- data zone (so the patient has an SIMD decile).
CREATE TEMP TABLE act_district ON COMMIT DROP AS
SELECT pc.district, array_agg(pc.postcode ORDER BY pc.postcode) AS postcodes
  FROM postcode pc
 WHERE pc.data_zone IS NOT NULL AND pc.district IN (SELECT district FROM act_practice)
 GROUP BY pc.district;

------------------------------------------------------------------------
-- Signposts
INSERT INTO signpost (board_id, at, staff_id, practice_id, service_id, category_id, links_worker, withdrawn_at, withdrawn_by)
SELECT d.board_id, d.at, d.staff_id, d.practice_id,
       CASE WHEN d.subject >= 0.60 AND d.subject < 0.95 AND c.services IS NOT NULL
            THEN c.services[1 + floor(d.pick * array_length(c.services, 1))::int] END,
       CASE WHEN d.subject < 0.60 OR (d.subject < 0.95 AND c.services IS NULL)
            THEN c.categories[1 + floor(d.pick * array_length(c.categories, 1))::int] END,
       d.subject >= 0.95,
       CASE WHEN d.slip < 0.01 THEN d.at + interval '5 minutes' END,
       CASE WHEN d.slip < 0.01 THEN d.staff_id END
  FROM (SELECT p.board_id, p.id AS practice_id,
               now() - random() * interval '365 days' AS at,
               CASE WHEN r.role < 0.55 THEN s.receptionist WHEN r.role < 0.80 THEN s.nurse
                    WHEN r.role < 0.95 THEN s.gp ELSE s.links_worker END AS staff_id,
               r.subject, r.pick, r.slip
          FROM act_practice p JOIN act_staff s ON s.board_id = p.board_id
         CROSS JOIN LATERAL generate_series(1, p.signposts) g
         CROSS JOIN LATERAL (SELECT random() AS role, random() AS subject, random() AS pick, random() AS slip,
                                    g AS n) r) d
  JOIN act_board_choice c ON c.board_id = d.board_id;

------------------------------------------------------------------------
-- Referrals: first what would happen to each (days drawn), then what has
-- happened by now.
CREATE TEMP TABLE act_referral ON COMMIT DROP AS
SELECT x.*,
       x.created_at + x.wait_days * interval '1 day' AS left_waiting,
       x.created_at + (x.wait_days + x.contact_days) * interval '1 day' AS first_contact,
       x.created_at + (x.wait_days + x.contact_days + x.engage_days) * interval '1 day' AS engaged_at,
       x.created_at + (x.wait_days + x.contact_days + x.engage_days + x.close_days) * interval '1 day' AS closed_at
  FROM (SELECT p.board_id, p.id AS practice_id, p.district, s.receptionist, s.nurse, s.gp, s.links_worker,
               gen_random_uuid() AS id, gen_random_uuid() AS patient_id,
               row_number() OVER () AS n,
               now() - random() * interval '365 days' AS created_at,
               CASE WHEN random() < 0.6 THEN s.receptionist WHEN random() < 0.5 THEN s.nurse ELSE s.gp END AS referrer,
               random() < 0.7 AS to_links_worker,
               b.slug = 'fife' AND random() < 0.2 AS waits,
               random() AS pick, random() AS pick2, random() AS pick3, 1 + floor(random() * 3)::int AS n_needs,
               random() < 0.9 AS contacted, random() < 0.65 AS engages, random() AS ending,
               random() < 0.8 AS first_measure, random() < 0.7 AS closing_measure,
               0 AS wait_days,
               1 + floor(30 * random() ^ 2)::int AS contact_days,
               3 + floor(18 * random())::int AS engage_days,
               30 + floor(90 * random())::int AS close_days
          FROM act_practice p JOIN act_staff s ON s.board_id = p.board_id JOIN board b ON b.id = p.board_id
         CROSS JOIN LATERAL generate_series(1, p.referrals) g) x;
UPDATE act_referral SET wait_days = 7 + floor(53 * pick3)::int WHERE waits;
-- Recompute the later days now that the wait is known.
UPDATE act_referral SET
    left_waiting = created_at + wait_days * interval '1 day',
    first_contact = created_at + (wait_days + contact_days) * interval '1 day',
    engaged_at = created_at + (wait_days + contact_days + engage_days) * interval '1 day',
    closed_at = created_at + (wait_days + contact_days + engage_days + close_days) * interval '1 day'
 WHERE waits;

-- Where each referral is now, and why it closed.
ALTER TABLE act_referral ADD COLUMN status text, ADD COLUMN closing_reason text, ADD COLUMN closed_on timestamptz;
UPDATE act_referral SET
    closed_on = CASE
        WHEN NOT contacted THEN first_contact + interval '30 days'      -- never reached: did not engage
        WHEN NOT engages THEN first_contact + interval '21 days'        -- reached, declined
        ELSE closed_at END,
    closing_reason = CASE
        WHEN NOT contacted THEN 'did_not_engage'
        WHEN NOT engages THEN CASE WHEN ending < 0.5 THEN 'declined' ELSE 'did_not_engage' END
        WHEN ending < 0.05 THEN 'moved_away' ELSE 'completed' END;
UPDATE act_referral SET status = CASE
        WHEN closed_on <= now() THEN 'closed'
        WHEN waits AND left_waiting > now() THEN 'waiting'
        WHEN NOT contacted OR first_contact > now() THEN 'received'
        WHEN NOT engages OR engaged_at > now() THEN 'contacted'
        ELSE 'engaged' END;
UPDATE act_referral SET closing_reason = NULL WHERE status <> 'closed';

-- A CHI number per patient: date of birth (1940-2005) and a serial, with
-- the CHI check digit (weights 10..2, modulus 11); numbers whose check
-- would be 10 take the next serial.
CREATE TEMP TABLE act_patient ON COMMIT DROP AS
WITH base AS (
    SELECT r.patient_id, r.board_id, r.district, r.n, r.pick2,
           to_char(date '1940-01-01' + (r.n * 7919 % 23740)::int, 'DDMMYY') AS dob,
           (r.n / 23740)::int AS serial_base
      FROM act_referral r),
candidates AS (
    SELECT b.*, k, dob || lpad(((serial_base * 4 + k) % 1000)::text, 3, '0') AS nine
      FROM base b CROSS JOIN generate_series(0, 3) k),
checked AS (
    SELECT c.*, 11 - (SELECT sum(substr(c.nine, i, 1)::int * (11 - i)) FROM generate_series(1, 9) i) % 11 AS check_digit
      FROM candidates c)
SELECT DISTINCT ON (patient_id) patient_id, board_id, district, n, pick2,
       nine || CASE WHEN check_digit = 11 THEN 0 ELSE check_digit END AS chi
  FROM checked
 WHERE check_digit <> 10
 ORDER BY patient_id, k;

INSERT INTO patient (board_id, id, chi, name, contact_method, contact_detail, postcode, created_at)
SELECT p.board_id, p.patient_id, p.chi, 'Demo patient ' || p.n, 'phone',
       '07700 900' || lpad((p.n % 1000)::text, 3, '0'),
       coalesce(d.postcodes[1 + floor(p.pick2 * array_length(d.postcodes, 1))::int],
                (SELECT postcode FROM practice WHERE id = r.practice_id)),
       r.created_at
  FROM act_patient p JOIN act_referral r ON r.id IS NOT NULL AND r.patient_id = p.patient_id
  LEFT JOIN act_district d ON d.district = p.district;

INSERT INTO referral (board_id, id, patient_id, practice_id, referrer_id, service_id, links_worker, route, route_reason,
                      decided_by, reason, needs, consent_recorded_by, consent_recorded_at, status, closing_reason,
                      created_at, updated_at, idempotency_key, request_hash)
SELECT r.board_id, r.id, r.patient_id, r.practice_id, r.referrer,
       CASE WHEN NOT (r.to_links_worker OR r.waits OR c.services IS NULL)
            THEN c.services[1 + floor(r.pick * array_length(c.services, 1))::int] END,
       r.to_links_worker OR r.waits OR c.services IS NULL,
       CASE WHEN r.waits THEN 'waiting_list' WHEN r.to_links_worker OR c.services IS NULL THEN 'links_worker'
            ELSE 'service' END,
       'Demo activity', 'core', 'Demo referral',
       ARRAY(SELECT DISTINCT c.category_slugs[1 + floor(((r.pick * 7919 * k) - floor(r.pick * 7919 * k)) * array_length(c.category_slugs, 1))::int]
               FROM generate_series(1, r.n_needs) k),
       r.referrer, r.created_at, r.status, r.closing_reason, r.created_at,
       greatest(r.created_at, CASE r.status WHEN 'closed' THEN r.closed_on WHEN 'engaged' THEN r.engaged_at
                                            WHEN 'contacted' THEN r.first_contact ELSE r.created_at END),
       'demo-activity-' || r.n, 'demo'
  FROM act_referral r JOIN act_board_choice c ON c.board_id = r.board_id
 WHERE EXISTS (SELECT 1 FROM act_patient p WHERE p.patient_id = r.patient_id);
DELETE FROM act_referral r WHERE NOT EXISTS (SELECT 1 FROM act_patient p WHERE p.patient_id = r.patient_id);

-- The history: made (received, or waiting), off the waiting list,
-- contacted, engaged, closed; each only if it has happened by now.
INSERT INTO referral_event (board_id, referral_id, at, actor_id, from_status, to_status, note)
SELECT board_id, id, at, actor, from_status, to_status, note FROM (
    SELECT board_id, id, created_at AS at, referrer AS actor, NULL AS from_status,
           CASE WHEN waits THEN 'waiting' ELSE 'received' END AS to_status, 'Referral made' AS note, 1 AS step
      FROM act_referral
    UNION ALL
    SELECT board_id, id, left_waiting, links_worker, 'waiting', 'received', 'A place came up', 2
      FROM act_referral WHERE waits AND left_waiting <= now()
    UNION ALL
    SELECT board_id, id, first_contact, links_worker, 'received', 'contacted', NULL, 3
      FROM act_referral WHERE contacted AND first_contact <= now() AND closed_on > first_contact
    UNION ALL
    SELECT board_id, id, engaged_at, links_worker, 'contacted', 'engaged', NULL, 4
      FROM act_referral WHERE contacted AND engages AND engaged_at <= now()
    UNION ALL
    SELECT board_id, id, closed_on, links_worker,
           CASE WHEN NOT contacted THEN 'received' WHEN NOT engages THEN 'contacted' ELSE 'engaged' END,
           'closed', closing_reason, 5
      FROM act_referral WHERE status = 'closed') e
 ORDER BY at, step;

-- Contacts: the attempt that reached the patient (after a missed call for
-- one in three), or, for those never reached, three missed attempts.
INSERT INTO referral_contact (board_id, referral_id, contacted_on, method, reached, recorded_by, recorded_at)
SELECT board_id, id, (first_contact - interval '2 days')::date, 'phone', false, links_worker, first_contact - interval '2 days'
  FROM act_referral WHERE contacted AND first_contact <= now() AND pick3 < 0.33 AND first_contact - interval '2 days' >= created_at
UNION ALL
SELECT board_id, id, first_contact::date, CASE WHEN pick3 < 0.8 THEN 'phone' ELSE 'in_person' END, true, links_worker, first_contact
  FROM act_referral WHERE contacted AND first_contact <= now()
UNION ALL
SELECT board_id, id, (first_contact + k * interval '7 days')::date, 'phone', false, links_worker, first_contact + k * interval '7 days'
  FROM act_referral CROSS JOIN generate_series(0, 2) k
 WHERE NOT contacted AND first_contact + k * interval '7 days' <= now();

-- Wellbeing: seven SWEMWBS item scores and four ONS4 scores per measure;
-- at closing a little better on average than at first contact.
CREATE TEMP TABLE act_measure ON COMMIT DROP AS
SELECT r.board_id, r.id, r.patient_id, m.stage, m.at, r.links_worker,
       ARRAY(SELECT least(5, greatest(1, round(2.6 + m.lift + 1.1 * (random() - 0.5) * 2 + 0 * k)))::smallint
               FROM generate_series(1, 7) k) AS items,
       ARRAY(SELECT least(10, greatest(0, round(5 + 2 * m.lift + 3 * (random() - 0.5) * 2 + 0 * k)))::smallint
               FROM generate_series(1, 3) k) AS ons_positive,
       least(10, greatest(0, round(5 - 2 * m.lift + 3 * (random() - 0.5) * 2)))::smallint AS anxiety
  FROM act_referral r
 CROSS JOIN LATERAL (VALUES ('first_contact', r.first_contact, 0.0), ('closing', r.closed_on, 0.5)) m(stage, at, lift)
 WHERE r.contacted AND r.first_contact <= now()
   AND ((m.stage = 'first_contact' AND r.first_measure)
     OR (m.stage = 'closing' AND r.status = 'closed' AND r.closing_reason = 'completed' AND r.closing_measure));

INSERT INTO wellbeing_measure (board_id, referral_id, patient_id, stage, measured_on, swemwbs_items, swemwbs_raw,
                               swemwbs_metric, life_satisfaction, life_satisfaction_band, worthwhile, worthwhile_band,
                               happiness, happiness_band, anxiety, anxiety_band, recorded_by, recorded_at)
SELECT m.board_id, m.id, m.patient_id, m.stage, m.at::date, m.items, raw.v, sm.metric_score,
       m.ons_positive[1], pg_temp.act_ons4_band(m.ons_positive[1]), m.ons_positive[2], pg_temp.act_ons4_band(m.ons_positive[2]),
       m.ons_positive[3], pg_temp.act_ons4_band(m.ons_positive[3]), m.anxiety,
       CASE WHEN m.anxiety <= 1 THEN 'very low' WHEN m.anxiety <= 3 THEN 'low' WHEN m.anxiety <= 5 THEN 'medium'
            ELSE 'high' END,
       m.links_worker, m.at
  FROM act_measure m
 CROSS JOIN LATERAL (SELECT sum(x)::smallint AS v FROM unnest(m.items) x) raw
  JOIN act_swemwbs_metric sm ON sm.raw_score = raw.v
 ORDER BY m.at;

ANALYZE signpost;
ANALYZE patient;
ANALYZE referral;
ANALYZE referral_event;
ANALYZE referral_contact;
ANALYZE wellbeing_measure;
