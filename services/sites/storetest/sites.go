package storetest

import (
	"context"
	"errors"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/hostplane/hostplane/libs/errs"
	"github.com/hostplane/hostplane/services/sites/idempotency"
	"github.com/hostplane/hostplane/services/sites/site"
)

func sitesContract(t *testing.T, fresh Factory) {
	ctx := context.Background()
	t.Run("create, get, round trip", func(t *testing.T) {
		st := fresh(t)
		in := newSite("alpha")
		in.CustomerID, in.MembershipID, in.PlanID, in.TemplateID = 5, 10, 3, 1
		in.Description, in.Public, in.Archived, in.Provisioning = "d", false, true, true
		in.Plan = site.Plan{Name: "Pro", IsTrial: true, ClosingDate: ptr(at(30).Add(123456789)), EndTrialDate: ptr(at(7))}
		in.Contact = site.Contact{Firstname: "Ann", Civility: "Mrs", Email: "ann@example.com", TVA: "FR1"}
		rec := &idempotency.Record{Scope: "key:1", Key: "k1", Fingerprint: "f", Kind: "site"}
		if err := st.Sites.Create(ctx, in, rec, site.EventCreated); err != nil {
			t.Fatal(err)
		}
		if in.ID == 0 {
			t.Fatal("no id")
		}
		got, err := st.Sites.Get(ctx, in.ID)
		if err != nil {
			t.Fatal(err)
		}
		want := in.Clone()
		want.Plan.ClosingDate = ptr(want.Plan.ClosingDate.Truncate(time.Microsecond))
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("round trip\n got %+v\nwant %+v", got, want)
		}
		if byCode, err := st.Sites.GetByCode(ctx, "alpha"); err != nil || byCode.ID != in.ID {
			t.Fatalf("by code: %v %v", byCode.ID, err)
		}
		r, found, err := st.Sites.Lookup(ctx, "key:1", "k1")
		if err != nil || !found || r.RefID != in.ID || r.Fingerprint != "f" || r.Kind != "site" {
			t.Fatalf("idempotency record %+v %v %v", r, found, err)
		}
		if _, found, _ := st.Sites.Lookup(ctx, "key:2", "k1"); found {
			t.Fatal("idempotency keys leak across scopes")
		}
		if ev := st.Events(t); !slices.Equal(ev, []string{site.EventCreated}) {
			t.Fatalf("events %v", ev)
		}
	})
	t.Run("conflicts name the field and write nothing", func(t *testing.T) {
		st := fresh(t)
		a := mustCreate(t, st.Sites, newSite("alpha"))
		dup := newSite("alpha")
		dup.Domain = "other.example.com"
		err := st.Sites.Create(ctx, dup, &idempotency.Record{Scope: "s", Key: "k", Kind: "site"}, site.EventCreated)
		if e := errs.From(err); e == nil || e.Kind != errs.Conflict || e.Params["code_site"] == "" {
			t.Fatalf("duplicate code: %v", err)
		}
		if _, found, _ := st.Sites.Lookup(ctx, "s", "k"); found {
			t.Fatal("an idempotency record survived a failed create")
		}
		same := newSite("beta")
		same.Domain = a.Domain
		if e := errs.From(st.Sites.Create(ctx, same, nil, "")); e == nil || e.Kind != errs.Conflict || e.Params["domain"] == "" {
			t.Fatalf("duplicate domain and path: %v", e)
		}
		same.Path = "/blog/"
		if err := st.Sites.Create(ctx, same, nil, ""); err != nil {
			t.Fatalf("same domain, other path: %v", err)
		}
		if len(st.Events(t)) != 0 {
			t.Fatalf("events written: %v", st.Events(t))
		}
		for _, f := range []func() error{
			func() error { _, err := st.Sites.Get(ctx, 999); return err },
			func() error { _, err := st.Sites.GetByCode(ctx, "nope"); return err },
			func() error { _, err := st.Sites.Delete(ctx, 999, ""); return err },
			func() error {
				_, err := st.Sites.Update(ctx, 999, func(*site.Site) (string, error) { return "", nil })
				return err
			},
		} {
			if e := errs.From(f()); e == nil || e.Kind != errs.NotFound || e.Resource != "site" {
				t.Fatalf("missing site: %v", e)
			}
		}
	})
	t.Run("update keeps ids, writes its event, aborts on error", func(t *testing.T) {
		st := fresh(t)
		a := mustCreate(t, st.Sites, newSite("alpha"))
		got, err := st.Sites.Update(ctx, a.ID, func(s *site.Site) (string, error) {
			s.ID, s.Code, s.DateCreated = 77, "changed", at(5)
			s.Title, s.Status, s.Active, s.Provisioning = "New", site.StatusSuspended, false, false
			s.Plan.ClosingDate = ptr(at(3))
			return site.EventSuspended, nil
		})
		if err != nil || got.ID != a.ID || got.Code != "alpha" || !got.DateCreated.Equal(base) || got.Title != "New" {
			t.Fatalf("update %+v %v", got, err)
		}
		if again, _ := st.Sites.Get(ctx, a.ID); again.Status != site.StatusSuspended || !again.Plan.ClosingDate.Equal(at(3)) {
			t.Fatalf("not saved: %+v", again)
		}
		boom := errors.New("boom")
		if _, err := st.Sites.Update(ctx, a.ID, func(s *site.Site) (string, error) { s.Title = "X"; return "", boom }); !errors.Is(err, boom) {
			t.Fatalf("fn error: %v", err)
		}
		if again, _ := st.Sites.Get(ctx, a.ID); again.Title != "New" {
			t.Fatal("a failed update was saved")
		}
		b := mustCreate(t, st.Sites, newSite("beta"))
		if _, err := st.Sites.Update(ctx, b.ID, func(s *site.Site) (string, error) { s.Domain = a.Domain; return "", nil }); errs.KindOf(err) != errs.Conflict {
			t.Fatalf("update onto a taken domain: %v", err)
		}
		if ev := st.Events(t); !slices.Equal(ev, []string{site.EventSuspended}) {
			t.Fatalf("events %v", ev)
		}
	})
	t.Run("delete returns the site and frees its code", func(t *testing.T) {
		st := fresh(t)
		a := mustCreate(t, st.Sites, newSite("alpha"))
		old, err := st.Sites.Delete(ctx, a.ID, site.EventDeleted)
		if err != nil || old.Code != "alpha" {
			t.Fatalf("delete %+v %v", old, err)
		}
		if _, err := st.Sites.Get(ctx, a.ID); errs.KindOf(err) != errs.NotFound {
			t.Fatalf("still there: %v", err)
		}
		b := mustCreate(t, st.Sites, newSite("alpha"))
		if b.ID == a.ID {
			t.Fatal("an id was reused")
		}
		if ev := st.Events(t); !slices.Equal(ev, []string{site.EventDeleted}) {
			t.Fatalf("events %v", ev)
		}
	})
	t.Run("apply once per event", func(t *testing.T) {
		st := fresh(t)
		a, b, c := newSite("a"), newSite("b"), newSite("c")
		a.MembershipID, b.MembershipID = 10, 10
		for _, s := range []*site.Site{a, b, c} {
			mustCreate(t, st.Sites, s)
		}
		suspend := func(s *site.Site) string {
			if s.Status == site.StatusSuspended {
				return ""
			}
			s.Status, s.Active = site.StatusSuspended, false
			return site.EventSuspended
		}
		changed, err := st.Sites.Apply(ctx, "sites", "ev1", 10, c.ID, suspend)
		if err != nil || !slices.Equal(ids(changed), []int64{a.ID, b.ID, c.ID}) {
			t.Fatalf("apply: %v %v", ids(changed), err)
		}
		// Redelivered: nothing happens, even though fn would change things.
		reopen := func(s *site.Site) string { s.Status = site.StatusOpen; return site.EventReactivated }
		if changed, err := st.Sites.Apply(ctx, "sites", "ev1", 10, 0, reopen); err != nil || len(changed) != 0 {
			t.Fatalf("redelivery changed %v %v", ids(changed), err)
		}
		if got, _ := st.Sites.Get(ctx, a.ID); got.Status != site.StatusSuspended {
			t.Fatal("redelivery applied")
		}
		// Another consumer, or event, applies; fn returning "" saves nothing.
		if changed, _ := st.Sites.Apply(ctx, "sites", "ev2", 10, 0, suspend); len(changed) != 0 {
			t.Fatalf("nothing to change, yet %v", ids(changed))
		}
		if changed, _ := st.Sites.Apply(ctx, "sites", "ev3", 0, a.ID, reopen); !slices.Equal(ids(changed), []int64{a.ID}) {
			t.Fatalf("by site id: %v", ids(changed))
		}
		if ev := st.Events(t); !slices.Equal(ev, []string{site.EventSuspended, site.EventSuspended, site.EventSuspended, site.EventReactivated}) {
			t.Fatalf("events %v", ev)
		}
	})
}

func listContract(t *testing.T, s site.Store) {
	ctx := context.Background()
	now := at(0)
	mk := func(code, title string, mod func(*site.Site)) int64 {
		st := newSite(code)
		st.Title = title
		if mod != nil {
			mod(st)
		}
		return mustCreate(t, s, st).ID
	}
	A := mk("bakery-paris", "Paris Bakery", func(x *site.Site) { x.CustomerID = 1; x.DateCreated = at(2); x.Plan.IsTrial = true })
	B := mk("bakery", "Main bakery", func(x *site.Site) { x.CustomerID = 2; x.DateCreated = at(1); x.Plan.ClosingDate = ptr(at(10)) })
	C := mk("florist", "Bakery supplies", func(x *site.Site) {
		x.CustomerID = 1
		x.DateCreated = at(3)
		x.Status = site.StatusClosed
		x.Plan.ClosingDate = ptr(at(-1))
		x.Type = site.TypeDemo
	})
	D := mk("zoo_like", "100% zoo", func(x *site.Site) {
		x.Code = "zoo"
		x.DateCreated = at(0)
		x.Plan.IsFree = true
		x.Plan.ClosingDate = ptr(at(60))
		x.Type = site.TypeTemplate
		x.MembershipID = 9
	})
	check := func(t *testing.T, f site.ListFilter, want []int64, wantTotal int) {
		t.Helper()
		if f.Now.IsZero() {
			f.Now = now
		}
		got, total, err := s.List(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		if got == nil || !slices.Equal(ids(got), want) || total != wantTotal {
			t.Fatalf("List(%+v) = %v total %d; want %v total %d", f, ids(got), total, want, wantTotal)
		}
	}
	t.Run("orders", func(t *testing.T) {
		for _, tt := range []struct {
			by  site.Order
			asc []int64
		}{
			{"", []int64{A, B, C, D}},
			{site.ByCode, []int64{B, A, C, D}},
			{site.ByTitle, []int64{D, C, B, A}}, // byte order: digits, upper case, lower case
			{site.ByDateCreated, []int64{D, B, A, C}},
			{site.ByClosingDate, []int64{C, B, D, A}}, // no date: last
			{site.ByDomain, []int64{A, B, C, D}},      // "-" before "."
		} {
			check(t, site.ListFilter{OrderBy: tt.by}, tt.asc, 4)
			desc := slices.Clone(tt.asc)
			slices.Reverse(desc)
			check(t, site.ListFilter{OrderBy: tt.by, Desc: true}, desc, 4)
		}
	})
	t.Run("term and relevance", func(t *testing.T) {
		check(t, site.ListFilter{Term: "BAKERY"}, []int64{A, B, C}, 3)
		check(t, site.ListFilter{Term: "bakery", OrderBy: site.ByRelevance}, []int64{B, A, C}, 3)
		check(t, site.ListFilter{Term: "bakery", OrderBy: site.ByRelevance, Desc: true}, []int64{C, A, B}, 3)
		check(t, site.ListFilter{Term: "100%"}, []int64{D}, 1)
		check(t, site.ListFilter{Term: "%"}, []int64{D}, 1)
		check(t, site.ListFilter{Term: "_"}, []int64{D}, 1) // literal: only zoo_like.example.com
		check(t, site.ListFilter{Term: "florist.example"}, []int64{C}, 1)
	})
	t.Run("sb types", func(t *testing.T) {
		check(t, site.ListFilter{Select: site.SelectOpen}, []int64{A, B, D}, 3)
		check(t, site.ListFilter{Select: site.SelectClosed}, []int64{C}, 1)
		check(t, site.ListFilter{Select: site.SelectTrial}, []int64{A}, 1)
		check(t, site.ListFilter{Select: site.SelectFree}, []int64{D}, 1)
		check(t, site.ListFilter{Select: site.SelectDemo}, []int64{C}, 1)
		check(t, site.ListFilter{Select: site.SelectClosingSoon}, []int64{B}, 1)
	})
	t.Run("filters and pages", func(t *testing.T) {
		check(t, site.ListFilter{CustomerID: 1}, []int64{A, C}, 2)
		check(t, site.ListFilter{CustomerID: 1, Term: "paris"}, []int64{A}, 1)
		check(t, site.ListFilter{MembershipID: 9}, []int64{D}, 1)
		check(t, site.ListFilter{Type: site.TypeTemplate}, []int64{D}, 1)
		check(t, site.ListFilter{Status: site.StatusClosed}, []int64{C}, 1)
		check(t, site.ListFilter{CreatedFrom: ptr(at(1)), CreatedTo: ptr(at(2))}, []int64{A, B}, 2)
		check(t, site.ListFilter{Offset: 1, Limit: 2}, []int64{B, C}, 4)
		check(t, site.ListFilter{Offset: 9, Limit: 2}, []int64{}, 4)
		check(t, site.ListFilter{Term: "nothing"}, []int64{}, 0)
	})
	t.Run("term pages after writes", func(t *testing.T) {
		// The same pages again after each write: a store that keeps
		// what a search found must see the write.
		first, second := site.ListFilter{Term: "bakery", OrderBy: site.ByCode, Limit: 2}, site.ListFilter{Term: "bakery", OrderBy: site.ByCode, Limit: 2, Offset: 2}
		for range 2 {
			check(t, first, []int64{B, A}, 3)
			check(t, second, []int64{C}, 3)
		}
		if _, err := s.Update(ctx, D, func(x *site.Site) (string, error) { x.Title = "Zoo bakery"; return "", nil }); err != nil {
			t.Fatal(err)
		}
		check(t, first, []int64{B, A}, 4)
		check(t, second, []int64{C, D}, 4)
		if _, err := s.Delete(ctx, B, ""); err != nil {
			t.Fatal(err)
		}
		check(t, first, []int64{A, C}, 3)
		check(t, second, []int64{D}, 3)
		check(t, site.ListFilter{Term: "bakery", OrderBy: site.ByRelevance, Limit: 2}, []int64{A, C}, 3)
	})
}
