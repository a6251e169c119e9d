// Command load is the benchmark's load generator. It keeps -c keep-alive
// connections to one or more loopback URLs and sends GET requests either as
// fast as the answers come back (closed loop, -rate 0, like wrk) or on a
// fixed schedule (open loop, -rate N requests per second).
//
// In open loop, latency is measured from each request's INTENDED send time,
// so a slow answer that holds every connection busy delays the requests
// behind it and they are charged for the wait (no coordinated omission).
// Only the generator's own timer slack is not charged to the server: when a
// connection was idle at the intended time and the Go timer woke it late
// (up to about 1 ms on Linux), latency counts from the actual send. Both
// figures are reported (latency_ms and from_intended_ms).
//
// Every run is bounded: -d (duration), -n (requests, optional) and -timeout
// per request; targets outside 127.0.0.0/8 are refused. The result is one
// JSON object (-o file, or stdout) with counts per status, percentiles and
// a timeline of completions for fault-injection runs.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

// Options of one run.
type Options struct {
	URLs        []string
	Connections int
	Rate        float64 // requests per second; 0: closed loop
	Duration    time.Duration
	MaxRequests int64 // 0: no bound but the duration
	Timeout     time.Duration
	Header      http.Header
	Timeline    time.Duration // width of timeline buckets; 0: none
}

// Percentiles in milliseconds.
type Percentiles struct {
	P50  float64 `json:"p50"`
	P90  float64 `json:"p90"`
	P99  float64 `json:"p99"`
	P999 float64 `json:"p999"`
	Max  float64 `json:"max"`
	Mean float64 `json:"mean"`
}

// Timeline counts completions per bucket of Width from the start.
type Timeline struct {
	WidthMS float64 `json:"width_ms"`
	OK      []int64 `json:"ok"`     // 2xx
	Non2xx  []int64 `json:"non2xx"` // any other status (5xx included)
	S5xx    []int64 `json:"s5xx"`
	Errors  []int64 `json:"errors"` // no answer (refused, reset, timeout)
}

// Result of one run.
type Result struct {
	Mode        string           `json:"mode"` // open or closed
	URLs        []string         `json:"urls"`
	Connections int              `json:"connections"`
	TargetRate  float64          `json:"target_rate"`
	StartUnixNS int64            `json:"start_unix_ns"`
	ElapsedS    float64          `json:"elapsed_s"` // first send to last answer
	Scheduled   int64            `json:"scheduled"` // open loop: slots in the schedule
	Sent        int64            `json:"sent"`
	Completed   int64            `json:"completed"` // answered, any status
	Errors      int64            `json:"errors"`
	Timeouts    int64            `json:"timeouts"`
	Status      map[string]int64 `json:"status"`
	RPS         float64          `json:"rps"` // completed / elapsed
	Latency     Percentiles      `json:"latency_ms"`
	// FromIntended is open-loop latency from the intended send time,
	// timer slack included; Service is from the actual send.
	FromIntended *Percentiles `json:"from_intended_ms,omitempty"`
	Service      Percentiles  `json:"service_ms"`
	// LateSends counts requests sent more than 1 ms after their intended
	// time because every connection was busy (queueing, charged).
	LateSends int64     `json:"late_sends"`
	SlackP99  float64   `json:"timer_slack_p99_ms"`
	Timeline  *Timeline `json:"timeline,omitempty"`
}

// worker is one connection's state and tallies.
type worker struct {
	k        *conn
	lat      *Histogram // charged latency
	intended *Histogram // open loop, from intended time
	service  *Histogram
	slack    *Histogram
	status   map[int]int64
	sent     int64
	errors   int64
	timeouts int64
	late     int64
	last     time.Time
	tl       *Timeline
}

// charged is the latency charged to the server for one request: from the
// intended send time, less the part of the delay that was only the
// generator's timer waking up late on an idle connection.
func charged(intended, freeAt, sentAt, done time.Time) time.Duration {
	if sentAt.Before(intended) {
		sentAt = intended
	}
	ready := intended
	if freeAt.After(ready) {
		ready = freeAt // the connection was busy: the wait until then is charged
	}
	slack := sentAt.Sub(ready)
	if slack < 0 {
		slack = 0
	}
	return done.Sub(intended) - slack
}

func (w *worker) record(start, done time.Time, status int, err error, width time.Duration) {
	if width > 0 && w.tl != nil {
		i := int(done.Sub(start) / width)
		if i >= len(w.tl.OK) {
			i = len(w.tl.OK) - 1
		}
		if i < 0 {
			i = 0
		}
		switch {
		case err != nil:
			w.tl.Errors[i]++
		case status >= 200 && status < 300:
			w.tl.OK[i]++
		default:
			w.tl.Non2xx[i]++
			if status >= 500 {
				w.tl.S5xx[i]++
			}
		}
	}
	if err != nil {
		w.errors++
		if isTimeout(err) {
			w.timeouts++
		}
		return
	}
	w.status[status]++
	if done.After(w.last) {
		w.last = done
	}
}

// Run performs one load run.
func Run(ctx context.Context, o Options) (*Result, error) {
	if len(o.URLs) == 0 || o.Connections <= 0 || o.Duration <= 0 {
		return nil, errors.New("load: need -url, -c > 0 and -d > 0")
	}
	if o.Timeout <= 0 {
		o.Timeout = 5 * time.Second
	}
	targets := make([]*target, len(o.URLs))
	for i, u := range o.URLs {
		t, err := newTarget(u, o.Header)
		if err != nil {
			return nil, err
		}
		targets[i] = t
	}
	buckets := 0
	if o.Timeline > 0 {
		buckets = int((o.Duration+o.Timeout)/o.Timeline) + 1
	}
	workers := make([]*worker, o.Connections)
	for i := range workers {
		w := &worker{
			k: newConn(targets[i%len(targets)]), lat: NewHistogram(), service: NewHistogram(),
			status: map[int]int64{},
		}
		if o.Rate > 0 {
			w.intended, w.slack = NewHistogram(), NewHistogram()
		}
		if buckets > 0 {
			w.tl = &Timeline{OK: make([]int64, buckets), Non2xx: make([]int64, buckets), S5xx: make([]int64, buckets), Errors: make([]int64, buckets)}
		}
		workers[i] = w
	}
	// Connect first so that connection set-up is not measured.
	dialBy := time.Now().Add(5 * time.Second)
	for _, w := range workers {
		if err := w.k.dial(dialBy); err != nil {
			for _, w := range workers {
				w.k.close()
			}
			return nil, fmt.Errorf("load: connect %s: %w", w.k.t.addr, err)
		}
	}

	start := time.Now()
	end := start.Add(o.Duration)
	hardStop := end.Add(o.Timeout)
	var seq atomic.Int64
	var wg sync.WaitGroup
	nsPerReq := 0.0
	if o.Rate > 0 {
		nsPerReq = 1e9 / o.Rate
	}
	for _, w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer w.k.close()
			for ctx.Err() == nil {
				i := seq.Add(1) - 1
				if o.MaxRequests > 0 && i >= o.MaxRequests {
					return
				}
				freeAt := time.Now()
				intended := freeAt
				if o.Rate > 0 {
					intended = start.Add(time.Duration(float64(i) * nsPerReq))
					if !intended.Before(end) {
						return
					}
					if d := intended.Sub(freeAt); d > 0 {
						time.Sleep(d)
					}
				} else if !freeAt.Before(end) {
					return
				}
				sentAt := time.Now()
				if sentAt.After(hardStop) {
					return
				}
				deadline := sentAt.Add(o.Timeout)
				if deadline.After(hardStop) {
					deadline = hardStop
				}
				w.sent++
				status, err := w.k.do(deadline)
				done := time.Now()
				w.record(start, done, status, err, o.Timeline)
				if err != nil {
					continue
				}
				w.service.Record(done.Sub(sentAt))
				if o.Rate > 0 {
					w.intended.Record(done.Sub(intended))
					w.lat.Record(charged(intended, freeAt, sentAt, done))
					if freeAt.After(intended.Add(time.Millisecond)) {
						w.late++
					}
					if !freeAt.After(intended) {
						w.slack.Record(sentAt.Sub(intended))
					}
				} else {
					w.lat.Record(done.Sub(sentAt))
				}
			}
		}()
	}
	wg.Wait()
	return summarize(o, start, workers), nil
}

func summarize(o Options, start time.Time, workers []*worker) *Result {
	res := &Result{
		Mode: "closed", URLs: o.URLs, Connections: o.Connections, TargetRate: o.Rate,
		StartUnixNS: start.UnixNano(), Status: map[string]int64{},
	}
	lat, service := NewHistogram(), NewHistogram()
	var intended, slack *Histogram
	if o.Rate > 0 {
		res.Mode = "open"
		res.Scheduled = int64(math.Ceil(o.Duration.Seconds() * o.Rate))
		intended, slack = NewHistogram(), NewHistogram()
	}
	last := start
	for _, w := range workers {
		lat.Merge(w.lat)
		service.Merge(w.service)
		if intended != nil {
			intended.Merge(w.intended)
			slack.Merge(w.slack)
		}
		res.Sent += w.sent
		res.Errors += w.errors
		res.Timeouts += w.timeouts
		res.LateSends += w.late
		for s, n := range w.status {
			res.Status[fmt.Sprint(s)] += n
			res.Completed += n
		}
		if w.last.After(last) {
			last = w.last
		}
		if w.tl != nil {
			if res.Timeline == nil {
				n := len(w.tl.OK)
				res.Timeline = &Timeline{WidthMS: ms(o.Timeline), OK: make([]int64, n), Non2xx: make([]int64, n), S5xx: make([]int64, n), Errors: make([]int64, n)}
			}
			for i := range w.tl.OK {
				res.Timeline.OK[i] += w.tl.OK[i]
				res.Timeline.Non2xx[i] += w.tl.Non2xx[i]
				res.Timeline.S5xx[i] += w.tl.S5xx[i]
				res.Timeline.Errors[i] += w.tl.Errors[i]
			}
		}
	}
	res.ElapsedS = last.Sub(start).Seconds()
	if res.ElapsedS > 0 {
		res.RPS = float64(res.Completed) / res.ElapsedS
	}
	res.Latency = percentiles(lat)
	res.Service = percentiles(service)
	if intended != nil {
		p := percentiles(intended)
		res.FromIntended = &p
		res.SlackP99 = ms(slack.Quantile(0.99))
	}
	if res.Timeline != nil {
		// Trim the empty tail.
		n := len(res.Timeline.OK)
		for n > 1 && res.Timeline.OK[n-1]+res.Timeline.Non2xx[n-1]+res.Timeline.Errors[n-1] == 0 {
			n--
		}
		res.Timeline.OK, res.Timeline.Non2xx = res.Timeline.OK[:n], res.Timeline.Non2xx[:n]
		res.Timeline.S5xx, res.Timeline.Errors = res.Timeline.S5xx[:n], res.Timeline.Errors[:n]
	}
	return res
}

func percentiles(h *Histogram) Percentiles {
	return Percentiles{
		P50: ms(h.Quantile(0.50)), P90: ms(h.Quantile(0.90)), P99: ms(h.Quantile(0.99)),
		P999: ms(h.Quantile(0.999)), Max: ms(h.Max()), Mean: ms(h.Mean()),
	}
}

func ms(d time.Duration) float64 { return math.Round(float64(d)/1e3) / 1e3 }

// headerFlag collects repeated -H "Name: value".
type headerFlag struct{ h http.Header }

func (f *headerFlag) String() string { return "" }

func (f *headerFlag) Set(s string) error {
	name, value, ok := strings.Cut(s, ":")
	if !ok || strings.TrimSpace(name) == "" {
		return fmt.Errorf("header %q: want 'Name: value'", s)
	}
	f.h.Add(strings.TrimSpace(name), strings.TrimSpace(value))
	return nil
}

func main() {
	if err := run(os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "load:", err)
		os.Exit(1)
	}
}

func run(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("load", flag.ContinueOnError)
	fs.SetOutput(stderr)
	urls := fs.String("url", "", "comma-separated http:// URLs on 127.0.0.0/8 (connections are spread over them)")
	o := Options{Header: http.Header{}}
	fs.IntVar(&o.Connections, "c", 64, "connections")
	fs.Float64Var(&o.Rate, "rate", 0, "requests per second (open loop); 0: closed loop")
	fs.DurationVar(&o.Duration, "d", 10*time.Second, "duration")
	fs.Int64Var(&o.MaxRequests, "n", 0, "at most this many requests (0: no bound but -d)")
	fs.DurationVar(&o.Timeout, "timeout", 5*time.Second, "per request")
	fs.DurationVar(&o.Timeline, "timeline", 0, "bucket width of the completion timeline (0: none)")
	hf := &headerFlag{h: o.Header}
	fs.Var(hf, "H", "extra header 'Name: value' (repeatable)")
	basic := fs.String("basic", "", "user:password for Basic authentication")
	out := fs.String("o", "", "write the JSON result to this file (default stdout)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	for _, u := range strings.Split(*urls, ",") {
		if u = strings.TrimSpace(u); u != "" {
			o.URLs = append(o.URLs, u)
		}
	}
	if *basic != "" {
		user, pass, _ := strings.Cut(*basic, ":")
		r, _ := http.NewRequest(http.MethodGet, "http://127.0.0.1/", nil)
		r.SetBasicAuth(user, pass)
		o.Header.Set("Authorization", r.Header.Get("Authorization"))
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	res, err := Run(ctx, o)
	if err != nil {
		return err
	}
	fmt.Fprintf(stderr, "load: %s loop, %d conns, %.0f rps (target %.0f), p50 %.3f ms, p99 %.3f ms, status %v, errors %d\n",
		res.Mode, res.Connections, res.RPS, res.TargetRate, res.Latency.P50, res.Latency.P99, res.Status, res.Errors)
	b, _ := json.MarshalIndent(res, "", "  ")
	b = append(b, '\n')
	if *out != "" {
		return os.WriteFile(*out, b, 0o644)
	}
	_, err = stdout.Write(b)
	return err
}
