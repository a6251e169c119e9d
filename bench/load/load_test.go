package main

import (
	"context"
	"math"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync/atomic"
	"testing"
	"time"
)

func TestBucketsAreContiguous(t *testing.T) {
	prev := -1
	for v := int64(0); v < 1<<20; v++ {
		b := bucketOf(v)
		if b != prev && b != prev+1 {
			t.Fatalf("value %d: bucket %d after %d", v, b, prev)
		}
		low, width := bucketRange(b)
		if v < low || v >= low+width {
			t.Fatalf("value %d outside its bucket %d [%d, %d)", v, b, low, low+width)
		}
		prev = b
	}
	if got := bucketOf(math.MaxInt64); got != maxBucket-1 {
		t.Fatalf("huge value: bucket %d", got)
	}
}

// The histogram's percentiles agree with exact ones from sorted samples
// within its precision (1/128).
func TestQuantileMatchesSortedSamples(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, dist := range []struct {
		name string
		gen  func() time.Duration
	}{
		{"uniform", func() time.Duration { return time.Duration(50_000 + rng.Int64N(950_000)) }},
		{"lognormal", func() time.Duration { return time.Duration(math.Exp(12 + rng.NormFloat64())) }},
		{"bimodal", func() time.Duration {
			if rng.IntN(100) < 3 {
				return 20*time.Millisecond + time.Duration(rng.Int64N(1e6))
			}
			return 200*time.Microsecond + time.Duration(rng.Int64N(1e5))
		}},
	} {
		h := NewHistogram()
		var samples []time.Duration
		for range 100_000 {
			d := dist.gen()
			h.Record(d)
			samples = append(samples, d)
		}
		slices.Sort(samples)
		for _, q := range []float64{0.5, 0.9, 0.99, 0.999, 1} {
			exact := samples[int(math.Ceil(q*float64(len(samples))))-1]
			got := h.Quantile(q)
			if rel := math.Abs(float64(got-exact)) / float64(exact); rel > 1.0/128 {
				t.Errorf("%s q%.3f: histogram %v, exact %v (%.2f%% off)", dist.name, q, got, exact, rel*100)
			}
		}
		if h.Max() != samples[len(samples)-1] {
			t.Errorf("%s: max %v, want %v", dist.name, h.Max(), samples[len(samples)-1])
		}
	}
}

func TestQuantileSmallAndMerged(t *testing.T) {
	a, b := NewHistogram(), NewHistogram()
	if a.Quantile(0.99) != 0 || a.Mean() != 0 {
		t.Fatal("empty histogram not zero")
	}
	for i := 1; i <= 50; i++ {
		a.Record(time.Duration(i) * time.Microsecond)
	}
	for i := 51; i <= 100; i++ {
		b.Record(time.Duration(i) * time.Microsecond)
	}
	a.Merge(b)
	if a.Count() != 100 {
		t.Fatalf("count %d", a.Count())
	}
	// p50 of 1..100 µs is 50 µs, p99 is 99 µs (within 1/128).
	for q, want := range map[float64]time.Duration{0.5: 50 * time.Microsecond, 0.99: 99 * time.Microsecond, 1: 100 * time.Microsecond} {
		got := a.Quantile(q)
		if math.Abs(float64(got-want))/float64(want) > 1.0/128 {
			t.Errorf("q%.2f = %v, want %v", q, got, want)
		}
	}
	if a.Mean() != 50500*time.Nanosecond {
		t.Errorf("mean %v", a.Mean())
	}
}

func TestCharged(t *testing.T) {
	t0 := time.Unix(1000, 0)
	at := func(us int) time.Time { return t0.Add(time.Duration(us) * time.Microsecond) }
	cases := []struct {
		name                           string
		intended, freeAt, sentAt, done int
		want                           time.Duration
	}{
		// Idle connection, timer woke 800 µs late: the slack is not charged.
		{"timer slack", 1000, 0, 1800, 2000, 200 * time.Microsecond},
		// Every connection busy until 5 ms after the intended time: charged.
		{"queued", 1000, 6000, 6000, 6300, 5300 * time.Microsecond},
		// Busy, then a little slack after becoming free: only the wait.
		{"queued then slack", 1000, 3000, 3100, 3400, 2300 * time.Microsecond},
		{"on time", 1000, 0, 1000, 1250, 250 * time.Microsecond},
	}
	for _, c := range cases {
		if got := charged(at(c.intended), at(c.freeAt), at(c.sentAt), at(c.done)); got != c.want {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
}

func TestOnlyLoopbackTargets(t *testing.T) {
	for _, u := range []string{"http://10.0.0.1:80/", "http://example.com/", "https://127.0.0.1/", "http://[::1]:80/"} {
		if _, err := newTarget(u, nil); err == nil {
			t.Errorf("%s accepted", u)
		}
	}
	tg, err := newTarget("http://127.0.0.2:8080/x?y=1", http.Header{"Authorization": {"Basic eDp5"}})
	if err != nil {
		t.Fatal(err)
	}
	want := "GET /x?y=1 HTTP/1.1\r\nHost: 127.0.0.2:8080\r\nUser-Agent: hostplane-bench-load\r\nAuthorization: Basic eDp5\r\n\r\n"
	if string(tg.req) != want || tg.addr != "127.0.0.2:8080" {
		t.Fatalf("%q %s", tg.req, tg.addr)
	}
}

// A short open-loop run against a local server sends what the schedule
// says and counts every answer.
func TestRunOpenLoop(t *testing.T) {
	var n atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1)%10 == 0 {
			w.WriteHeader(http.StatusServiceUnavailable)
		}
		_, _ = w.Write([]byte("ok"))
	}))
	defer srv.Close()
	res, err := Run(context.Background(), Options{
		URLs: []string{srv.URL}, Connections: 4, Rate: 200, Duration: 500 * time.Millisecond,
		Timeout: time.Second, Timeline: 100 * time.Millisecond,
	})
	if err != nil {
		t.Fatal(err)
	}
	if res.Mode != "open" || res.Scheduled != 100 || res.Sent != 100 || res.Completed != 100 || res.Errors != 0 {
		t.Fatalf("%+v", res)
	}
	if res.Status["503"] != 10 || res.Status["200"] != 90 {
		t.Fatalf("status %v", res.Status)
	}
	var ok, non2xx, s5xx int64
	for i := range res.Timeline.OK {
		ok, non2xx, s5xx = ok+res.Timeline.OK[i], non2xx+res.Timeline.Non2xx[i], s5xx+res.Timeline.S5xx[i]
	}
	if ok != 90 || non2xx != 10 || s5xx != 10 {
		t.Fatalf("timeline %d/%d/%d", ok, non2xx, s5xx)
	}
	if res.Latency.P50 <= 0 || res.Latency.P99 < res.Latency.P50 || res.FromIntended.P99 < res.Latency.P99 {
		t.Fatalf("latency %+v from intended %+v", res.Latency, res.FromIntended)
	}
}

func TestRunClosedLoopBounded(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	defer srv.Close()
	res, err := Run(context.Background(), Options{URLs: []string{srv.URL, srv.URL}, Connections: 2, Duration: 5 * time.Second, MaxRequests: 50})
	if err != nil {
		t.Fatal(err)
	}
	if res.Mode != "closed" || res.Completed != 50 || res.Status["200"] != 50 {
		t.Fatalf("%+v", res)
	}
}
