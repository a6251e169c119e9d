package storetest

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/hostplane/hostplane/libs/errs"
	"github.com/hostplane/hostplane/services/sites/domains"
	"github.com/hostplane/hostplane/services/sites/site"
)

func newDomain(siteID int64, name string, primary bool) *domains.Domain {
	return &domains.Domain{SiteID: siteID, Name: name, Active: true, Primary: primary, Stage: domains.StageCheckingDNS,
		NextCheck: base, DateCreated: base, DateModified: base}
}

func domainsContract(t *testing.T, fresh Factory) {
	ctx := context.Background()
	t.Run("create, primary demotes, conflicts", func(t *testing.T) {
		st := fresh(t)
		s1 := newSite("one")
		s1.CustomerID = 4
		mustCreate(t, st.Sites, s1)
		s2 := mustCreate(t, st.Sites, newSite("two"))
		a := newDomain(s1.ID, "a.example.com", true)
		if err := st.Domains.Create(ctx, a); err != nil || a.ID == 0 || a.CustomerID != 4 {
			t.Fatalf("create %+v %v", a, err)
		}
		b := newDomain(s1.ID, "b.example.com", true)
		if err := st.Domains.Create(ctx, b); err != nil {
			t.Fatal(err)
		}
		if got, _ := st.Domains.Get(ctx, a.ID); got.Primary {
			t.Fatal("the old primary was not demoted")
		}
		other := newDomain(s2.ID, "c.example.com", true)
		if err := st.Domains.Create(ctx, other); err != nil {
			t.Fatal(err)
		}
		if got, _ := st.Domains.Get(ctx, b.ID); !got.Primary {
			t.Fatal("a primary of another site demoted this one")
		}
		dup := newDomain(s2.ID, "a.example.com", false)
		if e := errs.From(st.Domains.Create(ctx, dup)); e == nil || e.Kind != errs.Conflict || e.Params["domain"] == "" {
			t.Fatalf("duplicate name: %v", e)
		}
		if e := errs.From(st.Domains.Create(ctx, newDomain(999, "z.example.com", false))); e == nil || e.Kind != errs.Invalid || e.Params["blog_id"] == "" {
			t.Fatalf("unknown site: %v", e)
		}
		// Making a primary through an update demotes too.
		if _, err := st.Domains.Update(ctx, a.ID, func(d *domains.Domain) error { d.Primary = true; return nil }); err != nil {
			t.Fatal(err)
		}
		if got, _ := st.Domains.Get(ctx, b.ID); got.Primary {
			t.Fatal("update to primary did not demote")
		}
		if _, err := st.Domains.Update(ctx, a.ID, func(d *domains.Domain) error { d.Name = "c.example.com"; return nil }); errs.KindOf(err) != errs.Conflict {
			t.Fatalf("rename onto a taken name: %v", err)
		}
		ev := st.Events(t)
		want := []string{domains.EventCreated, domains.EventUpdated, domains.EventCreated, domains.EventCreated, domains.EventUpdated, domains.EventUpdated}
		if len(ev) != len(want) {
			t.Fatalf("events %v, want %v (in any order within a change)", ev, want)
		}
	})
	t.Run("a host names one site: its domain or a mapping", func(t *testing.T) {
		st := fresh(t)
		s1 := mustCreate(t, st.Sites, newSite("one"))
		s2 := mustCreate(t, st.Sites, newSite("two"))
		conflict := func(what string, err error) {
			t.Helper()
			if e := errs.From(err); e == nil || e.Kind != errs.Conflict || e.Params["domain"] == "" {
				t.Fatalf("%s: %v", what, err)
			}
		}
		// A mapping of another site's own domain.
		conflict("mapping of another site's domain", st.Domains.Create(ctx, newDomain(s2.ID, s1.Domain, false)))
		// A site's own domain mapped to itself is allowed.
		own := newDomain(s1.ID, s1.Domain, true)
		if err := st.Domains.Create(ctx, own); err != nil {
			t.Fatalf("mapping of the site's own domain: %v", err)
		}
		m := newDomain(s1.ID, "mapped.example.com", false)
		if err := st.Domains.Create(ctx, m); err != nil {
			t.Fatal(err)
		}
		// A site taking a host mapped to another site.
		s3 := newSite("three")
		s3.Domain = "mapped.example.com"
		conflict("site create on a mapped host", st.Sites.Create(ctx, s3, nil, ""))
		if _, err := st.Sites.Update(ctx, s2.ID, func(s *site.Site) (string, error) { s.Domain = "mapped.example.com"; return "", nil }); err == nil {
			t.Fatal("site update onto a host mapped to another site")
		} else {
			conflict("site update onto a mapped host", err)
		}
		// Moving or renaming a mapping onto another site's domain.
		if _, err := st.Domains.Update(ctx, own.ID, func(d *domains.Domain) error { d.SiteID = s2.ID; return nil }); err == nil {
			t.Fatal("mapping moved to another site than the domain's")
		} else {
			conflict("mapping moved", err)
		}
		if _, err := st.Domains.Update(ctx, m.ID, func(d *domains.Domain) error { d.Name = s2.Domain; return nil }); err == nil {
			t.Fatal("mapping renamed onto another site's domain")
		} else {
			conflict("mapping renamed", err)
		}
		// Its own site may take a mapped host as its domain.
		if _, err := st.Sites.Update(ctx, s1.ID, func(s *site.Site) (string, error) { s.Domain = "mapped.example.com"; return "", nil }); err != nil {
			t.Fatalf("site taking its own mapping: %v", err)
		}
	})
	t.Run("list, scope, delete, site cascade", func(t *testing.T) {
		st := fresh(t)
		s1 := newSite("one")
		s1.CustomerID = 4
		mustCreate(t, st.Sites, s1)
		s2 := mustCreate(t, st.Sites, newSite("two"))
		a, b, c := newDomain(s1.ID, "shop.example.com", false), newDomain(s2.ID, "blog.example.org", false), newDomain(s1.ID, "www.example.com", true)
		c.DateCreated = at(-1)
		for _, d := range []*domains.Domain{a, b, c} {
			if err := st.Domains.Create(ctx, d); err != nil {
				t.Fatal(err)
			}
		}
		list := func(f domains.ListFilter) ([]int64, int) {
			t.Helper()
			ds, n, err := st.Domains.List(ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			var out []int64
			for _, d := range ds {
				out = append(out, d.ID)
			}
			return out, n
		}
		if got, n := list(domains.ListFilter{}); !slices.Equal(got, []int64{a.ID, b.ID, c.ID}) || n != 3 {
			t.Fatalf("all: %v %d", got, n)
		}
		if got, _ := list(domains.ListFilter{CustomerID: 4}); !slices.Equal(got, []int64{a.ID, c.ID}) {
			t.Fatalf("customer: %v", got)
		}
		if got, _ := list(domains.ListFilter{OrderBy: domains.ByDomain}); !slices.Equal(got, []int64{b.ID, a.ID, c.ID}) {
			t.Fatalf("by name: %v", got)
		}
		if got, _ := list(domains.ListFilter{OrderBy: domains.ByDateCreated, Desc: true}); !slices.Equal(got, []int64{b.ID, a.ID, c.ID}) {
			t.Fatalf("by date desc: %v", got)
		}
		if got, n := list(domains.ListFilter{Search: "EXAMPLE.COM", Limit: 1, Offset: 1}); !slices.Equal(got, []int64{c.ID}) || n != 2 {
			t.Fatalf("search page: %v %d", got, n)
		}
		if got, _ := list(domains.ListFilter{SiteID: s2.ID}); !slices.Equal(got, []int64{b.ID}) {
			t.Fatalf("site: %v", got)
		}
		if d, err := st.Domains.Delete(ctx, b.ID); err != nil || d.Name != "blog.example.org" {
			t.Fatalf("delete %+v %v", d, err)
		}
		if _, err := st.Domains.Get(ctx, b.ID); errs.KindOf(err) != errs.NotFound {
			t.Fatalf("deleted: %v", err)
		}
		if _, err := st.Sites.Delete(ctx, s1.ID, ""); err != nil {
			t.Fatal(err)
		}
		if got, n := list(domains.ListFilter{}); len(got) != 0 || n != 0 {
			t.Fatalf("a deleted site's domains remain: %v", got)
		}
		// The names are free again.
		if err := st.Domains.Create(ctx, newDomain(s2.ID, "shop.example.com", false)); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("due checks are claimed once", func(t *testing.T) {
		st := fresh(t)
		s1 := mustCreate(t, st.Sites, newSite("one"))
		a, b, c := newDomain(s1.ID, "a.example.com", false), newDomain(s1.ID, "b.example.com", false), newDomain(s1.ID, "c.example.com", false)
		c.Stage = domains.StageDone
		b.NextCheck = at(1)
		for _, d := range []*domains.Domain{a, b, c} {
			if err := st.Domains.Create(ctx, d); err != nil {
				t.Fatal(err)
			}
		}
		due, err := st.Domains.Due(ctx, base, time.Minute, 10)
		if err != nil || len(due) != 1 || due[0].ID != a.ID || !due[0].NextCheck.Equal(base.Add(time.Minute)) {
			t.Fatalf("due %+v %v", due, err)
		}
		if again, _ := st.Domains.Due(ctx, base, time.Minute, 10); len(again) != 0 {
			t.Fatalf("claimed twice: %+v", again)
		}
		if later, _ := st.Domains.Due(ctx, at(2), time.Minute, 10); len(later) != 2 {
			t.Fatalf("later: %+v", later)
		}
	})
	_ = site.StatusOpen
}
