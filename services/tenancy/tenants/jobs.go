package tenants

import (
	"context"
	"sync"
)

// Jobs runs bootstrap jobs in the background, at most Workers at once and
// one per tenant in this process; the others wait their turn in state
// pending. Close stops them: a job cut short stays in its running state and
// is resumed later (Service.Resume, or a new bootstrap request).
type Jobs struct {
	ctx    context.Context
	cancel context.CancelFunc
	sem    chan struct{}
	wg     sync.WaitGroup
	mu     sync.Mutex
	queued map[int64]bool
	closed bool
}

// NewJobs returns a runner of at most workers concurrent jobs (at least 1).
func NewJobs(workers int) *Jobs {
	ctx, cancel := context.WithCancel(context.Background())
	return &Jobs{ctx: ctx, cancel: cancel, sem: make(chan struct{}, max(workers, 1)), queued: map[int64]bool{}}
}

// Submit queues run for tenant siteID unless one is queued or running
// already; it reports whether it queued.
func (j *Jobs) Submit(siteID int64, run func(ctx context.Context, siteID int64)) bool {
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.closed || j.queued[siteID] {
		return false
	}
	j.queued[siteID] = true
	j.wg.Add(1)
	go func() {
		defer j.wg.Done()
		defer func() {
			j.mu.Lock()
			delete(j.queued, siteID)
			j.mu.Unlock()
		}()
		select {
		case j.sem <- struct{}{}:
		case <-j.ctx.Done():
			return
		}
		defer func() { <-j.sem }()
		run(j.ctx, siteID)
	}()
	return true
}

// Busy reports whether a job of tenant siteID is queued or running here.
func (j *Jobs) Busy(siteID int64) bool {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.queued[siteID]
}

// Wait waits until no job is queued or running.
func (j *Jobs) Wait() { j.wg.Wait() }

// Close cancels every job and waits for them to stop.
func (j *Jobs) Close() {
	j.mu.Lock()
	j.closed = true
	j.mu.Unlock()
	j.cancel()
	j.wg.Wait()
}
