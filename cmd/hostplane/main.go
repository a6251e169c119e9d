// Command hostplane is Hostplane's operator CLI and single-node mode:
//
//	hostplane dev                       every service and the gateway in one process
//	hostplane create-api-key NAME EMAIL --permissions=LIST [...]
//	hostplane migrate                   apply every service's migrations
//	hostplane settings get [KEY] | set KEY VALUE   settings, straight from the auth service
//	hostplane version
//	hostplane gateway|auth|billing|sites|tenancy|stats [flags]
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

// version is set at build time (-ldflags "-X main.version=...").
var version = "dev"

// usageError is a mistake in the command line: exit status 2.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr, os.Getenv)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "hostplane:", err)
		var ue usageError
		if errors.As(err, &ue) {
			os.Exit(2)
		}
		os.Exit(1)
	}
}

const usage = `usage: hostplane <command> [arguments]

commands:
  dev              run every service and the gateway in one process (single-node mode)
  create-api-key   NAME EMAIL --permissions=LIST [--customer-id=N] [--rate-limit=N/s|N/m|N/h] [--expires-in=DURATION] [--addr=URL]
  migrate          create each service's database and apply its migrations (HOSTPLANE_DATABASE_URL)
  sites backup CODE [--wait] | sites restore CODE BACKUP [--wait]
                   back a site up, or restore a backup (through the gateway, root credentials)
  jobs watch SITE JOB
                   follow a job: progress bar on a terminal, lines otherwise; exit status from the job
  tenants bootstrap SITE [--wait] | tenants status|verify|delete SITE
                   sovereign tenants (through the gateway, root credentials); exit 0 only when ready
  settings get [KEY] | settings set KEY VALUE [--addr=HOST:PORT]
                   read or change settings on the auth service directly (HOSTPLANE_AUTH_ADDR,
                   HOSTPLANE_INTERNAL_SECRET): the way back in when enable_api is false
  healthcheck URL  exit 0 when URL (a /readyz) answers 200 — for container health checks
  version          print the version
  gateway|auth|billing|sites|tenancy|stats
                   run one component (configuration from HOSTPLANE_* variables and flags)
`

func run(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return usageError{"no command"}
	}
	cmd, rest := args[0], args[1:]
	switch cmd {
	case "dev":
		return runDev(ctx, rest, stdout, stderr, getenv)
	case "create-api-key":
		return runCreateAPIKey(ctx, rest, stdout, getenv)
	case "migrate":
		return runMigrate(ctx, rest, stderr, getenv)
	case "sites":
		return runSites(ctx, rest, stdout, getenv)
	case "jobs":
		return runJobs(ctx, rest, stdout, getenv)
	case "settings":
		return runSettings(ctx, rest, stdout, getenv)
	case "tenants":
		return runTenants(ctx, rest, stdout, stderr, getenv)
	case "healthcheck":
		return runHealthcheck(ctx, rest)
	case "version", "--version", "-v":
		fmt.Fprintln(stdout, "hostplane", version)
		return nil
	case "help", "--help", "-h":
		fmt.Fprint(stdout, usage)
		return nil
	}
	if ok, err := runComponent(ctx, cmd, rest, stdout, getenv); ok {
		return err
	}
	fmt.Fprint(stderr, usage)
	return usageError{fmt.Sprintf("unknown command %q", cmd)}
}
