package keys

import (
	"context"
	"log/slog"
	"time"

	"github.com/hostplane/hostplane/libs/telemetry"
)

// Middleware decorates a Service.
type Middleware func(Service) Service

// LoggingMiddleware logs every call with its duration and outcome. Secrets
// are never logged.
func LoggingMiddleware(log *slog.Logger) Middleware {
	return func(next Service) Service { return logging{next, telemetry.CallLogger{Log: log, Aggregate: "keys"}} }
}

type logging struct {
	next Service
	log  telemetry.CallLogger
}

func (l logging) Create(ctx context.Context, in NewKey) (c Created, err error) {
	defer func(t time.Time) { l.log.Done(ctx, "create", t, err, "name", in.Name, "key_id", c.Key.ID) }(time.Now())
	return l.next.Create(ctx, in)
}

func (l logging) Seed(ctx context.Context, in NewKey, apiKey, secret string) (k Key, err error) {
	defer func(t time.Time) { l.log.Done(ctx, "seed", t, err, "api_key", apiKey) }(time.Now())
	return l.next.Seed(ctx, in, apiKey, secret)
}

func (l logging) List(ctx context.Context, f ListFilter) (ks []Key, n int, err error) {
	defer func(t time.Time) { l.log.Done(ctx, "list", t, err, "total", n) }(time.Now())
	return l.next.List(ctx, f)
}

func (l logging) Get(ctx context.Context, id int64) (k Key, err error) {
	defer func(t time.Time) { l.log.Done(ctx, "get", t, err, "key_id", id) }(time.Now())
	return l.next.Get(ctx, id)
}

func (l logging) Update(ctx context.Context, id int64, p Patch) (k Key, err error) {
	defer func(t time.Time) { l.log.Done(ctx, "update", t, err, "key_id", id) }(time.Now())
	return l.next.Update(ctx, id, p)
}

func (l logging) Rotate(ctx context.Context, id int64, o RotateOptions) (c Created, err error) {
	defer func(t time.Time) {
		l.log.Done(ctx, "rotate", t, err, "key_id", id, "previous_valid_until", c.Key.PrevSecretUntil)
	}(time.Now())
	return l.next.Rotate(ctx, id, o)
}

func (l logging) Revoke(ctx context.Context, id int64) (k Key, err error) {
	defer func(t time.Time) { l.log.Done(ctx, "revoke", t, err, "key_id", id) }(time.Now())
	return l.next.Revoke(ctx, id)
}

func (l logging) Verify(ctx context.Context, apiKey, secret string) (v Verified, err error) {
	defer func(t time.Time) { l.log.Done(ctx, "verify", t, err, "api_key", apiKey) }(time.Now())
	return l.next.Verify(ctx, apiKey, secret)
}
