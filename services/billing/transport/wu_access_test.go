package transport

import (
	"io"
	"net/http"
	"reflect"
	"strings"
	"testing"

	"github.com/hostplane/hostplane/libs/principal"
)

func TestGetPluralAndSingular(t *testing.T) {
	h := newHarness(t)
	created := h.ok(http.MethodPost, "/wp-json/wu/v2/customers", `{"username":"alice","email":"alice@example.com","password":"secret1"}`).Body.String()
	for _, path := range []string{"/wp-json/wu/v2/customers/1", "/wp-json/wu/v2/customer/1"} {
		rec := h.ok(http.MethodGet, path, "")
		if rec.Body.String() != created {
			t.Fatalf("GET %s = %s, want %s", path, rec.Body, created)
		}
	}
	const notFound = `{"code":"wu_rest_customer_invalid_id","message":"Item not found.","data":{"status":404}}`
	for _, path := range []string{"/wp-json/wu/v2/customers/2", "/wp-json/wu/v2/customer/0", "/wp-json/wu/v2/customers/-1", "/wp-json/wu/v2/customers/abc", "/wp-json/wu/v2/customers/99999999999999999999"} {
		rec := h.do(http.MethodGet, path, "", root)
		if rec.Code != http.StatusNotFound || rec.Body.String() != notFound {
			t.Fatalf("GET %s: %d %s", path, rec.Code, rec.Body)
		}
	}
}

func TestDelete(t *testing.T) {
	for _, path := range []string{"/wp-json/wu/v2/customers/1", "/wp-json/wu/v2/customer/1"} {
		t.Run(path, func(t *testing.T) {
			h := newHarness(t)
			created := h.ok(http.MethodPost, "/wp-json/wu/v2/customers", `{"username":"alice","email":"alice@example.com","password":"secret1","vip":true}`).Body.String()
			rec := h.ok(http.MethodDelete, path, "")
			if want := `{"deleted":true,"previous":` + created + `}`; rec.Body.String() != want {
				t.Fatalf("DELETE = %s, want %s", rec.Body, want)
			}
			wantError(t, h.do(http.MethodGet, path, "", root), http.StatusNotFound, "wu_rest_customer_invalid_id")
			wantError(t, h.do(http.MethodDelete, path, "", root), http.StatusNotFound, "wu_rest_customer_invalid_id")
			// The user stays: a customer can be made for it again.
			m := object(t, h.ok(http.MethodPost, "/wp-json/wu/v2/customer", `{"user_id":1}`))
			if id(m) != 2 || m["user_id"] != float64(1) || m["email"] != "alice@example.com" {
				t.Fatalf("re-created %v", m)
			}
		})
	}
}

// A key restricted to one customer sees only it: other ids are 404, never
// 403, and it cannot create customers.
func TestRestrictedPrincipal(t *testing.T) {
	h := newHarness(t)
	seedList(t, h)
	own := restricted(3)

	rec := h.do(http.MethodGet, "/wp-json/wu/v2/customers", "", own)
	if rec.Code != 200 || !reflect.DeepEqual(ids(array(t, rec)), []int64{3}) || strings.Join(rec.Header()["X-WP-Total"], "") != "1" {
		t.Fatalf("list: %d %s %v", rec.Code, rec.Body, rec.Header())
	}
	rec = h.do(http.MethodGet, "/wp-json/wu/v2/customer?status=banned", "", own)
	if rec.Body.String() != "[]" || strings.Join(rec.Header()["X-WP-Total"], "") != "0" {
		t.Fatalf("filtered list: %s", rec.Body)
	}
	if rec := h.do(http.MethodGet, "/wp-json/wu/v2/customers/3", "", own); rec.Code != 200 {
		t.Fatalf("own customer: %d %s", rec.Code, rec.Body)
	}
	if rec := h.do(http.MethodPatch, "/wp-json/wu/v2/customers/3", `{"vip":true}`, own); rec.Code != 200 || object(t, rec)["vip"] != true {
		t.Fatalf("update own customer: %d %s", rec.Code, rec.Body)
	}
	for _, tt := range []struct{ method, path, body string }{
		{http.MethodGet, "/wp-json/wu/v2/customers/2", ""},
		{http.MethodGet, "/wp-json/wu/v2/customer/4", ""},
		{http.MethodPut, "/wp-json/wu/v2/customers/2", `{"vip":true}`},
		{http.MethodPatch, "/wp-json/wu/v2/customers/2", `{"status":"nope"}`},
		{http.MethodPost, "/wp-json/wu/v2/customer/2", `{"unknown":1}`},
		{http.MethodPost, "/wp-json/wu/v2/customer/2", `{bad json`},
		{http.MethodDelete, "/wp-json/wu/v2/customers/2", ""},
		{http.MethodGet, "/wp-json/wu/v2/customers/99", ""},
	} {
		rec := h.do(tt.method, tt.path, tt.body, own)
		wantError(t, rec, http.StatusNotFound, "wu_rest_customer_invalid_id")
	}
	for _, path := range []string{"/wp-json/wu/v2/customers", "/wp-json/wu/v2/customer"} {
		rec := h.do(http.MethodPost, path, `{"username":"mallory","email":"m@example.com","password":"secret1"}`, own)
		wantError(t, rec, http.StatusForbidden, "rest_forbidden")
	}
	// Nothing the restricted key tried touched another customer.
	if m := object(t, h.ok(http.MethodGet, "/wp-json/wu/v2/customers/2", "")); m["vip"] != false {
		t.Fatalf("customer 2 changed: %v", m)
	}
	if rec := h.ok(http.MethodGet, "/wp-json/wu/v2/customers", ""); strings.Join(rec.Header()["X-WP-Total"], "") != "5" {
		t.Fatalf("a customer was created or deleted: %s", strings.Join(rec.Header()["X-WP-Total"], ""))
	}
	// Restricted to a customer that does not exist: sees nothing.
	rec = h.do(http.MethodGet, "/wp-json/wu/v2/customers", "", restricted(42))
	if rec.Body.String() != "[]" {
		t.Fatalf("list for a missing customer: %s", rec.Body)
	}
}

func TestUnsignedRequestsAreRefused(t *testing.T) {
	h := newHarness(t)
	h.create("alice", "")
	other := principal.NewSigner("another-secret-entirely-123")
	tests := []struct {
		name string
		sign func(r *http.Request)
	}{
		{"no principal", func(*http.Request) {}},
		{"wrong secret", func(r *http.Request) { _ = other.Apply(r.Header, r.Method, r.URL.Path, root) }},
		{"signed for another path", func(r *http.Request) { _ = h.signer.Apply(r.Header, r.Method, "/wp-json/wu/v2/customers/2", root) }},
		{"signed for another method", func(r *http.Request) { _ = h.signer.Apply(r.Header, http.MethodDelete, r.URL.Path, root) }},
		{"tampered principal", func(r *http.Request) {
			_ = h.signer.Apply(r.Header, r.Method, r.URL.Path, restricted(9))
			enc, _ := principal.Encode(root)
			r.Header.Set(principal.HeaderPrincipal, enc)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, path := range []string{"/wp-json/wu/v2/customers/1", "/wp-json/wu/v2/customer"} {
				req := h.request(http.MethodGet, path, "", nil)
				tt.sign(req)
				rec := h.serve(req)
				wantError(t, rec, http.StatusUnauthorized, "rest_forbidden")
			}
		})
	}
	// Health and metrics need no principal.
	for _, path := range []string{"/healthz", "/readyz", "/metrics"} {
		if rec := h.serve(h.request(http.MethodGet, path, "", nil)); rec.Code != 200 {
			t.Errorf("%s: %d", path, rec.Code)
		}
	}
}

func TestUnknownRouteAndMethod(t *testing.T) {
	h := newHarness(t)
	wantError(t, h.do(http.MethodGet, "/wp-json/wu/v2/customerz", "", root), http.StatusNotFound, "rest_no_route")
	wantError(t, h.do(http.MethodDelete, "/wp-json/wu/v2/customers", "", root), http.StatusNotFound, "rest_no_route")
}

// Bodies over the limit are 413, whether the size is announced or only
// found while reading.
func TestBodyTooLarge(t *testing.T) {
	h := newHarnessMax(t, 2048)
	h.create("alice", "")
	big := `{"extra_information":"` + strings.Repeat("x", 4096) + `"}`
	for _, tt := range []struct{ method, path string }{
		{http.MethodPost, "/wp-json/wu/v2/customers"},
		{http.MethodPut, "/wp-json/wu/v2/customers/1"},
		{http.MethodPost, "/wp-json/wu/v2/customer/1"},
	} {
		for _, announced := range []bool{true, false} {
			req := h.request(tt.method, tt.path, big, root)
			if !announced {
				req.ContentLength = -1
				req.Body = io.NopCloser(strings.NewReader(big))
			}
			rec := h.serve(req)
			wantError(t, rec, http.StatusRequestEntityTooLarge, "rest_request_too_large")
		}
	}
	if m := object(t, h.ok(http.MethodGet, "/wp-json/wu/v2/customers/1", "")); m["extra_information"] != "" {
		t.Fatal("oversize update applied")
	}
}
