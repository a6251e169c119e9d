// Command auth runs Hostplane's auth service on its own.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/hostplane/hostplane/libs/config"
	"github.com/hostplane/hostplane/services/auth"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "auth:", err)
		os.Exit(1)
	}
}

func run() error {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	var cfg auth.Config
	if err := config.Load(&cfg, os.Args[1:], os.Getenv); err != nil {
		return err
	}
	return auth.Run(ctx, cfg, os.Stdout)
}
