-- +goose Up
-- The tenant registry: one row per site that asked to go sovereign.
CREATE TABLE tenants (
    site_id         BIGINT      PRIMARY KEY CHECK (site_id > 0),
    customer_id     BIGINT      NOT NULL DEFAULT 0,
    state           TEXT        NOT NULL,
    step            TEXT        NOT NULL DEFAULT '',
    error           TEXT        NOT NULL DEFAULT '',
    done            TEXT[]      NOT NULL DEFAULT '{}',
    server          TEXT        NOT NULL DEFAULT '',
    database_host   TEXT        NOT NULL DEFAULT '',
    database_name   TEXT        NOT NULL DEFAULT '',
    role_name       TEXT        NOT NULL DEFAULT '',
    -- AES-GCM sealed (HOSTPLANE_TENANCY_KEY); the plaintext is never stored.
    sealed_password BYTEA,
    site_root       TEXT        NOT NULL DEFAULT '',
    tenant_dir      TEXT        NOT NULL DEFAULT '',
    no_legacy       TEXT        NOT NULL DEFAULT 'pending',
    sovereign_push  TEXT        NOT NULL DEFAULT 'pending',
    tenant_users    TEXT        NOT NULL DEFAULT 'pending',
    verified_at     TIMESTAMPTZ,
    date_created    TIMESTAMPTZ NOT NULL,
    date_modified   TIMESTAMPTZ NOT NULL
);
CREATE INDEX tenants_server_idx ON tenants (server);
CREATE INDEX tenants_running_idx ON tenants (site_id) WHERE state IN ('pending', 'provisioning', 'migrating', 'verifying');

-- libs/events: the outbox of tenant.* events and the ids of handled events.
CREATE TABLE outbox (
    seq          BIGSERIAL PRIMARY KEY,
    id           TEXT        NOT NULL UNIQUE,
    type         TEXT        NOT NULL,
    subject      TEXT        NOT NULL,
    time         TIMESTAMPTZ NOT NULL,
    data         JSONB       NOT NULL,
    published_at TIMESTAMPTZ
);
CREATE INDEX outbox_pending_idx ON outbox (seq) WHERE published_at IS NULL;

CREATE TABLE processed_events (
    consumer TEXT        NOT NULL,
    id       TEXT        NOT NULL,
    at       TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (consumer, id)
);

-- +goose Down
DROP TABLE processed_events;
DROP TABLE outbox;
DROP TABLE tenants;
