package e2e

import (
	"encoding/json"
	"strconv"
	"strings"
	"testing"
)

// TestE2ECustomers drives wu customers through the gateway as
// shared/reference/wu-v2-rest-api.txt shows them.
func TestE2ECustomers(t *testing.T) {
	s := startStack(t, 1)
	key, secret, _ := s.createKey([]string{"customers:*"}, nil)
	a := basic(key, secret)

	// A user for the documented body (which names user_id).
	resp, body := s.request("POST", "/wp-json/wu/v2/customers", a,
		`{"username":"jdoe","email":"jdoe@example.com","password":"s3cret-pass"}`)
	if resp.StatusCode != 200 {
		t.Fatalf("create with a new user: %d %s", resp.StatusCode, body)
	}
	var first map[string]any
	_ = json.Unmarshal([]byte(body), &first)
	userID := int64(first["user_id"].(float64))
	firstID := int64(first["id"].(float64))
	if first["model"] != "customer" || first["vip"] != false || first["email"] != "jdoe@example.com" {
		t.Fatalf("shape: %s", body)
	}

	// The reference's create body, with a user that has no customer yet: a
	// second user, created through a customer we then delete.
	resp, body = s.request("POST", "/wp-json/wu/v2/customer", a,
		`{"username":"asmith","email":"asmith@example.com","password":"s3cret-pass"}`)
	var second map[string]any
	_ = json.Unmarshal([]byte(body), &second)
	secondUser := int64(second["user_id"].(float64))
	if resp, body := s.request("DELETE", "/wp-json/wu/v2/customers/"+strconv.FormatInt(int64(second["id"].(float64)), 10), a, nil); resp.StatusCode != 200 || !strings.HasPrefix(body, `{"deleted":true,"previous":{`) {
		t.Fatalf("delete: %d %s", resp.StatusCode, body)
	}
	resp, body = s.request("POST", "/wp-json/wu/v2/customers", a, `{
"user_id": `+strconv.FormatInt(secondUser, 10)+`,
"email_verification": "verified",
"type": "customer",
"has_trialed": false,
"vip": false
}`)
	if resp.StatusCode != 200 || !strings.Contains(body, `"email_verification":"verified"`) {
		t.Fatalf("documented create: %d %s", resp.StatusCode, body)
	}
	_ = userID

	// The documented body as written names user 123, which does not exist.
	resp, body = s.request("POST", "/wp-json/wu/v2/customers", a,
		`{"user_id": 123, "email_verification": "verified", "type": "customer", "has_trialed": false, "vip": false}`)
	if resp.StatusCode != 400 || !strings.Contains(body, `"code":"wu_rest_invalid_parameter"`) || !strings.Contains(body, `"user_id"`) {
		t.Fatalf("unknown user: %d %s", resp.StatusCode, body)
	}

	// Get, update as documented (PUT), PATCH and POST too.
	id := strconv.FormatInt(firstID, 10)
	if resp, body := s.request("GET", "/wp-json/wu/v2/customers/"+id, a, nil); resp.StatusCode != 200 || !strings.Contains(body, `"id":`+id) {
		t.Fatalf("get: %d %s", resp.StatusCode, body)
	}
	resp, body = s.request("PUT", "/wp-json/wu/v2/customers/"+id, a, `{
"vip": true,
"extra_information": "VIP customer notes"
}`)
	if resp.StatusCode != 200 || !strings.Contains(body, `"vip":true`) || !strings.Contains(body, `"extra_information":"VIP customer notes"`) {
		t.Fatalf("documented update: %d %s", resp.StatusCode, body)
	}
	for _, m := range []string{"PATCH", "POST"} {
		if resp, body := s.request(m, "/wp-json/wu/v2/customer/"+id, a, `{"has_trialed":true}`); resp.StatusCode != 200 || !strings.Contains(body, `"has_trialed":true`) {
			t.Fatalf("%s update: %d %s", m, resp.StatusCode, body)
		}
	}

	// List with the documented parameters and the pagination headers.
	resp, body = s.request("GET", "/wp-json/wu/v2/customers?per_page=20&page=1&search=jdoe&status=active", a, nil)
	if resp.StatusCode != 200 || resp.Header.Get("X-WP-Total") != "1" || !strings.HasPrefix(body, "[") {
		t.Fatalf("list: %d %v %s", resp.StatusCode, resp.Header, body)
	}
	resp, body = s.request("GET", "/wp-json/wu/v2/customers?per_page=1&orderby=id&order=asc", a, nil)
	if resp.Header.Get("X-WP-TotalPages") != "2" || !strings.Contains(body, `"id":`+id) {
		t.Fatalf("ordered page: %v %s", resp.Header, body)
	}

	// Bad input: a 4xx in the dialect's shape naming the parameter.
	bad := []struct{ method, path, body, want string }{
		{"GET", "/wp-json/wu/v2/customers?orderby=password", "", `"orderby"`},
		{"GET", "/wp-json/wu/v2/customers?per_page=1000", "", `"per_page"`},
		{"POST", "/wp-json/wu/v2/customers", `{"username":"x"`, `"rest_invalid_json"`},
		{"POST", "/wp-json/wu/v2/customers", `{"username":"newone","email":"n@example.com","password":"s3cret-pass","colour":"red"}`, `"colour"`},
		{"PUT", "/wp-json/wu/v2/customers/" + id, `{"vip":"yes"}`, `"vip"`},
		{"GET", "/wp-json/wu/v2/customers/999999", "", `"wu_rest_customer_invalid_id"`},
	}
	for _, c := range bad {
		var b any
		if c.body != "" {
			b = c.body
		}
		resp, body := s.request(c.method, c.path, a, b)
		if resp.StatusCode < 400 || resp.StatusCode >= 500 || !strings.Contains(body, c.want) {
			t.Errorf("%s %s %s: %d %s", c.method, c.path, c.body, resp.StatusCode, body)
		}
	}
	big := `{"extra_information":"` + strings.Repeat("x", 2<<20) + `"}`
	if resp, body := s.request("PUT", "/wp-json/wu/v2/customers/"+id, a, big); resp.StatusCode != 413 {
		t.Errorf("oversize body: %d %s", resp.StatusCode, body)
	}

	// A key restricted to the customer sees only it.
	rk, rs, _ := s.createKey([]string{"customers:index"}, map[string]any{"customer_id": firstID})
	resp, body = s.request("GET", "/wp-json/wu/v2/customers", basic(rk, rs), nil)
	if resp.StatusCode != 200 || resp.Header.Get("X-WP-Total") != "1" || !strings.Contains(body, `"id":`+id) {
		t.Fatalf("restricted list: %d %s", resp.StatusCode, body)
	}
}
