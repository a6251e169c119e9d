package component

import (
	"context"
	"fmt"
	"strings"
	"sync"

	"github.com/hostplane/hostplane/libs/discovery"
	"github.com/hostplane/hostplane/libs/upstream"
)

// upstreams caches the clients of sibling services.
type upstreams struct {
	mu      sync.Mutex
	clients map[string]*upstream.Client
	closers []func()
}

// Upstream returns a client of a sibling service (its Go client packages
// wrap it), found in Consul when CONSUL_HTTP_ADDR is set, else in the
// static HOSTPLANE_UPSTREAMS map ("billing=127.0.0.1:8082|…,sites=…").
func (rt *Runtime) Upstream(ctx context.Context, service string) (*upstream.Client, error) {
	rt.up.mu.Lock()
	defer rt.up.mu.Unlock()
	if c, ok := rt.up.clients[service]; ok {
		return c, nil
	}
	var resolver discovery.Resolver
	if rt.Config.ConsulAddr != "" {
		c, err := discovery.NewConsul(ctx, rt.Config.ConsulAddr, []string{service}, []string{rt.Config.ConsulTag}, rt.Log)
		if err != nil {
			return nil, fmt.Errorf("%s: discover %s: %w", rt.Name, service, err)
		}
		rt.up.closers = append(rt.up.closers, func() { _ = c.Close() })
		resolver = c
	} else {
		m, err := ParseUpstreams(rt.Config.Upstreams)
		if err != nil {
			return nil, err
		}
		if len(m[service]) == 0 {
			return nil, fmt.Errorf("%s: no address of %s: set CONSUL_HTTP_ADDR or HOSTPLANE_UPSTREAMS", rt.Name, service)
		}
		resolver = discovery.NewStatic(m)
	}
	c := upstream.New(service, discovery.NewBalancer(resolver, service), rt.Signer, upstream.Options{Tracing: rt.Tracing})
	if rt.up.clients == nil {
		rt.up.clients = map[string]*upstream.Client{}
	}
	rt.up.clients[service] = c
	return c, nil
}

// CloseUpstreams stops the discovery watches of Upstream clients.
func (rt *Runtime) CloseUpstreams() {
	rt.up.mu.Lock()
	defer rt.up.mu.Unlock()
	for _, c := range rt.up.closers {
		c()
	}
	rt.up.closers = nil
	rt.up.clients = nil
}

// ParseUpstreams parses "svc=host:port|host:port,svc2=host:port".
func ParseUpstreams(s string) (map[string][]string, error) {
	out := map[string][]string{}
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		name, addrs, ok := strings.Cut(part, "=")
		if !ok || name == "" || addrs == "" {
			return nil, fmt.Errorf("upstreams %q: want service=host:port", part)
		}
		for _, a := range strings.Split(addrs, "|") {
			if a = strings.TrimSpace(a); a != "" {
				out[name] = append(out[name], a)
			}
		}
	}
	return out, nil
}
