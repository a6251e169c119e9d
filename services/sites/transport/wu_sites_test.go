package transport_test

import (
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"
)

// siteTypes is the JSON type of every field of a wu site.
var siteTypes = map[string]string{
	"id": "number", "model": "string", "slug": "string", "date_created": "string", "date_modified": "string",
	"migrated_from_id": "null", "title": "string", "name": "string", "description": "string", "blog_id": "number",
	"site_id": "number", "domain": "string", "path": "string", "site_path": "null", "registered": "string",
	"last_updated": "string", "is_publishing": "boolean", "active": "boolean", "public": "boolean",
	"archived": "boolean", "mature": "boolean", "spam": "boolean", "deleted": "boolean", "lang_id": "number",
	"customer_id": "number|null", "membership_id": "number|null", "template_id": "number|null", "type": "string",
	"status": "string", "featured_image_id": "null", "categories": "array", "transient": "array",
	"signup_options": "array", "signup_meta": "array", "limitations": "array", "notes": "null",
}

func jsonType(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case float64:
		return "number"
	case string:
		return "string"
	case bool:
		return "boolean"
	case []any:
		return "array"
	case map[string]any:
		return "object"
	}
	return "?"
}

func checkShape(t *testing.T, m map[string]any, types map[string]string) {
	t.Helper()
	var got, want []string
	for k := range m {
		got = append(got, k)
	}
	for k := range types {
		want = append(want, k)
	}
	sort.Strings(got)
	sort.Strings(want)
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("fields %v, want %v", got, want)
	}
	for k, typ := range types {
		if jt := jsonType(m[k]); !strings.Contains("|"+typ+"|", "|"+jt+"|") {
			t.Errorf("field %s is %s (%v), want %s", k, jt, m[k], typ)
		}
	}
}

// The reference's create body, as written, is enough: the code comes from
// the domain, the name from the title, the files from template 1 (the
// default template made at first start).
func TestWUCreateDocumentedBody(t *testing.T) {
	h := newHarness(t)
	writeFile(t, filepath.Join(h.root(1), "datas", "index.html"), "<h1>template</h1>")
	rec := h.ok("POST", "/wp-json/wu/v2/sites", `{
"customer_id": 5,
"membership_id": 10,
"domain": "example.com",
"path": "/",
"title": "My New Site",
"template_id": 1,
"type": "customer_owned"
}`)
	m := object(t, rec)
	checkShape(t, m, siteTypes)
	if m["slug"] != "example" || m["title"] != "My New Site" || m["name"] != "My New Site" || m["domain"] != "example.com" ||
		m["customer_id"] != 5.0 || m["membership_id"] != 10.0 || m["template_id"] != 1.0 || m["type"] != "customer_owned" ||
		m["active"] != true || m["status"] != "open" || m["is_publishing"] != false {
		t.Fatalf("created %s", rec.Body)
	}
	id := int64(m["id"].(float64))
	for _, d := range []string{"medias", "datas", "ftp"} {
		if fi, err := os.Stat(filepath.Join(h.root(id), d)); err != nil || !fi.IsDir() {
			t.Fatalf("%s missing: %v", d, err)
		}
	}
	if got := readFile(t, filepath.Join(h.root(id), "datas", "index.html")); got != "<h1>template</h1>" {
		t.Fatalf("template files not copied: %q", got)
	}
	// Same domain again: a conflict; another title without a domain gets
	// its own code and <code>.<base domain>.
	wuError(t, h.do("POST", "/wp-json/wu/v2/site", `{"domain":"example.com","title":"Again"}`, root), 409, "wu_rest_conflict", "domain")
	m2 := object(t, h.ok("POST", "/wp-json/wu/v2/site", `{"title":"My New Site"}`))
	if m2["slug"] != "my-new-site" || m2["domain"] != "my-new-site.hostplane.test" || m2["type"] != "default" || m2["customer_id"] != nil {
		t.Fatalf("derived %v", m2)
	}
	m3 := object(t, h.ok("POST", "/wp-json/wu/v2/site", `{"title":"My New Site","active":"0"}`))
	if m3["slug"] != "my-new-site-2" || m3["active"] != false || m3["status"] != "suspended" {
		t.Fatalf("second derived code %v", m3)
	}
}

func TestWUCreateRefusals(t *testing.T) {
	h := newHarness(t)
	for _, tt := range []struct {
		body   string
		status int
		code   string
		params []string
	}{
		{`{"customer_id": 99, "title": "x"}`, 400, "wu_rest_invalid_parameter", []string{"customer_id"}},
		{`{"membership_id": 999, "title": "x"}`, 400, "wu_rest_invalid_parameter", []string{"membership_id"}},
		{`{"customer_id": 6, "membership_id": 10}`, 400, "wu_rest_invalid_parameter", []string{"membership_id"}},
		{`{"template_id": 42, "type": "castle", "path": "nope", "domain": "exa mple.com"}`, 400, "wu_rest_invalid_parameter", []string{"template_id", "type", "path", "domain"}},
		{`{"slug": "Bad_Code!"}`, 400, "wu_rest_invalid_parameter", []string{"code_site"}},
		{`{"slug": "../../etc"}`, 400, "wu_rest_invalid_parameter", []string{"code_site"}},
		{`{"title": "x", "colour": "red"}`, 400, "wu_rest_invalid_parameter", []string{"colour"}},
		{`{"active": "maybe"}`, 400, "wu_rest_invalid_parameter", []string{"active"}},
		{`{"title": `, 400, "rest_invalid_json", nil},
		{`{"slug": "default-template"}`, 409, "wu_rest_conflict", []string{"code_site"}},
	} {
		wuError(t, h.do("POST", "/wp-json/wu/v2/sites", tt.body, root), tt.status, tt.code, tt.params...)
	}
	// A key restricted to customer 5 creates for customer 5 only.
	wuError(t, h.do("POST", "/wp-json/wu/v2/sites", `{"customer_id": 6, "title": "x"}`, restricted(5)), 400, "wu_rest_invalid_parameter", "customer_id")
	m := object(t, h.ok("POST", "/wp-json/wu/v2/sites", `{"title": "Mine"}`))
	if m["customer_id"] != nil {
		t.Fatalf("root site has a customer: %v", m)
	}
	rec := h.do("POST", "/wp-json/wu/v2/sites", `{"title": "Theirs"}`, restricted(5))
	if rec.Code != 200 || object(t, rec)["customer_id"] != 5.0 {
		t.Fatalf("restricted create: %d %s", rec.Code, rec.Body)
	}
}

func TestWUListGetUpdateDelete(t *testing.T) {
	h := newHarness(t)
	a := object(t, h.ok("POST", "/wp-json/wu/v2/sites", `{"title":"Alpha bakery","customer_id":5}`))
	b := object(t, h.ok("POST", "/wp-json/wu/v2/sites", `{"title":"Beta florist","customer_id":6}`))
	aID, bID := itoa(int64(a["id"].(float64))), itoa(int64(b["id"].(float64)))

	rec := h.ok("GET", "/wp-json/wu/v2/sites?per_page=2&page=1&orderby=id&order=asc", "")
	if rec.Header()["X-WP-Total"][0] != "3" || rec.Header()["X-WP-TotalPages"][0] != "2" || len(array(t, rec)) != 2 {
		t.Fatalf("list: %v %s", rec.Header(), rec.Body)
	}
	if l := array(t, h.ok("GET", "/wp-json/wu/v2/site?search=BAKERY", "")); len(l) != 1 || l[0]["title"] != "Alpha bakery" {
		t.Fatalf("search: %v", l)
	}
	if l := array(t, h.ok("GET", "/wp-json/wu/v2/sites?customer_id=6", "")); len(l) != 1 || l[0]["slug"] != "beta-florist" {
		t.Fatalf("customer filter: %v", l)
	}
	if l := array(t, h.ok("GET", "/wp-json/wu/v2/sites?type=site_template", "")); len(l) != 1 || l[0]["id"] != 1.0 {
		t.Fatalf("templates: %v", l)
	}
	wuError(t, h.do("GET", "/wp-json/wu/v2/sites?orderby=password&per_page=500", "", root), 400, "wu_rest_invalid_parameter", "orderby", "per_page")

	// A restricted key sees its customer's sites only; others are 404.
	if l := array(t, h.do("GET", "/wp-json/wu/v2/sites", "", restricted(5))); len(l) != 1 || l[0]["id"] != a["id"] {
		t.Fatalf("restricted list: %v", l)
	}
	wuError(t, h.do("GET", "/wp-json/wu/v2/sites/"+bID, "", restricted(5)), 404, "wu_rest_site_invalid_id")
	wuError(t, h.do("PUT", "/wp-json/wu/v2/sites/"+bID, `{"title":"x"}`, restricted(5)), 404, "wu_rest_site_invalid_id")
	wuError(t, h.do("DELETE", "/wp-json/wu/v2/sites/"+bID, "", restricted(5)), 404, "wu_rest_site_invalid_id")
	wuError(t, h.do("GET", "/wp-json/wu/v2/sites/999", "", root), 404, "wu_rest_site_invalid_id")
	wuError(t, h.do("GET", "/wp-json/wu/v2/sites/abc", "", root), 404, "wu_rest_site_invalid_id")

	for _, m := range []string{"PUT", "PATCH", "POST"} {
		rec := h.ok(m, "/wp-json/wu/v2/sites/"+aID, `{"description":"`+m+`","public":0}`)
		if o := object(t, rec); o["description"] != m || o["public"] != false || o["title"] != "Alpha bakery" {
			t.Fatalf("%s update: %s", m, rec.Body)
		}
	}
	if o := object(t, h.ok("PATCH", "/wp-json/wu/v2/sites/"+aID, `{"active":false}`)); o["status"] != "suspended" {
		t.Fatalf("deactivate: %v", o)
	}
	wuError(t, h.do("PATCH", "/wp-json/wu/v2/sites/"+aID, `{"slug":"other"}`, root), 400, "wu_rest_invalid_parameter", "slug")
	wuError(t, h.do("PATCH", "/wp-json/wu/v2/sites/999", `{"bogus":1}`, root), 404, "wu_rest_site_invalid_id")

	root := h.root(int64(a["id"].(float64)))
	rec = h.ok("DELETE", "/wp-json/wu/v2/sites/"+aID, "")
	if !strings.HasPrefix(rec.Body.String(), `{"deleted":true,"previous":{"id":`+aID) {
		t.Fatalf("delete: %s", rec.Body)
	}
	if _, err := os.Stat(root); !os.IsNotExist(err) {
		t.Fatalf("files remain: %v", err)
	}
	wuError(t, h.do("GET", "/wp-json/wu/v2/sites/"+aID, "", nil), http.StatusUnauthorized, "rest_forbidden")
}
