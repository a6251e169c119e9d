package transport_test

import (
	"encoding/json"
	"testing"

	"github.com/hostplane/hostplane/services/auth/client"
)

// fuzzRoute sends fuzzed bodies, JSON and form, to one route: no body may
// cause a 5xx or an answer that is not JSON.
func fuzzRoute(f *testing.F, method, path string, seeds ...string) {
	for _, s := range seeds {
		f.Add(s, false)
		f.Add(s, true)
	}
	a := newAPI(f)
	a.createKey(root, `{"name":"fuzz","email":"f@example.com","permissions":["*"]}`) // key 2
	f.Fuzz(func(t *testing.T, body string, form bool) {
		a.t = t
		ct := "application/json"
		if form {
			ct = "application/x-www-form-urlencoded"
		}
		p := root
		if len(path) > 10 && path[:10] == "/internal/" {
			p = system
		}
		code, resp, _ := a.call(p, method, path, body, "Content-Type", ct)
		if code >= 500 {
			t.Fatalf("%d for %q: %s", code, body, resp)
		}
		if !json.Valid([]byte(resp)) {
			t.Fatalf("not JSON for %q: %s", body, resp)
		}
	})
}

func FuzzUpdateBody(f *testing.F) {
	fuzzRoute(f, "PUT", "/api/application/keys/2",
		`{"name":"x","permissions":["*"],"allowed_ips":["10.0.0.0/8"],"rate_limit":"5/s","expires_in":"1h"}`,
		`{"allowed_ips":null,"rate_limit":null,"expires_at":null}`, `{"expires_at":"2030-01-01"}`,
		"allowed_ips[]=1.2.3.4&name=y", `{"customer_id":1}`, `[]`, `{"allowed_ips":{"a":1}}`)
}

func FuzzRotateBody(f *testing.F) {
	fuzzRoute(f, "POST", "/api/application/keys/2/rotate", `{"grace":"2h"}`, `{"grace":3600}`, `{"grace":null}`, "grace=90", `{"grace":1e99}`)
}

func FuzzContactBody(f *testing.F) {
	fuzzRoute(f, "PUT", "/v1/account/contact.json",
		`{"firstname":"Ada","civility":"Mrs","company_country_id":250,"company_siret":"73282932000074","company_tva":"FR44732829320"}`,
		"method=PUT&company_country_id=276&email=a%40example.com", `{"company_country_id":"x"}`, `{"company_naf":"62.01Z"}`, `null`)
}

func FuzzSettingBody(f *testing.F) {
	fuzzRoute(f, "PUT", "/wp-json/wu/v2/settings/key_rotation_grace", `{"value":"2h"}`, `{"key_rotation_grace":60}`, "value=1h", `{"value":[1]}`, `{}`)
}

func FuzzActivityBatch(f *testing.F) {
	fuzzRoute(f, "POST", client.ActivityPath,
		`{"calls":[{"key_id":2,"method":"GET","path":"/","status":200,"at":"2026-11-25T12:00:00Z","ip":"203.0.113.9"}]}`,
		`{"calls":[{"key_id":-1,"at":"0001-01-01T00:00:00Z"}]}`, `{"calls":null}`, `{}`)
}

func FuzzVerifyBody(f *testing.F) {
	fuzzRoute(f, "POST", client.VerifyPath, `{"api_key":"hp_x","api_secret":"y"}`, `{"api_key":1}`, "api_key=a&api_secret=b")
}

func FuzzInternalSettingBody(f *testing.F) {
	fuzzRoute(f, "PUT", client.SettingsPath+"/enable_api", `{"value":true}`, `{"value":"0"}`, `{"value":null}`, `{"x":1}`)
}
