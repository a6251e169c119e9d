-- +goose Up
-- The words of each customer's search_text, so that a search for a word
-- (letters a-z alone, or digits alone: see words.go) is counted exactly
-- from index entries instead of reading every matching customer's row.
--
-- A word is a maximal run of letters a-z or of digits 0-9 of search_text
-- (already lower case); a customer keeps only its words that no other of
-- its words contains ("john" goes when "johnson" is there: whatever one
-- contains, the other does too). A term made of letters alone (or digits alone) is
-- inside one such run wherever it occurs, so "search_text contains the
-- term" is "one of the customer's words contains it": the words
-- containing the term come from customer_word_dict (its trigram index),
-- the customers from customer_words' primary key (an index-only range
-- per word, status and email verification included for the list filters).
CREATE TABLE customer_words (
    word               TEXT COLLATE "C" NOT NULL,
    customer_id        BIGINT NOT NULL,
    status             TEXT   NOT NULL,
    email_verification TEXT   NOT NULL
);

-- Every word ever seen, once (a word no customer has any more only costs
-- an empty range of customer_words).
CREATE TABLE customer_word_dict (
    word TEXT COLLATE "C" PRIMARY KEY
);

-- +goose StatementBegin
CREATE FUNCTION customer_words_of(text) RETURNS SETOF text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT w FROM (SELECT DISTINCT m[1] AS w FROM regexp_matches($1, '[a-z]+|[0-9]+', 'g') m) a
    WHERE NOT EXISTS (SELECT 1 FROM regexp_matches($1, '[a-z]+|[0-9]+', 'g') n WHERE n[1] <> a.w AND strpos(n[1], a.w) > 0)
$$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE FUNCTION customer_words_sync() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        IF NEW.search_text = OLD.search_text THEN
            UPDATE customer_words SET status = NEW.status, email_verification = NEW.email_verification
            WHERE customer_id = NEW.id;
            RETURN NULL;
        END IF;
        DELETE FROM customer_words WHERE customer_id = OLD.id;
    END IF;
    INSERT INTO customer_word_dict (word)
    SELECT w FROM customer_words_of(NEW.search_text) w
    WHERE NOT EXISTS (SELECT 1 FROM customer_word_dict d WHERE d.word = w)
    ON CONFLICT DO NOTHING;
    INSERT INTO customer_words (word, customer_id, status, email_verification)
    SELECT w, NEW.id, NEW.status, NEW.email_verification FROM customer_words_of(NEW.search_text) w;
    RETURN NULL;
END
$$;
-- +goose StatementEnd
CREATE TRIGGER customer_words_insert AFTER INSERT ON customers
    FOR EACH ROW EXECUTE FUNCTION customer_words_sync();
CREATE TRIGGER customer_words_update AFTER UPDATE OF search_text, status, email_verification ON customers
    FOR EACH ROW WHEN (OLD.search_text IS DISTINCT FROM NEW.search_text OR OLD.status IS DISTINCT FROM NEW.status
        OR OLD.email_verification IS DISTINCT FROM NEW.email_verification)
    EXECUTE FUNCTION customer_words_sync();

-- The customers already there (a concurrent writer waits on this lock).
LOCK TABLE customers IN SHARE MODE;
INSERT INTO customer_words (word, customer_id, status, email_verification)
SELECT w, c.id, c.status, c.email_verification FROM customers c, customer_words_of(c.search_text) w;
INSERT INTO customer_word_dict (word) SELECT DISTINCT word FROM customer_words;
-- Keys and indexes once filled (the bench's seed drops and rebuilds them by these names).
ALTER TABLE customer_words ADD CONSTRAINT customer_words_pkey PRIMARY KEY (word, customer_id) INCLUDE (status, email_verification),
    ADD CONSTRAINT customer_words_customer_id_fkey FOREIGN KEY (customer_id) REFERENCES customers (id) ON DELETE CASCADE;
CREATE INDEX customer_words_customer_id_idx ON customer_words (customer_id);

-- +goose StatementBegin
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm') THEN
        CREATE INDEX customer_word_dict_trgm_idx ON customer_word_dict USING gin (word gin_trgm_ops) WITH (fastupdate = off);
    END IF;
END
$$;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER customer_words_update ON customers;
DROP TRIGGER customer_words_insert ON customers;
DROP FUNCTION customer_words_sync();
DROP FUNCTION customer_words_of(text);
DROP TABLE customer_word_dict;
DROP TABLE customer_words;
