package directory_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/hostplane/hostplane/libs/errs"
	"github.com/hostplane/hostplane/libs/principal"
	"github.com/hostplane/hostplane/services/stats/directory"
)

type remote struct {
	sites map[string]directory.Site
	calls int
	down  bool
	seen  []*principal.Principal
}

func (r *remote) SiteByCode(ctx context.Context, code string) (directory.Site, error) {
	r.calls++
	r.seen = append(r.seen, principal.From(ctx))
	if r.down {
		return directory.Site{}, errs.New(errs.Unavailable, "down")
	}
	if s, ok := r.sites[code]; ok {
		return s, nil
	}
	return directory.Site{}, errs.NotFoundResource("site", "")
}

func (r *remote) Site(ctx context.Context, id int64) (directory.Site, error) {
	for code, s := range r.sites {
		if s.ID == id {
			return r.SiteByCode(ctx, code)
		}
	}
	r.calls++
	return directory.Site{}, errs.NotFoundResource("site", "")
}

type local map[string]directory.Site

func (l local) SiteByCode(_ context.Context, code string) (directory.Site, error) {
	if s, ok := l[code]; ok {
		return s, nil
	}
	return directory.Site{}, errs.NotFoundResource("site", "")
}

func (l local) SiteByID(_ context.Context, id int64) (directory.Site, error) {
	for _, s := range l {
		if s.ID == id {
			return s, nil
		}
	}
	return directory.Site{}, errs.NotFoundResource("site", "")
}

func TestDirectory(t *testing.T) {
	now := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	shop := directory.Site{ID: 1, Code: "shop", CustomerID: 10, Root: "/data/sites/1"}
	r := &remote{sites: map[string]directory.Site{"shop": shop}}
	d := directory.New(r, local{"old": {ID: 9, Code: "old", CustomerID: 10}}, clock)
	caller := principal.With(context.Background(), &principal.Principal{KeyID: 3, CustomerID: 10})
	ctx := context.Background()

	if s, err := d.ByCode(caller, "shop"); err != nil || s != shop {
		t.Fatalf("by code %+v %v", s, err)
	}
	if r.seen[0] != nil {
		t.Fatal("the caller's principal went to the sites service: the directory asks as itself")
	}
	// Cached under its code and id.
	if _, err := d.ByID(ctx, 1); err != nil || r.calls != 1 {
		t.Fatalf("by id after by code: %v, %d calls", err, r.calls)
	}
	// Another customer's key does not see it.
	other := principal.With(ctx, &principal.Principal{KeyID: 4, CustomerID: 11})
	if _, err := d.ByCode(other, "shop"); !errors.Is(err, errs.NotFound) {
		t.Fatalf("other customer: %v", err)
	}
	// Unknown sites are remembered a short while.
	for range 3 {
		if _, err := d.ByCode(ctx, "nope"); !errors.Is(err, errs.NotFound) {
			t.Fatal(err)
		}
	}
	if r.calls != 2 {
		t.Fatalf("%d calls, want 2", r.calls)
	}
	now = now.Add(directory.NotFoundTTL)
	_, _ = d.ByCode(ctx, "nope")
	if r.calls != 3 {
		t.Fatalf("negative answer not forgotten after its TTL: %d calls", r.calls)
	}
	// Forget drops a site's answers; when the sites service is down, the
	// recorded events answer.
	d.Forget(1, "shop")
	r.down = true
	if _, err := d.ByCode(ctx, "shop"); !errors.Is(err, errs.Unavailable) {
		t.Fatalf("sites down, no record: %v", err)
	}
	if s, err := d.ByCode(ctx, "old"); err != nil || s.ID != 9 {
		t.Fatalf("sites down, recorded: %+v %v", s, err)
	}
	// Without a sites service at all, only the records.
	bare := directory.New(nil, local{"old": {ID: 9, Code: "old"}}, clock)
	if s, err := bare.ByCode(ctx, "old"); err != nil || s.ID != 9 {
		t.Fatalf("records only: %+v %v", s, err)
	}
}
