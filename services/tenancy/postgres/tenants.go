package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/hostplane/hostplane/libs/errs"
	"github.com/hostplane/hostplane/libs/events"
	"github.com/hostplane/hostplane/libs/pgkit"
	"github.com/hostplane/hostplane/services/tenancy/tenants"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Tenants is the tenant registry in the tenancy database. Its locks are
// PostgreSQL advisory locks, so they hold across every instance of the
// service: a tenant's lock is the advisory lock of its site id, placement
// takes the lock of key placementLock.
type Tenants struct {
	pool  *pgxpool.Pool
	locks *pgxpool.Pool
}

// placementLock is the advisory lock key of placement (site ids are
// positive).
const placementLock = -1

// NewTenants returns the registry over a migrated pool. Each held lock
// keeps a connection of locks (pool when nil): give locks a pool of its
// own, or holders waiting for a second connection of a full pool would
// wait forever.
func NewTenants(pool, locks *pgxpool.Pool) *Tenants {
	if locks == nil {
		locks = pool
	}
	return &Tenants{pool: pool, locks: locks}
}

func mapErr(err error) error { return pgkit.MapError(err, "tenant", nil) }

const columns = `site_id, customer_id, state, step, error, done, server, database_host, database_name, role_name,
	sealed_password, site_root, tenant_dir, no_legacy, sovereign_push, tenant_users, verified_at, date_created, date_modified`

func scan(row pgx.Row) (tenants.Tenant, error) {
	var t tenants.Tenant
	var state, step string
	var done []string
	var noLegacy, push, users string
	err := row.Scan(&t.SiteID, &t.CustomerID, &state, &step, &t.Error, &done, &t.Placement.Server, &t.Placement.Host,
		&t.Placement.Database, &t.Placement.Role, &t.SealedPassword, &t.SiteRoot, &t.TenantDir,
		&noLegacy, &push, &users, &t.VerifiedAt, &t.DateCreated, &t.DateModified)
	if err != nil {
		return tenants.Tenant{}, err
	}
	t.State, t.Step = tenants.State(state), tenants.Step(step)
	for _, d := range done {
		t.Done = append(t.Done, tenants.Step(d))
	}
	t.Checks = tenants.Checks{NoLegacy: tenants.Check(noLegacy), SovereignPush: tenants.Check(push), TenantUsers: tenants.Check(users)}
	t.DateCreated, t.DateModified = t.DateCreated.UTC(), t.DateModified.UTC()
	if t.VerifiedAt != nil {
		v := t.VerifiedAt.UTC()
		t.VerifiedAt = &v
	}
	return t, nil
}

// Get implements tenants.Store.
func (s *Tenants) Get(ctx context.Context, siteID int64) (tenants.Tenant, error) {
	t, err := scan(s.pool.QueryRow(ctx, `SELECT `+columns+` FROM tenants WHERE site_id = $1`, siteID))
	return t, mapErr(err)
}

// Save implements tenants.Store.
func (s *Tenants) Save(ctx context.Context, t *tenants.Tenant, evs ...events.Event) error {
	done := make([]string, len(t.Done))
	for i, d := range t.Done {
		done[i] = string(d)
	}
	return mapErr(pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `INSERT INTO tenants (`+columns+`)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)
			ON CONFLICT (site_id) DO UPDATE SET customer_id = $2, state = $3, step = $4, error = $5, done = $6,
				server = $7, database_host = $8, database_name = $9, role_name = $10, sealed_password = $11,
				site_root = $12, tenant_dir = $13, no_legacy = $14, sovereign_push = $15, tenant_users = $16,
				verified_at = $17, date_modified = $19`,
			t.SiteID, t.CustomerID, string(t.State), string(t.Step), t.Error, done, t.Placement.Server, t.Placement.Host,
			t.Placement.Database, t.Placement.Role, t.SealedPassword, t.SiteRoot, t.TenantDir,
			string(t.Checks.NoLegacy), string(t.Checks.SovereignPush), string(t.Checks.TenantUsers),
			t.VerifiedAt, t.DateCreated, t.DateModified)
		if err != nil {
			return err
		}
		return events.Insert(ctx, tx, evs...)
	}))
}

// Remove implements tenants.Store.
func (s *Tenants) Remove(ctx context.Context, siteID int64, evs ...events.Event) error {
	return mapErr(pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `DELETE FROM tenants WHERE site_id = $1`, siteID); err != nil {
			return err
		}
		return events.Insert(ctx, tx, evs...)
	}))
}

// Place implements tenants.Store: under the placement lock, the server
// with the fewest tenants among servers (the first listed on a tie).
func (s *Tenants) Place(ctx context.Context, siteID int64, servers []string) (string, error) {
	if len(servers) == 0 {
		return "", errs.New(errs.Invalid, "no server to place tenant %d on", siteID)
	}
	var chosen string
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, int64(placementLock)); err != nil {
			return err
		}
		if err := tx.QueryRow(ctx, `SELECT server FROM tenants WHERE site_id = $1 FOR UPDATE`, siteID).Scan(&chosen); err != nil {
			return err
		}
		if chosen != "" {
			return nil
		}
		rows, err := tx.Query(ctx, `SELECT server, count(*) FROM tenants WHERE server = ANY($1) GROUP BY server`, servers)
		if err != nil {
			return err
		}
		counts := map[string]int64{}
		for rows.Next() {
			var server string
			var n int64
			if err := rows.Scan(&server, &n); err != nil {
				return err
			}
			counts[server] = n
		}
		if err := rows.Err(); err != nil {
			return err
		}
		chosen = servers[0]
		for _, sv := range servers[1:] {
			if counts[sv] < counts[chosen] {
				chosen = sv
			}
		}
		_, err = tx.Exec(ctx, `UPDATE tenants SET server = $2 WHERE site_id = $1`, siteID, chosen)
		return err
	})
	return chosen, mapErr(err)
}

// Unfinished implements tenants.Store.
func (s *Tenants) Unfinished(ctx context.Context) ([]int64, error) {
	rows, err := s.pool.Query(ctx, `SELECT site_id FROM tenants
		WHERE state IN ('pending', 'provisioning', 'migrating', 'verifying') ORDER BY site_id`)
	if err != nil {
		return nil, mapErr(err)
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	return ids, mapErr(err)
}

// Lock implements tenants.Store with a session advisory lock held on a
// connection of its own until unlock.
func (s *Tenants) Lock(ctx context.Context, siteID int64, wait time.Duration) (func(), error) {
	conn, err := s.locks.Acquire(ctx)
	if err != nil {
		return nil, mapErr(err)
	}
	locked, err := advisoryLock(ctx, conn.Conn(), siteID, wait)
	if err != nil || !locked {
		if err != nil {
			_ = conn.Conn().Close(ctx) // its lock_timeout is unknown
		}
		conn.Release()
		if err != nil {
			return nil, mapErr(err)
		}
		return nil, errs.New(errs.Conflict, "tenant %d is locked", siteID)
	}
	var done bool
	return func() {
		if done {
			return
		}
		done = true
		uctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if _, err := conn.Exec(uctx, `SELECT pg_advisory_unlock($1)`, siteID); err != nil {
			_ = conn.Conn().Close(uctx) // closing the session frees the lock
		}
		conn.Release()
	}, nil
}

// advisoryLock takes the advisory lock key on conn, waiting at most wait;
// it reports false when the lock stays held elsewhere.
func advisoryLock(ctx context.Context, conn *pgx.Conn, key int64, wait time.Duration) (bool, error) {
	if wait <= 0 {
		var ok bool
		err := conn.QueryRow(ctx, `SELECT pg_try_advisory_lock($1)`, key).Scan(&ok)
		return ok, err
	}
	if _, err := conn.Exec(ctx, fmt.Sprintf(`SET lock_timeout = %d`, max(wait.Milliseconds(), 1))); err != nil {
		return false, err
	}
	_, err := conn.Exec(ctx, `SELECT pg_advisory_lock($1)`, key)
	var pe *pgconn.PgError
	if errors.As(err, &pe) && pe.Code == "55P03" { // lock_not_available
		err = nil
		if _, rerr := conn.Exec(ctx, `RESET lock_timeout`); rerr != nil {
			return false, rerr
		}
		return false, nil
	}
	if err != nil {
		return false, err
	}
	_, err = conn.Exec(ctx, `RESET lock_timeout`)
	return err == nil, err
}

// Once implements tenants.Store: the event id is recorded in
// processed_events in a transaction that commits only when fn succeeds; a
// concurrent duplicate waits on the row and then finds it.
func (s *Tenants) Once(ctx context.Context, consumer, id string, fn func(context.Context) error) (bool, error) {
	ran := false
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		first, err := events.FirstTime(ctx, tx, consumer, id)
		if err != nil || !first {
			return err
		}
		ran = true
		return fn(ctx)
	})
	if err != nil {
		return false, mapErr(err)
	}
	return ran, nil
}
