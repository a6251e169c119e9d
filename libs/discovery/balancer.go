package discovery

import (
	"sync/atomic"

	"github.com/hostplane/hostplane/libs/errs"
)

// Balancer picks instances of one service in round robin. It is safe for
// concurrent use and takes no lock: one atomic add per pick.
type Balancer struct {
	resolver Resolver
	service  string
	next     atomic.Uint64
}

// NewBalancer balances over r's instances of service.
func NewBalancer(r Resolver, service string) *Balancer {
	return &Balancer{resolver: r, service: service}
}

// Service is the name of the balanced service.
func (b *Balancer) Service() string { return b.service }

// Next returns the next instance (host:port), or an errs.Unavailable error
// when the service has no healthy instance.
func (b *Balancer) Next() (string, error) {
	addrs := b.resolver.Instances(b.service)
	if len(addrs) == 0 {
		return "", errs.New(errs.Unavailable, "no instance of %s", b.service)
	}
	n := b.next.Add(1) - 1
	return addrs[n%uint64(len(addrs))], nil
}

// NextExcept returns the next instance other than tried, for one retry of a
// request that failed on tried; an errs.Unavailable error when there is none.
func (b *Balancer) NextExcept(tried string) (string, error) {
	addrs := b.resolver.Instances(b.service)
	if len(addrs) == 0 {
		return "", errs.New(errs.Unavailable, "no instance of %s", b.service)
	}
	n := b.next.Add(1) - 1
	l := uint64(len(addrs))
	for i := range l {
		if a := addrs[(n+i)%l]; a != tried {
			return a, nil
		}
	}
	return "", errs.New(errs.Unavailable, "no other instance of %s", b.service)
}
