// Command search measures customer searches as users send them: most
// requests repeat a search already made (its list cached by the billing
// instance), and some are a search nobody made before — its first request.
// It sends GET -url?search=TERM&-query in open loop (-rate per second,
// latency counted from each request's intended send time, on -c
// connections) for -d; every -new-every-th request searches a term never
// sent before in the run, the others -hot. New terms are pieces (at
// least -min-term letters) of the seeded first and last names that no
// e-mail domain contains, in a shuffled order (-seed: runs with different
// seeds search different terms first). It prints one JSON object: count,
// p50, p99 and max in ms for the new terms, the repeated ones and all
// requests, and the counts by status.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/hostplane/hostplane/bench/billing"
)

// stats of one kind of request.
type stats struct {
	Count int     `json:"count"`
	P50   float64 `json:"p50_ms"`
	P99   float64 `json:"p99_ms"`
	Max   float64 `json:"max_ms"`
}

type result struct {
	TargetRate float64        `json:"target_rate"`
	Seconds    float64        `json:"seconds"`
	New        stats          `json:"new"`
	Repeat     stats          `json:"repeat"`
	All        stats          `json:"all"`
	Status     map[string]int `json:"status"`
	Errors     int            `json:"errors"`
	NewTerms   []string       `json:"new_terms"`
}

type options struct {
	url, query, hot, basic string
	header                 http.Header
	rate                   float64
	conns, newEvery        int
	minTerm                int
	seed                   uint64
	dur                    time.Duration
}

func main() {
	o := options{header: http.Header{}}
	flag.StringVar(&o.url, "url", "", "http://127.0.0.1:PORT/wp-json/wu/v2/customers")
	flag.StringVar(&o.query, "query", "per_page=20&page=1&orderby=date_registered&order=desc", "the rest of the query")
	flag.StringVar(&o.hot, "hot", "smith", "the term the repeated requests search")
	flag.StringVar(&o.basic, "basic", "", "api_key:api_secret")
	flag.Func("H", "extra header 'Name: value' (repeatable)", func(v string) error {
		name, value, ok := strings.Cut(v, ":")
		if !ok {
			return fmt.Errorf("header %q: want 'Name: value'", v)
		}
		o.header.Add(strings.TrimSpace(name), strings.TrimSpace(value))
		return nil
	})
	flag.Float64Var(&o.rate, "rate", 20, "requests per second")
	flag.IntVar(&o.conns, "c", 4, "connections")
	flag.IntVar(&o.newEvery, "new-every", 4, "one request in this many searches a new term")
	flag.IntVar(&o.minTerm, "min-term", 4, "shortest new term")
	flag.Uint64Var(&o.seed, "seed", 1, "order of the new terms")
	flag.DurationVar(&o.dur, "d", 15*time.Second, "duration")
	out := flag.String("o", "", "JSON result file (default stdout)")
	facts := flag.String("facts", "", "also print the figures as PREFIX.new.p99_ms=… lines on stdout")
	flag.Parse()
	res, err := run(context.Background(), o)
	if err != nil {
		fmt.Fprintln(os.Stderr, "search:", err)
		os.Exit(1)
	}
	b, _ := json.MarshalIndent(res, "", "  ")
	b = append(b, '\n')
	if *out != "" {
		err = os.WriteFile(*out, b, 0o644)
	} else {
		_, err = os.Stdout.Write(b)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "search:", err)
		os.Exit(1)
	}
	if *facts != "" {
		for _, k := range []struct {
			name string
			s    stats
		}{{"new", res.New}, {"repeat", res.Repeat}, {"all", res.All}} {
			fmt.Printf("%s.%s.count=%d\n%s.%s.p50_ms=%.3f\n%s.%s.p99_ms=%.3f\n%s.%s.max_ms=%.3f\n",
				*facts, k.name, k.s.Count, *facts, k.name, k.s.P50, *facts, k.name, k.s.P99, *facts, k.name, k.s.Max)
		}
		st, _ := json.Marshal(res.Status)
		fmt.Printf("%s.status=%s\n%s.errors=%d\n", *facts, st, *facts, res.Errors)
	}
	fmt.Fprintf(os.Stderr, "search: new %d p50 %.2f p99 %.2f ms; repeat %d p50 %.2f p99 %.2f ms; all p99 %.2f ms; %v\n",
		res.New.Count, res.New.P50, res.New.P99, res.Repeat.Count, res.Repeat.P50, res.Repeat.P99, res.All.P99, res.Status)
}

// terms are the new terms: pieces of the names no domain contains.
func terms(minLen int, seed uint64) []string {
	domains := "example.com example.org mail.example.net"
	seen := map[string]bool{}
	var out []string
	for _, n := range append(billing.FirstNames(), billing.LastNames()...) {
		for i := 0; i < len(n); i++ {
			for j := i + minLen; j <= len(n); j++ {
				t := n[i:j]
				if !seen[t] && !strings.Contains(domains, t) {
					seen[t] = true
					out = append(out, t)
				}
			}
		}
	}
	slices.Sort(out)
	rand.New(rand.NewPCG(seed, 0x5ea7c4)).Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
	return out
}

type sample struct {
	isNew  bool
	ms     float64
	status int // 0: no answer
}

func run(ctx context.Context, o options) (result, error) {
	u, err := url.Parse(o.url)
	if err != nil || u.Scheme != "http" {
		return result{}, fmt.Errorf("-url %q: want http://127.0.0.1:PORT/…", o.url)
	}
	if ip := net.ParseIP(u.Hostname()); ip == nil || !ip.IsLoopback() {
		return result{}, fmt.Errorf("-url %q: loopback addresses only", o.url)
	}
	if o.rate <= 0 || o.conns <= 0 || o.newEvery <= 0 {
		return result{}, fmt.Errorf("-rate, -c and -new-every must be positive")
	}
	news := slices.DeleteFunc(terms(o.minTerm, o.seed), func(t string) bool { return t == o.hot })
	n := int(o.rate * o.dur.Seconds())
	if need := n / o.newEvery; need > len(news) {
		return result{}, fmt.Errorf("%d new terms needed, %d available: lower -d, -rate or raise -new-every", need, len(news))
	}
	client := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: o.conns}}
	type job struct {
		at    time.Time
		term  string
		isNew bool
	}
	jobs := make(chan job, n)
	samples := make(chan sample, n)
	var wg sync.WaitGroup
	for range o.conns {
		wg.Go(func() {
			for j := range jobs {
				if d := time.Until(j.at); d > 0 {
					time.Sleep(d)
				}
				samples <- sample{isNew: j.isNew, status: get(ctx, client, o, j.term), ms: float64(time.Since(j.at)) / 1e6}
			}
		})
	}
	start := time.Now().Add(50 * time.Millisecond)
	var used []string
	for i := range n {
		j := job{at: start.Add(time.Duration(float64(i) / o.rate * float64(time.Second))), term: o.hot}
		if i%o.newEvery == o.newEvery-1 {
			j.term, j.isNew = news[len(used)], true
			used = append(used, j.term)
		}
		jobs <- j
	}
	close(jobs)
	wg.Wait()
	close(samples)
	res := result{TargetRate: o.rate, Status: map[string]int{}, NewTerms: used}
	var newMS, repeatMS, allMS []float64
	for s := range samples {
		if s.status == 0 {
			res.Errors++
		} else {
			res.Status[strconv.Itoa(s.status)]++
		}
		allMS = append(allMS, s.ms)
		if s.isNew {
			newMS = append(newMS, s.ms)
		} else {
			repeatMS = append(repeatMS, s.ms)
		}
	}
	res.Seconds = time.Since(start).Seconds()
	res.New, res.Repeat, res.All = summary(newMS), summary(repeatMS), summary(allMS)
	return res, nil
}

// get sends one search and returns the status (0: no answer).
func get(ctx context.Context, client *http.Client, o options, term string) int {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, o.url+"?search="+url.QueryEscape(term)+"&"+o.query, nil)
	if err != nil {
		return 0
	}
	for k, v := range o.header {
		req.Header[k] = v
	}
	if user, pass, ok := strings.Cut(o.basic, ":"); ok {
		req.SetBasicAuth(user, pass)
	}
	resp, err := client.Do(req)
	if err != nil {
		return 0
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, resp.Body)
	return resp.StatusCode
}

// summary is the count and percentiles of ms (nearest rank).
func summary(ms []float64) stats {
	if len(ms) == 0 {
		return stats{}
	}
	slices.Sort(ms)
	rank := func(p float64) float64 {
		i := int(math.Ceil(p*float64(len(ms)))) - 1
		return round(ms[max(i, 0)])
	}
	return stats{Count: len(ms), P50: rank(0.50), P99: rank(0.99), Max: round(ms[len(ms)-1])}
}

func round(v float64) float64 { return math.Round(v*1000) / 1000 }
