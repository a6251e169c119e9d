-- +goose Up

-- Front-office events: the raw log, append only (COPY), in arrival order
-- (batch, pos). No index but a BRIN on batch: ingestion speed first; the
-- rollups below answer every read.
CREATE SEQUENCE event_batches;
CREATE TABLE events (
    site_id   BIGINT      NOT NULL,
    batch     BIGINT      NOT NULL,
    pos       INT         NOT NULL,
    type      SMALLINT    NOT NULL,
    at        TIMESTAMPTZ NOT NULL,
    visitor   TEXT,
    path      TEXT,
    bytes     BIGINT      NOT NULL DEFAULT 0,
    ref       TEXT,
    form_id   TEXT,
    status    SMALLINT    NOT NULL DEFAULT 0,
    amount    BIGINT      NOT NULL DEFAULT 0,
    currency  TEXT,
    quantity  BIGINT      NOT NULL DEFAULT 0,
    threshold BIGINT      NOT NULL DEFAULT 0,
    user_id   TEXT
);
CREATE INDEX events_batch_brin ON events USING brin (batch);

-- Daily rollup per site.
CREATE TABLE daily (
    site_id   BIGINT NOT NULL,
    day       DATE   NOT NULL,
    visits    BIGINT NOT NULL DEFAULT 0,
    pageviews BIGINT NOT NULL DEFAULT 0,
    api_hits  BIGINT NOT NULL DEFAULT 0,
    carts     BIGINT NOT NULL DEFAULT 0,
    bytes     BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (site_id, day)
);

-- Sales (paid orders) per site, day and currency.
CREATE TABLE daily_sales (
    site_id  BIGINT NOT NULL,
    day      DATE   NOT NULL,
    currency TEXT   NOT NULL,
    amount   BIGINT NOT NULL DEFAULT 0,
    orders   BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (site_id, day, currency)
);

-- API hits of requests that name no site, per customer and day.
CREATE TABLE customer_hits (
    customer_id BIGINT NOT NULL,
    day         DATE   NOT NULL,
    hits        BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (customer_id, day)
);

-- States: each order, form response and product of a site.
CREATE TABLE orders (
    site_id  BIGINT      NOT NULL,
    order_id TEXT        NOT NULL,
    status   SMALLINT    NOT NULL DEFAULT 0,
    amount   BIGINT      NOT NULL DEFAULT 0,
    currency TEXT        NOT NULL DEFAULT '',
    at       TIMESTAMPTZ,
    paid_at  TIMESTAMPTZ,
    PRIMARY KEY (site_id, order_id)
);
CREATE INDEX orders_pending_idx ON orders (site_id) WHERE status = 1 AND paid_at IS NULL;

CREATE TABLE form_responses (
    site_id     BIGINT      NOT NULL,
    response_id TEXT        NOT NULL,
    form_id     TEXT,
    unread      BOOLEAN     NOT NULL,
    at          TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (site_id, response_id)
);
CREATE INDEX form_responses_unread_idx ON form_responses (site_id) WHERE unread;

CREATE TABLE stock (
    site_id    BIGINT      NOT NULL,
    product_id TEXT        NOT NULL,
    quantity   BIGINT      NOT NULL,
    threshold  BIGINT      NOT NULL,
    at         TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (site_id, product_id)
);

CREATE TABLE forms (
    site_id BIGINT NOT NULL,
    form_id TEXT   NOT NULL,
    PRIMARY KEY (site_id, form_id)
);

CREATE TABLE site_users (
    site_id BIGINT NOT NULL,
    user_id TEXT   NOT NULL,
    PRIMARY KEY (site_id, user_id)
);

-- Idempotency keys of batches.
CREATE TABLE ingest_keys (
    site_id     BIGINT      NOT NULL,
    key         TEXT        NOT NULL,
    fingerprint BYTEA       NOT NULL,
    accepted    INT         NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (site_id, key)
);

-- Activity logs.
CREATE TABLE activity (
    id          BIGSERIAL PRIMARY KEY,
    site_id     BIGINT,
    customer_id BIGINT,
    type        TEXT        NOT NULL,
    text        TEXT        NOT NULL,
    urn         TEXT        NOT NULL DEFAULT '',
    user_name   TEXT        NOT NULL DEFAULT '',
    user_profil TEXT        NOT NULL DEFAULT '',
    avatar_url  TEXT        NOT NULL DEFAULT '',
    at          TIMESTAMPTZ NOT NULL,
    dedupe      TEXT UNIQUE
);
CREATE INDEX activity_site_idx ON activity (site_id, at DESC, id DESC) WHERE site_id IS NOT NULL;
CREATE INDEX activity_customer_idx ON activity (customer_id, at DESC, id DESC) WHERE site_id IS NULL;

-- Records of other services' events.
CREATE TABLE processed_events (
    consumer TEXT        NOT NULL,
    id       TEXT        NOT NULL,
    at       TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (consumer, id)
);

CREATE TABLE customers (
    id             BIGINT PRIMARY KEY,
    status         TEXT        NOT NULL,
    email_verified BOOLEAN     NOT NULL DEFAULT false,
    deleted        BOOLEAN     NOT NULL DEFAULT false,
    at             TIMESTAMPTZ NOT NULL
);

CREATE TABLE memberships (
    id          BIGINT PRIMARY KEY,
    customer_id BIGINT      NOT NULL,
    plan_id     BIGINT      NOT NULL,
    site_id     BIGINT      NOT NULL,
    status      TEXT        NOT NULL,
    deleted     BOOLEAN     NOT NULL DEFAULT false,
    at          TIMESTAMPTZ NOT NULL
);

CREATE TABLE payments (
    id            BIGINT PRIMARY KEY,
    customer_id   BIGINT      NOT NULL,
    membership_id BIGINT      NOT NULL,
    total         BIGINT      NOT NULL,
    currency      TEXT        NOT NULL,
    status        TEXT        NOT NULL,
    deleted       BOOLEAN     NOT NULL DEFAULT false,
    at            TIMESTAMPTZ NOT NULL
);

CREATE TABLE sites (
    id          BIGINT PRIMARY KEY,
    code        TEXT        NOT NULL,
    customer_id BIGINT      NOT NULL,
    status      TEXT        NOT NULL,
    deleted     BOOLEAN     NOT NULL DEFAULT false,
    at          TIMESTAMPTZ NOT NULL
);
CREATE INDEX sites_code_idx ON sites (code) WHERE NOT deleted;

-- +goose Down
DROP TABLE sites, payments, memberships, customers, processed_events, activity, ingest_keys,
    site_users, forms, stock, form_responses, orders, customer_hits, daily_sales, daily, events;
DROP SEQUENCE event_batches;
