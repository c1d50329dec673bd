-- 0010 signposting: a quick record that a member of practice staff gave a
-- patient information about a service, a kind of support (a category) or
-- the practice's links worker. No patient identity: it is counted for
-- the reports (rates of signposting by practice), not followed up.
--
-- A signpost made by mistake is withdrawn, not deleted: the record stays
-- (who withdrew it, when) and the reports leave it out.

CREATE TABLE signpost (
    board_id        smallint NOT NULL REFERENCES board (id),
    id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    at              timestamptz NOT NULL DEFAULT now(),
    staff_id        uuid NOT NULL,
    practice_id     uuid NOT NULL,
    service_id      uuid REFERENCES service (id),
    category_id     uuid REFERENCES category (id),
    links_worker    boolean NOT NULL DEFAULT false,
    withdrawn_at    timestamptz,
    withdrawn_by    uuid,
    CONSTRAINT signpost_one_subject
        CHECK (num_nonnulls(service_id, category_id) + links_worker::int = 1),
    CONSTRAINT signpost_withdrawn_by CHECK ((withdrawn_at IS NULL) = (withdrawn_by IS NULL)),
    FOREIGN KEY (board_id, practice_id) REFERENCES practice (board_id, id),
    FOREIGN KEY (board_id, staff_id) REFERENCES staff (board_key, id)
);
CREATE INDEX signpost_practice_at_idx ON signpost (board_id, practice_id, at DESC);
CREATE INDEX signpost_service_idx ON signpost (service_id) WHERE service_id IS NOT NULL;

ALTER TABLE signpost ENABLE ROW LEVEL SECURITY;
ALTER TABLE signpost FORCE ROW LEVEL SECURITY;
CREATE POLICY board_isolation ON signpost
    USING (board_id = current_board_id()) WITH CHECK (board_id = current_board_id());
GRANT SELECT, INSERT ON signpost TO links_app;
GRANT UPDATE (withdrawn_at, withdrawn_by) ON signpost TO links_app;
