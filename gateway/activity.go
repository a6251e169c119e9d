package gateway

import (
	"context"
	"log/slog"
	"sort"
	"sync"
	"time"

	authclient "github.com/hostplane/hostplane/services/auth/client"
	"github.com/prometheus/client_golang/prometheus"
)

// activityLog collects the calls made with each key and sends them to the
// auth service once a second (each key's activity log keeps its last 1,000).
// It holds at most max calls while auth is unreachable; beyond that the
// oldest are dropped and counted.
type activityLog struct {
	mu      sync.Mutex
	calls   []authclient.Call
	max     int
	dropped prometheus.Counter
}

func newActivityLog(max int, reg prometheus.Registerer) *activityLog {
	a := &activityLog{max: max, dropped: prometheus.NewCounter(prometheus.CounterOpts{
		Name: "hostplane_gateway_activity_dropped_total",
		Help: "Key activity records dropped because the auth service could not take them in time.",
	})}
	reg.MustRegister(a.dropped)
	return a
}

func (a *activityLog) add(keyID int64, method, path string, status int, at time.Time, ip string) {
	a.mu.Lock()
	if len(a.calls) >= a.max {
		a.calls = a.calls[1:]
		a.dropped.Inc()
	}
	a.calls = append(a.calls, authclient.Call{KeyID: keyID, Method: method, Path: path, Status: status, At: at.UTC(), IP: ip})
	a.mu.Unlock()
}

func (a *activityLog) take() []authclient.Call {
	a.mu.Lock()
	defer a.mu.Unlock()
	calls := a.calls
	a.calls = nil
	return calls
}

// putBack returns unsent calls in front of newer ones, within max.
func (a *activityLog) putBack(calls []authclient.Call) {
	a.mu.Lock()
	defer a.mu.Unlock()
	merged := append(calls, a.calls...)
	if over := len(merged) - a.max; over > 0 {
		merged = merged[over:]
		a.dropped.Add(float64(over))
	}
	a.calls = merged
}

func (a *activityLog) run(ctx context.Context, auth *authclient.Client, every time.Duration, log *slog.Logger) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			a.flush(context.Background(), auth, log) // the last second's calls
			return
		case <-t.C:
			a.flush(ctx, auth, log)
		}
	}
}

func (a *activityLog) flush(ctx context.Context, auth *authclient.Client, log *slog.Logger) {
	calls := newestPerKey(a.take(), authclient.ActivityKeep)
	for len(calls) > 0 {
		n := min(len(calls), 1000)
		cctx, cancel := context.WithTimeout(ctx, 2*time.Second)
		err := auth.RecordActivity(cctx, calls[:n])
		cancel()
		if err != nil {
			log.Debug("key activity not recorded yet", "calls", len(calls), "err", err)
			a.putBack(calls)
			return
		}
		calls = calls[n:]
	}
}

// newestPerKey drops, from a batch in arrival order, the calls of a key
// older than its newest keep (by time, then arrival, as the auth service
// ranks them): auth would discard them on arrival, and a busy key's
// second of calls (thousands) would otherwise be encoded, sent, decoded
// and written once a second only to be trimmed. It filters in place.
func newestPerKey(calls []authclient.Call, keep int) []authclient.Call {
	if len(calls) <= keep {
		return calls
	}
	byKey := map[int64][]int{}
	for i, c := range calls {
		byKey[c.KeyID] = append(byKey[c.KeyID], i)
	}
	var drop []bool
	for _, idx := range byKey {
		if len(idx) <= keep {
			continue
		}
		if drop == nil {
			drop = make([]bool, len(calls))
		}
		// Oldest first; ties keep arrival order.
		sort.SliceStable(idx, func(x, y int) bool { return calls[idx[x]].At.Before(calls[idx[y]].At) })
		for _, i := range idx[:len(idx)-keep] {
			drop[i] = true
		}
	}
	if drop == nil {
		return calls
	}
	kept := calls[:0]
	for i, c := range calls {
		if !drop[i] {
			kept = append(kept, c)
		}
	}
	return kept
}
