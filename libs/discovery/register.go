package discovery

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strconv"
	"time"

	"github.com/hashicorp/consul/api"
)

// Defaults for a Registration's zero fields.
const (
	DefaultCheckPath       = "/readyz"
	DefaultCheckInterval   = 2 * time.Second
	DefaultDeregisterAfter = time.Minute
)

// Registration describes one instance of a service for the Consul agent.
type Registration struct {
	Service string // service name, e.g. "billing"
	ID      string // instance id; default "<service>-<address>-<port>"
	Address string // address the instance listens on, as others reach it
	Port    int
	Tags    []string
	Meta    map[string]string
	// CheckPath is the path of the HTTP readiness check (default /readyz).
	CheckPath string
	// CheckInterval is how often Consul calls it (default 2s).
	CheckInterval time.Duration
	// DeregisterAfter removes an instance critical for that long (default 1m).
	DeregisterAfter time.Duration
}

// withDefaults validates r and fills in its zero fields.
func (r Registration) withDefaults() (Registration, error) {
	switch {
	case r.Service == "":
		return r, errors.New("discovery: registration without a service name")
	case r.Address == "":
		return r, fmt.Errorf("discovery: registration of %s without an address", r.Service)
	case r.Port <= 0 || r.Port > 65535:
		return r, fmt.Errorf("discovery: registration of %s with port %d", r.Service, r.Port)
	}
	if r.ID == "" {
		r.ID = r.Service + "-" + r.Address + "-" + strconv.Itoa(r.Port)
	}
	if r.CheckPath == "" {
		r.CheckPath = DefaultCheckPath
	}
	if r.CheckInterval <= 0 {
		r.CheckInterval = DefaultCheckInterval
	}
	if r.DeregisterAfter <= 0 {
		r.DeregisterAfter = DefaultDeregisterAfter
	}
	return r, nil
}

// CheckURL is the URL Consul's HTTP check calls.
func (r Registration) CheckURL() string {
	path := r.CheckPath
	if path == "" {
		path = DefaultCheckPath
	}
	return "http://" + net.JoinHostPort(r.Address, strconv.Itoa(r.Port)) + path
}

// agentRegistration is r as the Consul agent API takes it.
func (r Registration) agentRegistration() *api.AgentServiceRegistration {
	timeout := r.CheckInterval
	if timeout > 10*time.Second {
		timeout = 10 * time.Second
	}
	return &api.AgentServiceRegistration{
		ID:      r.ID,
		Name:    r.Service,
		Address: r.Address,
		Port:    r.Port,
		Tags:    r.Tags,
		Meta:    r.Meta,
		Check: &api.AgentServiceCheck{
			CheckID:                        "service:" + r.ID,
			Name:                           r.Service + " readiness",
			HTTP:                           r.CheckURL(),
			Method:                         "GET",
			Interval:                       r.CheckInterval.String(),
			Timeout:                        timeout.String(),
			DeregisterCriticalServiceAfter: r.DeregisterAfter.String(),
		},
	}
}

// Register registers reg with the Consul agent at consulAddr (host:port),
// with an HTTP check on reg's readiness endpoint. The instance becomes
// visible to resolvers once that check passes. The returned function
// deregisters the instance; call it on shutdown before the server stops.
func Register(ctx context.Context, consulAddr string, reg Registration) (deregister func(context.Context) error, err error) {
	reg, err = reg.withDefaults()
	if err != nil {
		return nil, err
	}
	c, tr, err := consulClient(consulAddr)
	if err != nil {
		return nil, err
	}
	opts := api.ServiceRegisterOpts{ReplaceExistingChecks: true}.WithContext(ctx)
	if err := c.Agent().ServiceRegisterOpts(reg.agentRegistration(), opts); err != nil {
		tr.CloseIdleConnections()
		return nil, fmt.Errorf("discovery: register %s at consul %s: %w", reg.ID, consulAddr, err)
	}
	return func(ctx context.Context) error {
		defer tr.CloseIdleConnections()
		q := (&api.QueryOptions{}).WithContext(ctx)
		if err := c.Agent().ServiceDeregisterOpts(reg.ID, q); err != nil {
			return fmt.Errorf("discovery: deregister %s at consul %s: %w", reg.ID, consulAddr, err)
		}
		return nil
	}, nil
}
