package transport

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/hostplane/hostplane/libs/component"
	"github.com/hostplane/hostplane/libs/httpkit"
	"github.com/hostplane/hostplane/libs/principal"
	"github.com/hostplane/hostplane/services/tenancy/tenants"
)

const secret = "tenancy-transport-test-secret"

// stub is a tenants.Service answering what it is told and recording the
// site ids and principals it is called with.
type stub struct {
	status   tenants.Status
	accepted bool
	err      error
	calls    []string
}

func (s *stub) rec(ctx context.Context, name string, id int64) {
	p := principal.From(ctx)
	who := "none"
	if p != nil {
		who = p.KeyName
	}
	s.calls = append(s.calls, name+" "+itoa(id)+" "+who)
}

func itoa(id int64) string { b, _ := json.Marshal(id); return string(b) }

func (s *stub) Bootstrap(ctx context.Context, id int64) (tenants.Status, bool, error) {
	s.rec(ctx, "bootstrap", id)
	return s.status, s.accepted, s.err
}
func (s *stub) Status(ctx context.Context, id int64) (tenants.Status, error) {
	s.rec(ctx, "status", id)
	return s.status, s.err
}
func (s *stub) Verify(ctx context.Context, id int64) (tenants.Status, error) {
	s.rec(ctx, "verify", id)
	return s.status, s.err
}
func (s *stub) Delete(ctx context.Context, id int64) (tenants.Status, error) {
	s.rec(ctx, "delete", id)
	return s.status, s.err
}
func (s *stub) CreateSharedTables(ctx context.Context, id int64) ([]string, error) {
	s.rec(ctx, "shared", id)
	return []string{"s1_options"}, s.err
}

// harness serves the wu and internal routes over a stub behind the real
// middleware stack.
type harness struct {
	t    *testing.T
	h    http.Handler
	stub *stub
}

var root = &principal.Principal{KeyID: 1, KeyName: "root", Permissions: []string{"*"}}

func newHarness(t *testing.T) *harness {
	t.Helper()
	rt, err := component.New(context.Background(), "tenancy", component.Config{InternalSecret: secret, MaxBodyBytes: 1 << 16}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	s := &stub{status: tenants.SharedStatus(1, "db.example")}
	r := httpkit.NewRouter()
	eps := tenants.MakeEndpoints(s)
	MountWU(r, eps)
	MountInternal(r, eps)
	return &harness{t: t, h: rt.Handler(r), stub: s}
}

func (h *harness) do(method, target, contentType, body string, p *principal.Principal) *httptest.ResponseRecorder {
	h.t.Helper()
	req := httptest.NewRequest(method, target, strings.NewReader(body))
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if p != nil {
		if err := principal.NewSigner(secret).Apply(req.Header, method, req.URL.Path, p); err != nil {
			h.t.Fatal(err)
		}
	}
	rec := httptest.NewRecorder()
	h.h.ServeHTTP(rec, req)
	return rec
}

func decodeObject(t *testing.T, rec *httptest.ResponseRecorder) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(rec.Body.Bytes(), &m); err != nil {
		t.Fatalf("body %s: %v", rec.Body, err)
	}
	return m
}

// checkStatusShape asserts the exact migration-status shape.
func checkStatusShape(t *testing.T, m map[string]any) {
	t.Helper()
	want := map[string]string{
		"site_id": "number", "isolation_model": "string", "database_host": "string", "verification": "object",
		"ready": "bool", "state": "string", "step": "string|null", "error": "string|null",
	}
	var keys []string
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var wantKeys []string
	for k := range want {
		wantKeys = append(wantKeys, k)
	}
	sort.Strings(wantKeys)
	if !reflect.DeepEqual(keys, wantKeys) {
		t.Fatalf("keys %v, want %v", keys, wantKeys)
	}
	for k, typ := range want {
		if got := jsonType(m[k]); !strings.Contains("|"+typ+"|", "|"+got+"|") {
			t.Errorf("%s is %s, want %s", k, got, typ)
		}
	}
	v := m["verification"].(map[string]any)
	if len(v) != 3 {
		t.Fatalf("verification %v", v)
	}
	for _, k := range []string{"no_legacy", "sovereign_push", "tenant_users"} {
		s, _ := v[k].(string)
		if s != "passed" && s != "failed" && s != "pending" {
			t.Errorf("verification.%s = %v", k, v[k])
		}
	}
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
		return "bool"
	case map[string]any:
		return "object"
	}
	return "?"
}

// wantError asserts a wu error body.
func wantError(t *testing.T, rec *httptest.ResponseRecorder, status int, code string) map[string]any {
	t.Helper()
	if rec.Code != status {
		t.Fatalf("status %d, want %d: %s", rec.Code, status, rec.Body)
	}
	m := decodeObject(t, rec)
	if m["code"] != code {
		t.Fatalf("code %v, want %s: %s", m["code"], code, rec.Body)
	}
	if d, _ := m["data"].(map[string]any); d == nil || d["status"] != float64(status) {
		t.Fatalf("data.status: %s", rec.Body)
	}
	return m
}
