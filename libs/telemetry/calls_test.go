package telemetry

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"testing"
	"time"

	"github.com/hostplane/hostplane/libs/errs"
	"github.com/prometheus/client_golang/prometheus"
)

func TestCallLogger(t *testing.T) {
	tests := []struct {
		name      string
		err       error
		wantLevel string
		wantKind  string
	}{
		{"ok at debug", nil, "DEBUG", ""},
		{"typed failure at debug", errs.NotFoundResource("customer", ""), "DEBUG", "not_found"},
		{"internal failure at error", errors.New("db exploded"), "ERROR", "internal"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			c := CallLogger{Log: NewLogger(&buf, "billing", slog.LevelDebug), Aggregate: "customers"}
			c.Done(WithRequestID(context.Background(), "rid"), "Create", time.Now(), tt.err, "id", 5)
			var rec map[string]any
			if err := json.Unmarshal(buf.Bytes(), &rec); err != nil {
				t.Fatalf("%q: %v", buf.String(), err)
			}
			if rec["level"] != tt.wantLevel || rec["msg"] != "customers" || rec["method"] != "Create" || rec["id"] != float64(5) || rec["request_id"] != "rid" {
				t.Errorf("record = %v", rec)
			}
			if _, ok := rec["took"].(string); !ok {
				t.Errorf("no duration in %v", rec)
			}
			if got, _ := rec["kind"].(string); got != tt.wantKind {
				t.Errorf("kind = %q, want %q", got, tt.wantKind)
			}
		})
	}
	// At info level a successful call is not logged.
	var buf bytes.Buffer
	CallLogger{Log: NewLogger(&buf, "billing", slog.LevelInfo), Aggregate: "customers"}.Done(context.Background(), "Get", time.Now(), nil)
	if buf.Len() != 0 {
		t.Errorf("logged %s at info level", buf.String())
	}
}

func TestCallTimer(t *testing.T) {
	m := NewMetrics("calls")
	c := NewCallTimer(m.Registry, "calls", "customers")
	start := time.Now()
	c.Observe("Create", start, nil)
	c.Observe("Create", start, nil)
	c.Observe("Create", start, errs.InvalidField("email", "bad"))
	c.Observe("Get", start, errors.New("boom"))
	got := gather(t, m, "hostplane_calls_customers_call_duration_seconds")
	tests := []struct {
		method, outcome string
		count           float64
	}{
		{"Create", "ok", 2},
		{"Create", "invalid", 1},
		{"Get", "internal", 1},
	}
	for _, tt := range tests {
		s, ok := find(got, map[string]string{"method": tt.method, "outcome": tt.outcome})
		if !ok || s.value != tt.count {
			t.Errorf("%s/%s = %v (found %v), want %v", tt.method, tt.outcome, s.value, ok, tt.count)
		}
	}
	defer func() {
		if recover() == nil {
			t.Error("registering the same timer twice did not panic")
		}
	}()
	NewCallTimer(prometheus.Registerer(m.Registry), "calls", "customers")
}
