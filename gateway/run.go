package gateway

import (
	"context"
	"fmt"
	"io"
	"net"
	"runtime/debug"
	"time"

	"github.com/hostplane/hostplane/gateway/authcache"
	"github.com/hostplane/hostplane/gateway/docs"
	"github.com/hostplane/hostplane/gateway/h1server"
	"github.com/hostplane/hostplane/gateway/proxy"
	"github.com/hostplane/hostplane/gateway/ratelimit"
	"github.com/hostplane/hostplane/gateway/routes"
	"github.com/hostplane/hostplane/libs/component"
	"github.com/hostplane/hostplane/libs/config"
	"github.com/hostplane/hostplane/libs/discovery"
	"github.com/hostplane/hostplane/libs/httpkit"
	"github.com/hostplane/hostplane/libs/keyevents"
	"github.com/hostplane/hostplane/libs/redisx"
	"github.com/hostplane/hostplane/libs/upstream"
	authclient "github.com/hostplane/hostplane/services/auth/client"
	statsclient "github.com/hostplane/hostplane/services/stats/client"
)

// Name is the gateway's component name.
const Name = "gateway"

// Deps are what a caller may provide instead of the configured ones.
type Deps struct {
	// Bus delivers key revocations (single-node mode shares one in process).
	Bus keyevents.Bus
	// Resolver finds upstream instances (default: Consul or static config).
	Resolver discovery.Resolver
}

// New wires a gateway. The returned close func releases its connections.
func New(ctx context.Context, cfg Config, rt *component.Runtime, deps Deps) (*Gateway, func(), error) {
	var closers []func()
	closeAll := func() {
		for i := len(closers) - 1; i >= 0; i-- {
			closers[i]()
		}
	}
	fail := func(err error) (*Gateway, func(), error) { closeAll(); return nil, nil, err }

	table, err := routes.New(routes.Default())
	if err != nil {
		return fail(err)
	}
	resolver := deps.Resolver
	if resolver == nil {
		if cfg.ConsulAddr != "" {
			c, err := discovery.NewConsul(ctx, cfg.ConsulAddr, routes.Upstreams, []string{cfg.ConsulTag}, rt.Log)
			if err != nil {
				return fail(err)
			}
			closers = append(closers, func() { _ = c.Close() })
			resolver = c
		} else {
			m, _ := component.ParseUpstreams(cfg.Upstreams)
			resolver = discovery.NewStatic(m)
		}
	}
	pickers := map[string]*discovery.Balancer{}
	for _, s := range routes.Upstreams {
		pickers[s] = discovery.NewBalancer(resolver, s)
	}

	auth := authclient.New(upstream.New(routes.Auth, pickers[routes.Auth], rt.Signer, upstream.Options{Timeout: 5 * time.Second, Tracing: rt.Tracing}))
	cache := authcache.New(func(ctx context.Context, key, secret string) (*authcache.Identity, error) {
		id, err := auth.Verify(ctx, key, secret)
		if err != nil {
			return nil, err
		}
		return &authcache.Identity{
			KeyID: id.KeyID, AccountID: id.AccountID, Name: id.Name, APIKey: id.APIKey,
			Permissions: id.Permissions, CustomerID: id.CustomerID,
			RateLimit: id.RateLimit, RatePeriod: id.RatePeriod, ExpiresAt: id.ExpiresAt,
			AllowedIPs: id.AllowedIPs,
		}, nil
	}, authcache.Options{Prepare: prepare})

	local := ratelimit.NewLocal(nil)
	go local.RunSweeper(ctx, time.Minute)
	var limiter ratelimit.Limiter = local
	var fallback *ratelimit.Fallback
	bus := deps.Bus
	if cfg.RedisURL != "" {
		hot, err := redisx.Open(cfg.RedisURL, redisx.Options{Timeout: cfg.LimiterTimeout, FailFast: true, PoolSize: 256})
		if err != nil {
			return fail(err)
		}
		closers = append(closers, func() { _ = hot.Close() })
		fallback = &ratelimit.Fallback{
			Primary:   &ratelimit.Leased{Shared: ratelimit.NewRedis(hot, "hostplane:rl:")},
			Secondary: local,
			Backoff:   cfg.LimiterBackoff, Log: rt.Log,
		}
		limiter = fallback
		if bus == nil {
			bc, err := redisx.Open(cfg.RedisURL, redisx.Options{Timeout: 2 * time.Second})
			if err != nil {
				return fail(err)
			}
			closers = append(closers, func() { _ = bc.Close() })
			rb := keyevents.NewRedis(bc)
			rb.OnReconnect = cache.Flush
			bus = rb
		}
	}
	if bus != nil {
		if err := bus.Subscribe(ctx, cache.Revoke); err != nil {
			// Cached answers still expire after 30 s; say so and go on.
			rt.Log.Warn("revocation broadcast unavailable: revoked keys may be served from cache for up to 30 s", "err", err)
		}
	}

	var degraded func() (bool, string)
	if fallback != nil {
		degraded = fallback.Degraded
	}
	defLimit, _ := ParseLimit(cfg.DefaultRateLimit)
	failLimit, _ := ParseLimit(cfg.AuthFailureLimit)
	g := &Gateway{
		cfg: cfg, rt: rt, table: table, cache: cache, limiter: limiter, fallback: fallback,
		fwd:      proxy.New(proxy.Options{Timeout: cfg.UpstreamTimeout}),
		resolver: resolver, pickers: pickers,
		health:       newUpstreamHealth(routes.Upstreams, resolver, degraded),
		defaultLimit: defLimit, failLimit: failLimit, blocked: map[string]time.Time{},
		smallInts: newIntValues(64),
	}
	g.metrics = newGatewayMetrics(rt.Metrics.Registry, cache, resolver)
	g.trusted, _ = parsePrefixes(cfg.TrustedProxies)
	g.settings = &gatewaySettings{}
	go g.settings.run(ctx, auth, 500*time.Millisecond, rt.Log)
	g.activity = newActivityLog(100_000, rt.Metrics.Registry)
	go g.activity.run(ctx, auth, time.Second, rt.Log)
	g.usage = newUsageLog(100_000, rt.Metrics.Registry)
	stats := statsclient.New(upstream.New(routes.Stats, pickers[routes.Stats], rt.Signer, upstream.Options{Timeout: 5 * time.Second, Tracing: rt.Tracing}))
	go g.usage.run(ctx, stats, time.Second, rt.Log)
	g.idle = newIdleTrim()
	go g.idle.run(ctx, 2*time.Second)
	if fallback != nil {
		fallback.OnChange = func(d bool) {
			if d {
				g.metrics.fallback.Set(1)
			} else {
				g.metrics.fallback.Set(0)
			}
		}
		rt.Health.Add(httpkit.Check{Name: "rate_limiter", Fn: func(context.Context) (string, error) {
			if d, why := fallback.Degraded(); d {
				return "in-process fallback", fmt.Errorf("redis unreachable: %s", why)
			}
			return "redis", nil
		}})
	} else {
		rt.Health.Add(httpkit.Check{Name: "rate_limiter", Fn: func(context.Context) (string, error) { return "in-process", nil }})
	}
	for _, s := range routes.Upstreams {
		rt.Health.Add(httpkit.Check{Name: "upstream:" + s, Critical: s == routes.Auth, Fn: func(context.Context) (string, error) {
			n := len(resolver.Instances(s))
			if n == 0 {
				return "", fmt.Errorf("no instance of %s", s)
			}
			return fmt.Sprintf("%d instance(s)", n), nil
		}})
	}
	d, err := docs.New(table, docs.Options{Title: cfg.Name + " API", Version: "1"})
	if err != nil {
		return fail(err)
	}
	g.docs = d
	return g, closeAll, nil
}

// Run runs a gateway until ctx ends.
func Run(ctx context.Context, cfg Config, logOut io.Writer) error {
	rt, err := component.New(ctx, Name, cfg.Config, logOut)
	if err != nil {
		return err
	}
	rt.LogConfig(config.Masked(&cfg))
	if cfg.GCPercent > 0 {
		// A gateway's live heap is a few MB while it allocates some KB per
		// request: at the runtime's default it collects several times a
		// second under load, each cycle a pause and a share of the CPU that
		// requests wait for. A larger target trades some MB of heap under
		// load for a fraction of the cycles; the heap goes back to the OS
		// when the gateway idles (idle.go). Only a gateway's own process:
		// `hostplane dev` shares its process with the services.
		debug.SetGCPercent(cfg.GCPercent)
	}
	g, closeAll, err := New(ctx, cfg, rt, Deps{})
	if err != nil {
		return err
	}
	defer closeAll()
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("gateway: listen %s: %w", cfg.Addr, err)
	}
	return g.Serve(ctx, ln)
}

// Serve serves the gateway on ln until ctx ends, then drains.
func (g *Gateway) Serve(ctx context.Context, ln net.Listener) error {
	g.rt.StartPprof(ctx)
	scfg := httpkit.DefaultServerConfig(ln.Addr().String())
	scfg.WriteTimeout = g.cfg.UpstreamTimeout + 5*time.Second
	scfg.ShutdownTimeout = g.rt.Config.ShutdownGrace
	h := httpkit.Chain(g, httpkit.Recover(g.rt.Log), httpkit.LimitBody(g.rt.Config.MaxBodyBytes))
	if g.cfg.StdServer {
		return httpkit.ServeListener(ctx, ln, scfg, h, g.rt.Log, g.rt.Health.Drain)
	}
	srv := &h1server.Server{
		Handler: h, ReadHeaderTimeout: scfg.ReadHeaderTimeout, ReadTimeout: scfg.ReadTimeout,
		WriteTimeout: scfg.WriteTimeout, IdleTimeout: scfg.IdleTimeout,
		MaxHeaderBytes: httpkit.MaxHeaderBytes, Log: g.rt.Log,
	}
	return httpkit.ServeWith(ctx, ln, srv, scfg.ShutdownTimeout, g.rt.Log, g.rt.Health.Drain)
}
