package httpkit

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hostplane/hostplane/libs/principal"
	"github.com/hostplane/hostplane/libs/telemetry"
)

func TestChainOrder(t *testing.T) {
	var order []string
	mw := func(name string) Middleware {
		return func(next http.Handler) http.Handler {
			return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				order = append(order, name)
				next.ServeHTTP(w, r)
			})
		}
	}
	h := Chain(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { order = append(order, "handler") }), mw("a"), mw("b"), mw("c"))
	h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/", nil))
	if want := []string{"a", "b", "c", "handler"}; !reflect.DeepEqual(order, want) {
		t.Errorf("order = %v, want %v", order, want)
	}
}

func TestRecover(t *testing.T) {
	const secret = "pq: password authentication failed for user hp_secret_user"
	tests := []struct {
		path  string
		check func(t *testing.T, b map[string]any)
	}{
		{"/wp-json/wu/v2/customers", func(t *testing.T, b map[string]any) {
			if b["code"] != "wu_rest_internal_error" || b["message"] != "An unexpected error occurred." {
				t.Errorf("wu body = %v", b)
			}
		}},
		{"/api/application/customers", func(t *testing.T, b map[string]any) {
			if b["message"] != "Server Error" {
				t.Errorf("cx body = %v", b)
			}
		}},
		{"/v1/sites.json", func(t *testing.T, b map[string]any) {
			if field(b, "error", "code") != float64(5007) || field(b, "meta", "success") != false {
				t.Errorf("sb body = %v", b)
			}
		}},
		{"/internal", func(t *testing.T, b map[string]any) {
			if field(b, "error", "code") != "internal" {
				t.Errorf("fallback body = %v", b)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			var logs bytes.Buffer
			log := slog.New(slog.NewJSONHandler(&logs, nil))
			h := Recover(log)(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {
				panic(errors.New(secret))
			}))
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, httptest.NewRequest("GET", tt.path, nil))
			if rec.Code != http.StatusInternalServerError {
				t.Errorf("status = %d, want 500", rec.Code)
			}
			if strings.Contains(rec.Body.String(), "hp_secret_user") || strings.Contains(rec.Body.String(), "password") {
				t.Errorf("body leaks the panic: %s", rec.Body.String())
			}
			var b map[string]any
			if err := json.Unmarshal(rec.Body.Bytes(), &b); err != nil {
				t.Fatalf("body %q: %v", rec.Body.String(), err)
			}
			tt.check(t, b)
			if !strings.Contains(logs.String(), "hp_secret_user") || !strings.Contains(logs.String(), "stack") {
				t.Errorf("the panic and its stack were not logged: %s", logs.String())
			}
		})
	}
}

func TestRecoverRepanicsAbortHandler(t *testing.T) {
	h := Recover(discard)(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {
		panic(http.ErrAbortHandler)
	}))
	defer func() {
		if v := recover(); v != http.ErrAbortHandler {
			t.Errorf("recovered %v, want http.ErrAbortHandler to pass through", v)
		}
	}()
	h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/", nil))
}

func TestRequestID(t *testing.T) {
	long := strings.Repeat("x", 129)
	tests := []struct {
		name, in string
		keep     bool
	}{
		{"echoed", "req-123", true},
		{"max length echoed", strings.Repeat("y", 128), true},
		{"created when missing", "", false},
		{"replaced when too long", long, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var inCtx string
			var holder bool
			h := RequestID()(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				inCtx = telemetry.RequestID(r.Context())
				SetRoute(r.Context(), "/p")
				holder = RouteOf(r) == "/p"
			}))
			req := httptest.NewRequest("GET", "/", nil)
			if tt.in != "" {
				req.Header.Set(RequestIDHeader, tt.in)
			}
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			got := rec.Header().Get(RequestIDHeader)
			if got != inCtx {
				t.Errorf("response id %q != context id %q", got, inCtx)
			}
			if tt.keep && got != tt.in {
				t.Errorf("id = %q, want the incoming %q", got, tt.in)
			}
			if !tt.keep && (got == tt.in || len(got) != 24) {
				t.Errorf("id = %q, want a fresh 24-hex-digit id", got)
			}
			if !holder {
				t.Error("RequestID did not prepare the route holder")
			}
		})
	}
	if a, b := NewRequestID(), NewRequestID(); a == b {
		t.Errorf("NewRequestID repeated %q", a)
	}
}

func TestLimitBody(t *testing.T) {
	const max = 10
	tests := []struct {
		name     string
		body     string
		declared bool // Content-Length set (else chunked, -1)
		wantCode int
		wantRead string
		wantErr  bool // the handler's read fails with *http.MaxBytesError
		reached  bool
	}{
		{"declared within", "0123456789", true, 200, "0123456789", false, true},
		{"declared over", "0123456789A", true, 413, "", false, false},
		{"undeclared within", "01234", false, 200, "01234", false, true},
		{"undeclared over", "0123456789ABCDEF", false, 200, "", true, true},
		{"no body", "", true, 200, "", false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			reached := false
			var read string
			var readErr error
			h := LimitBody(max)(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				reached = true
				b, err := io.ReadAll(r.Body)
				read, readErr = string(b), err
			}))
			var body io.Reader = strings.NewReader(tt.body)
			if !tt.declared {
				body = io.MultiReader(body) // hides the length
			}
			req := httptest.NewRequest("POST", "/wp-json/wu/v2/customers", body)
			if !tt.declared {
				req.ContentLength = -1
			}
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			if rec.Code != tt.wantCode || reached != tt.reached {
				t.Fatalf("status %d reached %v, want %d %v", rec.Code, reached, tt.wantCode, tt.reached)
			}
			if tt.wantCode == 413 {
				var b map[string]any
				_ = json.Unmarshal(rec.Body.Bytes(), &b)
				if b["code"] != "rest_request_too_large" || !strings.Contains(b["message"].(string), "10 bytes") {
					t.Errorf("413 body = %s", rec.Body.String())
				}
				return
			}
			var mbe *http.MaxBytesError
			if tt.wantErr {
				if !errors.As(readErr, &mbe) || mbe.Limit != max {
					t.Errorf("read error = %v, want *http.MaxBytesError with limit %d", readErr, max)
				}
				return
			}
			if readErr != nil || read != tt.wantRead {
				t.Errorf("read %q, %v; want %q", read, readErr, tt.wantRead)
			}
		})
	}
}

const testSecret = "0123456789abcdef-test-secret"

// signed returns a request carrying p signed by s at time ts.
func signed(s *principal.Signer, method, path string, p *principal.Principal, ts time.Time) *http.Request {
	r := httptest.NewRequest(method, path, nil)
	enc, err := principal.Encode(p)
	if err != nil {
		panic(err)
	}
	unix := ts.Unix()
	r.Header.Set(principal.HeaderPrincipal, enc)
	r.Header.Set(principal.HeaderTimestamp, strconv.FormatInt(unix, 10))
	r.Header.Set(principal.HeaderSignature, s.Sign(unix, method, r.URL.Path, enc))
	return r
}

func TestRequirePrincipal(t *testing.T) {
	s := principal.NewSigner(testSecret)
	other := principal.NewSigner("another-secret-of-16+chars")
	p := &principal.Principal{KeyID: 7, AccountID: 3, CustomerID: 12, Permissions: []string{"customers:index"}, RequestID: "rid-from-gateway"}
	now := time.Now()

	tests := []struct {
		name    string
		req     func() *http.Request
		wantOK  bool
		checkFn func(t *testing.T, code int, b map[string]any)
	}{
		{name: "valid", wantOK: true, req: func() *http.Request {
			return signed(s, "GET", "/wp-json/wu/v2/customers", p, now)
		}},
		{name: "valid at the edge of max age", wantOK: true, req: func() *http.Request {
			return signed(s, "GET", "/wp-json/wu/v2/customers", p, now.Add(-principal.MaxAge+5*time.Second))
		}},
		{name: "missing wu", req: func() *http.Request {
			return httptest.NewRequest("GET", "/wp-json/wu/v2/customers", nil)
		}, checkFn: func(t *testing.T, code int, b map[string]any) {
			if code != 401 || b["code"] != "rest_forbidden" || field(b, "data", "status") != float64(401) {
				t.Errorf("got %d %v, want 401 rest_forbidden", code, b)
			}
		}},
		{name: "forged cx", req: func() *http.Request {
			return signed(other, "GET", "/api/application/customers", p, now)
		}, checkFn: func(t *testing.T, code int, b map[string]any) {
			if code != 401 || b["message"] != "Unauthenticated." || len(b) != 1 {
				t.Errorf("got %d %v, want 401 {message: Unauthenticated.}", code, b)
			}
		}},
		{name: "expired sb", req: func() *http.Request {
			return signed(s, "GET", "/v1/sites.json", p, now.Add(-principal.MaxAge-5*time.Second))
		}, checkFn: func(t *testing.T, code int, b map[string]any) {
			if code != 401 || field(b, "error", "code") != float64(4307) || field(b, "meta", "success") != false {
				t.Errorf("got %d %v, want 401 with sb code 4307", code, b)
			}
		}},
		{name: "signed for another path", req: func() *http.Request {
			r := signed(s, "GET", "/internal/a", p, now)
			r.URL.Path = "/internal/b"
			return r
		}, checkFn: func(t *testing.T, code int, b map[string]any) {
			if code != 401 || field(b, "error", "code") != "unauthorized" {
				t.Errorf("got %d %v, want 401 unauthorized", code, b)
			}
		}},
		{name: "signed for another method", req: func() *http.Request {
			r := signed(s, "GET", "/internal/a", p, now)
			r.Method = "DELETE"
			return r
		}, checkFn: func(t *testing.T, code int, b map[string]any) {
			if code != 401 {
				t.Errorf("got %d %v, want 401", code, b)
			}
		}},
		{name: "tampered principal", req: func() *http.Request {
			r := signed(s, "GET", "/internal/a", p, now)
			enc, _ := principal.Encode(&principal.Principal{KeyID: 7, Permissions: []string{"*"}})
			r.Header.Set(principal.HeaderPrincipal, enc)
			return r
		}, checkFn: func(t *testing.T, code int, b map[string]any) {
			if code != 401 {
				t.Errorf("got %d %v, want 401", code, b)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got *principal.Principal
			var rid string
			h := RequirePrincipal(s, discard)(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				got = principal.From(r.Context())
				rid = telemetry.RequestID(r.Context())
			}))
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, tt.req())
			if tt.wantOK {
				if rec.Code != 200 || !reflect.DeepEqual(got, p) {
					t.Fatalf("got %d principal %+v, want 200 with %+v", rec.Code, got, p)
				}
				if rid != p.RequestID {
					t.Errorf("request id in context = %q, want the principal's %q", rid, p.RequestID)
				}
				return
			}
			if got != nil {
				t.Fatalf("handler reached with principal %+v", got)
			}
			var b map[string]any
			if err := json.Unmarshal(rec.Body.Bytes(), &b); err != nil {
				t.Fatalf("body %q: %v", rec.Body.String(), err)
			}
			tt.checkFn(t, rec.Code, b)
		})
	}
}

func TestRequirePrincipalKeepsHeaderRequestID(t *testing.T) {
	s := principal.NewSigner(testSecret)
	p := &principal.Principal{KeyID: 1, RequestID: "from-principal"}
	var rid string
	h := Chain(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rid = telemetry.RequestID(r.Context())
	}), RequestID(), RequirePrincipal(s, discard))
	r := signed(s, "GET", "/internal/x", p, time.Now())
	r.Header.Set(RequestIDHeader, "from-header")
	h.ServeHTTP(httptest.NewRecorder(), r)
	if rid != "from-header" {
		t.Errorf("request id = %q, want the header's", rid)
	}
}
