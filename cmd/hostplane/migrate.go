package main

import (
	"context"
	"errors"
	"io"

	"github.com/hostplane/hostplane/libs/config"
	"github.com/hostplane/hostplane/libs/telemetry"
	"github.com/hostplane/hostplane/services/auth"
	"github.com/hostplane/hostplane/services/billing"
)

// runMigrate creates every service's database on HOSTPLANE_DATABASE_URL
// (or its own URL) and applies its migrations, once, under an advisory lock.
func runMigrate(ctx context.Context, args []string, logOut io.Writer, getenv func(string) string) error {
	if len(args) > 0 {
		return usageError{"migrate takes no arguments"}
	}
	log := telemetry.NewLogger(logOut, "migrate", telemetry.ParseLevel(getenv("HOSTPLANE_LOG_LEVEL")))
	env := func(k string) string {
		if k == "HOSTPLANE_INTERNAL_SECRET" && getenv(k) == "" {
			return "migrate-needs-no-internal-secret"
		}
		return getenv(k)
	}
	if getenv("HOSTPLANE_DATABASE_URL") == "" && getenv("HOSTPLANE_AUTH_DATABASE_URL") == "" {
		return errors.New("set HOSTPLANE_DATABASE_URL (or each HOSTPLANE_<SERVICE>_DATABASE_URL)")
	}
	var authCfg auth.Config
	if err := config.Load(&authCfg, nil, env); err != nil {
		return err
	}
	if err := auth.Migrate(ctx, authCfg, log); err != nil {
		return err
	}
	var billingCfg billing.Config
	if err := config.Load(&billingCfg, nil, env); err != nil {
		return err
	}
	if err := billing.Migrate(ctx, billingCfg, log); err != nil {
		return err
	}
	log.Info("migrations applied")
	return nil
}
