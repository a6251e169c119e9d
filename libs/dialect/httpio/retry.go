package httpio

import (
	"net/http"
	"strconv"
	"time"

	"github.com/hostplane/hostplane/libs/errs"
)

// RetryAfterSeconds is d in whole seconds, rounded up, at least 1.
func RetryAfterSeconds(d time.Duration) int {
	if d <= time.Second {
		return 1
	}
	s := d / time.Second
	if d%time.Second != 0 {
		s++
	}
	return int(s)
}

// SetRetryAfter sets the Retry-After header when err is rate limited, from
// its RetryAfter (1 second when unknown), or unavailable with a RetryAfter
// (a service shedding load). Other errors leave h alone.
func SetRetryAfter(h http.Header, err error) {
	e := errs.From(err)
	if e == nil || e.Kind != errs.RateLimited && (e.Kind != errs.Unavailable || e.RetryAfter <= 0) {
		return
	}
	h.Set("Retry-After", strconv.Itoa(RetryAfterSeconds(e.RetryAfter)))
}
