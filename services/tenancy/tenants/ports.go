package tenants

import "context"

// Site is what tenancy needs of a site.
type Site struct {
	ID         int64
	CustomerID int64
	Code       string
	// Root is the site's filesystem root ("" when it has none).
	Root string
}

// Sites finds sites. The caller's principal travels in ctx: a site that
// does not exist or is not the caller's is errs.NotFound.
type Sites interface {
	Site(ctx context.Context, id int64) (Site, error)
}

// Server is one PostgreSQL server tenants are placed on.
type Server struct {
	// Key identifies the server (host:port).
	Key string
	// Host is what front-ends connect to (Placement.Host).
	Host string
}

// Isolation is the PostgreSQL side of sovereign isolation: the shared
// hosting database and the servers of the tenant cluster. Every method is
// idempotent. Errors are safe to show to an operator: they never hold a
// password.
type Isolation interface {
	// SharedHost is the host of the shared hosting database.
	SharedHost() string
	// Servers lists the tenant servers, in configuration order.
	Servers() []Server
	// CreateSharedTables creates site siteID's tables in the shared
	// database from the template schema (s<id>_options, s<id>_posts,
	// s<id>_users) and returns their names.
	CreateSharedTables(ctx context.Context, siteID int64) ([]string, error)
	// LegacyTables lists the s<id>_* tables left in the shared database.
	LegacyTables(ctx context.Context, siteID int64) ([]string, error)
	// CreateRole creates p.Role (LOGIN, nothing more) with password.
	CreateRole(ctx context.Context, p Placement, password string) error
	// CreateDatabase creates p.Database owned by p.Role, CONNECT revoked
	// from PUBLIC.
	CreateDatabase(ctx context.Context, p Placement) error
	// CopyTables copies the site's shared tables (structure, rows,
	// sequences) into p.Database in one transaction, owned by p.Role,
	// compares row counts and checksums of both sides, and then drops the
	// shared tables (locked against writers from before the copy). Tables
	// copied by an earlier attempt are replaced.
	CopyTables(ctx context.Context, siteID int64, p Placement) (Copied, error)
	// DropLegacy drops any shared table of the site left: locked, compared
	// with what CopyTables recorded, copied again when it differs.
	DropLegacy(ctx context.Context, siteID int64, p Placement) error
	// CheckPush logs in as p.Role with password to p.Database and writes
	// and reads back a row.
	CheckPush(ctx context.Context, p Placement, password string) error
	// CheckUsers checks that p.Role exists and can log in, and can connect
	// neither to the shared database nor to another tenant's.
	CheckUsers(ctx context.Context, p Placement, password string) error
	// Teardown ends p.Role's sessions and drops p.Database and p.Role.
	Teardown(ctx context.Context, p Placement) error
}

// Copied reports a copy: each table with its row count.
type Copied struct {
	Tables []CopiedTable
}

// CopiedTable is one copied table.
type CopiedTable struct {
	Name string
	Rows int64
}

// Route is the routing entry of a sovereign tenant, read by the hosting
// front-ends.
type Route struct {
	SiteID         int64  `json:"site_id"`
	IsolationModel string `json:"isolation_model"`
	DatabaseHost   string `json:"database_host"`
	DatabaseName   string `json:"database_name"`
	DatabaseUser   string `json:"database_user"`
}

// Routing stores routing entries (Consul KV hostplane/tenants/<site_id>).
type Routing interface {
	Put(ctx context.Context, r Route) error
	// Delete removes site siteID's entry; a missing one is no error.
	Delete(ctx context.Context, siteID int64) error
}

// Files moves site roots in the data directory.
type Files interface {
	// Dir is the tenant directory of a tenant named name.
	Dir(name string) string
	// Adopt creates tenantDir (mode 0750) and moves the site root under it
	// (leaving a symbolic link at the old path); a root that does not
	// exist yet is created there empty.
	Adopt(ctx context.Context, root, tenantDir string) error
	// Release undoes Adopt: the root moves back and tenantDir goes.
	Release(ctx context.Context, root, tenantDir string) error
	// Remove deletes tenantDir with the site's files, and the link at root.
	Remove(ctx context.Context, root, tenantDir string) error
}

// Sealer seals tenant passwords for storage (AES-GCM); aad binds a sealed
// value to its tenant.
type Sealer interface {
	Seal(plaintext, aad []byte) ([]byte, error)
	Open(sealed, aad []byte) ([]byte, error)
}
