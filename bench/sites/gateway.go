package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"time"
)

// gateway is a running `hostplane gateway` in front of the bench's sites
// service, with the `hostplane auth` that checks its API key: the path a
// client's request takes.
type gateway struct {
	base, key, adminURL, dbName string
	procs                       []*exec.Cmd
	logs                        *bytes.Buffer
	http                        *http.Client
}

// startGateway starts auth (a database of its own, a root API key) and the
// gateway routing sites to s; billing and tenancy point nowhere (a list
// does not call them).
func startGateway(ctx context.Context, bin, redisURL string, s *service) (g *gateway, err error) {
	g = &gateway{adminURL: s.adminURL, dbName: s.dbName + "_auth", logs: &bytes.Buffer{},
		http: &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 4}}}
	defer func() {
		if err != nil {
			g.stop()
		}
	}()
	dbURL, err := createDatabase(ctx, s.adminURL, g.dbName)
	if err != nil {
		return nil, err
	}
	authAddr, err := freePort()
	if err != nil {
		return nil, err
	}
	gwAddr, err := freePort()
	if err != nil {
		return nil, err
	}
	key, keySecret := "hp_bench_sites_"+randomHex(4), randomHex(24)
	g.key = key + "." + keySecret
	common := []string{
		"PATH=" + os.Getenv("PATH"), "HOME=" + os.Getenv("HOME"),
		"HOSTPLANE_INTERNAL_SECRET=" + s.secret, "HOSTPLANE_LOG_LEVEL=warn",
		fmt.Sprintf("HOSTPLANE_UPSTREAMS=auth=%s,sites=%s,billing=127.0.0.1:9,tenancy=127.0.0.1:9,stats=127.0.0.1:9",
			authAddr, strings.TrimPrefix(s.base, "http://")),
	}
	for _, p := range []struct {
		name, addr string
		env        []string
	}{
		{"auth", authAddr, []string{"HOSTPLANE_AUTH_DATABASE_URL=" + dbURL, "HOSTPLANE_ROOT_API_KEY=" + key, "HOSTPLANE_ROOT_API_SECRET=" + keySecret}},
		{"gateway", gwAddr, []string{"HOSTPLANE_REDIS_URL=" + redisURL, "HOSTPLANE_RATE_LIMIT_DEFAULT=1000000/s"}},
	} {
		cmd := exec.Command(bin, p.name, "--addr="+p.addr)
		cmd.Env = append(append([]string{}, common...), p.env...)
		cmd.Stdout, cmd.Stderr = g.logs, g.logs
		if err := cmd.Start(); err != nil {
			return nil, fmt.Errorf("start %s: %w", p.name, err)
		}
		g.procs = append(g.procs, cmd)
		if err := waitHealthy(ctx, "http://"+p.addr+"/healthz"); err != nil {
			return nil, fmt.Errorf("%s: %w: %s", p.name, err, g.logs)
		}
	}
	g.base = "http://" + gwAddr
	return g, nil
}

// do sends a request with the API key, as a client does.
func (g *gateway) do(ctx context.Context, method, target, body string) (int, []byte, error) {
	req, err := http.NewRequestWithContext(ctx, method, g.base+target, strings.NewReader(body))
	if err != nil {
		return 0, nil, err
	}
	req.Header.Set("Authorization", "token "+g.key)
	resp, err := g.http.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp.StatusCode, b, err
}

// stop ends the processes (the gateway first) and drops auth's database.
func (g *gateway) stop() {
	for i := len(g.procs) - 1; i >= 0; i-- {
		stopProcess(g.procs[i])
	}
	dropDatabase(g.adminURL, g.dbName)
}
