package postgres

import (
	"context"
	"errors"
	"fmt"

	"github.com/hostplane/hostplane/services/tenancy/tenants"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// SQLSTATE codes of objects that exist already or are still referenced.
const (
	codeDuplicateObject   = "42710"
	codeDuplicateDatabase = "42P04"
	codeDependentObjects  = "2BP01"
)

func pgCode(err error) string {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.Code
	}
	return ""
}

// roleAttributes are all a tenant role may do: log in (INHERIT, for the
// implicit pg_database_owner membership that owns its public schema).
const roleAttributes = "LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS INHERIT CONNECTION LIMIT 64"

// CreateRole implements tenants.Isolation. The password travels as a
// SCRAM verifier, on an untraced connection.
func (iso *Isolation) CreateRole(ctx context.Context, p tenants.Placement, password string) error {
	srv, err := iso.server(p.Server)
	if err != nil {
		return err
	}
	role := ident(p.Role)
	if _, err := srv.admin.Exec(ctx, "CREATE ROLE "+role+" "+roleAttributes); err != nil {
		if pgCode(err) != codeDuplicateObject {
			return mapErr(fmt.Errorf("create role %s: %w", p.Role, err))
		}
		if _, err := srv.admin.Exec(ctx, "ALTER ROLE "+role+" "+roleAttributes); err != nil {
			return mapErr(fmt.Errorf("alter role %s: %w", p.Role, err))
		}
	}
	verifier, err := newScramVerifier(password)
	if err != nil {
		return err
	}
	conn, err := pgx.ConnectConfig(ctx, tenantConfig(srv.conf, srv.conf.Database, "", ""))
	if err != nil {
		return mapErr(fmt.Errorf("connect to %s: %w", srv.key, err))
	}
	defer conn.Close(context.WithoutCancel(ctx))
	if _, err := conn.Exec(ctx, "ALTER ROLE "+role+" PASSWORD '"+verifier+"'"); err != nil {
		return mapErr(fmt.Errorf("set the password of role %s: %s", p.Role, pgMessage(err)))
	}
	return nil
}

// pgMessage is a server error's message only: never the statement.
func pgMessage(err error) string {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.Code + " " + pe.Message
	}
	return "connection failed"
}

// CreateDatabase implements tenants.Isolation. The database is created
// refusing every connection (ALLOW_CONNECTIONS false) and opened only once
// CONNECT is revoked from PUBLIC: between CREATE DATABASE and the REVOKE,
// PostgreSQL's default would let any role of the server, another tenant's
// included, connect to it. A crash in between leaves it closed; the next
// attempt finishes the job.
func (iso *Isolation) CreateDatabase(ctx context.Context, p tenants.Placement) error {
	srv, err := iso.server(p.Server)
	if err != nil {
		return err
	}
	db, role := ident(p.Database), ident(p.Role)
	var owner string
	err = srv.admin.QueryRow(ctx, `SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = $1`, p.Database).Scan(&owner)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		_, err = srv.admin.Exec(ctx, "CREATE DATABASE "+db+" OWNER "+role+" TEMPLATE template0 ENCODING 'UTF8' ALLOW_CONNECTIONS false")
		if err != nil && pgCode(err) != codeDuplicateDatabase {
			return mapErr(fmt.Errorf("create database %s: %w", p.Database, err))
		}
	case err != nil:
		return mapErr(err)
	case owner != p.Role:
		if _, err := srv.admin.Exec(ctx, "ALTER DATABASE "+db+" OWNER TO "+role); err != nil {
			return mapErr(fmt.Errorf("give database %s to %s: %w", p.Database, p.Role, err))
		}
	}
	for _, stmt := range []string{
		"REVOKE ALL ON DATABASE " + db + " FROM PUBLIC",
		"GRANT CONNECT, TEMPORARY ON DATABASE " + db + " TO " + role,
		"ALTER DATABASE " + db + " ALLOW_CONNECTIONS true",
	} {
		if _, err := srv.admin.Exec(ctx, stmt); err != nil {
			return mapErr(fmt.Errorf("%s: %w", stmt, err))
		}
	}
	return nil
}

// Teardown implements tenants.Isolation: the tenant's sessions are ended,
// its database dropped, the privileges its role holds on shared objects
// (databases) and in the hosting database revoked, and the role dropped.
func (iso *Isolation) Teardown(ctx context.Context, p tenants.Placement) error {
	srv, err := iso.server(p.Server)
	if err != nil {
		return err
	}
	if _, err := srv.admin.Exec(ctx, `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
		WHERE (datname = $1 OR usename = $2) AND pid <> pg_backend_pid()`, p.Database, p.Role); err != nil {
		return mapErr(fmt.Errorf("end the sessions of %s: %w", p.Role, err))
	}
	if _, err := srv.admin.Exec(ctx, "DROP DATABASE IF EXISTS "+ident(p.Database)+" WITH (FORCE)"); err != nil {
		return mapErr(fmt.Errorf("drop database %s: %w", p.Database, err))
	}
	var exists bool
	if err := srv.admin.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = $1)`, p.Role).Scan(&exists); err != nil {
		return mapErr(err)
	}
	if !exists {
		return nil
	}
	role := ident(p.Role)
	if _, err := srv.admin.Exec(ctx, "DROP OWNED BY "+role); err != nil {
		return mapErr(fmt.Errorf("drop what %s owns: %w", p.Role, err))
	}
	if srv.hosting {
		if _, err := iso.hosting.Exec(ctx, "DROP OWNED BY "+role); err != nil {
			return mapErr(fmt.Errorf("revoke what %s holds in the hosting database: %w", p.Role, err))
		}
	}
	if _, err := srv.admin.Exec(ctx, "DROP ROLE IF EXISTS "+role); err != nil {
		if pgCode(err) == codeDependentObjects {
			return mapErr(fmt.Errorf("role %s still holds objects or privileges in other databases (%s): revoke them, then delete again", p.Role, pgMessage(err)))
		}
		return mapErr(fmt.Errorf("drop role %s: %w", p.Role, err))
	}
	return nil
}
