package postgres

import (
	"context"
	"time"

	"github.com/hostplane/hostplane/libs/pgkit"
	"github.com/hostplane/hostplane/services/auth/license"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Installation is the PostgreSQL license.Store.
type Installation struct{ pool *pgxpool.Pool }

// NewInstallation returns a store on pool.
func NewInstallation(pool *pgxpool.Pool) *Installation { return &Installation{pool: pool} }

// Instance returns the installation's instance, storing id first if there
// is none (the first writer wins; every caller reads the same row).
func (s *Installation) Instance(ctx context.Context, id string, at time.Time) (license.Instance, error) {
	if _, err := s.pool.Exec(ctx, `INSERT INTO installation (instance_id, created_at) VALUES ($1, $2)
		ON CONFLICT (singleton) DO NOTHING`, id, at); err != nil {
		return license.Instance{}, pgkit.MapError(err, "installation", nil)
	}
	var in license.Instance
	err := s.pool.QueryRow(ctx, `SELECT instance_id, created_at FROM installation`).Scan(&in.ID, &in.CreatedAt)
	return in, pgkit.MapError(err, "installation", nil)
}
