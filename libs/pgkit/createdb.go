package pgkit

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// EnsureDatabase creates the database named in dsn when it does not exist,
// connecting to the server's "postgres" database with the same credentials.
// Single-node mode and `hostplane migrate` use it so that one server URL is
// enough to give each service its own database.
func EnsureDatabase(ctx context.Context, dsn string) error {
	u, err := url.Parse(dsn)
	if err != nil {
		return fmt.Errorf("pgkit: parse url: %w", err)
	}
	name := strings.TrimPrefix(u.Path, "/")
	if name == "" {
		return fmt.Errorf("pgkit: no database name in url")
	}
	admin := *u
	admin.Path = "/postgres"
	conn, err := pgx.Connect(ctx, admin.String())
	if err != nil {
		return fmt.Errorf("pgkit: connect: %w", err)
	}
	defer conn.Close(ctx)
	var exists bool
	if err := conn.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)", name).Scan(&exists); err != nil {
		return fmt.Errorf("pgkit: lookup database: %w", err)
	}
	if exists {
		return nil
	}
	_, err = conn.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{name}.Sanitize())
	if err != nil && !alreadyExists(err) {
		return fmt.Errorf("pgkit: create database %s: %w", name, err)
	}
	return nil
}

// alreadyExists reports whether CREATE DATABASE failed because the database
// exists: duplicate_database, or, when another session created it at the
// same moment, a unique violation on pg_database's name index.
func alreadyExists(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && (pe.Code == "42P04" || pe.Code == codeUniqueViolation)
}

// DatabaseURL returns base with its database replaced by name: the way one
// HOSTPLANE_DATABASE_URL yields hostplane_auth, hostplane_billing, ...
func DatabaseURL(base, name string) (string, error) {
	u, err := url.Parse(base)
	if err != nil {
		return "", fmt.Errorf("pgkit: parse url: %w", err)
	}
	u.Path = "/" + name
	return u.String(), nil
}

// ServiceURL picks a service's database: its own URL when set, else the
// shared server URL with the database renamed to name, else "" (no
// PostgreSQL: in-memory stores). derived reports the second case, where the
// caller should EnsureDatabase.
func ServiceURL(own, shared, name string) (dsn string, derived bool, err error) {
	switch {
	case own != "":
		return own, false, nil
	case shared != "":
		u, err := DatabaseURL(shared, name)
		return u, true, err
	}
	return "", false, nil
}
