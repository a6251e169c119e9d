package client_test

import (
	"context"
	"errors"
	"io"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/hostplane/hostplane/libs/component"
	"github.com/hostplane/hostplane/libs/discovery"
	"github.com/hostplane/hostplane/libs/errs"
	"github.com/hostplane/hostplane/libs/principal"
	"github.com/hostplane/hostplane/libs/upstream"
	"github.com/hostplane/hostplane/services/billing"
	"github.com/hostplane/hostplane/services/billing/client"
	"github.com/hostplane/hostplane/services/billing/customers"
)

func TestCustomerOverHTTP(t *testing.T) {
	ctx := context.Background()
	cfg := billing.Config{
		Config:       component.Config{InternalSecret: "client-test-internal-secret", MaxBodyBytes: 1 << 20},
		Argon2Memory: 64, Argon2Time: 1, Argon2Threads: 1, DBMaxConns: 8,
	}
	rt, err := component.New(ctx, billing.Name, cfg.Config, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	app, err := billing.New(ctx, cfg, rt, billing.Deps{})
	if err != nil {
		t.Fatal(err)
	}
	defer app.Close()
	srv := httptest.NewServer(rt.Handler(app.API))
	defer srv.Close()

	created, err := app.Customers.Create(ctx, customers.NewCustomer{Username: "alice", Email: "alice@example.com", Password: "secret1", VIP: true})
	if err != nil {
		t.Fatal(err)
	}
	addr := strings.TrimPrefix(srv.URL, "http://")
	balancer := discovery.NewBalancer(discovery.NewStatic(map[string][]string{client.Service: {addr}}), client.Service)
	c := client.New(upstream.New(client.Service, balancer, principal.NewSigner("client-test-internal-secret"), upstream.Options{}))

	got, err := c.Customer(ctx, created.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.ID != created.ID || got.UserID != created.UserID || got.Username != "alice" || got.Email != "alice@example.com" ||
		!got.VIP || got.Status != "active" || !got.DateCreated.Equal(created.DateCreated) || got.IPs == nil || got.LastLogin != nil {
		t.Fatalf("customer %+v", got)
	}

	for name, tt := range map[string]struct {
		ctx context.Context
		id  int64
	}{
		"unknown id":            {ctx, created.ID + 1},
		"no id":                 {ctx, 0},
		"restricted to another": {principal.With(ctx, &principal.Principal{KeyID: 3, CustomerID: created.ID + 5, Permissions: []string{"*"}}), created.ID},
	} {
		_, err := c.Customer(tt.ctx, tt.id)
		if !errors.Is(err, errs.NotFound) || errs.From(err).Resource != "customer" {
			t.Errorf("%s: err = %v, want customer not found", name, err)
		}
	}
	restrictedToIt := principal.With(ctx, &principal.Principal{KeyID: 3, CustomerID: created.ID, Permissions: []string{"*"}})
	if _, err := c.Customer(restrictedToIt, created.ID); err != nil {
		t.Fatalf("restricted to the customer: %v", err)
	}

	// A caller with the wrong secret is refused.
	bad := client.New(upstream.New(client.Service, balancer, principal.NewSigner("not-the-internal-secret"), upstream.Options{}))
	if _, err := bad.Customer(ctx, created.ID); !errors.Is(err, errs.Unauthorized) {
		t.Fatalf("wrong secret: %v", err)
	}
}
