package checkout

import (
	"context"
	"runtime"
	"time"

	"github.com/hostplane/hostplane/libs/errs"
)

// RetryAfter is what a registration refused for load is told to wait.
const RetryAfter = time.Second

// admission bounds the registrations validating and hashing a new
// customer's password at once (the CPU-bound part of a registration: an
// Argon2id hash is tens of milliseconds of one core) and those waiting for
// a turn. Past both, a registration is refused at once — unavailable, with
// RetryAfter — instead of queueing without bound while every answer slows.
type admission struct {
	slots   chan struct{} // hashing now
	waiting chan struct{} // waiting for a slot
}

// newAdmission admits hashing registrations at once (0: twice GOMAXPROCS)
// with queue more waiting (0: twice hashing; negative: none).
func newAdmission(hashing, queue int) *admission {
	if hashing <= 0 {
		hashing = 2 * runtime.GOMAXPROCS(0)
	}
	switch {
	case queue == 0:
		queue = 2 * hashing
	case queue < 0:
		queue = 0
	}
	return &admission{slots: make(chan struct{}, hashing), waiting: make(chan struct{}, queue)}
}

// enter takes a slot, waiting in the queue when there is room there, and
// returns what gives it back.
func (a *admission) enter(ctx context.Context) (release func(), err error) {
	release = func() { <-a.slots }
	select {
	case a.slots <- struct{}{}:
		return release, nil
	default:
	}
	select {
	case a.waiting <- struct{}{}:
	default:
		return nil, overloaded(nil)
	}
	defer func() { <-a.waiting }()
	select {
	case a.slots <- struct{}{}:
		return release, nil
	case <-ctx.Done():
		return nil, overloaded(ctx.Err())
	}
}

func overloaded(cause error) error {
	return &errs.Error{Kind: errs.Unavailable, Reason: "checkout_overloaded", RetryAfter: RetryAfter, Err: cause,
		Message: "Too many registrations at once: retry in a moment."}
}
