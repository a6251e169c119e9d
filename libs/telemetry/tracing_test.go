package telemetry

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"
)

func newTestTracing(t *testing.T, service string) (*Tracing, *tracetest.InMemoryExporter) {
	t.Helper()
	exp := tracetest.NewInMemoryExporter()
	tr, err := NewTracing(context.Background(), service, TracingOptions{Exporter: exp, Synchronous: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = tr.Shutdown(context.Background()) })
	return tr, exp
}

func attr(s tracetest.SpanStub, key string) attribute.Value {
	for _, kv := range s.Attributes {
		if string(kv.Key) == key {
			return kv.Value
		}
	}
	return attribute.Value{}
}

func spanNamed(t *testing.T, exp *tracetest.InMemoryExporter, kind trace.SpanKind) tracetest.SpanStub {
	t.Helper()
	var found []tracetest.SpanStub
	for _, s := range exp.GetSpans() {
		if s.SpanKind == kind {
			found = append(found, s)
		}
	}
	if len(found) != 1 {
		t.Fatalf("%d spans of kind %v, want 1: %+v", len(found), kind, exp.GetSpans())
	}
	return found[0]
}

func TestServerMiddleware(t *testing.T) {
	const (
		traceHex  = "4bf92f3577b34da6a3ce929d0e0e4736"
		parentHex = "00f067aa0ba902b7"
	)
	tests := []struct {
		name        string
		traceparent string
		status      int
		panics      bool
		wantStatus  int64
		wantError   bool
	}{
		{name: "continues the caller's trace", traceparent: "00-" + traceHex + "-" + parentHex + "-01", status: 200, wantStatus: 200},
		{name: "starts a new trace", status: 201, wantStatus: 201},
		{name: "5xx marks the span", status: 503, wantStatus: 503, wantError: true},
		{name: "4xx does not", status: 404, wantStatus: 404},
		{name: "panic before answering", panics: true, wantStatus: 500, wantError: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tr, exp := newTestTracing(t, "srv")
			var inHandler trace.SpanContext
			h := tr.ServerMiddleware(func(r *http.Request) string { return "/v1/sites/{code}.json" })(
				http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					inHandler = trace.SpanContextFromContext(r.Context())
					if tt.panics {
						panic("boom")
					}
					w.WriteHeader(tt.status)
				}))
			req := httptest.NewRequest("GET", "/v1/sites/abc.json", nil)
			if tt.traceparent != "" {
				req.Header.Set("traceparent", tt.traceparent)
			}
			func() {
				defer func() { _ = recover() }()
				h.ServeHTTP(httptest.NewRecorder(), req)
			}()

			s := spanNamed(t, exp, trace.SpanKindServer)
			if s.Name != "GET /v1/sites/{code}.json" {
				t.Errorf("span name = %q, want \"GET /v1/sites/{code}.json\"", s.Name)
			}
			if s.SpanContext.SpanID() != inHandler.SpanID() || !inHandler.IsValid() {
				t.Errorf("handler context carries span %v, want the server span %v", inHandler.SpanID(), s.SpanContext.SpanID())
			}
			if tt.traceparent != "" {
				if s.SpanContext.TraceID().String() != traceHex || s.Parent.SpanID().String() != parentHex || !s.Parent.IsRemote() {
					t.Errorf("span trace %s parent %s, want trace %s parent %s (remote)", s.SpanContext.TraceID(), s.Parent.SpanID(), traceHex, parentHex)
				}
			} else if s.Parent.IsValid() {
				t.Errorf("span has parent %v, want a root span", s.Parent)
			}
			if got := attr(s, "http.response.status_code").AsInt64(); got != tt.wantStatus {
				t.Errorf("status attribute = %d, want %d", got, tt.wantStatus)
			}
			if got := attr(s, "http.route").AsString(); got != "/v1/sites/{code}.json" {
				t.Errorf("route attribute = %q", got)
			}
			if got := attr(s, "http.request.method").AsString(); got != "GET" {
				t.Errorf("method attribute = %q", got)
			}
			if (s.Status.Code == codes.Error) != tt.wantError {
				t.Errorf("span status = %v, want error %v", s.Status, tt.wantError)
			}
		})
	}
}

// A client span from Transport carries the trace to a server whose span is
// its child: one trace id from the caller's span to the callee's.
func TestTransportPropagatesToServer(t *testing.T) {
	clientTr, clientExp := newTestTracing(t, "caller")
	serverTr, serverExp := newTestTracing(t, "callee")

	var gotHeader string
	srv := httptest.NewServer(serverTr.ServerMiddleware(func(*http.Request) string { return "/internal/items/{id}" })(
		http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			gotHeader = r.Header.Get("traceparent")
			io.WriteString(w, "ok")
		})))
	defer srv.Close()

	client := &http.Client{Transport: clientTr.Transport(srv.Client().Transport)}
	ctx, root := clientTr.Tracer.Start(context.Background(), "operation")
	req, _ := http.NewRequestWithContext(ctx, "GET", srv.URL+"/internal/items/5", nil)
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	root.End()

	if req.Header.Get("traceparent") != "" {
		t.Error("Transport modified the caller's request headers")
	}
	clientSpan := spanNamed(t, clientExp, trace.SpanKindClient)
	serverSpan := spanNamed(t, serverExp, trace.SpanKindServer)
	rootID := root.SpanContext()

	if gotHeader == "" {
		t.Fatal("no traceparent reached the server")
	}
	if clientSpan.Parent.SpanID() != rootID.SpanID() {
		t.Errorf("client span parent = %v, want the caller's span %v", clientSpan.Parent.SpanID(), rootID.SpanID())
	}
	if serverSpan.Parent.SpanID() != clientSpan.SpanContext.SpanID() {
		t.Errorf("server span parent = %v, want the client span %v", serverSpan.Parent.SpanID(), clientSpan.SpanContext.SpanID())
	}
	for name, id := range map[string]trace.TraceID{"client": clientSpan.SpanContext.TraceID(), "server": serverSpan.SpanContext.TraceID()} {
		if id != rootID.TraceID() {
			t.Errorf("%s trace id = %s, want %s", name, id, rootID.TraceID())
		}
	}
	if serverSpan.Name != "GET /internal/items/{id}" {
		t.Errorf("server span name = %q", serverSpan.Name)
	}
	if got := attr(clientSpan, "http.response.status_code").AsInt64(); got != 200 {
		t.Errorf("client span status = %d, want 200", got)
	}
}

func TestTransportError(t *testing.T) {
	tr, exp := newTestTracing(t, "caller")
	ln := httptest.NewServer(http.NotFoundHandler())
	addr := ln.URL
	ln.Close() // nothing listens there any more
	client := &http.Client{Transport: tr.Transport(nil)}
	resp, err := client.Get(addr + "/x")
	if err == nil {
		resp.Body.Close()
		t.Fatal("want a connection error")
	}
	s := spanNamed(t, exp, trace.SpanKindClient)
	if s.Status.Code != codes.Error || len(s.Events) == 0 {
		t.Errorf("span status %v events %d, want an error with the recorded cause", s.Status, len(s.Events))
	}
}

func TestTracingWithoutExporterAndNilShutdown(t *testing.T) {
	tr, err := NewTracing(context.Background(), "noexp", TracingOptions{})
	if err != nil {
		t.Fatal(err)
	}
	_, span := tr.Tracer.Start(context.Background(), "x")
	if !span.SpanContext().IsValid() || !span.SpanContext().IsSampled() {
		t.Error("spans must be recorded (for correlation ids) even without an exporter")
	}
	span.End()
	if err := tr.Shutdown(context.Background()); err != nil {
		t.Errorf("Shutdown = %v", err)
	}
	var nilTr *Tracing
	if err := nilTr.Shutdown(context.Background()); err != nil {
		t.Errorf("nil Shutdown = %v", err)
	}
	if _, ok := tr.Provider.(*sdktrace.TracerProvider); !ok {
		t.Errorf("Provider is %T, want the SDK provider", tr.Provider)
	}
}

func TestStatusWriter(t *testing.T) {
	rec := httptest.NewRecorder()
	sw := NewStatusWriter(rec)
	if sw.Status() != 200 || sw.Bytes() != 0 {
		t.Errorf("fresh writer: status %d bytes %d", sw.Status(), sw.Bytes())
	}
	sw.WriteHeader(418)
	sw.Write([]byte("short"))
	sw.Write([]byte("stout"))
	if sw.Status() != 418 || sw.Bytes() != 10 || rec.Code != 418 {
		t.Errorf("status %d bytes %d recorder %d, want 418 10 418", sw.Status(), sw.Bytes(), rec.Code)
	}
	if err := http.NewResponseController(sw).Flush(); err != nil || !rec.Flushed {
		t.Errorf("Flush through ResponseController: %v flushed=%v", err, rec.Flushed)
	}
	if _, _, err := sw.Hijack(); err == nil {
		t.Error("Hijack on a recorder: want an error")
	}
}
