package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// gatewayCall is an authenticated call to the gateway with the root
// credentials (HOSTPLANE_ROOT_API_KEY/SECRET, else what `hostplane dev`
// saved), as create-api-key makes them.
type gatewayCall struct {
	addr, key, secret string
	http              *http.Client
}

func newGatewayCall(addr string, getenv func(string) string) (*gatewayCall, error) {
	if addr == "" {
		addr = getenv("HOSTPLANE_ADDR")
	}
	key, secret := getenv("HOSTPLANE_ROOT_API_KEY"), getenv("HOSTPLANE_ROOT_API_SECRET")
	if key == "" || secret == "" {
		saved, err := readDevCredentials()
		if err != nil {
			return nil, errors.New("no credentials: set HOSTPLANE_ROOT_API_KEY and HOSTPLANE_ROOT_API_SECRET (or run `hostplane dev`, which saves them)")
		}
		key, secret = saved.APIKey, saved.APISecret
		if addr == "" {
			addr = saved.Addr
		}
	}
	if addr == "" {
		addr = "http://127.0.0.1:8080"
	}
	return &gatewayCall{addr: strings.TrimRight(addr, "/"), key: key, secret: secret, http: &http.Client{Timeout: 30 * time.Second}}, nil
}

// sbAnswer is an sb envelope.
type sbAnswer struct {
	Meta struct {
		Success    bool `json:"success"`
		StatusCode int  `json:"status_code"`
	} `json:"meta"`
	Error *struct {
		Code    int               `json:"code"`
		Message string            `json:"message"`
		Fields  map[string]string `json:"fields"`
	} `json:"error"`
	Data json.RawMessage `json:"data"`
}

// sb sends an sb request and decodes the data of a successful answer.
func (g *gatewayCall) sb(ctx context.Context, method, path string, out any) error {
	req, err := http.NewRequestWithContext(ctx, method, g.addr+path, bytes.NewReader(nil))
	if err != nil {
		return fmt.Errorf("bad --addr: %w", err)
	}
	req.Header.Set("Authorization", "token "+g.key+"."+g.secret)
	req.Header.Set("Accept", "application/json")
	resp, err := g.http.Do(req)
	if err != nil {
		return fmt.Errorf("cannot reach the gateway at %s: %w", g.addr, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	var a sbAnswer
	if err := json.Unmarshal(body, &a); err != nil {
		return fmt.Errorf("unexpected answer from the gateway (%d): %s", resp.StatusCode, strings.TrimSpace(string(body)))
	}
	if !a.Meta.Success || a.Error != nil {
		if a.Error == nil {
			return fmt.Errorf("the gateway refused (%d)", resp.StatusCode)
		}
		msg := a.Error.Message
		for f, m := range a.Error.Fields {
			msg += fmt.Sprintf(" (%s: %s)", f, m)
		}
		return fmt.Errorf("the gateway refused (%d, code %d): %s", resp.StatusCode, a.Error.Code, msg)
	}
	if out != nil {
		return json.Unmarshal(a.Data, out)
	}
	return nil
}

// runSites is `hostplane sites backup CODE [--wait]` and
// `hostplane sites restore CODE BACKUP [--wait]`; any other `hostplane
// sites [flags]` runs the sites service.
func runSites(ctx context.Context, args []string, stdout io.Writer, getenv func(string) string) error {
	const use = "usage: hostplane sites backup CODE [--wait] | hostplane sites restore CODE BACKUP [--wait] [--addr=URL]"
	if len(args) == 0 || args[0] != "backup" && args[0] != "restore" {
		_, err := runComponent(ctx, "sites", args, stdout, getenv)
		return err
	}
	verb := args[0]
	fs := flag.NewFlagSet("sites "+verb, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	wait := fs.Bool("wait", false, "follow the job until it ends; the exit status is the job's")
	addr := fs.String("addr", "", "gateway URL (env HOSTPLANE_ADDR, default http://127.0.0.1:8080)")
	pos, err := parseInterleaved(fs, args[1:])
	if err != nil {
		return usageError{"sites " + verb + ": " + err.Error()}
	}
	var method, path string
	switch {
	case verb == "backup" && len(pos) == 1:
		method, path = http.MethodPost, "/v1/sites/"+url.PathEscape(pos[0])+"/backups.json"
	case verb == "restore" && len(pos) == 2:
		method, path = http.MethodPut, "/v1/sites/"+url.PathEscape(pos[0])+"/backups/"+url.PathEscape(pos[1])+".json"
	default:
		return usageError{use}
	}
	g, err := newGatewayCall(*addr, getenv)
	if err != nil {
		return err
	}
	var job struct {
		JobID int64 `json:"job_id"`
	}
	if err := g.sb(ctx, method, path, &job); err != nil {
		return err
	}
	if !*wait {
		fmt.Fprintf(stdout, "job %d queued; follow it with: hostplane jobs watch %s %d\n", job.JobID, pos[0], job.JobID)
		return nil
	}
	return watchJob(ctx, g, pos[0], job.JobID, stdout)
}

// parseInterleaved parses flags that may come before, between or after the
// positional arguments.
func parseInterleaved(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		if fs.NArg() == 0 {
			return pos, nil
		}
		pos = append(pos, fs.Arg(0))
		args = fs.Args()[1:]
	}
}
