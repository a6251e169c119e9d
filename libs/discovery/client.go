package discovery

import (
	"fmt"
	"net/http"

	"github.com/hashicorp/consul/api"
)

// consulClient is a Consul API client for the agent at addr (host:port, or a
// URL with scheme), and the transport to close when done with it. Settings
// such as CONSUL_HTTP_TOKEN come from the environment as usual.
func consulClient(addr string) (*api.Client, *http.Transport, error) {
	cfg := api.DefaultConfig()
	if addr != "" {
		cfg.Address = addr
	}
	c, err := api.NewClient(cfg)
	if err != nil {
		return nil, nil, fmt.Errorf("discovery: consul client for %q: %w", addr, err)
	}
	return c, cfg.Transport, nil
}

// withConsul runs fn with a client for addr and then drops its idle
// connections, so that one-off calls leave no pooled connection behind.
func withConsul(addr string, fn func(*api.Client) error) error {
	c, tr, err := consulClient(addr)
	if err != nil {
		return err
	}
	if tr != nil {
		defer tr.CloseIdleConnections()
	}
	return fn(c)
}
