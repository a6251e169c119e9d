package discovery

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"sync"
	"sync/atomic"

	"github.com/go-kit/kit/sd"
	sdconsul "github.com/go-kit/kit/sd/consul"
	kitlog "github.com/go-kit/log"
	"github.com/hashicorp/consul/api"
)

// Consul is a Resolver that follows the passing instances of a fixed set of
// services in the Consul catalog. Each service has a go-kit sd/consul
// instancer, kept current by Consul blocking queries. When a query fails
// the last known instances are kept (and Err reports the failure) rather
// than dropped, so a Consul hiccup does not empty the gateway's upstreams.
type Consul struct {
	t       *table
	watches map[string]*watch
	cancel  context.CancelFunc
	tr      *http.Transport
	wg      sync.WaitGroup
	once    sync.Once
}

// watch follows one service.
type watch struct {
	instancer *sdconsul.Instancer
	events    chan sd.Event
	err       atomic.Pointer[error]
}

// NewConsul follows services in the Consul agent at consulAddr (host:port),
// keeping only instances that carry every tag of tags (an installation's
// tag keeps two installations sharing one Consul apart). It fails when the agent does not answer within ctx; on return each
// service's instances are loaded. logger may be nil. Close stops it.
func NewConsul(ctx context.Context, consulAddr string, services, tags []string, logger *slog.Logger) (*Consul, error) {
	if logger == nil {
		logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	client, tr, err := consulClient(consulAddr)
	if err != nil {
		return nil, err
	}
	if _, err := client.Status().LeaderWithQueryOptions((&api.QueryOptions{}).WithContext(ctx)); err != nil {
		tr.CloseIdleConnections()
		return nil, fmt.Errorf("discovery: consul agent at %s: %w", consulAddr, err)
	}
	// Blocking queries outlive ctx: they end when Close cancels qctx.
	qctx, cancel := context.WithCancel(context.Background())
	c := &Consul{t: newTable(), watches: make(map[string]*watch, len(services)), cancel: cancel, tr: tr}
	sdc := ctxClient{Client: sdconsul.NewClient(client), api: client, ctx: qctx}
	for _, service := range services {
		if _, dup := c.watches[service]; dup {
			continue
		}
		w := &watch{events: make(chan sd.Event, 1)}
		w.instancer = sdconsul.NewInstancer(sdc, kitLogger(logger), service, tags, true)
		// Register pushes the current state at once: apply it before
		// returning so that Instances is filled from the start.
		w.instancer.Register(w.events)
		c.apply(logger, service, w, <-w.events)
		c.watches[service] = w
		c.wg.Add(1)
		go func() {
			defer c.wg.Done()
			for ev := range w.events {
				c.apply(logger, service, w, ev)
			}
		}()
	}
	return c, nil
}

// apply records one instancer event of service.
func (c *Consul) apply(logger *slog.Logger, service string, w *watch, ev sd.Event) {
	if ev.Err != nil {
		err := ev.Err
		w.err.Store(&err)
		logger.Warn("consul discovery failed; keeping last instances", "service", service,
			"instances", len(c.t.instances(service)), "err", err)
		return
	}
	w.err.Store(nil)
	if c.t.set(service, ev.Instances) {
		logger.Info("instances changed", "service", service, "instances", c.t.instances(service))
	}
}

// Instances implements Resolver.
func (c *Consul) Instances(service string) []string { return c.t.instances(service) }

// Changed implements Watcher.
func (c *Consul) Changed(service string) <-chan struct{} { return c.t.changed(service) }

// Err is the error of the last catalog query for service, or nil when it
// succeeded (or the service is not followed).
func (c *Consul) Err(service string) error {
	if w := c.watches[service]; w != nil {
		if p := w.err.Load(); p != nil {
			return *p
		}
	}
	return nil
}

// Close stops following the catalog. It is safe to call more than once.
func (c *Consul) Close() error {
	c.once.Do(func() {
		for _, w := range c.watches {
			// Deregister first, while the reader still drains the channel:
			// the instancer sends to it under its own lock.
			w.instancer.Deregister(w.events)
			w.instancer.Stop()
		}
		c.cancel()
		for _, w := range c.watches {
			close(w.events)
		}
		c.wg.Wait()
		c.tr.CloseIdleConnections()
	})
	return nil
}

// ctxClient is go-kit's Consul client whose catalog queries carry a context,
// so that Close also ends the blocking query in flight.
type ctxClient struct {
	sdconsul.Client
	api *api.Client
	ctx context.Context
}

// Service implements sdconsul.Client.
func (c ctxClient) Service(service, tag string, passingOnly bool, q *api.QueryOptions) ([]*api.ServiceEntry, *api.QueryMeta, error) {
	if q == nil {
		q = &api.QueryOptions{}
	}
	return c.api.Health().Service(service, tag, passingOnly, q.WithContext(c.ctx))
}

// kitLogger adapts logger to go-kit's log interface for the instancers; they
// log every query failure, which apply already reports once per change.
func kitLogger(logger *slog.Logger) kitlog.Logger {
	return kitlog.LoggerFunc(func(keyvals ...any) error {
		logger.Debug("consul instancer", keyvals...)
		return nil
	})
}
