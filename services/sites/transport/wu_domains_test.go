package transport_test

import (
	"context"
	"testing"
)

var domainTypes = map[string]string{
	"id": "number", "model": "string", "slug": "string", "date_created": "string", "date_modified": "string",
	"migrated_from_id": "null", "blog_id": "number", "domain": "string", "active": "boolean",
	"primary_domain": "boolean", "secure": "boolean", "stage": "string",
}

func TestWUDomains(t *testing.T) {
	h := newHarness(t)
	s5 := object(t, h.ok("POST", "/wp-json/wu/v2/sites", `{"title":"Five","customer_id":5}`))
	s6 := object(t, h.ok("POST", "/wp-json/wu/v2/sites", `{"title":"Six","customer_id":6}`))

	// The reference's body: customer_id instead of blog_id, primary_domain
	// as 1, the domain-mapping stage.
	rec := h.ok("POST", "/wp-json/wu/v2/domains", `{
"domain": "custom-domain.com",
"customer_id": 5,
"primary_domain": 1,
"stage": "domain-mapping"
}`)
	d := object(t, rec)
	checkShape(t, d, domainTypes)
	if d["blog_id"] != s5["id"] || d["domain"] != "custom-domain.com" || d["primary_domain"] != true || d["active"] != true ||
		d["secure"] != false || d["stage"] != "checking-dns" || d["model"] != "domain" {
		t.Fatalf("created %s", rec.Body)
	}
	// Unique whatever the case; IDNA names are stored in their ASCII form.
	wuError(t, h.do("POST", "/wp-json/wu/v2/domain", `{"domain":"Custom-Domain.COM.","blog_id":`+itoa(int64(s6["id"].(float64)))+`}`, root), 409, "wu_rest_conflict", "domain")
	// A host is one site's: not a mapping of another site's domain, nor
	// another site's domain once mapped.
	wuError(t, h.do("POST", "/wp-json/wu/v2/domains", `{"domain":"`+s6["domain"].(string)+`","blog_id":`+itoa(int64(s5["id"].(float64)))+`}`, root), 409, "wu_rest_conflict", "domain")
	wuError(t, h.do("POST", "/wp-json/wu/v2/sites", `{"title":"Seven","domain":"custom-domain.com"}`, root), 409, "wu_rest_conflict", "domain")
	idn := object(t, h.ok("POST", "/wp-json/wu/v2/domain", `{"domain":"Café.Example","blog_id":`+itoa(int64(s5["id"].(float64)))+`,"primary_domain":true}`))
	if idn["domain"] != "xn--caf-dma.example" || idn["primary_domain"] != true {
		t.Fatalf("idna: %v", idn)
	}
	// The new primary demoted the first.
	if first := object(t, h.ok("GET", "/wp-json/wu/v2/domains/"+itoa(int64(d["id"].(float64))), "")); first["primary_domain"] != false {
		t.Fatalf("not demoted: %v", first)
	}
	for _, tt := range []struct {
		body   string
		params []string
	}{
		{`{"blog_id": 2}`, []string{"domain"}},
		{`{"domain": "x.example.com"}`, []string{"blog_id"}},
		{`{"domain": "http://x.example.com/path", "blog_id": 2}`, []string{"domain"}},
		{`{"domain": "localhost", "blog_id": 2}`, []string{"domain"}},
		{`{"domain": "10.0.0.1", "blog_id": 2}`, []string{"domain"}},
		{`{"domain": "-bad-.example.com", "blog_id": 2}`, []string{"domain"}},
		{`{"domain": "x.example.com", "blog_id": 999}`, []string{"blog_id"}},
		{`{"domain": "x.example.com", "customer_id": 77}`, []string{"customer_id"}},
		{`{"domain": "x.example.com", "blog_id": 2, "stage": "flying"}`, []string{"stage"}},
		{`{"domain": "x.example.com", "blog_id": 2, "primary_domain": "perhaps"}`, []string{"primary_domain"}},
	} {
		wuError(t, h.do("POST", "/wp-json/wu/v2/domains", tt.body, root), 400, "wu_rest_invalid_parameter", tt.params...)
	}
	// Customer 5's key sees customer 5's domains only.
	other := object(t, h.ok("POST", "/wp-json/wu/v2/domains", `{"domain":"six.example.org","customer_id":6}`))
	if l := array(t, h.do("GET", "/wp-json/wu/v2/domains", "", restricted(5))); len(l) != 2 {
		t.Fatalf("restricted list: %v", l)
	}
	otherID := itoa(int64(other["id"].(float64)))
	wuError(t, h.do("GET", "/wp-json/wu/v2/domains/"+otherID, "", restricted(5)), 404, "wu_rest_domain_invalid_id")
	wuError(t, h.do("POST", "/wp-json/wu/v2/domains", `{"domain":"z.example.org","blog_id":`+itoa(int64(s6["id"].(float64)))+`}`, restricted(5)), 400, "wu_rest_invalid_parameter", "blog_id")
	if l := array(t, h.ok("GET", "/wp-json/wu/v2/domains?blog_id="+itoa(int64(s6["id"].(float64))), "")); len(l) != 1 {
		t.Fatalf("blog filter: %v", l)
	}

	// The checker moves stages with the fake resolver and prober.
	h.dns.set("custom-domain.com", []string{"192.0.2.1"}, true)
	h.dns.set("six.example.org", []string{"192.0.2.1"}, false)
	checker := h.app.Checker
	checker.Interval = 0
	for range 3 {
		if _, err := checker.Once(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	if got := object(t, h.ok("GET", "/wp-json/wu/v2/domains/"+itoa(int64(d["id"].(float64))), "")); got["stage"] != "done" || got["secure"] != true {
		t.Fatalf("resolving with a certificate: %v", got)
	}
	if got := object(t, h.ok("GET", "/wp-json/wu/v2/domains/"+otherID, "")); got["stage"] != "done-without-ssl" || got["secure"] != false {
		t.Fatalf("resolving without a certificate: %v", got)
	}
	if got := object(t, h.ok("GET", "/wp-json/wu/v2/domains/"+itoa(int64(idn["id"].(float64))), "")); got["stage"] != "checking-dns" {
		t.Fatalf("not resolving: %v", got)
	}

	// Update and delete.
	up := object(t, h.ok("PUT", "/wp-json/wu/v2/domains/"+otherID, `{"active":false,"stage":"domain-mapping"}`))
	if up["active"] != false || up["stage"] != "checking-dns" {
		t.Fatalf("update %v", up)
	}
	rec = h.ok("DELETE", "/wp-json/wu/v2/domain/"+otherID, "")
	if object(t, rec)["deleted"] != true {
		t.Fatalf("delete %s", rec.Body)
	}
	wuError(t, h.do("GET", "/wp-json/wu/v2/domains/"+otherID, "", root), 404, "wu_rest_domain_invalid_id")
}
