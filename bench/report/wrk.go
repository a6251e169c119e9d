package main

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// WrkRun is what one `wrk --latency` run printed.
type WrkRun struct {
	Requests  int64   // completed requests
	Seconds   float64 // run length
	RPS       float64
	P50, P75  float64 // milliseconds
	P90, P99  float64
	Non2xx    int64
	SocketErr int64 // connect + read + write + timeout
}

// ParseWrk reads wrk's text output.
func ParseWrk(r io.Reader) (WrkRun, error) {
	var w WrkRun
	var sawRPS, sawDist bool
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		switch {
		case len(f) == 2 && strings.HasSuffix(f[0], "%"):
			v, err := parseWrkDuration(f[1])
			if err != nil {
				return w, err
			}
			switch f[0] {
			case "50%":
				w.P50 = v
			case "75%":
				w.P75 = v
			case "90%":
				w.P90 = v
			case "99%":
				w.P99 = v
				sawDist = true
			}
		case len(f) >= 5 && f[1] == "requests" && f[2] == "in":
			n, err := strconv.ParseInt(f[0], 10, 64)
			if err != nil {
				return w, fmt.Errorf("wrk: requests: %w", err)
			}
			w.Requests = n
			secs, err := parseWrkDuration(strings.TrimSuffix(f[3], ","))
			if err != nil {
				return w, err
			}
			w.Seconds = secs / 1000
		case len(f) == 2 && f[0] == "Requests/sec:":
			v, err := strconv.ParseFloat(f[1], 64)
			if err != nil {
				return w, fmt.Errorf("wrk: Requests/sec: %w", err)
			}
			w.RPS, sawRPS = v, true
		case len(f) == 5 && f[0] == "Non-2xx":
			n, err := strconv.ParseInt(f[4], 10, 64)
			if err != nil {
				return w, fmt.Errorf("wrk: Non-2xx: %w", err)
			}
			w.Non2xx = n
		case len(f) > 2 && f[0] == "Socket" && f[1] == "errors:":
			// Socket errors: connect 0, read 0, write 0, timeout 0
			for i := 2; i+1 < len(f); i += 2 {
				n, err := strconv.ParseInt(strings.TrimSuffix(f[i+1], ","), 10, 64)
				if err != nil {
					return w, fmt.Errorf("wrk: socket errors: %w", err)
				}
				w.SocketErr += n
			}
		}
	}
	if err := sc.Err(); err != nil {
		return w, err
	}
	if !sawRPS || !sawDist {
		return w, fmt.Errorf("wrk: output without Requests/sec or latency distribution (was --latency given?)")
	}
	return w, nil
}

// parseWrkDuration reads wrk's "812.00us", "1.23ms", "2.00s", "1.00m" as
// milliseconds.
func parseWrkDuration(s string) (float64, error) {
	units := []struct {
		suffix string
		ms     float64
	}{{"us", 1e-3}, {"ms", 1}, {"s", 1e3}, {"m", 60e3}, {"h", 3600e3}}
	for _, u := range units {
		if strings.HasSuffix(s, u.suffix) {
			v, err := strconv.ParseFloat(strings.TrimSuffix(s, u.suffix), 64)
			if err != nil {
				return 0, fmt.Errorf("wrk: duration %q: %w", s, err)
			}
			return v * u.ms, nil
		}
	}
	return 0, fmt.Errorf("wrk: duration %q: unknown unit", s)
}
