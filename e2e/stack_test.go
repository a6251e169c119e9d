package e2e

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/hostplane/hostplane/libs/pgkit/pgtest"
	"github.com/hostplane/hostplane/libs/testenv"
)

// proc is one running component.
type proc struct {
	name, addr string
	cmd        *exec.Cmd
	out        *logBuffer
	done       chan struct{}
}

type logBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}
func (l *logBuffer) String() string { l.mu.Lock(); defer l.mu.Unlock(); return l.b.String() }

// stack is a running installation.
type stack struct {
	t          *testing.T
	bin        string
	env        []string
	procs      []*proc
	gatewayURL string
	rootKey    string
	rootSecret string
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// binary returns bin/hostplane, building it when HOSTPLANE_BIN is unset.
func binary(t *testing.T) string {
	t.Helper()
	if b := os.Getenv("HOSTPLANE_BIN"); b != "" {
		return b
	}
	out := filepath.Join(t.TempDir(), "hostplane")
	cmd := exec.Command("go", "build", "-o", out, "github.com/hostplane/hostplane/cmd/hostplane")
	cmd.Dir = ".."
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("build hostplane: %v\n%s", err, b)
	}
	return out
}

// startStack starts auth, billing (replicas), sites, tenancy, stats and the
// gateway as separate processes against fresh databases, the real Redis and
// the real Consul (with a tag of its own, so nothing else registered there
// is routed to).
func startStack(t *testing.T, billingReplicas int) *stack {
	t.Helper()
	testenv.NeedPostgres(t)
	redisURL := testenv.NeedRedis(t)
	consul := testenv.NeedConsul(t)
	s := &stack{t: t, bin: binary(t), rootKey: "hp_root_" + randomHex(6), rootSecret: randomHex(24)}
	s.env = append(os.Environ(),
		"HOSTPLANE_INTERNAL_SECRET="+randomHex(24),
		"HOSTPLANE_REDIS_URL="+redisURL,
		"CONSUL_HTTP_ADDR="+consul,
		"HOSTPLANE_CONSUL_TAG=e2e-"+randomHex(4),
		"HOSTPLANE_LOG_LEVEL=debug",
		"HOSTPLANE_SHUTDOWN_GRACE=2s",
		"HOSTPLANE_AUTH_DATABASE_URL="+pgtest.Fresh(t),
		"HOSTPLANE_BILLING_DATABASE_URL="+pgtest.Fresh(t),
		"HOSTPLANE_SITES_DATABASE_URL="+pgtest.Fresh(t),
		"HOSTPLANE_DATA_DIR="+t.TempDir(),
		"HOSTPLANE_ROOT_API_KEY="+s.rootKey,
		"HOSTPLANE_ROOT_API_SECRET="+s.rootSecret,
	)
	s.env = append(s.env, tenancyEnv(t)...)
	s.env = append(s.env, statsEnv(t)...)
	t.Cleanup(s.stop)
	s.start("auth", "")
	for range billingReplicas {
		s.start("billing", "")
	}
	s.start("sites", "")
	s.start("tenancy", "")
	s.start("stats", "")
	gw := s.start("gateway", "")
	s.gatewayURL = "http://" + gw.addr
	s.waitInstances(map[string]int{"auth": 1, "billing": billingReplicas, "sites": 1, "tenancy": 1, "stats": 1})
	return s
}

// start runs one component; addr "" picks a free port.
func (s *stack) start(name, addr string) *proc {
	s.t.Helper()
	if addr == "" {
		addr = freeAddr(s.t)
	}
	p := &proc{name: name, addr: addr, out: &logBuffer{}, done: make(chan struct{})}
	p.cmd = exec.Command(s.bin, name, "--addr="+addr)
	p.cmd.Env = s.env
	p.cmd.Stdout, p.cmd.Stderr = p.out, p.out
	if err := p.cmd.Start(); err != nil {
		s.t.Fatalf("start %s: %v", name, err)
	}
	go func() { _ = p.cmd.Wait(); close(p.done) }()
	s.procs = append(s.procs, p)
	deadline := time.Now().Add(30 * time.Second)
	for {
		resp, err := http.Get("http://" + addr + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 || name == "gateway" {
				return p
			}
		}
		select {
		case <-p.done:
			s.t.Fatalf("%s exited at start:\n%s", name, p.out.String())
		default:
		}
		if time.Now().After(deadline) {
			s.t.Fatalf("%s not ready in 30 s:\n%s", name, p.out.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// waitInstances waits until the gateway sees the given instance counts.
func (s *stack) waitInstances(want map[string]int) {
	s.t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		resp, body := s.request("GET", "/api/application/health", bearer(s.rootKey, s.rootSecret), nil)
		ok := resp.StatusCode == 200
		for svc, n := range want {
			if !strings.Contains(body, fmt.Sprintf(`"%s":{"status":"ok","instances":%d`, svc, n)) {
				ok = false
			}
		}
		if ok {
			return
		}
		if time.Now().After(deadline) {
			s.t.Fatalf("gateway never saw %v: %s", want, body)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

func (s *stack) proc(name string, index int) *proc {
	i := 0
	for _, p := range s.procs {
		if p.name == name {
			if i == index {
				return p
			}
			i++
		}
	}
	s.t.Fatalf("no %s #%d", name, index)
	return nil
}

// kill stops a component abruptly (SIGKILL: no drain, no deregistration).
func (s *stack) kill(p *proc) {
	_ = p.cmd.Process.Signal(syscall.SIGKILL)
	<-p.done
}

func (s *stack) stop() {
	for _, p := range s.procs {
		select {
		case <-p.done:
			continue
		default:
		}
		_ = p.cmd.Process.Signal(syscall.SIGTERM)
	}
	for _, p := range s.procs {
		select {
		case <-p.done:
		case <-time.After(10 * time.Second):
			_ = p.cmd.Process.Kill()
			<-p.done
		}
	}
	if s.t.Failed() {
		for _, p := range s.procs {
			s.t.Logf("--- %s (%s) logs:\n%s", p.name, p.addr, tail(p.out.String(), 4000))
		}
	}
}

func tail(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return "…" + s[len(s)-n:]
}

// logs is every process's output so far.
func (s *stack) logs() string {
	var b strings.Builder
	for _, p := range s.procs {
		b.WriteString(p.out.String())
	}
	return b.String()
}

// auth decorates a request with a credential presentation.
type auth func(*http.Request)

func basic(k, s string) auth { return func(r *http.Request) { r.SetBasicAuth(k, s) } }
func bearer(k, s string) auth {
	return func(r *http.Request) { r.Header.Set("Authorization", "Bearer "+k+"."+s) }
}
func token(k, s string) auth {
	return func(r *http.Request) { r.Header.Set("Authorization", "token "+k+"."+s) }
}
func query(k, s string) auth {
	return func(r *http.Request) {
		q := r.URL.Query()
		q.Set("api_key", k)
		q.Set("api_secret", s)
		r.URL.RawQuery = q.Encode()
	}
}

var client = &http.Client{Timeout: 10 * time.Second}

// request sends method path (relative to the gateway) with a JSON body.
func (s *stack) request(method, path string, a auth, body any, headers ...string) (*http.Response, string) {
	s.t.Helper()
	return do(s.t, method, s.gatewayURL+path, a, body, headers...)
}

func do(t *testing.T, method, url string, a auth, body any, headers ...string) (*http.Response, string) {
	t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	case []byte:
		rd = bytes.NewReader(b)
	default:
		t.Fatalf("body type %T", body)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, method, url, rd)
	if err != nil {
		t.Fatal(err)
	}
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	if a != nil {
		a(req)
	}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}
