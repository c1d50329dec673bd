-- 0004 staff accounts, sessions, API tokens, sign-in throttling and the
-- audit log; composite (board_id, id) foreign keys across the directory.
--
-- Board isolation. Every board-owned table has board_id, row-level
-- security enabled and forced, and policies comparing board_id with
-- current_board_id() (the board set for the transaction with
-- set_config('app.board_id', id, true)). The runtime role links_app is
-- neither owner nor superuser and has no BYPASSRLS; no function here is
-- SECURITY DEFINER. A handler that forgets its board filter still reads
-- only its own board's rows.
--
-- System administrators belong to the deployment, not to a board: their
-- rows have board_id NULL and are the only staff rows a transaction without
-- a board sees. Foreign keys cannot match NULL to NULL, so tables whose rows
-- may belong to the deployment carry board_key = coalesce(board_id, 0) and
-- use it in their composite keys: a session can point only at staff of the
-- same board, the deployment's included.

-- The same board, or both the deployment (NULL): for policies.
CREATE FUNCTION is_current_board(b smallint) RETURNS boolean
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT b IS NOT DISTINCT FROM current_board_id()
$$;
GRANT EXECUTE ON FUNCTION is_current_board(smallint) TO links_app;

------------------------------------------------------------------------
-- Composite foreign keys in the directory: no row points across boards.
-- (National rows have board_id NULL; the runtime role cannot write them,
-- since board_changes_own_rows compares with the current board.)
ALTER TABLE service ADD FOREIGN KEY (board_id, organization_id) REFERENCES organization (board_id, id);
ALTER TABLE location ADD FOREIGN KEY (board_id, organization_id) REFERENCES organization (board_id, id);
ALTER TABLE service_category
    ADD FOREIGN KEY (board_id, service_id) REFERENCES service (board_id, id) ON DELETE CASCADE;
ALTER TABLE service_at_location
    ADD FOREIGN KEY (board_id, service_id) REFERENCES service (board_id, id) ON DELETE CASCADE,
    ADD FOREIGN KEY (board_id, location_id) REFERENCES location (board_id, id) ON DELETE CASCADE;
ALTER TABLE schedule
    ADD FOREIGN KEY (board_id, location_id) REFERENCES location (board_id, id) ON DELETE CASCADE;

-- Practices are managed by board administrators from now on.
ALTER TABLE practice ADD COLUMN closed_at timestamptz;
GRANT INSERT (board_id, code, name, address, postcode, phone, list_size, has_links_worker, lat, lon)
    ON practice TO links_app;
GRANT UPDATE (phone, list_size, list_size_synthetic, has_links_worker, closed_at) ON practice TO links_app;

------------------------------------------------------------------------
CREATE TABLE staff (
    board_id            smallint REFERENCES board (id),    -- NULL: system administrator
    id                  uuid NOT NULL DEFAULT gen_random_uuid() PRIMARY KEY,
    board_key           smallint GENERATED ALWAYS AS (coalesce(board_id, 0)) STORED,
    username            text NOT NULL CHECK (username ~ '^[a-z0-9][a-z0-9._-]{1,63}$'),
    display_name        text NOT NULL CHECK (length(display_name) BETWEEN 1 AND 100
                                             AND display_name !~ '[\x01-\x1f]'),
    role                text NOT NULL CHECK (role IN ('receptionist', 'practice_nurse', 'gp',
                                                      'links_worker', 'champion', 'board_admin',
                                                      'system_admin')),
    practice_id         uuid,
    -- libsodium crypto_pwhash_str (argon2id, with its own salt and costs)
    password_hash       text NOT NULL CHECK (password_hash LIKE '$argon2id$%'),
    password_changed_at timestamptz NOT NULL DEFAULT now(),
    -- set when an administrator chose the password: the user picks a new one
    must_change_password boolean NOT NULL DEFAULT false,
    failed_sign_ins     integer NOT NULL DEFAULT 0,
    locked_until        timestamptz,
    disabled_at         timestamptz,
    created_at          timestamptz NOT NULL DEFAULT now(),
    updated_at          timestamptz NOT NULL DEFAULT now(),
    UNIQUE (board_key, id),
    UNIQUE (board_key, username),
    FOREIGN KEY (board_id, practice_id) REFERENCES practice (board_id, id),
    CHECK ((role = 'system_admin') = (board_id IS NULL))
);

CREATE TABLE staff_session (
    board_id        smallint REFERENCES board (id),
    board_key       smallint GENERATED ALWAYS AS (coalesce(board_id, 0)) STORED,
    id              uuid NOT NULL DEFAULT gen_random_uuid() PRIMARY KEY,
    -- BLAKE2b-256 of the cookie's token: the token itself is never stored
    token_hash      bytea NOT NULL UNIQUE CHECK (length(token_hash) = 32),
    staff_id        uuid NOT NULL,
    -- sent back in X-CSRF-Token with every state-changing request
    csrf_token      text NOT NULL CHECK (length(csrf_token) >= 32),
    client_address  text,
    created_at      timestamptz NOT NULL DEFAULT now(),
    last_seen_at    timestamptz NOT NULL DEFAULT now(),
    ended_at        timestamptz,
    end_reason      text CHECK (end_reason IN ('signed out', 'idle timeout', 'absolute timeout',
                                               'account disabled', 'password changed',
                                               'signed in again')),
    FOREIGN KEY (board_key, staff_id) REFERENCES staff (board_key, id)
);
CREATE INDEX staff_session_staff_idx ON staff_session (staff_id) WHERE ended_at IS NULL;

CREATE TABLE api_token (
    board_id        smallint NOT NULL REFERENCES board (id),
    id              uuid NOT NULL DEFAULT gen_random_uuid() PRIMARY KEY,
    token_hash      bytea NOT NULL UNIQUE CHECK (length(token_hash) = 32),
    name            text NOT NULL CHECK (length(name) BETWEEN 1 AND 100 AND name !~ '[\x01-\x1f]'),
    role            text NOT NULL CHECK (role IN ('receptionist', 'practice_nurse', 'gp',
                                                  'links_worker', 'champion', 'board_admin')),
    practice_id     uuid,
    created_by      uuid NOT NULL,
    created_by_board_key smallint NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    expires_at      timestamptz,
    last_used_at    timestamptz,
    revoked_at      timestamptz,
    UNIQUE (board_id, id),
    FOREIGN KEY (board_id, practice_id) REFERENCES practice (board_id, id),
    FOREIGN KEY (created_by_board_key, created_by) REFERENCES staff (board_key, id)
);

-- Failed sign-ins by client address, whatever the account: guessing
-- across many usernames from one place is throttled too. Not board-owned
-- (an address is not a board's) and holds no account names.
CREATE TABLE sign_in_failure (
    client_address  text NOT NULL,
    at              timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX sign_in_failure_address_idx ON sign_in_failure (client_address, at);

------------------------------------------------------------------------
-- Who did what, when, from where and why: every read or change of
-- patient-identifiable data, every sign-in, failed sign-in, lockout and
-- role change. Append-only: the runtime role may insert and read (its own
-- board's rows), never update or delete, and a trigger refuses changes
-- from anyone.
CREATE TABLE audit_log (
    board_id        smallint REFERENCES board (id),    -- whose data; NULL: the deployment's
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at              timestamptz NOT NULL DEFAULT clock_timestamp(),
    actor_id        uuid,               -- staff member; NULL: nobody signed in
    actor_board_key smallint,
    actor_token_id  uuid,               -- when acting through an API token
    actor_name      text,               -- username (as typed, for a failed sign-in)
    actor_role      text,
    client_address  text,
    action          text NOT NULL CHECK (action ~ '^[a-z_]+(\.[a-z_]+)*$'),
    object_type     text,
    object_id       text,
    reason          text,
    detail          jsonb NOT NULL DEFAULT '{}',
    request_id      text,
    FOREIGN KEY (actor_board_key, actor_id) REFERENCES staff (board_key, id)
);
CREATE INDEX audit_log_board_at_idx ON audit_log (board_id, at DESC);
CREATE INDEX audit_log_actor_idx ON audit_log (actor_id, at DESC);

CREATE FUNCTION audit_log_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the audit log is append-only' USING ERRCODE = '42501';
END $$;
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_is_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_is_append_only();

------------------------------------------------------------------------
-- Row-level security: each board sees its own rows; a transaction without
-- a board sees the deployment's (system administrators and their sessions).
DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['staff', 'staff_session', 'api_token', 'audit_log']
    LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
        EXECUTE format('CREATE POLICY board_isolation ON %I
                            USING (is_current_board(board_id))
                            WITH CHECK (is_current_board(board_id))', t);
    END LOOP;
END $$;

-- Column lists, not whole tables: the runtime role cannot set ids, times
-- (a back-dated audit entry, a session that never times out) or counters.
GRANT SELECT ON staff TO links_app;
GRANT INSERT (board_id, username, display_name, role, practice_id, password_hash, must_change_password)
    ON staff TO links_app;
GRANT UPDATE (display_name, role, practice_id, password_hash, password_changed_at,
              must_change_password, failed_sign_ins, locked_until, disabled_at, updated_at)
    ON staff TO links_app;
GRANT SELECT ON staff_session TO links_app;
GRANT INSERT (board_id, token_hash, staff_id, csrf_token, client_address) ON staff_session TO links_app;
GRANT UPDATE (last_seen_at, ended_at, end_reason) ON staff_session TO links_app;
GRANT SELECT ON api_token TO links_app;
GRANT INSERT (board_id, token_hash, name, role, practice_id, created_by, created_by_board_key, expires_at)
    ON api_token TO links_app;
GRANT UPDATE (last_used_at, revoked_at) ON api_token TO links_app;
GRANT SELECT, DELETE ON sign_in_failure TO links_app;
GRANT INSERT (client_address) ON sign_in_failure TO links_app;
GRANT SELECT ON audit_log TO links_app;
GRANT INSERT (board_id, actor_id, actor_board_key, actor_token_id, actor_name, actor_role, client_address,
              action, object_type, object_id, reason, detail, request_id) ON audit_log TO links_app;
