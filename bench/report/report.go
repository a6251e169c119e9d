package main

import (
	"fmt"
	"io"
	"math"
	"sort"
	"strings"
)

// Scenarios in the order they run, with what each measures.
var scenarios = []struct{ key, label, proxy string }{
	{"a", "(a) billing direct, signed principal", ""},
	{"b", "(b) gateway: cached key, scope, Redis limiter, metrics, tracing", "gateway"},
	{"c", "(c) nginx keep-alive reverse proxy", "nginx"},
	{"d", "(d) httputil.ReverseProxy, tuned Transport, pooled buffer", "goproxy"},
}

// median of xs (NaN when empty).
func median(xs []float64) float64 {
	if len(xs) == 0 {
		return math.NaN()
	}
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

// ScenarioStats summarises the wrk runs of one scenario.
type ScenarioStats struct {
	Key, Label    string
	RPS, P50, P99 []float64
	MedRPS        float64
	MedP50        float64
	MedP99        float64
	Non2xx        int64
	SocketErrors  int64
	Requests      int64
	// CPU per request (µs, median over runs) of each process measured.
	CPU map[string]float64
}

// Scenario computes the stats of scenario key.
func (d *Data) Scenario(key string) ScenarioStats {
	s := ScenarioStats{Key: key, CPU: map[string]float64{}}
	for _, sc := range scenarios {
		if sc.key == key {
			s.Label = sc.label
		}
	}
	tck, ok := d.Num("meta.clk_tck")
	if !ok || tck <= 0 {
		tck = 100
	}
	cpu := map[string][]float64{}
	for i, r := range d.Wrk[key] {
		s.RPS = append(s.RPS, r.RPS)
		s.P50 = append(s.P50, r.P50)
		s.P99 = append(s.P99, r.P99)
		s.Non2xx += r.Non2xx
		s.SocketErrors += r.SocketErr
		s.Requests += r.Requests
		prefix := fmt.Sprintf("cpu.%s.%d.", key, i+1)
		for k, v := range d.Facts {
			if !strings.HasPrefix(k, prefix) || r.Requests == 0 {
				continue
			}
			var ticks float64
			if _, err := fmt.Sscan(v, &ticks); err != nil {
				continue
			}
			proc := strings.TrimPrefix(k, prefix)
			cpu[proc] = append(cpu[proc], ticks/tck*1e6/float64(r.Requests))
		}
	}
	s.MedRPS, s.MedP50, s.MedP99 = median(s.RPS), median(s.P50), median(s.P99)
	for p, v := range cpu {
		s.CPU[p] = median(v)
	}
	return s
}

// OpenStats summarises the open-loop runs of one scenario.
type OpenStats struct {
	Runs            []LoadResult
	P50, P99        float64 // medians, charged latency
	IntP50, IntP99  float64 // medians, from the intended time with timer slack
	SvcP50, SvcP99  float64 // medians, from the actual send
	RPS             float64
	Non2xx, Errors  int64
	LateSends       int64
	SlackP99        float64
	Scheduled, Sent int64
}

// OpenLoop computes the open-loop stats of scenario key.
func (d *Data) OpenLoop(key string) OpenStats {
	o := OpenStats{Runs: d.Open[key]}
	var p50, p99, i50, i99, s50, s99, rps, slack []float64
	for _, r := range o.Runs {
		p50, p99 = append(p50, r.Latency.P50), append(p99, r.Latency.P99)
		if r.Intended != nil {
			i50, i99 = append(i50, r.Intended.P50), append(i99, r.Intended.P99)
		}
		s50, s99 = append(s50, r.Service.P50), append(s99, r.Service.P99)
		rps = append(rps, r.RPS)
		slack = append(slack, r.SlackP99)
		o.Non2xx += r.Completed - r.StatusCount(200, 299)
		o.Errors += r.Errors
		o.LateSends += r.LateSends
		o.Scheduled += r.Scheduled
		o.Sent += r.Sent
	}
	o.P50, o.P99, o.IntP50, o.IntP99 = median(p50), median(p99), median(i50), median(i99)
	o.SvcP50, o.SvcP99, o.RPS, o.SlackP99 = median(s50), median(s99), median(rps), median(slack)
	return o
}

// FaultStats is the gateway's throughput around one Redis fault.
type FaultStats struct {
	Baseline, During, After float64 // 2xx per second
	Pct                     float64 // During / Baseline × 100
	Total, OK               int64
	S5xx, Non2xx, Errors    int64
	FaultS                  float64
}

// Fault analyses a fault run whose fault lasted [startNS, endNS).
func Fault(l *LoadResult, startNS, endNS int64) FaultStats {
	f := FaultStats{
		Total: l.Completed + l.Errors, OK: l.StatusCount(200, 299), S5xx: l.StatusCount(500, 599),
		Non2xx: l.Completed - l.StatusCount(200, 299), Errors: l.Errors, FaultS: float64(endNS-startNS) / 1e9,
	}
	if l.Timeline == nil || l.Timeline.WidthMS <= 0 {
		return f
	}
	w := l.Timeline.WidthMS * 1e6 // ns
	rel := func(ns int64) float64 { return float64(ns - l.StartUnixNS) }
	fs, fe := rel(startNS), rel(endNS)
	last := len(l.Timeline.OK) - 1 // partial: the run ended in it
	var base, during, after [2]float64
	for i, ok := range l.Timeline.OK {
		lo, hi := float64(i)*w, float64(i+1)*w
		switch {
		case i == last:
		case lo >= 500e6 && hi <= fs:
			base[0] += float64(ok)
			base[1] += w
		case lo >= fs && hi <= fe:
			during[0] += float64(ok)
			during[1] += w
		case lo >= fe+500e6:
			after[0] += float64(ok)
			after[1] += w
		}
	}
	per := func(x [2]float64) float64 {
		if x[1] == 0 {
			return math.NaN()
		}
		return x[0] / (x[1] / 1e9)
	}
	f.Baseline, f.During, f.After = per(base), per(during), per(after)
	f.Pct = math.NaN()
	if f.Baseline > 0 {
		f.Pct = f.During / f.Baseline * 100
	}
	return f
}

// TwoGateways is the shared-limit check.
type TwoGateways struct {
	Limit, Burst, Elapsed float64
	Admitted, Refused     int64
	Other, Errors         int64
	Expected, DevPct      float64
}

// Shared computes the two-gateway deviation of the open-loop run.
func (d *Data) Shared() (TwoGateways, bool) { return d.shared(d.TwoGW) }

func (d *Data) shared(l *LoadResult) (TwoGateways, bool) {
	if l == nil {
		return TwoGateways{}, false
	}
	t := TwoGateways{Elapsed: l.ElapsedS, Admitted: l.StatusCount(200, 299), Refused: l.StatusCount(429, 429), Errors: l.Errors}
	t.Other = l.Completed - t.Admitted - t.Refused
	t.Limit, _ = d.Num("twogw.limit")
	t.Burst, _ = d.Num("twogw.burst")
	t.Expected = t.Limit*t.Elapsed + t.Burst
	if t.Expected > 0 {
		t.DevPct = (float64(t.Admitted) - t.Expected) / t.Expected * 100
	}
	return t, true
}

// Ratio is a/b, NaN when b is not positive.
func Ratio(a, b float64) float64 {
	if b <= 0 || math.IsNaN(a) || math.IsNaN(b) {
		return math.NaN()
	}
	return a / b
}

// components whose RSS run.sh reads.
var components = []string{"auth", "billing", "gateway", "sites", "tenancy", "stats"}

// Write renders the full report; the three required machine-readable
// lines come last.
func (d *Data) Write(w io.Writer) {
	f := func(format string, args ...any) { fmt.Fprintf(w, format, args...) }
	f("Hostplane gateway benchmark — GET /wp-json/wu/v2/customers/{id}\n")
	f("date %s · commit %s · %s CPUs · load average at start %s\n", d.Facts["meta.date"], d.Facts["meta.commit"], d.Facts["meta.nproc"], d.Facts["meta.loadavg"])
	f("wrk -t%s -c%s -d%ss --latency, %s rounds interleaved (a b c d …), medians; %s; nginx %s (worker_processes %s); Go %s\n",
		d.Facts["meta.threads"], d.Facts["meta.conns"], d.Facts["meta.duration_s"], d.Facts["meta.rounds"],
		d.Facts["meta.mode"], d.Facts["meta.nginx_version"], d.Facts["meta.nginx_workers"], d.Facts["meta.go_version"])
	f("Load generator, servers and Redis share the same CPUs: compare ratios measured side by side, not absolute numbers.\n\n")

	// 1. Throughput and latency.
	f("1. Throughput and latency (closed loop, wrk)\n\n")
	f("  %-64s %10s %9s %9s %8s  %s\n", "scenario", "req/s", "p50 ms", "p99 ms", "non-2xx", "runs req/s")
	stats := map[string]ScenarioStats{}
	for _, sc := range scenarios {
		s := d.Scenario(sc.key)
		stats[sc.key] = s
		runs := make([]string, len(s.RPS))
		for i, v := range s.RPS {
			runs[i] = fmt.Sprintf("%.0f", v)
		}
		f("  %-64s %10.0f %9.3f %9.3f %8d  %s\n", s.Label, s.MedRPS, s.MedP50, s.MedP99, s.Non2xx+s.SocketErrors, strings.Join(runs, " "))
	}
	f("\n  every run (req/s, p50 ms, p99 ms; [machine idle %%, CPU used by processes outside the bench in %% of one CPU; NOISY above 25%%]):\n")
	for _, sc := range scenarios {
		s := stats[sc.key]
		var parts []string
		for i := range s.RPS {
			parts = append(parts, fmt.Sprintf("%.0f/%.3f/%.3f%s", s.RPS[i], s.P50[i], s.P99[i], d.env(fmt.Sprintf("%s.%d", sc.key, i+1))))
		}
		f("    %s: %s\n", sc.key, strings.Join(parts, "  "))
	}
	f("\n  CPU time per request, µs (median over runs; from /proc/<pid>/stat, %s ticks/s):\n", d.Facts["meta.clk_tck"])
	for _, sc := range scenarios {
		s := stats[sc.key]
		var procs []string
		for p := range s.CPU {
			procs = append(procs, p)
		}
		sort.Strings(procs)
		var parts []string
		for _, p := range procs {
			parts = append(parts, fmt.Sprintf("%s %.1f", p, s.CPU[p]))
		}
		f("    %s: %s\n", sc.key, strings.Join(parts, ", "))
	}
	a, b, c, dd := stats["a"], stats["b"], stats["c"], stats["d"]
	vsNginx, vsGo, vsDirect := Ratio(b.MedRPS, c.MedRPS), Ratio(b.MedRPS, dd.MedRPS), Ratio(b.MedRPS, a.MedRPS)
	f("\n  gateway / nginx   = %.3f   (target ≥ 0.35)\n", vsNginx)
	f("  gateway / goproxy = %.3f   (target ≥ 1.0)\n", vsGo)
	f("  gateway / direct  = %.3f;  nginx / direct = %.3f;  goproxy / direct = %.3f\n", vsDirect, Ratio(c.MedRPS, a.MedRPS), Ratio(dd.MedRPS, a.MedRPS))
	// On a saturated machine throughput is the CPUs over the CPU one request
	// costs everywhere (load generator, proxy, billing, Redis): a cross-check
	// that other work on the machine disturbs less.
	total := func(s ScenarioStats) float64 {
		t := 0.0
		for _, v := range s.CPU {
			t += v
		}
		return t
	}
	cpuNginx, cpuGo := Ratio(total(c), total(b)), Ratio(total(dd), total(b))
	f("  CPU per request, all processes: a %.0f µs, b %.0f µs, c %.0f µs, d %.0f µs → CPU-based gateway/nginx %.3f, gateway/goproxy %.3f\n\n",
		total(a), total(b), total(c), total(dd), cpuNginx, cpuGo)

	// 2. Open loop.
	oa, ob, oc := d.OpenLoop("a"), d.OpenLoop("b"), d.OpenLoop("c")
	added := ob.P99 - oa.P99
	f("2. Added latency at half of (b)'s peak (open loop, bench/load, %s connections)\n\n", d.Facts["meta.conns"])
	f("  rate %s req/s for %ss per run, %d run(s) each, interleaved; latency from the intended send time\n", d.Facts["meta.open_rate"], d.Facts["meta.open_duration_s"], len(oa.Runs))
	f("  %-30s %9s %9s %9s %9s %10s %9s %9s\n", "", "p50 ms", "p99 ms", "p99.9 ms", "max ms", "req/s", "non-2xx", "late")
	for _, x := range []struct {
		name string
		o    OpenStats
	}{{"(a) billing direct", oa}, {"(b) gateway", ob}, {"(c) nginx", oc}} {
		if len(x.o.Runs) == 0 {
			continue
		}
		var p999, mx []float64
		for _, r := range x.o.Runs {
			p999, mx = append(p999, r.Latency.P999), append(mx, r.Latency.Max)
		}
		f("  %-30s %9.3f %9.3f %9.3f %9.3f %10.0f %9d %9d\n", x.name, x.o.P50, x.o.P99, median(p999), median(mx), x.o.RPS, x.o.Non2xx+x.o.Errors, x.o.LateSends)
	}
	f("  every run p50/p99 ms: a %s; b %s\n", openRuns(oa.Runs), openRuns(ob.Runs))
	f("  from the intended time incl. generator timer slack: a p50 %.3f p99 %.3f; b p50 %.3f p99 %.3f (slack p99 %.3f / %.3f ms)\n",
		oa.IntP50, oa.IntP99, ob.IntP50, ob.IntP99, oa.SlackP99, ob.SlackP99)
	f("  service time (from the actual send): a p50 %.3f p99 %.3f; b p50 %.3f p99 %.3f\n", oa.SvcP50, oa.SvcP99, ob.SvcP50, ob.SvcP99)
	f("  sent/scheduled: a %d/%d, b %d/%d\n", oa.Sent, oa.Scheduled, ob.Sent, ob.Scheduled)
	for i := range ob.Runs {
		tag := fmt.Sprintf("open-b.%d", i+1)
		if g, ok := d.gcWindow("open-b-"+fmt.Sprint(i+1), tag); ok {
			f("  gateway GC during (b) run %d: %d cycles, %d stop-the-world pauses (max %.2f ms, %d over 1 ms, %.1f ms in all)\n", i+1, g.Cycles, g.Pauses, g.MaxPauseMS, g.PausesOver1ms, g.TotalPauseMS)
		}
	}
	f("  machine during the runs: a%s  b%s  c%s\n", d.envRuns("open-a", len(oa.Runs)), d.envRuns("open-b", len(ob.Runs)), d.envRuns("open-c", len(oc.Runs)))
	f("  gateway p99 added = %.3f ms   (target < 1 ms); p50 added = %.3f ms\n", added, ob.P50-oa.P50)
	if len(oc.Runs) > 0 {
		f("  nginx p99 added at the same rate = %.3f ms; p50 added = %.3f ms (the same two hops, no authentication, limits or telemetry)\n", oc.P99-oa.P99, oc.P50-oa.P50)
	}
	f("\n")

	// 3. Resilience.
	f("3. Redis faults under load (closed loop, bench/load, %s connections, %ss, fault from %ss for %ss)\n\n", d.Facts["meta.conns"], d.Facts["fault.total_s"], d.Facts["fault.at_s"], d.Facts["fault.len_s"])
	f("  %-22s %12s %12s %12s %8s %8s %8s %8s\n", "fault", "before r/s", "during r/s", "after r/s", "during%", "5xx", "non-2xx", "errors")
	faultPct := map[string]float64{}
	fault5xx := map[string]int64{}
	for _, name := range []string{"hung", "refused"} {
		l := d.Faults[name]
		if l == nil {
			f("  %-22s (not run)\n", name)
			continue
		}
		s, _ := d.Num("fault." + name + ".start_ns")
		e, _ := d.Num("fault." + name + ".end_ns")
		fs := Fault(l, int64(s), int64(e))
		faultPct[name], fault5xx[name] = fs.Pct, fs.S5xx+fs.Errors
		label := map[string]string{"hung": "(i) hung (SIGSTOP)", "refused": "(ii) refusing (stopped)"}[name]
		f("  %-22s %12.0f %12.0f %12.0f %7.1f%% %8d %8d %8d%s\n", label, fs.Baseline, fs.During, fs.After, fs.Pct, fs.S5xx, fs.Non2xx, fs.Errors, d.env("fault-"+name))
	}
	f("  (before: from 0.5 s to the fault; during: whole 250 ms buckets inside the fault; after: from 0.5 s after it; target ≥ 80%% and zero 5xx)\n\n")

	// 4. Auth cache and Redis round trips.
	f("4. Auth cache, Redis round trips and allocations during the (b) runs\n\n")
	var maxMiss, maxRT, maxAll, maxAuth float64
	missOK := len(d.Wrk["b"]) > 0
	dur, _ := d.Num("meta.duration_s")
	allowedMisses := math.Floor(dur/30) + 1 // the positive cache lasts 30 s: one refresh per window
	for i, r := range d.Wrk["b"] {
		miss, _ := d.Num(fmt.Sprintf("cache.b.%d.misses", i+1))
		hits, _ := d.Num(fmt.Sprintf("cache.b.%d.hits", i+1))
		ev, _ := d.Num(fmt.Sprintf("redis.b.%d.eval", i+1))
		all, _ := d.Num(fmt.Sprintf("redis.b.%d.calls", i+1))
		authReq, _ := d.Num(fmt.Sprintf("auth.b.%d.requests", i+1))
		served := hits + miss // requests the gateway authenticated (wrk does not count the last in flight)
		rt, rtAll := Ratio(ev, served), Ratio(all, served)
		maxMiss, maxRT, maxAll = math.Max(maxMiss, miss), math.Max(maxRT, rt), math.Max(maxAll, rtAll)
		if _, ok := d.Facts[fmt.Sprintf("auth.b.%d.requests", i+1)]; !ok || authReq > allowedMisses {
			missOK = false
		}
		maxAuth = math.Max(maxAuth, authReq)
		f("  run %d: %.0f requests authenticated (wrk counted %d): auth cache hits +%.0f, misses +%.0f; requests received by the auth service +%.0f\n", i+1, served, r.Requests, hits, miss, authReq)
		f("         Redis: EVAL/EVALSHA +%.0f = %.3f round trips per request (%.2f commands per request counting TIME/GET/SET run inside the script)\n", ev, rt, rtAll)
		if g, ok := d.gcWindow(fmt.Sprintf("b-%d", i+1), fmt.Sprintf("b.%d", i+1)); ok && served > 0 {
			secs := dur
			f("         gateway heap: %.1f KB and %.0f allocations per request, %d GC cycles (%.1f/s), %d pauses, max %.2f ms, %d over 1 ms\n",
				float64(g.Bytes)/served/1e3, float64(g.Allocs)/served, g.Cycles, float64(g.Cycles)/secs, g.Pauses, g.MaxPauseMS, g.PausesOver1ms)
		}
	}
	f("  (a miss counts every request that found no fresh entry, those that waited on the one shared refresh too)\n")
	f("  target: no call to auth for cached requests (the positive cache lasts 30 s, so at most %.0f refresh per %.0f s run), ≤ 1 Redis round trip per request\n\n", allowedMisses, dur)

	// 5. Two gateways.
	f("5. Two gateways sharing Redis, one key (limit %s/s, burst %s), requests spread over both\n\n", d.Facts["twogw.limit"], d.Facts["twogw.burst"])
	tg, ok := d.Shared()
	for _, v := range []struct {
		name, label string
		l           *LoadResult
	}{{"twogw", "open loop at " + d.Facts["twogw.rate"] + " req/s (the check)", d.TwoGW}, {"twogw-saturated", "closed loop, as fast as they answer", d.TwoSat}} {
		t, ran := d.shared(v.l)
		if !ran {
			f("  %s: not run\n", v.label)
			continue
		}
		f("  %s, %d connections, %.2f s:%s\n", v.label, v.l.Connections, t.Elapsed, d.env(v.name))
		f("    admitted (2xx) %d, refused (429) %d, other %d, errors %d; expected limit×seconds+burst = %.0f; deviation %+.2f%%\n", t.Admitted, t.Refused, t.Other, t.Errors, t.Expected, t.DevPct)
		if fb, _ := d.Num(v.name + ".fallbacks"); fb > 0 {
			f("    %.0f switch(es) to the in-process limiter (a Redis call over the 25 ms limiter timeout): for 1 s each, that gateway admits the full limit on its own\n", fb)
		}
	}
	f("  target: within ±2%%\n\n")

	// 6. RSS.
	f("6. Resident memory: VmRSS in MB (10^6 bytes) = anonymous + file-backed (the 33 MB binary's pages, shared by every component)\n\n")
	f("  %-10s %20s %20s %20s %20s\n", "component", "fresh", "after set-up", "idle after load", "after a forced GC")
	maxRSS, maxAnon := 0.0, 0.0
	for _, c := range components {
		var cells []string
		for _, phase := range []string{"fresh", "start", "end", "gc"} {
			v, ok := d.Num("rss." + phase + "." + c)
			anon, _ := d.Num("rssanon." + phase + "." + c)
			file, _ := d.Num("rssfile." + phase + "." + c)
			if !ok || v <= 0 {
				cells = append(cells, "-")
				continue
			}
			if phase != "gc" {
				maxRSS = math.Max(maxRSS, v*1024/1e6)
				maxAnon = math.Max(maxAnon, anon*1024/1e6)
			}
			cells = append(cells, fmt.Sprintf("%.1f = %.1f + %.1f", v*1024/1e6, anon*1024/1e6, file*1024/1e6))
		}
		f("  %-10s %20s %20s %20s %20s\n", c, cells[0], cells[1], cells[2], cells[3])
	}
	for _, c := range []string{"goproxy", "nginx"} {
		if en, ok := d.Num("rss.end." + c); ok && en > 0 {
			f("  %-10s %20s %20s %20s   (baseline, for reference)\n", c, "", "", fmt.Sprintf("%.1f", en*1024/1e6))
		}
	}
	f("  (fresh: started, no request yet; after set-up: one key verified, one customer created with its Argon2id hash (19 MiB); idle after load: %ss after the last load; after a forced GC: /debug/pprof/heap?gc=1, then 2 s)\n", d.Facts["meta.idle_s"])
	for _, name := range []string{"gateway-start", "gateway-end", "billing-start", "billing-end"} {
		if m, ok := d.Mem[name]; ok {
			f("  Go runtime, %-13s heap in use %5.1f MB, heap free not yet returned %5.1f MB, returned %5.1f MB, stacks %4.1f MB, Sys %5.1f MB\n",
				name+":", float64(m.HeapInuse)/1e6, float64(m.HeapIdle-m.HeapReleased)/1e6, float64(m.HeapReleased)/1e6, float64(m.StackInuse)/1e6, float64(m.Sys)/1e6)
		}
	}
	if d.Heap != "" {
		f("  gateway heap in use after the forced GC, by allocation site (go tool pprof -sample_index=inuse_space):\n")
		for _, line := range strings.Split(strings.TrimRight(d.Heap, "\n"), "\n") {
			if strings.HasPrefix(line, "File:") || strings.HasPrefix(line, "Build ID:") || strings.HasPrefix(line, "Type:") || strings.HasPrefix(line, "Time:") {
				continue
			}
			f("    %s\n", line)
		}
	}
	f("  target < 40 MB each\n\n")

	// 7. Profile.
	f("7. Gateway CPU profile during (b) (HOSTPLANE_PPROF_ADDR, go tool pprof)\n\n")
	if d.Cum != nil {
		for _, h := range d.Cum.Header {
			if strings.HasPrefix(h, "Duration:") {
				f("  %s\n", h)
			}
		}
		f("  where the time goes (cumulative share of the gateway's CPU samples):\n")
		d.Cum.Breakdown(w, "  ")
		f("\n  top functions by own (flat) time:\n")
	}
	if d.Pprof != "" {
		for _, line := range strings.Split(strings.TrimRight(d.Pprof, "\n"), "\n") {
			f("  %s\n", line)
		}
	} else {
		f("  (no profile: %s)\n", d.Facts["pprof.note"])
	}
	f("\n")

	// 8. Targets.
	f("8. Targets\n\n")
	check := func(ok bool, what string) {
		mark := "PASS"
		if !ok {
			mark = "FAIL"
		}
		f("  %s  %s\n", mark, what)
	}
	check(vsGo >= 1.0, fmt.Sprintf("gateway ≥ 1.0× goproxy (%.3f)", vsGo))
	check(vsNginx >= 0.35, fmt.Sprintf("gateway ≥ 0.35× nginx (%.3f)", vsNginx))
	check(added < 1, fmt.Sprintf("p99 added at half peak < 1 ms (%.3f ms)", added))
	check(missOK, fmt.Sprintf("no auth call from cache during (b) (at most %.0f credential verification by auth per run: the 30 s refresh; cache misses metric +%.0f)", maxAuth, maxMiss))
	check(len(d.Wrk["b"]) > 0 && maxRT <= 1, fmt.Sprintf("≤ 1 Redis round trip per request (max %.3f)", maxRT))
	for _, name := range []string{"hung", "refused"} {
		if _, ran := faultPct[name]; ran {
			check(faultPct[name] >= 80 && fault5xx[name] == 0, fmt.Sprintf("Redis %s: ≥ 80%% throughput, zero 5xx (%.1f%%, %d 5xx/errors)", name, faultPct[name], fault5xx[name]))
		}
	}
	if ok {
		check(math.Abs(tg.DevPct) <= 2, fmt.Sprintf("two gateways within 2%% of the limit (%+.2f%%)", tg.DevPct))
	}
	check(maxRSS > 0 && maxRSS < 40, fmt.Sprintf("idle RSS < 40 MB each (max VmRSS %.1f MB, of which anonymous at most %.1f MB)", maxRSS, maxAnon))
	f("\n")

	// Machine-readable lines: extras, then the three required ones last.
	num := func(name string, v float64, prec int) { f("%s=%.*f\n", name, prec, v) }
	num("direct_rps", a.MedRPS, 0)
	num("gateway_rps", b.MedRPS, 0)
	num("nginx_rps", c.MedRPS, 0)
	num("goproxy_rps", dd.MedRPS, 0)
	num("gateway_p50_ms", b.MedP50, 3)
	num("gateway_p99_ms", b.MedP99, 3)
	num("gateway_vs_direct", vsDirect, 3)
	num("gateway_cpu_us_per_request", b.CPU["proxy"], 1)
	num("nginx_cpu_us_per_request", c.CPU["proxy"], 1)
	num("goproxy_cpu_us_per_request", dd.CPU["proxy"], 1)
	num("cpu_based_gateway_vs_nginx", cpuNginx, 3)
	num("cpu_based_gateway_vs_goproxy", cpuGo, 3)
	num("open_loop_rate", mustNum(d, "meta.open_rate"), 0)
	num("gateway_p50_added_ms", ob.P50-oa.P50, 3)
	if len(oc.Runs) > 0 {
		num("nginx_p99_added_ms", oc.P99-oa.P99, 3)
	}
	for _, name := range []string{"hung", "refused"} {
		if v, ran := faultPct[name]; ran {
			num("redis_"+name+"_throughput_pct", v, 1)
			f("redis_%s_5xx=%d\n", name, fault5xx[name])
		}
	}
	num("auth_calls_per_run", maxAuth, 0)
	num("auth_cache_misses_during_load", maxMiss, 0)
	num("redis_round_trips_per_request", maxRT, 3)
	if ok {
		num("two_gateways_deviation_pct", tg.DevPct, 2)
	}
	if ts, ran := d.shared(d.TwoSat); ran {
		num("two_gateways_saturated_deviation_pct", ts.DevPct, 2)
	}
	num("max_idle_rss_mb", maxRSS, 1)
	num("max_idle_rss_anon_mb", maxAnon, 1)
	num("gateway_vs_nginx", vsNginx, 3)
	num("gateway_vs_goproxy", vsGo, 3)
	num("gateway_p99_added_ms", added, 3)
}

func mustNum(d *Data, key string) float64 {
	v, ok := d.Num(key)
	if !ok {
		return math.NaN()
	}
	return v
}

func openRuns(runs []LoadResult) string {
	var parts []string
	for _, r := range runs {
		parts = append(parts, fmt.Sprintf("%.3f/%.3f", r.Latency.P50, r.Latency.P99))
	}
	return strings.Join(parts, "  ")
}

// mb renders a VmRSS in kB as MB.
func mb(kb float64, ok bool) string {
	if !ok {
		return "-"
	}
	return fmt.Sprintf("%.1f MB", kb*1024/1e6)
}

// noisyPct is the CPU share (% of one CPU) used by processes outside the
// bench above which a run is flagged: the machine is shared.
const noisyPct = 25

// env renders the machine's state during run tag.
func (d *Data) env(tag string) string {
	idle, ok1 := d.Num("env." + tag + ".idle_pct")
	other, ok2 := d.Num("env." + tag + ".foreign_cpu_pct")
	if !ok1 || !ok2 {
		return ""
	}
	mark := ""
	if other > noisyPct {
		mark = " NOISY"
	}
	if fb, ok := d.Num("fallback." + tag); ok && fb > 0 {
		mark += fmt.Sprintf(" limiter-fallbacks:%.0f", fb)
	}
	return fmt.Sprintf(" [%.0f%%, %.0f%%%s]", idle, other, mark)
}

// envRuns renders env for runs prefix.1 … prefix.n.
func (d *Data) envRuns(prefix string, n int) string {
	var parts []string
	for i := 1; i <= n; i++ {
		parts = append(parts, d.env(fmt.Sprintf("%s.%d", prefix, i)))
	}
	return strings.Join(parts, "")
}

// gcWindow compares memstats-<name>-0 and -1 over run tag's window.
func (d *Data) gcWindow(name, tag string) (GCWindow, bool) {
	before, ok1 := d.Mem[name+"-0"]
	after, ok2 := d.Mem[name+"-1"]
	from, ok3 := d.Num("run." + tag + ".start_ns")
	to, ok4 := d.Num("run." + tag + ".end_ns")
	if !ok1 || !ok2 || !ok3 || !ok4 {
		return GCWindow{}, false
	}
	return Window(before, after, uint64(from), uint64(to)), true
}
