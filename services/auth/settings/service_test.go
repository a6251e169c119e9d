package settings_test

import (
	"context"
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/hostplane/hostplane/libs/errs"
	"github.com/hostplane/hostplane/libs/principal"
	"github.com/hostplane/hostplane/services/auth/memory"
	"github.com/hostplane/hostplane/services/auth/settings"
)

func TestService(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	svc := settings.NewService(memory.NewSettings(), func() time.Time { return now })

	on, err := svc.Bool(ctx, settings.EnableAPI)
	if err != nil || !on {
		t.Fatalf("enable_api defaults to true: %v %v", on, err)
	}
	if g, err := svc.Duration(ctx, settings.KeyRotationGrace); err != nil || g != 24*time.Hour {
		t.Fatalf("default grace: %v %v", g, err)
	}
	s, err := svc.Set(ctx, settings.EnableAPI, json.RawMessage(`"false"`))
	if err != nil || string(s.Value) != `false` || !s.IsSet || s.UpdatedAt == nil || !s.UpdatedAt.Equal(now) {
		t.Fatalf("set: %+v %v", s, err)
	}
	if on, _ := svc.Bool(ctx, settings.EnableAPI); on {
		t.Fatal("enable_api still true")
	}

	// Secrets are stored but never read back.
	s, err = svc.Set(ctx, settings.WebhookSecret, json.RawMessage(`"whsec_0123456789"`))
	if err != nil || s.Value != nil || s.Default != nil || !s.IsSet {
		t.Fatalf("secret: %+v %v", s, err)
	}
	if s, _ := svc.Get(ctx, settings.WebhookSecret); s.Value != nil || !s.IsSet {
		t.Fatalf("secret read back: %s", s.Value)
	}
	if v, _ := svc.Text(ctx, settings.WebhookSecret); v != "whsec_0123456789" {
		t.Fatalf("internal read of the secret: %q", v)
	}
	all, err := svc.List(ctx)
	if err != nil || len(all) != len(settings.Registry()) {
		t.Fatalf("list: %v %v", all, err)
	}
	for _, s := range all {
		if s.Secret && s.Value != nil {
			t.Errorf("list shows the secret %s", s.Key)
		}
		if !s.Secret && s.Value == nil {
			t.Errorf("%s without a value", s.Key)
		}
	}

	if _, err := svc.Get(ctx, "nope"); !errors.Is(err, errs.NotFound) || errs.From(err).Resource != "setting" {
		t.Fatalf("unknown key: %v", err)
	}
	if _, err := svc.Set(ctx, "nope", json.RawMessage(`1`)); !errors.Is(err, errs.NotFound) {
		t.Fatalf("unknown key set: %v", err)
	}
	if _, err := svc.Set(ctx, settings.EnableAPI, json.RawMessage(`"sometimes"`)); !errors.Is(err, errs.Invalid) {
		t.Fatalf("wrong type: %v", err)
	}
	if on, _ := svc.Bool(ctx, settings.EnableAPI); on {
		t.Fatal("a refused value changed the setting")
	}
	restricted := principal.With(ctx, &principal.Principal{KeyID: 2, CustomerID: 9, Permissions: []string{"*"}})
	if _, err := svc.Set(restricted, settings.EnableAPI, json.RawMessage(`true`)); !errors.Is(err, errs.Forbidden) {
		t.Fatalf("customer-restricted key changed a setting: %v", err)
	}
	reseller := principal.With(ctx, &principal.Principal{KeyID: 3, AccountID: 2, Permissions: []string{"*"}})
	if _, err := svc.Set(reseller, settings.EnableAPI, json.RawMessage(`true`)); !errors.Is(err, errs.Forbidden) {
		t.Fatalf("a reseller's key changed the installation's settings: %v", err)
	}
	if on, _ := svc.Bool(ctx, settings.EnableAPI); on {
		t.Fatal("a refused change changed the setting")
	}
	operator := principal.With(ctx, &principal.Principal{KeyID: 1, AccountID: 1, Permissions: []string{"*"}})
	if _, err := svc.Set(operator, settings.EnableAPI, json.RawMessage(`true`)); err != nil {
		t.Fatalf("the operator's key: %v", err)
	}
	if on, _ := svc.Bool(ctx, settings.EnableAPI); !on {
		t.Fatal("the operator's change was not kept")
	}
}
