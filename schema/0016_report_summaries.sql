-- 0016 report summaries: signposts and referrals counted by calendar month
-- (Europe/London), so that a report over a board-year reads a few thousand
-- summary rows and, from the tables themselves, only the part months at
-- the ends of its period and the days since the summaries were built
-- (core/api_report.c). A report is exact whether or not summaries exist:
-- they only make it faster.
--
-- Why they never go stale: a summary counts every signpost of its month,
-- withdrawn or not, and reports subtract the withdrawn signposts of
-- summarised months (few: a partial index finds them); signposts and
-- referrals are never deleted, and what is counted here (practice, staff,
-- subject, needs, day) never changes after they are made. Rows given a
-- past time after a build (bulk loads: run linksctl report-summaries after
-- one) are counted at the next build; until then they are missing, and one
-- withdrawn as well would be subtracted all the same.
-- One thing is fixed at build time: a referral's SIMD quintile is that of
-- the patient's home when the month was summarised.
--
-- linksctl report-summaries (deploy: daily, by a systemd timer) rebuilds
-- every board's summaries in one transaction: readers see the old or the
-- new ones, and nothing waits for it (no lock on signpost or referral
-- beyond reading).

CREATE TABLE report_summary (
    board_id    smallint PRIMARY KEY REFERENCES board (id),
    -- the first day of a month: every month before it is summarised
    through     date NOT NULL CHECK (extract(day FROM through) = 1),
    built_at    timestamptz NOT NULL DEFAULT now()
);

-- signposts by practice and staff member (gives practice, role, and the
-- practice's SIMD quintile), and by subject (gives category of need)
CREATE TABLE report_signpost_month (
    board_id    smallint NOT NULL REFERENCES board (id),
    month       date NOT NULL,
    practice_id uuid NOT NULL,
    staff_id    uuid NOT NULL,
    n           bigint NOT NULL
);
CREATE INDEX report_signpost_month_idx ON report_signpost_month (board_id, month);

CREATE TABLE report_signpost_subject_month (
    board_id    smallint NOT NULL REFERENCES board (id),
    month       date NOT NULL,
    category_id uuid,
    service_id  uuid,
    n           bigint NOT NULL
);
CREATE INDEX report_signpost_subject_month_idx ON report_signpost_subject_month (board_id, month);

-- referrals (not those referred on by a links worker) by practice,
-- referrer and the patient's SIMD quintile, and by needs
CREATE TABLE report_referral_month (
    board_id    smallint NOT NULL REFERENCES board (id),
    month       date NOT NULL,
    practice_id uuid NOT NULL,
    referrer_id uuid NOT NULL,
    quintile    smallint,
    n           bigint NOT NULL
);
CREATE INDEX report_referral_month_idx ON report_referral_month (board_id, month);

CREATE TABLE report_referral_needs_month (
    board_id    smallint NOT NULL REFERENCES board (id),
    month       date NOT NULL,
    needs       text[] NOT NULL,
    n           bigint NOT NULL
);
CREATE INDEX report_referral_needs_month_idx ON report_referral_needs_month (board_id, month);

-- the unsummarised days of a period, and the withdrawn signposts of its
-- summarised months (to subtract)
CREATE INDEX signpost_board_at_idx ON signpost (board_id, at);
CREATE INDEX signpost_withdrawn_idx ON signpost (board_id, at) WHERE withdrawn_at IS NOT NULL;
CREATE INDEX referral_board_created_idx ON referral (board_id, created_at);

DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['report_summary', 'report_signpost_month', 'report_signpost_subject_month',
                             'report_referral_month', 'report_referral_needs_month'] LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
        EXECUTE format('CREATE POLICY board_isolation ON %I USING (board_id = current_board_id())', t);
        EXECUTE format('GRANT SELECT ON %I TO links_app', t);
    END LOOP;
END $$;

-- Rebuild every board's summaries up to the start of the current month.
-- Run by the schema owner (linksctl report-summaries), which bypasses
-- row-level security; one at a time.
CREATE FUNCTION report_summaries_build()
    RETURNS TABLE (board_id smallint, through date, signposts bigint, referrals bigint)
    LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
    through_day date := date_trunc('month', (now() AT TIME ZONE 'Europe/London'))::date;
    through_at timestamptz := through_day::timestamp AT TIME ZONE 'Europe/London';
BEGIN
    PERFORM pg_advisory_xact_lock(hashtext('report_summaries_build'));
    DELETE FROM report_signpost_month;
    DELETE FROM report_signpost_subject_month;
    DELETE FROM report_referral_month;
    DELETE FROM report_referral_needs_month;
    INSERT INTO report_signpost_month (board_id, month, practice_id, staff_id, n)
    SELECT sp.board_id, date_trunc('month', sp.at AT TIME ZONE 'Europe/London')::date, sp.practice_id, sp.staff_id, count(*)
      FROM signpost sp WHERE sp.at < through_at GROUP BY 1, 2, 3, 4;
    INSERT INTO report_signpost_subject_month (board_id, month, category_id, service_id, n)
    SELECT sp.board_id, date_trunc('month', sp.at AT TIME ZONE 'Europe/London')::date, sp.category_id, sp.service_id, count(*)
      FROM signpost sp WHERE sp.at < through_at GROUP BY 1, 2, 3, 4;
    INSERT INTO report_referral_month (board_id, month, practice_id, referrer_id, quintile, n)
    SELECT rf.board_id, date_trunc('month', rf.created_at AT TIME ZONE 'Europe/London')::date, rf.practice_id,
           rf.referrer_id, (dz.simd_decile + 1) / 2, count(*)
      FROM referral rf JOIN patient pt ON pt.id = rf.patient_id
      LEFT JOIN postcode pc ON pc.postcode = pt.postcode LEFT JOIN data_zone dz ON dz.code = pc.data_zone
     WHERE rf.created_at < through_at AND rf.referred_on_from IS NULL
     GROUP BY 1, 2, 3, 4, 5;
    INSERT INTO report_referral_needs_month (board_id, month, needs, n)
    SELECT rf.board_id, date_trunc('month', rf.created_at AT TIME ZONE 'Europe/London')::date, rf.needs, count(*)
      FROM referral rf WHERE rf.created_at < through_at AND rf.referred_on_from IS NULL
     GROUP BY 1, 2, 3;
    INSERT INTO report_summary AS s (board_id, through, built_at)
    SELECT b.id, through_day, now() FROM board b
    ON CONFLICT ON CONSTRAINT report_summary_pkey DO UPDATE SET through = EXCLUDED.through, built_at = EXCLUDED.built_at;
    RETURN QUERY
    SELECT b.id, through_day,
           coalesce((SELECT sum(m.n) FROM report_signpost_month m WHERE m.board_id = b.id), 0)::bigint,
           coalesce((SELECT sum(m.n) FROM report_referral_month m WHERE m.board_id = b.id), 0)::bigint
      FROM board b ORDER BY b.id;
END $$;

------------------------------------------------------------------------
-- How far each referral has got, kept as its history and its wellbeing
-- measures are written, so that the outcomes report reads one row per
-- referral rather than grouping every event and measure of a board-year:
--
--   first_contact_at, engaged, waited, left_waiting_at: as min(at) FILTER
--     (WHERE to_status = 'contacted'), bool_or(to_status = 'engaged'),
--     bool_or(to_status = 'waiting') and min(at) FILTER (WHERE from_status
--     = 'waiting' AND to_status <> 'waiting') over its referral_event rows;
--   for each stage (first contact, closing) and scale, the latest measure
--     (the highest id: a later measure corrects an earlier one, scale by
--     scale, as the referral shows): its id, the SWEMWBS metric score and
--     the four ONS4 bands (life satisfaction, worthwhile, happiness,
--     anxiety).
--
-- The integration tests compare the report with the same figures worked
-- out from the history itself.
CREATE TABLE referral_progress (
    board_id          smallint NOT NULL REFERENCES board (id),
    referral_id       uuid PRIMARY KEY,
    first_contact_at  timestamptz,
    engaged           boolean NOT NULL DEFAULT false,
    waited            boolean NOT NULL DEFAULT false,
    left_waiting_at   timestamptz,
    first_swemwbs_id  bigint,
    first_swemwbs     numeric(4, 2),
    closing_swemwbs_id bigint,
    closing_swemwbs   numeric(4, 2),
    first_ons4_id     bigint,
    first_ons4        text[],
    closing_ons4_id   bigint,
    closing_ons4      text[],
    FOREIGN KEY (board_id, referral_id) REFERENCES referral (board_id, id)
);
ALTER TABLE referral_progress ENABLE ROW LEVEL SECURITY;
ALTER TABLE referral_progress FORCE ROW LEVEL SECURITY;
CREATE POLICY board_isolation ON referral_progress
    USING (board_id = current_board_id()) WITH CHECK (board_id = current_board_id());
-- written only by the triggers below, in the transaction writing the event
-- or the measure
GRANT SELECT, INSERT, UPDATE ON referral_progress TO links_app;

CREATE FUNCTION referral_progress_event() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.to_status IN ('contacted', 'engaged', 'waiting') OR NEW.from_status = 'waiting' THEN
        -- least() passes over NULLs: the earliest of the times known
        INSERT INTO referral_progress AS p (board_id, referral_id, first_contact_at, engaged, waited, left_waiting_at)
        VALUES (NEW.board_id, NEW.referral_id, CASE WHEN NEW.to_status = 'contacted' THEN NEW.at END,
                NEW.to_status = 'engaged', NEW.to_status = 'waiting',
                CASE WHEN NEW.from_status = 'waiting' AND NEW.to_status <> 'waiting' THEN NEW.at END)
        ON CONFLICT (referral_id) DO UPDATE SET
            first_contact_at = least(p.first_contact_at, EXCLUDED.first_contact_at),
            engaged = p.engaged OR EXCLUDED.engaged,
            waited = p.waited OR EXCLUDED.waited,
            left_waiting_at = least(p.left_waiting_at, EXCLUDED.left_waiting_at);
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER referral_progress_event AFTER INSERT ON referral_event
    FOR EACH ROW EXECUTE FUNCTION referral_progress_event();

CREATE FUNCTION referral_progress_measure() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    sw_id bigint := CASE WHEN NEW.swemwbs_raw IS NOT NULL THEN NEW.id END;
    ons_id bigint := CASE WHEN NEW.life_satisfaction IS NOT NULL THEN NEW.id END;
    bands text[] := ARRAY[NEW.life_satisfaction_band, NEW.worthwhile_band, NEW.happiness_band, NEW.anxiety_band];
    first boolean := NEW.stage = 'first_contact';
BEGIN
    INSERT INTO referral_progress AS p (board_id, referral_id, first_swemwbs_id, first_swemwbs, closing_swemwbs_id,
                                        closing_swemwbs, first_ons4_id, first_ons4, closing_ons4_id, closing_ons4)
    VALUES (NEW.board_id, NEW.referral_id,
            CASE WHEN first THEN sw_id END, CASE WHEN first AND sw_id IS NOT NULL THEN NEW.swemwbs_metric END,
            CASE WHEN NOT first THEN sw_id END, CASE WHEN NOT first AND sw_id IS NOT NULL THEN NEW.swemwbs_metric END,
            CASE WHEN first THEN ons_id END, CASE WHEN first AND ons_id IS NOT NULL THEN bands END,
            CASE WHEN NOT first THEN ons_id END, CASE WHEN NOT first AND ons_id IS NOT NULL THEN bands END)
    ON CONFLICT (referral_id) DO UPDATE SET
        -- each column from the newer measure of its stage and scale
        first_swemwbs = CASE WHEN EXCLUDED.first_swemwbs_id > coalesce(p.first_swemwbs_id, 0)
                             THEN EXCLUDED.first_swemwbs ELSE p.first_swemwbs END,
        first_swemwbs_id = greatest(p.first_swemwbs_id, EXCLUDED.first_swemwbs_id),
        closing_swemwbs = CASE WHEN EXCLUDED.closing_swemwbs_id > coalesce(p.closing_swemwbs_id, 0)
                               THEN EXCLUDED.closing_swemwbs ELSE p.closing_swemwbs END,
        closing_swemwbs_id = greatest(p.closing_swemwbs_id, EXCLUDED.closing_swemwbs_id),
        first_ons4 = CASE WHEN EXCLUDED.first_ons4_id > coalesce(p.first_ons4_id, 0)
                          THEN EXCLUDED.first_ons4 ELSE p.first_ons4 END,
        first_ons4_id = greatest(p.first_ons4_id, EXCLUDED.first_ons4_id),
        closing_ons4 = CASE WHEN EXCLUDED.closing_ons4_id > coalesce(p.closing_ons4_id, 0)
                            THEN EXCLUDED.closing_ons4 ELSE p.closing_ons4 END,
        closing_ons4_id = greatest(p.closing_ons4_id, EXCLUDED.closing_ons4_id);
    RETURN NULL;
END $$;
CREATE TRIGGER referral_progress_measure AFTER INSERT ON wellbeing_measure
    FOR EACH ROW EXECUTE FUNCTION referral_progress_measure();

-- What is there already.
INSERT INTO referral_progress (board_id, referral_id, first_contact_at, engaged, waited, left_waiting_at)
SELECT e.board_id, e.referral_id, min(e.at) FILTER (WHERE e.to_status = 'contacted'), bool_or(e.to_status = 'engaged'),
       bool_or(e.to_status = 'waiting'), min(e.at) FILTER (WHERE e.from_status = 'waiting' AND e.to_status <> 'waiting')
  FROM referral_event e
 WHERE e.to_status IN ('contacted', 'engaged', 'waiting') OR e.from_status = 'waiting'
 GROUP BY 1, 2;
WITH latest AS (
    SELECT w.board_id, w.referral_id, w.stage,
           max(w.id) FILTER (WHERE w.swemwbs_raw IS NOT NULL) AS sw_id,
           max(w.id) FILTER (WHERE w.life_satisfaction IS NOT NULL) AS ons_id
      FROM wellbeing_measure w GROUP BY 1, 2, 3),
values_of AS (
    SELECT l.board_id, l.referral_id, l.stage, l.sw_id, sw.swemwbs_metric, l.ons_id,
           ARRAY[o.life_satisfaction_band, o.worthwhile_band, o.happiness_band, o.anxiety_band] AS bands
      FROM latest l LEFT JOIN wellbeing_measure sw ON sw.id = l.sw_id LEFT JOIN wellbeing_measure o ON o.id = l.ons_id)
INSERT INTO referral_progress AS p (board_id, referral_id, first_swemwbs_id, first_swemwbs, closing_swemwbs_id,
                                    closing_swemwbs, first_ons4_id, first_ons4, closing_ons4_id, closing_ons4)
SELECT coalesce(f.board_id, c.board_id), coalesce(f.referral_id, c.referral_id), f.sw_id, f.swemwbs_metric,
       c.sw_id, c.swemwbs_metric, f.ons_id, CASE WHEN f.ons_id IS NOT NULL THEN f.bands END,
       c.ons_id, CASE WHEN c.ons_id IS NOT NULL THEN c.bands END
  FROM (SELECT * FROM values_of WHERE stage = 'first_contact') f
  FULL JOIN (SELECT * FROM values_of WHERE stage = 'closing') c ON c.referral_id = f.referral_id
ON CONFLICT (referral_id) DO UPDATE SET
    first_swemwbs_id = EXCLUDED.first_swemwbs_id, first_swemwbs = EXCLUDED.first_swemwbs,
    closing_swemwbs_id = EXCLUDED.closing_swemwbs_id, closing_swemwbs = EXCLUDED.closing_swemwbs,
    first_ons4_id = EXCLUDED.first_ons4_id, first_ons4 = EXCLUDED.first_ons4,
    closing_ons4_id = EXCLUDED.closing_ons4_id, closing_ons4 = EXCLUDED.closing_ons4;
