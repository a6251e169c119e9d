package accounts_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/hostplane/hostplane/libs/errs"
	"github.com/hostplane/hostplane/libs/principal"
	"github.com/hostplane/hostplane/services/auth/accounts"
	"github.com/hostplane/hostplane/services/auth/memory"
)

func TestService(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	store := memory.NewAccounts()
	svc := accounts.NewService(store, func() time.Time { return now })
	if _, err := svc.Get(ctx); !errors.Is(err, errs.NotFound) {
		t.Fatalf("before the operator exists: %v", err)
	}
	for range 2 {
		if err := svc.EnsureOperator(ctx); err != nil {
			t.Fatal(err)
		}
	}
	a, err := svc.Get(ctx)
	if err != nil || a.ID != accounts.OperatorID || a.Type != accounts.TypeOperator || a.Number() != "000001" || !a.CreatedAt.Equal(now) {
		t.Fatalf("operator: %+v %v", a, err)
	}

	now = now.Add(time.Hour)
	a, err = svc.UpdateContact(ctx, accounts.ContactPatch{Firstname: ptr(" Ada "), Civility: ptr("MRS"),
		CompanyCountryID: ptr(250), CompanySiret: ptr("732 829 320 00074"), CompanyTVA: ptr("fr 44 732829320")})
	if err != nil {
		t.Fatal(err)
	}
	c := a.Contact
	if c.Firstname != "Ada" || c.Civility != "Mrs" || c.CompanyCountry() != "France" || c.CompanySiret != "73282932000074" ||
		c.CompanyTVA != "FR44732829320" || !a.UpdatedAt.Equal(now) {
		t.Fatalf("normalized contact: %+v", a)
	}
	// Only what a patch sets changes; a refused patch changes nothing.
	a, err = svc.UpdateContact(ctx, accounts.ContactPatch{Lastname: ptr("Lovelace")})
	if err != nil || a.Contact.Firstname != "Ada" || a.Contact.Lastname != "Lovelace" {
		t.Fatalf("partial: %+v %v", a.Contact, err)
	}
	if _, err := svc.UpdateContact(ctx, accounts.ContactPatch{Lastname: ptr("X"), CompanySiret: ptr("1")}); !errors.Is(err, errs.Invalid) {
		t.Fatalf("bad siret: %v", err)
	}
	if a, _ := svc.Get(ctx); a.Contact.Lastname != "Lovelace" {
		t.Fatalf("a refused patch changed the contact: %+v", a.Contact)
	}

	restricted := principal.With(ctx, &principal.Principal{KeyID: 3, AccountID: 1, CustomerID: 4, Permissions: []string{"*"}})
	if _, err := svc.UpdateContact(restricted, accounts.ContactPatch{Lastname: ptr("X")}); !errors.Is(err, errs.Forbidden) {
		t.Fatalf("customer-restricted key changed the account: %v", err)
	}

	// A reseller's key sees its own account.
	r := &accounts.Account{Type: accounts.TypeReseller, Level: accounts.DefaultLevel}
	if err := store.Create(ctx, r); err != nil {
		t.Fatal(err)
	}
	reseller := principal.With(ctx, &principal.Principal{KeyID: 7, AccountID: r.ID, Permissions: []string{"*"}})
	got, err := svc.Get(reseller)
	if err != nil || got.ID != r.ID || got.Type != accounts.TypeReseller {
		t.Fatalf("reseller: %+v %v", got, err)
	}
}
