package transport_test

import (
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// sbBody is a complete create body for code.
func sbBody(code string, extra ...string) string {
	v := url.Values{
		"plan_id": {"3"}, "code_site": {code}, "site_name": {"Site " + code}, "contact_firstname": {"Ann"},
		"contact_lastname": {"Lee"}, "contact_civility": {"Mrs"}, "contact_email": {"ann@example.com"},
		"contact_address": {"1 rue de la Paix"}, "contact_zipcode": {"75002"}, "contact_city": {"Paris"},
		"contact_country_id": {"73"}, "contact_phone": {"+33102030405"}, "company_name": {"ACME"},
	}
	for i := 0; i+1 < len(extra); i += 2 {
		v.Set(extra[i], extra[i+1])
	}
	return v.Encode()
}

func (h *harness) sbCreate(code string, extra ...string) map[string]any {
	h.t.Helper()
	rec := h.ok("POST", "/v1/sites.json", sbBody(code, extra...))
	id := int64(sbData(h.t, rec).(map[string]any)["job_id"].(float64))
	j := h.waitJob(code, id)
	if j["status"] != "done" {
		h.t.Fatalf("create job: %v", j)
	}
	return j
}

func TestSBCreateValidation(t *testing.T) {
	h := newHarness(t)
	// Every missing required field named, code 4001.
	sbError(t, h.do("POST", "/v1/sites.json", "site_name=x", root), 400, 4001,
		"plan_id", "code_site", "contact_firstname", "contact_lastname", "contact_civility", "contact_email",
		"contact_address", "contact_zipcode", "contact_city", "contact_country_id", "contact_phone")
	sbError(t, h.do("POST", "/v1/sites.json", `{"code_site":"abc"}`, root), 400, 4001)
	// Then invalid values, 4002.
	sbError(t, h.do("POST", "/v1/sites.json", sbBody("Bad Code", "contact_civility", "Dr", "contact_email", "nope"), root), 400, 4002,
		"code_site", "contact_civility", "contact_email")
	sbError(t, h.do("POST", "/v1/sites.json", sbBody("abc", "plan_id", "99"), root), 400, 4002, "plan_id")
	sbError(t, h.do("POST", "/v1/sites.json", sbBody("abc", "plan_id", "7"), root), 400, 4002, "plan_id")
	sbError(t, h.do("POST", "/v1/sites.json", sbBody("abc", "copy_site", "nothing"), root), 400, 4002, "copy_site")
	sbError(t, h.do("POST", "/v1/sites.json", sbBody("default-template"), root), 409, 4002, "code_site")
	// JSON bodies work too, numbers for ids.
	rec := h.ok("POST", "/v1/sites.json", `{"plan_id":3,"code_site":"json-site","site_name":"J","contact_firstname":"A","contact_lastname":"B",
		"contact_civility":"Mr","contact_email":"a@example.com","contact_address":"x","contact_zipcode":"1","contact_city":"c",
		"contact_country_id":73,"contact_phone":"1"}`)
	if id := sbData(t, rec).(map[string]any)["job_id"].(float64); id < 1 {
		t.Fatalf("job id %v", id)
	}
}

func TestSBSiteLifecycle(t *testing.T) {
	h := newHarness(t)
	writeFile(t, filepath.Join(h.root(1), "datas", "page.html"), "from the template")
	j := h.sbCreate("bakery")
	res := j["result"].(map[string]any)
	if res["code_site"] != "bakery" || j["progression"] != 100.0 || j["error"] != nil {
		t.Fatalf("job %v", j)
	}
	id := int64(res["site_id"].(float64))
	// Without copy_site the site starts empty.
	if _, err := os.Stat(filepath.Join(h.root(id), "datas", "page.html")); !os.IsNotExist(err) {
		t.Fatalf("an sb site without copy_site has files: %v", err)
	}
	writeFile(t, filepath.Join(h.root(id), "medias", "logo.png"), "PNG")
	// copy_site copies the files.
	j2 := h.sbCreate("bakery-copy", "copy_site", "bakery")
	copyID := int64(j2["result"].(map[string]any)["site_id"].(float64))
	if got := readFile(t, filepath.Join(h.root(copyID), "medias", "logo.png")); got != "PNG" {
		t.Fatalf("copied %q", got)
	}

	rec := h.ok("GET", "/v1/sites/bakery.json?extra_fields[]=scopes&extra_fields[]=features&extra_fields[]=account", "")
	d := sbData(t, rec).(map[string]any)
	plan := d["plan"].(map[string]any)
	if d["code_site"] != "bakery" || d["name"] != "Site bakery" || d["domain"] != "bakery.hostplane.test" ||
		plan["plan_id"] != 3.0 || plan["plan_name"] != "Pro" || plan["is_closed"] != false || plan["is_trial"] != false ||
		d["creation_date"] == "" || d["backoffice"] == "" {
		t.Fatalf("detail %s", rec.Body)
	}
	if _, ok := d["scopes"].([]any); !ok {
		t.Fatalf("scopes missing: %s", rec.Body)
	}
	if _, ok := d["features"].([]any); !ok {
		t.Fatalf("features missing: %s", rec.Body)
	}
	plain := sbData(t, h.ok("GET", "/v1/sites/bakery.json", "")).(map[string]any)
	if _, ok := plain["scopes"]; ok {
		t.Fatal("scopes without extra_fields")
	}
	sbError(t, h.do("GET", "/v1/sites/bakery.json?extra_fields=secrets", "", root), 400, 4002, "extra_fields")
	sbError(t, h.do("GET", "/v1/sites/nothing.json", "", root), 404, 4401)
	sbError(t, h.do("GET", "/v1/sites/BAD_CODE.json", "", root), 404, 4401)

	// Lists: term, type, sort, paging and its limits.
	rec = h.ok("GET", "/v1/sites.json?term=bakery&sort=-code_site&limit=1&page=0", "")
	if !strings.Contains(rec.Body.String(), `"items_count":2`) || !strings.Contains(rec.Body.String(), `"code_site":"bakery-copy"`) ||
		!strings.Contains(rec.Body.String(), `"next_page":"/v1/sites.json?sort=-code_site&term=bakery&limit=1&page=1"`) {
		t.Fatalf("list %s", rec.Body)
	}
	if l := sbData(t, h.ok("GET", "/v1/sites.json?term=bakery&sort=relevance", "")).([]any); l[0].(map[string]any)["code_site"] != "bakery" {
		t.Fatalf("relevance %v", l)
	}
	if l := sbData(t, h.ok("GET", "/v1/sites.json?type=closed", "")).([]any); len(l) != 0 {
		t.Fatalf("closed %v", l)
	}
	sbError(t, h.do("GET", "/v1/sites.json?limit=21&sort=name&type=dead", "", root), 400, 4002, "limit", "sort", "type")

	// Delete: gone, files gone, and its code free again.
	dir := h.root(id)
	if sbData(t, h.ok("DELETE", "/v1/sites/bakery.json", "")) != true {
		t.Fatal("delete answer")
	}
	sbError(t, h.do("GET", "/v1/sites/bakery.json", "", root), 404, 4401)
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Fatalf("files remain: %v", err)
	}
	h.sbCreate("bakery")
}

func TestSBRestrictedKey(t *testing.T) {
	h := newHarness(t)
	h.ok("POST", "/wp-json/wu/v2/sites", `{"slug":"five","customer_id":5}`)
	h.ok("POST", "/wp-json/wu/v2/sites", `{"slug":"six","customer_id":6}`)
	if rec := h.do("GET", "/v1/sites/five.json", "", restricted(5)); rec.Code != 200 {
		t.Fatalf("own site: %d %s", rec.Code, rec.Body)
	}
	for _, tt := range []struct{ method, path string }{
		{"GET", "/v1/sites/six.json"}, {"DELETE", "/v1/sites/six.json"}, {"GET", "/v1/sites/six/backups.json"},
		{"POST", "/v1/sites/six/backups.json"}, {"PUT", "/v1/sites/six/backups/20261123-210251.json"},
	} {
		sbError(t, h.do(tt.method, tt.path, "", restricted(5)), 404, 4401)
	}
	rec := h.do("GET", "/v1/sites.json", "", restricted(5))
	if !strings.Contains(rec.Body.String(), `"items_count":1`) {
		t.Fatalf("restricted list %s", rec.Body)
	}
	// A job of customer 6's site is not customer 5's to see.
	j := sbData(t, h.ok("POST", "/v1/sites/six/backups.json", "")).(map[string]any)
	sbError(t, h.do("GET", "/v1/sites/six/jobs/"+itoa(int64(j["job_id"].(float64)))+".json", "", restricted(5)), 404, 4401)
	sbError(t, h.do("GET", "/v1/sites/five/jobs/"+itoa(int64(j["job_id"].(float64)))+".json", "", restricted(5)), 404, 4401)
}
