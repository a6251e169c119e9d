// Package gateway is Hostplane's only public door: it authenticates every
// presentation of an API key, checks the route's permission, applies per-key
// rate limits (GCRA in Redis, in-process when Redis is away), and proxies to
// a healthy instance of the owning service with the caller's principal
// signed onto the request. Errors come back in the dialect of the path.
package gateway

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/hostplane/hostplane/gateway/ratelimit"
	"github.com/hostplane/hostplane/libs/component"
)

// Config configures a gateway.
type Config struct {
	component.Config
	Addr             string        `env:"HOSTPLANE_GATEWAY_ADDR" flag:"addr" default:":8080" usage:"listen address"`
	Name             string        `env:"HOSTPLANE_NAME" default:"Hostplane" usage:"installation name (wu /auth label)"`
	RedisURL         string        `env:"HOSTPLANE_REDIS_URL" usage:"Redis for shared rate limits and revocations; empty: in-process"`
	DefaultRateLimit string        `env:"HOSTPLANE_RATE_LIMIT_DEFAULT" default:"100/s" usage:"limit of keys that have none"`
	AuthFailureLimit string        `env:"HOSTPLANE_AUTH_FAILURE_LIMIT" default:"30/m" usage:"failed authentications allowed per client IP"`
	UpstreamTimeout  time.Duration `env:"HOSTPLANE_UPSTREAM_TIMEOUT" default:"30s" usage:"wait for an upstream's answer (504 after)"`
	LimiterTimeout   time.Duration `env:"HOSTPLANE_LIMITER_TIMEOUT" default:"100ms" usage:"bound of one Redis limiter call"`
	TrustedProxies   []string      `env:"HOSTPLANE_TRUSTED_PROXIES" usage:"CIDRs of proxies whose X-Forwarded-For is believed (client IP for allow-lists and failure limits)"`
	LimiterBackoff   time.Duration `env:"HOSTPLANE_LIMITER_BACKOFF" default:"1s" usage:"stay on the in-process limiter this long after a Redis failure"`
	StdServer        bool          `env:"HOSTPLANE_GATEWAY_STD_SERVER" default:"false" usage:"serve with net/http's server instead of the gateway's own HTTP/1.1 loop (for comparison)"`
	GCPercent        int           `env:"HOSTPLANE_GATEWAY_GC_PERCENT" default:"400" usage:"garbage collection target of a gateway process (as GOGC; 0: leave the runtime's)"`
}

// Validate checks the configuration.
func (c *Config) Validate() error {
	if err := c.Config.Validate(); err != nil {
		return err
	}
	if _, err := ParseLimit(c.DefaultRateLimit); err != nil {
		return fmt.Errorf("HOSTPLANE_RATE_LIMIT_DEFAULT: %w", err)
	}
	if _, err := ParseLimit(c.AuthFailureLimit); err != nil {
		return fmt.Errorf("HOSTPLANE_AUTH_FAILURE_LIMIT: %w", err)
	}
	if _, err := parsePrefixes(c.TrustedProxies); err != nil {
		return fmt.Errorf("HOSTPLANE_TRUSTED_PROXIES: %w", err)
	}
	if c.GCPercent < 0 {
		return errors.New("HOSTPLANE_GATEWAY_GC_PERCENT: must be 0 or more")
	}
	if c.ConsulAddr == "" && c.Upstreams == "" {
		return errors.New("set CONSUL_HTTP_ADDR or HOSTPLANE_UPSTREAMS")
	}
	return nil
}

// ParseLimit parses "N/s", "N/m" or "N/h".
func ParseLimit(s string) (ratelimit.Limit, error) {
	n, unit, ok := strings.Cut(strings.TrimSpace(s), "/")
	var count int
	if _, err := fmt.Sscanf(n, "%d", &count); !ok || err != nil || count <= 0 {
		return ratelimit.Limit{}, fmt.Errorf("%q: want N/s, N/m or N/h", s)
	}
	switch unit {
	case "s":
		return ratelimit.PerPeriod(count, time.Second), nil
	case "m":
		return ratelimit.PerPeriod(count, time.Minute), nil
	case "h":
		return ratelimit.PerPeriod(count, time.Hour), nil
	}
	return ratelimit.Limit{}, fmt.Errorf("%q: unit must be s, m or h", s)
}
