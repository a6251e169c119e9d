package main

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/hostplane/hostplane/libs/pgkit"
)

var (
	adjectives = []string{"happy", "golden", "little", "green", "royal", "urban", "sunny", "silver", "quiet", "bright",
		"rustic", "modern", "cosy", "wild", "blue", "red", "grand", "tiny", "north", "south"}
	nouns = []string{"bakery", "florist", "garage", "studio", "bistro", "library", "pharmacy", "gallery", "market", "atelier",
		"brewery", "cafe", "workshop", "clinic", "school", "hotel", "kitchen", "garden", "salon", "shop", "farm", "lab",
		"agency", "theatre", "cinema"}
	cities = []string{"paris", "lyon", "lille", "nantes", "nice", "rennes", "bordeaux", "toulouse", "brest", "metz",
		"dijon", "reims", "tours", "angers", "nimes", "caen", "rouen", "pau", "amiens", "limoges", "annecy", "grenoble",
		"orleans", "poitiers", "avignon", "calais", "vannes", "quimper", "troyes", "colmar"}
)

func sqlArray(ws []string) string { return "ARRAY['" + strings.Join(ws, "','") + "']" }

// seedSites inserts n sites straight into the service's database (a
// site's files do not matter to a list).
func seedSites(ctx context.Context, dbURL string, n int) error {
	pool, err := pgkit.Open(ctx, dbURL, pgkit.Options{MaxConns: 2})
	if err != nil {
		return err
	}
	defer pool.Close()
	q := fmt.Sprintf(`INSERT INTO sites (code, title, domain, type, status, customer_id, is_trial, is_free, closing_date, date_created, date_modified)
		SELECT code, title, code || '.example.com', 'customer_owned',
			CASE WHEN i %% 17 = 0 THEN 'closed' ELSE 'open' END, 1 + i %% 5000, i %% 11 = 0, i %% 13 = 0,
			CASE WHEN i %% 7 = 0 THEN now() + (i %% 90) * interval '1 day' END,
			now() - i * interval '1 minute', now()
		FROM (SELECT i, a || '-' || b || '-' || c || '-' || i AS code, initcap(a) || ' ' || initcap(b) || ' ' || initcap(c) AS title
			FROM (SELECT i, (%s)[1 + (i * 7) %% %d] AS a, (%s)[1 + (i / 3) %% %d] AS b, (%s)[1 + (i * 13 / 5) %% %d] AS c
				FROM generate_series(1, $1) AS i) w) s`,
		sqlArray(adjectives), len(adjectives), sqlArray(nouns), len(nouns), sqlArray(cities), len(cities))
	if _, err := pool.Exec(ctx, q, n); err != nil {
		return err
	}
	// What autovacuum would do soon after such an insert: statistics for
	// the planner, the visibility map, no GIN pending list.
	_, err = pool.Exec(ctx, "VACUUM ANALYZE")
	return err
}

// doer sends one request (through the gateway, or to the service direct).
type doer func(ctx context.Context, method, target, body string) (int, []byte, error)

// benchList measures sb lists by term over o.sites sites, through the
// gateway g with an API key (nil: not measured) and straight to the
// service, signed as the gateway signs.
func benchList(ctx context.Context, s *service, g *gateway, o options) ([]string, error) {
	say("inserting %d sites", o.sites)
	start := time.Now()
	if err := seedSites(ctx, s.dbURL, o.sites); err != nil {
		return nil, err
	}
	say("inserted in %.1fs", time.Since(start).Seconds())
	// Terms: the popular ones again and again, and every freshEvery-th
	// request a term sent for the first time (see freshKinds); every
	// o.writeEvery-th request, a site is written first (not timed), as
	// another instance would, which makes what the service kept of
	// earlier searches stale.
	terms := popularTerms()
	kinds := freshKinds()
	const freshEvery = 5
	writer, err := pgkit.Open(ctx, s.dbURL, pgkit.Options{MaxConns: 1})
	if err != nil {
		return nil, err
	}
	defer writer.Close()
	written := 0
	run := func(do doer, sort string, n int, fresh *freshTerms) (all, firsts []time.Duration, err error) {
		// Warm up the connection and the caches.
		for _, t := range terms {
			if _, _, err := do(ctx, "GET", "/v1/sites.json?"+url.Values{"term": {t}, "sort": {sort}}.Encode(), ""); err != nil {
				return nil, nil, err
			}
		}
		for i := range n {
			term, first := terms[i%len(terms)], false
			if i%freshEvery == freshEvery-1 {
				if t := fresh.term(); t != "" {
					term, first = t, true
				}
			}
			if o.writeEvery > 0 && i%o.writeEvery == o.writeEvery-1 {
				written++
				if _, err := writer.Exec(ctx, `UPDATE sites SET date_modified = now() WHERE id = $1`, 1+written*7919%o.sites); err != nil {
					return nil, nil, err
				}
			}
			q := url.Values{"term": {term}, "limit": {"20"}, "page": {fmt.Sprint(i % 3)}, "sort": {sort}}
			t0 := time.Now()
			status, body, err := do(ctx, "GET", "/v1/sites.json?"+q.Encode(), "")
			if err != nil {
				return nil, nil, err
			}
			if status != 200 {
				return nil, nil, fmt.Errorf("list: %d %s", status, body)
			}
			d := time.Since(t0)
			all = append(all, d)
			if first {
				firsts = append(firsts, d)
			}
		}
		return all, firsts, nil
	}
	sorts := []string{"code_site", "-code_site", "relevance", "creation_date", "-creation_date", "closing_date", "-closing_date"}
	type path struct {
		name string
		do   doer
	}
	paths := []path{{"direct", s.do}}
	if g != nil {
		paths = []path{{"gateway", g.do}, {"direct", s.do}}
	}
	var lines []string
	writes := "no site written"
	if o.writeEvery > 0 {
		writes = fmt.Sprintf("a site written every %d (not timed)", o.writeEvery)
	}
	lines = append(lines, fmt.Sprintf("list: %d sites in PostgreSQL, GET /v1/sites.json?term=…&sort=…&limit=20&page=0..2, %d popular terms and one first-time term every %d requests, %s, sequential, %d requests per sort and path (%s first), load average %s",
		o.sites, len(terms), freshEvery, writes, o.requests, paths[0].name, loadAverage()))
	var p99s []string
	for si, sort := range sorts {
		for pi, p := range paths {
			fresh := newFreshTerms(kinds, si*len(paths)+pi, len(sorts)*len(paths))
			lat, firsts, err := run(p.do, sort, o.requests, fresh)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", p.name, err)
			}
			p50, p90, p99, mx := pct(lat, 50), pct(lat, 90), pct(lat, 99), slices.Max(lat)
			line := fmt.Sprintf("list %-7s sort=%-14s p50 %5.2f ms  p90 %5.2f ms  p99 %5.2f ms  max %6.2f ms",
				p.name, sort, ms(p50), ms(p90), ms(p99), ms(mx))
			if len(firsts) > 0 {
				line += fmt.Sprintf("  (first-time terms: %d, p50 %5.2f ms  p99 %5.2f ms)", len(firsts), ms(pct(firsts, 50)), ms(pct(firsts, 99)))
			}
			lines = append(lines, line+"  load "+loadAverage())
			if pi == 0 {
				name := strings.TrimPrefix(sort, "-")
				if strings.HasPrefix(sort, "-") {
					name += "_desc"
				}
				p99s = append(p99s, fmt.Sprintf("sites_list_%s_p99_ms=%.2f", name, ms(p99)))
			}
		}
	}
	lines = append(lines, strings.Join(p99s, " "))
	return lines, nil
}

// loadAverage is the machine's 1-minute load average ("?" if unknown).
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	return strings.Fields(string(b))[0]
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

func pct(v []time.Duration, p int) time.Duration {
	s := slices.Clone(v)
	slices.Sort(s)
	i := (len(s)*p + 99) / 100
	return s[max(0, min(i-1, len(s)-1))]
}
