package httpkit

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"

	"github.com/hostplane/hostplane/libs/errs"
)

func TestEndpoint(t *testing.T) {
	errDecode := errs.InvalidField("n", "Not a number.")
	errCall := errs.NotFoundResource("customer", "")
	errEncode := errors.New("encode failed")
	dec := func(r *http.Request) (any, error) {
		n, err := strconv.Atoi(r.URL.Query().Get("n"))
		if err != nil {
			return nil, errDecode
		}
		return n, nil
	}
	e := func(ctx context.Context, req any) (any, error) {
		if ctx.Value(ctxProbe{}) != "request context" {
			return nil, errors.New("endpoint did not get the request context")
		}
		n := req.(int)
		if n < 0 {
			return nil, errCall
		}
		return n * 2, nil
	}
	enc := func(w http.ResponseWriter, r *http.Request, resp any) error {
		if resp.(int) > 100 {
			return errEncode
		}
		fmt.Fprint(w, resp)
		return nil
	}
	tests := []struct {
		query    string
		wantBody string
		wantErr  error
	}{
		{"n=21", "42", nil},
		{"n=x", "", errDecode},
		{"n=-1", "", errCall},
		{"n=60", "", errEncode},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			var gotErr error
			onErr := func(w http.ResponseWriter, r *http.Request, err error) {
				gotErr = err
				w.WriteHeader(errs.From(err).Status())
			}
			h := Endpoint(e, dec, enc, onErr)
			req := httptest.NewRequest("GET", "/x?"+tt.query, nil)
			req = req.WithContext(context.WithValue(req.Context(), ctxProbe{}, "request context"))
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			if gotErr != tt.wantErr {
				t.Fatalf("onErr got %v, want %v", gotErr, tt.wantErr)
			}
			if tt.wantErr == nil && (rec.Code != 200 || rec.Body.String() != tt.wantBody) {
				t.Errorf("got %d %q, want 200 %q", rec.Code, rec.Body.String(), tt.wantBody)
			}
		})
	}
}

type ctxProbe struct{}

func TestPathID(t *testing.T) {
	tests := []struct {
		value string
		want  int64
		ok    bool
	}{
		{"1", 1, true},
		{"42", 42, true},
		{"9223372036854775807", 9223372036854775807, true},
		{"0", 0, false},
		{"-3", 0, false},
		{"", 0, false},
		{"12abc", 0, false},
		{"1.5", 0, false},
		{"9223372036854775808", 0, false},
		{" 7", 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.value, func(t *testing.T) {
			r := httptest.NewRequest("GET", "/", nil)
			r.SetPathValue("id", tt.value)
			got, err := PathID(r, "id", "customer")
			if tt.ok {
				if err != nil || got != tt.want {
					t.Errorf("PathID = %d, %v; want %d", got, err, tt.want)
				}
				return
			}
			e := errs.From(err)
			if e == nil || e.Kind != errs.NotFound || e.Resource != "customer" || got != 0 {
				t.Errorf("PathID = %d, %v; want a not-found of customer", got, err)
			}
		})
	}
}
