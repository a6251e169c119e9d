// Package postgres holds the tenancy service's PostgreSQL adapters: the
// tenant registry (Tenants, with its goose migrations and outbox) in the
// service's own database, and Isolation — the shared hosting database and
// the servers tenants are placed on, where tenant roles and databases are
// created, site tables copied, checked and dropped. pgx errors are mapped
// to libs/errs here, once.
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

// Migrations is the tenancy database's schema history.
func Migrations() fs.FS {
	sub, err := fs.Sub(migrationFiles, "migrations")
	if err != nil {
		panic(err)
	}
	return sub
}

// Migrate brings the tenancy database up to date.
func Migrate(ctx context.Context, pool *pgxpool.Pool, log *slog.Logger) error {
	return pgkit.Migrate(ctx, pool, Migrations(), log)
}
