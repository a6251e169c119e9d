// Command tenancy runs Hostplane's tenancy service on its own.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/hostplane/hostplane/libs/config"
	"github.com/hostplane/hostplane/services/tenancy"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "tenancy:", err)
		os.Exit(1)
	}
}

func run() error {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	var cfg tenancy.Config
	if err := config.Load(&cfg, os.Args[1:], os.Getenv); err != nil {
		return err
	}
	return tenancy.Run(ctx, cfg, os.Stdout)
}
