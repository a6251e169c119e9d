package e2e

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hostplane/hostplane/libs/principal"
	"github.com/hostplane/hostplane/libs/testenv"
)

// sbData decodes an sb answer's data, failing unless meta.success.
func sbData(t *testing.T, resp *http.Response, body string) map[string]any {
	t.Helper()
	var env struct {
		Meta struct {
			Success bool `json:"success"`
		} `json:"meta"`
		Data json.RawMessage `json:"data"`
	}
	if err := json.Unmarshal([]byte(body), &env); err != nil || !env.Meta.Success || resp.StatusCode != 200 {
		t.Fatalf("sb answer %d: %s", resp.StatusCode, body)
	}
	var m map[string]any
	_ = json.Unmarshal(env.Data, &m)
	return m
}

// env returns the value of k in the stack's environment.
func (s *stack) envValue(k string) string {
	for _, kv := range s.env {
		if v, ok := strings.CutPrefix(kv, k+"="); ok {
			return v
		}
	}
	return ""
}

// waitJob follows an sb job until it ends.
func (s *stack) waitJob(a auth, code string, id int64) map[string]any {
	s.t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		resp, body := s.request("GET", "/v1/sites/"+code+"/jobs/"+strconv.FormatInt(id, 10)+".json", a, nil)
		j := sbData(s.t, resp, body)
		if j["status"] == "done" || j["status"] == "halt" {
			return j
		}
		if time.Now().After(deadline) {
			s.t.Fatalf("job %d: %s", id, body)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// TestE2ESites drives sites, domains, backups and jobs through the real
// gateway as shared/reference shows them, then the CLI and billing's
// membership events over the real Redis.
func TestE2ESites(t *testing.T) {
	s := startStack(t, 1)
	key, secret, _ := s.createKey([]string{"*"}, nil)
	wuA, sbA := basic(key, secret), token(key, secret)

	// A customer for the documented bodies.
	resp, body := s.request("POST", "/wp-json/wu/v2/customers", wuA, `{"username":"sitesowner","email":"owner@example.com","password":"s3cret-pass"}`)
	if resp.StatusCode != 200 {
		t.Fatalf("customer: %d %s", resp.StatusCode, body)
	}
	var cust map[string]any
	_ = json.Unmarshal([]byte(body), &cust)
	cid := strconv.FormatInt(int64(cust["id"].(float64)), 10)

	// wu: the documented create body (with this installation's customer;
	// template 1 is the default template).
	resp, body = s.request("POST", "/wp-json/wu/v2/sites", wuA, `{
"customer_id": `+cid+`,
"domain": "example.com",
"path": "/",
"title": "My New Site",
"template_id": 1,
"type": "customer_owned"
}`)
	if resp.StatusCode != 200 || !strings.Contains(body, `"slug":"example"`) || !strings.Contains(body, `"customer_id":`+cid) {
		t.Fatalf("documented site create: %d %s", resp.StatusCode, body)
	}
	var wsite map[string]any
	_ = json.Unmarshal([]byte(body), &wsite)
	siteID := strconv.FormatInt(int64(wsite["id"].(float64)), 10)
	root := filepath.Join(s.envValue("HOSTPLANE_DATA_DIR"), "sites", siteID)
	if fi, err := os.Stat(filepath.Join(root, "medias")); err != nil || !fi.IsDir() {
		t.Fatalf("site root %s: %v", root, err)
	}
	resp, body = s.request("POST", "/wp-json/wu/v2/site", wuA, `{"domain":"example.com","title":"dup"}`)
	if resp.StatusCode != 409 || !strings.Contains(body, `"code":"wu_rest_conflict"`) {
		t.Fatalf("duplicate domain: %d %s", resp.StatusCode, body)
	}
	resp, body = s.request("GET", "/wp-json/wu/v2/sites?search=example", wuA, nil)
	if resp.StatusCode != 200 || resp.Header.Get("X-WP-Total") != "1" {
		t.Fatalf("list: %d %v %s", resp.StatusCode, resp.Header, body)
	}

	// wu: the documented domain body, as written but for the customer.
	resp, body = s.request("POST", "/wp-json/wu/v2/domains", wuA, `{
"domain": "custom-domain.com",
"customer_id": `+cid+`,
"primary_domain": 1,
"stage": "domain-mapping"
}`)
	if resp.StatusCode != 200 || !strings.Contains(body, `"blog_id":`+siteID) || !strings.Contains(body, `"stage":"checking-dns"`) ||
		!strings.Contains(body, `"primary_domain":true`) {
		t.Fatalf("documented domain create: %d %s", resp.StatusCode, body)
	}
	resp, body = s.request("POST", "/wp-json/wu/v2/domains", wuA, `{"domain":"CUSTOM-domain.com","blog_id":`+siteID+`}`)
	if resp.StatusCode != 409 {
		t.Fatalf("duplicate domain mapping: %d %s", resp.StatusCode, body)
	}

	// A key restricted to another customer: 404, never 403.
	otherKey, otherSecret, _ := s.createKey([]string{"*"}, map[string]any{"customer_id": 424242})
	if resp, body := s.request("GET", "/wp-json/wu/v2/sites/"+siteID, basic(otherKey, otherSecret), nil); resp.StatusCode != 404 {
		t.Fatalf("another customer's site: %d %s", resp.StatusCode, body)
	}
	if resp, body := s.request("GET", "/v1/sites/example.json", token(otherKey, otherSecret), nil); resp.StatusCode != 404 || !strings.Contains(body, `"code":4401`) {
		t.Fatalf("another customer's sb site: %d %s", resp.StatusCode, body)
	}

	// sb: detail, list, backups and restore on that site.
	resp, body = s.request("GET", "/v1/sites/example.json?extra_fields[]=scopes", sbA, nil)
	if d := sbData(t, resp, body); d["code_site"] != "example" || d["plan"] == nil || d["scopes"] == nil {
		t.Fatalf("sb detail %s", body)
	}
	resp, body = s.request("GET", "/v1/sites.json?term=exam&sort=relevance&limit=20&page=0", sbA, nil)
	if resp.StatusCode != 200 || !strings.Contains(body, `"items_count":1`) {
		t.Fatalf("sb list %s", body)
	}
	if err := os.WriteFile(filepath.Join(root, "datas", "page.html"), []byte("version 1"), 0o640); err != nil {
		t.Fatal(err)
	}
	resp, body = s.request("POST", "/v1/sites/example/backups.json", sbA, nil, "Idempotency-Key", "e2e-backup-1")
	job := int64(sbData(t, resp, body)["job_id"].(float64))
	resp2, body2 := s.request("POST", "/v1/sites/example/backups.json", sbA, nil, "Idempotency-Key", "e2e-backup-1")
	if again := int64(sbData(t, resp2, body2)["job_id"].(float64)); again != job {
		t.Fatalf("idempotent POST made job %d then %d", job, again)
	}
	if j := s.waitJob(sbA, "example", job); j["status"] != "done" {
		t.Fatalf("backup job %v", j)
	}
	resp, body = s.request("GET", "/v1/sites/example/backups.json", sbA, nil)
	var list struct {
		Data []struct{ ID, CreationDate string } `json:"data"`
	}
	_ = json.Unmarshal([]byte(body), &list)
	if len(list.Data) != 1 {
		t.Fatalf("backups %s", body)
	}
	_ = os.WriteFile(filepath.Join(root, "datas", "page.html"), []byte("version 2"), 0o640)
	// Restore through the CLI, as an operator would (not a terminal: lines).
	cmd := exec.Command(s.bin, "sites", "restore", "example", list.Data[0].ID, "--wait", "--addr="+s.gatewayURL)
	cmd.Env = append(os.Environ(), "HOSTPLANE_ROOT_API_KEY="+s.rootKey, "HOSTPLANE_ROOT_API_SECRET="+s.rootSecret)
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "done") {
		t.Fatalf("hostplane sites restore: %v\n%s", err, out)
	}
	if b, _ := os.ReadFile(filepath.Join(root, "datas", "page.html")); string(b) != "version 1" {
		t.Fatalf("restored %q", b)
	}
	// The operations dashboards' series.
	waitSitesMetric(t, s, `hostplane_sites_jobs_total{state="done",type="backup"}`, 1)
	waitSitesMetric(t, s, `hostplane_sites_jobs_total{state="done",type="restore"}`, 1)
	waitSitesMetric(t, s, `hostplane_sites_jobs_total{state="halt",type="copy"}`, 0)
	waitSitesMetric(t, s, `hostplane_sites_jobs_queued`, 0)
	waitSitesMetric(t, s, `hostplane_sites_backup_bytes_total`, 1)
	// A halted job is a failing exit status.
	cmd = exec.Command(s.bin, "sites", "restore", "example", "19990101-000000", "--wait", "--addr="+s.gatewayURL)
	cmd.Env = append(os.Environ(), "HOSTPLANE_ROOT_API_KEY="+s.rootKey, "HOSTPLANE_ROOT_API_SECRET="+s.rootSecret)
	if out, err := cmd.CombinedOutput(); err == nil || !strings.Contains(string(out), "4401") {
		t.Fatalf("restore of an unknown backup: %v\n%s", err, out)
	}

	// sb create: every missing field named in one 4001, tunnelled as a form
	// POST the way Kiubi's client sends it.
	resp, body = s.request("POST", "/v1/sites.json", sbA, "method=POST&site_name=x", "Content-Type", "application/x-www-form-urlencoded")
	if resp.StatusCode != 400 || !strings.Contains(body, `"code":4001`) || !strings.Contains(body, `"contact_civility"`) || !strings.Contains(body, `"plan_id"`) {
		t.Fatalf("sb create without fields: %d %s", resp.StatusCode, body)
	}
	form := url.Values{"method": {"POST"}, "plan_id": {"999999"}, "code_site": {"copied"}, "copy_site": {"example"}, "site_name": {"Copied"},
		"contact_firstname": {"Ann"}, "contact_lastname": {"Lee"}, "contact_civility": {"Mrs"}, "contact_email": {"ann@example.com"},
		"contact_address": {"1 rue"}, "contact_zipcode": {"75002"}, "contact_city": {"Paris"}, "contact_country_id": {"73"},
		"contact_phone": {"0102030405"}}
	resp, body = s.request("POST", "/v1/sites.json", sbA, form.Encode(), "Content-Type", "application/x-www-form-urlencoded")
	if resp.StatusCode != 400 || !strings.Contains(body, `"plan_id"`) {
		t.Fatalf("sb create with an unknown plan: %d %s", resp.StatusCode, body)
	}
	// Tunnelled GET and DELETE.
	resp, body = s.request("POST", "/v1/sites/example.json", sbA, "method=GET", "Content-Type", "application/x-www-form-urlencoded")
	if d := sbData(t, resp, body); d["code_site"] != "example" {
		t.Fatalf("tunnelled GET %s", body)
	}

	t.Run("membership events over Redis", func(t *testing.T) { membershipEvents(t, s, sbA) })

	resp, body = s.request("POST", "/v1/sites/example.json", sbA, "method=DELETE", "Content-Type", "application/x-www-form-urlencoded")
	sbData(t, resp, body)
	if resp, body := s.request("PUT", "/v1/sites/example/backups/"+list.Data[0].ID+".json", sbA, nil); resp.StatusCode != 404 || !strings.Contains(body, `"code":4401`) {
		t.Fatalf("restore of a deleted site's backup: %d %s", resp.StatusCode, body)
	}
	if _, err := os.Stat(root); !os.IsNotExist(err) {
		t.Fatalf("a deleted site's files remain: %v", err)
	}
}

// membershipEvents plays billing: a site of a membership (made through
// the internal API, which takes billing's word for the membership), then
// membership.suspended and .unsuspended on billing's stream in the real
// Redis. Other installations on the same Redis may share the consumer
// group, so an event is sent again (new id) until this one applies it.
func membershipEvents(t *testing.T, s *stack, sbA auth) {
	membership := 900000000 + rand.Int64N(99999999)
	code := "member-" + strconv.FormatInt(membership, 10)
	signer := principal.NewSigner(s.envValue("HOSTPLANE_INTERNAL_SECRET"))
	body := fmt.Sprintf(`{"code":%q,"membership_id":%d,"title":"Member"}`, code, membership)
	req, _ := http.NewRequest("POST", "http://"+s.proc("sites", 0).addr+"/internal/v1/sites", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	_ = signer.Apply(req.Header, "POST", "/internal/v1/sites", &principal.Principal{System: true, Permissions: []string{"*"}})
	resp, err := client.Do(req)
	if err != nil || resp.StatusCode != 201 {
		t.Fatalf("internal create: %v %v", err, resp)
	}
	resp.Body.Close()
	closed := func() bool {
		resp, body := s.request("GET", "/v1/sites/"+code+".json", sbA, nil)
		return sbData(t, resp, body)["plan"].(map[string]any)["is_closed"] == true
	}
	for _, step := range []struct {
		typ    string
		closed bool
	}{{"membership.suspended", true}, {"membership.unsuspended", false}} {
		deadline := time.Now().Add(20 * time.Second)
		for closed() != step.closed {
			if time.Now().After(deadline) {
				t.Fatalf("%s not applied", step.typ)
			}
			xadd(t, "hostplane:events:billing", step.typ, membership)
			time.Sleep(500 * time.Millisecond)
		}
	}
}

// xadd appends a billing event to a Redis stream, speaking RESP.
func xadd(t *testing.T, stream, typ string, membership int64) {
	t.Helper()
	u, err := url.Parse(testenv.RedisURL())
	if err != nil {
		t.Fatal(err)
	}
	conn, err := net.DialTimeout("tcp", u.Host, 2*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	ev, _ := json.Marshal(map[string]any{
		"id": fmt.Sprintf("e2e-%d-%d", membership, rand.Int64()), "type": typ, "source": "billing",
		"subject": fmt.Sprintf("membership:%d", membership), "time": time.Now().UTC(),
		"data": map[string]any{"membership_id": membership, "customer_id": 0, "plan_id": 0, "site_id": 0, "status": "x"},
	})
	args := []string{"XADD", stream, "*", "event", string(ev)}
	var b bytes.Buffer
	fmt.Fprintf(&b, "*%d\r\n", len(args))
	for _, a := range args {
		fmt.Fprintf(&b, "$%d\r\n%s\r\n", len(a), a)
	}
	_ = conn.SetDeadline(time.Now().Add(2 * time.Second))
	if _, err := conn.Write(b.Bytes()); err != nil {
		t.Fatal(err)
	}
	line, err := bufio.NewReader(conn).ReadString('\n')
	if err != nil || !strings.HasPrefix(line, "$") {
		t.Fatalf("XADD: %q %v", line, err)
	}
}
