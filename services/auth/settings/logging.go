package settings

import (
	"context"
	"encoding/json"
	"log/slog"
	"time"

	"github.com/hostplane/hostplane/libs/principal"
	"github.com/hostplane/hostplane/libs/telemetry"
)

// Middleware decorates a Service.
type Middleware func(Service) Service

// LoggingMiddleware logs every call with its duration and outcome, and
// every change at info level with the key that made it and the new value
// (never a secret's).
func LoggingMiddleware(log *slog.Logger) Middleware {
	return func(next Service) Service {
		return logging{next, telemetry.CallLogger{Log: log, Aggregate: "settings"}, log}
	}
}

type logging struct {
	next  Service
	calls telemetry.CallLogger
	log   *slog.Logger
}

func (l logging) List(ctx context.Context) (s []Setting, err error) {
	defer func(t time.Time) { l.calls.Done(ctx, "list", t, err) }(time.Now())
	return l.next.List(ctx)
}

func (l logging) Get(ctx context.Context, key string) (s Setting, err error) {
	defer func(t time.Time) { l.calls.Done(ctx, "get", t, err, "key", key) }(time.Now())
	return l.next.Get(ctx, key)
}

func (l logging) Set(ctx context.Context, key string, value json.RawMessage) (s Setting, err error) {
	defer func(t time.Time) {
		l.calls.Done(ctx, "set", t, err, "key", key)
		if err == nil {
			var by int64
			system := false
			if p := principal.From(ctx); p != nil {
				by, system = p.KeyID, p.System
			}
			shown := string(s.Value)
			if s.Secret {
				shown = "(secret)"
			}
			l.log.InfoContext(ctx, "setting changed", "key", key, "value", shown, "by_key_id", by, "system", system)
		}
	}(time.Now())
	return l.next.Set(ctx, key, value)
}

func (l logging) Bool(ctx context.Context, key string) (b bool, err error) {
	defer func(t time.Time) { l.calls.Done(ctx, "bool", t, err, "key", key) }(time.Now())
	return l.next.Bool(ctx, key)
}

func (l logging) Duration(ctx context.Context, key string) (d time.Duration, err error) {
	defer func(t time.Time) { l.calls.Done(ctx, "duration", t, err, "key", key) }(time.Now())
	return l.next.Duration(ctx, key)
}

func (l logging) Text(ctx context.Context, key string) (s string, err error) {
	defer func(t time.Time) { l.calls.Done(ctx, "text", t, err, "key", key) }(time.Now())
	return l.next.Text(ctx, key)
}
