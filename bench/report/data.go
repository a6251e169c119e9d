package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// LoadResult is the part of bench/load's JSON the report reads.
type LoadResult struct {
	Mode        string           `json:"mode"`
	Connections int              `json:"connections"`
	TargetRate  float64          `json:"target_rate"`
	StartUnixNS int64            `json:"start_unix_ns"`
	ElapsedS    float64          `json:"elapsed_s"`
	Scheduled   int64            `json:"scheduled"`
	Sent        int64            `json:"sent"`
	Completed   int64            `json:"completed"`
	Errors      int64            `json:"errors"`
	Timeouts    int64            `json:"timeouts"`
	Status      map[string]int64 `json:"status"`
	RPS         float64          `json:"rps"`
	Latency     Percentiles      `json:"latency_ms"`
	Intended    *Percentiles     `json:"from_intended_ms"`
	Service     Percentiles      `json:"service_ms"`
	LateSends   int64            `json:"late_sends"`
	SlackP99    float64          `json:"timer_slack_p99_ms"`
	Timeline    *struct {
		WidthMS float64 `json:"width_ms"`
		OK      []int64 `json:"ok"`
		Non2xx  []int64 `json:"non2xx"`
		S5xx    []int64 `json:"s5xx"`
		Errors  []int64 `json:"errors"`
	} `json:"timeline"`
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

// StatusCount is the number of answers with a status in [lo, hi].
func (l *LoadResult) StatusCount(lo, hi int) int64 {
	var n int64
	for s, c := range l.Status {
		if v, err := strconv.Atoi(s); err == nil && v >= lo && v <= hi {
			n += c
		}
	}
	return n
}

// Data is everything one run of run.sh left in its raw directory.
type Data struct {
	Facts  map[string]string
	Wrk    map[string][]WrkRun     // scenario → runs, in round order
	Open   map[string][]LoadResult // scenario (a, b) → open-loop runs
	TwoGW  *LoadResult             // open loop above the limit
	TwoSat *LoadResult             // closed loop, saturated
	Faults map[string]*LoadResult  // hung, refused
	Pprof  string                  // go tool pprof -top output
	Heap   string                  // go tool pprof -top of the gateway heap after a forced GC
	Cum    *Profile                // go tool pprof -top -cum, every node
	Mem    map[string]MemStats     // memstats-<name>.txt → name
}

var (
	wrkFile  = regexp.MustCompile(`^wrk-([a-z]+)-(\d+)\.txt$`)
	openFile = regexp.MustCompile(`^open-([a-z]+)-(\d+)\.json$`)
)

// Load reads a raw directory.
func Load(dir string) (*Data, error) {
	d := &Data{Facts: map[string]string{}, Wrk: map[string][]WrkRun{}, Open: map[string][]LoadResult{}, Faults: map[string]*LoadResult{}, Mem: map[string]MemStats{}}
	if err := readFacts(filepath.Join(dir, "facts.txt"), d.Facts); err != nil && !os.IsNotExist(err) {
		return nil, err
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	type numbered[T any] struct {
		round int
		v     T
	}
	wrk := map[string][]numbered[WrkRun]{}
	open := map[string][]numbered[LoadResult]{}
	for _, e := range entries {
		name := e.Name()
		path := filepath.Join(dir, name)
		switch {
		case wrkFile.MatchString(name):
			m := wrkFile.FindStringSubmatch(name)
			f, err := os.Open(path)
			if err != nil {
				return nil, err
			}
			w, err := ParseWrk(f)
			f.Close()
			if err != nil {
				return nil, fmt.Errorf("%s: %w", name, err)
			}
			r, _ := strconv.Atoi(m[2])
			wrk[m[1]] = append(wrk[m[1]], numbered[WrkRun]{r, w})
		case openFile.MatchString(name):
			m := openFile.FindStringSubmatch(name)
			l, err := readLoad(path)
			if err != nil {
				return nil, err
			}
			r, _ := strconv.Atoi(m[2])
			open[m[1]] = append(open[m[1]], numbered[LoadResult]{r, *l})
		case name == "twogw.json":
			if d.TwoGW, err = readLoad(path); err != nil {
				return nil, err
			}
		case name == "twogw-saturated.json":
			if d.TwoSat, err = readLoad(path); err != nil {
				return nil, err
			}
		case strings.HasPrefix(name, "fault-") && strings.HasSuffix(name, ".json"):
			l, err := readLoad(path)
			if err != nil {
				return nil, err
			}
			d.Faults[strings.TrimSuffix(strings.TrimPrefix(name, "fault-"), ".json")] = l
		case strings.HasPrefix(name, "memstats-") && strings.HasSuffix(name, ".txt"):
			if m, ok := readMemStats(path); ok {
				d.Mem[strings.TrimSuffix(strings.TrimPrefix(name, "memstats-"), ".txt")] = m
			}
		case name == "pprof-cum.txt":
			f, err := os.Open(path)
			if err != nil {
				return nil, err
			}
			p := ParseTop(f)
			f.Close()
			d.Cum = &p
		case name == "pprof-heap.txt":
			b, err := os.ReadFile(path)
			if err != nil {
				return nil, err
			}
			d.Heap = string(b)
		case name == "pprof-top.txt":
			b, err := os.ReadFile(path)
			if err != nil {
				return nil, err
			}
			d.Pprof = string(b)
		}
	}
	for s, runs := range wrk {
		sort.Slice(runs, func(i, j int) bool { return runs[i].round < runs[j].round })
		for _, r := range runs {
			d.Wrk[s] = append(d.Wrk[s], r.v)
		}
	}
	for s, runs := range open {
		sort.Slice(runs, func(i, j int) bool { return runs[i].round < runs[j].round })
		for _, r := range runs {
			d.Open[s] = append(d.Open[s], r.v)
		}
	}
	return d, nil
}

func readLoad(path string) (*LoadResult, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var l LoadResult
	if err := json.Unmarshal(b, &l); err != nil {
		return nil, fmt.Errorf("%s: %w", filepath.Base(path), err)
	}
	return &l, nil
}

// readFacts reads key=value lines (later lines win).
func readFacts(path string, into map[string]string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		if ok {
			into[strings.TrimSpace(k)] = strings.TrimSpace(v)
		}
	}
	return sc.Err()
}

// Num returns a numeric fact and whether it is there.
func (d *Data) Num(key string) (float64, bool) {
	v, ok := d.Facts[key]
	if !ok {
		return 0, false
	}
	f, err := strconv.ParseFloat(v, 64)
	return f, err == nil
}
