// Command billing runs Hostplane's billing service on its own.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/hostplane/hostplane/libs/config"
	"github.com/hostplane/hostplane/services/billing"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "billing:", err)
		os.Exit(1)
	}
}

func run() error {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	var cfg billing.Config
	if err := config.Load(&cfg, os.Args[1:], os.Getenv); err != nil {
		return err
	}
	return billing.Run(ctx, cfg, os.Stdout)
}
