// Command register drives POST /wp-json/wu/v2/register at a loopback URL
// with a new customer and site in every request (the reference's body),
// closed loop (-rate 0: as fast as -c connections get answers) or open
// loop (-rate N per second, latency counted from each request's intended
// send time), for -d; in closed loop a connection refused with 503 waits
// its Retry-After. It prints one JSON object: counts by status, requests
// per second completed and latency percentiles in ms, of every answer and
// of the 200s alone.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

type result struct {
	Mode        string         `json:"mode"`
	Connections int            `json:"connections"`
	TargetRate  float64        `json:"target_rate"`
	Seconds     float64        `json:"seconds"`
	Completed   int64          `json:"completed"`
	OK          int64          `json:"ok"`
	Errors      int64          `json:"errors"`
	Status      map[string]int `json:"status"`
	RPS         float64        `json:"rps"`
	OKRPS       float64        `json:"ok_rps"`
	P50         float64        `json:"p50_ms"`    // of every answer
	OKP50       float64        `json:"ok_p50_ms"` // of the 200s alone
	OKP99       float64        `json:"ok_p99_ms"`
	P90         float64        `json:"p90_ms"`
	P99         float64        `json:"p99_ms"`
	Max         float64        `json:"max_ms"`
	Sample      string         `json:"sample_error,omitempty"`
}

func main() {
	target := flag.String("url", "", "http://127.0.0.1:PORT/wp-json/wu/v2/register")
	basic := flag.String("basic", "", "api_key:api_secret")
	conns := flag.Int("c", 16, "connections")
	rate := flag.Float64("rate", 0, "requests per second (open loop); 0: closed loop")
	dur := flag.Duration("d", 10*time.Second, "duration")
	prefix := flag.String("prefix", "b", "prefix of usernames and site codes (unique per run)")
	product := flag.String("product", "basic-plan", "product slug")
	out := flag.String("o", "", "JSON result file (default stdout)")
	flag.Parse()
	res, err := run(*target, *basic, *conns, *rate, *dur, *prefix, *product)
	if err != nil {
		fmt.Fprintln(os.Stderr, "register:", err)
		os.Exit(1)
	}
	b, _ := json.MarshalIndent(res, "", "  ")
	fmt.Fprintf(os.Stderr, "register: %s loop, %d conns, %.0f ok/s, p50 %.1f ms, p99 %.1f ms, status %v\n",
		res.Mode, res.Connections, res.OKRPS, res.P50, res.P99, res.Status)
	if *out != "" {
		if err := os.WriteFile(*out, append(b, '\n'), 0o644); err != nil {
			fmt.Fprintln(os.Stderr, "register:", err)
			os.Exit(1)
		}
		return
	}
	fmt.Println(string(b))
}

func body(prefix, product string, n int64) []byte {
	name := fmt.Sprintf("%s%07d", prefix, n)
	return []byte(`{"customer":{"username":"` + name + `","password":"securepass123","email":"` + name + `@example.com"},` +
		`"products":["` + product + `"],"duration":1,"duration_unit":"month","auto_renew":true,` +
		`"site":{"site_url":"` + name + `","site_title":"Site of ` + name + `","template_id":1},` +
		`"payment":{"status":"completed"},"membership":{"status":"active"}}`)
}

func run(target, basic string, conns int, rate float64, dur time.Duration, prefix, product string) (result, error) {
	u, err := url.Parse(target)
	if err != nil {
		return result{}, err
	}
	if ip := net.ParseIP(u.Hostname()); ip == nil || !ip.IsLoopback() {
		return result{}, fmt.Errorf("%s is not on 127.0.0.0/8", target)
	}
	user, pass, _ := strings.Cut(basic, ":")
	client := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: conns, MaxConnsPerHost: conns}}
	ctx, cancel := context.WithTimeout(context.Background(), dur)
	defer cancel()
	var (
		seq       atomic.Int64
		mu        sync.Mutex
		latencies []time.Duration
		status    = map[string]int{}
		sample    string
		errors    atomic.Int64
	)
	var okLatencies []time.Duration
	// send returns how long the server asked to wait (503 with Retry-After).
	send := func(intended time.Time) (wait time.Duration) {
		n := seq.Add(1)
		req, _ := http.NewRequest(http.MethodPost, target, bytes.NewReader(body(prefix, product, n)))
		req.Header.Set("Content-Type", "application/json")
		req.SetBasicAuth(user, pass)
		resp, err := client.Do(req)
		took := time.Since(intended)
		mu.Lock()
		defer mu.Unlock()
		if err != nil {
			errors.Add(1)
			status["error"]++
			return
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		status[fmt.Sprint(resp.StatusCode)]++
		if resp.StatusCode != 200 && sample == "" {
			sample = string(b)
		}
		latencies = append(latencies, took)
		if resp.StatusCode == 200 {
			okLatencies = append(okLatencies, took)
		}
		if s, err := strconv.Atoi(resp.Header.Get("Retry-After")); err == nil && resp.StatusCode == http.StatusServiceUnavailable {
			return time.Duration(s) * time.Second
		}
		return 0
	}
	start := time.Now()
	var wg sync.WaitGroup
	mode := "closed"
	if rate <= 0 {
		for range conns {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for ctx.Err() == nil {
					// A refused client waits as it is told (closed loop).
					if wait := send(time.Now()); wait > 0 {
						select {
						case <-time.After(wait):
						case <-ctx.Done():
						}
					}
				}
			}()
		}
	} else {
		mode = "open"
		slots := make(chan time.Time, conns*4)
		for range conns {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for t := range slots {
					send(t)
				}
			}()
		}
		interval := time.Duration(float64(time.Second) / rate)
		for i := 0; ; i++ {
			at := start.Add(time.Duration(i) * interval)
			if at.Sub(start) >= dur {
				break
			}
			time.Sleep(time.Until(at))
			slots <- at
		}
		close(slots)
	}
	wg.Wait()
	elapsed := time.Since(start).Seconds()
	slices.Sort(latencies)
	slices.Sort(okLatencies)
	pctOf := func(l []time.Duration, p float64) float64 {
		if len(l) == 0 {
			return 0
		}
		i := min(int(float64(len(l))*p), len(l)-1)
		return float64(l[i].Microseconds()) / 1000
	}
	pct := func(p float64) float64 { return pctOf(latencies, p) }
	ok := int64(status["200"])
	res := result{Mode: mode, Connections: conns, TargetRate: rate, Seconds: elapsed, Completed: int64(len(latencies)),
		OK: ok, Errors: errors.Load(), Status: status, RPS: float64(len(latencies)) / elapsed, OKRPS: float64(ok) / elapsed,
		P50: pct(0.50), P90: pct(0.90), P99: pct(0.99), Sample: sample,
		OKP50: pctOf(okLatencies, 0.50), OKP99: pctOf(okLatencies, 0.99)}
	if len(latencies) > 0 {
		res.Max = float64(latencies[len(latencies)-1].Microseconds()) / 1000
	}
	return res, nil
}
