package main

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/hostplane/hostplane/libs/principal"
)

// reportData is the part of report.json checked.
type reportData struct {
	Pageviews int64 `json:"pageviews"`
	Visitors  int64 `json:"visitors"`
	Days      []struct {
		Date string `json:"date"`
	} `json:"days"`
}

var benchKey = &principal.Principal{KeyID: 1, KeyName: "bench", Permissions: []string{"*"}}

// report asks for the 366-day report: through the gateway, or straight to
// the service with p.
func report(ctx context.Context, st *stack, s site, p *principal.Principal) (reportData, error) {
	today := time.Now().UTC()
	q := "?start_date=" + today.AddDate(0, 0, -365).Format("2006-01-02") + "&end_date=" + today.Format("2006-01-02")
	base := st.gateway
	if p != nil {
		base = "http://" + st.procs["stats"].addr
	}
	status, body, err := st.call(ctx, "GET", base+"/v1/sites/"+s.code+"/stats/report.json"+q, "", p)
	if err != nil {
		return reportData{}, err
	}
	var v struct {
		Data reportData `json:"data"`
	}
	if status != 200 {
		return reportData{}, fmt.Errorf("report: %d %.300s", status, body)
	}
	if err := json.Unmarshal(body, &v); err != nil {
		return reportData{}, err
	}
	if len(v.Data.Days) != 366 {
		return reportData{}, fmt.Errorf("report has %d days", len(v.Data.Days))
	}
	return v.Data, nil
}

// timeSequential runs n sequential calls and returns their latencies.
func timeSequential(ctx context.Context, n int, call func() error) ([]time.Duration, error) {
	out := make([]time.Duration, 0, n)
	deadline := time.Now().Add(5 * time.Minute)
	for range n {
		if ctx.Err() != nil || time.Now().After(deadline) {
			break
		}
		t0 := time.Now()
		if err := call(); err != nil {
			return nil, err
		}
		out = append(out, time.Since(t0))
	}
	return out, nil
}

func benchReport(ctx context.Context, st *stack, s site, o options) ([]string, error) {
	say("366-day report: %d sequential requests through the gateway, then as many straight to the service", o.reports)
	var lines []string
	for _, way := range []struct {
		name string
		p    *principal.Principal
	}{{"gateway", nil}, {"direct", benchKey}} {
		lat, err := timeSequential(ctx, o.reports, func() error { _, err := report(ctx, st, s, way.p); return err })
		if err != nil {
			return nil, err
		}
		lines = append(lines, fmt.Sprintf("report_366d_ms_%s p50=%s p99=%s max=%s (n=%d; target p99 < 20)", way.name,
			ms(pct(lat, .5)), ms(pct(lat, .99)), ms(pct(lat, 1)), len(lat)))
		say("%s", lines[len(lines)-1])
	}
	return lines, nil
}

func benchLive(ctx context.Context, st *stack, s site, o options) ([]string, error) {
	say("live: %d visitor ids seen now", o.visitors)
	target := st.gateway + "/v1/sites/" + s.code + "/events.json"
	var b strings.Builder
	for start := 0; start < o.visitors; start += batchSize {
		b.Reset()
		b.WriteString(`{"events":[`)
		for i := start; i < min(start+batchSize, o.visitors); i++ {
			if i > start {
				b.WriteByte(',')
			}
			b.WriteString(`{"type":"visit","visitor_id":"live-` + strconv.Itoa(i) + `"}`)
		}
		b.WriteString("]}")
		status, body, err := st.call(ctx, "POST", target, b.String(), nil)
		if err != nil {
			return nil, err
		}
		if status != 201 {
			return nil, fmt.Errorf("live batch: %d %s", status, body)
		}
	}
	var lines []string
	for _, way := range []struct {
		name, base string
		p          *principal.Principal
	}{{"gateway", st.gateway, nil}, {"direct", "http://" + st.procs["stats"].addr, benchKey}} {
		lat, err := timeSequential(ctx, o.lives, func() error {
			status, body, err := st.call(ctx, "GET", way.base+"/v1/sites/"+s.code+"/stats/live.json", "", way.p)
			if err != nil {
				return err
			}
			var v struct {
				Data struct {
					Visitors int `json:"visitors"`
				} `json:"data"`
			}
			if status != 200 || json.Unmarshal(body, &v) != nil || v.Data.Visitors != o.visitors {
				return fmt.Errorf("live: %d %s, want %d visitors", status, body, o.visitors)
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
		lines = append(lines, fmt.Sprintf("live_%dk_visitors_ms_%s p50=%s p99=%s max=%s (n=%d; target p99 < 5)", o.visitors/1000, way.name,
			ms(pct(lat, .5)), ms(pct(lat, .99)), ms(pct(lat, 1)), len(lat)))
		say("%s", lines[len(lines)-1])
	}
	return lines, nil
}
