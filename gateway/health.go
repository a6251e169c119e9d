package gateway

import (
	"context"
	"net/http"
	"sync"
	"time"

	"github.com/hostplane/hostplane/libs/discovery"
)

// upstreamHealth aggregates the readiness of every upstream service for
// cx /api/application/health and the gateway's /readyz, asking each
// instance's /readyz at most once per ttl.
type upstreamHealth struct {
	services []string
	resolver discovery.Resolver
	client   *http.Client
	ttl      time.Duration
	limiter  func() (bool, string)

	mu      sync.Mutex
	last    healthReport
	checked time.Time
}

type serviceHealth struct {
	Status    string `json:"status"`
	Instances int    `json:"instances"`
	Ready     int    `json:"ready"`
}

type healthReport struct {
	Status      string                   `json:"status"`
	Services    map[string]serviceHealth `json:"services"`
	RateLimiter string                   `json:"rate_limiter"`
	CheckedAt   time.Time                `json:"checked_at"`
}

func newUpstreamHealth(services []string, r discovery.Resolver, limiter func() (bool, string)) *upstreamHealth {
	return &upstreamHealth{
		services: services, resolver: r, limiter: limiter, ttl: 2 * time.Second,
		client: &http.Client{Timeout: time.Second},
	}
}

func (h *upstreamHealth) report(ctx context.Context) healthReport {
	h.mu.Lock()
	defer h.mu.Unlock()
	if time.Since(h.checked) < h.ttl {
		return h.last
	}
	rep := healthReport{Status: "ok", Services: map[string]serviceHealth{}, RateLimiter: "redis", CheckedAt: time.Now().UTC()}
	if h.limiter == nil {
		rep.RateLimiter = "in-process"
	} else if degraded, _ := h.limiter(); degraded {
		rep.RateLimiter = "in-process (redis unreachable)"
	}
	var mu sync.Mutex
	var wg sync.WaitGroup
	ready := map[string]int{}
	instances := map[string]int{}
	for _, s := range h.services {
		addrs := h.resolver.Instances(s)
		instances[s] = len(addrs)
		for _, a := range addrs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if h.ready(ctx, a) {
					mu.Lock()
					ready[s]++
					mu.Unlock()
				}
			}()
		}
	}
	wg.Wait()
	for _, s := range h.services {
		sh := serviceHealth{Status: "ok", Instances: instances[s], Ready: ready[s]}
		if sh.Ready == 0 {
			sh.Status = "down"
			rep.Status = "degraded"
		}
		rep.Services[s] = sh
	}
	h.last, h.checked = rep, time.Now()
	return rep
}

func (h *upstreamHealth) ready(ctx context.Context, addr string) bool {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+addr+"/readyz", nil)
	if err != nil {
		return false
	}
	resp, err := h.client.Do(req)
	if err != nil {
		return false
	}
	resp.Body.Close()
	return resp.StatusCode == http.StatusOK
}
