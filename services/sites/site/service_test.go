package site_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/hostplane/hostplane/libs/errs"
	"github.com/hostplane/hostplane/libs/principal"
	"github.com/hostplane/hostplane/services/sites/jobs"
	"github.com/hostplane/hostplane/services/sites/memory"
	"github.com/hostplane/hostplane/services/sites/site"
)

// files is a fake site.Files that fails when told to.
type files struct {
	fail    error
	made    map[int64]int64
	removed []int64
}

func (f *files) Make(_ context.Context, id, from int64, _ func(int)) error {
	if f.fail != nil {
		return f.fail
	}
	f.made[id] = from
	return nil
}
func (f *files) Remove(_ context.Context, id int64) error {
	f.removed = append(f.removed, id)
	return nil
}
func (f *files) Root(id int64) string { return "/data/sites/" }

func newService(t *testing.T) (site.Service, *files, *memory.DB) {
	t.Helper()
	db := memory.New(nil)
	fs := &files{made: map[int64]int64{}}
	now := func() time.Time { return time.Date(2026, 11, 23, 21, 2, 51, 0, time.UTC) }
	js := jobs.NewService(db.Jobs(), nil, now)
	return site.NewService(db.Sites(), fs, nil, js, site.Options{BaseDomain: "hostplane.test", Now: now}), fs, db
}

func TestCreateIsIdempotentAndUndoneOnFailure(t *testing.T) {
	svc, fs, db := newService(t)
	ctx := principal.With(context.Background(), &principal.Principal{KeyID: 7, Permissions: []string{"*"}})
	a, err := svc.Create(ctx, site.NewSite{Title: "Shop", IdempotencyKey: "k"})
	if err != nil || a.Code != "shop" || a.Domain != "shop.hostplane.test" || a.Provisioning {
		t.Fatalf("create %+v %v", a, err)
	}
	again, err := svc.Create(ctx, site.NewSite{Title: "Shop", IdempotencyKey: "k"})
	if err != nil || again.ID != a.ID {
		t.Fatalf("retry %+v %v", again, err)
	}
	if _, err := svc.Create(ctx, site.NewSite{Title: "Other", IdempotencyKey: "k"}); errs.KindOf(err) != errs.Invalid {
		t.Fatalf("same key, another body: %v", err)
	}
	// Another key's caller may use the same key for its own request.
	other := principal.With(context.Background(), &principal.Principal{KeyID: 8, Permissions: []string{"*"}})
	if b, err := svc.Create(other, site.NewSite{Title: "Shop", IdempotencyKey: "k"}); err != nil || b.ID == a.ID || b.Code != "shop-2" {
		t.Fatalf("another caller %+v %v", b, err)
	}
	// Files that cannot be made: nothing remains.
	fs.fail = errors.New("disk full")
	if _, err := svc.Create(ctx, site.NewSite{Code: "broken"}); err == nil {
		t.Fatal("created without files")
	}
	if _, err := db.Sites().GetByCode(context.Background(), "broken"); errs.KindOf(err) != errs.NotFound {
		t.Fatalf("a half-made site remains: %v", err)
	}
	if len(fs.removed) != 1 {
		t.Fatalf("files not cleaned: %v", fs.removed)
	}
	b, _ := db.Outbox().Pending(context.Background(), 100)
	for _, e := range b.Events {
		if e.Subject == "site:3" {
			t.Fatalf("an event about the failed site: %+v", e)
		}
	}
}

func TestApplyMembership(t *testing.T) {
	svc, _, db := newService(t)
	ctx := context.Background()
	s, err := svc.Create(ctx, site.NewSite{Code: "m", MembershipID: 10})
	if err != nil {
		t.Fatal(err)
	}
	steps := []struct {
		typ, id, status string
		active          bool
	}{
		{"membership.suspended", "1", site.StatusSuspended, false},
		{"membership.unsuspended", "2", site.StatusOpen, true},
		{"membership.suspended", "1", site.StatusOpen, true}, // redelivered: ignored
		{"membership.expired", "3", site.StatusClosed, false},
		{"membership.renewed", "4", site.StatusOpen, true},
		{"membership.cancelled", "5", site.StatusClosed, false},
		{"membership.activated", "6", site.StatusOpen, true},
		{"payment.completed", "7", site.StatusOpen, true},
	}
	for _, st := range steps {
		if err := svc.ApplyMembership(ctx, site.MembershipEvent{ID: st.id, Type: st.typ, MembershipID: 10}); err != nil {
			t.Fatal(err)
		}
		got, _ := db.Sites().Get(ctx, s.ID)
		if got.Status != st.status || got.Active != st.active {
			t.Fatalf("after %s (%s): %s active=%v", st.typ, st.id, got.Status, got.Active)
		}
		if st.status == site.StatusClosed && got.Plan.ClosingDate == nil {
			t.Fatal("closed without a closing date")
		}
	}
}

func TestRestrictedCaller(t *testing.T) {
	svc, _, _ := newService(t)
	ctx := context.Background()
	mine := principal.With(ctx, &principal.Principal{KeyID: 2, CustomerID: 5, Permissions: []string{"*"}})
	a, err := svc.Create(mine, site.NewSite{Title: "Mine"})
	if err != nil || a.CustomerID != 5 || a.Type != site.TypeCustomerOwned {
		t.Fatalf("restricted create %+v %v", a, err)
	}
	b, _ := svc.Create(ctx, site.NewSite{Title: "Theirs", CustomerID: 6})
	for name, err := range map[string]error{
		"get":     second(svc.Get(mine, b.ID)),
		"by code": second(svc.GetByCode(mine, b.Code)),
		"update":  second(svc.Update(mine, b.ID, site.Patch{Title: ptr("x")})),
		"delete":  second(svc.Delete(mine, b.ID)),
	} {
		if !errors.Is(err, errs.NotFound) {
			t.Errorf("%s: %v", name, err)
		}
	}
	if l, n, _ := svc.List(mine, site.ListFilter{CustomerID: 6}); n != 1 || l[0].ID != a.ID {
		t.Fatalf("list overrides the scope: %v %d", l, n)
	}
}

func second[T any](_ T, err error) error { return err }

func ptr[T any](v T) *T { return &v }

func TestSlugAndCode(t *testing.T) {
	for in, want := range map[string]string{"My New Site": "my-new-site", "example.com": "example-com", "  Café — Bar!! ": "caf-bar", "": ""} {
		if got := site.Slug(in); got != want {
			t.Errorf("Slug(%q) = %q, want %q", in, got, want)
		}
	}
	for code, ok := range map[string]bool{"a": true, "abc-123": true, "-a": false, "a-": false, "A": false, "a_b": false, "": false, "../x": false} {
		if site.ValidCode(code) != ok {
			t.Errorf("ValidCode(%q) != %v", code, ok)
		}
	}
}
