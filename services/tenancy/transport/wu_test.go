package transport

import (
	"net/http"
	"reflect"
	"strings"
	"testing"

	"github.com/hostplane/hostplane/libs/errs"
	"github.com/hostplane/hostplane/libs/principal"
	"github.com/hostplane/hostplane/services/tenancy/tenants"
)

const base = "/wp-json/wu/v2/tenants/"

var readyStatus = tenants.Status{
	SiteID: 123, IsolationModel: "sovereign", DatabaseHost: "localhost", Ready: true, State: tenants.StateReady,
	Checks: tenants.Checks{NoLegacy: "passed", SovereignPush: "passed", TenantUsers: "passed"},
}

// The reference's example answer, plus state, step and error.
func TestMigrationStatusIsTheReferenceShape(t *testing.T) {
	h := newHarness(t)
	h.stub.status = readyStatus
	rec := h.do(http.MethodGet, base+"123/migration-status", "", "", root)
	if rec.Code != 200 {
		t.Fatalf("%d %s", rec.Code, rec.Body)
	}
	want := `{"site_id":123,"isolation_model":"sovereign","database_host":"localhost","verification":{"no_legacy":"passed","sovereign_push":"passed","tenant_users":"passed"},"ready":true,"state":"ready","step":null,"error":null}`
	if got := strings.TrimSpace(rec.Body.String()); got != want {
		t.Fatalf("body\n got %s\nwant %s", got, want)
	}
	checkStatusShape(t, decodeObject(t, rec))

	h.stub.status = tenants.Status{SiteID: 5, IsolationModel: "sovereign", DatabaseHost: "10.0.0.2:5433", State: tenants.StateFailed,
		Step: tenants.StepCopy, Error: "the copy differs", Checks: tenants.PendingChecks}
	m := decodeObject(t, h.do(http.MethodGet, base+"5/migration-status", "", "", root))
	checkStatusShape(t, m)
	if m["step"] != "copy" || m["error"] != "the copy differs" || m["ready"] != false {
		t.Fatalf("failed status %v", m)
	}
}

func TestBootstrapAnswers202ThenReady200(t *testing.T) {
	h := newHarness(t)
	h.stub.status = tenants.Status{SiteID: 7, IsolationModel: "sovereign", DatabaseHost: "db", State: tenants.StatePending, Checks: tenants.PendingChecks}
	h.stub.accepted = true
	for _, tc := range []struct{ contentType, body string }{
		{"", ""}, {"application/json", "{}"}, {"application/json", `{"isolation_model":"sovereign"}`},
		{"application/x-www-form-urlencoded", "isolation_model=sovereign"},
	} {
		rec := h.do(http.MethodPost, base+"7/bootstrap", tc.contentType, tc.body, root)
		if rec.Code != http.StatusAccepted {
			t.Fatalf("%q: %d %s", tc.body, rec.Code, rec.Body)
		}
		checkStatusShape(t, decodeObject(t, rec))
	}
	h.stub.status, h.stub.accepted = readyStatus, false
	if rec := h.do(http.MethodPost, base+"123/bootstrap", "", "", root); rec.Code != 200 {
		t.Fatalf("ready: %d", rec.Code)
	}
}

func TestBootstrapBodyErrors(t *testing.T) {
	h := newHarness(t)
	for _, tc := range []struct{ contentType, body, code, param string }{
		{"application/json", `{"isolation_model":"shared"}`, "wu_rest_invalid_parameter", "isolation_model"},
		{"application/json", `{"isolation_model":1}`, "wu_rest_invalid_parameter", "isolation_model"},
		{"application/json", `{"database_host":"x"}`, "wu_rest_invalid_parameter", "database_host"},
		{"application/json", `{"isolation_model":`, "rest_invalid_json", ""},
	} {
		m := wantError(t, h.do(http.MethodPost, base+"7/bootstrap", tc.contentType, tc.body, root), 400, tc.code)
		if tc.param != "" {
			if p, _ := m["data"].(map[string]any)["params"].(map[string]any); p[tc.param] == nil {
				t.Errorf("%s: params %v", tc.body, p)
			}
		}
	}
	if len(h.stub.calls) != 0 {
		t.Fatalf("the service was called: %v", h.stub.calls)
	}
}

func TestVerifyAndDelete(t *testing.T) {
	h := newHarness(t)
	h.stub.status = readyStatus
	rec := h.do(http.MethodPost, base+"123/verify", "", "", root)
	if rec.Code != 200 {
		t.Fatalf("verify %d", rec.Code)
	}
	checkStatusShape(t, decodeObject(t, rec))
	rec = h.do(http.MethodDelete, base+"123", "", "", root)
	m := decodeObject(t, rec)
	if rec.Code != 200 || m["deleted"] != true {
		t.Fatalf("delete %d %s", rec.Code, rec.Body)
	}
	checkStatusShape(t, m["previous"].(map[string]any))
	if !reflect.DeepEqual(h.stub.calls, []string{"verify 123 root", "delete 123 root"}) {
		t.Fatalf("calls %v", h.stub.calls)
	}
}

func TestBadSiteIDsAreNotFound(t *testing.T) {
	h := newHarness(t)
	for _, id := range []string{"abc", "-1", "0", "1.5", "99999999999999999999", "%20", "1e3"} {
		for _, r := range []struct{ method, path string }{
			{http.MethodPost, base + id + "/bootstrap"}, {http.MethodGet, base + id + "/migration-status"},
			{http.MethodPost, base + id + "/verify"}, {http.MethodDelete, base + id},
		} {
			m := wantError(t, h.do(r.method, r.path, "", "", root), 404, "wu_rest_tenant_invalid_id")
			if !strings.Contains(m["message"].(string), "positive integers") {
				t.Errorf("%s %s: message %v", r.method, r.path, m["message"])
			}
		}
	}
	if len(h.stub.calls) != 0 {
		t.Fatalf("the service was called: %v", h.stub.calls)
	}
}

func TestServiceErrorsInWuShape(t *testing.T) {
	h := newHarness(t)
	h.stub.err = errs.NotFoundResource("tenant", "Unknown site: no tenant with this id.")
	wantError(t, h.do(http.MethodGet, base+"9/migration-status", "", "", root), 404, "wu_rest_tenant_invalid_id")
	h.stub.err = &errs.Error{Kind: errs.Conflict, Message: "Sovereign isolation needs PostgreSQL: … HOSTPLANE_DATABASE_URL …"}
	m := wantError(t, h.do(http.MethodPost, base+"9/bootstrap", "", "", root), 409, "wu_rest_conflict")
	if !strings.Contains(m["message"].(string), "HOSTPLANE_DATABASE_URL") {
		t.Fatalf("message %v", m["message"])
	}
	h.stub.err = errs.New(errs.Unavailable, "sites is unavailable.")
	wantError(t, h.do(http.MethodPost, base+"9/verify", "", "", root), 503, "wu_rest_unavailable")
}

func TestPrincipalReachesTheService(t *testing.T) {
	h := newHarness(t)
	restricted := &principal.Principal{KeyID: 2, KeyName: "crm", CustomerID: 4, Permissions: []string{"tenants:*"}}
	h.do(http.MethodGet, base+"3/migration-status", "", "", restricted)
	if !reflect.DeepEqual(h.stub.calls, []string{"status 3 crm"}) {
		t.Fatalf("calls %v", h.stub.calls)
	}
	if rec := h.do(http.MethodGet, base+"3/migration-status", "", "", nil); rec.Code != 401 {
		t.Fatalf("unsigned: %d", rec.Code)
	}
	wantError(t, h.do(http.MethodPut, base+"3/verify", "", "", root), 404, "rest_no_route")
}
