package e2e

import (
	"os/exec"
	"strings"
	"testing"
	"time"
)

func TestE2EAuthEnableAPI(t *testing.T) {
	s := startStack(t, 1)
	root := basic(s.rootKey, s.rootSecret)
	gw1 := s.gatewayURL
	gw2 := "http://" + s.start("gateway", "").addr

	code, body := s.status(gw1, "GET", "/wp-json/wu/v2/settings", root, nil)
	if code != 200 || !strings.Contains(body, `"enable_api":true`) {
		t.Fatalf("settings: %d %s", code, body)
	}
	code, body = s.status(gw1, "PUT", "/wp-json/wu/v2/settings/enable_api", root, `{"value":"maybe"}`)
	if code != 400 || !strings.Contains(body, `"code":"wu_rest_invalid_parameter"`) {
		t.Fatalf("wrong type: %d %s", code, body)
	}
	code, body = s.status(gw1, "GET", "/wp-json/wu/v2/settings/nope", root, nil)
	if code != 404 || !strings.Contains(body, `"code":"wu_rest_setting_invalid_id"`) {
		t.Fatalf("unknown setting: %d %s", code, body)
	}

	code, body = s.status(gw1, "PUT", "/wp-json/wu/v2/settings/enable_api", root, `{"value":false}`)
	if code != 200 || !strings.Contains(body, `"value":false`) {
		t.Fatalf("disable: %d %s", code, body)
	}
	for _, gw := range []string{gw1, gw2} {
		took := within(t, time.Second, gw+" refuses the API", func() (bool, string) {
			code, body := s.status(gw, "GET", "/wp-json/wu/v2/customers", root, nil)
			return code == 403 && strings.Contains(body, `"code":"rest_forbidden"`) && strings.Contains(body, "disabled"), body
		})
		t.Logf("%s: API disabled after %v", gw, took)
		for _, c := range []struct{ path, want string }{
			{"/api/application/keys", `{"message":"The API is disabled`},
			{"/v1/rate.json", `"code":4308`},
			{"/wp-json/wu/v2/settings/enable_api", `rest_forbidden`},
		} {
			if code, body := s.status(gw, "GET", c.path, root, nil); code != 403 || !strings.Contains(body, c.want) {
				t.Errorf("%s %s: %d %s", gw, c.path, code, body)
			}
		}
		if code, body := s.status(gw, "GET", "/api/application/health", root, nil); code != 200 {
			t.Errorf("%s health while disabled: %d %s", gw, code, body)
		}
	}

	// The operator's way back in: the CLI, straight to the auth service.
	cli := func(args ...string) string {
		cmd := exec.Command(s.bin, append([]string{"settings"}, args...)...)
		cmd.Env = append(s.env, "HOSTPLANE_AUTH_ADDR="+s.proc("auth", 0).addr)
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("hostplane settings %v: %v\n%s", args, err, out)
		}
		return string(out)
	}
	if out := cli("get", "enable_api"); strings.TrimSpace(out) != "false" {
		t.Fatalf("settings get: %q", out)
	}
	if out := cli("set", "enable_api", "true"); strings.TrimSpace(out) != "enable_api = true" {
		t.Fatalf("settings set: %q", out)
	}
	for _, gw := range []string{gw1, gw2} {
		within(t, time.Second, gw+" serves the API again", func() (bool, string) {
			code, body := s.status(gw, "GET", "/wp-json/wu/v2/customers", root, nil)
			return code == 200, body
		})
	}
	// Registration, as billing will read it.
	code, body = s.status(gw1, "PUT", "/wp-json/wu/v2/settings/enable_registration", root, "value=0", "Content-Type", "application/x-www-form-urlencoded")
	if code != 200 || !strings.Contains(body, `"value":false`) {
		t.Fatalf("registration: %d %s", code, body)
	}
	if out := cli("get"); !strings.Contains(out, "enable_registration = false") || !strings.Contains(out, "enable_api = true") {
		t.Fatalf("settings list: %q", out)
	}
}
