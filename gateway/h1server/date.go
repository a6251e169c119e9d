package h1server

import (
	"net/http"
	"sync/atomic"
	"time"
)

// dateCache is the Date header value of the current second, formatted once
// a second instead of once a response.
type dateCache struct {
	v atomic.Pointer[datedValue]
}

type datedValue struct {
	sec  int64
	text string
}

func (d *dateCache) get(now time.Time) string {
	sec := now.Unix()
	if v := d.v.Load(); v != nil && v.sec == sec {
		return v.text
	}
	v := &datedValue{sec: sec, text: now.UTC().Format(http.TimeFormat)}
	d.v.Store(v)
	return v.text
}
