package postgres

import (
	"context"

	"github.com/hostplane/hostplane/libs/errs"
	"github.com/jackc/pgx/v5"
)

// hostLockSpace keeps the sites service's host name locks apart from
// other advisory locks.
const hostLockSpace = 0x5173

// lockHost serializes, until tx ends, the writers that give host name a
// site: a site taking it as its domain, or a domain mapping.
func lockHost(ctx context.Context, tx pgx.Tx, name string) error {
	_, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtextextended($1, $2))`, name, hostLockSpace)
	return err
}

func hostConflict() error {
	return &errs.Error{Kind: errs.Conflict, Message: "The domain is already in use.", Params: map[string]string{"domain": "Already in use."}}
}

// claimSiteDomain refuses a site's domain that is a domain mapping of
// another site (siteID 0: a site not inserted yet).
func claimSiteDomain(ctx context.Context, tx pgx.Tx, name string, siteID int64) error {
	if name == "" {
		return nil
	}
	if err := lockHost(ctx, tx, name); err != nil {
		return err
	}
	var taken bool
	if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM domains WHERE name = $1 AND site_id <> $2)`, name, siteID).Scan(&taken); err != nil {
		return err
	}
	if taken {
		return hostConflict()
	}
	return nil
}

// claimMapping refuses a domain mapping of a host that another site has
// as its own domain.
func claimMapping(ctx context.Context, tx pgx.Tx, name string, siteID int64) error {
	if err := lockHost(ctx, tx, name); err != nil {
		return err
	}
	var taken bool
	if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM sites WHERE domain = $1 AND id <> $2)`, name, siteID).Scan(&taken); err != nil {
		return err
	}
	if taken {
		return hostConflict()
	}
	return nil
}
