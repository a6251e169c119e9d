package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

// fakeTenancyGateway answers the wu tenant routes: bootstrap starts a job
// whose migration-status walks through states, one per poll.
func fakeTenancyGateway(t *testing.T, states []string, final map[string]any) (*httptest.Server, *[]string) {
	t.Helper()
	var mu sync.Mutex
	var seen []string
	polls := 0
	status := func(state, step string) map[string]any {
		m := map[string]any{
			"site_id": 5, "isolation_model": "sovereign", "database_host": "db", "ready": false,
			"state": state, "step": nil, "error": nil,
			"verification": map[string]string{"no_legacy": "pending", "sovereign_push": "pending", "tenant_users": "pending"},
		}
		if step != "" {
			m["step"] = step
		}
		return m
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		seen = append(seen, r.Method+" "+r.URL.Path)
		if k, s, ok := r.BasicAuth(); !ok || k != "k" || s != "s" {
			w.WriteHeader(401)
			_, _ = w.Write([]byte(`{"code":"rest_forbidden","message":"Unauthenticated.","data":{"status":401}}`))
			return
		}
		w.Header().Set("Content-Type", "application/json")
		switch {
		case strings.HasSuffix(r.URL.Path, "/99/migration-status"):
			w.WriteHeader(404)
			_, _ = w.Write([]byte(`{"code":"wu_rest_tenant_invalid_id","message":"Unknown site: no tenant with this id.","data":{"status":404}}`))
		case r.Method == "POST" && strings.HasSuffix(r.URL.Path, "/bootstrap"):
			w.WriteHeader(202)
			_ = json.NewEncoder(w).Encode(status("pending", ""))
		case r.Method == "GET":
			var m map[string]any
			if polls < len(states) {
				state, step, _ := strings.Cut(states[polls], ":")
				m = status(state, step)
				polls++
			} else {
				m = final
			}
			_ = json.NewEncoder(w).Encode(m)
		case r.Method == "DELETE":
			_ = json.NewEncoder(w).Encode(map[string]any{"deleted": true, "previous": final})
		default:
			_ = json.NewEncoder(w).Encode(final)
		}
	}))
	t.Cleanup(srv.Close)
	return srv, &seen
}

var readyTenant = map[string]any{
	"site_id": 5, "isolation_model": "sovereign", "database_host": "db", "ready": true,
	"state": "ready", "step": nil, "error": nil,
	"verification": map[string]string{"no_legacy": "passed", "sovereign_push": "passed", "tenant_users": "passed"},
}

func runTenantsCmd(t *testing.T, srv *httptest.Server, args ...string) (string, string, error) {
	t.Helper()
	var out, errOut bytes.Buffer
	env := envOf(map[string]string{"HOSTPLANE_ROOT_API_KEY": "k", "HOSTPLANE_ROOT_API_SECRET": "s", "HOSTPLANE_ADDR": srv.URL})
	err := run(context.Background(), append([]string{"tenants"}, args...), &out, &errOut, env)
	return out.String(), errOut.String(), err
}

func TestTenantsBootstrapWait(t *testing.T) {
	srv, seen := fakeTenancyGateway(t, []string{"provisioning:role", "provisioning:database", "migrating:copy", "migrating:copy", "verifying:verify"}, readyTenant)
	out, progress, err := runTenantsCmd(t, srv, "bootstrap", "5", "--wait")
	if err != nil {
		t.Fatal(err)
	}
	var st tenantStatus
	if json.Unmarshal([]byte(out), &st) != nil || !st.Ready || st.State != "ready" {
		t.Fatalf("stdout %q", out)
	}
	want := "  0% pending\n  0% provisioning: role\n 14% provisioning: database\n 28% migrating: copy\n 85% verifying: verify\n100% ready\n"
	if progress != want {
		t.Fatalf("progress\n%s\nwant\n%s", progress, want)
	}
	if (*seen)[0] != "POST /wp-json/wu/v2/tenants/5/bootstrap" || (*seen)[1] != "GET /wp-json/wu/v2/tenants/5/migration-status" {
		t.Fatalf("requests %v", *seen)
	}
}

func TestTenantsExitStatus(t *testing.T) {
	failed := map[string]any{"site_id": 5, "isolation_model": "sovereign", "database_host": "db", "ready": false,
		"verification": map[string]string{"no_legacy": "failed", "sovereign_push": "passed", "tenant_users": "passed"},
		"state":        "failed", "step": "verify", "error": "Verification failed: no_legacy: s5_x"}
	srv, _ := fakeTenancyGateway(t, []string{"migrating:drop_legacy"}, failed)
	_, _, err := runTenantsCmd(t, srv, "bootstrap", "--wait", "5")
	if !errors.Is(err, errNotReady) || !strings.Contains(err.Error(), "at step verify: Verification failed") {
		t.Fatalf("failed bootstrap: %v", err)
	}
	// Without --wait, a started bootstrap is not ready yet.
	srv2, _ := fakeTenancyGateway(t, nil, readyTenant)
	out, _, err := runTenantsCmd(t, srv2, "bootstrap", "5")
	if !errors.Is(err, errNotReady) || !strings.Contains(err.Error(), "--wait") || !strings.Contains(out, `"state": "pending"`) {
		t.Fatalf("bootstrap without wait: %v %q", err, out)
	}
	if _, _, err := runTenantsCmd(t, srv2, "status", "5"); err != nil {
		t.Fatalf("status of a ready tenant: %v", err)
	}
	if _, _, err := runTenantsCmd(t, srv2, "verify", "5"); err != nil {
		t.Fatalf("verify of a ready tenant: %v", err)
	}
	out, _, err = runTenantsCmd(t, srv2, "delete", "5")
	if err != nil || !strings.Contains(out, "tenant 5 deleted") {
		t.Fatalf("delete: %v %q", err, out)
	}
	if _, _, err := runTenantsCmd(t, srv2, "status", "99"); err == nil || !strings.Contains(err.Error(), "wu_rest_tenant_invalid_id") {
		t.Fatalf("unknown site: %v", err)
	}
}

func TestTenantsUsage(t *testing.T) {
	srv, seen := fakeTenancyGateway(t, nil, readyTenant)
	for _, args := range [][]string{{}, {"bootstrap"}, {"bootstrap", "x"}, {"bootstrap", "-3"}, {"explode", "5"}, {"status", "5", "--wait"}, {"status", "5", "6"}} {
		_, _, err := runTenantsCmd(t, srv, args...)
		var ue usageError
		if !errors.As(err, &ue) {
			t.Errorf("%v: %v", args, err)
		}
	}
	if len(*seen) != 0 {
		t.Fatalf("requests sent: %v", *seen)
	}
}
