package httpkit

import (
	"context"
	"encoding/json"
	"net/http"
	"sort"
	"sync"
	"sync/atomic"
	"time"
)

// Check probes one dependency. A failing critical check makes the component
// unready (503); a failing non-critical one reports "degraded" but stays
// ready (the gateway without Redis, say).
type Check struct {
	Name     string
	Critical bool
	// Fn returns a short detail (may be empty) and an error when unhealthy.
	Fn func(ctx context.Context) (detail string, err error)
}

// Health serves /healthz (alive) and /readyz (dependencies).
type Health struct {
	mu       sync.RWMutex
	checks   []Check
	draining atomic.Bool
	timeout  time.Duration
}

// NewHealth returns a Health with the given checks.
func NewHealth(checks ...Check) *Health {
	return &Health{checks: checks, timeout: 2 * time.Second}
}

// Add registers a check.
func (h *Health) Add(c Check) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.checks = append(h.checks, c)
}

// Drain makes /readyz answer 503 from now on, so that load balancers and
// Consul stop sending traffic while in-flight requests finish.
func (h *Health) Drain() { h.draining.Store(true) }

// CheckResult is one check's outcome in /readyz.
type CheckResult struct {
	Status string `json:"status"`
	Detail string `json:"detail,omitempty"`
	Error  string `json:"error,omitempty"`
}

// Report is the /readyz body.
type Report struct {
	Status string                 `json:"status"`
	Checks map[string]CheckResult `json:"checks"`
}

// Run executes every check concurrently.
func (h *Health) Run(ctx context.Context) (Report, bool) {
	h.mu.RLock()
	checks := append([]Check(nil), h.checks...)
	h.mu.RUnlock()
	ctx, cancel := context.WithTimeout(ctx, h.timeout)
	defer cancel()

	results := make([]CheckResult, len(checks))
	var wg sync.WaitGroup
	for i, c := range checks {
		wg.Add(1)
		go func() {
			defer wg.Done()
			detail, err := c.Fn(ctx)
			results[i] = CheckResult{Status: "ok", Detail: detail}
			if err != nil {
				results[i].Status = "down"
				results[i].Error = err.Error()
			}
		}()
	}
	wg.Wait()

	rep := Report{Status: "ok", Checks: map[string]CheckResult{}}
	ready := true
	for i, c := range checks {
		rep.Checks[c.Name] = results[i]
		if results[i].Status != "ok" {
			if c.Critical {
				ready = false
				rep.Status = "unavailable"
			} else if rep.Status == "ok" {
				rep.Status = "degraded"
			}
		}
	}
	if h.draining.Load() {
		ready = false
		rep.Status = "draining"
	}
	return rep, ready
}

// Names lists the registered checks.
func (h *Health) Names() []string {
	h.mu.RLock()
	defer h.mu.RUnlock()
	var out []string
	for _, c := range h.checks {
		out = append(out, c.Name)
	}
	sort.Strings(out)
	return out
}

// Healthz answers 200 while the process runs.
func (h *Health) Healthz(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}

// Readyz answers 200 when every critical dependency is up, 503 otherwise,
// with each check's state.
func (h *Health) Readyz(w http.ResponseWriter, r *http.Request) {
	rep, ready := h.Run(r.Context())
	status := http.StatusOK
	if !ready {
		status = http.StatusServiceUnavailable
	}
	writeJSON(w, status, rep)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=UTF-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
