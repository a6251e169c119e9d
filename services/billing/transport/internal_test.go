package transport

import (
	"encoding/json"
	"net/http"
	"reflect"
	"testing"
	"time"

	"github.com/hostplane/hostplane/services/billing/client"
)

func TestInternalCustomer(t *testing.T) {
	h := newHarness(t)
	h.create("alice", `,"vip":true,"ips":["10.0.0.1"],"last_login":"2026-11-24 08:00:00"`)
	rec := h.ok(http.MethodGet, "/internal/v1/customers/1", "")
	var c client.Customer
	if err := json.Unmarshal(rec.Body.Bytes(), &c); err != nil {
		t.Fatal(err)
	}
	want := client.Customer{
		ID: 1, UserID: 1, Username: "alice", Email: "alice@example.com", DisplayName: "alice", Type: "customer",
		Status: "active", EmailVerification: "none", VIP: true, IPs: []string{"10.0.0.1"}, SignupForm: "by-admin",
		DateRegistered: base, DateCreated: base, DateModified: base,
	}
	ll := time.Date(2026, 11, 24, 8, 0, 0, 0, time.UTC)
	want.LastLogin = &ll
	if !reflect.DeepEqual(c, want) {
		t.Fatalf("internal customer\n got %+v\nwant %+v", c, want)
	}

	// Errors travel typed, in the internal shape.
	rec = h.do(http.MethodGet, "/internal/v1/customers/2", "", root)
	var e struct {
		Error struct{ Kind, Resource string } `json:"error"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &e); err != nil || rec.Code != 404 || e.Error.Kind != "not_found" || e.Error.Resource != "customer" {
		t.Fatalf("unknown id: %d %s", rec.Code, rec.Body)
	}
	// The caller's restriction applies here too.
	if rec := h.do(http.MethodGet, "/internal/v1/customers/1", "", restricted(2)); rec.Code != 404 {
		t.Fatalf("restricted: %d %s", rec.Code, rec.Body)
	}
	if rec := h.do(http.MethodGet, "/internal/v1/customers/1", "", nil); rec.Code != 401 {
		t.Fatalf("unsigned: %d %s", rec.Code, rec.Body)
	}
}
