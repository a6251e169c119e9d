// Package component is what every Hostplane service process shares at run
// time: its common configuration, logger, metrics registry, tracer, health
// checks and principal signer, and Serve, which runs the HTTP server, keeps
// the service registered in Consul while it runs and drains on shutdown.
package component

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"time"

	"github.com/hostplane/hostplane/libs/discovery"
	"github.com/hostplane/hostplane/libs/httpkit"
	"github.com/hostplane/hostplane/libs/principal"
	"github.com/hostplane/hostplane/libs/telemetry"
)

// Config is the configuration every component shares.
type Config struct {
	LogLevel       string        `env:"HOSTPLANE_LOG_LEVEL" flag:"log-level" default:"info" usage:"debug, info, warn or error"`
	InternalSecret string        `env:"HOSTPLANE_INTERNAL_SECRET" secret:"true" usage:"HMAC secret of the gateway's signed principal"`
	ConsulAddr     string        `env:"CONSUL_HTTP_ADDR" usage:"Consul agent (host:port); empty: static routing"`
	Upstreams      string        `env:"HOSTPLANE_UPSTREAMS" usage:"static addresses of sibling services without Consul: billing=127.0.0.1:8082,sites=127.0.0.1:8083"`
	ConsulTag      string        `env:"HOSTPLANE_CONSUL_TAG" default:"hostplane" usage:"tag of this installation's instances in Consul"`
	SkipRegister   bool          `env:"HOSTPLANE_CONSUL_SKIP_REGISTER" usage:"find siblings in Consul but leave registering this instance to the scheduler (Nomad)"`
	OTLPEndpoint   string        `env:"OTEL_EXPORTER_OTLP_ENDPOINT" usage:"OTLP/HTTP endpoint for traces"`
	AdvertiseHost  string        `env:"HOSTPLANE_ADVERTISE_HOST" default:"127.0.0.1" usage:"address registered in Consul; auto: this host's first non-loopback address"`
	MaxBodyBytes   int64         `env:"HOSTPLANE_MAX_BODY_BYTES" default:"1048576" usage:"request body limit (413 above)"`
	PprofAddr      string        `env:"HOSTPLANE_PPROF_ADDR" usage:"serve /debug/pprof on this address (e.g. 127.0.0.1:6060); empty: off"`
	ShutdownGrace  time.Duration `env:"HOSTPLANE_SHUTDOWN_GRACE" default:"20s" usage:"how long in-flight requests may drain"`
}

// Validate checks the shared configuration.
func (c *Config) Validate() error {
	if len(c.InternalSecret) < 16 {
		return errors.New("HOSTPLANE_INTERNAL_SECRET must be set (at least 16 characters)")
	}
	if _, err := ParseUpstreams(c.Upstreams); err != nil {
		return fmt.Errorf("HOSTPLANE_UPSTREAMS: %w", err)
	}
	if c.MaxBodyBytes <= 0 {
		return errors.New("HOSTPLANE_MAX_BODY_BYTES must be positive")
	}
	return nil
}

// Runtime is a running component's shared machinery.
type Runtime struct {
	Name    string
	Config  Config
	Log     *slog.Logger
	Metrics *telemetry.Metrics
	Tracing *telemetry.Tracing
	Health  *httpkit.Health
	Signer  *principal.Signer

	up     upstreams
	public []string
}

// New builds the runtime of component name, logging JSON to logOut.
func New(ctx context.Context, name string, cfg Config, logOut io.Writer) (*Runtime, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	tr, err := telemetry.NewTracing(ctx, name, telemetry.TracingOptions{Endpoint: cfg.OTLPEndpoint})
	if err != nil {
		return nil, err
	}
	return &Runtime{
		Name:    name,
		Config:  cfg,
		Log:     telemetry.NewLogger(logOut, name, telemetry.ParseLevel(cfg.LogLevel)),
		Metrics: telemetry.NewMetrics(name),
		Tracing: tr,
		Health:  httpkit.NewHealth(),
		Signer:  principal.NewSigner(cfg.InternalSecret),
	}, nil
}

// LogConfig logs a configuration with its secrets masked.
func (rt *Runtime) LogConfig(cfg map[string]string) {
	attrs := make([]any, 0, len(cfg)*2)
	for k, v := range cfg {
		attrs = append(attrs, k, v)
	}
	rt.Log.Info("configuration", slog.Group("config", attrs...))
}

// Handler wraps api in the service middleware stack with /healthz,
// /readyz and /metrics.
func (rt *Runtime) Handler(api http.Handler) http.Handler {
	return httpkit.NewServiceHandler(httpkit.ServiceOptions{
		Log: rt.Log, Metrics: rt.Metrics, Tracing: rt.Tracing, Health: rt.Health,
		Signer: rt.Signer, MaxBody: rt.Config.MaxBodyBytes, API: api, Public: rt.public,
	})
}

// Public declares routes of the API that Handler serves without the
// gateway's signed principal, as ServeMux patterns ("POST /collect"): the
// public routes of the gateway's table, which it forwards unauthenticated.
// Call it while wiring, before Handler.
func (rt *Runtime) Public(patterns ...string) {
	rt.public = append(rt.public, patterns...)
}

// Serve listens on addr and serves api until ctx ends. While it runs the
// instance is registered in Consul (when configured) with an HTTP check on
// /readyz; on shutdown it turns unready, deregisters, and drains.
func (rt *Runtime) Serve(ctx context.Context, addr string, api http.Handler) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("%s: listen %s: %w", rt.Name, addr, err)
	}
	return rt.ServeListener(ctx, ln, api)
}

// ServeListener is Serve on an open listener.
func (rt *Runtime) ServeListener(ctx context.Context, ln net.Listener, api http.Handler) error {
	defer func() {
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = rt.Tracing.Shutdown(sctx)
	}()
	var deregister func(context.Context) error
	if rt.Config.ConsulAddr != "" && !rt.Config.SkipRegister {
		port := ln.Addr().(*net.TCPAddr).Port
		host, err := advertiseHost(rt.Config.AdvertiseHost)
		if err != nil {
			_ = ln.Close()
			return err
		}
		reg := discovery.Registration{
			Service: rt.Name,
			ID:      rt.Name + "-" + host + "-" + strconv.Itoa(port),
			Address: host,
			Port:    port,
			Tags:    []string{rt.Config.ConsulTag},
		}
		d, err := discovery.Register(ctx, rt.Config.ConsulAddr, reg)
		if err != nil {
			_ = ln.Close()
			return fmt.Errorf("%s: register in consul: %w", rt.Name, err)
		}
		deregister = d
		rt.Log.Info("registered in consul", "id", reg.ID)
	}
	rt.StartPprof(ctx)
	cfg := httpkit.DefaultServerConfig(ln.Addr().String())
	cfg.ShutdownTimeout = rt.Config.ShutdownGrace
	return httpkit.ServeListener(ctx, ln, cfg, rt.Handler(api), rt.Log, func() {
		rt.Health.Drain()
		if deregister != nil {
			dctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
			defer cancel()
			if err := deregister(dctx); err != nil {
				rt.Log.Warn("consul deregistration failed", "err", err)
			}
		}
	})
}

// advertiseHost resolves "auto" to the first non-loopback IPv4 address (the
// container's address under docker compose or Nomad).
func advertiseHost(h string) (string, error) {
	if h != "auto" {
		return h, nil
	}
	addrs, err := net.InterfaceAddrs()
	if err != nil {
		return "", fmt.Errorf("advertise host: %w", err)
	}
	for _, a := range addrs {
		if ip, ok := a.(*net.IPNet); ok && !ip.IP.IsLoopback() && ip.IP.To4() != nil {
			return ip.IP.String(), nil
		}
	}
	return "", errors.New("advertise host: no non-loopback IPv4 address; set HOSTPLANE_ADVERTISE_HOST")
}
