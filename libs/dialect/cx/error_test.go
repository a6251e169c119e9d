package cx

import (
	"encoding/xml"
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
		wantBody   string
		wantRetry  string
	}{
		{"unauthorized", errs.New(errs.Unauthorized, "bad key"), 401, `{"message":"Unauthenticated."}`, ""},
		{"forbidden", errs.New(errs.Forbidden, "This action is unauthorized."), 403, `{"message":"This action is unauthorized."}`, ""},
		{"not found", errs.NotFoundResource("product", ""), 404, `{"message":"Item not found."}`, ""},
		{"no route", errs.NoRoute, 404, `{"message":"The route api/application/nope could not be found."}`, ""},
		{"method", errs.MethodNotAllowed, 404, `{"message":"The PATCH method is not supported for route api/application/nope."}`, ""},
		{"invalid", errs.InvalidField("email", "The email must be a valid email address."), 422,
			`{"message":"The given data was invalid.","errors":{"email":["The email must be a valid email address."]}}`, ""},
		{"missing", errs.MissingFields("name"), 422,
			`{"message":"The given data was invalid.","errors":{"name":["This field is required."]}}`, ""},
		{"invalid without fields", errs.New(errs.Invalid, "Nope."), 422,
			`{"message":"The given data was invalid.","errors":{"request":["Nope."]}}`, ""},
		{"bad json", &errs.Error{Kind: errs.BadJSON, Message: "Invalid JSON body passed."}, 422,
			`{"message":"The given data was invalid.","errors":{"body":["Invalid JSON body."]}}`, ""},
		{"rate limited", &errs.Error{Kind: errs.RateLimited, RetryAfter: 30 * time.Second}, 429, `{"message":"Too Many Attempts."}`, "30"},
		{"conflict", errs.New(errs.Conflict, "The email has already been taken."), 409, `{"message":"The email has already been taken."}`, ""},
		{"too large", errs.TooLarge, 413, `{"message":"Request body too large."}`, ""},
		{"unavailable", errs.Unavailable, 503, `{"message":"Service unavailable."}`, ""},
		{"timeout", errs.Timeout, 504, `{"message":"Upstream timed out."}`, ""},
		{"internal", errors.New("dial tcp 10.0.0.1:5432: refused"), 500, `{"message":"Server Error"}`, ""},
		{"nil", nil, 500, `{"message":"Server Error"}`, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest("PATCH", "/api/application/nope", nil)
			rec := httptest.NewRecorder()
			WriteError(rec, r, tt.err)
			if rec.Code != tt.wantStatus || rec.Body.String() != tt.wantBody {
				t.Errorf("got %d %s, want %d %s", rec.Code, rec.Body, tt.wantStatus, tt.wantBody)
			}
			if got := rec.Header().Get("Retry-After"); got != tt.wantRetry {
				t.Errorf("Retry-After %q, want %q", got, tt.wantRetry)
			}
		})
	}
}

func TestWriteErrorXML(t *testing.T) {
	r := httptest.NewRequest("POST", "/api/application/customers", nil)
	r.Header.Set("Accept", "application/xml")
	rec := httptest.NewRecorder()
	WriteError(rec, r, errs.InvalidField("email", "bad"))
	want := xml.Header + `<response><message>The given data was invalid.</message><errors><email>bad</email></errors></response>`
	if rec.Code != 422 || rec.Body.String() != want {
		t.Errorf("got %d %s", rec.Code, rec.Body)
	}
}

func TestWriteErrorNilRequest(t *testing.T) {
	rec := httptest.NewRecorder()
	WriteError(rec, nil, errs.NoRoute)
	if rec.Code != 404 || rec.Body.String() != `{"message":"Not Found."}` {
		t.Errorf("got %d %s", rec.Code, rec.Body)
	}
}
