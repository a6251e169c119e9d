package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/hostplane/hostplane/services/tenancy/tenants"
)

// tenantStatus is a migration-status answer.
type tenantStatus struct {
	SiteID         int64             `json:"site_id"`
	IsolationModel string            `json:"isolation_model"`
	DatabaseHost   string            `json:"database_host"`
	Verification   map[string]string `json:"verification"`
	Ready          bool              `json:"ready"`
	State          string            `json:"state"`
	Step           *string           `json:"step"`
	Error          *string           `json:"error"`
}

// errNotReady is the exit of a tenant command whose tenant is not ready.
var errNotReady = errors.New("tenant not ready")

const tenantsUsage = "usage: hostplane tenants bootstrap SITE [--wait] | status SITE | verify SITE | delete SITE [--addr=URL] [--timeout=DURATION]"

// runTenants is `hostplane tenants bootstrap|status|verify|delete SITE`:
// the wu sovereign tenant endpoints through the gateway with the root
// credentials. The status is printed as JSON on stdout; the exit status is
// 0 only when the tenant is ready (delete: when it is gone). With --wait,
// bootstrap follows the job step by step (a progress bar on a terminal, a
// line per step otherwise) until it is ready or failed.
func runTenants(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	if len(args) == 0 {
		return usageError{tenantsUsage}
	}
	verb := args[0]
	fs := flag.NewFlagSet("tenants "+verb, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	wait := fs.Bool("wait", false, "bootstrap: follow the job until the tenant is ready or failed")
	addr := fs.String("addr", "", "gateway URL (env HOSTPLANE_ADDR, default http://127.0.0.1:8080)")
	timeout := fs.Duration("timeout", 30*time.Minute, "how long --wait waits")
	pos, err := parseInterleaved(fs, args[1:])
	if err != nil {
		return usageError{"tenants " + verb + ": " + err.Error()}
	}
	if len(pos) != 1 {
		return usageError{tenantsUsage}
	}
	site, err := strconv.ParseInt(pos[0], 10, 64)
	if err != nil || site <= 0 {
		return usageError{"tenants " + verb + ": SITE must be a site id (a positive integer)"}
	}
	if *wait && verb != "bootstrap" {
		return usageError{"tenants " + verb + ": --wait is for bootstrap"}
	}
	base := "/wp-json/wu/v2/tenants/" + strconv.FormatInt(site, 10)
	var method, path string
	switch verb {
	case "bootstrap":
		method, path = http.MethodPost, base+"/bootstrap"
	case "status":
		method, path = http.MethodGet, base+"/migration-status"
	case "verify":
		method, path = http.MethodPost, base+"/verify"
	case "delete":
		method, path = http.MethodDelete, base
	default:
		return usageError{tenantsUsage}
	}
	g, err := newGatewayCall(*addr, getenv)
	if err != nil {
		return err
	}
	if verb == "delete" {
		var out struct {
			Deleted  bool         `json:"deleted"`
			Previous tenantStatus `json:"previous"`
		}
		if err := g.wu(ctx, method, path, &out); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "tenant %d deleted (it was %s, state %s)\n", site, out.Previous.IsolationModel, out.Previous.State)
		return nil
	}
	var st tenantStatus
	if err := g.wu(ctx, method, path, &st); err != nil {
		return err
	}
	if *wait {
		wctx, cancel := context.WithTimeout(ctx, *timeout)
		defer cancel()
		if st, err = followTenant(wctx, g, base+"/migration-status", st, stderr); err != nil {
			return err
		}
	}
	if err := printJSON(stdout, st); err != nil {
		return err
	}
	return readiness(st, verb)
}

// readiness is nil for a ready tenant, else errNotReady saying why.
func readiness(st tenantStatus, verb string) error {
	if st.Ready {
		return nil
	}
	why := "state " + st.State
	if st.Step != nil {
		why += " at step " + *st.Step
	}
	if st.Error != nil {
		why += ": " + *st.Error
	}
	hint := ""
	if verb == "bootstrap" && st.State != "failed" {
		hint = fmt.Sprintf(" (follow it with --wait, or: hostplane tenants status %d)", st.SiteID)
	}
	return fmt.Errorf("%w: tenant %d, %s%s", errNotReady, st.SiteID, why, hint)
}

func printJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// followTenant polls path until the tenant is ready or failed, drawing the
// steps as they pass on out.
func followTenant(ctx context.Context, g *gatewayCall, path string, st tenantStatus, out io.Writer) (tenantStatus, error) {
	bar := newProgress(out, isTerminal(out))
	defer bar.done()
	for {
		bar.show(tenantProgress(st))
		if st.State == string(tenants.StateReady) || st.State == string(tenants.StateFailed) || st.State == string(tenants.StateShared) {
			return st, nil
		}
		select {
		case <-ctx.Done():
			return st, fmt.Errorf("tenant %d: still %s after the --timeout: %w", st.SiteID, st.State, ctx.Err())
		case <-time.After(300 * time.Millisecond):
		}
		next := tenantStatus{}
		if err := g.wu(ctx, http.MethodGet, path, &next); err != nil {
			return st, err
		}
		st = next
	}
}

// tenantProgress maps a status on the job progress bar: the share of the
// bootstrap's steps done, and the step running.
func tenantProgress(st tenantStatus) jobState {
	j := jobState{Status: st.State}
	step := ""
	if st.Step != nil {
		step = *st.Step
	}
	switch st.State {
	case string(tenants.StateReady):
		j.Progression, j.Step = 100, "ready"
		return j
	case string(tenants.StatePending):
		j.Step = "pending"
		return j
	}
	for i, s := range tenants.Steps {
		if string(s) == step {
			j.Progression = 100 * i / len(tenants.Steps)
		}
	}
	j.Step = st.State
	if step != "" {
		j.Step += ": " + step
	}
	if st.Error != nil {
		j.Step += " (" + *st.Error + ")"
	}
	return j
}

// wuError is a wu error body.
type wuError struct {
	Code    string `json:"code"`
	Message string `json:"message"`
	Data    struct {
		Params map[string]string `json:"params"`
	} `json:"data"`
}

// wu sends a wu request with Basic credentials and decodes a 2xx answer.
func (g *gatewayCall) wu(ctx context.Context, method, path string, out any) error {
	req, err := http.NewRequestWithContext(ctx, method, g.addr+path, nil)
	if err != nil {
		return fmt.Errorf("bad --addr: %w", err)
	}
	req.SetBasicAuth(g.key, g.secret)
	req.Header.Set("Accept", "application/json")
	resp, err := g.http.Do(req)
	if err != nil {
		return fmt.Errorf("cannot reach the gateway at %s: %w", g.addr, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if resp.StatusCode >= 300 {
		var e wuError
		if json.Unmarshal(body, &e) != nil || e.Code == "" {
			return fmt.Errorf("the gateway refused (%d): %s", resp.StatusCode, strings.TrimSpace(string(body)))
		}
		msg := e.Message
		for f, m := range e.Data.Params {
			msg += fmt.Sprintf(" (%s: %s)", f, m)
		}
		return fmt.Errorf("the gateway refused (%d %s): %s", resp.StatusCode, e.Code, msg)
	}
	if err := json.Unmarshal(body, out); err != nil {
		return fmt.Errorf("unexpected answer from the gateway (%d): %s", resp.StatusCode, strings.TrimSpace(string(body)))
	}
	return nil
}
