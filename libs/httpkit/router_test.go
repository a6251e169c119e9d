package httpkit

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// echoParams answers "<tag> name=value ..." for the given parameter names.
func echoParams(tag string, names ...string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		parts := []string{tag}
		for _, n := range names {
			parts = append(parts, n+"="+r.PathValue(n))
		}
		fmt.Fprint(w, strings.Join(parts, " "))
	}
}

func testRouter() *Router {
	rt := NewRouter()
	rt.Handle(http.MethodGet, "/wp-json/wu/v2/customers/{id}", echoParams("wu-get", "id"))
	rt.HandleFunc(http.MethodPut, "/wp-json/wu/v2/customers/{id}", echoParams("wu-put", "id"))
	rt.HandleFunc(http.MethodGet, "/wp-json/wu/v2/customers/me", echoParams("wu-me"))
	rt.HandleFunc(http.MethodGet, "/api/application/products/{id}", echoParams("cx-get", "id"))
	rt.HandleFunc(http.MethodGet, "/v1/sites/{code}.json", echoParams("sb-site", "code"))
	rt.HandleFunc(http.MethodGet, "/v1/sites/{code}/jobs/{job}.json", echoParams("sb-job", "code", "job"))
	rt.HandleFunc(http.MethodPost, "/internal/files/{path...}", echoParams("files", "path"))
	return rt
}

// withRoute records the pattern the router matched, as the service stack
// does, and returns it in X-Route.
func withRoute(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r = r.WithContext(WithRouteHolder(r.Context()))
		h.ServeHTTP(&routeHeaderWriter{ResponseWriter: w, r: r}, r)
	})
}

type routeHeaderWriter struct {
	http.ResponseWriter
	r *http.Request
}

func (w *routeHeaderWriter) WriteHeader(code int) {
	w.Header().Set("X-Route", RouteOf(w.r))
	w.ResponseWriter.WriteHeader(code)
}

func (w *routeHeaderWriter) Write(b []byte) (int, error) {
	if w.Header().Get("X-Route") == "" {
		w.Header().Set("X-Route", RouteOf(w.r))
	}
	return w.ResponseWriter.Write(b)
}

func TestRouterMatches(t *testing.T) {
	h := withRoute(testRouter())
	tests := []struct {
		method, path string
		wantBody     string
		wantRoute    string
	}{
		{"GET", "/wp-json/wu/v2/customers/42", "wu-get id=42", "/wp-json/wu/v2/customers/{id}"},
		{"GET", "/wp-json/wu/v2/customers/42/", "wu-get id=42", "/wp-json/wu/v2/customers/{id}"},
		{"PUT", "/wp-json/wu/v2/customers/7", "wu-put id=7", "/wp-json/wu/v2/customers/{id}"},
		{"GET", "/wp-json/wu/v2/customers/me", "wu-me", "/wp-json/wu/v2/customers/me"},
		{"GET", "/api/application/products/abc", "cx-get id=abc", "/api/application/products/{id}"},
		{"GET", "/v1/sites/my-site.json", "sb-site code=my-site", "/v1/sites/{code}.json"},
		{"GET", "/v1/sites/s1/jobs/99.json", "sb-job code=s1 job=99", "/v1/sites/{code}/jobs/{job}.json"},
		{"POST", "/internal/files/a/b/c.txt", "files path=a/b/c.txt", "/internal/files/{path...}"},
	}
	for _, tt := range tests {
		t.Run(tt.method+" "+tt.path, func(t *testing.T) {
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, httptest.NewRequest(tt.method, tt.path, nil))
			if rec.Code != 200 || rec.Body.String() != tt.wantBody {
				t.Errorf("got %d %q, want 200 %q", rec.Code, rec.Body.String(), tt.wantBody)
			}
			if got := rec.Header().Get("X-Route"); got != tt.wantRoute {
				t.Errorf("RouteOf = %q, want %q", got, tt.wantRoute)
			}
		})
	}
}

func TestRouterNotFoundAndMethodInDialect(t *testing.T) {
	h := withRoute(testRouter())
	tests := []struct {
		name, method, path string
		wantCode           int
		wantAllow          string
		wantRoute          string
		check              func(t *testing.T, body map[string]any)
	}{
		{
			name: "wu unknown path", method: "GET", path: "/wp-json/wu/v2/nope",
			wantCode: 404, wantRoute: "unmatched",
			check: func(t *testing.T, b map[string]any) {
				if b["code"] != "rest_no_route" || field(b, "data", "status") != float64(404) {
					t.Errorf("body = %v, want rest_no_route with data.status 404", b)
				}
			},
		},
		{
			name: "wu wrong method", method: "DELETE", path: "/wp-json/wu/v2/customers/3",
			wantCode: 404, wantAllow: "GET, PUT", wantRoute: "/wp-json/wu/v2/customers/{id}",
			check: func(t *testing.T, b map[string]any) {
				if b["code"] != "rest_no_route" {
					t.Errorf("body = %v, want rest_no_route", b)
				}
			},
		},
		{
			name: "cx unknown path", method: "GET", path: "/api/application/nope",
			wantCode: 404, wantRoute: "unmatched",
			check: func(t *testing.T, b map[string]any) {
				if b["message"] != "The route api/application/nope could not be found." {
					t.Errorf("body = %v, want Laravel's route message", b)
				}
			},
		},
		{
			name: "cx wrong method", method: "PATCH", path: "/api/application/products/1",
			wantCode: 404, wantAllow: "GET", wantRoute: "/api/application/products/{id}",
			check: func(t *testing.T, b map[string]any) {
				if b["message"] != "The PATCH method is not supported for route api/application/products/1." {
					t.Errorf("body = %v, want Laravel's method message", b)
				}
			},
		},
		{
			name: "sb unknown path", method: "GET", path: "/v1/nope.json",
			wantCode: 404, wantRoute: "unmatched",
			check: func(t *testing.T, b map[string]any) {
				if field(b, "meta", "success") != false || field(b, "error", "code") != float64(4401) {
					t.Errorf("body = %v, want meta.success false and error.code 4401", b)
				}
			},
		},
		{
			name: "sb wrong method", method: "DELETE", path: "/v1/sites/x.json",
			wantCode: 404, wantAllow: "GET", wantRoute: "/v1/sites/{code}.json",
			check: func(t *testing.T, b map[string]any) {
				if field(b, "error", "code") != float64(4401) {
					t.Errorf("body = %v, want error.code 4401", b)
				}
			},
		},
		{
			name: "outside dialects unknown", method: "GET", path: "/nope",
			wantCode: 404, wantRoute: "unmatched",
			check: func(t *testing.T, b map[string]any) {
				if field(b, "error", "code") != "no_route" {
					t.Errorf("body = %v, want error.code no_route", b)
				}
			},
		},
		{
			name: "outside dialects wrong method", method: "GET", path: "/internal/files/a",
			wantCode: 405, wantAllow: "POST", wantRoute: "/internal/files/{path...}",
			check: func(t *testing.T, b map[string]any) {
				if field(b, "error", "code") != "method_not_allowed" {
					t.Errorf("body = %v, want error.code method_not_allowed", b)
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, httptest.NewRequest(tt.method, tt.path, nil))
			if rec.Code != tt.wantCode {
				t.Errorf("status = %d, want %d (body %s)", rec.Code, tt.wantCode, rec.Body.String())
			}
			if got := rec.Header().Get("Allow"); got != tt.wantAllow {
				t.Errorf("Allow = %q, want %q", got, tt.wantAllow)
			}
			if got := rec.Header().Get("X-Route"); got != tt.wantRoute {
				t.Errorf("RouteOf = %q, want %q", got, tt.wantRoute)
			}
			var body map[string]any
			if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil {
				t.Fatalf("body %q: %v", rec.Body.String(), err)
			}
			tt.check(t, body)
		})
	}
}

// field digs into nested JSON objects.
func field(m map[string]any, path ...string) any {
	var v any = m
	for _, p := range path {
		o, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = o[p]
	}
	return v
}

func TestRouteOfWithoutHolder(t *testing.T) {
	r := httptest.NewRequest(http.MethodGet, "/x", nil)
	SetRoute(r.Context(), "/x") // no holder: ignored, no panic
	if got := RouteOf(r); got != "unmatched" {
		t.Errorf("RouteOf without holder = %q, want unmatched", got)
	}
	ctx := WithRouteHolder(context.Background())
	SetRoute(ctx, "/y/{id}")
	if got := RouteOf(r.WithContext(ctx)); got != "/y/{id}" {
		t.Errorf("RouteOf = %q, want /y/{id}", got)
	}
}

func TestRouterPatternsAndDuplicate(t *testing.T) {
	rt := testRouter()
	var got []string
	for _, p := range rt.Patterns() {
		got = append(got, p.Allowed[0]+" "+p.Pattern)
	}
	want := "GET /api/application/products/{id}|POST /internal/files/{path...}|GET /v1/sites/{code}.json|" +
		"GET /v1/sites/{code}/jobs/{job}.json|GET /wp-json/wu/v2/customers/me|GET /wp-json/wu/v2/customers/{id}|" +
		"PUT /wp-json/wu/v2/customers/{id}"
	if strings.Join(got, "|") != want {
		t.Errorf("Patterns = %v, want %s", got, want)
	}
	defer func() {
		if recover() == nil {
			t.Error("registering a route twice did not panic")
		}
	}()
	rt.HandleFunc(http.MethodGet, "/v1/sites/{code}.json", echoParams("again"))
}
