package transport

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/hostplane/hostplane/libs/dialect/wu"
	"github.com/hostplane/hostplane/libs/errs"
)

func clientError(t *testing.T, err error) {
	t.Helper()
	var e *errs.Error
	if !errors.As(err, &e) {
		t.Fatalf("error %T %v is not an *errs.Error", err, err)
	}
	if s := e.Status(); s < 400 || s > 499 {
		t.Fatalf("error %v has status %d", err, s)
	}
	if body := wu.ErrorFor(err); body.Code == "" || body.Data.Status != e.Status() {
		t.Fatalf("renders as %+v", body)
	}
}

func FuzzReadBootstrap(f *testing.F) {
	for _, s := range []struct{ id, contentType, body string }{
		{"7", "", ""}, {"7", "application/json", "{}"}, {"7", "application/json", `{"isolation_model":"sovereign"}`},
		{"7", "application/json", `{"isolation_model":"shared"}`}, {"7", "application/json", `{"x":1}`},
		{"7", "application/json", `[]`}, {"7", "application/json", `null`}, {"7", "application/json", `{"isolation_model":`},
		{"-1", "", ""}, {"abc", "", ""}, {"9223372036854775808", "", ""},
		{"7", "application/x-www-form-urlencoded", "isolation_model=sovereign&a[]=1"}, {"7", "text/plain", "hello"},
	} {
		f.Add(s.id, s.contentType, s.body)
	}
	f.Fuzz(func(t *testing.T, id, contentType, body string) {
		r := httptest.NewRequest(http.MethodPost, "/wp-json/wu/v2/tenants/x/bootstrap", strings.NewReader(body))
		r.SetPathValue("site_id", id)
		if contentType != "" {
			r.Header.Set("Content-Type", contentType)
		}
		r.Body = http.MaxBytesReader(nil, r.Body, 1<<16)
		req, err := readBootstrap(r)
		if err != nil {
			clientError(t, err)
			return
		}
		if req.SiteID <= 0 {
			t.Fatalf("site id %d accepted from %q", req.SiteID, id)
		}
	})
}

func FuzzSiteID(f *testing.F) {
	for _, s := range []string{"1", "0", "-1", "abc", "1.5", "+3", "007", "9223372036854775807", "9223372036854775808", " 1", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		r := httptest.NewRequest(http.MethodGet, "/x", nil)
		r.SetPathValue("site_id", raw)
		id, err := siteID(r)
		if err != nil {
			clientError(t, err)
			if errs.From(err).Resource != "tenant" {
				t.Fatalf("resource %q", errs.From(err).Resource)
			}
			return
		}
		if id <= 0 {
			t.Fatalf("id %d from %q", id, raw)
		}
	})
}
