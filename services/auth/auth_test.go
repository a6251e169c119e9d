package auth_test

import (
	"context"
	"encoding/json"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/hostplane/hostplane/libs/component"
	"github.com/hostplane/hostplane/libs/pgkit/pgtest"
	"github.com/hostplane/hostplane/libs/principal"
	"github.com/hostplane/hostplane/services/auth"
	"github.com/hostplane/hostplane/services/auth/keys"
	"github.com/hostplane/hostplane/services/auth/settings"
)

func config(dbURL string) auth.Config {
	return auth.Config{
		Config:           component.Config{InternalSecret: "0123456789abcdef0123456789abcdef", MaxBodyBytes: 1 << 20, ShutdownGrace: time.Second},
		DatabaseURL:      dbURL,
		RootAPIKey:       "hp_root_wiring",
		RootAPISecret:    "root-secret-0123456789",
		InstallationName: "Wiring Test",
	}
}

func start(t *testing.T, cfg auth.Config) *auth.App {
	t.Helper()
	ctx := context.Background()
	rt, err := component.New(ctx, auth.Name, cfg.Config, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	app, err := auth.New(ctx, cfg, rt, auth.Deps{Version: "v9.9.9"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(app.Close)
	return app
}

// TestTwoInstancesShareOnePostgres wires the service on PostgreSQL twice, as
// two instances (or a restart) would: the operator's account, the root key,
// settings and the instance id are the same for both.
func TestTwoInstancesShareOnePostgres(t *testing.T) {
	url := pgtest.Fresh(t)
	cfg := config(url)
	if err := auth.Migrate(context.Background(), cfg, nil); err != nil {
		t.Fatal(err)
	}
	a, b := start(t, cfg), start(t, cfg)
	ctx := context.Background()

	la, err := a.License.Get(ctx)
	if err != nil {
		t.Fatal(err)
	}
	lb, err := b.License.Get(ctx)
	if err != nil || lb.InstanceID != la.InstanceID || la.Version != "v9.9.9" || la.IssuedTo != "Wiring Test" {
		t.Fatalf("licenses: %+v / %+v %v", la, lb, err)
	}
	if _, err := a.Settings.Set(ctx, settings.EnableAPI, json.RawMessage(`false`)); err != nil {
		t.Fatal(err)
	}
	if on, err := b.Settings.Bool(ctx, settings.EnableAPI); err != nil || on {
		t.Fatalf("the other instance sees enable_api=%v %v", on, err)
	}
	acc, err := b.Accounts.Get(ctx)
	if err != nil || acc.ID != 1 || acc.Type != "operator" {
		t.Fatalf("operator account: %+v %v", acc, err)
	}
	v, err := b.Keys.Verify(ctx, "hp_root_wiring", "root-secret-0123456789")
	if err != nil || v.Key.AccountID != 1 {
		t.Fatalf("root key: %+v %v", v, err)
	}
	// A key rotated on one instance: its grace is read from the setting,
	// and the other instance honours both secrets.
	if _, err := a.Settings.Set(ctx, settings.KeyRotationGrace, json.RawMessage(`"1h"`)); err != nil {
		t.Fatal(err)
	}
	c, err := a.Keys.Create(ctx, keys.NewKey{Name: "x", Email: "x@example.com", Permissions: []string{"customers:index"}, AllowedIPs: []string{"203.0.113.9"}})
	if err != nil {
		t.Fatal(err)
	}
	r, err := a.Keys.Rotate(ctx, c.Key.ID, keys.RotateOptions{})
	if err != nil || r.Key.PrevSecretUntil == nil || r.Key.PrevSecretUntil.Sub(*r.Key.RotatedAt) != time.Hour {
		t.Fatalf("rotate: %+v %v", r.Key, err)
	}
	for _, secret := range []string{c.Secret, r.Secret} {
		if v, err := b.Keys.Verify(ctx, c.Key.APIKey, secret); err != nil || strings.Join(v.Key.AllowedIPs, ",") != "203.0.113.9/32" {
			t.Fatalf("verify on the other instance: %+v %v", v, err)
		}
	}
	caller := principal.With(ctx, &principal.Principal{KeyID: 1, AccountID: 1, Permissions: []string{"*"}})
	if _, total, err := b.Keys.List(caller, keys.ListFilter{}); err != nil || total != 2 {
		t.Fatalf("keys: %d %v", total, err)
	}
}

func TestConfigValidate(t *testing.T) {
	cfg := config("")
	cfg.RootAPISecret = ""
	if err := cfg.Validate(); err == nil {
		t.Fatal("a root key without its secret was accepted")
	}
	cfg = config("")
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
}
