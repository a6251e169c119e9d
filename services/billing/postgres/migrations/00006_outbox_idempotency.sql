-- +goose Up
-- The event outbox (libs/events.OutboxSchema): written in the transaction
-- of each change, published to Redis by the relay.
CREATE TABLE IF NOT EXISTS outbox (
    seq          BIGSERIAL PRIMARY KEY,
    id           TEXT        NOT NULL UNIQUE,
    type         TEXT        NOT NULL,
    subject      TEXT        NOT NULL,
    time         TIMESTAMPTZ NOT NULL,
    data         JSONB       NOT NULL,
    published_at TIMESTAMPTZ
);
CREATE INDEX IF NOT EXISTS outbox_pending_idx ON outbox (seq) WHERE published_at IS NULL;

-- Idempotency-Key records: the first answer to a retried write, by caller.
CREATE TABLE idempotency_keys (
    scope        TEXT        NOT NULL,
    key          TEXT        NOT NULL,
    fingerprint  TEXT        NOT NULL,
    done         BOOLEAN     NOT NULL DEFAULT false,
    status       INT         NOT NULL DEFAULT 0,
    content_type TEXT        NOT NULL DEFAULT '',
    body         BYTEA,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (scope, key)
);
CREATE INDEX idempotency_keys_created_at_idx ON idempotency_keys (created_at);

-- +goose Down
DROP TABLE idempotency_keys;
DROP TABLE outbox;
