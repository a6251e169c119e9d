// Package pgkit opens PostgreSQL pools with tracing, applies a service's
// embedded goose migrations under an advisory lock, and maps pgx errors to
// libs/errs once, at the store boundary.
package pgkit

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"go.opentelemetry.io/otel/trace"
)

// Options tune Open.
type Options struct {
	// MaxConns caps the pool (0: pgx default, max(4, GOMAXPROCS)).
	MaxConns int32
	// Tracer, when set, records a span per query.
	Tracer trace.Tracer
}

// Open connects a pool to url and checks it answers.
func Open(ctx context.Context, url string, o Options) (*pgxpool.Pool, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("pgkit: parse url: %w", err)
	}
	if o.MaxConns > 0 {
		cfg.MaxConns = o.MaxConns
	}
	cfg.MaxConnIdleTime = 5 * time.Minute
	if o.Tracer != nil {
		cfg.ConnConfig.Tracer = queryTracer{o.Tracer}
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("pgkit: connect: %w", err)
	}
	pctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if err := pool.Ping(pctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("pgkit: ping: %w", err)
	}
	return pool, nil
}

// Ping is a readiness check for a pool.
func Ping(pool *pgxpool.Pool) func(ctx context.Context) (string, error) {
	return func(ctx context.Context) (string, error) {
		if err := pool.Ping(ctx); err != nil {
			return "", err
		}
		s := pool.Stat()
		return fmt.Sprintf("%d/%d conns", s.AcquiredConns(), s.MaxConns()), nil
	}
}
