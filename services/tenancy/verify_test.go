package tenancy_test

import (
	"context"
	"errors"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hostplane/hostplane/services/tenancy"
	"github.com/hostplane/hostplane/services/tenancy/tenancytest"
	"github.com/hostplane/hostplane/services/tenancy/tenants"
)

// verify runs the checks now and returns the verification and error.
func (s *stack) verify(id int64) (map[string]any, map[string]any) {
	s.t.Helper()
	code, m := s.do(http.MethodPost, wu+itoa(id)+"/verify", "", root)
	if code != 200 {
		s.t.Fatalf("verify: %d %v", code, m)
	}
	return m, m["verification"].(map[string]any)
}

var allPassed = map[string]any{"no_legacy": "passed", "sovereign_push": "passed", "tenant_users": "passed"}

// TestVerifyDetects a planted legacy table, a role granted access to the
// shared database and a tenant database that refuses writes; fixing each
// makes the tenant ready again.
func TestVerifyDetects(t *testing.T) {
	s := newStack(t, false, tenancy.Deps{})
	s.site(1, 10, 20)
	if code, _ := s.do(http.MethodPost, wu+"1/bootstrap", "", root); code != 202 {
		t.Fatal(code)
	}
	if m := s.waitState(1, "ready", "failed"); m["state"] != "ready" {
		t.Fatalf("%v", m)
	}
	admin := s.serverOf(1) // the hosting database's server (only one here)
	shared := dbName(s.env.HostingURL)
	role := s.name(1)
	for _, c := range []struct {
		name, check, detail string
		plant, fix          []string
		on                  string
	}{
		{"legacy table", "no_legacy", "s1_planted", []string{`CREATE TABLE s1_planted (x int)`}, []string{`DROP TABLE s1_planted`}, s.env.HostingURL},
		{"shared database granted", "tenant_users", "the shared database",
			[]string{`GRANT CONNECT ON DATABASE ` + shared + ` TO ` + role}, []string{`REVOKE CONNECT ON DATABASE ` + shared + ` FROM ` + role}, admin},
		{"read-only database", "sovereign_push", "refuses writes",
			[]string{`ALTER DATABASE ` + role + ` SET default_transaction_read_only = on`}, []string{`ALTER DATABASE ` + role + ` RESET default_transaction_read_only`}, admin},
	} {
		tenancytest.Exec(t, c.on, c.plant...)
		m, v := s.verify(1)
		if v[c.check] != "failed" || m["ready"] != false || m["state"] != "failed" || m["step"] != "verify" ||
			!strings.Contains(m["error"].(string), c.detail) {
			t.Errorf("%s: %v", c.name, m)
		}
		for k, want := range allPassed {
			if k != c.check && v[k] != want {
				t.Errorf("%s: %s = %v", c.name, k, v[k])
			}
		}
		// migration-status shows the same until the next verification.
		if _, st := s.do(http.MethodGet, wu+"1/migration-status", "", root); st["ready"] != false {
			t.Errorf("%s: status %v", c.name, st)
		}
		tenancytest.Exec(t, c.on, c.fix...)
		m, v = s.verify(1)
		if !reflect.DeepEqual(v, allPassed) || m["ready"] != true || m["state"] != "ready" || m["error"] != nil {
			t.Errorf("%s fixed: %v", c.name, m)
		}
	}
}

// TestCrashBetweenCopyAndDropResumes: the job dies after the tenant's
// copy committed and before the shared tables are dropped (the site goes
// on writing to them), then after the files step (the copy recorded, the
// rest not): each resume finishes without loss or duplicates.
func TestCrashBetweenCopyAndDropResumes(t *testing.T) {
	var mu sync.Mutex
	crashDrop, crashFiles := true, true
	s := newStack(t, false, tenancy.Deps{
		BeforeDrop: func(int64) error {
			mu.Lock()
			defer mu.Unlock()
			if crashDrop {
				crashDrop = false
				return errors.New("killed")
			}
			return nil
		},
		AfterStep: func(_ context.Context, _ int64, step tenants.Step) error {
			mu.Lock()
			defer mu.Unlock()
			if step == tenants.StepFiles && crashFiles {
				crashFiles = false
				return errors.New("killed again")
			}
			return nil
		},
	})
	s.site(1, 10, 300)
	if code, _ := s.do(http.MethodPost, wu+"1/bootstrap", "", root); code != 202 {
		t.Fatal(code)
	}
	m := s.waitState(1, "ready", "failed")
	if m["state"] != "failed" || m["step"] != "copy" || !strings.Contains(m["error"].(string), "killed") {
		t.Fatalf("crash before the drop: %v", m)
	}
	tenant := tenancytest.DatabaseURL(s.serverOf(1), s.name(1))
	if got := tenancytest.Rows(t, tenant, `SELECT count(*)::text FROM s1_posts`); got[0] != "300" {
		t.Fatalf("the copy before the crash: %v", got)
	}
	// The shared tables are whole and writable: the site works on.
	tenancytest.Exec(t, s.env.HostingURL, `INSERT INTO s1_posts (post_title) VALUES ('written between crashes')`)
	before := snapshot(t, s.env.HostingURL, 1)
	if code, _ := s.do(http.MethodPost, wu+"1/bootstrap", "", root); code != 202 {
		t.Fatal(code)
	}
	m = s.waitState(1, "ready", "failed")
	if m["state"] != "failed" || m["step"] != "files" || m["error"] != "killed again" {
		t.Fatalf("crash after the files: %v", m)
	}
	if code, _ := s.do(http.MethodPost, wu+"1/bootstrap", "", root); code != 202 {
		t.Fatal(code)
	}
	if m := s.waitState(1, "ready", "failed"); m["state"] != "ready" {
		t.Fatalf("resumed: %v", m)
	}
	if got := snapshot(t, tenant, 1); !reflect.DeepEqual(got, before) {
		t.Fatalf("data after resume: %d rows, want %d", len(got), len(before))
	}
	if got := tenancytest.Rows(t, tenant, `SELECT count(*)::text FROM s1_posts`); got[0] != "301" {
		t.Fatalf("posts %v", got)
	}
}

// TestConcurrentBootstrapAndDelete: a DELETE during a running bootstrap
// waits, then is refused with 409; after the job it tears everything
// down. Concurrent bootstraps of one site run one job.
func TestConcurrentBootstrapAndDelete(t *testing.T) {
	release := make(chan struct{})
	s := newStack(t, false, tenancy.Deps{AfterStep: func(ctx context.Context, _ int64, step tenants.Step) error {
		if step == tenants.StepDatabase {
			select {
			case <-release:
			case <-ctx.Done():
			}
		}
		return nil
	}})
	s.site(1, 10, 10)
	codes := make(chan int, 5)
	for range 5 {
		go func() { code, _ := s.do(http.MethodPost, wu+"1/bootstrap", "", root); codes <- code }()
	}
	for range 5 {
		if code := <-codes; code != 202 {
			t.Fatalf("concurrent bootstrap: %d", code)
		}
	}
	s.waitState(1, "provisioning")
	start := time.Now()
	code, m := s.do(http.MethodDelete, wu+"1", "", root)
	if code != 409 || m["code"] != "wu_rest_conflict" || time.Since(start) < 250*time.Millisecond {
		t.Fatalf("delete during the job: %d %v after %v", code, m, time.Since(start))
	}
	if code, _ := s.do(http.MethodPost, wu+"1/verify", "", root); code != 409 {
		t.Fatalf("verify during the job: %d", code)
	}
	close(release)
	if m := s.waitState(1, "ready", "failed"); m["state"] != "ready" {
		t.Fatalf("job: %v", m)
	}
	if code, _ := s.do(http.MethodDelete, wu+"1", "", root); code != 200 {
		t.Fatalf("delete after the job: %d", code)
	}
	if got := tenancytest.Rows(t, s.env.ServerURLs[0], `SELECT datname::text FROM pg_database WHERE datname = '`+s.name(1)+`'`); len(got) != 0 {
		t.Fatal("database left")
	}
}

// TestManyTenantsAtOnce: tenants bootstrapped concurrently all end ready,
// spread over the servers.
func TestManyTenantsAtOnce(t *testing.T) {
	s := newStack(t, false, tenancy.Deps{})
	const n = 12
	for id := int64(1); id <= n; id++ {
		s.site(id, 10, 5)
	}
	errc := make(chan error, n)
	for id := int64(1); id <= n; id++ {
		go func() {
			code, m := s.do(http.MethodPost, wu+itoa(id)+"/bootstrap", "", root)
			if code != 202 {
				errc <- errors.New(itoa(id) + ": " + itoa(int64(code)))
				return
			}
			_ = m
			errc <- nil
		}()
	}
	for range n {
		if err := <-errc; err != nil {
			t.Fatal(err)
		}
	}
	hosts := map[any]int{}
	for id := int64(1); id <= n; id++ {
		m := s.waitState(id, "ready", "failed")
		if m["state"] != "ready" {
			t.Fatalf("site %d: %v", id, m)
		}
		hosts[m["database_host"]]++
	}
	if len(s.env.ServerURLs) == 2 && (len(hosts) != 2 || hosts[firstKey(hosts)] != n/2) {
		t.Fatalf("placement %v", hosts)
	}
}

func firstKey(m map[any]int) any {
	for k := range m {
		return k
	}
	return nil
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
