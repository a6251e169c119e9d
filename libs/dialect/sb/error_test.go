package sb

import (
	"errors"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/hostplane/hostplane/libs/errs"
)

func TestWriteError(t *testing.T) {
	tests := []struct {
		name       string
		err        error
		wantStatus int
		wantError  string
		wantRetry  string
	}{
		{"missing", errs.MissingFields("code_site"), 400,
			`{"code":4001,"message":"Missing parameter(s): code_site","fields":{"code_site":"This field is required."}}`, ""},
		{"invalid", errs.InvalidField("limit", "limit must be between 1 (inclusive) and 20 (inclusive)."), 400,
			`{"code":4002,"message":"Invalid parameter(s): limit","fields":{"limit":"limit must be between 1 (inclusive) and 20 (inclusive)."}}`, ""},
		{"bad json", errs.BadJSON, 400, `{"code":4002,"message":"Invalid JSON body passed.","fields":{}}`, ""},
		{"conflict", errs.New(errs.Conflict, "Site code already used."), 409, `{"code":4002,"message":"Site code already used.","fields":{}}`, ""},
		{"too large", errs.TooLarge, 413, `{"code":4002,"message":"Request body too large.","fields":{}}`, ""},
		{"rate limited", &errs.Error{Kind: errs.RateLimited, Message: "Too many requests.", RetryAfter: 100 * time.Millisecond}, 429,
			`{"code":4300,"message":"Too many requests.","fields":{}}`, "1"},
		{"unauthorized", errs.New(errs.Unauthorized, "Authentication needed."), 401, `{"code":4307,"message":"Authentication needed.","fields":{}}`, ""},
		{"bad token", &errs.Error{Kind: errs.Unauthorized, Reason: "bad_token", Message: "Bad token."}, 401, `{"code":4311,"message":"Bad token.","fields":{}}`, ""},
		{"forbidden", errs.Forbidden, 403, `{"code":4308,"message":"Sorry, you are not allowed to do that.","fields":{}}`, ""},
		{"scope missing", &errs.Error{Kind: errs.Forbidden, Reason: "scope_missing", Message: "Scope missing."}, 403, `{"code":4312,"message":"Scope missing.","fields":{}}`, ""},
		{"not found", errs.NotFoundResource("site", ""), 404, `{"code":4401,"message":"Item not found.","fields":{}}`, ""},
		{"no route", errs.NoRoute, 404, `{"code":4401,"message":"No route was found matching the URL and request method.","fields":{}}`, ""},
		{"method", errs.MethodNotAllowed, 404, `{"code":4401,"message":"No route was found matching the URL and request method.","fields":{}}`, ""},
		{"unavailable", errs.Unavailable, 503, `{"code":5300,"message":"Service unavailable.","fields":{}}`, ""},
		{"timeout", errs.Timeout, 504, `{"code":5300,"message":"Upstream timed out.","fields":{}}`, ""},
		{"internal", errors.New("secret"), 500, `{"code":5007,"message":"An unexpected error occurred.","fields":{}}`, ""},
		{"internal params hidden", &errs.Error{Kind: errs.Internal, Params: map[string]string{"dsn": "x"}}, 500, `{"code":5007,"message":"An unexpected error occurred.","fields":{}}`, ""},
		{"nil", nil, 500, `{"code":5007,"message":"An unexpected error occurred.","fields":{}}`, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := httptest.NewRecorder()
			rec.Header().Set("X-RateLimit-Remaining", "3")
			WriteError(rec, httptest.NewRequest("GET", "/v1/sites.json", nil), tt.err)
			want := `{"meta":{"success":false,"status_code":` + itoa(tt.wantStatus) + `,"rate_remaining":3},"error":` + tt.wantError + `,"data":null}`
			if rec.Code != tt.wantStatus || rec.Body.String() != want {
				t.Errorf("got %d %s\nwant %d %s", rec.Code, rec.Body, tt.wantStatus, want)
			}
			if got := rec.Header().Get("Retry-After"); got != tt.wantRetry {
				t.Errorf("Retry-After %q, want %q", got, tt.wantRetry)
			}
		})
	}
}

func itoa(n int) string {
	b := []byte{}
	for n > 0 {
		b = append([]byte{byte('0' + n%10)}, b...)
		n /= 10
	}
	return string(b)
}
