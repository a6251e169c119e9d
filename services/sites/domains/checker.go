package domains

import (
	"context"
	"crypto/tls"
	"log/slog"
	"net"
	"slices"
	"time"
)

// Resolver looks host names up (net.DefaultResolver in production, a fake
// in tests).
type Resolver interface {
	LookupHost(ctx context.Context, host string) ([]string, error)
}

// Prober checks that host serves a valid certificate for itself.
type Prober interface {
	Probe(ctx context.Context, host string) error
}

// TLSProber dials host:443 and verifies its certificate chain and name.
type TLSProber struct{ Timeout time.Duration }

// Probe dials and handshakes.
func (p TLSProber) Probe(ctx context.Context, host string) error {
	timeout := p.Timeout
	if timeout <= 0 {
		timeout = 5 * time.Second
	}
	d := &tls.Dialer{NetDialer: &net.Dialer{Timeout: timeout}, Config: &tls.Config{ServerName: host, MinVersion: tls.VersionTLS12}}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	c, err := d.DialContext(ctx, "tcp", net.JoinHostPort(host, "443"))
	if err != nil {
		return err
	}
	return c.Close()
}

// Checker moves domains through their stages:
//
//	checking-dns → checking-ssl-cert   when the name resolves (to one of
//	                                   Targets, when set)
//	checking-dns → failed              after MaxDNSAttempts
//	checking-ssl-cert → done           when the certificate is valid (secure)
//	checking-ssl-cert → done-without-ssl   when it is not, for a mapping not
//	                                   created secure (at once)
//	checking-ssl-cert → ssl-failed     after MaxSSLAttempts, for a secure one
type Checker struct {
	Store    Store
	Resolver Resolver
	Prober   Prober
	// Targets are the addresses a name must resolve to (empty: any).
	Targets []string
	// Interval between checks of one domain (1 min when 0).
	Interval time.Duration
	// MaxDNSAttempts and MaxSSLAttempts bound the checks of each stage (60
	// and 10 when 0).
	MaxDNSAttempts, MaxSSLAttempts int
	Log                            *slog.Logger
	Now                            func() time.Time
}

func (c *Checker) defaults() {
	if c.Interval <= 0 {
		c.Interval = time.Minute
	}
	if c.MaxDNSAttempts <= 0 {
		c.MaxDNSAttempts = 60
	}
	if c.MaxSSLAttempts <= 0 {
		c.MaxSSLAttempts = 10
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.Log == nil {
		c.Log = slog.New(slog.DiscardHandler)
	}
}

// Run checks due domains every tick (the first a tick after it starts)
// until ctx ends.
func (c *Checker) Run(ctx context.Context, tick time.Duration) {
	c.defaults()
	if tick <= 0 {
		tick = 5 * time.Second
	}
	t := time.NewTicker(tick)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		if _, err := c.Once(ctx); err != nil && ctx.Err() == nil {
			c.Log.Warn("domain check failed", "err", err)
		}
	}
}

// Once checks every due domain once and returns how many it checked.
func (c *Checker) Once(ctx context.Context) (int, error) {
	c.defaults()
	due, err := c.Store.Due(ctx, c.Now().UTC(), 2*c.Interval, 50)
	if err != nil {
		return 0, err
	}
	for _, d := range due {
		stage, secure := c.next(ctx, d)
		now := c.Now().UTC().Truncate(time.Second)
		if _, err := c.Store.Update(ctx, d.ID, func(x *Domain) error {
			if x.Stage != d.Stage { // changed meanwhile by a caller
				return nil
			}
			if stage == x.Stage {
				x.Attempts++
			} else {
				x.Stage, x.Attempts, x.DateModified = stage, 0, now
			}
			x.Secure = secure
			x.NextCheck = now.Add(c.Interval)
			if x.Stage == StageCheckingSSL && d.Stage == StageCheckingDNS {
				x.NextCheck = now // check the certificate at once
			}
			return nil
		}); err != nil {
			c.Log.Warn("domain check: save failed", "domain_id", d.ID, "err", err)
		}
	}
	return len(due), nil
}

// next is the stage (and secure flag) one check gives d.
func (c *Checker) next(ctx context.Context, d Domain) (string, bool) {
	switch d.Stage {
	case StageCheckingDNS:
		addrs, err := c.Resolver.LookupHost(ctx, d.Name)
		if err == nil && len(addrs) > 0 && (len(c.Targets) == 0 || slices.ContainsFunc(addrs, func(a string) bool { return slices.Contains(c.Targets, a) })) {
			return StageCheckingSSL, d.Secure
		}
		if d.Attempts+1 >= c.MaxDNSAttempts {
			return StageFailed, d.Secure
		}
		return StageCheckingDNS, d.Secure
	case StageCheckingSSL:
		if err := c.Prober.Probe(ctx, d.Name); err == nil {
			return StageDone, true
		}
		if !d.SSLRequired {
			return StageDoneWithoutSSL, false
		}
		if d.Attempts+1 >= c.MaxSSLAttempts {
			return StageSSLFailed, false
		}
		return StageCheckingSSL, d.Secure
	}
	return d.Stage, d.Secure
}
