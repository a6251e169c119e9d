package postgres

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/cespare/xxhash/v2"
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

// sum is a table's row count and the checksum (xxhash64) of its rows in
// PostgreSQL's binary COPY format, in the order they were read.
type sum struct {
	Rows int64
	Hash string
}

func newSum(rows int64, h *xxhash.Digest) sum {
	return sum{Rows: rows, Hash: strconv.FormatUint(h.Sum64(), 16)}
}

// copyOut is the COPY TO of a table's columns (not its generated ones).
func copyOut(d *tableDef) string {
	return "COPY public." + ident(d.Name) + " (" + d.copyColumns() + ") TO STDOUT (FORMAT binary)"
}

// read streams a table out of q into w and returns its sum.
func read(ctx context.Context, q pgx.Tx, d *tableDef, w io.Writer) (sum, error) {
	h := xxhash.New()
	out := io.Writer(h)
	if w != nil {
		out = io.MultiWriter(w, h)
	}
	tag, err := q.Conn().PgConn().CopyTo(ctx, out, copyOut(d))
	if err != nil {
		return sum{}, err
	}
	return newSum(tag.RowsAffected(), h), nil
}

// CopyTables implements tenants.Isolation. In one transaction of the
// shared database, the site's tables are locked against writers (SHARE:
// reads go on) and streamed, from the source's binary COPY TO straight into
// the target's COPY FROM, into one transaction of the tenant database; each
// table is then read back from the target and its row count and checksum
// compared with what the source sent, and recorded in CopyTable. Once the
// target committed, the shared tables are dropped and the shared
// transaction commits. A crash before leaves the shared tables in place
// (and maybe a committed copy, which the next attempt replaces); nothing
// can be written to them between the copy and the drop.
func (iso *Isolation) CopyTables(ctx context.Context, siteID int64, p tenants.Placement) (tenants.Copied, error) {
	var copied tenants.Copied
	srv, err := iso.server(p.Server)
	if err != nil {
		return copied, err
	}
	dst, err := pgx.ConnectConfig(ctx, tenantConfig(srv.conf, p.Database, "", ""))
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
		err = pgx.BeginFunc(ctx, dst, func(dtx pgx.Tx) error {
			sums, err := copyAll(ctx, src, dtx, tables, p.Role)
			for _, t := range tables {
				copied.Tables = append(copied.Tables, tenants.CopiedTable{Name: t, Rows: sums[t].Rows})
			}
			return err
		})
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

// copyAll recreates tables in dst (replacing them), streams their rows
// from src, adds keys, indexes, foreign keys and sequence values, gives
// them to owner, reads every table back to compare its rows and checksum
// with what src sent, and records the sums in CopyTable.
func copyAll(ctx context.Context, src, dst pgx.Tx, tables []string, owner string) (map[string]sum, error) {
	if _, err := dst.Exec(ctx, noSyncScan+"; SET LOCAL maintenance_work_mem = '256MB'"); err != nil {
		return nil, err
	}
	defs := make([]tableDef, len(tables))
	for i, name := range tables {
		d, err := describe(ctx, src, name)
		if err != nil {
			return nil, fmt.Errorf("describe %s: %w", name, err)
		}
		defs[i] = d
	}
	if _, err := dst.Exec(ctx, "DROP TABLE IF EXISTS "+qualifiedList(tables)+" CASCADE"); err != nil {
		return nil, err
	}
	for _, d := range defs {
		for _, stmt := range d.createStatements() {
			if _, err := dst.Exec(ctx, stmt); err != nil {
				return nil, fmt.Errorf("create %s: %w", d.Name, err)
			}
		}
	}
	sent := map[string]sum{}
	for i := range defs {
		s, err := stream(ctx, src, dst, &defs[i])
		if err != nil {
			return nil, fmt.Errorf("copy the rows of %s: %w", defs[i].Name, err)
		}
		sent[defs[i].Name] = s
	}
	var later []string
	for _, d := range defs {
		for _, stmt := range append(d.keyStatements(), d.sequenceStatements()...) {
			if _, err := dst.Exec(ctx, stmt); err != nil {
				return nil, fmt.Errorf("index %s: %w", d.Name, err)
			}
		}
		later = append(later, d.foreignKeys()...)
		later = append(later, "ALTER TABLE public."+ident(d.Name)+" OWNER TO "+ident(owner))
	}
	for _, stmt := range later {
		if _, err := dst.Exec(ctx, stmt); err != nil {
			return nil, err
		}
	}
	var diff []string
	for i := range defs {
		got, err := read(ctx, dst, &defs[i], nil)
		if err != nil {
			return nil, fmt.Errorf("read %s back: %w", defs[i].Name, err)
		}
		if want := sent[defs[i].Name]; got != want {
			diff = append(diff, fmt.Sprintf("%s (sent %d rows, checksum %s; stored %d rows, checksum %s)", defs[i].Name, want.Rows, want.Hash, got.Rows, got.Hash))
		}
	}
	if len(diff) > 0 {
		return sent, fmt.Errorf("the copy differs from the source: %s", strings.Join(diff, "; "))
	}
	return sent, record(ctx, dst, sent)
}

// record writes the sums of a copy into CopyTable.
func record(ctx context.Context, dst pgx.Tx, sums map[string]sum) error {
	table := "public." + ident(CopyTable)
	if _, err := dst.Exec(ctx, `CREATE TABLE IF NOT EXISTS `+table+` (
		table_name TEXT PRIMARY KEY, rows BIGINT NOT NULL, checksum TEXT NOT NULL, copied_at TIMESTAMPTZ NOT NULL DEFAULT now())`); err != nil {
		return err
	}
	if _, err := dst.Exec(ctx, `DELETE FROM `+table); err != nil {
		return err
	}
	for name, s := range sums {
		if _, err := dst.Exec(ctx, `INSERT INTO `+table+` (table_name, rows, checksum) VALUES ($1, $2, $3)`, name, s.Rows, s.Hash); err != nil {
			return err
		}
	}
	return nil
}

// recorded reads CopyTable (empty when missing).
func recorded(ctx context.Context, dst *pgx.Conn) (map[string]sum, error) {
	out := map[string]sum{}
	rows, err := dst.Query(ctx, `SELECT table_name, rows, checksum FROM public.`+ident(CopyTable))
	if pgCode(err) == "42P01" { // undefined_table
		return out, nil
	}
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var name string
		var s sum
		if err := rows.Scan(&name, &s.Rows, &s.Hash); err != nil {
			return nil, err
		}
		out[name] = s
	}
	return out, rows.Err()
}

// stream copies one table's rows in PostgreSQL's binary COPY format, from
// src's COPY TO straight into dst's COPY FROM, and returns the sum of what
// src sent. FREEZE (the table was made in this transaction) stores the rows
// frozen: reading them back, and later vacuums, need no visibility work.
func stream(ctx context.Context, src, dst pgx.Tx, d *tableDef) (sum, error) {
	pr, pw := io.Pipe()
	type result struct {
		s   sum
		err error
	}
	done := make(chan result, 1)
	go func() {
		s, err := read(ctx, src, d, pw)
		pw.CloseWithError(err)
		done <- result{s, err}
	}()
	tag, err := dst.Conn().PgConn().CopyFrom(ctx, pr, "COPY public."+ident(d.Name)+" ("+d.copyColumns()+") FROM STDIN (FORMAT binary, FREEZE)")
	pr.CloseWithError(err) // unblocks the reader side if the target failed first
	r := <-done
	if err == nil {
		err = r.err
	}
	if err == nil && tag.RowsAffected() != r.s.Rows {
		err = fmt.Errorf("sent %d rows, stored %d", r.s.Rows, tag.RowsAffected())
	}
	return r.s, err
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
	dst, err := pgx.ConnectConfig(ctx, tenantConfig(srv.conf, p.Database, "", ""))
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
			if err := pgx.BeginFunc(ctx, dst, func(dtx pgx.Tx) error {
				_, err := copyAll(ctx, src, dtx, tables, p.Role)
				return err
			}); err != nil {
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
		got, err := read(ctx, src, &d, nil)
		if err != nil {
			return false, err
		}
		if got != want {
			return false, nil
		}
	}
	return true, nil
}
