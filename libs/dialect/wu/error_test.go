package wu

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http/httptest"
	"os"
	"reflect"
	"strings"
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
		{"invalid", errs.InvalidField("email", "Invalid email format"), 400,
			`{"code":"wu_rest_invalid_parameter","message":"Invalid parameter(s): email","data":{"status":400,"params":{"email":"Invalid email format"}}}`, ""},
		{"missing", errs.MissingFields("b", "a"), 400,
			`{"code":"wu_rest_invalid_parameter","message":"Missing parameter(s): a, b","data":{"status":400,"params":{"a":"This field is required.","b":"This field is required."}}}`, ""},
		{"bad json", &errs.Error{Kind: errs.BadJSON, Message: "whatever"}, 400,
			`{"code":"rest_invalid_json","message":"Invalid JSON body passed.","data":{"status":400}}`, ""},
		{"not found resource", errs.NotFoundResource("customer", ""), 404,
			`{"code":"wu_rest_customer_invalid_id","message":"Item not found.","data":{"status":404}}`, ""},
		{"not found odd resource", errs.NotFoundResource("Payment Method", ""), 404,
			`{"code":"wu_rest_payment_method_invalid_id","message":"Item not found.","data":{"status":404}}`, ""},
		{"not found bare", errs.NotFound, 404,
			`{"code":"rest_no_route","message":"No route was found matching the URL and request method.","data":{"status":404}}`, ""},
		{"no route", errs.NoRoute, 404,
			`{"code":"rest_no_route","message":"No route was found matching the URL and request method.","data":{"status":404}}`, ""},
		{"method not allowed", errs.MethodNotAllowed, 404,
			`{"code":"rest_no_route","message":"No route was found matching the URL and request method.","data":{"status":404}}`, ""},
		{"unauthorized", errs.Unauthorized, 401,
			`{"code":"rest_forbidden","message":"Unauthenticated.","data":{"status":401}}`, ""},
		{"forbidden", errs.New(errs.Forbidden, "Sorry, you are not allowed to do that."), 403,
			`{"code":"rest_forbidden","message":"Sorry, you are not allowed to do that.","data":{"status":403}}`, ""},
		{"rate limited", &errs.Error{Kind: errs.RateLimited, Message: "Too many requests.", RetryAfter: 1200 * time.Millisecond}, 429,
			`{"code":"wu_rest_rate_limited","message":"Too many requests.","data":{"status":429}}`, "2"},
		{"conflict", errs.New(errs.Conflict, "Email already used."), 409,
			`{"code":"wu_rest_conflict","message":"Email already used.","data":{"status":409}}`, ""},
		{"too large", errs.TooLarge, 413,
			`{"code":"rest_request_too_large","message":"Request body too large.","data":{"status":413}}`, ""},
		{"unavailable", errs.Unavailable, 503,
			`{"code":"wu_rest_unavailable","message":"Service unavailable.","data":{"status":503}}`, ""},
		{"timeout", errs.Timeout, 504,
			`{"code":"wu_rest_upstream_timeout","message":"Upstream timed out.","data":{"status":504}}`, ""},
		{"internal hides cause", errors.New("pq: password authentication failed"), 500,
			`{"code":"wu_rest_internal_error","message":"An unexpected error occurred.","data":{"status":500}}`, ""},
		{"internal hides message", &errs.Error{Kind: errs.Internal, Message: "secret", Params: map[string]string{"x": "y"}}, 500,
			`{"code":"wu_rest_internal_error","message":"An unexpected error occurred.","data":{"status":500}}`, ""},
		{"nil", nil, 500,
			`{"code":"wu_rest_internal_error","message":"An unexpected error occurred.","data":{"status":500}}`, ""},
		{"reason does not change the code", &errs.Error{Kind: errs.Unauthorized, Reason: "bad_token", Message: "Unauthenticated."}, 401,
			`{"code":"rest_forbidden","message":"Unauthenticated.","data":{"status":401}}`, ""},
		{"wrapped", errors.Join(errors.New("ctx"), errs.NotFoundResource("site", "")), 404,
			`{"code":"wu_rest_site_invalid_id","message":"Item not found.","data":{"status":404}}`, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := httptest.NewRecorder()
			WriteError(rec, httptest.NewRequest("GET", "/wp-json/wu/v2/customers", nil), tt.err)
			if rec.Code != tt.wantStatus {
				t.Errorf("status %d, want %d", rec.Code, tt.wantStatus)
			}
			if rec.Body.String() != tt.wantBody {
				t.Errorf("body\n got %s\nwant %s", rec.Body, tt.wantBody)
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

// referenceError is the "Error Responses" example of the reference.
const referenceError = `{
"code": "wu_rest_invalid_parameter",
"message": "Invalid parameter value",
"data": {
"status": 400,
"params": {
"email": "Invalid email format"
}
}
}`

// TestErrorShapeMatchesReference checks that the reference's error body
// decodes into ErrorBody and encodes back to the same JSON, and that what
// WriteError writes has exactly the same shape.
func TestErrorShapeMatchesReference(t *testing.T) {
	if b, err := os.ReadFile("../../../../shared/reference/wu-v2-rest-api.txt"); err == nil {
		if !strings.Contains(string(b), referenceError) {
			t.Fatalf("the reference no longer holds this error example:\n%s", referenceError)
		}
	}
	dec := json.NewDecoder(strings.NewReader(referenceError))
	dec.DisallowUnknownFields()
	var body ErrorBody
	if err := dec.Decode(&body); err != nil {
		t.Fatal(err)
	}
	again, err := json.Marshal(body)
	if err != nil {
		t.Fatal(err)
	}
	var compact bytes.Buffer
	json.Compact(&compact, []byte(referenceError))
	if string(again) != compact.String() {
		t.Fatalf("round trip\n got %s\nwant %s", again, compact.String())
	}

	rec := httptest.NewRecorder()
	WriteError(rec, nil, errs.InvalidField("email", "Invalid email format"))
	var written, reference any
	json.Unmarshal(rec.Body.Bytes(), &written)
	json.Unmarshal([]byte(referenceError), &reference)
	if !reflect.DeepEqual(shape(written), shape(reference)) {
		t.Errorf("shape\n got %v\nwant %v", shape(written), shape(reference))
	}
	w := written.(map[string]any)
	r := reference.(map[string]any)
	if w["code"] != r["code"] || !reflect.DeepEqual(w["data"], r["data"]) {
		t.Errorf("written %s differs from the reference in code or data", rec.Body)
	}
}

// shape replaces every leaf of a decoded JSON value by its JSON type.
func shape(v any) any {
	switch v := v.(type) {
	case map[string]any:
		m := map[string]any{}
		for k, x := range v {
			m[k] = shape(x)
		}
		return m
	case []any:
		out := make([]any, len(v))
		for i, x := range v {
			out[i] = shape(x)
		}
		return out
	case string:
		return "string"
	case float64:
		return "number"
	case bool:
		return "boolean"
	default:
		return "null"
	}
}
