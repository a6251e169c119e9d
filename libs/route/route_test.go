package route

import (
	"reflect"
	"testing"
)

func TestMatch(t *testing.T) {
	r := New[string]()
	r.MustAdd("GET", "/wp-json/wu/v2/customers", "list")
	r.MustAdd("GET", "/wp-json/wu/v2/customers/{id}", "get")
	r.MustAdd("PUT", "/wp-json/wu/v2/customers/{id}", "put")
	r.MustAdd("GET", "/v1/sites.json", "sites")
	r.MustAdd("GET", "/v1/sites/{code}.json", "site")
	r.MustAdd("GET", "/v1/sites/{code}/jobs/{job}.json", "job")
	r.MustAdd("GET", "/v1/rate.json", "rate")
	r.MustAdd("GET", "/api/documentation/{file...}", "docs")

	tests := []struct {
		method, path string
		want         string
		params       Params
		found        bool
		allowed      []string
	}{
		{"GET", "/wp-json/wu/v2/customers", "list", nil, true, nil},
		{"GET", "/wp-json/wu/v2/customers/", "list", nil, true, nil},
		{"GET", "/wp-json/wu/v2/customers/12", "get", Params{{"id", "12"}}, true, nil},
		{"DELETE", "/wp-json/wu/v2/customers/12", "", nil, false, []string{"GET", "PUT"}},
		{"GET", "/v1/sites.json", "sites", nil, true, nil},
		{"GET", "/v1/sites/ab-c.json", "site", Params{{"code", "ab-c"}}, true, nil},
		{"GET", "/v1/sites/.json", "", nil, false, nil},
		{"GET", "/v1/sites/abc", "", nil, false, nil},
		{"GET", "/v1/sites/abc/jobs/42.json", "job", Params{{"code", "abc"}, {"job", "42"}}, true, nil},
		{"GET", "/v1/rate.json", "rate", nil, true, nil},
		{"GET", "/api/documentation/openapi.json", "docs", Params{{"file", "openapi.json"}}, true, nil},
		{"GET", "/nope", "", nil, false, nil},
		{"GET", "/", "", nil, false, nil},
	}
	for _, tt := range tests {
		res, found := r.Match(tt.method, tt.path)
		if found != tt.found || res.Value != tt.want {
			t.Errorf("%s %s: got %q found=%v, want %q found=%v", tt.method, tt.path, res.Value, found, tt.want, tt.found)
			continue
		}
		if found && !reflect.DeepEqual(res.Params, tt.params) && !(len(res.Params) == 0 && len(tt.params) == 0) {
			t.Errorf("%s %s: params %v, want %v", tt.method, tt.path, res.Params, tt.params)
		}
		if !reflect.DeepEqual(res.Allowed, tt.allowed) {
			t.Errorf("%s %s: allowed %v, want %v", tt.method, tt.path, res.Allowed, tt.allowed)
		}
	}
}

func TestLiteralBeatsParam(t *testing.T) {
	r := New[string]()
	r.MustAdd("GET", "/v1/sites/{code}.json", "site")
	r.MustAdd("GET", "/v1/sites/{code}/stats.json", "stats")
	r.MustAdd("GET", "/v1/sites/{code}/{x}", "x")
	if res, _ := r.Match("GET", "/v1/sites/a/stats.json"); res.Value != "stats" {
		t.Fatalf("got %q", res.Value)
	}
}

func TestAddErrors(t *testing.T) {
	r := New[int]()
	for _, p := range []string{"nope", "/a/{}", "/a/{x...}/b", "/a/{x}{y}"} {
		if err := r.Add("GET", p, 1); err == nil {
			t.Errorf("Add(%q) succeeded", p)
		}
	}
	r.MustAdd("GET", "/a", 1)
	if err := r.Add("GET", "/a", 2); err == nil {
		t.Error("duplicate accepted")
	}
}

func BenchmarkMatch(b *testing.B) {
	r := New[string]()
	for _, p := range []string{"customers", "products", "memberships", "payments", "sites", "domains"} {
		r.MustAdd("GET", "/wp-json/wu/v2/"+p, p)
		r.MustAdd("GET", "/wp-json/wu/v2/"+p+"/{id}", p)
	}
	b.ReportAllocs()
	for b.Loop() {
		r.Match("GET", "/wp-json/wu/v2/customers/12")
	}
}
