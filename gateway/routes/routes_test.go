package routes

import (
	"testing"

	"github.com/hostplane/hostplane/libs/principal"
)

func TestDefaultTableCompilesAndScopesAreKnown(t *testing.T) {
	tbl, err := New(Default())
	if err != nil {
		t.Fatal(err)
	}
	known := map[string]bool{Gateway: true}
	for _, s := range Upstreams {
		known[s] = true
	}
	for _, r := range tbl.Routes() {
		if !known[r.Service] {
			t.Errorf("%s %s: unknown service %q", r.Method, r.Pattern, r.Service)
		}
		if r.Dialect() == "" {
			t.Errorf("%s %s: pattern outside every dialect prefix", r.Method, r.Pattern)
		}
		switch r.Access {
		case Scoped:
			if !principal.Known(r.Scope) {
				t.Errorf("%s %s: unknown scope %q", r.Method, r.Pattern, r.Scope)
			}
		default:
			if r.Scope != "" {
				t.Errorf("%s %s: scope on an unscoped route", r.Method, r.Pattern)
			}
		}
		if r.Summary == "" || r.Tag == "" {
			t.Errorf("%s %s: undocumented", r.Method, r.Pattern)
		}
	}
}

func TestMatch(t *testing.T) {
	tbl, _ := New(Default())
	tests := []struct {
		method, path, scope string
		found               bool
	}{
		{"GET", "/wp-json/wu/v2/customers", "customers:index", true},
		{"GET", "/wp-json/wu/v2/customer/3", "customers:index", true},
		{"POST", "/wp-json/wu/v2/customers/3", "customers:update", true},
		{"POST", "/wp-json/wu/v2/customers", "customers:create", true},
		{"DELETE", "/api/application/keys/9", "keys:delete", true},
		{"GET", "/wp-json/wu/v2/nothing", "", false},
	}
	for _, tt := range tests {
		res, ok := tbl.Match(tt.method, tt.path)
		if ok != tt.found || (ok && res.Value.Scope != tt.scope) {
			t.Errorf("%s %s: found=%v scope=%v", tt.method, tt.path, ok, res.Value)
		}
	}
}
