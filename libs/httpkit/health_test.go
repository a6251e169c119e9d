package httpkit

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"
	"time"
)

func ok(detail string) func(context.Context) (string, error) {
	return func(context.Context) (string, error) { return detail, nil }
}

func fail(msg string) func(context.Context) (string, error) {
	return func(context.Context) (string, error) { return "", errors.New(msg) }
}

func readyz(t *testing.T, h *Health) (int, Report) {
	t.Helper()
	rec := httptest.NewRecorder()
	h.Readyz(rec, httptest.NewRequest(http.MethodGet, "/readyz", nil))
	if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("Content-Type = %q, want JSON", ct)
	}
	var rep Report
	if err := json.Unmarshal(rec.Body.Bytes(), &rep); err != nil {
		t.Fatalf("readyz body %q: %v", rec.Body.String(), err)
	}
	return rec.Code, rep
}

func TestReadyz(t *testing.T) {
	tests := []struct {
		name       string
		checks     []Check
		drain      bool
		wantCode   int
		wantStatus string
		wantChecks map[string]CheckResult
	}{
		{
			name: "no checks", wantCode: 200, wantStatus: "ok", wantChecks: map[string]CheckResult{},
		},
		{
			name: "all up",
			checks: []Check{
				{Name: "postgres", Critical: true, Fn: ok("3/10 conns")},
				{Name: "redis", Fn: ok("")},
			},
			wantCode: 200, wantStatus: "ok",
			wantChecks: map[string]CheckResult{
				"postgres": {Status: "ok", Detail: "3/10 conns"},
				"redis":    {Status: "ok"},
			},
		},
		{
			name: "non-critical down stays ready",
			checks: []Check{
				{Name: "postgres", Critical: true, Fn: ok("")},
				{Name: "redis", Fn: fail("connection refused")},
			},
			wantCode: 200, wantStatus: "degraded",
			wantChecks: map[string]CheckResult{
				"postgres": {Status: "ok"},
				"redis":    {Status: "down", Error: "connection refused"},
			},
		},
		{
			name: "critical down is unready",
			checks: []Check{
				{Name: "postgres", Critical: true, Fn: fail("no route to host")},
				{Name: "redis", Fn: ok("")},
			},
			wantCode: 503, wantStatus: "unavailable",
			wantChecks: map[string]CheckResult{
				"postgres": {Status: "down", Error: "no route to host"},
				"redis":    {Status: "ok"},
			},
		},
		{
			name: "critical wins over degraded in any order",
			checks: []Check{
				{Name: "redis", Fn: fail("r")},
				{Name: "postgres", Critical: true, Fn: fail("p")},
				{Name: "consul", Fn: fail("c")},
			},
			wantCode: 503, wantStatus: "unavailable",
			wantChecks: map[string]CheckResult{
				"redis":    {Status: "down", Error: "r"},
				"postgres": {Status: "down", Error: "p"},
				"consul":   {Status: "down", Error: "c"},
			},
		},
		{
			name:     "draining",
			checks:   []Check{{Name: "postgres", Critical: true, Fn: ok("")}},
			drain:    true,
			wantCode: 503, wantStatus: "draining",
			wantChecks: map[string]CheckResult{"postgres": {Status: "ok"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := NewHealth(tt.checks...)
			if tt.drain {
				h.Drain()
			}
			code, rep := readyz(t, h)
			if code != tt.wantCode || rep.Status != tt.wantStatus {
				t.Errorf("readyz = %d %q, want %d %q", code, rep.Status, tt.wantCode, tt.wantStatus)
			}
			if !reflect.DeepEqual(rep.Checks, tt.wantChecks) {
				t.Errorf("checks = %+v, want %+v", rep.Checks, tt.wantChecks)
			}
		})
	}
}

func TestHealthzAndAdd(t *testing.T) {
	h := NewHealth()
	h.Drain() // liveness ignores draining and dependencies
	h.Add(Check{Name: "b", Critical: true, Fn: fail("down")})
	h.Add(Check{Name: "a", Fn: ok("")})
	rec := httptest.NewRecorder()
	h.Healthz(rec, httptest.NewRequest(http.MethodGet, "/healthz", nil))
	if rec.Code != 200 || strings.TrimSpace(rec.Body.String()) != `{"status":"ok"}` {
		t.Errorf("healthz = %d %s", rec.Code, rec.Body.String())
	}
	if got := h.Names(); !reflect.DeepEqual(got, []string{"a", "b"}) {
		t.Errorf("Names = %v, want [a b]", got)
	}
	if code, rep := readyz(t, h); code != 503 || len(rep.Checks) != 2 {
		t.Errorf("readyz after Add = %d %+v", code, rep)
	}
}

func TestReadyzCheckTimeout(t *testing.T) {
	h := NewHealth(
		Check{Name: "hung", Critical: true, Fn: func(ctx context.Context) (string, error) {
			<-ctx.Done()
			return "", ctx.Err()
		}},
		Check{Name: "fast", Fn: ok("")},
	)
	h.timeout = 50 * time.Millisecond
	start := time.Now()
	code, rep := readyz(t, h)
	if d := time.Since(start); d > time.Second {
		t.Errorf("readyz took %s, want about the check timeout", d)
	}
	if code != 503 || rep.Status != "unavailable" {
		t.Errorf("readyz = %d %q, want 503 unavailable", code, rep.Status)
	}
	if got := rep.Checks["hung"]; got.Status != "down" || !strings.Contains(got.Error, "deadline exceeded") {
		t.Errorf("hung check = %+v, want down with the deadline", got)
	}
	if got := rep.Checks["fast"]; got.Status != "ok" {
		t.Errorf("fast check = %+v, want ok", got)
	}
}

func TestReadyzRunsChecksConcurrently(t *testing.T) {
	// Two checks that each wait for the other: only concurrent runs finish.
	a, b := make(chan struct{}), make(chan struct{})
	h := NewHealth(
		Check{Name: "a", Fn: func(ctx context.Context) (string, error) {
			close(a)
			select {
			case <-b:
				return "", nil
			case <-ctx.Done():
				return "", ctx.Err()
			}
		}},
		Check{Name: "b", Fn: func(ctx context.Context) (string, error) {
			close(b)
			select {
			case <-a:
				return "", nil
			case <-ctx.Done():
				return "", ctx.Err()
			}
		}},
	)
	h.timeout = time.Second
	if _, rep := readyz(t, h); rep.Status != "ok" {
		t.Errorf("readyz = %+v, want both checks ok", rep)
	}
}
