package postgres

import (
	"context"
	"fmt"
	"net"
	"strconv"
	"strings"

	"github.com/hostplane/hostplane/libs/errs"
	"github.com/hostplane/hostplane/libs/pgkit"
	"github.com/hostplane/hostplane/services/tenancy/tenants"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"go.opentelemetry.io/otel/trace"
)

// IsolationConfig configures Isolation.
type IsolationConfig struct {
	// HostingURL is the shared hosting database (its role must be able to
	// create tables there).
	HostingURL string
	// ServerURLs are admin URLs of the tenant servers (a role that may
	// create roles and databases; superuser to check other roles' access).
	ServerURLs []string
	// Prefix starts every tenant database and role name (Prefix + site id).
	Prefix string
	// Tracer records a span per SQL statement; statements that carry a
	// password verifier run on untraced connections.
	Tracer trace.Tracer
	// MaxConns caps each pool (default 8).
	MaxConns int32
	// BeforeDrop, when set, runs in CopyTables after the tenant's copy
	// committed and before the shared tables are dropped; an error stops
	// there as a crash would (tests).
	BeforeDrop func(siteID int64) error
}

// Isolation implements tenants.Isolation on PostgreSQL.
type Isolation struct {
	hosting     *pgxpool.Pool
	hostingConf *pgx.ConnConfig // untraced, for connection attempts
	hostingKey  string
	hostingDB   string
	servers     []*server
	prefix      string
	beforeDrop  func(siteID int64) error
}

// server is one tenant server.
type server struct {
	key, host string
	admin     *pgxpool.Pool
	conf      *pgx.ConnConfig // untraced admin configuration
	hosting   bool            // the shared hosting database lives here too
}

var _ tenants.Isolation = (*Isolation)(nil)

// NewIsolation connects to the hosting database and every tenant server.
// When a tenant server also holds the hosting database, CONNECT on it is
// revoked from PUBLIC there (and granted to the hosting role), so that
// tenant roles cannot reach it.
func NewIsolation(ctx context.Context, cfg IsolationConfig) (*Isolation, error) {
	if len(cfg.ServerURLs) == 0 {
		return nil, fmt.Errorf("tenancy: no tenant database server (HOSTPLANE_TENANT_DATABASE_URLS)")
	}
	if cfg.MaxConns <= 0 {
		cfg.MaxConns = 8
	}
	iso := &Isolation{prefix: cfg.Prefix, beforeDrop: cfg.BeforeDrop}
	ok := false
	defer func() {
		if !ok {
			iso.Close()
		}
	}()
	hc, err := pgx.ParseConfig(cfg.HostingURL)
	if err != nil {
		return nil, fmt.Errorf("tenancy: hosting database url: %w", err)
	}
	iso.hostingConf, iso.hostingKey, iso.hostingDB = hc, serverKey(hc), hc.Database
	if iso.hosting, err = pgkit.Open(ctx, cfg.HostingURL, pgkit.Options{MaxConns: cfg.MaxConns, Tracer: cfg.Tracer}); err != nil {
		return nil, fmt.Errorf("tenancy: hosting database: %w", err)
	}
	seen := map[string]bool{}
	for _, u := range cfg.ServerURLs {
		c, err := pgx.ParseConfig(u)
		if err != nil {
			return nil, fmt.Errorf("tenancy: tenant server url: %w", err)
		}
		key := serverKey(c)
		if seen[key] {
			return nil, fmt.Errorf("tenancy: tenant server %s listed twice", key)
		}
		seen[key] = true
		pool, err := pgkit.Open(ctx, u, pgkit.Options{MaxConns: cfg.MaxConns, Tracer: cfg.Tracer})
		if err != nil {
			return nil, fmt.Errorf("tenancy: tenant server %s: %w", key, err)
		}
		iso.servers = append(iso.servers, &server{key: key, host: displayHost(c), admin: pool, conf: c, hosting: key == iso.hostingKey})
	}
	for _, s := range iso.servers {
		if s.hosting {
			if err := iso.secureHosting(ctx); err != nil {
				return nil, err
			}
			break
		}
	}
	ok = true
	return iso, nil
}

// Close closes every pool.
func (iso *Isolation) Close() {
	if iso.hosting != nil {
		iso.hosting.Close()
	}
	for _, s := range iso.servers {
		s.admin.Close()
	}
}

// Pools lists the pools to check for readiness: the hosting database first.
func (iso *Isolation) Pools() map[string]*pgxpool.Pool {
	m := map[string]*pgxpool.Pool{"hosting": iso.hosting}
	for _, s := range iso.servers {
		m["tenant server "+s.key] = s.admin
	}
	return m
}

// serverKey is host:port of a configuration.
func serverKey(c *pgx.ConnConfig) string {
	host := c.Host
	if host == "localhost" || host == "::1" {
		host = "127.0.0.1"
	}
	return net.JoinHostPort(host, strconv.Itoa(int(c.Port)))
}

// displayHost is the host front-ends are given: ":port" only when it is
// not PostgreSQL's default.
func displayHost(c *pgx.ConnConfig) string {
	if c.Port == 5432 || c.Port == 0 {
		return c.Host
	}
	return net.JoinHostPort(c.Host, strconv.Itoa(int(c.Port)))
}

// SharedHost implements tenants.Isolation.
func (iso *Isolation) SharedHost() string { return displayHost(iso.hostingConf) }

// Servers implements tenants.Isolation.
func (iso *Isolation) Servers() []tenants.Server {
	out := make([]tenants.Server, len(iso.servers))
	for i, s := range iso.servers {
		out[i] = tenants.Server{Key: s.key, Host: s.host}
	}
	return out
}

func (iso *Isolation) server(key string) (*server, error) {
	for _, s := range iso.servers {
		if s.key == key {
			return s, nil
		}
	}
	return nil, errs.New(errs.Unavailable, "Tenant server %s is not configured (HOSTPLANE_TENANT_DATABASE_URLS).", key)
}

// secureHosting revokes CONNECT on the hosting database from PUBLIC and
// grants it to the hosting role, under an advisory lock (concurrent GRANTs
// on one database conflict).
func (iso *Isolation) secureHosting(ctx context.Context) error {
	db := pgx.Identifier{iso.hostingDB}.Sanitize()
	err := pgx.BeginFunc(ctx, iso.hosting, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, hostingLock); err != nil {
			return err
		}
		var public bool
		if err := tx.QueryRow(ctx, `SELECT coalesce(datacl IS NULL OR EXISTS (
				SELECT 1 FROM aclexplode(datacl) a WHERE a.grantee = 0 AND a.privilege_type = 'CONNECT'), true)
			FROM pg_database WHERE datname = current_database()`).Scan(&public); err != nil {
			return err
		}
		if !public {
			return nil
		}
		if _, err := tx.Exec(ctx, `GRANT CONNECT ON DATABASE `+db+` TO CURRENT_USER`); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `REVOKE CONNECT ON DATABASE `+db+` FROM PUBLIC`)
		return err
	})
	if err != nil {
		return fmt.Errorf("tenancy: revoke CONNECT on the hosting database from PUBLIC: %w", err)
	}
	return nil
}

// hostingLock is the advisory lock key of changes to the hosting
// database's own grants (site ids, the other keys, are positive).
const hostingLock = -2

// tenantConfig is the untraced configuration of a connection to database
// as user (password "" keeps the admin's).
func tenantConfig(base *pgx.ConnConfig, database, user, password string) *pgx.ConnConfig {
	c := base.Copy()
	c.Database = database
	if user != "" {
		c.User, c.Password = user, password
	}
	c.Tracer = nil
	c.RuntimeParams = map[string]string{"application_name": "hostplane-tenancy"}
	if c.ConnectTimeout == 0 || c.ConnectTimeout > 10e9 {
		c.ConnectTimeout = 10e9
	}
	return c
}

// ident quotes an identifier.
func ident(name string) string { return pgx.Identifier{name}.Sanitize() }

// likePrefix is a LIKE pattern matching names that start with prefix.
func likePrefix(prefix string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return r.Replace(prefix) + "%"
}

// sitePrefix is the prefix of site siteID's shared tables.
func sitePrefix(siteID int64) string { return "s" + strconv.FormatInt(siteID, 10) + "_" }
