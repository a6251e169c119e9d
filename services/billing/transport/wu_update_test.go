package transport

import (
	"context"
	"encoding/json"
	"net/http"
	"reflect"
	"testing"
	"time"
)

// The reference's update body, by PUT, PATCH and POST, on both paths.
func TestUpdateReferenceBodyEveryMethod(t *testing.T) {
	const reference = `{
"vip": true,
"extra_information": "VIP customer notes"
}`
	for _, path := range []string{"/wp-json/wu/v2/customers/1", "/wp-json/wu/v2/customer/1"} {
		for _, method := range []string{http.MethodPut, http.MethodPatch, http.MethodPost} {
			t.Run(method+" "+path, func(t *testing.T) {
				h := newHarness(t)
				before := h.create("alice", `,"ips":["127.0.0.1"],"email_verification":"verified"`)
				h.clock.advance(time.Hour)
				rec := h.ok(method, path, reference)
				after := object(t, rec)
				checkCustomer(t, after)
				want := map[string]any{}
				for k, v := range before {
					want[k] = v
				}
				want["vip"], want["extra_information"], want["date_modified"] = true, "VIP customer notes", "2026-11-23 22:02:51"
				if !reflect.DeepEqual(after, want) {
					t.Fatalf("after update\n got %v\nwant %v", after, want)
				}
				if got := object(t, h.ok(http.MethodGet, path, "")); !reflect.DeepEqual(got, want) {
					t.Fatalf("read back %v", got)
				}
			})
		}
	}
}

func TestUpdatePartialFields(t *testing.T) {
	h := newHarness(t)
	h.create("alice", `,"vip":true,"extra_information":"keep me","ips":["10.0.0.1"]`)
	tests := []struct {
		body string
		want map[string]any
	}{
		{`{"status":"suspended"}`, map[string]any{"status": "suspended"}},
		{`{"email_verification":"verified","has_trialed":true}`, map[string]any{"email_verification": "verified", "has_trialed": true}},
		{`{"type":"reseller"}`, map[string]any{"type": "reseller"}},
		{`{"ips":[]}`, map[string]any{"ips": []any{}}},
		{`{"ips":["::1","8.8.8.8"]}`, map[string]any{"ips": []any{"::1", "8.8.8.8"}}},
		{`{"last_login":"2026-11-24 08:00:00"}`, map[string]any{"last_login": "2026-11-24 08:00:00"}},
		{`{"last_login":""}`, map[string]any{"last_login": nil}},
		{`{"date_registered":"2025-01-01T00:00:00Z"}`, map[string]any{"date_registered": "2025-01-01 00:00:00"}},
		{`{"vip":false}`, map[string]any{"vip": false}},
		{`{"extra_information":""}`, map[string]any{"extra_information": ""}},
	}
	for _, tt := range tests {
		before := object(t, h.ok(http.MethodGet, "/wp-json/wu/v2/customers/1", ""))
		h.clock.advance(time.Minute)
		after := object(t, h.ok(http.MethodPatch, "/wp-json/wu/v2/customers/1", tt.body))
		checkCustomer(t, after)
		want := map[string]any{}
		for k, v := range before {
			want[k] = v
		}
		for k, v := range tt.want {
			want[k] = v
		}
		want["date_modified"] = h.clock.now().Format("2006-01-02 15:04:05")
		if !reflect.DeepEqual(after, want) {
			t.Fatalf("%s:\n got %v\nwant %v", tt.body, after, want)
		}
	}
}

func TestUpdateUserFields(t *testing.T) {
	h := newHarness(t)
	h.create("alice", "")
	rec := h.ok(http.MethodPut, "/wp-json/wu/v2/customers/1", `{"email":"Alice.New@Example.com","display_name":"Alice N","password":"another-secret"}`)
	m := object(t, rec)
	u := m["_user"].(map[string]any)
	if m["email"] != "Alice.New@Example.com" || u["email"] != "Alice.New@Example.com" || u["display_name"] != "Alice N" || u["username"] != "alice" {
		t.Fatalf("after update %s", rec.Body)
	}
	c, err := h.store.Get(context.Background(), 1)
	if err != nil {
		t.Fatal(err)
	}
	if ok, _ := h.hasher.Verify(c.User.PasswordHash, "another-secret"); !ok {
		t.Fatal("password not changed")
	}
	// The old email is free, the new one taken by alice.
	h.create("bobby", "")
	rec = h.do(http.MethodPatch, "/wp-json/wu/v2/customers/2", `{"email":"alice.new@example.com"}`, root)
	wantError(t, rec, http.StatusConflict, "wu_rest_conflict", "email")
	rec = h.ok(http.MethodPatch, "/wp-json/wu/v2/customers/2", `{"email":"alice@example.com"}`)
	if object(t, rec)["email"] != "alice@example.com" {
		t.Fatalf("email %s", rec.Body)
	}
}

func TestUpdateEmptyBodyChangesNothing(t *testing.T) {
	h := newHarness(t)
	before := h.ok(http.MethodPost, "/wp-json/wu/v2/customers", `{"username":"alice","email":"alice@example.com","password":"secret1"}`).Body.String()
	h.clock.advance(time.Hour)
	for _, body := range []string{`{}`, ``} {
		if got := h.ok(http.MethodPost, "/wp-json/wu/v2/customer/1", body).Body.String(); got != before {
			t.Fatalf("body %q changed the customer:\n%s\n%s", body, got, before)
		}
	}
}

func TestUpdateRefusesBadInput(t *testing.T) {
	tests := []struct {
		name   string
		body   string
		code   string
		params []string
	}{
		{"every value bad", `{"status":"gone","email_verification":"x","email":"bad","password":"123","ips":["1.2.3"],"type":"","display_name":"ok","last_login":"nope","date_registered":""}`,
			"wu_rest_invalid_parameter", []string{"date_registered", "email", "email_verification", "ips", "last_login", "password", "status", "type"}},
		{"unknown field", `{"vip":true,"username":"renamed"}`, "wu_rest_invalid_parameter", []string{"username"}},
		{"wrong type", `{"vip":1}`, "wu_rest_invalid_parameter", []string{"vip"}},
		{"wrong type array item", `{"ips":[1]}`, "wu_rest_invalid_parameter", []string{"ips"}},
		{"malformed JSON", `{"vip": tru`, "rest_invalid_json", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			before := h.create("alice", "")
			for _, method := range []string{http.MethodPut, http.MethodPatch, http.MethodPost} {
				rec := h.do(method, "/wp-json/wu/v2/customers/1", tt.body, root)
				wantError(t, rec, http.StatusBadRequest, tt.code, tt.params...)
			}
			if after := object(t, h.ok(http.MethodGet, "/wp-json/wu/v2/customers/1", "")); !reflect.DeepEqual(after, before) {
				t.Fatalf("refused update changed %v", after)
			}
		})
	}
}

// An unknown id answers 404 whatever the body, as the plugin does
// (reference 34: PUT with an unknown field on a deleted customer).
func TestUpdateUnknownID(t *testing.T) {
	h := newHarness(t)
	h.create("alice", "")
	for _, body := range []string{`{"vip":true}`, `{"unknown_field":"x"}`, `{"status":"gone"}`, `{bad json`} {
		for _, path := range []string{"/wp-json/wu/v2/customers/2", "/wp-json/wu/v2/customer/2", "/wp-json/wu/v2/customer/abc"} {
			rec := h.do(http.MethodPut, path, body, root)
			const want = `{"code":"wu_rest_customer_invalid_id","message":"Item not found.","data":{"status":404}}`
			if rec.Code != http.StatusNotFound || rec.Body.String() != want {
				t.Fatalf("PUT %s %s: %d %s", path, body, rec.Code, rec.Body)
			}
		}
	}
}

func TestUpdateFromForm(t *testing.T) {
	h := newHarness(t)
	h.create("alice", "")
	req := h.request(http.MethodPost, "/wp-json/wu/v2/customers/1", "vip=1&extra_information=VIP+customer+notes&ips[0]=1.1.1.1", root)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	rec := h.serve(req)
	var m map[string]any
	if err := json.Unmarshal(rec.Body.Bytes(), &m); err != nil || rec.Code != 200 {
		t.Fatalf("%d %s", rec.Code, rec.Body)
	}
	if m["vip"] != true || m["extra_information"] != "VIP customer notes" || len(m["ips"].([]any)) != 1 {
		t.Fatalf("form update %s", rec.Body)
	}
}
