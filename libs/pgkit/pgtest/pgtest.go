// Package pgtest gives a test package a fresh PostgreSQL database of its own,
// created before its tests and dropped after them, and can make a fresh
// database per test when a test needs isolation.
//
//	var db = pgtest.New()
//	func TestMain(m *testing.M) { os.Exit(db.Main(m)) }
//	func TestX(t *testing.T) { url := db.URL(t) ... }
package pgtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/url"
	"testing"
	"time"

	"github.com/hostplane/hostplane/libs/testenv"
	"github.com/jackc/pgx/v5"
)

// DB is a package's test database.
type DB struct {
	url string
	err error
}

// New returns an unopened DB; Main creates it.
func New() *DB { return &DB{} }

// Main creates the database, runs the tests, drops the database and
// returns the exit code.
func (d *DB) Main(m *testing.M) int {
	admin := testenv.PostgresAdminURL()
	if err := testenv.CheckPostgres(admin); err != nil {
		d.err = err
		return m.Run()
	}
	name, u, err := create(admin)
	if err != nil {
		d.err = err
		return m.Run()
	}
	d.url = u
	code := m.Run()
	if err := drop(admin, name); err != nil {
		fmt.Println("pgtest: drop:", err)
	}
	return code
}

// URL returns the package database, or skips/fails t when PostgreSQL is
// unavailable.
func (d *DB) URL(t testing.TB) string {
	t.Helper()
	if d.url == "" {
		err := d.err
		if err == nil {
			err = fmt.Errorf("pgtest: Main was not called from TestMain")
		}
		testenv.Unavailable(t, testenv.Postgres, err)
	}
	return d.url
}

// Fresh creates a database for one test and drops it when the test ends.
func Fresh(t testing.TB) string {
	t.Helper()
	admin := testenv.NeedPostgres(t)
	name, u, err := create(admin)
	if err != nil {
		testenv.Unavailable(t, testenv.Postgres, err)
	}
	t.Cleanup(func() {
		if err := drop(admin, name); err != nil {
			t.Logf("pgtest: drop %s: %v", name, err)
		}
	})
	return u
}

func create(admin string) (name, dsn string, err error) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, admin)
	if err != nil {
		return "", "", err
	}
	defer conn.Close(ctx)
	var b [6]byte
	_, _ = rand.Read(b[:])
	name = "hp_test_" + hex.EncodeToString(b[:])
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		return "", "", err
	}
	u, err := url.Parse(admin)
	if err != nil {
		return "", "", err
	}
	u.Path = "/" + name
	return name, u.String(), nil
}

func drop(admin, name string) error {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, admin)
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	_, err = conn.Exec(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
	return err
}
