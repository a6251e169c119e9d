package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/hostplane/hostplane/libs/pgkit"
	"github.com/hostplane/hostplane/libs/principal"
)

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

func numCPU() int { return runtime.NumCPU() }

func freePort() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer ln.Close()
	return ln.Addr().String(), nil
}

// proc is one running component.
type proc struct {
	name, addr string
	cmd        *exec.Cmd
	logs       *bytes.Buffer
	done       chan struct{}
}

// stack is the running installation: auth, sites, stats and the gateway.
type stack struct {
	o              options
	tag            string
	secret         string
	key, keySecret string
	dbs            []string
	dataDir        string
	procs          map[string]*proc
	gateway        string // base URL
	signer         *principal.Signer
	http           *http.Client
}

func startStack(ctx context.Context, o options) (st *stack, err error) {
	st = &stack{o: o, tag: randomHex(4), secret: randomHex(24), key: "hp_bench_" + randomHex(4), keySecret: randomHex(24),
		procs: map[string]*proc{}}
	st.signer = principal.NewSigner(st.secret)
	st.http = &http.Client{Timeout: 60 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 64, MaxIdleConns: 64}}
	defer func() {
		if err != nil {
			st.stop()
		}
	}()
	if st.dataDir, err = os.MkdirTemp("", "hostplane-bench-stats-"); err != nil {
		return nil, err
	}
	addrs := map[string]string{}
	for _, n := range []string{"auth", "sites", "stats", "gateway"} {
		if addrs[n], err = freePort(); err != nil {
			return nil, err
		}
	}
	dbURL := map[string]string{}
	for _, n := range []string{"auth", "sites", "stats"} {
		name := "hp_bench_stats_" + st.tag + "_" + n
		u, err := pgkit.DatabaseURL(o.adminURL, name)
		if err != nil {
			return nil, err
		}
		if err := pgkit.EnsureDatabase(ctx, u); err != nil {
			return nil, err
		}
		st.dbs = append(st.dbs, name)
		dbURL[n] = u
	}
	common := []string{
		"PATH=" + os.Getenv("PATH"), "HOME=" + os.Getenv("HOME"),
		"HOSTPLANE_INTERNAL_SECRET=" + st.secret, "HOSTPLANE_LOG_LEVEL=warn",
		// billing and tenancy are not started: nothing here calls them.
		fmt.Sprintf("HOSTPLANE_UPSTREAMS=auth=%s,sites=%s,stats=%s,billing=127.0.0.1:9,tenancy=127.0.0.1:9", addrs["auth"], addrs["sites"], addrs["stats"]),
	}
	env := map[string][]string{
		"auth":  {"HOSTPLANE_AUTH_DATABASE_URL=" + dbURL["auth"], "HOSTPLANE_ROOT_API_KEY=" + st.key, "HOSTPLANE_ROOT_API_SECRET=" + st.keySecret},
		"sites": {"HOSTPLANE_SITES_DATABASE_URL=" + dbURL["sites"], "HOSTPLANE_DATA_DIR=" + st.dataDir},
		"stats": {"HOSTPLANE_STATS_DATABASE_URL=" + dbURL["stats"], "HOSTPLANE_REDIS_URL=" + o.redisURL,
			"HOSTPLANE_STATS_CONSUMER_GROUP=stats-bench-" + st.tag, "HOSTPLANE_STATS_EVENTS_FROM=$",
			"HOSTPLANE_STATS_REDIS_PREFIX=" + st.redisPrefix()},
		"gateway": {"HOSTPLANE_REDIS_URL=" + o.redisURL, "HOSTPLANE_RATE_LIMIT_DEFAULT=1000000/s"},
	}
	if o.pprof != "" {
		env["stats"] = append(env["stats"], "HOSTPLANE_PPROF_ADDR="+o.pprof)
	}
	for _, n := range []string{"auth", "sites", "stats", "gateway"} {
		p := &proc{name: n, addr: addrs[n], logs: &bytes.Buffer{}, done: make(chan struct{})}
		p.cmd = exec.Command(o.bin, n, "--addr="+p.addr)
		p.cmd.Env = append(append([]string{}, common...), env[n]...)
		p.cmd.Stdout, p.cmd.Stderr = p.logs, p.logs
		if err := p.cmd.Start(); err != nil {
			return nil, fmt.Errorf("start %s: %w", n, err)
		}
		go func() { _ = p.cmd.Wait(); close(p.done) }()
		st.procs[n] = p
		if err := st.wait(ctx, p); err != nil {
			return nil, err
		}
	}
	st.gateway = "http://" + addrs["gateway"]
	return st, nil
}

func (st *stack) redisPrefix() string { return "hostplane:bench:" + st.tag + ":stats:" }

// wait waits until a component answers /healthz.
func (st *stack) wait(ctx context.Context, p *proc) error {
	deadline := time.Now().Add(30 * time.Second)
	for {
		resp, err := http.Get("http://" + p.addr + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return nil
			}
		}
		select {
		case <-p.done:
			return fmt.Errorf("%s exited: %s", p.name, p.logs)
		case <-ctx.Done():
			return ctx.Err()
		default:
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("%s not ready in 30 s: %s", p.name, p.logs)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// stop ends the processes, drops the databases and removes what was
// written to Redis and to disk.
func (st *stack) stop() {
	for _, p := range st.procs {
		_ = p.cmd.Process.Signal(syscall.SIGTERM)
	}
	for _, p := range st.procs {
		select {
		case <-p.done:
		case <-time.After(10 * time.Second):
			_ = p.cmd.Process.Kill()
			<-p.done
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if pool, err := pgkit.Open(ctx, st.o.adminURL, pgkit.Options{MaxConns: 1}); err == nil {
		for _, db := range st.dbs {
			_, _ = pool.Exec(ctx, `DROP DATABASE IF EXISTS "`+db+`" WITH (FORCE)`)
		}
		pool.Close()
	}
	st.cleanRedis()
	if st.dataDir != "" {
		_ = os.RemoveAll(st.dataDir)
	}
}

// cleanRedis deletes the live visitors' keys and the consumer group, in a
// few lines of RESP.
func (st *stack) cleanRedis() {
	u, err := url.Parse(st.o.redisURL)
	if err != nil {
		return
	}
	conn, err := net.DialTimeout("tcp", u.Host, 2*time.Second)
	if err != nil {
		return
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(5 * time.Second))
	r := bufio.NewReader(conn)
	cmd := func(args ...string) {
		var b strings.Builder
		fmt.Fprintf(&b, "*%d\r\n", len(args))
		for _, a := range args {
			fmt.Fprintf(&b, "$%d\r\n%s\r\n", len(a), a)
		}
		_, _ = conn.Write([]byte(b.String()))
		line, _ := r.ReadString('\n')
		if strings.HasPrefix(line, "$") { // a bulk answer: skip it
			n, _ := strconv.Atoi(strings.TrimSpace(line[1:]))
			_, _ = io.CopyN(io.Discard, r, int64(n+2))
		}
	}
	for i := int64(0); i < 16; i++ {
		cmd("DEL", st.redisPrefix()+"live:"+strconv.FormatInt(i, 10))
	}
	for _, stream := range []string{"hostplane:events:billing", "hostplane:events:sites"} {
		cmd("XGROUP", "DESTROY", stream, "stats-bench-"+st.tag)
	}
}

// cpu is a process's CPU time so far (user + system).
func (p *proc) cpu() time.Duration { return procCPU(p.cmd.Process.Pid) }

// procCPU reads a process's CPU time (user + system) from /proc.
func procCPU(pid int) time.Duration {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return 0
	}
	s := string(b)
	fields := strings.Fields(s[strings.LastIndexByte(s, ')')+2:])
	if len(fields) < 13 {
		return 0
	}
	ut, _ := strconv.ParseInt(fields[11], 10, 64)
	st, _ := strconv.ParseInt(fields[12], 10, 64)
	return time.Duration(ut+st) * time.Second / 100 // USER_HZ
}

// cpus reads every component's CPU time, and that of the PostgreSQL
// backends serving the stats database ("postgres").
func (st *stack) cpus() map[string]time.Duration {
	out := map[string]time.Duration{}
	for n, p := range st.procs {
		out[n] = p.cpu()
	}
	out["postgres"] = st.pgCPU()
	return out
}

// pgCPU adds up the CPU time of the backends connected to the stats
// database (the pool's connections live through a phase).
func (st *stack) pgCPU() time.Duration {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	pool, err := pgkit.Open(ctx, st.o.adminURL, pgkit.Options{MaxConns: 1})
	if err != nil {
		return 0
	}
	defer pool.Close()
	rows, err := pool.Query(ctx, `SELECT pid FROM pg_stat_activity WHERE datname = $1`, "hp_bench_stats_"+st.tag+"_stats")
	if err != nil {
		return 0
	}
	defer rows.Close()
	var total time.Duration
	for rows.Next() {
		var pid int
		if rows.Scan(&pid) == nil {
			total += procCPU(pid)
		}
	}
	return total
}

// site is the benchmark's site.
type site struct {
	id   int64
	code string
}

// createSite makes a site through the gateway (wu).
func (st *stack) createSite(ctx context.Context) (site, error) {
	status, body, err := st.call(ctx, "POST", st.gateway+"/wp-json/wu/v2/sites", `{"title":"Bench shop","domain":"bench-`+st.tag+`.example.com"}`, nil)
	if err != nil {
		return site{}, err
	}
	if status != 200 {
		return site{}, fmt.Errorf("create site: %d %s", status, body)
	}
	var v struct {
		ID   int64  `json:"id"`
		Slug string `json:"slug"`
	}
	if err := json.Unmarshal(body, &v); err != nil {
		return site{}, err
	}
	return site{id: v.ID, code: v.Slug}, nil
}

// call sends a request: through the gateway with the key, or straight to
// the stats service signed as the gateway signs (p not nil).
func (st *stack) call(ctx context.Context, method, target, body string, p *principal.Principal) (int, []byte, error) {
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, target, rd)
	if err != nil {
		return 0, nil, err
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if p != nil {
		if err := st.signer.Apply(req.Header, method, req.URL.Path, p); err != nil {
			return 0, nil, err
		}
	} else {
		req.Header.Set("Authorization", "token "+st.key+"."+st.keySecret)
	}
	resp, err := st.http.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp.StatusCode, b, err
}
