// Package postgres holds the stats service's PostgreSQL adapter and its
// migrations: Store is its traffic.Store, activity.Store and
// projection.Store. pgx errors are mapped to libs/errs here, once.
package postgres

import (
	"context"
	"embed"
	"io/fs"
	"log/slog"

	"github.com/hostplane/hostplane/libs/pgkit"
	"github.com/jackc/pgx/v5/pgxpool"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// Migrations is the stats database's schema history.
func Migrations() fs.FS {
	sub, err := fs.Sub(migrationFiles, "migrations")
	if err != nil {
		panic(err)
	}
	return sub
}

// Migrate brings the stats database up to date.
func Migrate(ctx context.Context, pool *pgxpool.Pool, log *slog.Logger) error {
	return pgkit.Migrate(ctx, pool, Migrations(), log)
}

// Store is the PostgreSQL adapter of every stats store port.
type Store struct{ pool *pgxpool.Pool }

// New returns a store on pool.
func New(pool *pgxpool.Pool) *Store { return &Store{pool: pool} }

func mapErr(err error) error { return pgkit.MapError(err, "site", nil) }
