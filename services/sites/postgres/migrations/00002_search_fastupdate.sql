-- +goose Up
-- The trigram index of a site's search text takes its entries at once
-- rather than through GIN's pending list: every term search scans the
-- whole pending list (up to 4 MB by default), which cost rare terms more
-- than the search itself (12 ms of a 13 ms search on 100,000 sites, the
-- list holding 2,700 rows), and it made the planner's cost of the index
-- so high that it chose a sequential scan for common words. Sites are
-- written seldom; the slower insert does not matter.
-- +goose StatementBegin
DO $$
BEGIN
    IF to_regclass('sites_search_trgm_idx') IS NOT NULL THEN
        ALTER INDEX sites_search_trgm_idx SET (fastupdate = off);
        PERFORM gin_clean_pending_list('sites_search_trgm_idx'::regclass);
    END IF;
END
$$;
-- +goose StatementEnd

-- +goose Down
-- +goose StatementBegin
DO $$
BEGIN
    IF to_regclass('sites_search_trgm_idx') IS NOT NULL THEN
        ALTER INDEX sites_search_trgm_idx RESET (fastupdate);
    END IF;
END
$$;
-- +goose StatementEnd
