package upstream

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hostplane/hostplane/libs/errs"
	"github.com/hostplane/hostplane/libs/principal"
	"github.com/hostplane/hostplane/libs/telemetry"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
)

const secret = "upstream-test-secret-0123456789"

// picker is a fake Picker over a fixed list of addresses: Next walks the
// list, NextExcept returns the first other address. It records every pick.
type picker struct {
	mu     sync.Mutex
	addrs  []string
	i      int
	picked []string
}

func (p *picker) Next() (string, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.addrs) == 0 {
		return "", errs.New(errs.Unavailable, "no instance of test")
	}
	a := p.addrs[p.i%len(p.addrs)]
	p.i++
	p.picked = append(p.picked, a)
	return a, nil
}

func (p *picker) NextExcept(tried string) (string, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, a := range p.addrs {
		if a != tried {
			p.picked = append(p.picked, a)
			return a, nil
		}
	}
	return "", errs.New(errs.Unavailable, "no other instance of test")
}

func (p *picker) set(addrs ...string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.addrs, p.i = addrs, 0
}

func (p *picker) picks() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.picked...)
}

// closedAddr is an address that refuses connections.
func closedAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

// server is an httptest server that verifies the signed principal of every
// request (401 otherwise) and counts hits.
type server struct {
	*httptest.Server
	hits atomic.Int64
	last atomic.Pointer[principal.Principal]
	rid  atomic.Pointer[string]
}

func newServer(t *testing.T, h http.HandlerFunc) *server {
	t.Helper()
	s := &server{}
	signer := principal.NewSigner(secret)
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.hits.Add(1)
		p, err := signer.Verify(r)
		if err != nil {
			WriteError(w, errs.Wrap(errs.Unauthorized, err, "Unauthenticated."))
			return
		}
		s.last.Store(p)
		rid := r.Header.Get("X-Request-Id")
		s.rid.Store(&rid)
		h(w, r)
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *server) addr() string { return strings.TrimPrefix(s.URL, "http://") }

func newClient(p Picker, o Options) *Client {
	return New("billing", p, principal.NewSigner(secret), o)
}

func TestDoJSON(t *testing.T) {
	type item struct {
		ID   int64  `json:"id"`
		Name string `json:"name"`
	}
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		switch r.Method {
		case http.MethodPost:
			if ct := r.Header.Get("Content-Type"); ct != "application/json" {
				WriteError(w, errs.InvalidField("content-type", ct))
				return
			}
			var in item
			if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
				WriteError(w, errs.Wrap(errs.BadJSON, err, ""))
				return
			}
			in.ID = 42
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusCreated)
			json.NewEncoder(w).Encode(in)
		case http.MethodDelete:
			w.WriteHeader(http.StatusNoContent)
		default:
			json.NewEncoder(w).Encode(item{ID: 7, Name: "seven" + r.URL.RawQuery})
		}
	})
	c := newClient(&picker{addrs: []string{srv.addr()}}, Options{})
	ctx := context.Background()

	var created item
	if err := c.Do(ctx, http.MethodPost, "/internal/items", item{Name: "new"}, &created); err != nil {
		t.Fatalf("POST: %v", err)
	}
	if created != (item{ID: 42, Name: "new"}) {
		t.Errorf("POST answer = %+v", created)
	}
	var got item
	if err := c.Do(ctx, http.MethodGet, "/internal/items/7?x=1", nil, &got); err != nil {
		t.Fatalf("GET: %v", err)
	}
	if got != (item{ID: 7, Name: "sevenx=1"}) {
		t.Errorf("GET answer = %+v", got)
	}
	if err := c.Do(ctx, http.MethodDelete, "/internal/items/7", nil, &got); err != nil {
		t.Fatalf("DELETE with an empty answer: %v", err)
	}
	if err := c.Do(ctx, http.MethodGet, "/internal/items/7", nil, nil); err != nil {
		t.Fatalf("GET with nil out: %v", err)
	}
}

func TestDoBadAnswer(t *testing.T) {
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "not json") })
	c := newClient(&picker{addrs: []string{srv.addr()}}, Options{})
	var out map[string]any
	err := c.Do(context.Background(), http.MethodGet, "/x", nil, &out)
	if err == nil || !strings.Contains(err.Error(), "decode billing answer") {
		t.Errorf("err = %v, want a decode error", err)
	}
	if err := c.Do(context.Background(), http.MethodPost, "/x", func() {}, nil); err == nil || srv.hits.Load() != 1 {
		t.Errorf("unencodable input: err = %v, hits %d; want an error before sending", err, srv.hits.Load())
	}
}

func TestTypedErrorRoundTrip(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want *errs.Error
	}{
		{
			name: "invalid with params",
			err:  &errs.Error{Kind: errs.Invalid, Message: "Invalid parameter(s): email", Params: map[string]string{"email": "Not an email."}},
			want: &errs.Error{Kind: errs.Invalid, Message: "Invalid parameter(s): email", Params: map[string]string{"email": "Not an email."}},
		},
		{
			name: "not found with resource",
			err:  errs.NotFoundResource("customer", ""),
			want: &errs.Error{Kind: errs.NotFound, Message: "Item not found.", Resource: "customer"},
		},
		{
			name: "unauthorized with reason",
			err:  &errs.Error{Kind: errs.Unauthorized, Message: "Bad token.", Reason: "bad_token"},
			want: &errs.Error{Kind: errs.Unauthorized, Message: "Bad token.", Reason: "bad_token"},
		},
		{
			name: "conflict",
			err:  &errs.Error{Kind: errs.Conflict, Message: "The email is already in use.", Params: map[string]string{"email": "Already in use."}},
			want: &errs.Error{Kind: errs.Conflict, Message: "The email is already in use.", Params: map[string]string{"email": "Already in use."}},
		},
		{
			name: "internal hides its cause",
			err:  errors.New("pq: relation customers does not exist"),
			want: &errs.Error{Kind: errs.Internal, Message: "An unexpected error occurred."},
		},
		{
			name: "forbidden default message",
			err:  errs.Forbidden,
			want: &errs.Error{Kind: errs.Forbidden, Message: "Sorry, you are not allowed to do that."},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newServer(t, func(w http.ResponseWriter, r *http.Request) { WriteError(w, tt.err) })
			c := newClient(&picker{addrs: []string{srv.addr()}}, Options{})
			err := c.Do(context.Background(), http.MethodGet, "/x", nil, nil)
			var got *errs.Error
			if !errors.As(err, &got) {
				t.Fatalf("err = %v (%T), want *errs.Error", err, err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %#v, want %#v", got, tt.want)
			}
		})
	}
}

func TestWriteErrorStatusAndRetryAfter(t *testing.T) {
	rec := httptest.NewRecorder()
	WriteError(rec, &errs.Error{Kind: errs.RateLimited, Message: "Slow down.", RetryAfter: 1500 * time.Millisecond})
	if rec.Code != 429 || rec.Header().Get("Retry-After") != "2" {
		t.Errorf("got %d Retry-After %q, want 429 and 2 (rounded up)", rec.Code, rec.Header().Get("Retry-After"))
	}
	if e := DecodeError(rec.Code, rec.Body.Bytes()).(*errs.Error); e.Kind != errs.RateLimited || e.Message != "Slow down." {
		t.Errorf("decoded %#v", e)
	}
}

func TestDecodeErrorWithoutWireBody(t *testing.T) {
	tests := []struct {
		status int
		body   string
		want   errs.Kind
	}{
		{502, "<html>Bad Gateway</html>", errs.Unavailable},
		{503, "", errs.Unavailable},
		{504, "upstream timed out", errs.Timeout},
		{404, "404 page not found", errs.NotFound},
		{401, "", errs.Unauthorized},
		{500, "panic", errs.Internal},
		{418, `{"error":{}}`, errs.Internal},
		{400, `{"message":"x"}`, errs.Internal},
	}
	for _, tt := range tests {
		e, ok := DecodeError(tt.status, []byte(tt.body)).(*errs.Error)
		if !ok || e.Kind != tt.want || strings.Contains(e.Message, tt.body) && tt.body != "" {
			t.Errorf("DecodeError(%d, %q) = %#v, want kind %s without the body", tt.status, tt.body, e, tt.want)
		}
	}
}

func TestDoRetriesIdempotentOnConnError(t *testing.T) {
	tests := []struct {
		method    string
		wantErr   bool
		wantHits  int64
		wantPicks int
	}{
		{http.MethodGet, false, 1, 2},
		{http.MethodPut, false, 1, 2},
		{http.MethodDelete, false, 1, 2},
		{http.MethodPost, true, 0, 1},
		{http.MethodPatch, true, 0, 1},
	}
	for _, tt := range tests {
		t.Run(tt.method, func(t *testing.T) {
			srv := newServer(t, func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, `{"ok":true}`) })
			dead := closedAddr(t)
			p := &picker{addrs: []string{dead, srv.addr()}}
			c := newClient(p, Options{})
			err := c.Do(context.Background(), tt.method, "/x", map[string]int{"a": 1}, nil)
			if tt.wantErr {
				if errs.KindOf(err) != errs.Unavailable {
					t.Errorf("err = %v, want Unavailable without a retry", err)
				}
			} else if err != nil {
				t.Errorf("err = %v, want the retry to succeed", err)
			}
			if got := srv.hits.Load(); got != tt.wantHits {
				t.Errorf("live instance hits = %d, want %d", got, tt.wantHits)
			}
			picks := p.picks()
			if len(picks) != tt.wantPicks || picks[0] != dead {
				t.Errorf("picks = %v, want %d starting with the dead instance", picks, tt.wantPicks)
			}
		})
	}
}

func TestDoRetriesOnlyOnce(t *testing.T) {
	p := &picker{addrs: []string{closedAddr(t), closedAddr(t), closedAddr(t)}}
	c := newClient(p, Options{})
	err := c.Do(context.Background(), http.MethodGet, "/x", nil, nil)
	if errs.KindOf(err) != errs.Unavailable || !strings.Contains(errs.From(err).Message, "billing") {
		t.Errorf("err = %v, want Unavailable naming the service", err)
	}
	if got := p.picks(); len(got) != 2 {
		t.Errorf("picks = %v, want 2 (one retry)", got)
	}
}

func TestDoNoRetryOnHTTPError(t *testing.T) {
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) { WriteError(w, errs.New(errs.Unavailable, "db down")) })
	other := newServer(t, func(w http.ResponseWriter, r *http.Request) {})
	p := &picker{addrs: []string{srv.addr(), other.addr()}}
	err := newClient(p, Options{}).Do(context.Background(), http.MethodGet, "/x", nil, nil)
	if errs.KindOf(err) != errs.Unavailable || other.hits.Load() != 0 {
		t.Errorf("err = %v, other hits %d; want the 503 as is, no retry", err, other.hits.Load())
	}
}

func TestDoNoInstance(t *testing.T) {
	p := &picker{}
	err := newClient(p, Options{}).Do(context.Background(), http.MethodGet, "/x", nil, nil)
	if errs.KindOf(err) != errs.Unavailable {
		t.Errorf("err = %v, want Unavailable", err)
	}
}

func TestDoTimeout(t *testing.T) {
	tests := []struct {
		name    string
		timeout time.Duration
		ctx     func() (context.Context, context.CancelFunc)
	}{
		{"client timeout", 100 * time.Millisecond, func() (context.Context, context.CancelFunc) {
			return context.WithCancel(context.Background())
		}},
		{"caller deadline", 10 * time.Second, func() (context.Context, context.CancelFunc) {
			return context.WithTimeout(context.Background(), 100*time.Millisecond)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
				select {
				case <-r.Context().Done():
				case <-time.After(5 * time.Second):
				}
			})
			c := newClient(&picker{addrs: []string{srv.addr()}}, Options{Timeout: tt.timeout})
			ctx, cancel := tt.ctx()
			defer cancel()
			start := time.Now()
			err := c.Do(ctx, http.MethodGet, "/slow", nil, nil)
			if d := time.Since(start); d > 2*time.Second {
				t.Errorf("took %s, want about 100ms", d)
			}
			if errs.KindOf(err) != errs.Timeout {
				t.Errorf("err = %v, want Timeout", err)
			}
		})
	}
}

func TestDoSignsPrincipal(t *testing.T) {
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {})
	c := newClient(&picker{addrs: []string{srv.addr()}}, Options{})
	caller := &principal.Principal{KeyID: 5, AccountID: 2, CustomerID: 9, Permissions: []string{"sites:index"}, RequestID: "rid-9"}
	tests := []struct {
		name    string
		ctx     context.Context
		want    *principal.Principal
		wantRID string
	}{
		{"caller's principal", principal.With(context.Background(), caller), caller, ""},
		{"system when none", context.Background(), &principal.Principal{System: true, Permissions: []string{"*"}}, ""},
		{"request id forwarded", telemetry.WithRequestID(context.Background(), "rid-ctx"), &principal.Principal{System: true, Permissions: []string{"*"}}, "rid-ctx"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := c.Do(tt.ctx, http.MethodGet, "/internal/sites?x=1", nil, nil); err != nil {
				t.Fatalf("Do: %v (the server refuses a bad signature)", err)
			}
			if got := srv.last.Load(); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("server saw %+v, want %+v", got, tt.want)
			}
			if got := *srv.rid.Load(); got != tt.wantRID {
				t.Errorf("X-Request-Id = %q, want %q", got, tt.wantRID)
			}
		})
	}

	// A client with another secret is refused, and the refusal is typed.
	bad := New("billing", &picker{addrs: []string{srv.addr()}}, principal.NewSigner("not-the-right-secret!"), Options{})
	if err := bad.Do(context.Background(), http.MethodGet, "/x", nil, nil); errs.KindOf(err) != errs.Unauthorized {
		t.Errorf("wrong secret: err = %v, want Unauthorized", err)
	}
}

func TestDoPropagatesTrace(t *testing.T) {
	exp := tracetest.NewInMemoryExporter()
	tr, err := telemetry.NewTracing(context.Background(), "caller", telemetry.TracingOptions{Exporter: exp, Synchronous: true})
	if err != nil {
		t.Fatal(err)
	}
	defer tr.Shutdown(context.Background())
	var traceparent string
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) { traceparent = r.Header.Get("traceparent") })
	c := newClient(&picker{addrs: []string{srv.addr()}}, Options{Tracing: tr})
	ctx, span := tr.Tracer.Start(context.Background(), "op")
	if err := c.Do(ctx, http.MethodGet, "/x", nil, nil); err != nil {
		t.Fatal(err)
	}
	span.End()
	if !strings.Contains(traceparent, span.SpanContext().TraceID().String()) {
		t.Errorf("traceparent %q does not carry trace %s", traceparent, span.SpanContext().TraceID())
	}
}

func TestCircuitBreakerOpens(t *testing.T) {
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {})
	p := &picker{addrs: []string{closedAddr(t)}}
	c := newClient(p, Options{})
	ctx := context.Background()
	for i := 0; i < 10; i++ {
		if err := c.Do(ctx, http.MethodPost, "/x", nil, nil); errs.KindOf(err) != errs.Unavailable {
			t.Fatalf("failure %d: err = %v, want Unavailable", i, err)
		}
	}
	// The service is back, but the breaker is open: no request reaches it.
	p.set(srv.addr())
	err := c.Do(ctx, http.MethodGet, "/x", nil, nil)
	if errs.KindOf(err) != errs.Unavailable || !strings.Contains(err.Error(), "open") {
		t.Errorf("err = %v, want Unavailable from the open breaker", err)
	}
	if got := srv.hits.Load(); got != 0 {
		t.Errorf("server hit %d times through an open breaker", got)
	}
}

func TestCircuitBreakerIgnoresHTTPErrors(t *testing.T) {
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) { WriteError(w, errs.New(errs.Invalid, "no")) })
	c := newClient(&picker{addrs: []string{srv.addr()}}, Options{})
	for i := 0; i < 12; i++ {
		if err := c.Do(context.Background(), http.MethodGet, "/x", nil, nil); errs.KindOf(err) != errs.Invalid {
			t.Fatalf("call %d: err = %v, want the upstream's Invalid (answers do not trip the breaker)", i, err)
		}
	}
	if got := srv.hits.Load(); got != 12 {
		t.Errorf("hits = %d, want 12", got)
	}
}
