package storetest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/hostplane/hostplane/libs/errs"
	"github.com/hostplane/hostplane/services/auth/accounts"
	"github.com/hostplane/hostplane/services/auth/activity"
	"github.com/hostplane/hostplane/services/auth/keys"
	"github.com/hostplane/hostplane/services/auth/license"
	"github.com/hostplane/hostplane/services/auth/settings"
)

// Stores are one adapter's stores of every aggregate, empty but for the
// operator's account, which may or may not exist yet.
type Stores struct {
	Keys         keys.Store
	Accounts     accounts.Store
	Settings     settings.Store
	Activity     activity.Store
	Installation license.Store
}

// Auth runs the contract of the accounts, settings, activity and
// installation stores (keys have Keys). newStores returns fresh stores.
func Auth(t *testing.T, newStores func(t *testing.T) Stores) {
	t.Run("accounts", func(t *testing.T) { accountsContract(t, newStores) })
	t.Run("settings", func(t *testing.T) { settingsContract(t, newStores) })
	t.Run("activity", func(t *testing.T) { activityContract(t, newStores) })
	t.Run("installation", func(t *testing.T) { installationContract(t, newStores) })
}

var at = time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)

func accountsContract(t *testing.T, newStores func(t *testing.T) Stores) {
	ctx := context.Background()
	t.Run("ensure is idempotent and keeps the first", func(t *testing.T) {
		s := newStores(t).Accounts
		op := accounts.Account{ID: accounts.OperatorID, Type: accounts.TypeOperator, Level: accounts.DefaultLevel, CreatedAt: at, UpdatedAt: at}
		for range 2 {
			if err := s.Ensure(ctx, op); err != nil {
				t.Fatal(err)
			}
		}
		got, err := s.Get(ctx, accounts.OperatorID)
		if err != nil || got.Type != accounts.TypeOperator || got.Level != accounts.DefaultLevel || got.CreatedAt.IsZero() {
			t.Fatalf("operator: %+v %v", got, err)
		}
		again := op
		again.Level = "other"
		if err := s.Ensure(ctx, again); err != nil {
			t.Fatal(err)
		}
		if got, _ := s.Get(ctx, accounts.OperatorID); got.Level != accounts.DefaultLevel {
			t.Fatalf("ensure replaced an existing account: %+v", got)
		}
	})
	t.Run("create gives ids after explicit ones", func(t *testing.T) {
		s := newStores(t).Accounts
		if err := s.Ensure(ctx, accounts.Account{ID: accounts.OperatorID, Type: accounts.TypeOperator, Level: accounts.DefaultLevel}); err != nil {
			t.Fatal(err)
		}
		r := &accounts.Account{Type: accounts.TypeReseller, Level: accounts.DefaultLevel}
		if err := s.Create(ctx, r); err != nil {
			t.Fatal(err)
		}
		if r.ID <= accounts.OperatorID || r.CreatedAt.IsZero() {
			t.Fatalf("reseller: %+v", r)
		}
		if _, err := s.Get(ctx, 424242); !errors.Is(err, errs.NotFound) || errs.From(err).Resource != "account" {
			t.Fatalf("missing account: %v", err)
		}
	})
	t.Run("update keeps the contact", func(t *testing.T) {
		s := newStores(t).Accounts
		if err := s.Ensure(ctx, accounts.Account{ID: accounts.OperatorID, Type: accounts.TypeOperator, Level: accounts.DefaultLevel}); err != nil {
			t.Fatal(err)
		}
		c := accounts.Contact{Firstname: "Ada", Lastname: "Lovelace", Civility: "Mrs", Email: "ada@example.com",
			CompanyName: "Analytical SAS", CompanyCountryID: 250, CompanySiret: "73282932000074", CompanyTVA: "FR44732829320"}
		later := at.Add(time.Hour)
		got, err := s.Update(ctx, accounts.OperatorID, func(a *accounts.Account) error {
			a.Contact, a.UpdatedAt = c, later
			return nil
		})
		if err != nil || got.Contact != c || !got.UpdatedAt.Equal(later) {
			t.Fatalf("update: %+v %v", got, err)
		}
		if back, _ := s.Get(ctx, accounts.OperatorID); back.Contact != c {
			t.Fatalf("read back: %+v", back.Contact)
		}
		boom := errors.New("boom")
		if _, err := s.Update(ctx, accounts.OperatorID, func(a *accounts.Account) error {
			a.Contact.Firstname = "No"
			return boom
		}); !errors.Is(err, boom) {
			t.Fatalf("fn error: %v", err)
		}
		if back, _ := s.Get(ctx, accounts.OperatorID); back.Contact != c {
			t.Fatalf("a failed update changed the account: %+v", back.Contact)
		}
		if _, err := s.Update(ctx, 424242, func(*accounts.Account) error { return nil }); !errors.Is(err, errs.NotFound) {
			t.Fatalf("missing account: %v", err)
		}
	})
}

func settingsContract(t *testing.T, newStores func(t *testing.T) Stores) {
	ctx := context.Background()
	s := newStores(t).Settings
	if all, err := s.All(ctx); err != nil || len(all) != 0 {
		t.Fatalf("empty store: %v %v", all, err)
	}
	if _, ok, err := s.Get(ctx, "enable_api"); ok || err != nil {
		t.Fatalf("unset value: %v %v", ok, err)
	}
	for i, v := range []string{`false`, `true`} {
		when := at.Add(time.Duration(i) * time.Minute)
		st, err := s.Put(ctx, "enable_api", json.RawMessage(v), when)
		if err != nil || string(st.Value) != v || !st.UpdatedAt.Equal(when) {
			t.Fatalf("put %s: %+v %v", v, st, err)
		}
	}
	if _, err := s.Put(ctx, "company_name", json.RawMessage(`"ACME \"SAS\""`), at); err != nil {
		t.Fatal(err)
	}
	got, ok, err := s.Get(ctx, "enable_api")
	if err != nil || !ok || string(got.Value) != `true` {
		t.Fatalf("get: %+v %v %v", got, ok, err)
	}
	all, err := s.All(ctx)
	if err != nil || len(all) != 2 || string(all["company_name"].Value) != `"ACME \"SAS\""` {
		t.Fatalf("all: %v %v", all, err)
	}
}

func activityContract(t *testing.T, newStores func(t *testing.T) Stores) {
	ctx := context.Background()
	mkKey := func(t *testing.T, s Stores, name string) keys.Key {
		t.Helper()
		k := &keys.Key{AccountID: 1, Name: name, Email: name + "@example.com", APIKey: keys.NewAPIKey(),
			SecretHash: keys.HashSecret("s"), Permissions: []string{"*"}}
		if err := s.Keys.Create(ctx, k); err != nil {
			t.Fatal(err)
		}
		return *k
	}
	call := func(key int64, i int) activity.Call {
		return activity.Call{KeyID: key, Method: "GET", Path: fmt.Sprintf("/wp-json/wu/v2/customers/%d", i), Status: 200,
			At: at.Add(time.Duration(i) * time.Millisecond), IP: "203.0.113.9"}
	}

	t.Run("append and list newest first", func(t *testing.T) {
		s := newStores(t)
		a, b := mkKey(t, s, "a"), mkKey(t, s, "b")
		batch := []activity.Call{call(a.ID, 1), call(b.ID, 2), call(a.ID, 3), call(424242, 4)}
		batch[2].Status, batch[2].Method, batch[2].IP = 404, "DELETE", "2001:db8::1"
		n, err := s.Activity.Append(ctx, batch)
		if err != nil || n != 3 {
			t.Fatalf("append: %d %v (the unknown key's call is dropped)", n, err)
		}
		got, total, err := s.Activity.List(ctx, a.ID, 0, 10)
		if err != nil || total != 2 || len(got) != 2 {
			t.Fatalf("list: %v %d %v", got, total, err)
		}
		c := got[0]
		if c.ID == 0 || c.KeyID != a.ID || c.Method != "DELETE" || c.Path != "/wp-json/wu/v2/customers/3" || c.Status != 404 ||
			!c.At.Equal(at.Add(3*time.Millisecond)) || c.IP != "2001:db8::1" || got[1].Path != "/wp-json/wu/v2/customers/1" {
			t.Fatalf("newest first: %+v", got)
		}
		if page, total, _ := s.Activity.List(ctx, a.ID, 1, 1); total != 2 || len(page) != 1 || page[0].Path != got[1].Path {
			t.Fatalf("second page: %+v", page)
		}
		if page, total, err := s.Activity.List(ctx, 424242, 0, 10); err != nil || total != 0 || page == nil || len(page) != 0 {
			t.Fatalf("no log: %v %d %v", page, total, err)
		}
		// The last use follows the newest call, and never moves back.
		if k, _ := s.Keys.Get(ctx, a.ID); k.LastUsedAt == nil || !k.LastUsedAt.Equal(at.Add(3*time.Millisecond)) {
			t.Fatalf("last used %v", k.LastUsedAt)
		}
		old := call(a.ID, -5000)
		if _, err := s.Activity.Append(ctx, []activity.Call{old}); err != nil {
			t.Fatal(err)
		}
		if k, _ := s.Keys.Get(ctx, a.ID); !k.LastUsedAt.Equal(at.Add(3 * time.Millisecond)) {
			t.Fatalf("last used moved back to %v", k.LastUsedAt)
		}
		if got, _, _ := s.Activity.List(ctx, a.ID, 0, 10); !got[len(got)-1].At.Equal(old.At) {
			t.Fatalf("an older call is listed by its time: %+v", got)
		}
	})

	t.Run("keeps the newest calls of each key", func(t *testing.T) {
		s := newStores(t)
		a, b := mkKey(t, s, "a"), mkKey(t, s, "b")
		var recent, older []activity.Call
		for i := range activity.Keep {
			recent = append(recent, call(a.ID, 150+i))
		}
		for i := range 150 {
			older = append(older, call(a.ID, i))
		}
		// The second batch arrives later but holds older calls: they are the
		// ones dropped.
		if _, err := s.Activity.Append(ctx, recent); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Activity.Append(ctx, append(older, call(b.ID, 0))); err != nil {
			t.Fatal(err)
		}
		got, total, err := s.Activity.List(ctx, a.ID, 0, 0)
		if err != nil || total != activity.Keep || len(got) != activity.Keep {
			t.Fatalf("kept %d (%d listed), want %d: %v", total, len(got), activity.Keep, err)
		}
		if got[0].Path != fmt.Sprintf("/wp-json/wu/v2/customers/%d", activity.Keep+149) ||
			got[len(got)-1].Path != "/wp-json/wu/v2/customers/150" {
			t.Fatalf("kept %s … %s", got[0].Path, got[len(got)-1].Path)
		}
		if _, total, _ := s.Activity.List(ctx, b.ID, 0, 10); total != 1 {
			t.Fatalf("another key's log trimmed: %d", total)
		}
	})

	t.Run("same time keeps arrival order", func(t *testing.T) {
		s := newStores(t)
		a := mkKey(t, s, "a")
		first, second := call(a.ID, 0), call(a.ID, 0)
		second.Path = "/second"
		if _, err := s.Activity.Append(ctx, []activity.Call{first, second}); err != nil {
			t.Fatal(err)
		}
		got, _, _ := s.Activity.List(ctx, a.ID, 0, 10)
		if len(got) != 2 || got[0].Path != "/second" {
			t.Fatalf("order: %+v", got)
		}
	})
}

func installationContract(t *testing.T, newStores func(t *testing.T) Stores) {
	ctx := context.Background()
	s := newStores(t).Installation
	var wg sync.WaitGroup
	ids := make([]string, 4)
	for i := range ids {
		wg.Add(1)
		go func() {
			defer wg.Done()
			in, err := s.Instance(ctx, fmt.Sprintf("candidate-%d", i), at)
			if err != nil {
				t.Error(err)
				return
			}
			ids[i] = in.ID
		}()
	}
	wg.Wait()
	for _, id := range ids[1:] {
		if id != ids[0] || id == "" {
			t.Fatalf("concurrent first calls disagree: %v", ids)
		}
	}
	in, err := s.Instance(ctx, "later", at.Add(time.Hour))
	if err != nil || in.ID != ids[0] || !in.CreatedAt.Equal(at) {
		t.Fatalf("instance changed: %+v %v", in, err)
	}
}
