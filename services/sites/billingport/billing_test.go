package billingport

import (
	"context"
	"testing"
	"time"

	"github.com/hostplane/hostplane/libs/errs"
	billing "github.com/hostplane/hostplane/services/billing/client"
)

type fake struct{}

func (fake) Customer(_ context.Context, id int64) (billing.Customer, error) {
	if id == 5 {
		return billing.Customer{ID: 5}, nil
	}
	return billing.Customer{}, errs.NotFoundResource("customer", "")
}

func (fake) Membership(_ context.Context, id int64) (billing.Membership, error) {
	exp := time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)
	return billing.Membership{ID: id, CustomerID: 5, PlanID: 3, Status: "trialing", DateExpiration: &exp,
		Options: []billing.Option{{Code: "storage"}, {Code: "ssl"}}}, nil
}

func (fake) Product(_ context.Context, id int64) (billing.Product, error) {
	amounts := map[int64]string{3: "29.99", 4: "0.00", 5: ""}
	return billing.Product{ID: id, Name: "P", Type: "plan", Amount: amounts[id]}, nil
}

func TestAdapter(t *testing.T) {
	b := New(fake{})
	ctx := context.Background()
	if err := b.CustomerExists(ctx, 5); err != nil {
		t.Fatal(err)
	}
	if err := b.CustomerExists(ctx, 6); errs.KindOf(err) != errs.NotFound {
		t.Fatalf("unknown customer: %v", err)
	}
	m, err := b.Membership(ctx, 10)
	if err != nil || m.PlanID != 3 || m.Status != "trialing" || m.DateExpiration == nil || len(m.Options) != 2 || m.Options[1] != "ssl" {
		t.Fatalf("membership %+v %v", m, err)
	}
	for id, free := range map[int64]bool{3: false, 4: true, 5: true} {
		p, err := b.Product(ctx, id)
		if err != nil || p.Free != free || p.Type != "plan" {
			t.Errorf("product %d: %+v %v", id, p, err)
		}
	}
}
