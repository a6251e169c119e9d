package transport_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/hostplane/hostplane/libs/principal"
	"github.com/hostplane/hostplane/services/auth/client"
)

func TestSettingsThroughWU(t *testing.T) {
	a := newAPI(t)
	code, body, _ := a.call(root, "GET", "/wp-json/wu/v2/settings", "")
	var all map[string]json.RawMessage
	_ = json.Unmarshal([]byte(body), &all)
	if code != 200 || string(all["enable_api"]) != "true" || string(all["currency"]) != `"USD"` || string(all["key_rotation_grace"]) != `"24h"` {
		t.Fatalf("list: %d %s", code, body)
	}
	if _, ok := all["webhook_secret"]; ok {
		t.Fatalf("the list shows a secret setting: %s", body)
	}

	code, body, _ = a.call(root, "GET", "/wp-json/wu/v2/settings/enable_registration", "")
	if code != 200 || !strings.Contains(body, `"key":"enable_registration","value":true,"type":"boolean","default":true`) ||
		!strings.Contains(body, `"date_modified":null`) {
		t.Fatalf("one: %d %s", code, body)
	}
	for _, tt := range []struct{ method, body, want string }{
		{"PUT", `{"value":false}`, `"value":false`},
		{"PATCH", `{"enable_registration":true}`, `"value":true`},
		{"POST", `value=0`, `"value":false`},
	} {
		code, body, _ := a.call(root, tt.method, "/wp-json/wu/v2/settings/enable_registration", tt.body)
		if code != 200 || !strings.Contains(body, tt.want) || !strings.Contains(body, `"is_set":true`) || strings.Contains(body, `"date_modified":null`) {
			t.Fatalf("%s %s: %d %s", tt.method, tt.body, code, body)
		}
	}
	// What billing reads, at once.
	if code, body, _ := a.call(system, "GET", client.RegistrationSettingsPath, ""); code != 200 || strings.TrimSpace(body) != `{"enable_registration":false}` {
		t.Fatalf("registration: %d %s", code, body)
	}

	// Secrets go in, never out.
	code, body, _ = a.call(root, "PUT", "/wp-json/wu/v2/settings/webhook_secret", `{"value":"whsec_topsecret_123"}`)
	if code != 200 || strings.Contains(body, "topsecret") || !strings.Contains(body, `"value":null`) || !strings.Contains(body, `"is_set":true`) {
		t.Fatalf("secret put: %d %s", code, body)
	}
	for _, path := range []string{"/wp-json/wu/v2/settings/webhook_secret", "/wp-json/wu/v2/settings"} {
		if _, body, _ := a.call(root, "GET", path, ""); strings.Contains(body, "topsecret") {
			t.Fatalf("%s shows the secret: %s", path, body)
		}
	}
	if _, body, _ := a.call(system, "GET", client.SettingsPath, ""); strings.Contains(body, "topsecret") {
		t.Fatalf("the internal list shows the secret: %s", body)
	}

	bad := []struct {
		method, path, body string
		code               int
		want               string
	}{
		{"GET", "/wp-json/wu/v2/settings/nope", "", 404, `"code":"wu_rest_setting_invalid_id"`},
		{"PUT", "/wp-json/wu/v2/settings/nope", `{"value":1}`, 404, `"code":"wu_rest_setting_invalid_id"`},
		{"PUT", "/wp-json/wu/v2/settings/enable_api", `{"value":"sometimes"}`, 400, `"code":"wu_rest_invalid_parameter"`},
		{"PUT", "/wp-json/wu/v2/settings/enable_api", `{"value":[true]}`, 400, `"params":{"value":`},
		{"PUT", "/wp-json/wu/v2/settings/currency", `{"value":"ZZZ"}`, 400, `"params":{"value":`},
		{"PUT", "/wp-json/wu/v2/settings/key_rotation_grace", `{"value":"1000h"}`, 400, `"params":{"value":`},
		{"PUT", "/wp-json/wu/v2/settings/enable_api", `{}`, 400, `"params":{"value":"This field is required."}`},
		{"PUT", "/wp-json/wu/v2/settings/enable_api", `{"value":true,"other":1}`, 400, `"params":{"other":`},
		{"PUT", "/wp-json/wu/v2/settings/enable_api", `{"value":`, 400, `"code":"rest_invalid_json"`},
	}
	for _, tt := range bad {
		code, body, _ := a.call(root, tt.method, tt.path, tt.body)
		if code != tt.code || !strings.Contains(body, tt.want) {
			t.Errorf("%s %s %s: %d %s", tt.method, tt.path, tt.body, code, body)
		}
	}
	if _, body, _ := a.call(root, "GET", "/wp-json/wu/v2/settings/enable_api", ""); !strings.Contains(body, `"value":true`) {
		t.Errorf("refused values changed enable_api: %s", body)
	}
	restricted := &principal.Principal{KeyID: 9, AccountID: 1, CustomerID: 3, Permissions: []string{"*"}}
	if code, body, _ := a.call(restricted, "PUT", "/wp-json/wu/v2/settings/enable_api", `{"value":false}`); code != 403 || !strings.Contains(body, "rest_forbidden") {
		t.Errorf("customer-restricted key: %d %s", code, body)
	}
}

func TestInternalRoutes(t *testing.T) {
	a := newAPI(t)
	// enable_api as the gateway polls it: a change is visible at once.
	if code, body, _ := a.call(system, "GET", client.GatewaySettingsPath, ""); code != 200 || strings.TrimSpace(body) != `{"enable_api":true}` {
		t.Fatalf("gateway settings: %d %s", code, body)
	}
	if code, body, _ := a.call(root, "PUT", "/wp-json/wu/v2/settings/enable_api", `{"value":false}`); code != 200 {
		t.Fatalf("disable: %d %s", code, body)
	}
	if _, body, _ := a.call(system, "GET", client.GatewaySettingsPath, ""); strings.TrimSpace(body) != `{"enable_api":false}` {
		t.Fatalf("after disabling: %s", body)
	}
	// The CLI's way back in.
	code, body, _ := a.call(system, "PUT", client.SettingsPath+"/enable_api", `{"value":true}`)
	var s client.Setting
	_ = json.Unmarshal([]byte(body), &s)
	if code != 200 || string(s.Value) != "true" || s.Type != "boolean" || string(s.Default) != "true" || !s.IsSet || s.UpdatedAt == nil {
		t.Fatalf("internal set: %d %s", code, body)
	}
	if code, body, _ := a.call(system, "GET", client.SettingsPath+"/currency", ""); code != 200 || !strings.Contains(body, `"value":"USD"`) {
		t.Fatalf("internal get: %d %s", code, body)
	}
	if code, body, _ := a.call(system, "PUT", client.SettingsPath+"/enable_api", `{"value":"x"}`); code != 400 || !strings.Contains(body, `"value"`) {
		t.Fatalf("internal set, wrong type: %d %s", code, body)
	}
	if code, _, _ := a.call(system, "GET", client.SettingsPath+"/nope", ""); code != 404 {
		t.Fatalf("internal unknown: %d", code)
	}
	// Only system callers.
	for _, tt := range []struct{ method, path, body string }{
		{"GET", client.GatewaySettingsPath, ""},
		{"GET", client.RegistrationSettingsPath, ""},
		{"GET", client.SettingsPath, ""},
		{"PUT", client.SettingsPath + "/enable_api", `{"value":false}`},
		{"POST", client.ActivityPath, `{"calls":[]}`},
	} {
		if code, _, _ := a.call(root, tt.method, tt.path, tt.body); code != 403 {
			t.Errorf("%s %s with an API key's principal: %d", tt.method, tt.path, code)
		}
		if code, _, _ := a.call(nil, tt.method, tt.path, tt.body); code != 401 {
			t.Errorf("%s %s unsigned: %d", tt.method, tt.path, code)
		}
	}
	if code, body, _ := a.call(system, "POST", client.ActivityPath, `{"calls":[{"key_id":1,"nope":1}]}`); code != 400 {
		t.Errorf("activity batch with an unknown field: %d %s", code, body)
	}
}
