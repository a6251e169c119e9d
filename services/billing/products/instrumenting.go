package products

import (
	"context"
	"time"

	"github.com/hostplane/hostplane/libs/telemetry"
	"github.com/prometheus/client_golang/prometheus"
)

// InstrumentingMiddleware times calls by method and outcome.
func InstrumentingMiddleware(reg prometheus.Registerer) Middleware {
	calls := telemetry.NewCallTimer(reg, "billing", "products")
	return func(next Service) Service { return instrumenting{next, calls} }
}

type instrumenting struct {
	next  Service
	calls *telemetry.CallTimer
}

func (m instrumenting) Create(ctx context.Context, in Input) (p Product, err error) {
	defer func(t time.Time) { m.calls.Observe("create", t, err) }(time.Now())
	return m.next.Create(ctx, in)
}

func (m instrumenting) Get(ctx context.Context, id int64) (p Product, err error) {
	defer func(t time.Time) { m.calls.Observe("get", t, err) }(time.Now())
	return m.next.Get(ctx, id)
}

func (m instrumenting) Find(ctx context.Context, ref string) (p Product, err error) {
	defer func(t time.Time) { m.calls.Observe("find", t, err) }(time.Now())
	return m.next.Find(ctx, ref)
}

func (m instrumenting) List(ctx context.Context, f ListFilter) (ps []Product, n int, err error) {
	defer func(t time.Time) { m.calls.Observe("list", t, err) }(time.Now())
	return m.next.List(ctx, f)
}

func (m instrumenting) Update(ctx context.Context, id int64, in Input) (p Product, err error) {
	defer func(t time.Time) { m.calls.Observe("update", t, err) }(time.Now())
	return m.next.Update(ctx, id, in)
}

func (m instrumenting) Delete(ctx context.Context, id int64) (p Product, err error) {
	defer func(t time.Time) { m.calls.Observe("delete", t, err) }(time.Now())
	return m.next.Delete(ctx, id)
}

func (m instrumenting) CreatePricing(ctx context.Context, in PricingInput) (p Pricing, err error) {
	defer func(t time.Time) { m.calls.Observe("create_pricing", t, err) }(time.Now())
	return m.next.CreatePricing(ctx, in)
}

func (m instrumenting) GetPricing(ctx context.Context, id int64) (p Pricing, err error) {
	defer func(t time.Time) { m.calls.Observe("get_pricing", t, err) }(time.Now())
	return m.next.GetPricing(ctx, id)
}

func (m instrumenting) ListPricings(ctx context.Context, f PricingFilter) (ps []Pricing, n int, err error) {
	defer func(t time.Time) { m.calls.Observe("list_pricings", t, err) }(time.Now())
	return m.next.ListPricings(ctx, f)
}

func (m instrumenting) UpdatePricing(ctx context.Context, id int64, in PricingInput) (p Pricing, err error) {
	defer func(t time.Time) { m.calls.Observe("update_pricing", t, err) }(time.Now())
	return m.next.UpdatePricing(ctx, id, in)
}

func (m instrumenting) DeletePricing(ctx context.Context, id int64) (p Pricing, err error) {
	defer func(t time.Time) { m.calls.Observe("delete_pricing", t, err) }(time.Now())
	return m.next.DeletePricing(ctx, id)
}
