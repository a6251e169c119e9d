// Package postgres holds the billing service's PostgreSQL store adapters
// and their migrations. pgx errors are mapped to libs/errs here, once.
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

// Migrations is the billing database's schema history.
func Migrations() fs.FS {
	sub, err := fs.Sub(migrationFiles, "migrations")
	if err != nil {
		panic(err)
	}
	return sub
}

// Migrate brings the billing database up to date.
func Migrate(ctx context.Context, pool *pgxpool.Pool, log *slog.Logger) error {
	return pgkit.Migrate(ctx, pool, Migrations(), log)
}
