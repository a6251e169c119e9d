package storetest

import (
	"reflect"
	"slices"
	"sync"
	"testing"

	"github.com/hostplane/hostplane/libs/errs"
	"github.com/hostplane/hostplane/services/billing/payments"
	"github.com/hostplane/hostplane/services/billing/products"
)

func paymentsContract(t *testing.T, newStores func(*testing.T) Stores) {
	t.Run("create numbers invoices and reads back", func(t *testing.T) {
		s := newStores(t)
		c := seedCustomer(t, s, "alice")
		plan := seedProduct(t, s, "p", products.Unlimited)
		m := seedMembership(t, s, c, plan, at(10), false)
		p := payments.Payment{CustomerID: c.ID, MembershipID: m.ID, ProductID: plan.ID, ParentID: 3, Currency: "USD",
			Subtotal: 3000, TaxTotal: 600, DiscountTotal: 100, RefundTotal: 0, Total: 3500, Status: payments.StatusCompleted,
			Gateway: "stripe", GatewayPaymentID: "pi_1", DiscountCode: "WELCOME", Kind: payments.KindInitial,
			DateCreated: at(0), DateModified: at(1)}
		must(t, s.Payments.Create(ctx, &p))
		if p.InvoiceNumber != "INV-000001" {
			t.Fatalf("first invoice number %q", p.InvoiceNumber)
		}
		if got, err := s.Payments.Get(ctx, p.ID); err != nil || !reflect.DeepEqual(got, p) {
			t.Fatalf("read back\n got %+v\nwant %+v (%v)", got, p, err)
		}
		bad := payments.Payment{CustomerID: 999, Currency: "USD", Status: "pending", Kind: "manual", DateCreated: at(0), DateModified: at(0)}
		wantErr(t, "unknown customer", s.Payments.Create(ctx, &bad), errs.Invalid, "customer_id")
		bad.CustomerID, bad.MembershipID = c.ID, 999
		wantErr(t, "unknown membership", s.Payments.Create(ctx, &bad), errs.Invalid, "membership_id")
		// Invoice numbers are unique and increase, whoever creates them.
		var wg sync.WaitGroup
		var mu sync.Mutex
		var numbers []string
		for range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				q := payments.Payment{CustomerID: c.ID, Currency: "USD", Subtotal: 1, Total: 1, Status: "pending", Kind: "manual",
					DateCreated: at(0), DateModified: at(0)}
				if err := s.Payments.Create(ctx, &q); err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				numbers = append(numbers, q.InvoiceNumber)
				mu.Unlock()
			}()
		}
		wg.Wait()
		slices.Sort(numbers)
		if len(slices.Compact(slices.Clone(numbers))) != 8 {
			t.Fatalf("duplicate invoice numbers %v", numbers)
		}
		for _, n := range numbers {
			if n <= p.InvoiceNumber {
				t.Fatalf("invoice %s not after %s", n, p.InvoiceNumber)
			}
		}
	})

	t.Run("list, update, delete", func(t *testing.T) {
		s := newStores(t)
		a, b := seedCustomer(t, s, "alice"), seedCustomer(t, s, "bobby")
		mk := func(c int64, total int64, status, gw string) payments.Payment {
			p := payments.Payment{CustomerID: c, Currency: "USD", Subtotal: total, Total: total, Status: status, GatewayPaymentID: gw,
				Kind: payments.KindManual, DateCreated: at(0), DateModified: at(0)}
			must(t, s.Payments.Create(ctx, &p))
			return p
		}
		p1, p2, p3 := mk(a.ID, 300, "completed", "pi_A"), mk(b.ID, 100, "pending", "pi_B"), mk(a.ID, 200, "failed", "x")
		for _, tt := range []struct {
			f    payments.ListFilter
			want []int64
			n    int
		}{
			{payments.ListFilter{}, []int64{p1.ID, p2.ID, p3.ID}, 3},
			{payments.ListFilter{CustomerID: a.ID}, []int64{p1.ID, p3.ID}, 2},
			{payments.ListFilter{Status: "pending"}, []int64{p2.ID}, 1},
			{payments.ListFilter{OrderBy: payments.ByTotal, Desc: true}, []int64{p1.ID, p3.ID, p2.ID}, 3},
			{payments.ListFilter{Search: "PI_"}, []int64{p1.ID, p2.ID}, 2},
			{payments.ListFilter{Search: "inv-000003"}, []int64{p3.ID}, 1},
			{payments.ListFilter{Limit: 1, Offset: 1}, []int64{p2.ID}, 3},
		} {
			got, n, err := s.Payments.List(ctx, tt.f)
			ids := []int64{}
			for _, p := range got {
				ids = append(ids, p.ID)
			}
			if err != nil || n != tt.n || !slices.Equal(ids, tt.want) {
				t.Errorf("List(%+v) = %v %d %v, want %v %d", tt.f, ids, n, err, tt.want, tt.n)
			}
		}
		before := len(s.Events(t))
		got, err := s.Payments.Update(ctx, p2.ID, func(p *payments.Payment) error {
			p.Status, p.InvoiceNumber = payments.StatusCompleted, "HACKED"
			return nil
		})
		if err != nil || got.Status != "completed" || got.InvoiceNumber != p2.InvoiceNumber {
			t.Fatalf("update %+v %v", got, err)
		}
		if _, err := s.Payments.Delete(ctx, p3.ID); err != nil {
			t.Fatal(err)
		}
		if ev := s.Events(t)[before:]; !slices.Equal(ev, []string{"payment.completed", "payment.deleted"}) {
			t.Fatalf("events %v", ev)
		}
	})
}
