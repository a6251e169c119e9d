// Package redisx opens Redis clients with Hostplane's settings: bounded
// timeouts, and for hot paths (the gateway's limiter) no retries and a single
// dial attempt, so that a hung or refusing Redis costs milliseconds, not
// seconds; plus a tracing hook and a readiness check.
package redisx

import (
	"context"
	"fmt"
	"net"
	"time"

	"github.com/redis/go-redis/v9"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/trace"
)

// Options tune Open.
type Options struct {
	// Timeout bounds dial, read and write (default 1s).
	Timeout time.Duration
	// FailFast disables retries and dial retries (hot paths).
	FailFast bool
	// PoolSize (0: go-redis default).
	PoolSize int
	// Tracer, when set, records a span per command of a traced request.
	Tracer trace.Tracer
}

// Open parses url and returns a client; it does not wait for Redis to answer
// (callers decide whether Redis is required).
func Open(url string, o Options) (*redis.Client, error) {
	opt, err := redis.ParseURL(url)
	if err != nil {
		return nil, fmt.Errorf("redisx: parse url: %w", err)
	}
	if o.Timeout <= 0 {
		o.Timeout = time.Second
	}
	opt.DialTimeout = o.Timeout
	opt.ReadTimeout = o.Timeout
	opt.WriteTimeout = o.Timeout
	opt.PoolTimeout = o.Timeout
	opt.DisableIdentity = true
	if o.FailFast {
		opt.MaxRetries = -1
		opt.DialerRetries = 1
	}
	if o.PoolSize > 0 {
		opt.PoolSize = o.PoolSize
	}
	c := redis.NewClient(opt)
	if o.Tracer != nil {
		c.AddHook(tracingHook{o.Tracer})
	}
	return c, nil
}

// Ping is a readiness check for a client.
func Ping(c *redis.Client) func(ctx context.Context) (string, error) {
	return func(ctx context.Context) (string, error) {
		if err := c.Ping(ctx).Err(); err != nil {
			return "", err
		}
		return "", nil
	}
}

type tracingHook struct{ tracer trace.Tracer }

func (h tracingHook) DialHook(next redis.DialHook) redis.DialHook {
	return func(ctx context.Context, network, addr string) (net.Conn, error) { return next(ctx, network, addr) }
}

func (h tracingHook) ProcessHook(next redis.ProcessHook) redis.ProcessHook {
	return func(ctx context.Context, cmd redis.Cmder) error {
		if !trace.SpanFromContext(ctx).SpanContext().IsValid() {
			return next(ctx, cmd)
		}
		ctx, span := h.tracer.Start(ctx, "redis "+cmd.Name(), trace.WithSpanKind(trace.SpanKindClient),
			trace.WithAttributes(attribute.String("db.system", "redis"), attribute.String("db.operation", cmd.Name())))
		defer span.End()
		err := next(ctx, cmd)
		if err != nil && err != redis.Nil {
			span.RecordError(err)
			span.SetStatus(codes.Error, "redis error")
		}
		return err
	}
}

func (h tracingHook) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return func(ctx context.Context, cmds []redis.Cmder) error {
		if !trace.SpanFromContext(ctx).SpanContext().IsValid() {
			return next(ctx, cmds)
		}
		ctx, span := h.tracer.Start(ctx, "redis pipeline", trace.WithSpanKind(trace.SpanKindClient),
			trace.WithAttributes(attribute.String("db.system", "redis"), attribute.Int("db.redis.commands", len(cmds))))
		defer span.End()
		err := next(ctx, cmds)
		if err != nil && err != redis.Nil {
			span.RecordError(err)
			span.SetStatus(codes.Error, "redis error")
		}
		return err
	}
}
