package dialect

import (
	"errors"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/hostplane/hostplane/libs/errs"
)

func TestOf(t *testing.T) {
	tests := []struct {
		path string
		want Name
	}{
		{"/wp-json/wu/v2", WU},
		{"/wp-json/wu/v2/customers/3", WU},
		{"/wp-json/wu/v20/x", ""},
		{"/wp-json/wu/v1/x", ""},
		{"/api/application", CX},
		{"/api/application/products", CX},
		{"/api/applications", ""},
		{"/v1/sites.json", SB},
		{"/v1/", SB},
		{"/v1", ""},
		{"/v2/sites.json", ""},
		{"/healthz", ""},
		{"/collect", SB},
		{"/collect/x", ""},
		{"/collector", ""},
		{"", ""},
	}
	for _, tt := range tests {
		if got := Of(tt.path); got != tt.want {
			t.Errorf("Of(%q) = %q, want %q", tt.path, got, tt.want)
		}
	}
}

func TestWriteError(t *testing.T) {
	tests := []struct {
		name       string
		path       string
		err        error
		wantStatus int
		wantBody   string
		wantRetry  string
	}{
		{"wu", "/wp-json/wu/v2/nope", errs.NoRoute, 404,
			`{"code":"rest_no_route","message":"No route was found matching the URL and request method.","data":{"status":404}}`, ""},
		{"cx", "/api/application/customers", errs.Unauthorized, 401, `{"message":"Unauthenticated."}`, ""},
		{"sb", "/v1/sites.json", errs.NotFoundResource("site", ""), 404,
			`{"meta":{"success":false,"status_code":404,"rate_remaining":0},"error":{"code":4401,"message":"Item not found.","fields":{}},"data":null}`, ""},
		{"fallback", "/healthz", errs.NotFound, 404, `{"error":{"code":"not_found","message":"Item not found."}}`, ""},
		{"fallback rate limited", "/", &errs.Error{Kind: errs.RateLimited, RetryAfter: 2 * time.Second}, 429,
			`{"error":{"code":"rate_limited","message":"Too many requests."}}`, "2"},
		{"fallback internal", "/x", errors.New("password=hunter2"), 500,
			`{"error":{"code":"internal","message":"An unexpected error occurred."}}`, ""},
		{"fallback method", "/x", errs.MethodNotAllowed, 405,
			`{"error":{"code":"method_not_allowed","message":"No route was found matching the URL and request method."}}`, ""},
		{"fallback invalid", "/x", errs.InvalidField("a", "bad"), 400,
			`{"error":{"code":"invalid","message":"Invalid parameter(s): a"}}`, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := httptest.NewRecorder()
			WriteError(rec, httptest.NewRequest("GET", tt.path, nil), tt.err)
			if rec.Code != tt.wantStatus || rec.Body.String() != tt.wantBody {
				t.Errorf("got %d %s\nwant %d %s", rec.Code, rec.Body, tt.wantStatus, tt.wantBody)
			}
			if got := rec.Header().Get("Retry-After"); got != tt.wantRetry {
				t.Errorf("Retry-After %q, want %q", got, tt.wantRetry)
			}
			if got := rec.Header().Get("Content-Type"); got != "application/json; charset=UTF-8" {
				t.Errorf("Content-Type %q", got)
			}
		})
	}
}

func TestWriteErrorNilRequest(t *testing.T) {
	rec := httptest.NewRecorder()
	WriteError(rec, nil, errs.Timeout)
	if rec.Code != 504 {
		t.Errorf("status %d", rec.Code)
	}
}
