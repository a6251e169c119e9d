// Command report turns the raw output of one benchmark run (bench/run.sh:
// wrk outputs, bench/load JSON results, facts.txt, the pprof top) into the
// human-readable report and the machine-readable lines that end it.
//
//	report summary -dir RAW            the full report
//	report rate -dir RAW -scenario b -fraction 0.5
//	                                   fraction of a scenario's median req/s
//	report wrk FILE                    one wrk output, parsed
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
)

func main() {
	if err := run(os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "report:", err)
		os.Exit(1)
	}
}

func run(args []string, out io.Writer) error {
	if len(args) == 0 {
		return errors.New("usage: report summary|rate|wrk ...")
	}
	fs := flag.NewFlagSet("report "+args[0], flag.ContinueOnError)
	dir := fs.String("dir", "", "raw directory of a run")
	scenario := fs.String("scenario", "b", "scenario (rate)")
	fraction := fs.Float64("fraction", 0.5, "fraction of the median req/s (rate)")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	switch args[0] {
	case "summary":
		d, err := Load(*dir)
		if err != nil {
			return err
		}
		d.Write(out)
		return nil
	case "rate":
		d, err := Load(*dir)
		if err != nil {
			return err
		}
		s := d.Scenario(*scenario)
		if math.IsNaN(s.MedRPS) || s.MedRPS <= 0 {
			return fmt.Errorf("no wrk run of scenario %s in %s", *scenario, *dir)
		}
		fmt.Fprintf(out, "%.0f\n", s.MedRPS**fraction)
		return nil
	case "wrk":
		if fs.NArg() != 1 {
			return errors.New("usage: report wrk FILE")
		}
		f, err := os.Open(fs.Arg(0))
		if err != nil {
			return err
		}
		defer f.Close()
		w, err := ParseWrk(f)
		if err != nil {
			return err
		}
		fmt.Fprintf(out, "requests=%d rps=%.2f p50_ms=%.3f p99_ms=%.3f non2xx=%d socket_errors=%d\n", w.Requests, w.RPS, w.P50, w.P99, w.Non2xx, w.SocketErr)
		return nil
	}
	return fmt.Errorf("unknown command %q", args[0])
}
