package transport

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/hostplane/hostplane/libs/dialect/sb"
	"github.com/hostplane/hostplane/libs/dialect/wu"
	"github.com/hostplane/hostplane/libs/errs"
	"github.com/hostplane/hostplane/services/sites/domains"
	"github.com/hostplane/hostplane/services/sites/site"
)

func bodyRequest(method, contentType, body string) *http.Request {
	r := httptest.NewRequest(method, "/wp-json/wu/v2/sites/1", strings.NewReader(body))
	if contentType != "" {
		r.Header.Set("Content-Type", contentType)
	}
	r.Body = http.MaxBytesReader(nil, r.Body, 1<<16)
	return r
}

// clientError fails t unless err is a typed 4xx error.
func clientError(t *testing.T, err error) {
	t.Helper()
	var e *errs.Error
	if !errors.As(err, &e) {
		t.Fatalf("error %T %v is not an *errs.Error", err, err)
	}
	if s := e.Status(); s < 400 || s > 499 {
		t.Fatalf("error %v has status %d", err, s)
	}
}

var bodySeeds = []struct{ contentType, body string }{
	{"application/json", `{"customer_id": 5, "membership_id": 10, "domain": "example.com", "path": "/", "title": "My New Site", "template_id": 1, "type": "customer_owned"}`},
	{"application/json", `{"domain": "custom-domain.com", "customer_id": 5, "primary_domain": 1, "stage": "domain-mapping"}`},
	{"application/json", `{"active":"1","public":0,"archived":"no","slug":"a-b"}`},
	{"application/json", `{"primary_domain":"maybe"}`},
	{"application/json", `{"customer_id":"5"}`},
	{"application/json", `{"bogus":1}`},
	{"application/json", `[]`},
	{"application/json", `{"title":`},
	{"", ``},
	{"application/x-www-form-urlencoded", "plan_id=3&code_site=abc&site_name=x&contact_civility=Mrs&contact_country_id=73&method=POST"},
	{"application/x-www-form-urlencoded", "plan_id[]=3&code_site[a]=b"},
	{"text/plain", "hello"},
}

func FuzzReadSiteCreate(f *testing.F) {
	for _, s := range bodySeeds {
		f.Add(s.contentType, s.body)
	}
	f.Fuzz(func(t *testing.T, ct, body string) {
		in, err := readSiteCreate(bodyRequest("POST", ct, body))
		if err != nil {
			clientError(t, err)
			return
		}
		if err := in.Validate(); err != nil {
			clientError(t, err)
		}
	})
}

func FuzzReadSitePatch(f *testing.F) {
	for _, s := range bodySeeds {
		f.Add(s.contentType, s.body)
	}
	f.Fuzz(func(t *testing.T, ct, body string) {
		p, err := readSitePatch(bodyRequest("PATCH", ct, body))
		if err != nil {
			clientError(t, err)
			return
		}
		if err := p.Validate(); err != nil {
			clientError(t, err)
		}
	})
}

func FuzzReadDomainBodies(f *testing.F) {
	for _, s := range bodySeeds {
		f.Add(s.contentType, s.body)
	}
	f.Fuzz(func(t *testing.T, ct, body string) {
		in, err := readDomainCreate(bodyRequest("POST", ct, body))
		if err != nil {
			clientError(t, err)
		} else if in.Name != "" {
			if n, err := site.NormalizeDomain(in.Name); err == nil && (strings.ToLower(n) != n || strings.ContainsAny(n, "/: ")) {
				t.Fatalf("normalized %q to %q", in.Name, n)
			}
		}
		if _, err := readDomainPatch(bodyRequest("PUT", ct, body)); err != nil {
			clientError(t, err)
		}
	})
}

func FuzzReadSBCreate(f *testing.F) {
	for _, s := range bodySeeds {
		f.Add(s.contentType, s.body)
	}
	f.Fuzz(func(t *testing.T, ct, body string) {
		in, err := readSBCreate(bodyRequest("POST", ct, body))
		if err != nil {
			clientError(t, err)
			return
		}
		if !site.ValidCode(in.Code) || in.PlanID <= 0 || !slices.Contains(site.Civilities, in.Contact.Civility) {
			t.Fatalf("accepted %+v", in)
		}
	})
}

func FuzzReadLists(f *testing.F) {
	for _, q := range []string{
		"", "per_page=5&page=2&orderby=title&order=asc&search=bak", "customer_id=5&type=demo&status=open",
		"term=bakery&type=closing_soon&sort=-closing_date&limit=20&page=3", "sort=relevance", "limit=21",
		"extra_fields[]=scopes&extra_fields[]=account", "extra_fields=features,x", "blog_id=-1&stage=done",
		"page=9223372036854775807&per_page=100", "search=%FF",
	} {
		f.Add(q)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		r := httptest.NewRequest("GET", "/v1/sites.json", nil)
		r.URL.RawQuery = raw
		if sf, q, err := readSiteList(r); err != nil {
			clientError(t, err)
		} else if sf.Offset < 0 || sf.Limit < 1 || sf.Limit > wu.MaxPerPage || q.PerPage != sf.Limit {
			t.Fatalf("wu site paging %+v", sf)
		}
		if df, _, err := readDomainList(r); err != nil {
			clientError(t, err)
		} else if df.Offset < 0 || df.Limit < 1 || !slices.Contains(domains.Orders, df.OrderBy) {
			t.Fatalf("domain list %+v", df)
		}
		if sf, p, err := readSBList(r); err != nil {
			clientError(t, err)
		} else if sf.Limit < 1 || sf.Limit > sb.MaxLimit || p.Page < 0 || !slices.Contains(site.Orders, sf.OrderBy) ||
			sf.Select != "" && !slices.Contains(site.Selections, sf.Select) {
			t.Fatalf("sb list %+v", sf)
		}
		if extra, err := extraFields(r.URL.Query()); err != nil {
			clientError(t, err)
		} else {
			for k := range extra {
				if k != "scopes" && k != "features" && k != "account" {
					t.Fatalf("extra field %q", k)
				}
			}
		}
	})
}
