// Command stats is the stats service's benchmark (bench/suites/stats.sh,
// run by `make bench`): it starts `hostplane auth`, `sites`, `stats` and
// `gateway` as their own processes, each on a fresh PostgreSQL database,
// with Redis, creates a site, then measures, through the gateway:
//
//   - ingestion of front-office event batches (1,000 events each, spread
//     over the last 366 days) by concurrent clients for a fixed time:
//     events per second stored in PostgreSQL (raw log and rollups in one
//     transaction), batch latency, CPU of each process per 1,000 events;
//     then ingestion goes on until the site holds the target (10 million);
//   - the 366-day report of that site: latency percentiles of sequential
//     requests (and straight to the service, signed as the gateway signs);
//   - live visitors: 100,000 distinct visitor ids seen now, then the live
//     count's latency percentiles.
//
// It checks what it measures (the report's totals equal what was sent; the
// live count equals the visitors sent). Everything it makes is removed at
// the end (processes, databases, Redis keys, consumer groups); all traffic
// goes to 127.0.0.1; every loop is bounded in count and time.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"time"
)

type options struct {
	bin, adminURL, redisURL string
	workers                 int
	duration                time.Duration
	total                   int64
	reports, lives          int
	visitors                int
	maxFill                 time.Duration
	pprof                   string
}

func main() {
	var o options
	flag.StringVar(&o.bin, "bin", "bin/hostplane", "hostplane binary")
	flag.StringVar(&o.adminURL, "db", "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable", "PostgreSQL admin URL (databases are created and dropped)")
	flag.StringVar(&o.redisURL, "redis", "redis://127.0.0.1:6379/0", "Redis URL")
	flag.IntVar(&o.workers, "workers", 8, "concurrent ingestion clients")
	flag.DurationVar(&o.duration, "duration", 60*time.Second, "measured ingestion time")
	flag.Int64Var(&o.total, "events", 10_000_000, "events the site holds before the report is measured")
	flag.DurationVar(&o.maxFill, "max-fill", 10*time.Minute, "give up filling up to -events after this long")
	flag.IntVar(&o.reports, "reports", 2000, "366-day reports measured (each way)")
	flag.IntVar(&o.visitors, "visitors", 100_000, "live visitor ids")
	flag.IntVar(&o.lives, "lives", 2000, "live counts measured (each way)")
	flag.StringVar(&o.pprof, "pprof", "", "serve the stats process's /debug/pprof on this address (profiling)")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, o); err != nil {
		fmt.Fprintln(os.Stderr, "bench stats:", err)
		os.Exit(1)
	}
}

func say(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "[bench stats %s] %s\n", time.Now().Format("15:04:05"), fmt.Sprintf(format, args...))
}

func run(ctx context.Context, o options) error {
	st, err := startStack(ctx, o)
	if err != nil {
		return err
	}
	defer st.stop()
	site, err := st.createSite(ctx)
	if err != nil {
		return err
	}
	say("site %q (id %d) ready", site.code, site.id)
	var lines []string
	in, err := benchIngest(ctx, st, site, o)
	if err != nil {
		return err
	}
	lines = append(lines, in...)
	rep, err := benchReport(ctx, st, site, o)
	if err != nil {
		return err
	}
	lines = append(lines, rep...)
	live, err := benchLive(ctx, st, site, o)
	if err != nil {
		return err
	}
	lines = append(lines, live...)
	fmt.Printf("stats benchmark, %s, %d CPUs (shared with the load generator and PostgreSQL)\n", time.Now().UTC().Format("2006-01-02 15:04 UTC"), numCPU())
	for _, l := range lines {
		fmt.Println(l)
	}
	return nil
}
