package transport_test

import (
	"context"
	"errors"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/hostplane/hostplane/libs/discovery"
	"github.com/hostplane/hostplane/libs/errs"
	"github.com/hostplane/hostplane/libs/principal"
	"github.com/hostplane/hostplane/libs/upstream"
	"github.com/hostplane/hostplane/services/sites/client"
)

// The contract billing, tenancy and stats code against, over HTTP with
// the real client.
func TestInternalClient(t *testing.T) {
	h := newHarness(t)
	srv := httptest.NewServer(h.h)
	defer srv.Close()
	addr := strings.TrimPrefix(srv.URL, "http://")
	c := client.New(upstream.New(client.Service, discovery.NewBalancer(discovery.NewStatic(map[string][]string{client.Service: {addr}}), client.Service),
		principal.NewSigner(secret), upstream.Options{}))
	ctx := context.Background()

	s, err := c.Create(ctx, client.CreateSite{Code: "mynewsite", CustomerID: 5, MembershipID: 10, Title: "My New Site", TemplateID: 1, IdempotencyKey: "checkout-1"})
	if err != nil {
		t.Fatal(err)
	}
	if s.ID == 0 || s.Code != "mynewsite" || s.CustomerID != 5 || s.MembershipID != 10 || s.Title != "My New Site" ||
		s.Status != "open" || !s.Active || s.Root != h.root(s.ID) || s.Domain != "mynewsite.hostplane.test" || s.DateCreated.IsZero() {
		t.Fatalf("created %+v", s)
	}
	// A retried checkout step gets the same site; another code is another site.
	again, err := c.Create(ctx, client.CreateSite{Code: "mynewsite", CustomerID: 5, MembershipID: 10, Title: "My New Site", TemplateID: 1, IdempotencyKey: "checkout-1"})
	if err != nil || again.ID != s.ID {
		t.Fatalf("retry: %+v %v", again, err)
	}
	if _, err := c.Create(ctx, client.CreateSite{Code: "mynewsite", Title: "Other"}); !errors.Is(err, errs.Conflict) {
		t.Fatalf("taken code: %v", err)
	}
	// A membership billing has not committed yet is no error for a checkout.
	if _, err := c.Create(ctx, client.CreateSite{Code: "pending-one", CustomerID: 5, MembershipID: 555, Title: "P"}); err != nil {
		t.Fatalf("trusted create: %v", err)
	}
	if got, err := c.Site(ctx, s.ID); err != nil || got.Code != "mynewsite" {
		t.Fatalf("by id: %+v %v", got, err)
	}
	if got, err := c.SiteByCode(ctx, "mynewsite"); err != nil || got.ID != s.ID {
		t.Fatalf("by code: %+v %v", got, err)
	}
	restricted6 := principal.With(ctx, restricted(6))
	if _, err := c.Site(restricted6, s.ID); !errors.Is(err, errs.NotFound) {
		t.Fatalf("another customer's: %v", err)
	}
	if _, err := c.SiteByCode(ctx, "nope"); !errors.Is(err, errs.NotFound) || errs.From(err).Resource != "site" {
		t.Fatalf("unknown code: %v", err)
	}
	if err := c.Delete(ctx, s.ID); err != nil {
		t.Fatal(err)
	}
	if err := c.Delete(ctx, s.ID); err != nil {
		t.Fatalf("deleting a missing site: %v", err)
	}
	if _, err := c.Site(ctx, s.ID); !errors.Is(err, errs.NotFound) {
		t.Fatalf("deleted: %v", err)
	}
}
