-- +goose Up
-- Accounts: the operator (id 1, created here) and resellers. Every key
-- belongs to one. The contact is one value, read and written whole.
CREATE TABLE accounts (
    id         BIGSERIAL   PRIMARY KEY,
    type       TEXT        NOT NULL DEFAULT 'reseller' CHECK (type IN ('operator', 'reseller')),
    level      TEXT        NOT NULL DEFAULT 'standard',
    contact    JSONB       NOT NULL DEFAULT '{}',
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
INSERT INTO accounts (id, type) VALUES (1, 'operator') ON CONFLICT (id) DO NOTHING;
-- Accounts that keys already name.
INSERT INTO accounts (id, type) SELECT DISTINCT account_id, 'reseller' FROM api_keys WHERE account_id <> 1
    ON CONFLICT (id) DO NOTHING;
SELECT setval(pg_get_serial_sequence('accounts', 'id'), GREATEST((SELECT max(id) FROM accounts), 1));

ALTER TABLE api_keys
    ADD COLUMN allowed_ips       TEXT[]      NOT NULL DEFAULT '{}',
    ADD COLUMN prev_secret_hash  BYTEA,
    ADD COLUMN prev_secret_until TIMESTAMPTZ,
    ADD COLUMN rotated_at        TIMESTAMPTZ,
    ADD COLUMN rotation_key      BYTEA,
    ADD CONSTRAINT api_keys_account_fk FOREIGN KEY (account_id) REFERENCES accounts (id);
CREATE INDEX api_keys_account_idx ON api_keys (account_id);

-- Settings: one JSON value per known key (the registry is in the code).
CREATE TABLE settings (
    key        TEXT        PRIMARY KEY,
    value      JSONB       NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- The installation: one row, its stable instance id.
CREATE TABLE installation (
    singleton   BOOLEAN     PRIMARY KEY DEFAULT true CHECK (singleton),
    instance_id TEXT        NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- The last calls of each key: the store keeps the newest 1,000 per key,
-- trimming a key's rows once they pass 1,250 (key_activity_counts counts
-- them, and its row is the key's lock for appending). Rows are only
-- written for keys that exist, which are never deleted: no foreign key,
-- whose per-row check would cost as much as the insert.
CREATE TABLE key_activity (
    id     BIGSERIAL   PRIMARY KEY,
    key_id BIGINT      NOT NULL,
    method TEXT        NOT NULL,
    path   TEXT        NOT NULL,
    status INTEGER     NOT NULL,
    at     TIMESTAMPTZ NOT NULL,
    ip     TEXT        NOT NULL DEFAULT ''
);
CREATE INDEX key_activity_key_at_idx ON key_activity (key_id, at DESC, id DESC);
CREATE TABLE key_activity_counts (
    key_id BIGINT  PRIMARY KEY,
    n      INTEGER NOT NULL
);

-- +goose Down
DROP TABLE key_activity_counts;
DROP TABLE key_activity;
DROP TABLE installation;
DROP TABLE settings;
ALTER TABLE api_keys
    DROP CONSTRAINT api_keys_account_fk,
    DROP COLUMN allowed_ips,
    DROP COLUMN prev_secret_hash,
    DROP COLUMN prev_secret_until,
    DROP COLUMN rotated_at,
    DROP COLUMN rotation_key;
DROP TABLE accounts;
