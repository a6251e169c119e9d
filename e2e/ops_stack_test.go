package e2e

import (
	"io"
	"net/http"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"
)

// TestOpsStack runs the real stack once, with its traces exported to an
// in-test OTLP receiver, and checks what operators rely on: every metric the
// rules and dashboards use is exported, the Nomad jobs register the names
// the gateway looks up, and one request is one trace from the gateway
// through billing into PostgreSQL.
func TestOpsStack(t *testing.T) {
	rcv := newOpsOTLPReceiver(t)
	t.Setenv("OTEL_EXPORTER_OTLP_ENDPOINT", rcv.URL)
	t.Setenv("OTEL_BSP_SCHEDULE_DELAY", "100") // ms: export quickly
	t.Setenv("HOSTPLANE_AUTH_FAILURE_LIMIT", "3/m")
	s := startStack(t, 1)
	a := bearer(s.rootKey, s.rootSecret)

	// One request routed to each service, so every per-route series exists.
	for _, path := range []string{
		"/v1/account.json",                          // auth
		"/wp-json/wu/v2/customers",                  // billing
		"/v1/sites.json",                            // sites
		"/wp-json/wu/v2/tenants/1/migration-status", // tenancy
		"/api/application/statistics",               // stats
		"/wp-json/wu/v2/no-such-route",              // the gateway's 404
	} {
		resp, body := s.request("GET", path, a, nil)
		if resp.StatusCode >= 500 {
			t.Errorf("GET %s: %d %s", path, resp.StatusCode, tail(body, 300))
		}
	}

	t.Run("nomad names are the gateway's", func(t *testing.T) {
		resp, err := http.Get(s.gatewayURL + "/metrics")
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		var looked []string
		for _, m := range regexp.MustCompile(`(?m)^hostplane_gateway_upstream_instances\{service="([a-z]+)"\}`).FindAllSubmatch(b, -1) {
			looked = append(looked, string(m[1]))
		}
		sort.Strings(looked)
		_, svcs := opsParseNomad(t)
		var registered []string
		for _, ns := range svcs {
			if slices.Contains(ns.tags, opsConsulTag) && ns.name != "gateway" {
				registered = append(registered, ns.name)
			}
		}
		sort.Strings(registered)
		if len(looked) == 0 || !slices.Equal(looked, registered) {
			t.Errorf("gateway looks up %q in Consul; Nomad jobs register %q", looked, registered)
		}
	})

	t.Run("one trace gateway billing postgres", func(t *testing.T) {
		// A customer by id always asks PostgreSQL (lists may be cached).
		resp, body := s.request("GET", "/wp-json/wu/v2/customers/424242", a, nil)
		if resp.StatusCode != 404 {
			t.Fatalf("GET an unknown customer: %d %s", resp.StatusCode, tail(body, 300))
		}
		traceID := resp.Header.Get("X-Request-Id") // the trace id when the client sends none
		if len(traceID) != 32 {
			t.Fatalf("X-Request-Id %q is not a trace id", traceID)
		}
		var problems []string
		deadline := time.Now().Add(15 * time.Second)
		for {
			problems = opsCheckTrace(rcv.trace(traceID))
			if len(problems) == 0 || time.Now().After(deadline) {
				break
			}
			time.Sleep(100 * time.Millisecond)
		}
		for _, p := range problems {
			t.Error(p)
		}
		if t.Failed() {
			for _, sp := range rcv.trace(traceID) {
				t.Logf("span %s %s %s parent=%s kind=%v %v", sp.service, sp.name, sp.id, sp.parent, sp.kind, sp.attrs)
			}
		}
	})

	t.Run("auth failures then 429", func(t *testing.T) {
		// The failed-authentication limit (3/m per client IP here) turns the
		// fourth bad secret into a 429: both counters get their series.
		var statuses []int
		for range 5 {
			resp, _ := s.request("GET", "/wp-json/wu/v2/customers", bearer(s.rootKey, "wrong-secret"), nil)
			statuses = append(statuses, resp.StatusCode)
		}
		if statuses[0] != 401 || statuses[4] != 429 {
			t.Errorf("statuses %v, want 401 first and 429 once over the limit", statuses)
		}
	})

	t.Run("metric names", func(t *testing.T) {
		exported := map[string]bool{}
		for _, p := range s.procs {
			for n := range opsScrapeNames(t, "http://"+p.addr+"/metrics") {
				exported[n] = true
			}
		}
		used, _ := opsUsedMetrics(t)
		if len(used) < 20 {
			t.Fatalf("only %d metric names found in rules and dashboards", len(used))
		}
		opsCheckExported(t, used, exported)
	})
}

// opsCheckTrace says what the spans of one request lack to be one trace from
// the gateway through billing into PostgreSQL.
func opsCheckTrace(spans []opsSpan) []string {
	byID := map[string]opsSpan{}
	for _, sp := range spans {
		byID[sp.id] = sp
	}
	var problems []string
	var roots []opsSpan
	for _, sp := range spans {
		if sp.parent == "" || sp.parent == strings.Repeat("0", 16) {
			roots = append(roots, sp)
		} else if _, ok := byID[sp.parent]; !ok {
			problems = append(problems, "span "+sp.service+" "+sp.name+" has a parent outside the trace")
		}
	}
	if len(roots) != 1 || roots[0].service != "hostplane-gateway" {
		problems = append(problems, "the trace has no single root opsSpan in the gateway")
	}
	// under says whether sp descends from a span of service.
	under := func(sp opsSpan, service string) bool {
		for p, ok := byID[sp.parent]; ok; p, ok = byID[p.parent] {
			if p.service == service {
				return true
			}
		}
		return false
	}
	var billing, sql bool
	for _, sp := range spans {
		if sp.service == "hostplane-billing" && under(sp, "hostplane-gateway") {
			billing = true
		}
		if sp.service == "hostplane-billing" && sp.attrs["db.system"] == "postgresql" && under(sp, "hostplane-gateway") {
			sql = true
		}
	}
	if !billing {
		problems = append(problems, "no billing opsSpan under the gateway's")
	}
	if !sql {
		problems = append(problems, "no PostgreSQL opsSpan of billing under the gateway's")
	}
	return problems
}
