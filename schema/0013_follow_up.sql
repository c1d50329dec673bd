-- 0013 follow-up: what a links worker does with a referral after it
-- arrives. Contacts with the patient (each attempt, reached or not), the
-- date of the next follow-up, wellbeing measured at first contact and at
-- closing, and referrals on to other services.

ALTER TABLE referral ADD COLUMN follow_up_on date;
-- a referral made by a links worker from another one ("referred on")
ALTER TABLE referral ADD COLUMN referred_on_from uuid;
ALTER TABLE referral ADD CONSTRAINT referral_referred_on_from_fkey
    FOREIGN KEY (board_id, referred_on_from) REFERENCES referral (board_id, id);
CREATE INDEX referral_referred_on_from_idx ON referral (referred_on_from) WHERE referred_on_from IS NOT NULL;
GRANT UPDATE (follow_up_on) ON referral TO links_app;

-- Every attempt to reach the patient, whether or not it got through.
CREATE TABLE referral_contact (
    board_id     smallint NOT NULL REFERENCES board (id),
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    referral_id  uuid NOT NULL,
    contacted_on date NOT NULL,
    method       text NOT NULL CHECK (method IN ('phone', 'text', 'email', 'letter', 'in_person', 'video')),
    reached      boolean NOT NULL,
    note         text CHECK (length(note) <= 2000),
    recorded_by  uuid NOT NULL,
    recorded_at  timestamptz NOT NULL DEFAULT clock_timestamp(),
    FOREIGN KEY (board_id, referral_id) REFERENCES referral (board_id, id),
    FOREIGN KEY (board_id, recorded_by) REFERENCES staff (board_key, id)
);
CREATE INDEX referral_contact_referral_idx ON referral_contact (referral_id, contacted_on, id);

-- Wellbeing at first contact and at closing. SWEMWBS: the seven item
-- scores (1-5), their raw sum and its metric score from the published
-- table; ONS4: four scores (0-10), never summed, each with its ONS band.
-- The core computes the metric score and the bands (core/wellbeing.c) and
-- stores them, so reports group by exactly what staff were shown. A later
-- measure for the same stage corrects an earlier one; both are kept.
CREATE TABLE wellbeing_measure (
    board_id               smallint NOT NULL REFERENCES board (id),
    id                     bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    referral_id            uuid NOT NULL,
    patient_id             uuid NOT NULL,
    stage                  text NOT NULL CHECK (stage IN ('first_contact', 'closing')),
    measured_on            date NOT NULL,
    swemwbs_items          smallint[] CHECK (array_length(swemwbs_items, 1) = 7
                                             AND 1 <= ALL (swemwbs_items) AND 5 >= ALL (swemwbs_items)),
    swemwbs_raw            smallint CHECK (swemwbs_raw BETWEEN 7 AND 35),
    swemwbs_metric         numeric(4, 2) CHECK (swemwbs_metric BETWEEN 7 AND 35),
    life_satisfaction      smallint CHECK (life_satisfaction BETWEEN 0 AND 10),
    life_satisfaction_band text,
    worthwhile             smallint CHECK (worthwhile BETWEEN 0 AND 10),
    worthwhile_band        text,
    happiness              smallint CHECK (happiness BETWEEN 0 AND 10),
    happiness_band         text,
    anxiety                smallint CHECK (anxiety BETWEEN 0 AND 10),
    anxiety_band           text,
    recorded_by            uuid NOT NULL,
    recorded_at            timestamptz NOT NULL DEFAULT clock_timestamp(),
    CONSTRAINT wellbeing_swemwbs_whole CHECK (num_nulls(swemwbs_items, swemwbs_raw, swemwbs_metric) IN (0, 3)),
    CONSTRAINT wellbeing_ons4_whole CHECK (num_nulls(life_satisfaction, life_satisfaction_band, worthwhile,
                                                     worthwhile_band, happiness, happiness_band, anxiety,
                                                     anxiety_band) IN (0, 8)),
    CONSTRAINT wellbeing_something CHECK (swemwbs_raw IS NOT NULL OR life_satisfaction IS NOT NULL),
    FOREIGN KEY (board_id, referral_id) REFERENCES referral (board_id, id),
    FOREIGN KEY (board_id, patient_id) REFERENCES patient (board_id, id),
    FOREIGN KEY (board_id, recorded_by) REFERENCES staff (board_key, id)
);
CREATE INDEX wellbeing_measure_referral_idx ON wellbeing_measure (referral_id, stage, id);

CREATE FUNCTION follow_up_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only', TG_TABLE_NAME USING ERRCODE = '42501';
END $$;

DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['referral_contact', 'wellbeing_measure'] LOOP
        EXECUTE format('CREATE TRIGGER %I BEFORE UPDATE OR DELETE ON %I
                            FOR EACH ROW EXECUTE FUNCTION follow_up_is_append_only()', t || '_append_only', t);
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
        EXECUTE format('CREATE POLICY board_isolation ON %I USING (board_id = current_board_id())
                            WITH CHECK (board_id = current_board_id())', t);
    END LOOP;
END $$;
GRANT SELECT, INSERT ON referral_contact, wellbeing_measure TO links_app;

-- A wellbeing measure as the API shows it.
CREATE FUNCTION wellbeing_measure_json(w wellbeing_measure) RETURNS json LANGUAGE sql STABLE AS $$
    SELECT json_build_object(
        'id', w.id, 'stage', w.stage, 'measured_on', w.measured_on,
        'swemwbs', CASE WHEN w.swemwbs_raw IS NOT NULL THEN
            json_build_object('items', to_json(w.swemwbs_items), 'raw', w.swemwbs_raw, 'metric', w.swemwbs_metric) END,
        'ons4', CASE WHEN w.life_satisfaction IS NOT NULL THEN json_build_object(
            'life_satisfaction', json_build_object('score', w.life_satisfaction, 'band', w.life_satisfaction_band),
            'worthwhile', json_build_object('score', w.worthwhile, 'band', w.worthwhile_band),
            'happiness', json_build_object('score', w.happiness, 'band', w.happiness_band),
            'anxiety', json_build_object('score', w.anxiety, 'band', w.anxiety_band)) END,
        'recorded_by', (SELECT st.display_name FROM staff st WHERE st.id = w.recorded_by),
        'recorded_at', to_char(w.recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'))
$$;

-- A referral's wellbeing: the latest measure at each stage (a later one
-- corrects an earlier), and the change from first contact to closing
-- where both measured the same scale. ONS4 anxiety: a fall is better.
CREATE FUNCTION referral_wellbeing_json(referral uuid) RETURNS json LANGUAGE sql STABLE AS $$
    WITH latest AS (SELECT DISTINCT ON (w.stage) w FROM wellbeing_measure w
                     WHERE w.referral_id = referral ORDER BY w.stage, w.id DESC),
         f AS (SELECT (l.w).* FROM latest l WHERE (l.w).stage = 'first_contact'),
         c AS (SELECT (l.w).* FROM latest l WHERE (l.w).stage = 'closing')
    SELECT json_build_object(
        'first_contact', (SELECT wellbeing_measure_json(l.w) FROM latest l WHERE (l.w).stage = 'first_contact'),
        'closing', (SELECT wellbeing_measure_json(l.w) FROM latest l WHERE (l.w).stage = 'closing'),
        'change', (SELECT json_build_object(
                       'swemwbs_metric', c.swemwbs_metric - f.swemwbs_metric,
                       'life_satisfaction', c.life_satisfaction - f.life_satisfaction,
                       'worthwhile', c.worthwhile - f.worthwhile,
                       'happiness', c.happiness - f.happiness,
                       'anxiety', c.anxiety - f.anxiety)
                     FROM f, c),
        'corrected', (SELECT count(*) FROM wellbeing_measure w WHERE w.referral_id = referral)
                     - (SELECT count(*) FROM latest))
$$;
