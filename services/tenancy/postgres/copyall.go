package postgres

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// sum is a table's row count and checksum (rowHasher).
type sum struct {
	Rows int64
	Hash string
}

// copyOut is the COPY TO of a table's columns (not its generated ones).
func copyOut(d *tableDef) string {
	return "COPY public." + ident(d.Name) + " (" + d.copyColumns() + ") TO STDOUT (FORMAT binary)"
}

// read streams a table out of conn into w and returns its sum. The
// session must not synchronize sequential scans (noSyncScan), so that an
// unchanged table is always read in the same order.
func read(ctx context.Context, conn *pgconn.PgConn, d *tableDef, w io.Writer) (sum, error) {
	h, err := readInto(ctx, conn, copyOut(d), w)
	if err != nil {
		return sum{}, err
	}
	return joinSums(h), nil
}

// readInto runs a binary COPY TO statement into w (when not nil) and a
// rowHasher, and checks that the hasher saw every row.
func readInto(ctx context.Context, conn *pgconn.PgConn, stmt string, w io.Writer) (*rowHasher, error) {
	h := newRowHasher()
	out := io.Writer(h)
	if w != nil {
		out = io.MultiWriter(h, w)
	}
	tag, err := conn.CopyTo(ctx, out, stmt)
	if err != nil {
		return nil, err
	}
	if tag.RowsAffected() != h.rows {
		return nil, fmt.Errorf("%w: %d rows in %d messages", errCopyFraming, tag.RowsAffected(), h.rows)
	}
	return h, nil
}

// copyAll copies tables from src into the tenant database (replacing
// them) the way pg_dump | psql would, and checks the copy, in two
// transactions of dst:
//
//  1. the tables are created bare (no key, no index) and their rows
//     streamed in from src (stream), then committed; the record of an
//     earlier copy goes with them, so that nothing vouches for a copy
//     until step 2 committed;
//  2. the indexes and foreign keys are built while two more connections
//     (check) read every table back (readBack) and compare its rows and
//     checksum with what src sent; then, once they match, the
//     constraints, sequences and owner follow and the sums are recorded
//     in CopyTable.
//
// A crash between the two leaves bare tables and no record: the next
// attempt (CopyTables, or DropLegacy's comparison with the record) copies
// again.
func copyAll(ctx context.Context, src pgx.Tx, dst *pgx.Conn, conf *pgx.ConnConfig, tables []string, owner string) (map[string]sum, error) {
	defs := make([]tableDef, len(tables))
	for i, name := range tables {
		d, err := describe(ctx, src, name)
		if err != nil {
			return nil, fmt.Errorf("describe %s: %w", name, err)
		}
		defs[i] = d
	}
	var check []*pgconn.PgConn
	for range 2 {
		c, err := pgx.ConnectConfig(ctx, conf)
		if err != nil {
			return nil, fmt.Errorf("connect to check the copy: %w", err)
		}
		defer c.Close(context.WithoutCancel(ctx))
		// Tables read in physical order, whole or in parts.
		if _, err := c.Exec(ctx, "SET synchronize_seqscans = off; SET max_parallel_workers_per_gather = 0"); err != nil {
			return nil, err
		}
		check = append(check, c.PgConn())
	}
	sent := map[string]sum{}
	err := pgx.BeginFunc(ctx, dst, func(tx pgx.Tx) error { return load(ctx, src, tx, defs, sent) })
	if err != nil {
		return sent, err
	}
	return sent, pgx.BeginFunc(ctx, dst, func(tx pgx.Tx) error { return finish(ctx, tx, check, defs, sent, owner) })
}

// load recreates the tables bare in dst and streams their rows from src
// into sent's sums.
func load(ctx context.Context, src, dst pgx.Tx, defs []tableDef, sent map[string]sum) error {
	names := []string{CopyTable}
	for _, d := range defs {
		names = append(names, d.Name)
	}
	if _, err := dst.Exec(ctx, "DROP TABLE IF EXISTS "+qualifiedList(names)+" CASCADE"); err != nil {
		return err
	}
	for _, d := range defs {
		if err := execAll(ctx, dst, d.createStatements()); err != nil {
			return fmt.Errorf("create %s: %w", d.Name, err)
		}
	}
	for i := range defs {
		s, err := stream(ctx, src, dst, &defs[i])
		if err != nil {
			return fmt.Errorf("copy the rows of %s: %w", defs[i].Name, err)
		}
		sent[defs[i].Name] = s
	}
	return nil
}

// finish builds the indexes and foreign keys of the loaded tables while
// check reads them back (compare), then, when they match what src sent,
// adds the other constraints, sequence values and owner, and records the
// sums.
func finish(ctx context.Context, dst pgx.Tx, check []*pgconn.PgConn, defs []tableDef, sent map[string]sum, owner string) error {
	if _, err := dst.Exec(ctx, "SET LOCAL maintenance_work_mem = '256MB'"); err != nil {
		return err
	}
	// Foreign keys lock out writers only, like CREATE INDEX: they are
	// checked during the read back too, when the keys they reference are
	// built by then (none deferrable).
	early := true
	var fks []string
	for _, d := range defs {
		fks = append(fks, d.foreignKeys()...)
		for _, c := range d.Constraints {
			early = early && (c.byIndex() || c.Type != "p" && c.Type != "u")
		}
	}
	compared := make(chan error, 1)
	go func() { compared <- compare(ctx, check, defs, sent) }()
	var err error
	for _, d := range defs {
		if err = execAll(ctx, dst, d.indexStatements()); err != nil {
			err = fmt.Errorf("index %s: %w", d.Name, err)
			break
		}
	}
	if err == nil && early {
		if err = execAll(ctx, dst, fks); err != nil {
			err = fmt.Errorf("foreign keys: %w", err)
		}
	}
	if cerr := <-compared; cerr != nil {
		err = cerr // the more telling of the two
	}
	if err != nil {
		return err
	}
	var later []string
	if !early {
		later = fks
	}
	for _, d := range defs {
		if err := execAll(ctx, dst, append(d.constraintStatements(), d.sequenceStatements()...)); err != nil {
			return fmt.Errorf("constraints of %s: %w", d.Name, err)
		}
		later = append(later, "ALTER TABLE public."+ident(d.Name)+" OWNER TO "+ident(owner))
	}
	if err := execAll(ctx, dst, later); err != nil {
		return err
	}
	return record(ctx, dst, sent)
}

// compare reads every table back from the tenant database and compares
// its rows and checksum with what the source sent.
func compare(ctx context.Context, conns []*pgconn.PgConn, defs []tableDef, sent map[string]sum) error {
	var diff []string
	for i := range defs {
		want := sent[defs[i].Name]
		got, err := readBack(ctx, conns, &defs[i], want.Rows)
		if err != nil {
			return fmt.Errorf("read %s back: %w", defs[i].Name, err)
		}
		if got != want {
			diff = append(diff, fmt.Sprintf("%s (sent %d rows, checksum %s; stored %d rows, checksum %s)", defs[i].Name, want.Rows, want.Hash, got.Rows, got.Hash))
		}
	}
	if len(diff) > 0 {
		return fmt.Errorf("the copy differs from the source: %s", strings.Join(diff, "; "))
	}
	return nil
}

// readBack reads a table back. One of 4 chunks of rows or more is read in
// two halves at once, one on each connection: the first whole chunks, then
// the rest, in physical order (which is the order of the copy's stream).
func readBack(ctx context.Context, conns []*pgconn.PgConn, d *tableDef, rows int64) (sum, error) {
	chunks := (rows + hashChunk - 1) / hashChunk
	if chunks < 4 || len(conns) < 2 {
		return read(ctx, conns[0], d, nil)
	}
	split := strconv.FormatInt((chunks+1)/2*hashChunk, 10)
	sel := "SELECT " + d.copyColumns() + " FROM ONLY public." + ident(d.Name)
	var hs [2]*rowHasher
	var errs [2]error
	var wg sync.WaitGroup
	for i, q := range []string{sel + " LIMIT " + split, sel + " OFFSET " + split} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			hs[i], errs[i] = readInto(ctx, conns[i], "COPY ("+q+") TO STDOUT (FORMAT binary)", nil)
		}()
	}
	wg.Wait()
	if err := errors.Join(errs[:]...); err != nil {
		return sum{}, err
	}
	return joinSums(hs[0], hs[1]), nil
}

func execAll(ctx context.Context, tx pgx.Tx, stmts []string) error {
	for _, stmt := range stmts {
		if _, err := tx.Exec(ctx, stmt); err != nil {
			return err
		}
	}
	return nil
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

// stream copies one table's rows in PostgreSQL's binary COPY format, from
// src's COPY TO straight into dst's COPY FROM, and returns the sum of what
// src sent. The rows go through a 64 KiB buffer, so that COPY FROM sends
// large messages rather than one per row. FREEZE (the table was made in
// this transaction) stores the rows frozen: reading them back, and later
// vacuums, need no visibility work.
func stream(ctx context.Context, src, dst pgx.Tx, d *tableDef) (sum, error) {
	pr, pw := io.Pipe()
	type result struct {
		s   sum
		err error
	}
	done := make(chan result, 1)
	go func() {
		bw := bufio.NewWriterSize(pw, 64<<10)
		s, err := read(ctx, src.Conn().PgConn(), d, bw)
		if err == nil {
			err = bw.Flush()
		}
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
