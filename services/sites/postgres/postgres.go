// Package postgres holds the sites service's PostgreSQL store adapters and
// their migrations. pgx errors are mapped to libs/errs here, once; every
// change writes its events into the outbox in its own transaction.
package postgres

import (
	"context"
	"embed"
	"errors"
	"io/fs"
	"log/slog"
	"strconv"
	"strings"

	"github.com/hostplane/hostplane/libs/errs"
	"github.com/hostplane/hostplane/libs/events"
	"github.com/hostplane/hostplane/libs/pgkit"
	"github.com/hostplane/hostplane/services/sites/idempotency"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// Migrations is the sites database's schema history.
func Migrations() fs.FS {
	sub, err := fs.Sub(migrationFiles, "migrations")
	if err != nil {
		panic(err)
	}
	return sub
}

// Migrate brings the sites database up to date.
func Migrate(ctx context.Context, pool *pgxpool.Pool, log *slog.Logger) error {
	return pgkit.Migrate(ctx, pool, Migrations(), log)
}

// Source is the outbox of the sites database for the event relay.
func Source(pool *pgxpool.Pool) *events.PostgresOutbox {
	return &events.PostgresOutbox{Pool: pool, Source: "sites"}
}

// constraints names the field each constraint guards.
var constraints = map[string]string{
	"sites_code_key":          "code_site",
	"sites_domain_path_key":   "domain",
	"domains_name_key":        "domain",
	"domains_site_id_fkey":    "blog_id",
	"idempotency_pkey":        "Idempotency-Key",
	"backups_pkey":            "id",
	"backups_job_key":         "job_id",
	"domains_one_primary_key": "primary_domain",
}

// mapErr maps a pgx error once; errors already typed pass unchanged.
func mapErr(err error, resource string) error {
	var typed *errs.Error
	if errors.As(err, &typed) {
		return err
	}
	return pgkit.MapError(err, resource, constraints)
}

// insertIdem records idem pointing at ref inside tx.
func insertIdem(ctx context.Context, tx pgx.Tx, idem *idempotency.Record, ref int64) error {
	if idem == nil {
		return nil
	}
	_, err := tx.Exec(ctx, `INSERT INTO idempotency (scope, key, fingerprint, kind, ref_id) VALUES ($1, $2, $3, $4, $5)`,
		idem.Scope, idem.Key, idem.Fingerprint, idem.Kind, ref)
	return err
}

// lookup finds an idempotency record.
func lookup(ctx context.Context, pool *pgxpool.Pool, scope, key string) (idempotency.Record, bool, error) {
	r := idempotency.Record{Scope: scope, Key: key}
	err := pool.QueryRow(ctx, `SELECT fingerprint, kind, ref_id FROM idempotency WHERE scope = $1 AND key = $2`, scope, key).
		Scan(&r.Fingerprint, &r.Kind, &r.RefID)
	if errors.Is(err, pgx.ErrNoRows) {
		return idempotency.Record{}, false, nil
	}
	if err != nil {
		return idempotency.Record{}, false, mapErr(err, "")
	}
	return r, true, nil
}

// likePattern matches s anywhere, its wildcard characters taken literally.
func likePattern(s string) string { return "%" + likeEscape(s) + "%" }

func likeEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// args collects query parameters and names them $1, $2…
type args []any

func (a *args) add(v any) string {
	*a = append(*a, v)
	return "$" + strconv.Itoa(len(*a))
}

// prefixed qualifies every column of a list with p ("j.").
func prefixed(p, columns string) string {
	parts := strings.Split(columns, ",")
	for i, c := range parts {
		parts[i] = p + strings.TrimSpace(c)
	}
	return strings.Join(parts, ", ")
}
