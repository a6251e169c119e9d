package postgres

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"

	"github.com/hostplane/hostplane/services/tenancy/tenants"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// VerifyTable is the table sovereign_push writes to in a tenant database.
const VerifyTable = "hostplane_verify"

// connectAs logs in to database as role with password.
func connectAs(ctx context.Context, base *pgx.ConnConfig, database, role, password string) (*pgx.Conn, error) {
	return pgx.ConnectConfig(ctx, tenantConfig(base, database, role, password))
}

// loginError says why a login failed: the server's message, never the
// connection settings.
func loginError(err error) string {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.Message
	}
	var ce *pgconn.ConnectError
	if errors.As(err, &ce) {
		return "the server cannot be reached"
	}
	return "the login failed"
}

// CheckPush implements tenants.Isolation.
func (iso *Isolation) CheckPush(ctx context.Context, p tenants.Placement, password string) error {
	srv, err := iso.server(p.Server)
	if err != nil {
		return err
	}
	conn, err := connectAs(ctx, srv.conf, p.Database, p.Role, password)
	if err != nil {
		return fmt.Errorf("role %s cannot log in to database %s: %s", p.Role, p.Database, loginError(err))
	}
	defer conn.Close(context.WithoutCancel(ctx))
	var b [12]byte
	_, _ = rand.Read(b[:])
	token := hex.EncodeToString(b[:])
	table := "public." + ident(VerifyTable)
	if _, err := conn.Exec(ctx, `CREATE TABLE IF NOT EXISTS `+table+` (token TEXT PRIMARY KEY, at TIMESTAMPTZ NOT NULL DEFAULT now())`); err != nil {
		return fmt.Errorf("database %s refuses writes: %s", p.Database, pgMessage(err))
	}
	if _, err := conn.Exec(ctx, `INSERT INTO `+table+` (token) VALUES ($1)`, token); err != nil {
		return fmt.Errorf("database %s refuses writes: %s", p.Database, pgMessage(err))
	}
	var got string
	if err := conn.QueryRow(ctx, `SELECT token FROM `+table+` WHERE token = $1`, token).Scan(&got); err != nil || got != token {
		return fmt.Errorf("database %s does not read back the row it wrote", p.Database)
	}
	if _, err := conn.Exec(ctx, `DELETE FROM `+table+` WHERE token = $1`, token); err != nil {
		return fmt.Errorf("database %s refuses deletes: %s", p.Database, pgMessage(err))
	}
	return nil
}

// CheckUsers implements tenants.Isolation.
func (iso *Isolation) CheckUsers(ctx context.Context, p tenants.Placement, password string) error {
	srv, err := iso.server(p.Server)
	if err != nil {
		return err
	}
	var login, super, createRole, createDB, bypass bool
	err = srv.admin.QueryRow(ctx, `SELECT rolcanlogin, rolsuper, rolcreaterole, rolcreatedb, rolbypassrls FROM pg_roles WHERE rolname = $1`, p.Role).
		Scan(&login, &super, &createRole, &createDB, &bypass)
	if errors.Is(err, pgx.ErrNoRows) {
		return fmt.Errorf("role %s does not exist on %s", p.Role, srv.key)
	}
	if err != nil {
		return mapErr(err)
	}
	var problems []string
	if !login {
		problems = append(problems, "role "+p.Role+" cannot log in (NOLOGIN)")
	}
	if super || createRole || createDB || bypass {
		problems = append(problems, "role "+p.Role+" holds more than LOGIN (superuser, createrole, createdb or bypassrls)")
	}
	if conn, err := connectAs(ctx, srv.conf, p.Database, p.Role, password); err != nil {
		problems = append(problems, "role "+p.Role+" cannot log in to its database: "+loginError(err))
	} else {
		conn.Close(context.WithoutCancel(ctx))
	}
	reachable, err := iso.reachable(ctx, srv, p)
	if err != nil {
		return mapErr(err)
	}
	if len(reachable) > 0 {
		problems = append(problems, "role "+p.Role+" may connect to "+strings.Join(reachable, ", "))
	}
	if msg := iso.sharedRefuses(ctx, p, password); msg != "" {
		problems = append(problems, msg)
	}
	if len(problems) > 0 {
		return errors.New(strings.Join(problems, "; "))
	}
	return nil
}

// reachable lists the databases on the tenant's server, other than its
// own, that are another tenant's or the shared one and that its role may
// connect to.
func (iso *Isolation) reachable(ctx context.Context, srv *server, p tenants.Placement) ([]string, error) {
	hostingDB := ""
	if srv.hosting {
		hostingDB = iso.hostingDB
	}
	rows, err := srv.admin.Query(ctx, `SELECT datname FROM pg_database
		WHERE datname <> $1 AND (datname LIKE $2 OR datname = $3) AND datallowconn
		  AND has_database_privilege($4::name, oid, 'CONNECT')
		ORDER BY datname`, p.Database, likePrefix(iso.prefix), hostingDB, p.Role)
	if err != nil {
		return nil, err
	}
	names, err := pgx.CollectRows(rows, pgx.RowTo[string])
	for i, n := range names {
		if n == hostingDB {
			names[i] = n + " (the shared database)"
		}
	}
	return names, err
}

// sharedRefuses tries to log in to the shared database as the tenant's
// role: it must be refused (no such role there, or no CONNECT). It returns
// what is wrong, "" when refused.
func (iso *Isolation) sharedRefuses(ctx context.Context, p tenants.Placement, password string) string {
	conn, err := connectAs(ctx, iso.hostingConf, iso.hostingDB, p.Role, password)
	if err == nil {
		conn.Close(context.WithoutCancel(ctx))
		return "role " + p.Role + " can log in to the shared database"
	}
	switch pgCode(err) {
	case "42501", "28000", "28P01", "3D000": // no CONNECT, no such role, bad password, no such database
		return ""
	}
	return "cannot check that the shared database refuses role " + p.Role + ": " + loginError(err)
}
