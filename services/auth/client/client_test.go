package client_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/hostplane/hostplane/libs/component"
	"github.com/hostplane/hostplane/libs/errs"
	"github.com/hostplane/hostplane/libs/principal"
	"github.com/hostplane/hostplane/libs/upstream"
	"github.com/hostplane/hostplane/services/auth"
	"github.com/hostplane/hostplane/services/auth/client"
	"github.com/hostplane/hostplane/services/auth/keys"
)

const secret = "client-test-secret-0123456789"

type picker string

func (p picker) Next() (string, error) { return string(p), nil }
func (p picker) NextExcept(string) (string, error) {
	return "", errs.New(errs.Unavailable, "one instance")
}

// TestClientAgainstTheService drives every client method against the real
// service (in memory), as the gateway, billing and the CLI use them.
func TestClientAgainstTheService(t *testing.T) {
	ctx := context.Background()
	cfg := auth.Config{Config: component.Config{InternalSecret: secret, MaxBodyBytes: 1 << 20, ShutdownGrace: time.Second}}
	rt, err := component.New(ctx, auth.Name, cfg.Config, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	app, err := auth.New(ctx, cfg, rt, auth.Deps{})
	if err != nil {
		t.Fatal(err)
	}
	defer app.Close()
	srv := httptest.NewServer(rt.Handler(app.API))
	defer srv.Close()
	c := client.New(upstream.New("auth", picker(srv.Listener.Addr().String()), principal.NewSigner(secret), upstream.Options{}))

	exp := time.Now().Add(time.Hour).UTC().Truncate(time.Microsecond)
	k, err := app.Keys.Create(ctx, keys.NewKey{Name: "k", Email: "k@example.com", Permissions: []string{"customers:index"},
		AllowedIPs: []string{"203.0.113.0/24"}, RateLimit: "5/s", ExpiresAt: &exp, CustomerID: 4})
	if err != nil {
		t.Fatal(err)
	}
	id, err := c.Verify(ctx, k.Key.APIKey, k.Secret)
	if err != nil || id.KeyID != k.Key.ID || id.AccountID != 1 || id.CustomerID != 4 || id.RateLimit != 5 || id.RatePeriod != time.Second ||
		len(id.AllowedIPs) != 1 || id.AllowedIPs[0] != "203.0.113.0/24" || id.ExpiresAt == nil || !id.ExpiresAt.Equal(exp) {
		t.Fatalf("verify: %+v %v", id, err)
	}
	if _, err := c.Verify(ctx, k.Key.APIKey, "wrong-secret-000000"); errs.From(err).Reason != keys.ReasonBadSecret {
		t.Fatalf("refusal reason: %v", err)
	}

	if gs, err := c.GatewaySettings(ctx); err != nil || !gs.EnableAPI {
		t.Fatalf("gateway settings: %+v %v", gs, err)
	}
	s, err := c.SetSetting(ctx, "enable_api", json.RawMessage(`false`))
	if err != nil || string(s.Value) != "false" {
		t.Fatalf("set: %+v %v", s, err)
	}
	if gs, _ := c.GatewaySettings(ctx); gs.EnableAPI {
		t.Fatal("enable_api still true")
	}
	if r, err := c.Registration(ctx); err != nil || !r.EnableRegistration {
		t.Fatalf("registration: %+v %v", r, err)
	}
	if s, err := c.Setting(ctx, "currency"); err != nil || string(s.Value) != `"USD"` || string(s.Default) != `"USD"` {
		t.Fatalf("setting: %+v %v", s, err)
	}
	if all, err := c.Settings(ctx); err != nil || len(all) < 5 {
		t.Fatalf("settings: %v %v", all, err)
	}
	if _, err := c.Setting(ctx, "nope"); !errors.Is(err, errs.NotFound) {
		t.Fatalf("unknown setting: %v", err)
	}
	if _, err := c.SetSetting(ctx, "enable_api", json.RawMessage(`"x"`)); !errors.Is(err, errs.Invalid) || errs.From(err).Params["value"] == "" {
		t.Fatalf("wrong value: %v", err)
	}

	at := time.Now().UTC()
	if err := c.RecordActivity(ctx, []client.Call{{KeyID: k.Key.ID, Method: "GET", Path: "/v1/sites.json", Status: 200, At: at, IP: "203.0.113.9"}}); err != nil {
		t.Fatal(err)
	}
	calls, total, err := app.Activity.List(ctx, k.Key.ID, 0, 10)
	if err != nil || total != 1 || calls[0].IP != "203.0.113.9" || !calls[0].At.Equal(at.Truncate(time.Microsecond)) {
		t.Fatalf("activity: %+v %v", calls, err)
	}
}
