package main

import (
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const wrkOutput = `Running 10s test @ http://127.0.0.1:8080/wp-json/wu/v2/customers/1
  2 threads and 64 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     4.91ms    6.12ms  98.77ms   91.12%
    Req/Sec     7.71k   812.45     9.10k    72.00%
  Latency Distribution
     50%    3.48ms
     75%  812.00us
     90%    1.02s
     99%   12.50ms
  153456 requests in 10.01s, 98.12MB read
  Non-2xx or 3xx responses: 7
  Socket errors: connect 0, read 2, write 0, timeout 3
Requests/sec:  15330.27
Transfer/sec:      9.80MB
`

func TestParseWrk(t *testing.T) {
	w, err := ParseWrk(strings.NewReader(wrkOutput))
	if err != nil {
		t.Fatal(err)
	}
	want := WrkRun{Requests: 153456, Seconds: 10.01, RPS: 15330.27, P50: 3.48, P75: 0.812, P90: 1020, P99: 12.5, Non2xx: 7, SocketErr: 5}
	if math.Abs(w.Seconds-want.Seconds) > 1e-9 {
		t.Fatalf("seconds %v", w.Seconds)
	}
	w.Seconds = want.Seconds
	if w != want {
		t.Fatalf("got %+v\nwant %+v", w, want)
	}
	if _, err := ParseWrk(strings.NewReader("Running 1s test\nRequests/sec: 1\n")); err == nil {
		t.Fatal("output without --latency accepted")
	}
}

func TestMedian(t *testing.T) {
	for _, c := range []struct {
		in   []float64
		want float64
	}{{[]float64{3, 1, 2}, 2}, {[]float64{4, 1, 3, 2}, 2.5}, {[]float64{7}, 7}} {
		if got := median(c.in); got != c.want {
			t.Errorf("median(%v) = %v, want %v", c.in, got, c.want)
		}
	}
	if !math.IsNaN(median(nil)) {
		t.Error("median of nothing is not NaN")
	}
	if !math.IsNaN(Ratio(1, 0)) || Ratio(1, 4) != 0.25 {
		t.Error("Ratio")
	}
}

func TestFaultWindows(t *testing.T) {
	l := &LoadResult{StartUnixNS: 1_000_000_000, Completed: 380, Errors: 0, Status: map[string]int64{"200": 378, "502": 2}}
	l.Timeline = &struct {
		WidthMS float64 `json:"width_ms"`
		OK      []int64 `json:"ok"`
		Non2xx  []int64 `json:"non2xx"`
		S5xx    []int64 `json:"s5xx"`
		Errors  []int64 `json:"errors"`
	}{WidthMS: 500,
		// buckets of 0.5 s: 0 warm-up, 1 baseline, 2-3 fault, 4 recovery, 5 after, 6 partial
		OK: []int64{10, 100, 40, 40, 60, 100, 28},
	}
	start := l.StartUnixNS + 1_000_000_000 // fault from 1.0 s to 2.0 s
	f := Fault(l, start, start+1_000_000_000)
	if f.Baseline != 200 || f.During != 80 || f.After != 200 || f.Pct != 40 {
		t.Fatalf("%+v", f)
	}
	if f.S5xx != 2 || f.Non2xx != 2 || f.OK != 378 {
		t.Fatalf("%+v", f)
	}
}

func TestSharedDeviation(t *testing.T) {
	d := &Data{Facts: map[string]string{"twogw.limit": "500", "twogw.burst": "500"},
		TwoGW: &LoadResult{ElapsedS: 5, Completed: 10000, Status: map[string]int64{"200": 3030, "429": 6970}}}
	s, ok := d.Shared()
	if !ok || s.Expected != 3000 || math.Abs(s.DevPct-1) > 1e-9 || s.Refused != 6970 {
		t.Fatalf("%+v", s)
	}
}

func TestMemStatsWindow(t *testing.T) {
	before := ParseMemStats(strings.NewReader("# runtime.MemStats\n# TotalAlloc = 1000\n# Mallocs = 10\n# NumGC = 2\n"))
	after := ParseMemStats(strings.NewReader("# TotalAlloc = 501000\n# Mallocs = 5010\n# NumGC = 5\n# Stack = 65536 / 65536\n" +
		"# PauseNs = [100000 2500000 300000 900000 0]\n# PauseEnd = [50 150 160 170 0]\n"))
	w := Window(before, after, 100, 165)
	if w.Bytes != 500000 || w.Allocs != 5000 || w.Cycles != 3 || after.StackInuse != 65536 {
		t.Fatalf("%+v", w)
	}
	if w.Pauses != 2 || w.PausesOver1ms != 1 || w.MaxPauseMS != 2.5 || math.Abs(w.TotalPauseMS-2.8) > 1e-9 {
		t.Fatalf("pauses %+v", w)
	}
}

func TestParseTopAndBreakdown(t *testing.T) {
	out := `File: hostplane
Duration: 5s, Total samples = 7.65s (153%)
      flat  flat%   sum%        cum   cum%
     0.06s  0.78%  0.78%      5.33s 69.67%  net/http.(*conn).serve
     0.02s  0.26%  1.05%      1.76s 23.01%  github.com/hostplane/hostplane/gateway.(*Gateway).limit
         0     0%  1.05%      0.91s 11.90%  net/http.(*persistConn).readLoop
         0     0%  1.05%      0.84s 10.98%  net/http.(*persistConn).writeLoop
     0.11s  1.44%  2.49%      0.14s  1.83%  slices.insertionSortCmpFunc[go.shape.struct { net/http.key string }] (inline)
`
	p := ParseTop(strings.NewReader(out))
	if p.Cum["net/http.(*conn).serve"] != 69.67 || len(p.Cum) != 5 || p.Cum["slices.insertionSortCmpFunc[go.shape.struct { net/http.key string }] (inline)"] != 1.83 {
		t.Fatalf("%v", p.Cum)
	}
	var b strings.Builder
	p.Breakdown(&b, "")
	got := b.String()
	for _, want := range []string{" 69.7% HTTP/1.1 server side", " 23.0%     rate limit", " 22.9% net/http Transport connection goroutines", "   ~0%   the gateway handler"} {
		if !strings.Contains(got, want) {
			t.Errorf("breakdown lacks %q:\n%s", want, got)
		}
	}
}

// A raw directory with every kind of file renders a report that ends with
// the three required lines.
func TestSummaryEndsWithTheRequiredLines(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, s := range []string{"a", "b", "c", "d"} {
		for r := 1; r <= 2; r++ {
			rps := map[string]string{"a": "20000.00", "b": "8000.00", "c": "16000.00", "d": "7000.00"}[s]
			write("wrk-"+s+"-"+string(rune('0'+r))+".txt", strings.Replace(wrkOutput, "15330.27", rps, 1))
		}
	}
	write("open-a-1.json", `{"mode":"open","latency_ms":{"p50":0.2,"p99":0.6},"service_ms":{},"status":{"200":10},"completed":10}`)
	write("open-b-1.json", `{"mode":"open","latency_ms":{"p50":0.5,"p99":1.35},"service_ms":{},"status":{"200":10},"completed":10}`)
	write("facts.txt", "meta.duration_s=10\ncache.b.1.misses=0\ncache.b.1.hits=1000\nredis.b.1.eval=1000\n")
	var b strings.Builder
	d, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	d.Write(&b)
	lines := strings.Split(strings.TrimSpace(b.String()), "\n")
	tail := lines[len(lines)-3:]
	want := []string{"gateway_vs_nginx=0.500", "gateway_vs_goproxy=1.143", "gateway_p99_added_ms=0.750"}
	for i := range want {
		if tail[i] != want[i] {
			t.Fatalf("last lines %q, want %q", tail, want)
		}
	}
}
