package main

import (
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/hostplane/hostplane/libs/principal"
)

const secret = "bench-secret-0123456789"

// The printed headers pass the services' own verification, for that path
// and method only.
func TestHeadersVerify(t *testing.T) {
	hs, err := headers(secret, "GET", "/wp-json/wu/v2/customers/7", benchPrincipal(3))
	if err != nil {
		t.Fatal(err)
	}
	r := httptest.NewRequest("GET", "/wp-json/wu/v2/customers/7", nil)
	for _, kv := range hs {
		r.Header.Set(kv[0], kv[1])
	}
	p, err := principal.NewSigner(secret).Verify(r)
	if err != nil {
		t.Fatal(err)
	}
	if p.KeyID != 3 || !p.Allows("customers:index") || p.Restricted() {
		t.Fatalf("principal %+v", p)
	}
	for _, other := range []struct{ method, path string }{{"DELETE", "/wp-json/wu/v2/customers/7"}, {"GET", "/wp-json/wu/v2/customers/8"}} {
		r2 := httptest.NewRequest(other.method, other.path, nil)
		r2.Header = r.Header.Clone()
		if _, err := principal.NewSigner(secret).Verify(r2); err == nil {
			t.Errorf("signature accepted for %s %s", other.method, other.path)
		}
	}
	if _, err := principal.NewSigner(secret + "x").Verify(r); err == nil {
		t.Error("signature accepted with another secret")
	}
}

func TestRender(t *testing.T) {
	hs := [][2]string{{"X-Hostplane-Principal", "abc"}, {"X-Hostplane-Timestamp", "1"}}
	var b strings.Builder
	if err := render(&b, hs, "header"); err != nil || b.String() != "X-Hostplane-Principal: abc\nX-Hostplane-Timestamp: 1\n" {
		t.Fatalf("%q %v", b.String(), err)
	}
	b.Reset()
	if err := render(&b, hs, "nginx"); err != nil || !strings.HasPrefix(b.String(), `proxy_set_header X-Hostplane-Principal "abc";`) {
		t.Fatalf("%q %v", b.String(), err)
	}
	if _, err := headers("short", "GET", "/", benchPrincipal(1)); err == nil {
		t.Fatal("short secret accepted")
	}
}
