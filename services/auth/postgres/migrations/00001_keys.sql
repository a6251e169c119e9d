-- +goose Up
CREATE TABLE api_keys (
    id           BIGSERIAL PRIMARY KEY,
    account_id   BIGINT      NOT NULL DEFAULT 1,
    name         TEXT        NOT NULL,
    email        TEXT        NOT NULL,
    api_key      TEXT        NOT NULL,
    secret_hash  BYTEA       NOT NULL,
    permissions  TEXT[]      NOT NULL DEFAULT '{}',
    customer_id  BIGINT,
    rate_count   INTEGER     NOT NULL DEFAULT 0,
    rate_period  BIGINT      NOT NULL DEFAULT 0,
    expires_at   TIMESTAMPTZ,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    last_used_at TIMESTAMPTZ,
    revoked_at   TIMESTAMPTZ,
    CONSTRAINT api_keys_api_key_key UNIQUE (api_key)
);
CREATE INDEX api_keys_customer_idx ON api_keys (customer_id) WHERE customer_id IS NOT NULL;

-- +goose Down
DROP TABLE api_keys;
