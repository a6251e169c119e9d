-- +goose Up
-- The cx dialect's contact and address fields, and the text customer
-- searches look in: username, email, display name, extra information,
-- names and company, lower case, kept by the store on every write (one
-- trigram index instead of one per column and a join).
ALTER TABLE customers
    ADD COLUMN firstname    TEXT NOT NULL DEFAULT '',
    ADD COLUMN lastname     TEXT NOT NULL DEFAULT '',
    ADD COLUMN company_name TEXT NOT NULL DEFAULT '',
    ADD COLUMN phone        TEXT NOT NULL DEFAULT '',
    ADD COLUMN address      TEXT NOT NULL DEFAULT '',
    ADD COLUMN address2     TEXT NOT NULL DEFAULT '',
    ADD COLUMN city         TEXT NOT NULL DEFAULT '',
    ADD COLUMN region       TEXT NOT NULL DEFAULT '',
    ADD COLUMN zipcode      TEXT NOT NULL DEFAULT '',
    ADD COLUMN country      TEXT NOT NULL DEFAULT '',
    ADD COLUMN search_text  TEXT NOT NULL DEFAULT '';

UPDATE customers c SET search_text = lower(concat_ws(chr(31), u.username, u.email, u.display_name, c.extra_information, '', '', ''))
FROM users u WHERE u.id = c.user_id;

CREATE INDEX customers_vip_idx ON customers (vip, id);
CREATE INDEX customers_email_verification_idx ON customers (email_verification, id);
-- Searches use customers.search_text now: the per-column indexes only slow writes.
DROP INDEX IF EXISTS users_username_trgm_idx;
DROP INDEX IF EXISTS users_email_trgm_idx;
DROP INDEX IF EXISTS users_display_name_trgm_idx;
DROP INDEX IF EXISTS customers_extra_information_trgm_idx;

-- +goose StatementBegin
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm') THEN
        CREATE INDEX customers_search_trgm_idx ON customers USING gin (search_text gin_trgm_ops);
    END IF;
END
$$;
-- +goose StatementEnd

-- +goose Down
DROP INDEX IF EXISTS customers_search_trgm_idx;
DROP INDEX customers_email_verification_idx;
DROP INDEX customers_vip_idx;
ALTER TABLE customers
    DROP COLUMN firstname, DROP COLUMN lastname, DROP COLUMN company_name, DROP COLUMN phone,
    DROP COLUMN address, DROP COLUMN address2, DROP COLUMN city, DROP COLUMN region,
    DROP COLUMN zipcode, DROP COLUMN country, DROP COLUMN search_text;
