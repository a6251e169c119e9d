package transport

import (
	"net"
	"net/http"
	"strings"
	"sync"
	"time"
)

// IPLimit allows each client address Count requests per Period, in
// bursts of up to Count (GCRA, in this process).
type IPLimit struct {
	Count  int
	Period time.Duration
	Now    func() time.Time

	mu  sync.Mutex
	tat map[string]time.Time // theoretical arrival time of each address's next request
}

// maxTracked bounds the addresses remembered: past it, the ones whose
// budget is whole again are forgotten.
const maxTracked = 100_000

// Allow spends one request of ip's budget, or says how long to wait.
func (l *IPLimit) Allow(ip string) (bool, time.Duration) {
	if l.Count <= 0 || l.Period <= 0 {
		return true, 0
	}
	now := time.Now()
	if l.Now != nil {
		now = l.Now()
	}
	interval := l.Period / time.Duration(l.Count)
	burst := l.Period - interval
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.tat == nil {
		l.tat = map[string]time.Time{}
	}
	tat := l.tat[ip]
	if tat.Before(now) {
		tat = now
	}
	if wait := tat.Sub(now) - burst; wait > 0 {
		return false, wait
	}
	if len(l.tat) >= maxTracked {
		for k, t := range l.tat {
			if t.Before(now) {
				delete(l.tat, k)
			}
		}
	}
	l.tat[ip] = tat.Add(interval)
	return true, 0
}

// clientIP is the caller's address: the gateway's X-Forwarded-For (it
// sets one address, the client's), else the peer.
func clientIP(r *http.Request) string {
	if xff := r.Header.Get("X-Forwarded-For"); xff != "" {
		parts := strings.Split(xff, ",")
		if ip := strings.TrimSpace(parts[len(parts)-1]); ip != "" {
			return ip
		}
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}
