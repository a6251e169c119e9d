package component

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hostplane/hostplane/libs/principal"
	"github.com/hostplane/hostplane/libs/testenv"
)

const secret = "component-test-secret-0123456789"

func validConfig() Config {
	return Config{
		LogLevel:       "info",
		InternalSecret: secret,
		ConsulTag:      "hostplane",
		AdvertiseHost:  "127.0.0.1",
		MaxBodyBytes:   1 << 20,
		ShutdownGrace:  5 * time.Second,
	}
}

func TestConfigValidate(t *testing.T) {
	tests := []struct {
		name    string
		mod     func(*Config)
		wantErr string
	}{
		{"valid", func(*Config) {}, ""},
		{"secret of exactly 16", func(c *Config) { c.InternalSecret = strings.Repeat("s", 16) }, ""},
		{"no secret", func(c *Config) { c.InternalSecret = "" }, "HOSTPLANE_INTERNAL_SECRET"},
		{"short secret", func(c *Config) { c.InternalSecret = strings.Repeat("s", 15) }, "at least 16"},
		{"zero body limit", func(c *Config) { c.MaxBodyBytes = 0 }, "HOSTPLANE_MAX_BODY_BYTES"},
		{"negative body limit", func(c *Config) { c.MaxBodyBytes = -1 }, "HOSTPLANE_MAX_BODY_BYTES"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := validConfig()
			tt.mod(&cfg)
			err := cfg.Validate()
			if tt.wantErr == "" {
				if err != nil {
					t.Errorf("Validate = %v, want nil", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("Validate = %v, want an error mentioning %q", err, tt.wantErr)
			}
			if _, err := New(context.Background(), "x", cfg, io.Discard); err == nil {
				t.Error("New accepted an invalid configuration")
			}
		})
	}
}

// syncBuffer is a log sink safe for the server's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func TestNewAndLogConfig(t *testing.T) {
	var logs syncBuffer
	cfg := validConfig()
	rt, err := New(context.Background(), "billing", cfg, &logs)
	if err != nil {
		t.Fatal(err)
	}
	defer rt.Tracing.Shutdown(context.Background())
	if rt.Name != "billing" || rt.Metrics.Component != "billing" || rt.Health == nil || rt.Signer == nil || rt.Tracing == nil {
		t.Fatalf("runtime not wired: %+v", rt)
	}
	rt.LogConfig(map[string]string{"HOSTPLANE_ADDR": ":8082", "HOSTPLANE_INTERNAL_SECRET": "****"})
	var rec map[string]any
	if err := json.Unmarshal([]byte(logs.String()), &rec); err != nil {
		t.Fatalf("log %q: %v", logs.String(), err)
	}
	conf, _ := rec["config"].(map[string]any)
	if rec["component"] != "billing" || rec["msg"] != "configuration" || conf["HOSTPLANE_ADDR"] != ":8082" {
		t.Errorf("config record = %v", rec)
	}
	if strings.Contains(logs.String(), secret) {
		t.Error("the secret reached the log")
	}
}

func freeListener(t *testing.T) net.Listener {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	return ln
}

func waitFor(t *testing.T, d time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %s waiting for %s", d, what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// echoAPI answers with the caller's key id.
var echoAPI = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
	fmt.Fprintf(w, "key %d", principal.From(r.Context()).KeyID)
})

// serve runs rt.ServeListener in the background; stop cancels it and
// returns its error.
func serve(t *testing.T, rt *Runtime, ln net.Listener) (stop func() error) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- rt.ServeListener(ctx, ln, echoAPI) }()
	stopped := false
	var err error
	stop = func() error {
		if stopped {
			return err
		}
		stopped = true
		cancel()
		select {
		case err = <-done:
		case <-time.After(10 * time.Second):
			err = errors.New("ServeListener did not return after cancel")
		}
		return err
	}
	t.Cleanup(func() { _ = stop() })
	return stop
}

func get(t *testing.T, client *http.Client, url string, sign *principal.Signer) (int, string) {
	t.Helper()
	req, err := http.NewRequest("GET", url, nil)
	if err != nil {
		t.Fatal(err)
	}
	if sign != nil {
		if err := sign.Apply(req.Header, "GET", req.URL.Path, &principal.Principal{KeyID: 77}); err != nil {
			t.Fatal(err)
		}
	}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func newHTTPClient(t *testing.T) *http.Client {
	tr := &http.Transport{DisableKeepAlives: true}
	t.Cleanup(tr.CloseIdleConnections)
	return &http.Client{Transport: tr, Timeout: 5 * time.Second}
}

func TestServeWithoutConsul(t *testing.T) {
	rt, err := New(context.Background(), "sites", validConfig(), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	ln := freeListener(t)
	base := "http://" + ln.Addr().String()
	stop := serve(t, rt, ln)
	client := newHTTPClient(t)

	waitFor(t, 5*time.Second, "the server to answer /healthz", func() bool {
		resp, err := client.Get(base + "/healthz")
		if err != nil {
			return false
		}
		resp.Body.Close()
		return resp.StatusCode == 200
	})
	if code, body := get(t, client, base+"/readyz", nil); code != 200 || !strings.Contains(body, `"status":"ok"`) {
		t.Errorf("/readyz = %d %s", code, body)
	}
	if code, body := get(t, client, base+"/wp-json/wu/v2/sites", nil); code != 401 || !strings.Contains(body, "rest_forbidden") {
		t.Errorf("unsigned API call = %d %s, want 401 in wu shape", code, body)
	}
	if code, body := get(t, client, base+"/internal/x", principal.NewSigner("some-other-secret-123")); code != 401 {
		t.Errorf("forged API call = %d %s, want 401", code, body)
	}
	if code, body := get(t, client, base+"/internal/x", rt.Signer); code != 200 || body != "key 77" {
		t.Errorf("signed API call = %d %q, want 200 \"key 77\"", code, body)
	}
	if code, body := get(t, client, base+"/metrics", nil); code != 200 ||
		!strings.Contains(body, `hostplane_sites_http_requests_total{method="GET",route="unmatched",status="200"} 1`) {
		t.Errorf("/metrics = %d, want the component's request counter:\n%s", code, body)
	}
	if err := stop(); err != nil {
		t.Errorf("ServeListener = %v, want nil after cancel", err)
	}
	if _, err := net.DialTimeout("tcp", ln.Addr().String(), 200*time.Millisecond); err == nil {
		t.Error("still accepting connections after shutdown")
	}
}

func TestServeListenError(t *testing.T) {
	rt, err := New(context.Background(), "sites", validConfig(), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	ln := freeListener(t)
	defer ln.Close()
	if err := rt.Serve(context.Background(), ln.Addr().String(), echoAPI); err == nil || !strings.Contains(err.Error(), "listen") {
		t.Errorf("Serve on a busy address = %v, want a listen error", err)
	}
}

func TestServeConsulUnreachable(t *testing.T) {
	cfg := validConfig()
	dead := freeListener(t)
	cfg.ConsulAddr = dead.Addr().String()
	dead.Close()
	rt, err := New(context.Background(), "sites", cfg, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	ln := freeListener(t)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	err = rt.ServeListener(ctx, ln, echoAPI)
	if err == nil || !strings.Contains(err.Error(), "register in consul") {
		t.Fatalf("ServeListener = %v, want a registration error", err)
	}
	if c, err := net.DialTimeout("tcp", ln.Addr().String(), 200*time.Millisecond); err == nil {
		c.Close()
		t.Error("the listener was left open after the registration failed")
	}
}

// With SkipRegister (Nomad registers the task itself) the component serves
// without ever calling Consul, even an unreachable one.
func TestServeSkipRegister(t *testing.T) {
	cfg := validConfig()
	dead := freeListener(t)
	cfg.ConsulAddr = dead.Addr().String()
	dead.Close()
	cfg.SkipRegister = true
	rt, err := New(context.Background(), "sites", cfg, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	ln := freeListener(t)
	stop := serve(t, rt, ln)
	resp, err := http.Get("http://" + ln.Addr().String() + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Errorf("/healthz = %d, want 200", resp.StatusCode)
	}
	if err := stop(); err != nil {
		t.Fatalf("ServeListener = %v, want nil after cancel", err)
	}
}

// consulEntry is the part of /v1/health/service we check.
type consulEntry struct {
	Service struct {
		ID      string
		Service string
		Address string
		Port    int
		Tags    []string
	}
	Checks []struct {
		CheckID string
		Status  string
	}
}

func healthService(t *testing.T, consul, service, query string) []consulEntry {
	t.Helper()
	resp, err := http.Get("http://" + consul + "/v1/health/service/" + service + "?" + query)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("consul health query: %s", resp.Status)
	}
	var out []consulEntry
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestServeRegistersInConsul(t *testing.T) {
	consul := testenv.NeedConsul(t)
	suffix := strings.ToLower(rand.Text()[:10])
	name := "comptest-" + suffix
	tag := "hp-test-" + suffix
	cfg := validConfig()
	cfg.ConsulAddr = consul
	cfg.ConsulTag = tag
	rt, err := New(context.Background(), name, cfg, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	ln := freeListener(t)
	port := ln.Addr().(*net.TCPAddr).Port
	wantID := name + "-127.0.0.1-" + strconv.Itoa(port)
	stop := serve(t, rt, ln)

	var entries []consulEntry
	waitFor(t, 15*time.Second, "the instance to pass its check in Consul", func() bool {
		entries = healthService(t, consul, name, "passing&tag="+tag)
		return len(entries) == 1
	})
	e := entries[0]
	if e.Service.ID != wantID || e.Service.Address != "127.0.0.1" || e.Service.Port != port {
		t.Errorf("registered %+v, want id %s at 127.0.0.1:%d", e.Service, wantID, port)
	}
	if len(e.Service.Tags) != 1 || e.Service.Tags[0] != tag {
		t.Errorf("tags = %v, want [%s]", e.Service.Tags, tag)
	}
	var checked bool
	for _, c := range e.Checks {
		if c.CheckID == "service:"+wantID {
			checked = c.Status == "passing"
		}
	}
	if !checked {
		t.Errorf("checks = %+v, want the readiness check passing", e.Checks)
	}
	// Another installation's tag does not see it.
	if other := healthService(t, consul, name, "passing&tag=hp-other-"+suffix); len(other) != 0 {
		t.Errorf("visible under another tag: %+v", other)
	}

	if err := stop(); err != nil {
		t.Fatalf("ServeListener = %v, want nil after cancel", err)
	}
	waitFor(t, 5*time.Second, "the instance to be deregistered", func() bool {
		return len(healthService(t, consul, name, "")) == 0
	})
}

func TestHandlerServesDeclaredPublicRoutesUnsigned(t *testing.T) {
	rt, err := New(context.Background(), "stats", validConfig(), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	defer rt.Tracing.Shutdown(context.Background())
	api := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "principal %v", principal.From(r.Context()) != nil)
	})
	rt.Public("POST /collect")
	h := rt.Handler(api)
	for _, tt := range []struct {
		method, path string
		want         int
	}{
		{"POST", "/collect", 200},
		{"GET", "/collect", 401},
		{"POST", "/v1/sites.json", 401},
	} {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(tt.method, tt.path, nil))
		if rec.Code != tt.want {
			t.Errorf("unsigned %s %s = %d %s, want %d", tt.method, tt.path, rec.Code, rec.Body, tt.want)
		}
	}
}
