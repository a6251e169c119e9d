// Command sites is the sites service's benchmark (bench/suites/sites.sh,
// run by `make bench`): it starts `hostplane sites` on its own PostgreSQL
// database and data directory, then measures
//
//   - backup and restore of a site holding 1 GiB in 10,000 files, through
//     the service's jobs (POST …/backups.json, PUT …/backups/{id}.json,
//     polled until done), against `tar | gzip` and `gzip -d | tar x` of the
//     same tree on the same machine, interleaved, medians reported;
//   - GET /v1/sites.json?term=…&sort=… over 100,000 sites, in every sort
//     of the sb reference: latency percentiles of sequential requests
//     through the gateway (with `hostplane auth` and an API key), then
//     straight to the service (signed as the gateway signs them) to show
//     the gateway's share; popular terms and, every 5th request, a term
//     sent for the first time, with a site written now and then (see
//     benchList).
//
// Everything it makes (database, files, process) is removed at the end;
// all traffic goes to 127.0.0.1 and every loop is bounded.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"
)

type options struct {
	bin, adminURL, work  string
	redisURL             string
	gateway              bool
	files                int
	bytes                int64
	rounds               int
	sites                int
	requests             int
	writeEvery           int
	skipBackup, skipList bool
}

func main() {
	var o options
	flag.StringVar(&o.bin, "bin", "bin/hostplane", "hostplane binary")
	flag.StringVar(&o.adminURL, "db", "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable", "PostgreSQL admin URL (a database is created and dropped)")
	flag.StringVar(&o.work, "work", "", "work directory (default: a temporary one, removed)")
	flag.IntVar(&o.files, "files", 10000, "files in the backed up site")
	flag.Int64Var(&o.bytes, "bytes", 1<<30, "bytes in the backed up site")
	flag.IntVar(&o.rounds, "rounds", 2, "interleaved rounds of each backup/restore measure")
	flag.IntVar(&o.sites, "sites", 100000, "sites in the list benchmark")
	flag.IntVar(&o.requests, "requests", 2000, "list requests measured")
	flag.IntVar(&o.writeEvery, "write-every", 100, "write a site before every n-th list request, untimed (0: never)")
	flag.BoolVar(&o.skipBackup, "skip-backup", false, "skip the backup/restore benchmark")
	flag.BoolVar(&o.skipList, "skip-list", false, "skip the list benchmark")
	flag.BoolVar(&o.gateway, "gateway", true, "also measure the lists through the gateway (starts auth and the gateway)")
	flag.StringVar(&o.redisURL, "redis", "redis://127.0.0.1:6379/0", "Redis for the gateway")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, o); err != nil {
		fmt.Fprintln(os.Stderr, "bench sites:", err)
		os.Exit(1)
	}
}

func say(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "[bench sites %s] %s\n", time.Now().Format("15:04:05"), fmt.Sprintf(format, args...))
}

func run(ctx context.Context, o options) error {
	work := o.work
	if work == "" {
		d, err := os.MkdirTemp("", "hostplane-bench-sites-")
		if err != nil {
			return err
		}
		work = d
	}
	defer os.RemoveAll(work)
	svc, err := startService(ctx, o.bin, o.adminURL, filepath.Join(work, "data"))
	if err != nil {
		return err
	}
	defer svc.stop()
	var report []string
	if !o.skipBackup {
		lines, err := benchBackup(ctx, svc, o, work)
		if err != nil {
			return fmt.Errorf("backup: %w", err)
		}
		report = append(report, lines...)
	}
	if !o.skipList {
		var g *gateway
		if o.gateway {
			if g, err = startGateway(ctx, o.bin, o.redisURL, svc); err != nil {
				return fmt.Errorf("gateway: %w", err)
			}
			defer g.stop()
		}
		lines, err := benchList(ctx, svc, g, o)
		if err != nil {
			return fmt.Errorf("list: %w", err)
		}
		report = append(report, lines...)
	}
	fmt.Println("== sites benchmark (" + time.Now().UTC().Format("2006-01-02 15:04 UTC") + ")")
	for _, l := range report {
		fmt.Println(l)
	}
	return nil
}
