package tenancy_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hostplane/hostplane/libs/component"
	"github.com/hostplane/hostplane/libs/errs"
	"github.com/hostplane/hostplane/libs/pgkit/pgtest"
	"github.com/hostplane/hostplane/libs/principal"
	"github.com/hostplane/hostplane/libs/telemetry"
	"github.com/hostplane/hostplane/libs/testenv"
	"github.com/hostplane/hostplane/services/tenancy"
	"github.com/hostplane/hostplane/services/tenancy/routing"
	"github.com/hostplane/hostplane/services/tenancy/secretbox"
	"github.com/hostplane/hostplane/services/tenancy/tenancytest"
	"github.com/hostplane/hostplane/services/tenancy/tenants"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
)

// sites is a fake sites service: sites by id, scoped by customer.
type sites struct {
	mu sync.Mutex
	m  map[int64]tenants.Site
}

func (s *sites) Site(ctx context.Context, id int64) (tenants.Site, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	site, ok := s.m[id]
	if scope := principal.CustomerScope(ctx); !ok || scope != 0 && scope != site.CustomerID {
		return tenants.Site{}, errs.NotFoundResource("site", "")
	}
	return site, nil
}

func (s *sites) add(site tenants.Site) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.m[site.ID] = site
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}
func (s *syncBuffer) String() string { s.mu.Lock(); defer s.mu.Unlock(); return s.b.String() }

// stack is the tenancy service behind the real middleware stack, against
// real PostgreSQL servers and Consul, with a fake sites service.
type stack struct {
	t       *testing.T
	env     *tenancytest.Env
	app     *tenancy.App
	h       http.Handler
	sites   *sites
	dataDir string
	box     *secretbox.Box
	kv      *routing.Consul
	logs    *syncBuffer
	spans   *tracetest.InMemoryExporter
	bodies  syncBuffer
}

var testKey = bytes.Repeat([]byte{0x42}, 32)

func newStack(t *testing.T, needSecond bool, deps tenancy.Deps) *stack {
	t.Helper()
	env := tenancytest.New(t, needSecond)
	consul := testenv.NeedConsul(t)
	ctx := context.Background()
	s := &stack{t: t, env: env, dataDir: t.TempDir(), logs: &syncBuffer{}, spans: tracetest.NewInMemoryExporter(),
		sites: &sites{m: map[int64]tenants.Site{}}}
	box, err := secretbox.New(testKey)
	if err != nil {
		t.Fatal(err)
	}
	s.box = box
	cfg := tenancy.Config{
		Config:      component.Config{InternalSecret: secret, MaxBodyBytes: 1 << 20, LogLevel: "debug", ConsulAddr: consul},
		DatabaseURL: pgtest.Fresh(t), HostingURL: env.HostingURL, TenantServerURLs: strings.Join(env.ServerURLs, ","),
		Key: fmt.Sprintf("%x", testKey), DataDir: s.dataDir, NamePrefix: env.Prefix,
		KVPrefix: "hostplane-test/" + env.Prefix + "/", Workers: 4, DeleteWait: 300 * time.Millisecond,
	}
	s.kv = &routing.Consul{Addr: consul, Prefix: cfg.KVPrefix}
	rt, err := component.New(ctx, tenancy.Name, cfg.Config, s.logs)
	if err != nil {
		t.Fatal(err)
	}
	if rt.Tracing, err = telemetry.NewTracing(ctx, tenancy.Name, telemetry.TracingOptions{Exporter: s.spans, Synchronous: true}); err != nil {
		t.Fatal(err)
	}
	if deps.Sites == nil {
		deps.Sites = s.sites
	}
	app, err := tenancy.New(ctx, cfg, rt, deps)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(app.Close)
	s.app, s.h = app, rt.Handler(app.API)
	return s
}

var root = &principal.Principal{KeyID: 1, KeyName: "root", Permissions: []string{"*"}}

// do sends a signed request and decodes a JSON object answer.
func (s *stack) do(method, path, body string, p *principal.Principal) (int, map[string]any) {
	s.t.Helper()
	req := httptest.NewRequest(method, path, strings.NewReader(body))
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if err := principal.NewSigner(secret).Apply(req.Header, method, req.URL.Path, p); err != nil {
		s.t.Fatal(err)
	}
	rec := httptest.NewRecorder()
	s.h.ServeHTTP(rec, req)
	b, _ := io.ReadAll(rec.Body)
	s.bodies.Write(b)
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		s.t.Fatalf("%s %s: %d %s", method, path, rec.Code, b)
	}
	return rec.Code, m
}

// site registers a site with a root holding one file, and its shared
// tables with rows posts (and as many users and options).
func (s *stack) site(id, customer int64, rows int) {
	s.t.Helper()
	dir := filepath.Join(s.dataDir, "sites", fmt.Sprint(id))
	if err := os.MkdirAll(filepath.Join(dir, "medias"), 0o755); err != nil {
		s.t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "medias", "logo.png"), []byte(fmt.Sprint("logo of ", id)), 0o644); err != nil {
		s.t.Fatal(err)
	}
	s.sites.add(tenants.Site{ID: id, CustomerID: customer, Code: fmt.Sprint("site-", id), Root: dir})
	code, m := s.do(http.MethodPost, fmt.Sprintf("/internal/v1/tenants/%d/shared-tables", id), "", root)
	if code != 200 {
		s.t.Fatalf("shared tables: %d %v", code, m)
	}
	p := fmt.Sprintf("s%d_", id)
	tenancytest.Exec(s.t, s.env.HostingURL,
		fmt.Sprintf(`INSERT INTO %[1]susers (user_login, user_email, display_name)
			SELECT 'user' || g, 'user' || g || '@example.com', 'User ' || g FROM generate_series(1, %[2]d) g`, p, rows),
		fmt.Sprintf(`INSERT INTO %[1]sposts (post_author, post_title, post_content, post_name, post_date)
			SELECT g, 'Post ' || g, repeat('Lorem ipsum ' || g || E'\t\n', 20), 'post-' || g, '2026-01-01'::timestamptz + g * interval '1 minute'
			FROM generate_series(1, %[2]d) g`, p, rows),
		fmt.Sprintf(`INSERT INTO %[1]soptions (option_name, option_value) SELECT 'opt' || g, 'value ' || g FROM generate_series(1, %[2]d) g`, p, rows),
	)
}

// snapshot is the text of every row of site id's tables in database u.
func snapshot(t *testing.T, u string, id int64) []string {
	t.Helper()
	var out []string
	for _, tb := range []string{"options", "posts", "users"} {
		out = append(out, tenancytest.Rows(t, u, fmt.Sprintf(`SELECT '%[1]s ' || r::text FROM s%[2]d_%[1]s r ORDER BY 1`, tb, id))...)
	}
	return out
}

// waitState polls migration-status until state is one of want.
func (s *stack) waitState(id int64, want ...string) map[string]any {
	s.t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for {
		_, m := s.do(http.MethodGet, fmt.Sprintf("/wp-json/wu/v2/tenants/%d/migration-status", id), "", root)
		for _, w := range want {
			if m["state"] == w {
				return m
			}
		}
		if time.Now().After(deadline) {
			s.t.Fatalf("site %d: state %v, want %v: %v", id, m["state"], want, m)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// password unseals site id's role password from the registry.
func (s *stack) password(id int64) string {
	s.t.Helper()
	tn, err := s.app.Store.Get(context.Background(), id)
	if err != nil {
		s.t.Fatal(err)
	}
	pw, err := s.box.Open(tn.SealedPassword, []byte(fmt.Sprintf("tenant:%d:%s", id, tn.Placement.Role)))
	if err != nil {
		s.t.Fatal(err)
	}
	return string(pw)
}

// serverOf is the admin URL of the server site id was placed on.
func (s *stack) serverOf(id int64) string {
	s.t.Helper()
	tn, err := s.app.Store.Get(context.Background(), id)
	if err != nil {
		s.t.Fatal(err)
	}
	for _, u := range s.env.ServerURLs {
		h := tenancytest.Host(u)
		if strings.HasPrefix(h, "localhost:") {
			h = "127.0.0.1:" + strings.TrimPrefix(h, "localhost:")
		}
		if h == tn.Placement.Server {
			return u
		}
	}
	s.t.Fatalf("site %d on unknown server %s", id, tn.Placement.Server)
	return ""
}

func (s *stack) name(id int64) string { return fmt.Sprint(s.env.Prefix, id) }
