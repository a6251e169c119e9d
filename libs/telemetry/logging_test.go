package telemetry

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"testing"

	"go.opentelemetry.io/otel/trace"
)

func TestNewLoggerAddsContext(t *testing.T) {
	traceID, _ := trace.TraceIDFromHex("4bf92f3577b34da6a3ce929d0e0e4736")
	spanID, _ := trace.SpanIDFromHex("00f067aa0ba902b7")
	sc := trace.NewSpanContext(trace.SpanContextConfig{TraceID: traceID, SpanID: spanID, TraceFlags: trace.FlagsSampled})
	traced := trace.ContextWithSpanContext(context.Background(), sc)

	tests := []struct {
		name   string
		ctx    context.Context
		with   bool // log through logger.With(...)
		want   map[string]string
		absent []string
	}{
		{
			name:   "plain",
			ctx:    context.Background(),
			want:   map[string]string{"component": "billing", "msg": "hello"},
			absent: []string{"trace_id", "span_id", "request_id"},
		},
		{
			name:   "request id only",
			ctx:    WithRequestID(context.Background(), "rid-1"),
			want:   map[string]string{"request_id": "rid-1"},
			absent: []string{"trace_id", "span_id"},
		},
		{
			name: "trace and request id",
			ctx:  WithRequestID(traced, "rid-2"),
			want: map[string]string{"trace_id": traceID.String(), "span_id": spanID.String(), "request_id": "rid-2"},
		},
		{
			name: "through With",
			ctx:  WithRequestID(traced, "rid-3"),
			with: true,
			want: map[string]string{"trace_id": traceID.String(), "request_id": "rid-3", "extra": "x", "component": "billing"},
		},
		{
			name:   "invalid span context",
			ctx:    trace.ContextWithSpanContext(context.Background(), trace.SpanContext{}),
			absent: []string{"trace_id", "span_id"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			log := NewLogger(&buf, "billing", slog.LevelInfo)
			if tt.with {
				log = log.With("extra", "x")
			}
			log.InfoContext(tt.ctx, "hello")
			var rec map[string]any
			if err := json.Unmarshal(buf.Bytes(), &rec); err != nil {
				t.Fatalf("not one JSON record: %q: %v", buf.String(), err)
			}
			for k, v := range tt.want {
				if rec[k] != v {
					t.Errorf("%s = %v, want %q (record %s)", k, rec[k], v, buf.String())
				}
			}
			for _, k := range tt.absent {
				if _, ok := rec[k]; ok {
					t.Errorf("%s present, want absent (record %s)", k, buf.String())
				}
			}
		})
	}
}

func TestNewLoggerLevel(t *testing.T) {
	var buf bytes.Buffer
	log := NewLogger(&buf, "x", ParseLevel("warn"))
	log.Info("dropped")
	log.Warn("kept")
	if n := bytes.Count(buf.Bytes(), []byte("\n")); n != 1 || !bytes.Contains(buf.Bytes(), []byte("kept")) {
		t.Errorf("records = %q, want only the warning", buf.String())
	}
}

func TestParseLevel(t *testing.T) {
	tests := []struct {
		in   string
		want slog.Level
	}{
		{"debug", slog.LevelDebug},
		{"info", slog.LevelInfo},
		{"warn", slog.LevelWarn},
		{"error", slog.LevelError},
		{"ERROR", slog.LevelError},
		{"", slog.LevelInfo},
		{"verbose", slog.LevelInfo},
	}
	for _, tt := range tests {
		if got := ParseLevel(tt.in); got != tt.want {
			t.Errorf("ParseLevel(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestRequestIDContext(t *testing.T) {
	if got := RequestID(context.Background()); got != "" {
		t.Errorf("RequestID of empty context = %q", got)
	}
	if got := RequestID(WithRequestID(context.Background(), "a")); got != "a" {
		t.Errorf("RequestID = %q, want a", got)
	}
}
