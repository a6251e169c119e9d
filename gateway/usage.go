package gateway

import (
	"context"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/hostplane/hostplane/gateway/authcache"
	"github.com/hostplane/hostplane/libs/route"
	statsclient "github.com/hostplane/hostplane/services/stats/client"
	"github.com/prometheus/client_golang/prometheus"
)

// usageLog counts API hits per site (or per the key's customer when the
// path names no site) and day, and collects successful writes, and sends
// both to the stats service once a second. Counting is a map increment
// under a lock: nothing on the request path waits for stats.
type usageLog struct {
	day     atomic.Pointer[dayName] // the current UTC day's name, cached
	mu      sync.Mutex
	hits    map[hitKey]int64
	writes  []statsclient.Write
	max     int
	dropped prometheus.Counter
}

type hitKey struct {
	siteCode   string
	siteID     int64
	customerID int64
	day        string
}

// dayName caches a UTC day's YYYY-MM-DD (formatting it per request would
// allocate).
type dayName struct {
	day  int64
	name string
}

func (u *usageLog) dayOf(t time.Time) string {
	d := t.Unix() / 86400
	if c := u.day.Load(); c != nil && c.day == d {
		return c.name
	}
	n := &dayName{day: d, name: t.UTC().Format(time.DateOnly)}
	u.day.Store(n)
	return n.name
}

// siteRef is the site a request's path names.
type siteRef struct {
	code string
	id   int64
}

// siteOf reads the site from a matched route's parameters: sb's
// {code}, wu's sites/{id} and tenants/{site_id}.
func siteOf(pattern string, params route.Params) siteRef {
	if c := params.Get("code"); c != "" {
		return siteRef{code: c}
	}
	if v := params.Get("site_id"); v != "" {
		id, _ := strconv.ParseInt(v, 10, 64)
		return siteRef{id: id}
	}
	if strings.Contains(pattern, "/sites/{id}") || strings.Contains(pattern, "/site/{id}") {
		id, _ := strconv.ParseInt(params.Get("id"), 10, 64)
		return siteRef{id: id}
	}
	return siteRef{}
}

func newUsageLog(max int, reg prometheus.Registerer) *usageLog {
	u := &usageLog{hits: map[hitKey]int64{}, max: max, dropped: prometheus.NewCounter(prometheus.CounterOpts{
		Name: "hostplane_gateway_usage_dropped_total",
		Help: "API write records dropped because the stats service could not take them in time.",
	})}
	reg.MustRegister(u.dropped)
	return u
}

// add records one authenticated request.
func (u *usageLog) add(site siteRef, id *authcache.Identity, method, path string, status int, at time.Time) {
	k := hitKey{siteCode: site.code, siteID: site.id, day: u.dayOf(at)}
	if site == (siteRef{}) {
		if id.CustomerID == 0 {
			return // neither a site nor a customer to count it for
		}
		k.customerID = id.CustomerID
	}
	write := method != "GET" && method != "HEAD" && status >= 200 && status < 300
	u.mu.Lock()
	defer u.mu.Unlock()
	u.hits[k]++
	if write {
		if len(u.writes) >= u.max {
			u.writes = u.writes[1:]
			u.dropped.Inc()
		}
		u.writes = append(u.writes, statsclient.Write{
			SiteCode: site.code, SiteID: site.id, CustomerID: id.CustomerID, KeyID: id.KeyID, KeyName: id.Name,
			Method: method, Path: path, Status: status, At: at.UTC(),
		})
	}
}

func (u *usageLog) take() statsclient.Usage {
	u.mu.Lock()
	defer u.mu.Unlock()
	var out statsclient.Usage
	for k, n := range u.hits {
		out.Hits = append(out.Hits, statsclient.Hits{SiteCode: k.siteCode, SiteID: k.siteID, CustomerID: k.customerID, Day: k.day, Count: n})
	}
	out.Writes = u.writes
	u.hits, u.writes = map[hitKey]int64{}, nil
	return out
}

// putBack merges an unsent batch back.
func (u *usageLog) putBack(b statsclient.Usage) {
	u.mu.Lock()
	defer u.mu.Unlock()
	for _, h := range b.Hits {
		u.hits[hitKey{h.SiteCode, h.SiteID, h.CustomerID, h.Day}] += h.Count
	}
	merged := append(b.Writes, u.writes...)
	if over := len(merged) - u.max; over > 0 {
		merged = merged[over:]
		u.dropped.Add(float64(over))
	}
	u.writes = merged
}

func (u *usageLog) run(ctx context.Context, stats *statsclient.Client, every time.Duration, log *slog.Logger) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			u.flush(context.Background(), stats, log)
			return
		case <-t.C:
			u.flush(ctx, stats, log)
		}
	}
}

func (u *usageLog) flush(ctx context.Context, stats *statsclient.Client, log *slog.Logger) {
	b := u.take()
	if len(b.Hits) == 0 && len(b.Writes) == 0 {
		return
	}
	cctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	if err := stats.RecordUsage(cctx, b); err != nil {
		log.Debug("API usage not recorded yet", "hits", len(b.Hits), "writes", len(b.Writes), "err", err)
		u.putBack(b)
	}
}
