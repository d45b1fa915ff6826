-- Migration 0004: API tokens get a table of their own (several per user, each with an expiry, listable and revocable), and the
-- account lockout goes: repeated failures are slowed down per source by the server's rate limiter instead, so that nobody can
-- lock another user out (docs/SECURITY.md).

CREATE TABLE api_token (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_name   text NOT NULL REFERENCES app_user (user_name) ON DELETE CASCADE ON UPDATE CASCADE,
    token_hash  text NOT NULL UNIQUE,
    label       text NOT NULL DEFAULT '',
    created_at  timestamptz NOT NULL DEFAULT now(),
    expires_at  timestamptz NOT NULL,
    CONSTRAINT api_token_hash_hex CHECK (token_hash ~ '^[0-9a-f]{64}$'),
    CONSTRAINT api_token_label CHECK (length(label) <= 100),
    CONSTRAINT api_token_expiry CHECK (expires_at > created_at)
);
CREATE INDEX api_token_user ON api_token (user_name);

-- Tokens issued before this migration keep working for 90 days.
INSERT INTO api_token (user_name, token_hash, label, expires_at)
SELECT user_name, api_token_hash, 'issued before expiry existed', now() + interval '90 days'
FROM app_user WHERE api_token_hash IS NOT NULL;

ALTER TABLE app_user DROP COLUMN api_token_hash, DROP COLUMN failed_attempts, DROP COLUMN locked_until;

-- The token check's cache is keyed on this table's change version as well as app_user's.
CREATE TRIGGER api_token_changed BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE ON api_token
    FOR EACH STATEMENT EXECUTE FUNCTION data_change_bump();
INSERT INTO data_change (table_name, version, changed_at) VALUES ('api_token', nextval('data_change_version'), now())
ON CONFLICT (table_name) DO NOTHING;
