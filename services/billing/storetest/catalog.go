package storetest

import (
	"reflect"
	"slices"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/hostplane/hostplane/libs/errs"
	"github.com/hostplane/hostplane/services/billing/groups"
	"github.com/hostplane/hostplane/services/billing/products"
)

func groupsContract(t *testing.T, newStores func(*testing.T) Stores) {
	t.Run("create, read, list, update, delete", func(t *testing.T) {
		s := newStores(t)
		a := groups.Group{Name: "VPS", Slug: "vps", Status: "active", SortOrder: 2, DateCreated: at(0), DateModified: at(0)}
		must(t, s.Groups.Create(ctx, &a))
		b := groups.Group{Name: "Web", Slug: "web", Status: "hidden", ParentID: a.ID, SortOrder: 1, Description: "Web hosting",
			DateCreated: at(1), DateModified: at(1)}
		must(t, s.Groups.Create(ctx, &b))
		if got, err := s.Groups.Get(ctx, b.ID); err != nil || got != b {
			t.Fatalf("get %+v %v, want %+v", got, err, b)
		}
		list, n, err := s.Groups.List(ctx, groups.ListFilter{})
		if err != nil || n != 2 || list[0].ID != b.ID || list[1].ID != a.ID {
			t.Fatalf("list by sort order: %+v %d %v", list, n, err)
		}
		list, n, _ = s.Groups.List(ctx, groups.ListFilter{Status: "hidden"})
		if n != 1 || list[0].ID != b.ID {
			t.Fatalf("status filter: %+v", list)
		}
		top := int64(0)
		if list, _, _ := s.Groups.List(ctx, groups.ListFilter{ParentID: &top}); len(list) != 1 || list[0].ID != a.ID {
			t.Fatalf("top level: %+v", list)
		}
		if list, _, _ := s.Groups.List(ctx, groups.ListFilter{Search: "WEB"}); len(list) != 1 || list[0].ID != b.ID {
			t.Fatalf("search: %+v", list)
		}
		wantErr(t, "taken slug", s.Groups.Create(ctx, &groups.Group{Name: "x", Slug: "vps", Status: "active", DateCreated: at(0), DateModified: at(0)}), errs.Conflict, "slug")
		wantErr(t, "unknown parent", s.Groups.Create(ctx, &groups.Group{Name: "x", Slug: "x", Status: "active", ParentID: 999, DateCreated: at(0), DateModified: at(0)}), errs.Invalid, "parent_id")
		_, err = s.Groups.Update(ctx, b.ID, func(g *groups.Group) error { g.Slug = "vps"; return nil })
		wantErr(t, "update to a taken slug", err, errs.Conflict, "slug")
		got, err := s.Groups.Update(ctx, b.ID, func(g *groups.Group) error { g.Name = "Web hosting"; return nil })
		if err != nil || got.Name != "Web hosting" || got.DateCreated != b.DateCreated {
			t.Fatalf("update %+v %v", got, err)
		}
		p := seedProduct(t, s, "in-group", products.Unlimited)
		_, err = s.Products.Update(ctx, p.ID, func(p *products.Product) error { p.GroupID = a.ID; return nil })
		must(t, err)
		if _, err := s.Groups.Delete(ctx, a.ID); err != nil {
			t.Fatal(err)
		}
		if p, _ := s.Products.Get(ctx, p.ID); p.GroupID != 0 {
			t.Fatalf("product kept a deleted group: %d", p.GroupID)
		}
		if g, _ := s.Groups.Get(ctx, b.ID); g.ParentID != 0 {
			t.Fatalf("sub-group kept a deleted parent: %d", g.ParentID)
		}
		_, err = s.Groups.Get(ctx, a.ID)
		wantErr(t, "deleted", err, errs.NotFound, "")
		if ev := s.Events(t); !slices.Contains(ev, "group.created") || !slices.Contains(ev, "group.deleted") {
			t.Fatalf("events %v", ev)
		}
	})
}

func productsContract(t *testing.T, newStores func(*testing.T) Stores) {
	t.Run("create and read back every field", func(t *testing.T) {
		s := newStores(t)
		g := groups.Group{Name: "G", Slug: "g", Status: "active", DateCreated: at(0), DateModified: at(0)}
		must(t, s.Groups.Create(ctx, &g))
		addon := seedProduct(t, s, "addon", 5)
		p := products.Product{Slug: "basic-plan", Name: "Basic", Description: "Basic plan", Type: products.TypePlan,
			PricingType: products.PricingPaid, Currency: "EUR", Amount: 2999, SetupFee: 500, Duration: 3, DurationUnit: products.Month,
			TrialDuration: 14, TrialDurationUnit: products.Day, Recurring: true, BillingCycles: 12, Status: products.StatusHidden,
			GroupID: g.ID, Stock: 10, Pinned: true, SortOrder: 4, ParentID: 7, Taxable: true, TaxCategory: "digital",
			Addons: []int64{addon.ID}, QuantityMax: 2, Limits: map[string]int64{"space_bytes": 1 << 30, "users": 5},
			ContactUsLabel: "Call us", ContactUsLink: "https://example.com", DateCreated: at(1), DateModified: at(2)}
		must(t, s.Products.Create(ctx, &p))
		got, err := s.Products.Get(ctx, p.ID)
		if err != nil || !reflect.DeepEqual(got, p) {
			t.Fatalf("read back\n got %+v\nwant %+v (%v)", got, p, err)
		}
		if bySlug, err := s.Products.GetBySlug(ctx, "basic-plan"); err != nil || bySlug.ID != p.ID {
			t.Fatalf("by slug %+v %v", bySlug, err)
		}
		_, err = s.Products.GetBySlug(ctx, "nope")
		wantErr(t, "unknown slug", err, errs.NotFound, "")
		dup := p
		dup.ID = 0
		wantErr(t, "taken slug", s.Products.Create(ctx, &dup), errs.Conflict, "slug")
		bad := seedlessProduct("x")
		bad.GroupID = 999
		wantErr(t, "unknown group", s.Products.Create(ctx, &bad), errs.Invalid, "group_id")
	})

	t.Run("list filters, orders and pages", func(t *testing.T) {
		s := newStores(t)
		var ids []int64
		for i, spec := range []struct {
			slug, name, typ, status string
			amount                  int64
			sort                    int
		}{{"c-plan", "Charlie", "plan", "active", 300, 2}, {"a-pack", "alpha", "package", "hidden", 100, 3}, {"b-plan", "Bravo", "plan", "unreferenced", 200, 1}} {
			p := seedlessProduct(spec.slug)
			p.Name, p.Type, p.Status, p.Amount, p.SortOrder = spec.name, spec.typ, spec.status, spec.amount, spec.sort
			p.DateCreated = at(i)
			must(t, s.Products.Create(ctx, &p))
			ids = append(ids, p.ID)
		}
		C, A, B := ids[0], ids[1], ids[2]
		for _, tt := range []struct {
			f    products.ListFilter
			want []int64
			n    int
		}{
			{products.ListFilter{}, []int64{C, A, B}, 3},
			{products.ListFilter{OrderBy: products.ByName}, []int64{A, B, C}, 3},
			{products.ListFilter{OrderBy: products.ByAmount, Desc: true}, []int64{C, B, A}, 3},
			{products.ListFilter{OrderBy: products.BySortOrder}, []int64{B, C, A}, 3},
			{products.ListFilter{OrderBy: products.ByDateCreated, Desc: true}, []int64{B, A, C}, 3},
			{products.ListFilter{Type: "plan"}, []int64{C, B}, 2},
			{products.ListFilter{Status: "hidden"}, []int64{A}, 1},
			{products.ListFilter{Statuses: []string{"active", "hidden"}}, []int64{C, A}, 2},
			{products.ListFilter{IDs: []int64{B, A}}, []int64{A, B}, 2},
			{products.ListFilter{Search: "ALPH"}, []int64{A}, 1},
			{products.ListFilter{Search: "-plan"}, []int64{C, B}, 2},
			{products.ListFilter{Offset: 1, Limit: 1}, []int64{A}, 3},
			{products.ListFilter{Offset: 5, Limit: 1}, []int64{}, 3},
		} {
			got, n, err := s.Products.List(ctx, tt.f)
			if err != nil || n != tt.n || !slices.Equal(productIDs(got), tt.want) {
				t.Errorf("List(%+v) = %v %d %v, want %v %d", tt.f, productIDs(got), n, err, tt.want, tt.n)
			}
		}
	})

	t.Run("update keeps id and creation date, unchanged writes nothing", func(t *testing.T) {
		s := newStores(t)
		p := seedProduct(t, s, "p", products.Unlimited)
		before := len(s.Events(t))
		got, err := s.Products.Update(ctx, p.ID, func(x *products.Product) error { return nil })
		if err != nil || !reflect.DeepEqual(got, p) || len(s.Events(t)) != before {
			t.Fatalf("no-op update: %+v %v, events %v", got, err, s.Events(t))
		}
		got, err = s.Products.Update(ctx, p.ID, func(x *products.Product) error {
			x.ID, x.DateCreated, x.Amount, x.Limits = 99, at(9), 1000, map[string]int64{"forms": 3}
			return nil
		})
		if err != nil || got.ID != p.ID || !got.DateCreated.Equal(p.DateCreated) || got.Amount != 1000 || got.Limits["forms"] != 3 {
			t.Fatalf("update %+v %v", got, err)
		}
		if ev := s.Events(t); ev[len(ev)-1] != "product.updated" {
			t.Fatalf("events %v", ev)
		}
		stop := errs.New(errs.Invalid, "stop")
		if _, err := s.Products.Update(ctx, p.ID, func(x *products.Product) error { x.Amount = 1; return stop }); err != stop {
			t.Fatalf("fn error: %v", err)
		}
		_, err = s.Products.Update(ctx, 999, func(*products.Product) error { return nil })
		wantErr(t, "unknown", err, errs.NotFound, "")
	})

	t.Run("delete takes the pricings; a product memberships name is in use", func(t *testing.T) {
		s := newStores(t)
		p := seedProduct(t, s, "p", products.Unlimited)
		pr := products.Pricing{ProductID: p.ID, Currency: "USD", Prices: map[string]int64{"monthly": 100}, Setup: map[string]int64{}, DateCreated: at(0), DateModified: at(0)}
		must(t, s.Products.CreatePricing(ctx, &pr))
		used := seedProduct(t, s, "used", products.Unlimited)
		seedMembership(t, s, seedCustomer(t, s, "alice"), used, at(10), false)
		_, err := s.Products.Delete(ctx, used.ID)
		wantErr(t, "in use", err, errs.Conflict, "")
		if _, err := s.Products.Delete(ctx, p.ID); err != nil {
			t.Fatal(err)
		}
		_, err = s.Products.GetPricing(ctx, pr.ID)
		wantErr(t, "pricing of a deleted product", err, errs.NotFound, "")
	})

	t.Run("take sells stock, never more than there is", func(t *testing.T) {
		s := newStores(t)
		free := seedProduct(t, s, "free", products.Unlimited)
		for range 3 {
			if got, err := s.Products.Take(ctx, free.ID, 2); err != nil || got.Stock != products.Unlimited {
				t.Fatalf("unlimited: %+v %v", got, err)
			}
		}
		p := seedProduct(t, s, "last", 3)
		if got, err := s.Products.Take(ctx, p.ID, 2); err != nil || got.Stock != 1 {
			t.Fatalf("take 2 of 3: %+v %v", got, err)
		}
		_, err := s.Products.Take(ctx, p.ID, 2)
		wantErr(t, "take 2 of 1", err, errs.Conflict, "stock")
		if errs.From(err).Reason != "out_of_stock" {
			t.Fatalf("reason %q", errs.From(err).Reason)
		}
		// The last item, bought by ten buyers at once: exactly one wins.
		var won, lost atomic.Int32
		var wg sync.WaitGroup
		for range 10 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if _, err := s.Products.Take(ctx, p.ID, 1); err == nil {
					won.Add(1)
				} else if errs.KindOf(err) == errs.Conflict {
					lost.Add(1)
				} else {
					t.Error(err)
				}
			}()
		}
		wg.Wait()
		if won.Load() != 1 || lost.Load() != 9 {
			t.Fatalf("won %d lost %d, want 1 and 9", won.Load(), lost.Load())
		}
		if got, _ := s.Products.Get(ctx, p.ID); got.Stock != 0 {
			t.Fatalf("stock %d", got.Stock)
		}
	})
}

func seedlessProduct(slug string) products.Product {
	return products.Product{Slug: slug, Name: slug, Type: products.TypePlan, PricingType: products.PricingPaid, Currency: "USD",
		Amount: 100, Duration: 1, DurationUnit: products.Month, TrialDurationUnit: products.Day, Recurring: true,
		Status: products.StatusActive, Stock: products.Unlimited, QuantityMax: 1, Addons: []int64{}, Limits: map[string]int64{},
		DateCreated: at(0), DateModified: at(0)}
}

func productIDs(ps []products.Product) []int64 {
	out := []int64{}
	for _, p := range ps {
		out = append(out, p.ID)
	}
	return out
}

func pricingsContract(t *testing.T, newStores func(*testing.T) Stores) {
	s := newStores(t)
	a := seedProduct(t, s, "a", products.Unlimited)
	b := seedProduct(t, s, "b", products.Unlimited)
	usd := products.Pricing{ProductID: a.ID, Currency: "USD", Prices: map[string]int64{"monthly": 999, "annually": 9999},
		Setup: map[string]int64{"monthly": 500}, DateCreated: at(0), DateModified: at(0)}
	must(t, s.Products.CreatePricing(ctx, &usd))
	if got, err := s.Products.GetPricing(ctx, usd.ID); err != nil || !reflect.DeepEqual(got, usd) {
		t.Fatalf("read back %+v %v, want %+v", got, err, usd)
	}
	dup := products.Pricing{ProductID: a.ID, Currency: "USD", Prices: map[string]int64{}, Setup: map[string]int64{}, DateCreated: at(0), DateModified: at(0)}
	wantErr(t, "second USD pricing", s.Products.CreatePricing(ctx, &dup), errs.Conflict, "currency")
	orphan := products.Pricing{ProductID: 999, Currency: "USD", Prices: map[string]int64{}, Setup: map[string]int64{}, DateCreated: at(0), DateModified: at(0)}
	wantErr(t, "unknown product", s.Products.CreatePricing(ctx, &orphan), errs.Invalid, "product_id")
	eur := products.Pricing{ProductID: b.ID, Currency: "EUR", Prices: map[string]int64{"onetime": 1}, Setup: map[string]int64{}, DateCreated: at(0), DateModified: at(0)}
	must(t, s.Products.CreatePricing(ctx, &eur))
	if list, n, err := s.Products.ListPricings(ctx, products.PricingFilter{ProductIDs: []int64{b.ID}}); err != nil || n != 1 || list[0].ID != eur.ID {
		t.Fatalf("by product: %+v %d %v", list, n, err)
	}
	if list, n, _ := s.Products.ListPricings(ctx, products.PricingFilter{Currency: "USD"}); n != 1 || list[0].ID != usd.ID {
		t.Fatalf("by currency: %+v", list)
	}
	got, err := s.Products.UpdatePricing(ctx, usd.ID, func(p *products.Pricing) error {
		delete(p.Prices, "annually")
		p.Prices["quarterly"] = 2500
		delete(p.Setup, "monthly")
		return nil
	})
	if err != nil || !reflect.DeepEqual(got.Prices, map[string]int64{"monthly": 999, "quarterly": 2500}) || len(got.Setup) != 0 {
		t.Fatalf("update %+v %v", got, err)
	}
	if back, _ := s.Products.GetPricing(ctx, usd.ID); !reflect.DeepEqual(back, got) {
		t.Fatalf("read after update %+v", back)
	}
	_, err = s.Products.UpdatePricing(ctx, eur.ID, func(p *products.Pricing) error { p.ProductID, p.Currency = a.ID, "USD"; return nil })
	wantErr(t, "move onto a taken currency", err, errs.Conflict, "currency")
	if _, err := s.Products.DeletePricing(ctx, eur.ID); err != nil {
		t.Fatal(err)
	}
	_, err = s.Products.DeletePricing(ctx, eur.ID)
	wantErr(t, "deleted twice", err, errs.NotFound, "")
	if ev := s.Events(t); !slices.Contains(ev, "pricing.created") || !slices.Contains(ev, "pricing.deleted") {
		t.Fatalf("events %v", ev)
	}
}
