package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hostplane/hostplane/libs/component"
	"github.com/hostplane/hostplane/services/auth"
)

const settingsSecret = "settings-test-secret-0123456789"

// authServer runs an auth service in memory behind its real middleware.
func authServer(t *testing.T) string {
	t.Helper()
	ctx := context.Background()
	cfg := auth.Config{Config: component.Config{InternalSecret: settingsSecret, MaxBodyBytes: 1 << 20, ShutdownGrace: time.Second}}
	rt, err := component.New(ctx, auth.Name, cfg.Config, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	app, err := auth.New(ctx, cfg, rt, auth.Deps{})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(rt.Handler(app.API))
	t.Cleanup(srv.Close)
	t.Cleanup(app.Close)
	return srv.Listener.Addr().String()
}

func TestSettingsCommand(t *testing.T) {
	addr := authServer(t)
	env := envOf(map[string]string{"HOSTPLANE_AUTH_ADDR": addr, "HOSTPLANE_INTERNAL_SECRET": settingsSecret})
	run := func(args ...string) (string, error) {
		var out bytes.Buffer
		err := run(context.Background(), append([]string{"settings"}, args...), &out, io.Discard, env)
		return out.String(), err
	}
	if out, err := run("get", "enable_api"); err != nil || out != "true\n" {
		t.Fatalf("get: %q %v", out, err)
	}
	if out, err := run("set", "enable_api", "false"); err != nil || out != "enable_api = false\n" {
		t.Fatalf("set: %q %v", out, err)
	}
	if out, err := run("set", "company_name", "ACME SAS"); err != nil || out != "company_name = \"ACME SAS\"\n" {
		t.Fatalf("set text: %q %v", out, err)
	}
	if out, err := run("set", "key_rotation_grace", "90m"); err != nil || out != "key_rotation_grace = \"1h30m\"\n" {
		t.Fatalf("set duration: %q %v", out, err)
	}
	if out, err := run("set", "webhook_secret", "whsec_0123456789"); err != nil || strings.Contains(out, "whsec") {
		t.Fatalf("set secret: %q %v", out, err)
	}
	out, err := run("get")
	if err != nil || !strings.Contains(out, "enable_api = false\n") || !strings.Contains(out, "currency = \"USD\"\n") ||
		!strings.Contains(out, "webhook_secret = (secret, set)\n") {
		t.Fatalf("list: %q %v", out, err)
	}
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"set", "enable_api", "sometimes"}, "expects a boolean"},
		{[]string{"get", "nope"}, "Unknown setting"},
		{[]string{"set", "nope", "1"}, "Unknown setting"},
	} {
		if _, err := run(tt.args...); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%v: %v, want %q", tt.args, err, tt.want)
		}
	}

	// A wrong secret, no secret, nobody listening.
	var out2 bytes.Buffer
	err = runSettings(context.Background(), []string{"get", "enable_api"}, &out2,
		envOf(map[string]string{"HOSTPLANE_AUTH_ADDR": addr, "HOSTPLANE_INTERNAL_SECRET": "another-secret-0123456789"}))
	if err == nil || !strings.Contains(err.Error(), "HOSTPLANE_INTERNAL_SECRET") {
		t.Errorf("wrong secret: %v", err)
	}
	t.Setenv("XDG_STATE_HOME", t.TempDir()) // no dev credentials either
	if err := runSettings(context.Background(), []string{"get"}, &out2, envOf(map[string]string{"HOSTPLANE_AUTH_ADDR": addr})); err == nil ||
		!strings.Contains(err.Error(), "HOSTPLANE_INTERNAL_SECRET") {
		t.Errorf("no secret: %v", err)
	}
	err = runSettings(context.Background(), []string{"get", "--addr=127.0.0.1:1"}, &out2, envOf(map[string]string{"HOSTPLANE_INTERNAL_SECRET": settingsSecret}))
	if err == nil || !strings.Contains(err.Error(), "cannot reach the auth service at 127.0.0.1:1") {
		t.Errorf("nobody listening: %v", err)
	}
}

func TestParseSettings(t *testing.T) {
	t.Setenv("XDG_STATE_HOME", t.TempDir()) // no saved auth address
	tests := []struct {
		args      []string
		ok        bool
		action    string
		key, addr string
		value     string
	}{
		{[]string{"get"}, true, "get", "", defaultAuthAddr, ""},
		{[]string{"get", "enable_api", "--addr=:9081"}, true, "get", "enable_api", "127.0.0.1:9081", ""},
		{[]string{"--addr=http://10.0.0.5:8081/", "set", "enable_api", "true"}, true, "set", "enable_api", "10.0.0.5:8081", "true"},
		{[]string{"set", "company_name", "ACME"}, true, "set", "company_name", defaultAuthAddr, `"ACME"`},
		{[]string{"set", "key_rotation_grace", "3600"}, true, "set", "key_rotation_grace", defaultAuthAddr, `3600`},
		{[]string{"set", "enable_api"}, false, "", "", "", ""},
		{[]string{"set", "", "1"}, false, "", "", "", ""},
		{[]string{"get", "a", "b"}, false, "", "", "", ""},
		{[]string{"delete", "a"}, false, "", "", "", ""},
		{[]string{}, false, "", "", "", ""},
		{[]string{"get", "--colour=red"}, false, "", "", "", ""},
	}
	for _, tt := range tests {
		got, err := parseSettings(tt.args, envOf(nil))
		var ue usageError
		if tt.ok != (err == nil) || (err != nil && !errors.As(err, &ue)) {
			t.Errorf("%v: err = %v", tt.args, err)
			continue
		}
		if tt.ok && (got.Action != tt.action || got.Key != tt.key || got.Addr != tt.addr || string(got.Value) != tt.value) {
			t.Errorf("%v: got %+v", tt.args, got)
		}
	}
	if got, _ := parseSettings([]string{"get"}, envOf(map[string]string{"HOSTPLANE_AUTH_ADDR": "0.0.0.0:7000"})); got.Addr != "127.0.0.1:7000" {
		t.Errorf("HOSTPLANE_AUTH_ADDR: %+v", got)
	}
}

func TestSettingsUsesTheDevInternalSecret(t *testing.T) {
	addr := authServer(t)
	t.Setenv("XDG_STATE_HOME", t.TempDir())
	path, err := devCredentialsPath()
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(`{"addr":"http://127.0.0.1:8080","api_key":"k","api_secret":"s","internal_secret":"`+settingsSecret+`"}`), 0o600); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := runSettings(context.Background(), []string{"get", "currency"}, &out, envOf(map[string]string{"HOSTPLANE_AUTH_ADDR": addr})); err != nil || out.String() != "\"USD\"\n" {
		t.Fatalf("%q %v", out.String(), err)
	}
}

// TestSettingsUsesWhatDevSaved: the secret and the auth address that
// `hostplane dev` adds to its credentials file are enough to reach the auth
// service, and the root credentials stay readable.
func TestSettingsUsesWhatDevSaved(t *testing.T) {
	addr := authServer(t)
	t.Setenv("XDG_STATE_HOME", t.TempDir())
	path, err := writeDevCredentials(devCredentials{Addr: "http://127.0.0.1:8080", APIKey: "root", APISecret: "root-secret"})
	if err != nil {
		t.Fatal(err)
	}
	if err := saveDevAuthAccess(path, devAuthAccess{InternalSecret: settingsSecret, AuthAddr: addr}); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("credentials file: %v %v", fi, err)
	}
	if c, err := readDevCredentials(); err != nil || c.APIKey != "root" || c.APISecret != "root-secret" {
		t.Fatalf("root credentials after saving the auth access: %+v %v", c, err)
	}
	var out bytes.Buffer
	if err := runSettings(context.Background(), []string{"set", "enable_api", "false"}, &out, envOf(nil)); err != nil || out.String() != "enable_api = false\n" {
		t.Fatalf("%q %v", out.String(), err)
	}
	if err := saveDevAuthAccess(filepath.Join(t.TempDir(), "missing.json"), devAuthAccess{}); err == nil {
		t.Fatal("saved into a file dev never wrote")
	}
}
