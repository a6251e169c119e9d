package e2e

import (
	"bytes"
	"context"
	"crypto/aes"
	"crypto/cipher"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// tenantStatus polls nothing: one migration-status answer.
func (s *stack) tenantStatus(a auth, id string) map[string]any {
	s.t.Helper()
	resp, body := s.request("GET", "/wp-json/wu/v2/tenants/"+id+"/migration-status", a, nil)
	var m map[string]any
	if err := json.Unmarshal([]byte(body), &m); err != nil || resp.StatusCode != 200 {
		s.t.Fatalf("migration-status %s: %d %s", id, resp.StatusCode, body)
	}
	return m
}

// rows is the text of the rows of query on database u.
func rows(t *testing.T, u, query string) []string {
	t.Helper()
	ctx := context.Background()
	c, err := pgx.Connect(ctx, u)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close(ctx)
	r, err := c.Query(ctx, query)
	if err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	out, err := pgx.CollectRows(r, pgx.RowTo[string])
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func execSQL(t *testing.T, u string, stmts ...string) {
	t.Helper()
	ctx := context.Background()
	c, err := pgx.Connect(ctx, u)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close(ctx)
	for _, q := range stmts {
		if _, err := c.Exec(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
}

// siteSnapshot is every row of site id's shared-model tables in u.
func siteSnapshot(t *testing.T, u, id string) []string {
	t.Helper()
	var out []string
	for _, tb := range []string{"options", "posts", "users"} {
		out = append(out, rows(t, u, fmt.Sprintf(`SELECT '%[1]s ' || r::text FROM s%[2]s_%[1]s r ORDER BY 1`, tb, id))...)
	}
	return out
}

// unseal reads site id's role password from the tenancy database, as the
// service stores it (AES-256-GCM, nonce first, aad tenant:<id>:<role>).
func unseal(t *testing.T, ts *tenancyStack, id string) string {
	t.Helper()
	ctx := context.Background()
	c, err := pgx.Connect(ctx, ts.tenancyDB)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close(ctx)
	var sealed []byte
	var role string
	if err := c.QueryRow(ctx, `SELECT sealed_password, role_name FROM tenants WHERE site_id = $1`, id).Scan(&sealed, &role); err != nil {
		t.Fatal(err)
	}
	block, _ := aes.NewCipher(ts.key)
	gcm, _ := cipher.NewGCM(block)
	plain, err := gcm.Open(nil, sealed[:12], sealed[12:], []byte("tenant:"+id+":"+role))
	if err != nil {
		t.Fatal(err)
	}
	return string(plain)
}

// createTenantSite creates a customer's site through the gateway (the wu
// documented body) and waits until tenancy, told by the site.created event
// over Redis, created its tables in the shared hosting database.
func createTenantSite(t *testing.T, s *stack, a auth, ts *tenancyStack, username, domain string) (id, customer, root string) {
	t.Helper()
	resp, body := s.request("POST", "/wp-json/wu/v2/customers", a, `{"username":"`+username+`","email":"`+username+`@example.com","password":"s3cret-pass"}`)
	if resp.StatusCode != 200 {
		t.Fatalf("customer: %d %s", resp.StatusCode, body)
	}
	var cust map[string]any
	_ = json.Unmarshal([]byte(body), &cust)
	customer = strconv.FormatInt(int64(cust["id"].(float64)), 10)
	resp, body = s.request("POST", "/wp-json/wu/v2/sites", a, `{"customer_id": `+customer+`, "domain": "`+domain+`", "path": "/", "title": "Sovereign", "type": "customer_owned"}`)
	if resp.StatusCode != 200 {
		t.Fatalf("site: %d %s", resp.StatusCode, body)
	}
	var site map[string]any
	_ = json.Unmarshal([]byte(body), &site)
	id = strconv.FormatInt(int64(site["id"].(float64)), 10)
	// wu's site_path never shows the server's path: the sites service keeps
	// a site's root at <data dir>/sites/<id>.
	root = filepath.Join(s.envValue("HOSTPLANE_DATA_DIR"), "sites", id)
	deadline := time.Now().Add(20 * time.Second)
	for {
		got := rows(t, ts.hostingDB, `SELECT tablename::text FROM pg_tables WHERE tablename LIKE 's`+id+`\_%' ORDER BY 1`)
		if reflect.DeepEqual(got, []string{"s" + id + "_options", "s" + id + "_posts", "s" + id + "_users"}) {
			return id, customer, root
		}
		if time.Now().After(deadline) {
			t.Fatalf("site.created did not create the shared tables of site %s: %v", id, got)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// TestE2ETenancy drives the sovereign tenant endpoints through the real
// gateway: a site created over the gateway gets its shared tables from the
// site.created event; the CLI bootstraps it and waits until ready; the
// documented migration-status answer comes back with every check passed,
// the data in the tenant's database, the files under the tenant directory
// and the routing entry in Consul; then verify, access rules, and a
// teardown that leaves nothing.
func TestE2ETenancy(t *testing.T) {
	s := startStack(t, 1)
	ts := tenancyOf(t)
	key, secret, _ := s.createKey([]string{"*"}, nil)
	wuA := basic(key, secret)

	id, customer, root := createTenantSite(t, s, wuA, ts, "sovereign1", "sovereign-one.example.com")
	execSQL(t, ts.hostingDB,
		`INSERT INTO s`+id+`_users (user_login, user_email) SELECT 'u' || g, 'u' || g || '@example.com' FROM generate_series(1, 200) g`,
		`INSERT INTO s`+id+`_posts (post_author, post_title, post_content) SELECT g, 'Post ' || g, repeat('body ', g) FROM generate_series(1, 200) g`,
		`INSERT INTO s`+id+`_options (option_name, option_value) VALUES ('blogname', 'Sovereign'), ('siteurl', 'https://sovereign-one.example.com')`)
	before := siteSnapshot(t, ts.hostingDB, id)

	if m := s.tenantStatus(wuA, id); m["isolation_model"] != "shared" || m["state"] != "shared" || m["ready"] != false {
		t.Fatalf("before: %v", m)
	}

	// The CLI bootstraps and waits; exit status 0 only when ready.
	cmd := exec.Command(s.bin, "tenants", "bootstrap", id, "--wait", "--addr="+s.gatewayURL)
	cmd.Env = append(os.Environ(), "HOSTPLANE_ROOT_API_KEY="+s.rootKey, "HOSTPLANE_ROOT_API_SECRET="+s.rootSecret)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("tenants bootstrap --wait: %v\n%s\n%s", err, stdout.String(), stderr.String())
	}
	if !strings.Contains(stderr.String(), "100% ready") || !strings.Contains(stdout.String(), `"ready": true`) {
		t.Fatalf("cli output:\n%s\n%s", stdout.String(), stderr.String())
	}

	// The documented shape, as written in the reference, plus state, step
	// and error.
	m := s.tenantStatus(wuA, id)
	want := map[string]any{
		"site_id": float64(mustAtoi(id)), "isolation_model": "sovereign", "database_host": m["database_host"],
		"verification": map[string]any{"no_legacy": "passed", "sovereign_push": "passed", "tenant_users": "passed"},
		"ready":        true, "state": "ready", "step": nil, "error": nil,
	}
	if !reflect.DeepEqual(m, want) || m["database_host"] == "" {
		t.Fatalf("migration-status\n got %v\nwant %v", m, want)
	}
	server := ts.servers[0]
	if h, _ := m["database_host"].(string); strings.HasSuffix(h, ":5433") && len(ts.servers) > 1 {
		server = ts.servers[1]
	}
	tenantDB := databaseURL(server, ts.prefix+id)
	if got := siteSnapshot(t, tenantDB, id); !reflect.DeepEqual(got, before) {
		t.Fatalf("data after the move: %d rows, want %d", len(got), len(before))
	}
	if got := rows(t, ts.hostingDB, `SELECT tablename::text FROM pg_tables WHERE tablename LIKE 's`+id+`\_%'`); len(got) != 0 {
		t.Fatalf("legacy tables: %v", got)
	}
	// The site's files are under the tenant directory, the old root leads there.
	var tenantDir string
	{
		dest, err := os.Readlink(root)
		if err != nil || !strings.Contains(dest, filepath.Join("tenants", ts.prefix+id)) {
			t.Fatalf("site root %s: %q %v", root, dest, err)
		}
		tenantDir = filepath.Dir(dest)
		if fi, err := os.Stat(tenantDir); err != nil || fi.Mode().Perm() != 0o750 {
			t.Fatalf("tenant directory: %v %v", fi, err)
		}
		if fi, err := os.Stat(filepath.Join(root, "medias")); err != nil || !fi.IsDir() {
			t.Fatalf("medias through the old root: %v", err)
		}
	}
	// Routing entry in Consul.
	kv := consulKV(t, s, ts.kvPrefix+id)
	if kv["isolation_model"] != "sovereign" || kv["database_name"] != ts.prefix+id || kv["database_host"] != m["database_host"] {
		t.Fatalf("routing entry %v", kv)
	}
	password := unseal(t, ts, id)

	// Again: 200, same state. Verify runs the checks: 200, ready.
	resp, body := s.request("POST", "/wp-json/wu/v2/tenants/"+id+"/bootstrap", wuA, nil)
	if resp.StatusCode != 200 || !strings.Contains(body, `"ready":true`) {
		t.Fatalf("bootstrap again: %d %s", resp.StatusCode, body)
	}
	resp, body = s.request("POST", "/wp-json/wu/v2/tenants/"+id+"/verify", wuA, nil)
	if resp.StatusCode != 200 || !strings.Contains(body, `"verification":{"no_legacy":"passed","sovereign_push":"passed","tenant_users":"passed"},"ready":true`) {
		t.Fatalf("verify: %d %s", resp.StatusCode, body)
	}
	// A planted legacy table is caught, then cleared.
	execSQL(t, ts.hostingDB, `CREATE TABLE s`+id+`_planted (x int)`)
	resp, body = s.request("POST", "/wp-json/wu/v2/tenants/"+id+"/verify", wuA, nil)
	if resp.StatusCode != 200 || !strings.Contains(body, `"no_legacy":"failed"`) || !strings.Contains(body, `"ready":false`) {
		t.Fatalf("verify with a planted table: %d %s", resp.StatusCode, body)
	}
	execSQL(t, ts.hostingDB, `DROP TABLE s`+id+`_planted`)
	if resp, body := s.request("POST", "/wp-json/wu/v2/tenants/"+id+"/verify", wuA, nil); !strings.Contains(body, `"ready":true`) {
		t.Fatalf("verify fixed: %d %s", resp.StatusCode, body)
	}

	// The dashboards' series counted it: one bootstrap to ready (timed), and
	// four verifications (the bootstrap's, then three by hand, one failed).
	resp, err := http.Get("http://" + s.proc("tenancy", 0).addr + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	for _, line := range []string{
		`hostplane_tenancy_bootstraps_total{result="ready"} 1`,
		`hostplane_tenancy_bootstraps_total{result="failed"} 0`,
		`hostplane_tenancy_bootstrap_duration_seconds_count 1`,
		`hostplane_tenancy_verifications_total{result="passed"} 3`,
		`hostplane_tenancy_verifications_total{result="failed"} 1`,
	} {
		if !strings.Contains(string(raw), "\n"+line+"\n") {
			t.Errorf("tenancy metrics: no %s", line)
		}
	}

	// Access: another customer's key sees 404, a key without the scope 403,
	// the owner's key its tenant; bad and unknown ids 404.
	other, otherSecret, _ := s.createKey([]string{"*"}, map[string]any{"customer_id": 424242})
	own, ownSecret, _ := s.createKey([]string{"tenants:index"}, map[string]any{"customer_id": mustAtoi(customer)})
	for _, r := range []struct {
		method, path string
		a            auth
		status       int
		code         string
	}{
		{"GET", id + "/migration-status", basic(other, otherSecret), 404, "wu_rest_tenant_invalid_id"},
		{"POST", id + "/verify", bearer(other, otherSecret), 404, "wu_rest_tenant_invalid_id"},
		{"DELETE", id, query(other, otherSecret), 404, "wu_rest_tenant_invalid_id"},
		{"POST", id + "/bootstrap", basic(own, ownSecret), 403, "rest_forbidden"},
		{"GET", "abc/migration-status", wuA, 404, "wu_rest_tenant_invalid_id"},
		{"POST", "-1/bootstrap", wuA, 404, "wu_rest_tenant_invalid_id"},
		{"GET", "987654/migration-status", wuA, 404, "wu_rest_tenant_invalid_id"},
	} {
		resp, body := s.request(r.method, "/wp-json/wu/v2/tenants/"+r.path, r.a, nil)
		if resp.StatusCode != r.status || !strings.Contains(body, `"code":"`+r.code+`"`) {
			t.Errorf("%s %s: %d %s", r.method, r.path, resp.StatusCode, body)
		}
	}
	if m := s.tenantStatus(basic(own, ownSecret), id); m["ready"] != true {
		t.Fatalf("owner: %v", m)
	}

	// Teardown: nothing left, twice; the CLI says it is no tenant now.
	resp, body = s.request("DELETE", "/wp-json/wu/v2/tenants/"+id, wuA, nil)
	if resp.StatusCode != 200 || !strings.Contains(body, `"deleted":true`) || !strings.Contains(body, `"previous":{"site_id":`+id) {
		t.Fatalf("delete: %d %s", resp.StatusCode, body)
	}
	for _, u := range ts.servers {
		if got := rows(t, u, `SELECT datname::text FROM pg_database WHERE datname = '`+ts.prefix+id+`' UNION ALL SELECT rolname::text FROM pg_roles WHERE rolname = '`+ts.prefix+id+`'`); len(got) != 0 {
			t.Fatalf("left behind: %v", got)
		}
	}
	if kv := consulKV(t, s, ts.kvPrefix+id); kv != nil {
		t.Fatalf("routing entry left: %v", kv)
	}
	for _, p := range []string{tenantDir, root} {
		if _, err := os.Lstat(p); !os.IsNotExist(err) {
			t.Fatalf("%s left after the teardown: %v", p, err)
		}
	}
	if resp, body := s.request("DELETE", "/wp-json/wu/v2/tenants/"+id, wuA, nil); resp.StatusCode != 200 {
		t.Fatalf("delete again: %d %s", resp.StatusCode, body)
	}
	cmd = exec.Command(s.bin, "tenants", "status", id, "--addr="+s.gatewayURL)
	cmd.Env = append(os.Environ(), "HOSTPLANE_ROOT_API_KEY="+s.rootKey, "HOSTPLANE_ROOT_API_SECRET="+s.rootSecret)
	if out, err := cmd.CombinedOutput(); err == nil || !strings.Contains(string(out), "state shared") {
		t.Fatalf("status of a deleted tenant: %v %s", err, out)
	}

	// The password never reached a log line.
	if strings.Contains(s.logs(), password) {
		t.Fatal("a tenant password is in the logs")
	}
}

// TestE2ETenancyPlacement: with both test servers, two tenants land on
// different servers, and neither role reaches the other's database.
func TestE2ETenancyPlacement(t *testing.T) {
	s := startStack(t, 1)
	ts := tenancyOf(t)
	if len(ts.servers) < 2 {
		t.Skip("the second PostgreSQL (127.0.0.1:5433, deploy/local/infra.sh) is not running")
	}
	key, secret, _ := s.createKey([]string{"*"}, nil)
	a := basic(key, secret)
	ids := []string{}
	for i, domain := range []string{"placed-one.example.com", "placed-two.example.com"} {
		id, _, _ := createTenantSite(t, s, a, ts, fmt.Sprint("placed", i), domain)
		ids = append(ids, id)
		if resp, body := s.request("POST", "/wp-json/wu/v2/tenants/"+id+"/bootstrap", a, `{"isolation_model":"sovereign"}`); resp.StatusCode != 202 {
			t.Fatalf("bootstrap %s: %d %s", id, resp.StatusCode, body)
		}
	}
	hosts := map[string]string{}
	for _, id := range ids {
		deadline := time.Now().Add(60 * time.Second)
		for {
			m := s.tenantStatus(a, id)
			if m["state"] == "ready" {
				hosts[id] = m["database_host"].(string)
				break
			}
			if m["state"] == "failed" || time.Now().After(deadline) {
				t.Fatalf("tenant %s: %v", id, m)
			}
			time.Sleep(100 * time.Millisecond)
		}
	}
	if hosts[ids[0]] == hosts[ids[1]] {
		t.Fatalf("both tenants on %s", hosts[ids[0]])
	}
	ctx := context.Background()
	for i, id := range ids {
		other := ids[1-i]
		for _, server := range ts.servers {
			cfg, _ := pgx.ParseConfig(databaseURL(server, ts.prefix+other))
			cfg.User, cfg.Password = ts.prefix+id, unseal(t, ts, id)
			if c, err := pgx.ConnectConfig(ctx, cfg); err == nil {
				c.Close(ctx)
				t.Fatalf("tenant %s reached tenant %s's database", id, other)
			}
		}
	}
	for _, id := range ids {
		if resp, body := s.request("DELETE", "/wp-json/wu/v2/tenants/"+id, a, nil); resp.StatusCode != 200 {
			t.Fatalf("delete %s: %d %s", id, resp.StatusCode, body)
		}
	}
}

func mustAtoi(s string) int64 {
	n, _ := strconv.ParseInt(s, 10, 64)
	return n
}

// consulKV reads a KV entry as JSON (nil when missing).
func consulKV(t *testing.T, s *stack, key string) map[string]any {
	t.Helper()
	resp, err := http.Get("http://" + s.envValue("CONSUL_HTTP_ADDR") + "/v1/kv/" + key + "?raw")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode == 404 {
		return nil
	}
	var m map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&m); err != nil {
		t.Fatalf("kv %s: %v", key, err)
	}
	return m
}
