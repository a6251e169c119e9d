package pgkit

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"github.com/hostplane/hostplane/libs/pgkit/pgtest"
	"github.com/jackc/pgx/v5/pgxpool"
)

// testMigrations create two tables and record each application in
// applied, so that a migration applied twice shows.
var testMigrations = fstest.MapFS{
	"00001_things.sql": {Data: []byte(`-- +goose Up
CREATE TABLE things (id bigserial PRIMARY KEY, name text NOT NULL);
CREATE TABLE applied (version int NOT NULL);
INSERT INTO applied VALUES (1);

-- +goose Down
DROP TABLE applied;
DROP TABLE things;
`)},
	"00002_notes.sql": {Data: []byte(`-- +goose Up
-- Slow enough that concurrent runs overlap.
SELECT pg_sleep(0.2);
ALTER TABLE things ADD COLUMN note text;
INSERT INTO applied VALUES (2);

-- +goose Down
ALTER TABLE things DROP COLUMN note;
`)},
	"README.md": {Data: []byte("not a migration")},
}

func openPool(t *testing.T, url string) *pgxpool.Pool {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	pool, err := Open(ctx, url, Options{MaxConns: 4})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(pool.Close)
	return pool
}

// appliedCounts returns version → times applied.
func appliedCounts(t *testing.T, pool *pgxpool.Pool) map[int]int {
	t.Helper()
	rows, err := pool.Query(context.Background(), `SELECT version, count(*) FROM applied GROUP BY version`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	got := map[int]int{}
	for rows.Next() {
		var v, n int
		if err := rows.Scan(&v, &n); err != nil {
			t.Fatal(err)
		}
		got[v] = n
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return got
}

func TestMigrate(t *testing.T) {
	t.Parallel() // each on databases of its own
	pool := openPool(t, pgtest.Fresh(t))
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	var logs bytes.Buffer
	log := slog.New(slog.NewJSONHandler(&logs, nil))
	if err := Migrate(ctx, pool, testMigrations, log); err != nil {
		t.Fatalf("Migrate: %v", err)
	}
	if got := strings.Count(logs.String(), "migration applied"); got != 2 {
		t.Errorf("logged %d applied migrations, want 2: %s", got, logs.String())
	}
	if _, err := pool.Exec(ctx, `INSERT INTO things (name, note) VALUES ('a', 'b')`); err != nil {
		t.Errorf("schema after Migrate: %v", err)
	}
	// Running again applies nothing.
	logs.Reset()
	if err := Migrate(ctx, pool, testMigrations, log); err != nil {
		t.Fatalf("second Migrate: %v", err)
	}
	if logs.Len() != 0 {
		t.Errorf("second Migrate logged %s, want nothing applied", logs.String())
	}
	if got := appliedCounts(t, pool); len(got) != 2 || got[1] != 1 || got[2] != 1 {
		t.Errorf("applied = %v, want each version once", got)
	}
	// A nil logger is fine; a later migration is applied on top.
	more := fstest.MapFS{
		"00001_things.sql": testMigrations["00001_things.sql"],
		"00002_notes.sql":  testMigrations["00002_notes.sql"],
		"00003_more.sql":   {Data: []byte("-- +goose Up\nINSERT INTO applied VALUES (3);\n")},
	}
	if err := Migrate(ctx, pool, more, nil); err != nil {
		t.Fatalf("Migrate with a new file: %v", err)
	}
	if got := appliedCounts(t, pool); got[3] != 1 {
		t.Errorf("applied = %v, want version 3 once", got)
	}
}

func TestMigrateConcurrent(t *testing.T) {
	t.Parallel() // each on databases of its own
	url := pgtest.Fresh(t)
	pools := []*pgxpool.Pool{openPool(t, url), openPool(t, url)}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	errc := make(chan error, len(pools))
	var wg sync.WaitGroup
	for _, p := range pools {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errc <- Migrate(ctx, p, testMigrations, nil)
		}()
	}
	wg.Wait()
	close(errc)
	for err := range errc {
		if err != nil {
			t.Errorf("concurrent Migrate: %v", err)
		}
	}
	if got := appliedCounts(t, pools[0]); len(got) != 2 || got[1] != 1 || got[2] != 1 {
		t.Errorf("applied = %v, want each version exactly once", got)
	}
	var versions int
	if err := pools[0].QueryRow(ctx, `SELECT count(*) FROM goose_db_version WHERE version_id > 0`).Scan(&versions); err != nil {
		t.Fatal(err)
	}
	if versions != 2 {
		t.Errorf("goose_db_version has %d applied versions, want 2", versions)
	}
}

func TestMigrateErrors(t *testing.T) {
	t.Parallel() // each on databases of its own
	pool := openPool(t, pgtest.Fresh(t))
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	broken := fstest.MapFS{
		"00001_ok.sql":     {Data: []byte("-- +goose Up\nCREATE TABLE ok_table (id int);\n")},
		"00002_broken.sql": {Data: []byte("-- +goose Up\nCREATE TABLE broken (id int;\n")},
	}
	err := Migrate(ctx, pool, broken, nil)
	if err == nil || !strings.Contains(err.Error(), "pgkit: migrate") || !strings.Contains(err.Error(), "42601") {
		t.Fatalf("Migrate = %v, want a migrate error with the syntax error", err)
	}
	// The migration before the broken one stays applied; the broken one
	// left nothing behind (it runs in a transaction).
	var okTable, brokenTable bool
	if err := pool.QueryRow(ctx, `SELECT to_regclass('ok_table') IS NOT NULL, to_regclass('broken') IS NOT NULL`).Scan(&okTable, &brokenTable); err != nil {
		t.Fatal(err)
	}
	if !okTable || brokenTable {
		t.Errorf("ok_table %v broken %v, want true false", okTable, brokenTable)
	}

	dup := fstest.MapFS{
		"00001_a.sql": {Data: []byte("-- +goose Up\nSELECT 1;\n")},
		"00001_b.sql": {Data: []byte("-- +goose Up\nSELECT 1;\n")},
	}
	if err := Migrate(ctx, pool, dup, nil); err == nil || !strings.Contains(err.Error(), "pgkit: migrations") {
		t.Errorf("duplicate versions: Migrate = %v, want a migrations error", err)
	}
}

func fstestBroken() fstest.MapFS {
	return fstest.MapFS{"00001_broken.sql": {Data: []byte("-- +goose Up\nCREATE TABLE (;\n")}}
}
