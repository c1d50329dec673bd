-- 0012 referrals: a patient referred, with consent, to a service or to a
-- links worker, and every change of its state.
--
-- Patients are identified by CHI number (never in a URL or a log line) and
-- carry only what contact needs. Each board keeps its own patients; one
-- board never sees another's (row-level security, as for staff data).

CREATE TABLE patient (
    board_id        smallint NOT NULL REFERENCES board (id),
    id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    chi             text NOT NULL CHECK (chi ~ '^[0-9]{10}$'),
    name            text NOT NULL CHECK (length(name) BETWEEN 1 AND 200 AND name !~ '[\x01-\x1f]'),
    contact_method  text NOT NULL CHECK (contact_method IN ('phone', 'text', 'email', 'post')),
    contact_detail  text NOT NULL CHECK (length(contact_detail) BETWEEN 1 AND 300),
    postcode        text NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    UNIQUE (board_id, id),
    UNIQUE (board_id, chi)
);

CREATE TABLE referral (
    board_id            smallint NOT NULL REFERENCES board (id),
    id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    patient_id          uuid NOT NULL,
    practice_id         uuid NOT NULL,
    referrer_id         uuid NOT NULL,
    service_id          uuid REFERENCES service (id),
    links_worker        boolean NOT NULL DEFAULT false,
    -- the routing decision staff confirmed, and why
    route               text NOT NULL CHECK (route IN ('service', 'waiting_list', 'links_worker', 'locality_links_worker')),
    route_reason        text NOT NULL,
    decided_by          text NOT NULL,
    locality            text,
    notify_links_worker boolean NOT NULL DEFAULT false,
    reason              text NOT NULL CHECK (length(reason) BETWEEN 1 AND 2000),
    needs               text[] NOT NULL DEFAULT '{}',
    urgent              boolean NOT NULL DEFAULT false,
    -- no consent, no referral: who recorded it and when
    consent_recorded_by uuid NOT NULL,
    consent_recorded_at timestamptz NOT NULL DEFAULT now(),
    status              text NOT NULL CHECK (status IN ('received', 'waiting', 'contacted', 'engaged', 'closed')),
    closing_reason      text CHECK (closing_reason IN ('completed', 'did_not_engage', 'declined', 'moved_away', 'referred_on')),
    -- SNOMED CT: referral to social prescribing service; declined by patient
    snomed_code         text NOT NULL DEFAULT '871731000000106',
    created_at          timestamptz NOT NULL DEFAULT now(),
    updated_at          timestamptz NOT NULL DEFAULT now(),
    -- a retried creation finds the first (per referrer and key)
    idempotency_key     text NOT NULL CHECK (length(idempotency_key) BETWEEN 1 AND 200),
    request_hash        text NOT NULL,
    UNIQUE (board_id, id),
    UNIQUE (board_id, referrer_id, idempotency_key),
    CONSTRAINT referral_one_target CHECK ((service_id IS NOT NULL) <> links_worker),
    CONSTRAINT referral_closed_reason CHECK ((status = 'closed') = (closing_reason IS NOT NULL)),
    FOREIGN KEY (board_id, patient_id) REFERENCES patient (board_id, id),
    FOREIGN KEY (board_id, practice_id) REFERENCES practice (board_id, id),
    FOREIGN KEY (board_id, referrer_id) REFERENCES staff (board_key, id),
    FOREIGN KEY (board_id, consent_recorded_by) REFERENCES staff (board_key, id)
);
CREATE INDEX referral_practice_idx ON referral (board_id, practice_id, created_at DESC);
CREATE INDEX referral_patient_idx ON referral (patient_id);

-- Every change of a referral's state: who, when, from, to, a note.
CREATE TABLE referral_event (
    board_id    smallint NOT NULL REFERENCES board (id),
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    referral_id uuid NOT NULL,
    at          timestamptz NOT NULL DEFAULT clock_timestamp(),
    actor_id    uuid NOT NULL,
    from_status text,
    to_status   text NOT NULL,
    note        text CHECK (length(note) <= 2000),
    FOREIGN KEY (board_id, referral_id) REFERENCES referral (board_id, id),
    FOREIGN KEY (board_id, actor_id) REFERENCES staff (board_key, id)
);
CREATE INDEX referral_event_referral_idx ON referral_event (referral_id, id);

CREATE FUNCTION referral_event_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'a referral''s history is append-only' USING ERRCODE = '42501';
END $$;
CREATE TRIGGER referral_event_append_only BEFORE UPDATE OR DELETE ON referral_event
    FOR EACH ROW EXECUTE FUNCTION referral_event_is_append_only();

DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['patient', 'referral', 'referral_event'] LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
        EXECUTE format('CREATE POLICY board_isolation ON %I USING (board_id = current_board_id())
                            WITH CHECK (board_id = current_board_id())', t);
    END LOOP;
END $$;
GRANT SELECT, INSERT ON patient, referral, referral_event TO links_app;
GRANT UPDATE (name, contact_method, contact_detail, postcode, updated_at) ON patient TO links_app;
GRANT UPDATE (status, closing_reason, snomed_code, updated_at) ON referral TO links_app;
