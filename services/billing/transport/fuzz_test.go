package transport

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/hostplane/hostplane/libs/dialect/wu"
	"github.com/hostplane/hostplane/libs/errs"
	"github.com/hostplane/hostplane/services/billing/customers"
)

// bodyRequest is a request carrying body with a Content-Type.
func bodyRequest(method, contentType, body string) *http.Request {
	r := httptest.NewRequest(method, "/wp-json/wu/v2/customers/1", strings.NewReader(body))
	r.SetPathValue("id", "1")
	if contentType != "" {
		r.Header.Set("Content-Type", contentType)
	}
	r.Body = http.MaxBytesReader(nil, r.Body, 1<<16)
	return r
}

// clientError fails t unless err is a typed error of a 4xx kind.
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

var bodySeeds = []struct{ contentType, body string }{
	{"application/json", `{"user_id":123,"email_verification":"verified","type":"customer","has_trialed":false,"vip":false}`},
	{"application/json", `{"vip": true, "extra_information": "VIP customer notes"}`},
	{"application/json", `{"username":"john.doe","email":"john@example.com","password":"secret1","ips":["0.0.0.0"]}`},
	{"application/json", `{"date_registered":"2026-11-23 21:02:51","last_login":""}`},
	{"application/json", `{"last_login":"2026-11-23","date_registered":"x"}`},
	{"application/json", `{"user_id":`},
	{"application/json", `{"vip":"yes","ips":"1.2.3.4"}`},
	{"application/json", `{"bogus":1}`},
	{"application/json", `[]`},
	{"application/json", `null`},
	{"", ``},
	{"application/x-www-form-urlencoded", `username=a&ips[]=1.1.1.1&ips[x]=2&vip=on`},
	{"multipart/form-data; boundary=xx", "--xx\r\nContent-Disposition: form-data; name=\"vip\"\r\n\r\n1\r\n--xx--\r\n"},
	{"text/plain", `hello`},
}

func FuzzReadCreate(f *testing.F) {
	for _, s := range bodySeeds {
		f.Add(s.contentType, s.body)
	}
	f.Fuzz(func(t *testing.T, contentType, body string) {
		in, err := readCreate(bodyRequest(http.MethodPost, contentType, body))
		if err != nil {
			clientError(t, err)
			return
		}
		// Whatever was read, the service's validation decides without panicking.
		if err := in.Validate(); err != nil {
			clientError(t, err)
		}
	})
}

func FuzzReadPatch(f *testing.F) {
	for _, s := range bodySeeds {
		f.Add(s.contentType, s.body)
	}
	f.Fuzz(func(t *testing.T, contentType, body string) {
		p, err := readPatch(bodyRequest(http.MethodPatch, contentType, body))
		if err != nil {
			clientError(t, err)
			return
		}
		if p.LastLogin != nil && p.ClearLastLogin {
			t.Fatal("last_login both set and cleared")
		}
		if p.IPs != nil && *p.IPs == nil {
			t.Fatal("ips present but nil")
		}
		if err := p.Validate(); err != nil {
			clientError(t, err)
		}
	})
}

func FuzzReadList(f *testing.F) {
	for _, q := range []string{
		"", "per_page=5&page=2", "orderby=vip&order=asc", "status=active", "search=john",
		"date_created=2024-01-01,2024-02-01", "date_created=,", "page=9223372036854775807&per_page=100",
		"orderby=password", "per_page=101", "search=%FF", "order=DESC&orderby=last_login",
	} {
		f.Add(q)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		r := httptest.NewRequest(http.MethodGet, "/wp-json/wu/v2/customers", nil)
		r.URL.RawQuery = raw
		filter, q, err := readList(r)
		if err != nil {
			clientError(t, err)
			return
		}
		if filter.Offset < 0 || filter.Limit < 1 || filter.Limit > wu.MaxPerPage || filter.Limit != q.PerPage {
			t.Fatalf("paging out of range: %+v", filter)
		}
		if !slices.Contains(customers.Orders, filter.OrderBy) {
			t.Fatalf("orderby %q escaped the allow-list", filter.OrderBy)
		}
		if filter.Status != "" && !slices.Contains(customers.Statuses, filter.Status) {
			t.Fatalf("status %q escaped the allow-list", filter.Status)
		}
		if filter.CreatedFrom != nil && filter.CreatedTo != nil && filter.CreatedTo.Before(*filter.CreatedFrom) {
			t.Fatalf("reversed range %v %v", filter.CreatedFrom, filter.CreatedTo)
		}
	})
}
