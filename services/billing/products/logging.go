package products

import (
	"context"
	"log/slog"
	"time"

	"github.com/hostplane/hostplane/libs/telemetry"
)

// Middleware decorates a Service.
type Middleware func(Service) Service

// LoggingMiddleware logs every call with its duration and outcome (ids only).
func LoggingMiddleware(log *slog.Logger) Middleware {
	return func(next Service) Service {
		return logging{next, telemetry.CallLogger{Log: log, Aggregate: "products"}}
	}
}

type logging struct {
	next Service
	log  telemetry.CallLogger
}

func (l logging) Create(ctx context.Context, in Input) (p Product, err error) {
	defer func(t time.Time) { l.log.Done(ctx, "create", t, err, "product_id", p.ID) }(time.Now())
	return l.next.Create(ctx, in)
}

func (l logging) Get(ctx context.Context, id int64) (p Product, err error) {
	defer func(t time.Time) { l.log.Done(ctx, "get", t, err, "product_id", id) }(time.Now())
	return l.next.Get(ctx, id)
}

func (l logging) Find(ctx context.Context, ref string) (p Product, err error) {
	defer func(t time.Time) { l.log.Done(ctx, "find", t, err, "product_id", p.ID) }(time.Now())
	return l.next.Find(ctx, ref)
}

func (l logging) List(ctx context.Context, f ListFilter) (ps []Product, n int, err error) {
	defer func(t time.Time) { l.log.Done(ctx, "list", t, err, "total", n) }(time.Now())
	return l.next.List(ctx, f)
}

func (l logging) Update(ctx context.Context, id int64, in Input) (p Product, err error) {
	defer func(t time.Time) { l.log.Done(ctx, "update", t, err, "product_id", id) }(time.Now())
	return l.next.Update(ctx, id, in)
}

func (l logging) Delete(ctx context.Context, id int64) (p Product, err error) {
	defer func(t time.Time) { l.log.Done(ctx, "delete", t, err, "product_id", id) }(time.Now())
	return l.next.Delete(ctx, id)
}

func (l logging) CreatePricing(ctx context.Context, in PricingInput) (p Pricing, err error) {
	defer func(t time.Time) { l.log.Done(ctx, "create_pricing", t, err, "pricing_id", p.ID) }(time.Now())
	return l.next.CreatePricing(ctx, in)
}

func (l logging) GetPricing(ctx context.Context, id int64) (p Pricing, err error) {
	defer func(t time.Time) { l.log.Done(ctx, "get_pricing", t, err, "pricing_id", id) }(time.Now())
	return l.next.GetPricing(ctx, id)
}

func (l logging) ListPricings(ctx context.Context, f PricingFilter) (ps []Pricing, n int, err error) {
	defer func(t time.Time) { l.log.Done(ctx, "list_pricings", t, err, "total", n) }(time.Now())
	return l.next.ListPricings(ctx, f)
}

func (l logging) UpdatePricing(ctx context.Context, id int64, in PricingInput) (p Pricing, err error) {
	defer func(t time.Time) { l.log.Done(ctx, "update_pricing", t, err, "pricing_id", id) }(time.Now())
	return l.next.UpdatePricing(ctx, id, in)
}

func (l logging) DeletePricing(ctx context.Context, id int64) (p Pricing, err error) {
	defer func(t time.Time) { l.log.Done(ctx, "delete_pricing", t, err, "pricing_id", id) }(time.Now())
	return l.next.DeletePricing(ctx, id)
}
