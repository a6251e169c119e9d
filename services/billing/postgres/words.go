package postgres

import (
	"cmp"
	"context"
	"errors"
	"strconv"
	"strings"
	"sync/atomic"

	"github.com/hostplane/hostplane/services/billing/customers"
	"github.com/jackc/pgx/v5"
)

// A search for a word — letters a-z alone or digits alone, at least
// minWordTerm of them — is answered without reading every match's row
// (migration 00008):
//
//   - its total, exact, from customer_words: the dictionary's trigram index
//     gives the words containing the term, the primary key their customers
//     (index-only, status and email verification included), counted once
//     each;
//   - a page near the start of the order, by walking the order's index and
//     keeping the matches (walkPage): with 20,000 matches among 1,000,000
//     customers, page 1 of 20 is found within about 1,000 rows instead of
//     sorting 20,000.
//
// A page deep in the order (or a walk that fell short: matches rarer than
// their share where the walk looked) goes to the list cache's ordered ids
// of every match, as any other search.

// minWordTerm is the shortest term searched by words: the dictionary's
// trigram index needs three characters.
const minWordTerm = 3

// walkLimits bound the walks of word searches: a walk is taken when it is
// expected to read at most expected rows, and reads at most three times
// that (at least scanMin, at most scanMax) before it gives up.
type walkLimits struct {
	expected, scanMin, scanMax int
	walked, fellShort          atomic.Int64 // walks that answered, walks that fell short
}

func defaultWalkLimits() *walkLimits {
	return &walkLimits{expected: 5_000, scanMin: 1_000, scanMax: 20_000}
}

// wordTerm reports whether term (lower case) is letters a-z alone or
// digits 0-9 alone, at least minWordTerm of them: then it occurs in a
// customer's search_text exactly when it occurs in one of its words.
func wordTerm(term string) bool {
	if len(term) < minWordTerm {
		return false
	}
	letters, digits := true, true
	for i := 0; i < len(term); i++ {
		b := term[i]
		letters = letters && 'a' <= b && b <= 'z'
		digits = digits && '0' <= b && b <= '9'
	}
	return letters || digits
}

// wordSearch reports whether f is a word search the words answer: the
// term, with status and email verification at most.
func wordSearch(f customers.ListFilter) bool {
	return wordTerm(strings.ToLower(f.Search)) && f.CustomerID == 0 && f.Email == "" &&
		f.CreatedFrom == nil && f.CreatedTo == nil
}

// wordTotal counts the customers f selects (wordSearch(f)) from their
// words: the words containing the term first, then the entries of those
// words when they form a chain (see chain), else of two words less the
// customers in both (a merge of two ranges in customer order), or the
// distinct customers of more.
func (s *Customers) wordTotal(ctx context.Context, q querier, f customers.ListFilter) (int, error) {
	// Planned for its pattern (pgx.QueryExecModeExec): a generic plan of
	// LIKE $1 may not use the trigram index.
	rows, err := q.Query(ctx, `SELECT word FROM customer_word_dict WHERE word LIKE $1`, pgx.QueryExecModeExec,
		likePattern(strings.ToLower(f.Search)))
	if err != nil {
		return 0, err
	}
	words, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil || len(words) == 0 {
		return 0, err
	}
	args := []any{words, f.Status, f.EmailVerification}
	filters := func(alias string) string {
		return ` AND ($2::text = '' OR ` + alias + `.status = $2) AND ($3::text = '' OR ` + alias + `.email_verification = $3)`
	}
	var sql string
	switch {
	case chain(words):
		// Every word contains the shorter ones, so no customer keeps two.
		sql = `SELECT count(*) FROM customer_words w WHERE w.word = ANY ($1::text[])` + filters("w")
	case len(words) == 2:
		sql = `SELECT (SELECT count(*) FROM customer_words w WHERE w.word = ANY ($1::text[])` + filters("w") + `)
			- (SELECT count(*) FROM customer_words a JOIN customer_words b ON b.customer_id = a.customer_id
				WHERE a.word = ($1::text[])[1] AND b.word = ($1::text[])[2]` + filters("a") + filters("b") + `)`
	default:
		sql = `SELECT count(*) FROM (SELECT w.customer_id FROM customer_words w WHERE w.word = ANY ($1::text[])` +
			filters("w") + ` GROUP BY 1) m`
	}
	var total int
	err = q.QueryRow(ctx, sql, args...).Scan(&total)
	return total, err
}

// maxChain bounds the words chain compares pairwise.
const maxChain = 32

// chain reports whether of any two of words one contains the other: a
// customer keeps only its words no other of its words contains
// (migration 00008), so it has one of them at most.
func chain(words []string) bool {
	if len(words) > maxChain {
		return false
	}
	for i, a := range words {
		for _, b := range words[i+1:] {
			if !strings.Contains(a, b) && !strings.Contains(b, a) {
				return false
			}
		}
	}
	return true
}

// errNoWalk is a walk not taken or fallen short: the caller lists by ids.
var errNoWalk = errors.New("postgres: no walk")

// listWords answers a word search when it can (ok): its total from the
// words, and its page by a walk when the page is near the start of the
// order; both kept by the list cache (the page as its ids, its rows read
// again on every request). key names f, col is the order's column, cond,
// order and args f's SQL (where).
func (s *Customers) listWords(ctx context.Context, q querier, f customers.ListFilter, key, col, cond, order string,
	args []any) (out []customers.Customer, total int, ok bool, err error) {
	if total, err = s.cachedWordTotal(ctx, f); err != nil {
		return nil, 0, false, err
	}
	if total == 0 || f.Offset >= total {
		return []customers.Customer{}, total, true, nil
	}
	if f.Limit <= 0 {
		return nil, 0, false, nil
	}
	pageKey := "walk|" + key + "|" + strconv.Itoa(f.Offset) + "|" + strconv.Itoa(f.Limit)
	e, err := s.cache.get(ctx, pageKey, func(ctx context.Context) (cacheEntry, error) {
		return s.walkPage(ctx, f, col, cond, order, args)
	})
	if errors.Is(err, errNoWalk) {
		return nil, 0, false, nil
	}
	if err != nil {
		return nil, 0, false, err
	}
	out, err = s.byIDs(ctx, q, e.ids)
	return out, e.total, true, err
}

// cachedWordTotal is wordTotal through the list cache.
func (s *Customers) cachedWordTotal(ctx context.Context, f customers.ListFilter) (int, error) {
	key := "words|" + strings.ToLower(f.Search) + "|" + f.Status + "|" + f.EmailVerification
	e, err := s.cache.get(ctx, key, func(ctx context.Context) (cacheEntry, error) {
		n, err := s.wordTotal(ctx, s.pool, f)
		return cacheEntry{total: n}, err
	})
	return e.total, err
}

// walkPage finds the ids of f's page by walking the order's index when
// that is expected to read few rows (errNoWalk otherwise, or when the walk
// falls short of the page).
func (s *Customers) walkPage(ctx context.Context, f customers.ListFilter, col, cond, order string, args []any) (cacheEntry, error) {
	total, err := s.cachedWordTotal(ctx, f)
	if err != nil {
		return cacheEntry{}, err
	}
	all, err := s.countedTotal(ctx, s.pool, customers.ListFilter{})
	if err != nil || total == 0 {
		return cacheEntry{}, cmp.Or(err, errNoWalk)
	}
	w := s.walk
	expected := (f.Offset + f.Limit) * all / total
	if expected > w.expected {
		return cacheEntry{}, errNoWalk
	}
	ids, err := s.walkIDs(ctx, col, cond, order, args, f, min(max(3*expected, w.scanMin), w.scanMax))
	if err != nil {
		return cacheEntry{}, err
	}
	if len(ids) < min(f.Limit, total-f.Offset) {
		// The matches were rarer where the walk looked.
		w.fellShort.Add(1)
		return cacheEntry{}, errNoWalk
	}
	w.walked.Add(1)
	return cacheEntry{ids: ids, total: total}, nil
}

// walkIDs reads the ids of f's page among the first scan customers in the
// order, walking the order's index: the search is a filter on the rows
// read, not an index condition.
func (s *Customers) walkIDs(ctx context.Context, col, cond, order string, args []any, f customers.ListFilter, scan int) ([]int64, error) {
	n := len(args)
	walked := `(SELECT c.id, c.search_text, c.status, c.email_verification`
	if col != "c.id" {
		walked += `, ` + col
	}
	walked += ` FROM customers c` + order + ` LIMIT $` + strconv.Itoa(n+3) + `) c`
	sql := `SELECT c.id FROM ` + walked + cond + order + ` LIMIT $` + strconv.Itoa(n+1) + ` OFFSET $` + strconv.Itoa(n+2)
	// Planned for its values (a generic plan of LIMIT $n may sort every
	// customer instead of walking).
	rows, err := s.pool.Query(ctx, sql, append(append([]any{pgx.QueryExecModeExec}, args...), f.Limit, f.Offset, scan)...)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, pgx.RowTo[int64])
}
