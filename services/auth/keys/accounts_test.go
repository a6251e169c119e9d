package keys_test

import (
	"context"
	"errors"
	"testing"

	"github.com/hostplane/hostplane/libs/errs"
	"github.com/hostplane/hostplane/libs/principal"
	"github.com/hostplane/hostplane/services/auth/keys"
	"github.com/hostplane/hostplane/services/auth/memory"
)

// fakeAccounts knows accounts 1 and 2 and opens the next ones.
type fakeAccounts struct{ last int64 }

func (a *fakeAccounts) Exists(_ context.Context, id int64) error {
	if id >= 1 && id <= a.last {
		return nil
	}
	return errs.NotFoundResource("account", "")
}

func (a *fakeAccounts) OpenReseller(context.Context) (int64, error) {
	a.last++
	return a.last, nil
}

func TestKeysOfOtherAccounts(t *testing.T) {
	ctx := context.Background()
	store := memory.NewKeys()
	accs := &fakeAccounts{last: 2}
	svc := keys.NewService(store, nil, nil, keys.WithAccounts(accs))
	as := func(account, customer int64) context.Context {
		return principal.With(ctx, &principal.Principal{KeyID: 9, AccountID: account, CustomerID: customer, Permissions: []string{"*"}})
	}
	key := func(account int64, reseller bool) keys.NewKey {
		return keys.NewKey{Name: "k", Email: "k@example.com", Permissions: []string{"*"}, AccountID: account, NewReseller: reseller}
	}
	tests := []struct {
		name        string
		ctx         context.Context
		in          keys.NewKey
		kind        errs.Kind // "": created
		field       string
		wantAccount int64
	}{
		{"operator opens a reseller account", as(1, 0), key(0, true), "", "", 3},
		{"operator gives a key to an existing account", as(1, 0), key(2, false), "", "", 2},
		{"system caller opens one too", ctx, key(0, true), "", "", 4},
		{"the caller's account by default", as(2, 0), key(0, false), "", "", 2},
		{"a reseller names its own account", as(2, 0), key(2, false), "", "", 2},
		{"unknown account", as(1, 0), key(99, false), errs.Invalid, "account_id", 0},
		{"negative account", as(1, 0), key(-1, false), errs.Invalid, "account_id", 0},
		{"both", as(1, 0), key(2, true), errs.Invalid, "reseller", 0},
		{"a reseller opens an account", as(2, 0), key(0, true), errs.Forbidden, "", 0},
		{"a reseller names another account", as(2, 0), key(1, false), errs.Forbidden, "", 0},
		{"a customer-restricted operator key opens an account", as(1, 7), keys.NewKey{Name: "k", Email: "k@example.com",
			Permissions: []string{"*"}, CustomerID: 7, NewReseller: true}, errs.Forbidden, "", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, before, _ := store.List(ctx, keys.ListFilter{IncludeRevoked: true})
			opened := accs.last
			c, err := svc.Create(tt.ctx, tt.in)
			if tt.kind == "" {
				if err != nil || c.Key.AccountID != tt.wantAccount {
					t.Fatalf("account %d, want %d: %v", c.Key.AccountID, tt.wantAccount, err)
				}
				if got, _ := svc.Get(ctx, c.Key.ID); got.AccountID != tt.wantAccount {
					t.Fatalf("stored in account %d", got.AccountID)
				}
				return
			}
			e := errs.From(err)
			if e == nil || e.Kind != tt.kind || (tt.field != "" && e.Params[tt.field] == "") {
				t.Fatalf("got %v, want %s naming %q", err, tt.kind, tt.field)
			}
			if _, after, _ := store.List(ctx, keys.ListFilter{IncludeRevoked: true}); after != before || accs.last != opened {
				t.Fatalf("a refused key changed something: keys %d→%d, accounts %d→%d", before, after, opened, accs.last)
			}
		})
	}

	// Without the accounts wired, every key stays in its creator's account.
	plain := keys.NewService(memory.NewKeys(), nil, nil)
	if _, err := plain.Create(ctx, key(0, true)); !errors.Is(err, errs.Invalid) {
		t.Fatalf("reseller without accounts: %v", err)
	}
	if c, err := plain.Create(ctx, key(1, false)); err != nil || c.Key.AccountID != 1 {
		t.Fatalf("operator's account without accounts: %+v %v", c.Key, err)
	}
}
