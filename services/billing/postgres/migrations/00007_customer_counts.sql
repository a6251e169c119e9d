-- +goose Up
-- Exact customer totals without counting the table: every statement that
-- inserts, deletes or changes the status or email verification of
-- customers appends its net change per (status, email_verification) here,
-- from its transition tables (one row per group, not per customer). Rows
-- are only ever appended, so concurrent writers never wait on each other;
-- a total is the sum of a handful of rows, read in the reader's own
-- snapshot (exact, in or out of a transaction). The store folds the rows
-- together now and then (Customers.compactCounts).
CREATE TABLE customer_counts (
    status             TEXT   NOT NULL,
    email_verification TEXT   NOT NULL,
    n                  BIGINT NOT NULL
);

-- +goose StatementBegin
CREATE FUNCTION customer_counts_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO customer_counts (status, email_verification, n)
    SELECT status, email_verification, count(*) FROM new_rows GROUP BY 1, 2;
    RETURN NULL;
END
$$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE FUNCTION customer_counts_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO customer_counts (status, email_verification, n)
    SELECT status, email_verification, -count(*) FROM old_rows GROUP BY 1, 2;
    RETURN NULL;
END
$$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE FUNCTION customer_counts_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO customer_counts (status, email_verification, n)
    SELECT status, email_verification, sum(d) FROM (
        SELECT status, email_verification, -1 AS d FROM old_rows
        UNION ALL
        SELECT status, email_verification, 1 FROM new_rows
    ) changes GROUP BY 1, 2 HAVING sum(d) <> 0;
    RETURN NULL;
END
$$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE FUNCTION customer_counts_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM customer_counts;
    RETURN NULL;
END
$$;
-- +goose StatementEnd

CREATE TRIGGER customer_counts_insert AFTER INSERT ON customers
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION customer_counts_insert();
CREATE TRIGGER customer_counts_delete AFTER DELETE ON customers
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION customer_counts_delete();
CREATE TRIGGER customer_counts_update AFTER UPDATE ON customers
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION customer_counts_update();
CREATE TRIGGER customer_counts_truncate AFTER TRUNCATE ON customers
    FOR EACH STATEMENT EXECUTE FUNCTION customer_counts_truncate();

-- The customers already there (the triggers see every later change; a
-- concurrent writer waits on this lock, so none is missed or counted twice).
LOCK TABLE customers IN SHARE MODE;
INSERT INTO customer_counts (status, email_verification, n)
SELECT status, email_verification, count(*) FROM customers GROUP BY 1, 2;

-- +goose Down
DROP TRIGGER customer_counts_truncate ON customers;
DROP TRIGGER customer_counts_update ON customers;
DROP TRIGGER customer_counts_delete ON customers;
DROP TRIGGER customer_counts_insert ON customers;
DROP FUNCTION customer_counts_truncate(), customer_counts_update(), customer_counts_delete(), customer_counts_insert();
DROP TABLE customer_counts;
