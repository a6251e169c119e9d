package storetest

import (
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/hostplane/hostplane/libs/errs"
	"github.com/hostplane/hostplane/services/billing/memberships"
	"github.com/hostplane/hostplane/services/billing/payments"
	"github.com/hostplane/hostplane/services/billing/products"
)

func membershipsContract(t *testing.T, newStores func(*testing.T) Stores) {
	t.Run("create and read back every field", func(t *testing.T) {
		s := newStores(t)
		c := seedCustomer(t, s, "alice")
		plan := seedProduct(t, s, "plan", products.Unlimited)
		addon := seedProduct(t, s, "addon", products.Unlimited)
		m := memberships.Membership{CustomerID: c.ID, PlanID: plan.ID, Addons: []memberships.Addon{{ProductID: addon.ID, Quantity: 2}},
			Currency: "USD", InitialAmount: 3499, Amount: 2999, Recurring: true, AutoRenew: true, Duration: 1, DurationUnit: "month",
			Status: memberships.StatusOnHold, TimesBilled: 3, BillingCycles: 12, Gateway: "stripe", GatewayCustomerID: "cus_1",
			GatewaySubscriptionID: "sub_1", SiteID: 42, SignupMethod: "checkout", SuspendReason: "unpaid", CancellationReason: "",
			RenewalPaymentID: 7, DateCreated: at(0), DateModified: at(1), DateActivated: ptr(at(0)), DateTrialEnd: ptr(at(2)),
			DateRenewed: ptr(at(3).Add(123456789 * time.Nanosecond)), DateExpiration: ptr(at(720))}
		must(t, s.Memberships.Create(ctx, &m))
		got, err := s.Memberships.Get(ctx, m.ID)
		want := m.Clone()
		want.DateRenewed = ptr(at(3).Add(123456 * time.Microsecond))
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Fatalf("read back\n got %+v\nwant %+v (%v)", got, want, err)
		}
		bad := m
		bad.ID, bad.CustomerID = 0, 999
		wantErr(t, "unknown customer", s.Memberships.Create(ctx, &bad), errs.Invalid, "customer_id")
		bad.CustomerID, bad.PlanID = c.ID, 999
		wantErr(t, "unknown plan", s.Memberships.Create(ctx, &bad), errs.Invalid, "plan_id")
	})

	t.Run("list filters, orders and pages", func(t *testing.T) {
		s := newStores(t)
		a, b := seedCustomer(t, s, "alice"), seedCustomer(t, s, "bobby")
		p, q := seedProduct(t, s, "p", products.Unlimited), seedProduct(t, s, "q", products.Unlimited)
		m1 := seedMembership(t, s, a, p, at(30), false)
		m2 := seedMembership(t, s, b, q, at(10), false)
		m3 := seedMembership(t, s, a, q, at(20), true)
		_, err := s.Memberships.Update(ctx, m2.ID, func(m *memberships.Membership) error {
			m.SiteID, m.Status, m.GatewaySubscriptionID, m.Amount = 5, memberships.StatusExpired, "SUB_42", 100
			return nil
		})
		must(t, err)
		_, err = s.Memberships.Update(ctx, m3.ID, func(m *memberships.Membership) error { m.DateExpiration = nil; return nil })
		must(t, err)
		for _, tt := range []struct {
			f    memberships.ListFilter
			want []int64
			n    int
		}{
			{memberships.ListFilter{}, []int64{m1.ID, m2.ID, m3.ID}, 3},
			{memberships.ListFilter{Desc: true}, []int64{m3.ID, m2.ID, m1.ID}, 3},
			{memberships.ListFilter{CustomerID: a.ID}, []int64{m1.ID, m3.ID}, 2},
			{memberships.ListFilter{PlanID: q.ID}, []int64{m2.ID, m3.ID}, 2},
			{memberships.ListFilter{SiteID: 5}, []int64{m2.ID}, 1},
			{memberships.ListFilter{Status: "expired"}, []int64{m2.ID}, 1},
			{memberships.ListFilter{Search: "sub_4"}, []int64{m2.ID}, 1},
			{memberships.ListFilter{OrderBy: memberships.ByDateExpiration}, []int64{m2.ID, m1.ID, m3.ID}, 3},
			{memberships.ListFilter{OrderBy: memberships.ByDateExpiration, Desc: true}, []int64{m1.ID, m2.ID, m3.ID}, 3},
			{memberships.ListFilter{OrderBy: memberships.ByAmount}, []int64{m2.ID, m1.ID, m3.ID}, 3},
			{memberships.ListFilter{Offset: 2, Limit: 5}, []int64{m3.ID}, 3},
		} {
			got, n, err := s.Memberships.List(ctx, tt.f)
			ids := []int64{}
			for _, m := range got {
				ids = append(ids, m.ID)
			}
			if err != nil || n != tt.n || !slices.Equal(ids, tt.want) {
				t.Errorf("List(%+v) = %v %d %v, want %v %d", tt.f, ids, n, err, tt.want, tt.n)
			}
		}
	})

	t.Run("update and delete write their events; payments keep their history", func(t *testing.T) {
		s := newStores(t)
		c := seedCustomer(t, s, "alice")
		m := seedMembership(t, s, c, seedProduct(t, s, "p", products.Unlimited), at(10), false)
		before := len(s.Events(t))
		if _, err := s.Memberships.Update(ctx, m.ID, func(*memberships.Membership) error { return nil }); err != nil || len(s.Events(t)) != before {
			t.Fatalf("no-op update wrote events: %v %v", err, s.Events(t)[before:])
		}
		_, err := s.Memberships.Update(ctx, m.ID, func(m *memberships.Membership) error { m.Status = memberships.StatusOnHold; return nil })
		must(t, err)
		pay := payments.Payment{CustomerID: c.ID, MembershipID: m.ID, Currency: "USD", Subtotal: 100, Total: 100,
			Status: payments.StatusCompleted, Kind: payments.KindManual, DateCreated: at(0), DateModified: at(0)}
		must(t, s.Payments.Create(ctx, &pay))
		if _, err := s.Memberships.Delete(ctx, m.ID); err != nil {
			t.Fatal(err)
		}
		if p, err := s.Payments.Get(ctx, pay.ID); err != nil || p.MembershipID != 0 {
			t.Fatalf("payment after its membership went: %+v %v", p, err)
		}
		ev := s.Events(t)[before:]
		want := []string{"membership.suspended", "payment.created", "membership.cancelled", "membership.deleted"}
		if !slices.Equal(ev, want) {
			t.Fatalf("events %v, want %v", ev, want)
		}
		_, err = s.Memberships.Get(ctx, m.ID)
		wantErr(t, "deleted", err, errs.NotFound, "")
		// A customer that memberships or payments name cannot go.
		_, err = s.Customers.Delete(ctx, c.ID)
		wantErr(t, "customer with a payment", err, errs.Conflict, "")
	})
}
