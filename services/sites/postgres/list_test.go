package postgres_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hostplane/hostplane/services/sites/memory"
	"github.com/hostplane/hostplane/services/sites/postgres"
	"github.com/hostplane/hostplane/services/sites/site"
)

// TestListMatchesMemory pages term searches over a few hundred sites in
// every order, both directions, and checks that PostgreSQL returns the
// pages and totals of the memory store (the reference), ties and missing
// closing dates included, and again from the pages it kept, also once
// sites were written.
func TestListMatchesMemory(t *testing.T) {
	pool := migrated(t)
	ctx := context.Background()
	if _, err := pool.Exec(ctx, "TRUNCATE sites, domains, backups, idempotency, outbox RESTART IDENTITY CASCADE"); err != nil {
		t.Fatal(err)
	}
	pg, mem := postgres.NewSites(pool), memory.New(nil).Sites()
	// The same database through a store that walks the order's index for
	// any term it has counted once (see listTerm).
	walker := postgres.WalkFrom(postgres.NewSites(pool), 1)
	words := []string{"happy", "golden", "royal", "bakery", "bistro", "paris", "lyon", "studio"}
	base := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	codes := []string{"bakery", "bakery-paris", "royal"} // exact codes and prefixes rank first by relevance
	for i := range 240 {
		a, b, c := words[i%len(words)], words[(i/3)%len(words)], words[(i*5/2)%len(words)]
		codes = append(codes, fmt.Sprintf("%s-%s-%s-%d", a, b, c, i))
	}
	for i, code := range codes {
		parts := strings.Split(code, "-")
		title := strings.ToUpper(parts[len(parts)/2][:1]) + parts[len(parts)/2][1:] + " " + parts[0]
		var closing *time.Time
		if i%3 != 0 {
			c := base.AddDate(0, 0, i%7)
			closing = &c
		}
		for _, st := range []site.Store{pg, mem} {
			s := &site.Site{Code: code, Title: title, Domain: code + ".example.com", Path: "/", Type: site.TypeCustomerOwned,
				Active: true, Public: true, Status: site.StatusOpen, CustomerID: int64(1 + i%2),
				DateCreated: base.Add(time.Duration(i%9) * time.Minute), DateModified: base.Add(time.Duration(i%4) * time.Hour)}
			s.Plan.ClosingDate = closing
			if err := st.Create(ctx, s, nil, ""); err != nil {
				t.Fatal(err)
			}
			if s.ID != int64(i+1) {
				t.Fatalf("site %s has id %d; want %d", code, s.ID, i+1)
			}
		}
	}
	compare := func(t *testing.T) {
		terms := []string{"", "bakery", "Royal", "par", "lyon golden", "y-", "renamed", "nothing"}
		type page struct{ offset, limit int }
		pages := []page{{0, 20}, {20, 20}, {0, 0}, {230, 20}, {400, 20}, {1000, 20}}
		for _, term := range terms {
			for _, by := range site.Orders {
				for _, desc := range []bool{false, true} {
					for _, p := range pages {
						for _, customer := range []int64{0, 2} {
							f := site.ListFilter{Term: term, OrderBy: by, Desc: desc, Offset: p.offset, Limit: p.limit, CustomerID: customer, Now: base}
							want, wantN, err := mem.List(ctx, f)
							if err != nil {
								t.Fatal(err)
							}
							// Twice each: the second from the pages kept, if any.
							for _, st := range []*postgres.Sites{pg, walker, pg, walker} {
								got, gotN, err := st.List(ctx, f)
								if err != nil {
									t.Fatalf("%+v: %v", f, err)
								}
								if !slices.Equal(siteIDs(got), siteIDs(want)) || gotN != wantN {
									t.Fatalf("List(%+v) = %v total %d; memory says %v total %d", f, siteIDs(got), gotN, siteIDs(want), wantN)
								}
							}
						}
					}
				}
			}
		}
	}
	t.Run("created", compare)
	// The first pages of a term search were kept; writes below make them
	// stale for both stores (the writer and another instance).
	for _, f := range []site.ListFilter{
		{Term: "bakery", OrderBy: site.ByCode, Limit: 20, Offset: 20},
		{Term: "par", OrderBy: site.ByRelevance, Desc: true, Limit: 20, CustomerID: 2},
	} {
		for _, st := range []*postgres.Sites{pg, walker} {
			if !postgres.Kept(st, f) {
				t.Fatalf("%+v: no page kept", f)
			}
		}
	}
	// Changes reach the search copy: new titles and dates, deleted sites.
	for id := int64(1); id <= int64(len(codes)); id += 7 {
		for _, st := range []site.Store{pg, mem} {
			if id%2 == 0 {
				if _, err := st.Delete(ctx, id, ""); err != nil {
					t.Fatal(err)
				}
				continue
			}
			_, err := st.Update(ctx, id, func(s *site.Site) (string, error) {
				s.Title = "Renamed " + s.Title
				s.DateModified = base.Add(-time.Duration(id) * time.Second)
				s.Plan.ClosingDate = nil
				return "", nil
			})
			if err != nil {
				t.Fatal(err)
			}
		}
	}
	t.Run("changed", compare)
}

func siteIDs(ss []site.Site) []int64 {
	out := make([]int64, len(ss))
	for i, s := range ss {
		out[i] = s.ID
	}
	return out
}

// TestSearchIndexSkipsPendingList checks that the trigram indexes take
// their entries at once: a pending list is scanned whole by every search.
func TestSearchIndexSkipsPendingList(t *testing.T) {
	pool := migrated(t)
	for _, index := range []string{"sites_search_trgm_idx", "site_search_trgm_idx"} {
		var opts []string
		err := pool.QueryRow(context.Background(),
			`SELECT coalesce(reloptions, '{}') FROM pg_class WHERE relname = $1`, index).Scan(&opts)
		if err != nil {
			t.Fatalf("%s: %v", index, err)
		}
		if !slices.Contains(opts, "fastupdate=off") {
			t.Fatalf("%s options %v; want fastupdate=off", index, opts)
		}
	}
}
