package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"
)

// runJobs is `hostplane jobs watch SITE JOB`.
func runJobs(ctx context.Context, args []string, stdout io.Writer, getenv func(string) string) error {
	const use = "usage: hostplane jobs watch SITE JOB [--addr=URL]"
	if len(args) == 0 || args[0] != "watch" {
		return usageError{use}
	}
	fs := flag.NewFlagSet("jobs watch", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	addr := fs.String("addr", "", "gateway URL (env HOSTPLANE_ADDR, default http://127.0.0.1:8080)")
	pos, err := parseInterleaved(fs, args[1:])
	if err != nil {
		return usageError{"jobs watch: " + err.Error()}
	}
	if len(pos) != 2 {
		return usageError{use}
	}
	id, err := strconv.ParseInt(pos[1], 10, 64)
	if err != nil || id <= 0 {
		return usageError{"jobs watch: JOB must be a job id (a positive integer)"}
	}
	g, err := newGatewayCall(*addr, getenv)
	if err != nil {
		return err
	}
	return watchJob(ctx, g, pos[0], id, stdout)
}

// jobState is an sb job.
type jobState struct {
	Status      string          `json:"status"`
	Progression int             `json:"progression"`
	Step        string          `json:"step"`
	Result      json.RawMessage `json:"result"`
	Error       *string         `json:"error"`
}

// errJobHalted is the exit of a job that ended in halt.
var errJobHalted = errors.New("job halted")

// watchJob follows a job until it ends: a progress bar on a terminal,
// a line per change otherwise. It fails when the job halts.
func watchJob(ctx context.Context, g *gatewayCall, site string, id int64, out io.Writer) error {
	bar := newProgress(out, isTerminal(out))
	path := "/v1/sites/" + url.PathEscape(site) + "/jobs/" + strconv.FormatInt(id, 10) + ".json"
	for {
		var j jobState
		if err := g.sb(ctx, "GET", path, &j); err != nil {
			bar.done()
			return err
		}
		bar.show(j)
		switch j.Status {
		case "done":
			bar.done()
			res := strings.TrimSpace(string(j.Result))
			if res != "" && res != "null" {
				fmt.Fprintf(out, "job %d done: %s\n", id, res)
			} else {
				fmt.Fprintf(out, "job %d done\n", id)
			}
			return nil
		case "halt":
			bar.done()
			msg := "no reason given"
			if j.Error != nil {
				msg = *j.Error
			}
			return fmt.Errorf("%w: job %d: %s", errJobHalted, id, msg)
		}
		select {
		case <-ctx.Done():
			bar.done()
			return ctx.Err()
		case <-time.After(250 * time.Millisecond):
		}
	}
}

// isTerminal reports whether w is a terminal (a character device).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// progress draws a job's progression: a redrawn bar on a terminal, a line
// per change of progression or step otherwise.
type progress struct {
	out      io.Writer
	terminal bool
	last     string
	drawn    bool
}

func newProgress(out io.Writer, terminal bool) *progress {
	return &progress{out: out, terminal: terminal}
}

const barWidth = 30

func (p *progress) show(j jobState) {
	step := j.Step
	if step == "" {
		step = j.Status
	}
	line := fmt.Sprintf("%3d%% %s", j.Progression, step)
	if line == p.last {
		return
	}
	p.last = line
	if !p.terminal {
		fmt.Fprintln(p.out, line)
		return
	}
	filled := barWidth * max(0, min(j.Progression, 100)) / 100
	fmt.Fprintf(p.out, "\r[%s%s] %-40s", strings.Repeat("#", filled), strings.Repeat(".", barWidth-filled), line)
	p.drawn = true
}

func (p *progress) done() {
	if p.terminal && p.drawn {
		fmt.Fprintln(p.out)
		p.drawn = false
	}
}
