-- 0017 the referral's wellbeing, planned once per connection: as a SQL
-- function that PostgreSQL cannot inline, referral_wellbeing_json was
-- planned afresh on every call (1.5-4.5 ms, most of the time a new
-- referral's 201 answer took: tests/bench/referrals fell from about 950
-- to 550 referrals a second after 0015 made the function larger). The
-- same query in PL/pgSQL keeps its plan for the session. Same result.

CREATE OR REPLACE FUNCTION referral_wellbeing_json(referral uuid) RETURNS json LANGUAGE plpgsql STABLE AS $$
BEGIN
    RETURN (
        WITH sw AS (SELECT DISTINCT ON (w.stage) w.stage, w AS m FROM wellbeing_measure w
                     WHERE w.referral_id = referral AND w.swemwbs_raw IS NOT NULL ORDER BY w.stage, w.id DESC),
             ons AS (SELECT DISTINCT ON (w.stage) w.stage, w AS m FROM wellbeing_measure w
                      WHERE w.referral_id = referral AND w.life_satisfaction IS NOT NULL ORDER BY w.stage, w.id DESC),
             stages AS (SELECT s.stage,
                               (SELECT sw.m FROM sw WHERE sw.stage = s.stage) AS sw,
                               (SELECT ons.m FROM ons WHERE ons.stage = s.stage) AS ons
                          FROM (VALUES ('first_contact'), ('closing')) s(stage)),
             shown AS (SELECT st.stage, (st.sw).swemwbs_metric AS metric, (st.ons).life_satisfaction AS ls,
                              (st.ons).worthwhile AS wo, (st.ons).happiness AS ha, (st.ons).anxiety AS an,
                              CASE WHEN st.sw IS NULL AND st.ons IS NULL THEN NULL ELSE json_build_object(
                                  'id', greatest((st.sw).id, (st.ons).id), 'stage', st.stage,
                                  'measured_on', greatest((st.sw).measured_on, (st.ons).measured_on),
                                  'swemwbs', wellbeing_measure_json(st.sw) -> 'swemwbs',
                                  'swemwbs_measured_on', (st.sw).measured_on,
                                  'ons4', wellbeing_measure_json(st.ons) -> 'ons4',
                                  'ons4_measured_on', (st.ons).measured_on,
                                  'recorded_by', coalesce(wellbeing_measure_json(CASE WHEN (st.ons).id > (st.sw).id OR st.sw IS NULL
                                                                                      THEN st.ons ELSE st.sw END) ->> 'recorded_by', ''),
                                  'recorded_at', wellbeing_measure_json(CASE WHEN (st.ons).id > (st.sw).id OR st.sw IS NULL
                                                                             THEN st.ons ELSE st.sw END) ->> 'recorded_at') END AS doc
                         FROM stages st),
             f AS (SELECT * FROM shown WHERE stage = 'first_contact'),
             c AS (SELECT * FROM shown WHERE stage = 'closing')
        SELECT json_build_object(
            'first_contact', (SELECT doc FROM f),
            'closing', (SELECT doc FROM c),
            'change', (SELECT CASE WHEN f.doc IS NULL OR c.doc IS NULL THEN NULL ELSE json_build_object(
                           'swemwbs_metric', c.metric - f.metric,
                           'life_satisfaction', c.ls - f.ls, 'worthwhile', c.wo - f.wo,
                           'happiness', c.ha - f.ha, 'anxiety', c.an - f.an) END
                         FROM f, c),
            -- how many (stage, scale) values a later measure replaced
            'corrected', (SELECT coalesce(sum(n - 1), 0) FROM (
                              SELECT count(*) AS n FROM wellbeing_measure w WHERE w.referral_id = referral AND w.swemwbs_raw IS NOT NULL
                               GROUP BY w.stage
                              UNION ALL
                              SELECT count(*) FROM wellbeing_measure w WHERE w.referral_id = referral AND w.life_satisfaction IS NOT NULL
                               GROUP BY w.stage) counts))
    );
END $$;
