package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/hostplane/hostplane/gateway"
	"github.com/hostplane/hostplane/libs/component"
	"github.com/hostplane/hostplane/libs/config"
	"github.com/hostplane/hostplane/libs/events"
	"github.com/hostplane/hostplane/libs/keyevents"
	"github.com/hostplane/hostplane/services/auth"
	"github.com/hostplane/hostplane/services/billing"
	"github.com/hostplane/hostplane/services/sites"
	"github.com/hostplane/hostplane/services/stats"
	"github.com/hostplane/hostplane/services/tenancy"
)

// devPorts are the single-node mode's default ports.
func devPorts() map[string]string {
	return map[string]string{
		"gateway": "8080", "auth": "8081", "billing": "8082", "sites": "8083", "tenancy": "8084", "stats": "8085",
	}
}

// devEnv layers single-node defaults under the real environment: loopback
// addresses, a shared internal secret, static routing to wherever each
// service listens.
func devEnv(getenv func(string) string, host string, secret string) func(string) string {
	defaults := map[string]string{"HOSTPLANE_INTERNAL_SECRET": secret}
	for name, port := range devPorts() {
		defaults["HOSTPLANE_"+strings.ToUpper(name)+"_ADDR"] = host + ":" + port
	}
	layered := func(k string) string {
		if v := getenv(k); v != "" {
			return v
		}
		return defaults[k]
	}
	var ups []string
	for name := range devPorts() {
		if name == "gateway" {
			continue
		}
		addr := layered("HOSTPLANE_" + strings.ToUpper(name) + "_ADDR")
		if h, p, err := net.SplitHostPort(addr); err == nil && (h == "" || h == "0.0.0.0" || h == "::") {
			addr = net.JoinHostPort("127.0.0.1", p)
		}
		ups = append(ups, name+"="+addr)
	}
	sort.Strings(ups)
	defaults["HOSTPLANE_UPSTREAMS"] = strings.Join(ups, ",")
	return layered
}

// randomToken returns n random bytes in hex.
func randomToken(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

func runDev(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	fs := flag.NewFlagSet("dev", flag.ContinueOnError)
	fs.SetOutput(stderr)
	host := fs.String("host", "127.0.0.1", "address every component listens on")
	logFile := fs.String("log", "", "write the components' JSON logs to this file instead of stderr")
	if err := fs.Parse(args); err != nil {
		return usageError{err.Error()}
	}
	env := devEnv(getenv, *host, randomToken(24))
	rootKey, rootSecret := env("HOSTPLANE_ROOT_API_KEY"), env("HOSTPLANE_ROOT_API_SECRET")
	if (rootKey == "") != (rootSecret == "") {
		return usageError{"set both HOSTPLANE_ROOT_API_KEY and HOSTPLANE_ROOT_API_SECRET, or neither"}
	}
	if rootKey == "" {
		rootKey, rootSecret = "hp_root_"+randomToken(6), randomToken(24)
	}
	env = withRoot(env, rootKey, rootSecret)
	env, err := withTenancyKey(env)
	if err != nil {
		return err
	}

	var logOut io.Writer = stderr
	if *logFile != "" {
		f, err := os.OpenFile(*logFile, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
		if err != nil {
			return err
		}
		defer f.Close()
		logOut = f
	}

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var bus keyevents.Bus
	var eventBus *events.Local // domain events between services, without Redis
	if env("HOSTPLANE_REDIS_URL") == "" {
		bus = keyevents.NewLocal()
		eventBus = events.NewLocal()
	}

	var wg sync.WaitGroup
	errc := make(chan error, 8)
	serve := func(name string, f func() error) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := f(); err != nil && ctx.Err() == nil {
				errc <- fmt.Errorf("%s: %w", name, err)
			}
		}()
	}
	var closers []func()
	defer func() {
		for _, c := range closers {
			c()
		}
	}()

	if err := startService(ctx, env, logOut, serve, auth.Name, func(c *auth.Config) (component.Config, string) { return c.Config, c.Addr },
		func(ctx context.Context, c auth.Config, rt *component.Runtime) (http.Handler, func(), error) {
			a, err := auth.New(ctx, c, rt, auth.Deps{Bus: bus, Version: version})
			if err != nil {
				return nil, nil, err
			}
			return a.API, a.Close, nil
		}); err != nil {
		return err
	}
	if err := startService(ctx, env, logOut, serve, billing.Name, func(c *billing.Config) (component.Config, string) { return c.Config, c.Addr },
		func(ctx context.Context, c billing.Config, rt *component.Runtime) (http.Handler, func(), error) {
			a, err := billing.New(ctx, c, rt, billing.Deps{Events: eventBus})
			if err != nil {
				return nil, nil, err
			}
			return a.API, a.Close, nil
		}); err != nil {
		return err
	}
	if err := startService(ctx, env, logOut, serve, sites.Name, func(c *sites.Config) (component.Config, string) { return c.Config, c.Addr },
		func(ctx context.Context, c sites.Config, rt *component.Runtime) (http.Handler, func(), error) {
			a, err := sites.New(ctx, c, rt, sites.Deps{Events: eventBus})
			if err != nil {
				return nil, nil, err
			}
			return a.API, a.Close, nil
		}); err != nil {
		return err
	}
	if err := startService(ctx, env, logOut, serve, tenancy.Name, func(c *tenancy.Config) (component.Config, string) { return c.Config, c.Addr },
		func(ctx context.Context, c tenancy.Config, rt *component.Runtime) (http.Handler, func(), error) {
			a, err := tenancy.New(ctx, c, rt, tenancy.Deps{Bus: eventBus})
			if err != nil {
				return nil, nil, err
			}
			return a.API, a.Close, nil
		}); err != nil {
		return err
	}
	if err := startService(ctx, env, logOut, serve, stats.Name, func(c *stats.Config) (component.Config, string) { return c.Config, c.Addr },
		func(ctx context.Context, c stats.Config, rt *component.Runtime) (http.Handler, func(), error) {
			a, err := stats.New(ctx, c, rt, stats.Deps{Events: eventBus})
			if err != nil {
				return nil, nil, err
			}
			return a.API, a.Close, nil
		}); err != nil {
		return err
	}

	// gateway
	var gwCfg gateway.Config
	if err := config.Load(&gwCfg, nil, env); err != nil {
		return err
	}
	gwRT, err := component.New(ctx, gateway.Name, gwCfg.Config, logOut)
	if err != nil {
		return err
	}
	gw, gwClose, err := gateway.New(ctx, gwCfg, gwRT, gateway.Deps{Bus: bus})
	if err != nil {
		return err
	}
	closers = append(closers, gwClose)
	ln, err := net.Listen("tcp", gwCfg.Addr)
	if err != nil {
		return fmt.Errorf("gateway: listen %s: %w", gwCfg.Addr, err)
	}
	serve("gateway", func() error { return gw.Serve(ctx, ln) })

	base := "http://" + ln.Addr().String()
	if err := waitReady(ctx, base+"/readyz", 15*time.Second); err != nil {
		cancel()
		wg.Wait()
		return err
	}
	credsPath, err := writeDevCredentials(devCredentials{Addr: base, APIKey: rootKey, APISecret: rootSecret})
	if err == nil { // auth: for `hostplane settings`, which bypasses the gateway
		err = saveDevAuthAccess(credsPath, devAuthAccess{InternalSecret: env("HOSTPLANE_INTERNAL_SECRET"), AuthAddr: dialAddr(env("HOSTPLANE_AUTH_ADDR"))})
	}
	if err != nil {
		fmt.Fprintln(stderr, "hostplane: could not save the root credentials:", err)
	}
	printBanner(stdout, base, rootKey, rootSecret, credsPath, env("HOSTPLANE_DATABASE_URL") != "")

	select {
	case <-ctx.Done():
	case err := <-errc:
		cancel()
		wg.Wait()
		return err
	}
	wg.Wait()
	if credsPath != "" {
		_ = os.Remove(credsPath)
	}
	return nil
}

// withRoot makes the root credential visible to the auth service.
func withRoot(env func(string) string, key, secret string) func(string) string {
	return overlay(env, map[string]string{"HOSTPLANE_ROOT_API_KEY": key, "HOSTPLANE_ROOT_API_SECRET": secret})
}

// overlay answers vars' values for their names and env's for the rest.
func overlay(env func(string) string, vars map[string]string) func(string) string {
	return func(k string) string {
		if v, ok := vars[k]; ok {
			return v
		}
		return env(k)
	}
}

// startService loads a service's configuration, builds it and serves it in
// the background; the service's resources are released when it stops.
func startService[C any](ctx context.Context, env func(string) string, logOut io.Writer, serve func(string, func() error), name string,
	parts func(*C) (component.Config, string),
	build func(context.Context, C, *component.Runtime) (http.Handler, func(), error)) error {
	var cfg C
	if err := config.Load(&cfg, nil, env); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	common, addr := parts(&cfg)
	b, err := component.Build(ctx, name, common, &cfg, logOut, func(rt *component.Runtime) (http.Handler, func(), error) {
		return build(ctx, cfg, rt)
	})
	if err != nil {
		return err
	}
	serve(name, func() error { return b.Serve(ctx, addr) })
	return nil
}

func waitReady(ctx context.Context, url string, timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	c := &http.Client{Timeout: time.Second}
	for {
		resp, err := c.Get(url)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		if time.Now().After(deadline) {
			return errors.New("the gateway did not become ready in time (see the logs)")
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
}

func printBanner(w io.Writer, base, key, secret, credsPath string, persistent bool) {
	storage := "in memory (set HOSTPLANE_DATABASE_URL to keep data)"
	if persistent {
		storage = "PostgreSQL"
	}
	fmt.Fprintf(w, `
Hostplane is running (single-node mode, storage: %s).

  gateway   %s
  root key  api_key=%s  api_secret=%s

Try it (each dialect, each way to present the key):

  curl -u '%s:%s' %s/wp-json/wu/v2/customers
  curl '%s/wp-json/wu/v2/auth?api_key=%s&api_secret=%s'
  curl -H 'Authorization: Bearer %s.%s' %s/api/application/health
  curl -H 'Authorization: token %s.%s' %s/v1/rate.json

Create a key for an integration (in another terminal):

  bin/hostplane create-api-key "My integration" ops@example.com --permissions='*'

`, storage, base, key, secret, key, secret, base, base, key, secret, key, secret, base, key, secret, base)
	if credsPath != "" {
		fmt.Fprintf(w, "(the root credentials are saved in %s for create-api-key; HOSTPLANE_ROOT_API_KEY/SECRET override them)\n", credsPath)
	}
	fmt.Fprintf(w, "API documentation: %s/api/documentation\nStop with Ctrl-C.\n", base)
}
