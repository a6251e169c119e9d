package transport

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/hostplane/hostplane/services/billing/customers"
)

func TestCreateWithNewUserExactJSON(t *testing.T) {
	for _, path := range []string{"/wp-json/wu/v2/customers", "/wp-json/wu/v2/customer"} {
		t.Run(path, func(t *testing.T) {
			h := newHarness(t)
			rec := h.ok(http.MethodPost, path, `{"username":"John.Doe","email":"John@Example.com","password":"secret1","display_name":"John Doe"}`)
			want := `{"id":1,"model":"customer","slug":"","date_created":"2026-11-23 21:02:51","date_modified":"2026-11-23 21:02:51",` +
				`"migrated_from_id":null,"user_id":1,"type":"customer","date_registered":"2026-11-23 21:02:51",` +
				`"email_verification":"none","last_login":null,"has_trialed":false,"vip":false,"ips":[],"signup_form":"by-admin",` +
				`"extra_information":"","network_id":null,"_user":{"id":1,"username":"john.doe","email":"John@Example.com",` +
				`"display_name":"John Doe"},"billing_address":{},"notes":null,"status":"active","email":"John@Example.com"}`
			if got := rec.Body.String(); got != want {
				t.Fatalf("body\n got %s\nwant %s", got, want)
			}
			if ct := rec.Header().Get("Content-Type"); ct != "application/json; charset=UTF-8" {
				t.Errorf("content type %q", ct)
			}
			checkCustomer(t, object(t, rec))
			// The password is stored hashed, never shown.
			if strings.Contains(rec.Body.String(), "secret1") || strings.Contains(rec.Body.String(), "argon2") {
				t.Fatal("password leaked")
			}
			c, err := h.store.Get(context.Background(), 1)
			if err != nil {
				t.Fatal(err)
			}
			if ok, err := h.hasher.Verify(c.User.PasswordHash, "secret1"); err != nil || !ok {
				t.Fatalf("stored hash %q does not verify: %v", c.User.PasswordHash, err)
			}
		})
	}
}

func TestCreateEveryField(t *testing.T) {
	h := newHarness(t)
	m := h.create("jane", `,"type":"customer","email_verification":"pending","status":"pending","signup_form":"checkout",`+
		`"has_trialed":true,"vip":true,"ips":["0.0.0.0","2001:db8::1"],"extra_information":"note",`+
		`"date_registered":"2026-01-02","last_login":"2026-11-20T10:00:00+01:00"`)
	checkCustomer(t, m)
	for field, want := range map[string]any{
		"email_verification": "pending", "status": "pending", "signup_form": "checkout", "has_trialed": true, "vip": true,
		"extra_information": "note", "date_registered": "2026-01-02 00:00:00", "last_login": "2026-11-20 09:00:00",
		"email": "jane@example.com",
	} {
		if m[field] != want {
			t.Errorf("%s = %v, want %v", field, m[field], want)
		}
	}
	if fmt.Sprint(m["ips"]) != "[0.0.0.0 2001:db8::1]" {
		t.Errorf("ips %v", m["ips"])
	}
	if u := m["_user"].(map[string]any); u["display_name"] != "jane" {
		t.Errorf("display name defaults to the username: %v", u)
	}
}

// The reference's own body works when the user exists (the plugin answers
// 500 invalid_email), and an unknown user is a 400 naming user_id.
func TestCreateReferenceBody(t *testing.T) {
	const reference = `{
"user_id": 123,
"email_verification": "verified",
"type": "customer",
"has_trialed": false,
"vip": false
}`
	h := newHarness(t)
	rec := h.do(http.MethodPost, "/wp-json/wu/v2/customers", reference, root)
	m := wantError(t, rec, http.StatusBadRequest, "wu_rest_invalid_parameter", "user_id")
	if param(m, "user_id") == "" {
		t.Fatalf("no message for user_id: %s", rec.Body)
	}

	// Users 1..123 exist; user 123 has no customer any more.
	ctx := context.Background()
	for i := 1; i <= 123; i++ {
		c := &customers.Customer{User: customers.User{Username: fmt.Sprintf("user%03d", i), Email: fmt.Sprintf("u%d@example.com", i), PasswordHash: "x"},
			Type: "customer", EmailVerification: "none", Status: "active", SignupForm: "by-admin", DateRegistered: base, DateCreated: base, DateModified: base}
		if err := h.store.Create(ctx, c); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := h.store.Delete(ctx, 123); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{"/wp-json/wu/v2/customers", "/wp-json/wu/v2/customer"} {
		rec = h.ok(http.MethodPost, path, reference)
		m = object(t, rec)
		checkCustomer(t, m)
		if m["user_id"] != float64(123) || m["email_verification"] != "verified" || m["type"] != "customer" ||
			m["vip"] != false || m["has_trialed"] != false || m["_user"].(map[string]any)["username"] != "user123" {
			t.Fatalf("created %s", rec.Body)
		}
		// A user has at most one customer: 409 naming user_id.
		rec = h.do(http.MethodPost, path, reference, root)
		wantError(t, rec, http.StatusConflict, "wu_rest_conflict", "user_id")
		if _, err := h.store.Delete(ctx, id(m)); err != nil {
			t.Fatal(err)
		}
	}
}

func TestCreateConflicts(t *testing.T) {
	h := newHarness(t)
	h.create("alice", "")
	rec := h.do(http.MethodPost, "/wp-json/wu/v2/customers", `{"username":"alice","email":"new@example.com","password":"secret1"}`, root)
	wantError(t, rec, http.StatusConflict, "wu_rest_conflict", "username")
	rec = h.do(http.MethodPost, "/wp-json/wu/v2/customers", `{"username":"alice2","email":"ALICE@example.com","password":"secret1"}`, root)
	wantError(t, rec, http.StatusConflict, "wu_rest_conflict", "email")
}

func TestCreateRefusesBadInput(t *testing.T) {
	tests := []struct {
		name   string
		ct     string
		body   string
		code   string
		params []string
	}{
		{"empty object", "", `{}`, "wu_rest_invalid_parameter", []string{"user_id"}},
		{"every user field bad", "", `{"username":"Ab","email":"not-an-email","password":"12345"}`,
			"wu_rest_invalid_parameter", []string{"email", "password", "username"}},
		{"missing user fields", "", `{"username":"carol"}`, "wu_rest_invalid_parameter", []string{"email", "password"}},
		{"user fields with user_id", "", `{"user_id":1,"username":"carol","password":"secret1"}`,
			"wu_rest_invalid_parameter", []string{"password", "username"}},
		{"negative user_id", "", `{"user_id":-4}`, "wu_rest_invalid_parameter", []string{"user_id"}},
		{"bad username characters", "", `{"username":"bad name!","email":"a@example.com","password":"secret1"}`,
			"wu_rest_invalid_parameter", []string{"username"}},
		{"every value bad, dates with the rest", "", `{"username":"good.name","email":"a@example.com","password":"secret1",` +
			`"email_verification":"maybe","status":"gone","ips":["nope"],"type":"Bad Type","date_registered":"yesterday","last_login":"13/11/2026"}`,
			"wu_rest_invalid_parameter", []string{"date_registered", "email_verification", "ips", "last_login", "status", "type"}},
		{"unknown field", "", `{"user_id":1,"bogus":true}`, "wu_rest_invalid_parameter", []string{"bogus"}},
		{"wrong type boolean", "", `{"user_id":1,"vip":"yes"}`, "wu_rest_invalid_parameter", []string{"vip"}},
		{"wrong type integer", "", `{"user_id":"abc"}`, "wu_rest_invalid_parameter", []string{"user_id"}},
		{"wrong type array", "", `{"user_id":1,"ips":"1.2.3.4"}`, "wu_rest_invalid_parameter", []string{"ips"}},
		{"malformed JSON", "", `{"user_id":`, "rest_invalid_json", nil},
		{"two values", "", `{"user_id":1} {}`, "rest_invalid_json", nil},
		{"not JSON at all", "", `user_id=1`, "rest_invalid_json", nil},
		{"unsupported media type", "text/plain", `{"user_id":1}`, "wu_rest_invalid_parameter", []string{"Content-Type"}},
		{"unknown form field", "application/x-www-form-urlencoded", `username=carol&email=c%40example.com&password=secret1&bogus=1`,
			"wu_rest_invalid_parameter", []string{"bogus"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			h.create("someone", "") // user 1 exists with a customer
			req := h.request(http.MethodPost, "/wp-json/wu/v2/customers", tt.body, root)
			if tt.ct != "" {
				req.Header.Set("Content-Type", tt.ct)
			}
			rec := h.serve(req)
			m := wantError(t, rec, http.StatusBadRequest, tt.code, tt.params...)
			if tt.code == "rest_invalid_json" && m["message"] != "Invalid JSON body passed." {
				t.Errorf("message %v", m["message"])
			}
			for _, p := range tt.params {
				if param(m, p) == "" {
					t.Errorf("no message for %s: %s", p, rec.Body)
				}
			}
		})
	}
}

func TestCreateUnknownFieldMessage(t *testing.T) {
	h := newHarness(t)
	m := wantError(t, h.do(http.MethodPost, "/wp-json/wu/v2/customers", `{"bogus":1}`, root), 400, "wu_rest_invalid_parameter", "bogus")
	if param(m, "bogus") != "Unknown parameter." {
		t.Fatalf("message %q", param(m, "bogus"))
	}
	m = wantError(t, h.do(http.MethodPost, "/wp-json/wu/v2/customers", `{"vip":"yes"}`, root), 400, "wu_rest_invalid_parameter", "vip")
	if param(m, "vip") != "Invalid parameter type: expected boolean" {
		t.Fatalf("message %q", param(m, "vip"))
	}
}

func TestCreateFromForm(t *testing.T) {
	h := newHarness(t)
	req := h.request(http.MethodPost, "/wp-json/wu/v2/customer",
		"username=formuser&email=form%40example.com&password=secret1&vip=1&has_trialed=true&ips[]=10.0.0.1&ips[]=10.0.0.2", root)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	rec := h.serve(req)
	if rec.Code != http.StatusOK {
		t.Fatalf("%d %s", rec.Code, rec.Body)
	}
	m := object(t, rec)
	checkCustomer(t, m)
	if m["vip"] != true || m["has_trialed"] != true || fmt.Sprint(m["ips"]) != "[10.0.0.1 10.0.0.2]" || m["email"] != "form@example.com" {
		t.Fatalf("created %s", rec.Body)
	}
}
