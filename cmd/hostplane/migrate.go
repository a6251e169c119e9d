package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"

	"github.com/hostplane/hostplane/libs/config"
	"github.com/hostplane/hostplane/libs/telemetry"
	"github.com/hostplane/hostplane/services/auth"
	"github.com/hostplane/hostplane/services/billing"
	"github.com/hostplane/hostplane/services/sites"
	"github.com/hostplane/hostplane/services/stats"
	"github.com/hostplane/hostplane/services/tenancy"
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
	steps := []struct {
		name string
		run  func() error
	}{
		{"auth", func() error { return migrateOne(ctx, env, log, auth.Migrate) }},
		{"billing", func() error { return migrateOne(ctx, env, log, billing.Migrate) }},
		{"sites", func() error { return migrateOne(ctx, env, log, sites.Migrate) }},
		{"tenancy", func() error { return migrateOne(ctx, env, log, tenancy.Migrate) }},
		{"stats", func() error { return migrateOne(ctx, env, log, stats.Migrate) }},
	}
	for _, st := range steps {
		if err := st.run(); err != nil {
			return fmt.Errorf("migrate %s: %w", st.name, err)
		}
	}
	log.Info("migrations applied")
	return nil
}

// migrateOne loads a service's configuration and applies its migrations.
func migrateOne[C any](ctx context.Context, env func(string) string, log *slog.Logger, migrate func(context.Context, C, *slog.Logger) error) error {
	var cfg C
	if err := config.Load(&cfg, nil, env); err != nil {
		return err
	}
	return migrate(ctx, cfg, log)
}
