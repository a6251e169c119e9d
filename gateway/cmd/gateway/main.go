// Command gateway runs Hostplane's API gateway on its own.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/hostplane/hostplane/gateway"
	"github.com/hostplane/hostplane/libs/config"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "gateway:", err)
		os.Exit(1)
	}
}

func run() error {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	var cfg gateway.Config
	if err := config.Load(&cfg, os.Args[1:], os.Getenv); err != nil {
		return err
	}
	return gateway.Run(ctx, cfg, os.Stdout)
}
