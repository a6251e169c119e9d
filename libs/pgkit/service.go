package pgkit

import (
	"context"
	"io/fs"
	"log/slog"

	"github.com/jackc/pgx/v5/pgxpool"
)

// ServiceDatabase names a service's database and its migrations.
type ServiceDatabase struct {
	// Own is the service's own URL (HOSTPLANE_<SERVICE>_DATABASE_URL).
	Own string
	// Shared is HOSTPLANE_DATABASE_URL, on which the service gets the
	// database Name.
	Shared string
	Name   string
	// Migrations are the service's goose files.
	Migrations fs.FS
}

// OpenService opens and migrates a service's database, creating it on the
// shared server when needed. It returns a nil pool when no PostgreSQL is
// configured (the service then uses its in-memory stores).
func OpenService(ctx context.Context, db ServiceDatabase, o Options, log *slog.Logger) (*pgxpool.Pool, error) {
	dsn, derived, err := ServiceURL(db.Own, db.Shared, db.Name)
	if err != nil || dsn == "" {
		return nil, err
	}
	if derived {
		if err := EnsureDatabase(ctx, dsn); err != nil {
			return nil, err
		}
	}
	pool, err := Open(ctx, dsn, o)
	if err != nil {
		return nil, err
	}
	if err := Migrate(ctx, pool, db.Migrations, log); err != nil {
		pool.Close()
		return nil, err
	}
	return pool, nil
}
