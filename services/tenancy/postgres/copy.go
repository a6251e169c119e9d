package postgres

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/hostplane/hostplane/libs/errs"
	"github.com/hostplane/hostplane/services/tenancy/tenants"
	"github.com/jackc/pgx/v5"
)

// CopyTable is the table, in a tenant database, that records what the copy
// brought over: each table's rows and the checksum of its rows as the
// shared database sent them. The drop compares the shared tables with it.
const CopyTable = "hostplane_copy"

// noSyncScan makes sequential scans start at a table's first block, so
// that an unchanged table is always read in the same order.
const noSyncScan = "SET LOCAL synchronize_seqscans = off"

// CopyTables implements tenants.Isolation. In one transaction of the
// shared database, the site's tables are locked against writers (SHARE:
// reads go on) and streamed, from the source's binary COPY TO straight into
// the target's COPY FROM, into the tenant database, where each table is
// read back and its row count and checksum compared with what the source
// sent, and recorded in CopyTable (copyAll). Once the target committed,
// the shared tables are dropped and the shared transaction commits. A
// crash before leaves the shared tables in place (and maybe a copy, which
// the next attempt replaces); nothing can be written to them between the
// copy and the drop.
func (iso *Isolation) CopyTables(ctx context.Context, siteID int64, p tenants.Placement) (tenants.Copied, error) {
	var copied tenants.Copied
	srv, err := iso.server(p.Server)
	if err != nil {
		return copied, err
	}
	conf := tenantConfig(srv.conf, p.Database, "", "")
	dst, err := pgx.ConnectConfig(ctx, conf)
	if err != nil {
		return copied, fmt.Errorf("connect to the tenant database %s: %w", p.Database, err)
	}
	defer dst.Close(context.WithoutCancel(ctx))
	err = pgx.BeginFunc(ctx, iso.hosting, func(src pgx.Tx) error {
		if _, err := src.Exec(ctx, noSyncScan+"; SET LOCAL lock_timeout = '30s'"); err != nil {
			return err
		}
		tables, err := siteTables(ctx, src, siteID)
		if err != nil {
			return err
		}
		if len(tables) == 0 {
			return iso.alreadyMoved(ctx, dst, siteID)
		}
		if _, err := src.Exec(ctx, "LOCK TABLE "+qualifiedList(tables)+" IN SHARE MODE"); err != nil {
			return fmt.Errorf("lock the shared tables: %w", err)
		}
		if again, err := siteTables(ctx, src, siteID); err != nil || !slices.Equal(again, tables) {
			if err == nil {
				err = errs.New(errs.Conflict, "The site's tables changed while the copy began: retry.")
			}
			return err
		}
		sums, err := copyAll(ctx, src, dst, conf, tables, p.Role)
		for _, t := range tables {
			copied.Tables = append(copied.Tables, tenants.CopiedTable{Name: t, Rows: sums[t].Rows})
		}
		if err != nil {
			return err
		}
		if iso.beforeDrop != nil {
			if err := iso.beforeDrop(siteID); err != nil {
				return err
			}
		}
		_, err = src.Exec(ctx, "DROP TABLE "+qualifiedList(tables)+" CASCADE")
		return err
	})
	if err != nil {
		return copied, mapErr(fmt.Errorf("copy the tables of site %d: %w", siteID, err))
	}
	return copied, nil
}

// alreadyMoved accepts a copy with nothing left to copy only when the
// tenant database holds the site's tables: the legacy ones were dropped
// after an earlier copy.
func (iso *Isolation) alreadyMoved(ctx context.Context, dst *pgx.Conn, siteID int64) error {
	var n int
	if err := dst.QueryRow(ctx, `SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
		WHERE n.nspname = 'public' AND c.relkind = 'r' AND c.relname LIKE $1`, likePrefix(sitePrefix(siteID))).Scan(&n); err != nil {
		return err
	}
	if n == 0 {
		return errs.New(errs.Conflict, "Site %d has no tables, neither in the shared database nor in its tenant database: create them first (POST /internal/v1/tenants/%d/shared-tables).", siteID, siteID)
	}
	return nil
}

// recorded reads CopyTable (empty when missing: no copy finished, or the
// last one stopped between its two transactions).
func recorded(ctx context.Context, dst *pgx.Conn) (map[string]sum, error) {
	out := map[string]sum{}
	var name string
	var s sum
	rows, err := dst.Query(ctx, `SELECT table_name, rows, checksum FROM public.`+ident(CopyTable))
	if err == nil {
		_, err = pgx.ForEachRow(rows, []any{&name, &s.Rows, &s.Hash}, func() error {
			out[name] = s
			return nil
		})
	}
	// The error comes with the query, or with its rows when the statement
	// was prepared while the table existed.
	if pgCode(err) == "42P01" { // undefined_table
		return map[string]sum{}, nil
	}
	if err != nil {
		return nil, err
	}
	return out, nil
}

// qualifiedList quotes public tables and joins them with commas.
func qualifiedList(tables []string) string {
	q := make([]string, len(tables))
	for i, t := range tables {
		q[i] = "public." + ident(t)
	}
	return strings.Join(q, ", ")
}

// DropLegacy implements tenants.Isolation. CopyTables drops the tables it
// copied; this finds any the shared database holds still (a crash between
// the two commits, or tables made since): in one transaction they are
// locked against writers, read again and compared with what the copy
// recorded (copied again when anything differs), and dropped. A crash
// anywhere leaves them in place.
func (iso *Isolation) DropLegacy(ctx context.Context, siteID int64, p tenants.Placement) error {
	srv, err := iso.server(p.Server)
	if err != nil {
		return err
	}
	conf := tenantConfig(srv.conf, p.Database, "", "")
	dst, err := pgx.ConnectConfig(ctx, conf)
	if err != nil {
		return fmt.Errorf("connect to the tenant database %s: %w", p.Database, err)
	}
	defer dst.Close(context.WithoutCancel(ctx))
	err = pgx.BeginFunc(ctx, iso.hosting, func(src pgx.Tx) error {
		if _, err := src.Exec(ctx, noSyncScan+"; SET LOCAL lock_timeout = '30s'"); err != nil {
			return err
		}
		tables, err := siteTables(ctx, src, siteID)
		if err != nil || len(tables) == 0 {
			return err
		}
		if _, err := src.Exec(ctx, "LOCK TABLE "+qualifiedList(tables)+" IN ACCESS EXCLUSIVE MODE"); err != nil {
			return fmt.Errorf("lock the shared tables: %w", err)
		}
		same, err := unchanged(ctx, src, dst, tables)
		if err != nil {
			return err
		}
		if !same {
			if _, err := copyAll(ctx, src, dst, conf, tables, p.Role); err != nil {
				return fmt.Errorf("copy again what changed since the copy: %w", err)
			}
		}
		_, err = src.Exec(ctx, "DROP TABLE "+qualifiedList(tables)+" CASCADE")
		return err
	})
	if err != nil {
		return mapErr(fmt.Errorf("drop the shared tables of site %d: %w", siteID, err))
	}
	return nil
}

// unchanged reports whether the locked source tables are exactly what the
// copy recorded (same tables, rows and checksums).
func unchanged(ctx context.Context, src pgx.Tx, dst *pgx.Conn, tables []string) (bool, error) {
	rec, err := recorded(ctx, dst)
	if err != nil {
		return false, err
	}
	if len(rec) != len(tables) {
		return false, nil
	}
	for _, name := range tables {
		want, ok := rec[name]
		if !ok {
			return false, nil
		}
		d, err := describe(ctx, src, name)
		if err != nil {
			return false, err
		}
		got, err := read(ctx, src.Conn().PgConn(), &d, nil)
		if err != nil {
			return false, err
		}
		if got != want {
			return false, nil
		}
	}
	return true, nil
}
