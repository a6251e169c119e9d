// Command tenancy is the tenancy service's benchmark (bench/suites/tenancy.sh):
//
//  1. bootstrap of a site with -mb MiB in its tables, timed from the
//     request to ready (role, database, COPY with checksums, files, drop
//     under lock, routing, verification), next to `pg_dump -t 's1_*' |
//     psql` of the same tables into an empty database of the same server
//     (made beforehand), each after a CHECKPOINT;
//  2. -tenants tenants bootstrapped at once (small sites), then deleted at
//     once: every one must end ready, and nothing must be left.
//
// It runs bin/hostplane tenancy as its own process against the machine's
// PostgreSQL (and the second server on 5433 when it answers), with a fake
// sites service, and drops every database and role it made at the end.
package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/hostplane/hostplane/libs/discovery"
	"github.com/hostplane/hostplane/libs/principal"
	"github.com/jackc/pgx/v5"
)

type options struct {
	bin, admin, admin2, consul, work string
	mb, tenants, rounds, workers     int
}

func main() {
	var o options
	flag.StringVar(&o.bin, "bin", "bin/hostplane", "the hostplane binary")
	flag.StringVar(&o.admin, "admin", "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable", "PostgreSQL admin URL (hosting and first tenant server)")
	flag.StringVar(&o.admin2, "admin2", "postgres://postgres@127.0.0.1:5433/postgres?sslmode=disable", "second tenant server (skipped when it does not answer)")
	flag.StringVar(&o.consul, "consul", "", "Consul agent for routing entries (empty: in memory)")
	flag.StringVar(&o.work, "work", "", "work directory (default: a temporary one)")
	flag.IntVar(&o.mb, "mb", 100, "MiB in the big site's tables")
	flag.IntVar(&o.rounds, "rounds", 5, "rounds of the big-site comparison")
	flag.IntVar(&o.tenants, "tenants", 100, "tenants bootstrapped at once")
	flag.IntVar(&o.workers, "workers", 4, "HOSTPLANE_TENANCY_WORKERS")
	flag.Parse()
	if err := run(o); err != nil {
		fmt.Fprintln(os.Stderr, "bench tenancy:", err)
		os.Exit(1)
	}
}

func say(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "[bench tenancy %s] %s\n", time.Now().Format("15:04:05"), fmt.Sprintf(format, args...))
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// bench is one run's installation.
type bench struct {
	o              options
	ctx            context.Context
	servers        []string
	prefix, secret string
	tenancyDB      string
	hostingDB      string
	dumpDB         string
	dataDir        string
	addr           string
	proc           *exec.Cmd
	logs           *logLines
	signer         *principal.Signer
	http           *http.Client
	madeDBs        []string // on the first server
	sitesSrv       *http.Server
	deregister     func(context.Context) error
	report         strings.Builder
}

func run(o options) error {
	ctx := context.Background()
	b := &bench{o: o, ctx: ctx, servers: []string{o.admin}, prefix: "b" + randomHex(3) + "_", secret: randomHex(24),
		signer: nil, http: &http.Client{Timeout: 60 * time.Second}, logs: &logLines{}}
	b.signer = principal.NewSigner(b.secret)
	if c, err := pgx.Connect(ctx, o.admin2); err == nil {
		_ = c.Close(ctx)
		b.servers = append(b.servers, o.admin2)
	}
	work := o.work
	if work == "" {
		dir, err := os.MkdirTemp("", "hostplane-bench-tenancy-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		work = dir
	}
	b.dataDir = filepath.Join(work, "data")
	defer b.cleanup()
	if err := b.setup(); err != nil {
		return err
	}
	// The report goes out even when a part fails: it says what failed.
	defer func() { fmt.Print(b.report.String()) }()
	if err := b.bigSite(); err != nil {
		return err
	}
	return b.many()
}

func (b *bench) line(format string, args ...any) {
	s := fmt.Sprintf(format, args...)
	b.report.WriteString(s + "\n")
	say("%s", s)
}

// dbURL is the first server's URL on database name.
func dbURL(admin, name string) string {
	u, _ := url.Parse(admin)
	u.Path = "/" + name
	return u.String()
}

func (b *bench) exec(u string, stmts ...string) error {
	c, err := pgx.Connect(b.ctx, u)
	if err != nil {
		return err
	}
	defer c.Close(b.ctx)
	for _, s := range stmts {
		if _, err := c.Exec(b.ctx, s); err != nil {
			return fmt.Errorf("%.80s: %w", s, err)
		}
	}
	return nil
}

func (b *bench) createDB(name string) (string, error) {
	if err := b.exec(b.o.admin, "CREATE DATABASE "+name); err != nil {
		return "", err
	}
	b.madeDBs = append(b.madeDBs, name)
	return dbURL(b.o.admin, name), nil
}

// setup creates the databases, the fake sites service and the tenancy
// process.
func (b *bench) setup() error {
	var err error
	base := "hp_bench_" + strings.TrimSuffix(b.prefix, "_")
	if b.tenancyDB, err = b.createDB(base + "_tenancy"); err != nil {
		return err
	}
	if b.hostingDB, err = b.createDB(base + "_hosting"); err != nil {
		return err
	}
	sitesAddr, err := b.fakeSites()
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	b.addr = ln.Addr().String()
	_ = ln.Close()
	env := append(os.Environ(),
		"HOSTPLANE_INTERNAL_SECRET="+b.secret,
		"HOSTPLANE_TENANCY_ADDR="+b.addr,
		"HOSTPLANE_TENANCY_DATABASE_URL="+b.tenancyDB,
		"HOSTPLANE_HOSTING_DATABASE_URL="+b.hostingDB,
		"HOSTPLANE_TENANT_DATABASE_URLS="+strings.Join(b.servers, ","),
		"HOSTPLANE_TENANCY_KEY="+randomHex(32),
		"HOSTPLANE_TENANCY_NAME_PREFIX="+b.prefix,
		"HOSTPLANE_TENANCY_WORKERS="+strconv.Itoa(b.o.workers),
		"HOSTPLANE_DATA_DIR="+b.dataDir,
		"HOSTPLANE_UPSTREAMS=sites="+sitesAddr,
		"HOSTPLANE_CONSUL_TAG=bench-"+b.prefix,
		"HOSTPLANE_TENANCY_KV_PREFIX=hostplane-bench/"+b.prefix+"/",
		"CONSUL_HTTP_ADDR="+b.o.consul,
		"HOSTPLANE_REDIS_URL=",
		"HOSTPLANE_DATABASE_URL=",
		"HOSTPLANE_LOG_LEVEL=info",
	)
	b.proc = exec.Command(b.o.bin, "tenancy")
	b.proc.Env = env
	b.proc.Stdout, b.proc.Stderr = b.logs, b.logs
	if err := b.proc.Start(); err != nil {
		return err
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		resp, err := http.Get("http://" + b.addr + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				break
			}
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("tenancy not ready:\n%s", b.logs.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
	servers := make([]string, len(b.servers))
	for i, s := range b.servers {
		u, _ := url.Parse(s)
		servers[i] = u.Host
	}
	b.line("tenancy: %d workers, tenant servers %s, PostgreSQL %s", b.o.workers, strings.Join(servers, " "), b.serverVersion())
	return nil
}

func (b *bench) serverVersion() string {
	c, err := pgx.Connect(b.ctx, b.o.admin)
	if err != nil {
		return "?"
	}
	defer c.Close(b.ctx)
	var v string
	_ = c.QueryRow(b.ctx, "SHOW server_version").Scan(&v)
	return v
}

// fakeSites answers GET /internal/v1/sites/{id}: every site exists, owned
// by customer 1, with a root under the data directory.
func (b *bench) fakeSites() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	b.sitesSrv = &http.Server{ReadHeaderTimeout: 5 * time.Second, Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/readyz" {
			_, _ = w.Write([]byte(`{"status":"ok"}`))
			return
		}
		id, err := strconv.ParseInt(strings.TrimPrefix(r.URL.Path, "/internal/v1/sites/"), 10, 64)
		if err != nil || id <= 0 {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]any{"id": id, "code": fmt.Sprint("site-", id), "customer_id": 1,
			"root": filepath.Join(b.dataDir, "sites", strconv.FormatInt(id, 10)), "status": "open"})
	})}
	go func() { _ = b.sitesSrv.Serve(ln) }()
	if b.o.consul == "" {
		return ln.Addr().String(), nil
	}
	// With Consul, tenancy finds its siblings there: register the fake
	// under this run's tag and wait until it passes its check.
	tag := "bench-" + b.prefix
	dereg, err := discovery.Register(b.ctx, b.o.consul, discovery.Registration{
		Service: "sites", Address: "127.0.0.1", Port: ln.Addr().(*net.TCPAddr).Port, Tags: []string{tag},
	})
	if err != nil {
		return "", err
	}
	b.deregister = dereg
	deadline := time.Now().Add(20 * time.Second)
	for {
		resp, err := http.Get("http://" + b.o.consul + "/v1/health/service/sites?passing=1&tag=" + tag)
		if err == nil {
			var entries []json.RawMessage
			_ = json.NewDecoder(resp.Body).Decode(&entries)
			resp.Body.Close()
			if len(entries) > 0 {
				return ln.Addr().String(), nil
			}
		}
		if time.Now().After(deadline) {
			return "", errors.New("the fake sites service never passed its Consul check")
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// call sends a signed request to tenancy and decodes the answer.
func (b *bench) call(method, path string, out any) (int, error) {
	req, err := http.NewRequestWithContext(b.ctx, method, "http://"+b.addr+path, nil)
	if err != nil {
		return 0, err
	}
	if err := b.signer.Apply(req.Header, method, path, &principal.Principal{KeyID: 1, KeyName: "bench", Permissions: []string{"*"}}); err != nil {
		return 0, err
	}
	resp, err := b.http.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode >= 300 {
		return resp.StatusCode, fmt.Errorf("%s %s: %d %s", method, path, resp.StatusCode, body)
	}
	if out != nil {
		return resp.StatusCode, json.Unmarshal(body, out)
	}
	return resp.StatusCode, nil
}

type status struct {
	State        string  `json:"state"`
	Step         *string `json:"step"`
	Error        *string `json:"error"`
	Ready        bool    `json:"ready"`
	DatabaseHost string  `json:"database_host"`
}

// waitReady polls the status of site id until ready or failed.
func (b *bench) waitReady(id int64, timeout time.Duration) (status, error) {
	deadline := time.Now().Add(timeout)
	for {
		var st status
		if _, err := b.call("GET", fmt.Sprintf("/wp-json/wu/v2/tenants/%d/migration-status", id), &st); err != nil {
			return st, err
		}
		switch {
		case st.State == "ready" && st.Ready:
			return st, nil
		case st.State == "failed":
			step, msg := "", ""
			if st.Step != nil {
				step = *st.Step
			}
			if st.Error != nil {
				msg = *st.Error
			}
			return st, fmt.Errorf("site %d failed at %s: %s", id, step, msg)
		case time.Now().After(deadline):
			return st, fmt.Errorf("site %d still %s after %v", id, st.State, timeout)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// populate fills site id's shared tables with about mb MiB (posts of ~1 KB
// of incompressible text, users and options) and returns their size.
func (b *bench) populate(id int64, mb int) (int64, int64, error) {
	if _, err := b.call("POST", fmt.Sprintf("/internal/v1/tenants/%d/shared-tables", id), nil); err != nil {
		return 0, 0, err
	}
	root := filepath.Join(b.dataDir, "sites", strconv.FormatInt(id, 10))
	if err := os.MkdirAll(filepath.Join(root, "medias"), 0o755); err != nil {
		return 0, 0, err
	}
	_ = os.WriteFile(filepath.Join(root, "medias", "logo.png"), []byte("png"), 0o644)
	p := fmt.Sprintf("s%d_", id)
	posts := mb * 1024 * 1024 / 1250 // rows of about 1.25 KB on disk with their index entries
	users := max(posts/20, 1)
	err := b.exec(b.hostingDB,
		fmt.Sprintf(`INSERT INTO %[1]susers (user_login, user_email, user_pass, display_name)
			SELECT 'user' || g, 'user' || g || '@example.com', md5(g::text), 'User ' || g FROM generate_series(1, %[2]d) g`, p, users),
		fmt.Sprintf(`INSERT INTO %[1]sposts (post_author, post_title, post_content, post_name, post_date)
			SELECT 1 + g %% %[3]d, 'Post ' || g,
				(SELECT string_agg(md5(g::text || ':' || i), ' ') FROM generate_series(1, 30) i),
				'post-' || g, '2020-01-01'::timestamptz + g * interval '1 minute'
			FROM generate_series(1, %[2]d) g`, p, posts, users),
		fmt.Sprintf(`INSERT INTO %[1]soptions (option_name, option_value) SELECT 'option_' || g, repeat('v', 200) FROM generate_series(1, 2000) g`, p),
		// Both contenders then read the same settled tables (hint bits set,
		// all visible): the first reader does not pay for the other.
		fmt.Sprintf(`VACUUM (FREEZE, ANALYZE) %[1]susers, %[1]sposts, %[1]soptions`, p),
	)
	if err != nil {
		return 0, 0, err
	}
	c, err := pgx.Connect(b.ctx, b.hostingDB)
	if err != nil {
		return 0, 0, err
	}
	defer c.Close(b.ctx)
	var size, rows int64
	err = c.QueryRow(b.ctx, `SELECT sum(pg_total_relation_size(c.oid))::bigint, sum(c.reltuples)::bigint FROM pg_class c
		JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND c.relkind = 'r' AND c.relname LIKE $1`,
		strings.ReplaceAll(p, "_", `\_`)+"%").Scan(&size, &rows)
	return size, rows, err
}

// checkpoint flushes every server, so that each contender starts from a
// clean server and none pays for what the one before it left dirty.
func (b *bench) checkpoint() error {
	for _, s := range b.servers {
		if err := b.exec(s, "CHECKPOINT"); err != nil {
			return err
		}
	}
	return nil
}

// loadavg is the machine's load average over 1, 5 and 15 minutes.
func loadavg() string {
	data, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	f := strings.Fields(string(data))
	if len(f) < 3 {
		return "?"
	}
	return strings.Join(f[:3], " ")
}

// dumpRestore times pg_dump of site id's tables into a fresh database
// (made beforehand, untimed: its CREATE DATABASE takes createdb).
func (b *bench) dumpRestore(id int64) (took, createdb time.Duration, err error) {
	name := "hp_bench_" + strings.TrimSuffix(b.prefix, "_") + "_dump"
	_ = b.exec(b.o.admin, "DROP DATABASE IF EXISTS "+name)
	if err := b.checkpoint(); err != nil {
		return 0, 0, err
	}
	t0 := time.Now()
	target, err := b.createDB(name)
	if err != nil {
		return 0, 0, err
	}
	createdb = time.Since(t0)
	b.dumpDB = target
	script := fmt.Sprintf(`set -o pipefail; pg_dump --no-owner --no-privileges -t 's%d_*' "$SRC" | psql -X -q -v ON_ERROR_STOP=1 "$DST" >/dev/null`, id)
	cmd := exec.Command("bash", "-c", script)
	cmd.Env = append(os.Environ(), "SRC="+b.hostingDB, "DST="+target)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	start := time.Now()
	if err := cmd.Run(); err != nil {
		return 0, 0, fmt.Errorf("pg_dump | psql: %v: %s", err, stderr.String())
	}
	took = time.Since(start)
	return took, createdb, b.exec(b.o.admin, "DROP DATABASE "+name)
}

// bigSite compares a bootstrap of a big site with pg_dump | psql.
func (b *bench) bigSite() error {
	const id = 1
	b.line("")
	b.line("== (1) bootstrap of a site with %d MiB in its tables vs pg_dump | psql (same tables, same server), %d rounds", b.o.mb, b.o.rounds)
	var dumps, boots, copies []time.Duration
	for r := 1; r <= b.o.rounds; r++ {
		size, rows, err := b.populate(id, b.o.mb)
		if err != nil {
			return err
		}
		dump, createdb, err := b.dumpRestore(id)
		if err != nil {
			return err
		}
		if err := b.checkpoint(); err != nil {
			return err
		}
		mark := b.logs.Len()
		start := time.Now()
		code, err := b.call("POST", fmt.Sprintf("/wp-json/wu/v2/tenants/%d/bootstrap", id), nil)
		if err != nil || code != 202 {
			return fmt.Errorf("bootstrap: %d %v", code, err)
		}
		st, err := b.waitReady(id, 10*time.Minute)
		if err != nil {
			return err
		}
		boot := time.Since(start)
		steps := b.logs.steps(mark, id)
		dumps, boots, copies = append(dumps, dump), append(boots, boot), append(copies, steps["copy"])
		b.line("round %d: %.1f MiB in %d rows; pg_dump | psql %s (its target's CREATE DATABASE beforehand, untimed: %s); bootstrap to ready %s (on %s; steps: %s); load average %s",
			r, float64(size)/(1<<20), rows, round(dump), round(createdb), round(boot), st.DatabaseHost, formatSteps(steps), loadavg())
		if _, err := b.call("DELETE", fmt.Sprintf("/wp-json/wu/v2/tenants/%d", id), nil); err != nil {
			return err
		}
		if err := os.RemoveAll(filepath.Join(b.dataDir, "sites", "1")); err != nil {
			return err
		}
	}
	md, mb, mc := median(dumps), median(boots), median(copies)
	verdict := "no slower: target met"
	if mb > md {
		verdict = fmt.Sprintf("%.0f%% slower: target missed", 100*(float64(mb)/float64(md)-1))
	}
	b.line("median: pg_dump | psql %s, bootstrap %s (its copy step %s) — bootstrap/dump = %.2f, %s", round(md), round(mb), round(mc), float64(mb)/float64(md), verdict)
	b.report.WriteString(fmt.Sprintf("BENCH tenancy_bootstrap_seconds=%.3f tenancy_dump_restore_seconds=%.3f tenancy_copy_step_seconds=%.3f\n", mb.Seconds(), md.Seconds(), mc.Seconds()))
	return nil
}

// many bootstraps -tenants small sites at once, then deletes them at once.
func (b *bench) many() error {
	n := b.o.tenants
	b.line("")
	b.line("== (2) %d tenants bootstrapped at once (200 posts each), then deleted at once", n)
	ids := make([]int64, n)
	for i := range ids {
		ids[i] = int64(1001 + i)
	}
	err := parallel(ids, 8, func(id int64) error {
		_, err := b.call("POST", fmt.Sprintf("/internal/v1/tenants/%d/shared-tables", id), nil)
		if err != nil {
			return err
		}
		p := fmt.Sprintf("s%d_", id)
		return b.exec(b.hostingDB,
			fmt.Sprintf(`INSERT INTO %[1]susers (user_login) SELECT 'u' || g FROM generate_series(1, 20) g`, p),
			fmt.Sprintf(`INSERT INTO %[1]sposts (post_author, post_title, post_content) SELECT 1 + g %% 20, 'Post ' || g, repeat('x', 500) FROM generate_series(1, 200) g`, p))
	})
	if err != nil {
		return err
	}
	start := time.Now()
	took := make([]time.Duration, n)
	hosts := map[string]int{}
	var mu sync.Mutex
	var failures []string
	err = parallel(ids, n, func(id int64) error {
		t0 := time.Now()
		code, err := b.call("POST", fmt.Sprintf("/wp-json/wu/v2/tenants/%d/bootstrap", id), nil)
		if err == nil && code != 202 {
			err = fmt.Errorf("bootstrap %d: %d", id, code)
		}
		var st status
		if err == nil {
			st, err = b.waitReady(id, 15*time.Minute)
		}
		mu.Lock()
		defer mu.Unlock()
		if err != nil {
			failures = append(failures, err.Error())
			return nil
		}
		took[id-1001] = time.Since(t0)
		hosts[st.DatabaseHost]++
		return nil
	})
	if err != nil {
		return err
	}
	wall := time.Since(start)
	sorted := slices.Clone(took)
	slices.Sort(sorted)
	b.line("%d/%d ready, %d failed, in %s (%.1f tenants/s); time to ready p50 %s, p95 %s, max %s; placement %v",
		n-len(failures), n, len(failures), round(wall), float64(n)/wall.Seconds(), round(pct(sorted, 50)), round(pct(sorted, 95)), round(sorted[n-1]), hosts)
	for _, f := range failures {
		b.line("  failure: %s", f)
	}
	start = time.Now()
	var delFailures []string
	_ = parallel(ids, n, func(id int64) error {
		if _, err := b.call("DELETE", fmt.Sprintf("/wp-json/wu/v2/tenants/%d", id), nil); err != nil {
			mu.Lock()
			delFailures = append(delFailures, err.Error())
			mu.Unlock()
		}
		return nil
	})
	left, err := b.leftovers()
	if err != nil {
		return err
	}
	b.line("deleted at once in %s: %d failures; databases and roles left: %d", round(time.Since(start)), len(delFailures), left)
	b.report.WriteString(fmt.Sprintf("BENCH tenancy_concurrent_tenants=%d tenancy_concurrent_failures=%d tenancy_concurrent_seconds=%.3f tenancy_left=%d\n", n, len(failures)+len(delFailures), wall.Seconds(), left))
	if len(failures) > 0 || len(delFailures) > 0 || left > 0 {
		return errors.New("concurrent tenants: failures (see above)")
	}
	return nil
}

// leftovers counts databases and roles named with the run's prefix.
func (b *bench) leftovers() (int, error) {
	total := 0
	for _, s := range b.servers {
		c, err := pgx.Connect(b.ctx, s)
		if err != nil {
			return 0, err
		}
		var n int
		err = c.QueryRow(b.ctx, `SELECT (SELECT count(*) FROM pg_database WHERE datname LIKE $1) + (SELECT count(*) FROM pg_roles WHERE rolname LIKE $1)`,
			strings.ReplaceAll(b.prefix, "_", `\_`)+"%").Scan(&n)
		c.Close(b.ctx)
		if err != nil {
			return 0, err
		}
		total += n
	}
	return total, nil
}

// cleanup stops tenancy and drops what the run made.
func (b *bench) cleanup() {
	if b.proc != nil && b.proc.Process != nil {
		_ = b.proc.Process.Signal(syscall.SIGTERM)
		done := make(chan struct{})
		go func() { _ = b.proc.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(15 * time.Second):
			_ = b.proc.Process.Kill()
			<-done
		}
	}
	if b.deregister != nil {
		_ = b.deregister(context.Background())
	}
	if b.sitesSrv != nil {
		_ = b.sitesSrv.Close()
	}
	ctx := context.Background()
	pattern := strings.ReplaceAll(b.prefix, "_", `\_`) + "%"
	for _, s := range b.servers {
		c, err := pgx.Connect(ctx, s)
		if err != nil {
			continue
		}
		for _, q := range []string{
			`SELECT 'DROP DATABASE IF EXISTS ' || quote_ident(datname) || ' WITH (FORCE)' FROM pg_database WHERE datname LIKE $1`,
			`SELECT 'DROP OWNED BY ' || quote_ident(rolname) FROM pg_roles WHERE rolname LIKE $1`,
			`SELECT 'DROP ROLE IF EXISTS ' || quote_ident(rolname) FROM pg_roles WHERE rolname LIKE $1`,
		} {
			rows, err := c.Query(ctx, q, pattern)
			if err != nil {
				continue
			}
			stmts, _ := pgx.CollectRows(rows, pgx.RowTo[string])
			for _, st := range stmts {
				_, _ = c.Exec(ctx, st)
			}
		}
		if s == b.o.admin {
			for _, d := range b.madeDBs {
				_, _ = c.Exec(ctx, "DROP DATABASE IF EXISTS "+d+" WITH (FORCE)")
			}
		}
		_ = c.Close(ctx)
	}
}

// parallel runs fn for every id, at most n at once; the first error wins.
func parallel(ids []int64, n int, fn func(int64) error) error {
	sem := make(chan struct{}, n)
	var wg sync.WaitGroup
	var mu sync.Mutex
	var first error
	for _, id := range ids {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			if err := fn(id); err != nil {
				mu.Lock()
				if first == nil {
					first = err
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	return first
}

func median(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	if len(s) == 0 {
		return 0
	}
	return s[len(s)/2]
}

func pct(sorted []time.Duration, p int) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := (len(sorted)*p + 99) / 100
	return sorted[max(0, min(i, len(sorted))-1)]
}

func round(d time.Duration) string { return d.Round(time.Millisecond).String() }

func formatSteps(steps map[string]time.Duration) string {
	var keys []string
	for k := range steps {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return stepOrder(keys[i]) < stepOrder(keys[j]) })
	var parts []string
	for _, k := range keys {
		parts = append(parts, k+" "+round(steps[k]))
	}
	return strings.Join(parts, ", ")
}

func stepOrder(s string) int {
	for i, x := range []string{"role", "database", "copy", "files", "drop_legacy", "routing", "verify"} {
		if x == s {
			return i
		}
	}
	return 99
}

// logLines collects the tenancy process's JSON log lines.
type logLines struct {
	mu    sync.Mutex
	lines []string
	part  []byte
}

func (l *logLines) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.part = append(l.part, p...)
	for {
		i := bytes.IndexByte(l.part, '\n')
		if i < 0 {
			break
		}
		l.lines = append(l.lines, string(l.part[:i]))
		l.part = l.part[i+1:]
	}
	return len(p), nil
}

func (l *logLines) Len() int { l.mu.Lock(); defer l.mu.Unlock(); return len(l.lines) }

func (l *logLines) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return strings.Join(l.lines, "\n")
}

// steps reads the "step done" lines of site id logged since line from.
func (l *logLines) steps(from int, id int64) map[string]time.Duration {
	l.mu.Lock()
	lines := slices.Clone(l.lines[from:])
	l.mu.Unlock()
	out := map[string]time.Duration{}
	for _, line := range lines {
		var e struct {
			Msg    string `json:"msg"`
			SiteID int64  `json:"site_id"`
			Step   string `json:"step"`
			Took   string `json:"took"`
		}
		if json.Unmarshal([]byte(line), &e) != nil || e.Msg != "tenants: step done" || e.SiteID != id {
			continue
		}
		if d, err := time.ParseDuration(e.Took); err == nil {
			out[e.Step] = d
		}
	}
	return out
}
