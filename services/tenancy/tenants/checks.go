package tenants

import (
	"context"
	"fmt"
	"strings"
)

// check runs the three verifications of t for real and returns their
// outcomes with a description of what failed ("" when all passed); every
// run counts in hostplane_tenancy_verifications_total.
func (s *service) check(ctx context.Context, t *Tenant) (Checks, string) {
	c, detail := s.runChecks(ctx, t)
	s.Metrics.verified(c)
	return c, detail
}

func (s *service) runChecks(ctx context.Context, t *Tenant) (Checks, string) {
	c := PendingChecks
	var problems []string
	var detail string
	c.NoLegacy, detail = s.checkLegacy(ctx, t.SiteID)
	if detail != "" {
		problems = append(problems, "no_legacy: "+detail)
	}
	if !t.Placement.Placed() || len(t.SealedPassword) == 0 {
		problems = append(problems, "sovereign_push, tenant_users: the tenant has no role yet")
		return c, strings.Join(problems, "; ")
	}
	password, err := s.open(t)
	if err != nil {
		c.SovereignPush, c.TenantUsers = CheckFailed, CheckFailed
		problems = append(problems, "sovereign_push, tenant_users: "+describe(err))
		return c, strings.Join(problems, "; ")
	}
	c.SovereignPush = CheckPassed
	if err := s.Isolation.CheckPush(ctx, t.Placement, password); err != nil {
		c.SovereignPush = CheckFailed
		problems = append(problems, "sovereign_push: "+describe(err))
	}
	c.TenantUsers = CheckPassed
	if err := s.Isolation.CheckUsers(ctx, t.Placement, password); err != nil {
		c.TenantUsers = CheckFailed
		problems = append(problems, "tenant_users: "+describe(err))
	}
	return c, strings.Join(problems, "; ")
}

// checkLegacy is no_legacy: no s<site_id>_* table left in the shared
// database.
func (s *service) checkLegacy(ctx context.Context, siteID int64) (Check, string) {
	legacy, err := s.Isolation.LegacyTables(ctx, siteID)
	switch {
	case err != nil:
		return CheckFailed, "cannot list the shared database's tables: " + describe(err)
	case len(legacy) > 0:
		return CheckFailed, fmt.Sprintf("the shared database still holds %s", strings.Join(legacy, ", "))
	}
	return CheckPassed, ""
}
