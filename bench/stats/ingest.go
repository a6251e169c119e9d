package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// Per batch of 1,000: what each generated batch holds.
const (
	batchSize      = 1000
	visitsPerBatch = 90
	cartsPerBatch  = 20
	ordersPerBatch = 8
)

// generator writes batches of events dated between span before now and
// ten minutes ago (never live: the live benchmark counts its own).
type generator struct {
	r      *rand.Rand
	now    time.Time
	span   time.Duration
	orders *atomic.Int64
	buf    bytes.Buffer
}

// Spans of the two ingestion phases: a live site's recent traffic, and a
// year of history (every batch then adds to all 366 rollup days).
const (
	recentSpan  = 2 * time.Hour
	historySpan = 365 * 24 * time.Hour
)

func (g *generator) batch() []byte {
	g.buf.Reset()
	b := g.buf.AvailableBuffer()
	b = append(b, `{"events":[`...)
	newest := g.now.Add(-10 * time.Minute).Unix()
	span := int64((g.span - 10*time.Minute) / time.Second)
	for i := range batchSize {
		if i > 0 {
			b = append(b, ',')
		}
		at := newest - g.r.Int64N(span)
		visitor := g.r.IntN(1_000_000)
		switch {
		case i < visitsPerBatch:
			b = append(b, `{"type":"visit","time":`...)
			b = strconv.AppendInt(b, at, 10)
			b = append(b, `,"visitor_id":"v`...)
			b = strconv.AppendInt(b, int64(visitor), 10)
			b = append(b, `"}`...)
		case i < visitsPerBatch+cartsPerBatch:
			b = append(b, `{"type":"cart","time":`...)
			b = strconv.AppendInt(b, at, 10)
			b = append(b, `,"amount":"`...)
			b = strconv.AppendInt(b, int64(g.r.IntN(200)), 10)
			b = append(b, `.50"}`...)
		case i < visitsPerBatch+cartsPerBatch+ordersPerBatch:
			status := "paid"
			if g.r.IntN(2) == 0 {
				status = "pending"
			}
			b = append(b, `{"type":"order","time":`...)
			b = strconv.AppendInt(b, at, 10)
			b = append(b, `,"order_id":"o`...)
			b = strconv.AppendInt(b, g.orders.Add(1), 10)
			b = append(b, `","amount":"`...)
			b = strconv.AppendInt(b, int64(1+g.r.IntN(300)), 10)
			b = append(b, `.90","status":"`...)
			b = append(b, status...)
			b = append(b, `"}`...)
		default:
			b = append(b, `{"type":"pageview","time":`...)
			b = strconv.AppendInt(b, at, 10)
			b = append(b, `,"visitor_id":"v`...)
			b = strconv.AppendInt(b, int64(visitor), 10)
			b = append(b, `","path":"/p/`...)
			b = strconv.AppendInt(b, int64(g.r.IntN(500)), 10)
			b = append(b, `","bytes":`...)
			b = strconv.AppendInt(b, int64(2000+g.r.IntN(60000)), 10)
			b = append(b, '}')
		}
	}
	b = append(b, "]}"...)
	return b
}

const pageviewsPerBatch = batchSize - visitsPerBatch - cartsPerBatch - ordersPerBatch

// ingestRun is what a phase of ingestion did.
type ingestRun struct {
	batches   int64
	latencies []time.Duration
	elapsed   time.Duration
	cpu       map[string]time.Duration
}

// ingest sends batches with o.workers clients until the deadline or until
// limit batches were sent in all.
func ingest(ctx context.Context, st *stack, s site, workers int, span time.Duration, until time.Time, limit int64, sent *atomic.Int64, orders *atomic.Int64) (ingestRun, error) {
	target := st.gateway + "/v1/sites/" + s.code + "/events.json"
	var (
		mu   sync.Mutex
		run  ingestRun
		errc = make(chan error, workers)
		wg   sync.WaitGroup
	)
	cpu0 := st.cpus()
	start := time.Now()
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			g := &generator{r: rand.New(rand.NewPCG(uint64(w), uint64(start.UnixNano()))), now: start, span: span, orders: orders}
			var lat []time.Duration
			defer func() { mu.Lock(); run.latencies = append(run.latencies, lat...); mu.Unlock() }()
			for ctx.Err() == nil && time.Now().Before(until) {
				if sent.Add(1) > limit {
					sent.Add(-1)
					return
				}
				body := g.batch()
				t0 := time.Now()
				req, _ := http.NewRequestWithContext(ctx, "POST", target, bytes.NewReader(body))
				req.Header.Set("Content-Type", "application/json")
				req.Header.Set("Authorization", "token "+st.key+"."+st.keySecret)
				resp, err := st.http.Do(req)
				if err != nil {
					errc <- err
					return
				}
				var v struct {
					Data struct {
						Accepted int `json:"accepted"`
					} `json:"data"`
				}
				derr := json.NewDecoder(resp.Body).Decode(&v)
				resp.Body.Close()
				if resp.StatusCode != 201 || derr != nil || v.Data.Accepted != batchSize {
					errc <- fmt.Errorf("batch: %d accepted %d (%v)", resp.StatusCode, v.Data.Accepted, derr)
					return
				}
				lat = append(lat, time.Since(t0))
			}
		}()
	}
	wg.Wait()
	run.elapsed = time.Since(start)
	cpu1 := st.cpus()
	run.cpu = map[string]time.Duration{}
	for n, c := range cpu1 {
		run.cpu[n] = c - cpu0[n]
	}
	run.batches = int64(len(run.latencies))
	close(errc)
	if err := <-errc; err != nil {
		return run, err
	}
	return run, ctx.Err()
}

func pct(ds []time.Duration, p float64) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	i := int(float64(len(s))*p+0.5) - 1
	return s[max(0, min(i, len(s)-1))]
}

func ms(d time.Duration) string { return fmt.Sprintf("%.2f", float64(d)/float64(time.Millisecond)) }

func benchIngest(ctx context.Context, st *stack, s site, o options) ([]string, error) {
	var sent, orders atomic.Int64
	limit := o.total / batchSize
	say("ingestion: %d clients for %s, batches of %d recent events through the gateway", o.workers, o.duration, batchSize)
	run, err := ingest(ctx, st, s, o.workers, recentSpan, time.Now().Add(o.duration), limit, &sent, &orders)
	if err != nil {
		return nil, err
	}
	lines := phaseLines("ingest", "events of the last 2 hours", run, o.workers)
	say("%s", lines[0])

	if remaining := limit - sent.Load(); remaining > 0 {
		say("history: filling the site up to %d events spread over 366 days (%d batches to go)", o.total, remaining)
		fill, err := ingest(ctx, st, s, o.workers, historySpan, time.Now().Add(o.maxFill), limit, &sent, &orders)
		if err != nil {
			return nil, err
		}
		more := phaseLines("history", "events spread over 366 days: each batch adds to 366 rollup days", fill, o.workers)
		say("%s", more[0])
		lines = append(lines, more...)
	}
	total := sent.Load() * batchSize
	// Check: the rollups hold exactly what was sent.
	rep, err := report(ctx, st, s, nil)
	if err != nil {
		return nil, err
	}
	batches := sent.Load()
	if rep.Pageviews != batches*pageviewsPerBatch || rep.Visitors != batches*visitsPerBatch {
		return nil, fmt.Errorf("the report counts %d pageviews and %d visits, %d and %d were sent",
			rep.Pageviews, rep.Visitors, batches*pageviewsPerBatch, batches*visitsPerBatch)
	}
	lines = append(lines, fmt.Sprintf("site_events=%d (366-day report totals checked: %d pageviews, %d visits, %d days)",
		total, rep.Pageviews, rep.Visitors, len(rep.Days)))
	return lines, nil
}

// phaseLines reports one ingestion phase.
func phaseLines(name, what string, run ingestRun, workers int) []string {
	events := run.batches * batchSize
	lines := []string{
		fmt.Sprintf("%s_events_per_s=%.0f (%d %s in %.1f s, %d clients, batches of %d, through the gateway into PostgreSQL; target >= 50000)",
			name, float64(events)/run.elapsed.Seconds(), events, what, run.elapsed.Seconds(), workers, batchSize),
		fmt.Sprintf("%s_batch_ms p50=%s p99=%s max=%s", name, ms(pct(run.latencies, .5)), ms(pct(run.latencies, .99)), ms(pct(run.latencies, 1))),
	}
	var cpu []string
	for _, n := range []string{"gateway", "stats", "postgres", "auth", "sites"} {
		cpu = append(cpu, fmt.Sprintf("%s=%.0f", n, float64(run.cpu[n].Microseconds())/float64(max(events, 1))*1000))
	}
	return append(lines, name+"_cpu_us_per_1000_events "+join(cpu))
}

func join(parts []string) string {
	out := ""
	for i, p := range parts {
		if i > 0 {
			out += " "
		}
		out += p
	}
	return out
}
