package jobs

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/hostplane/hostplane/libs/errs"
)

// Handler runs one job. It reports its progress through p (which also
// keeps the job's lease) and returns the result (encoded as JSON) or an
// error, which halts the job with its public message. A handler must leave
// nothing half-done when it fails, and must be safe to run again from the
// start on a job a dead worker left working.
type Handler func(ctx context.Context, j Job, p *Progress) (result any, err error)

// Runner is a pool of workers that claim and run jobs.
type Runner struct {
	Store    Store
	Handlers map[string]Handler
	// Owner names this instance (unique per process).
	Owner string
	// Workers run jobs in parallel (1 when 0).
	Workers int
	// Lease is how long a claim holds without news (30 s when 0); a job
	// whose worker died is taken over after it.
	Lease time.Duration
	// Poll is how often idle workers look for jobs (1 s when 0); Wake
	// cuts the wait short.
	Poll time.Duration
	// MaxAttempts halts a job claimed this many times without finishing
	// (5 when 0): a job that kills its worker is not retried forever.
	MaxAttempts int
	Log         *slog.Logger
	Now         func() time.Time
	// Metrics counts finished jobs (nil: not counted).
	Metrics *Metrics

	once sync.Once
	wake chan struct{}
}

func (r *Runner) init() {
	r.once.Do(func() {
		r.wake = make(chan struct{}, 1)
		if r.Workers <= 0 {
			r.Workers = 1
		}
		if r.Lease <= 0 {
			r.Lease = 30 * time.Second
		}
		if r.Poll <= 0 {
			r.Poll = time.Second
		}
		if r.MaxAttempts <= 0 {
			r.MaxAttempts = 5
		}
		if r.Now == nil {
			r.Now = time.Now
		}
		if r.Log == nil {
			r.Log = slog.New(slog.DiscardHandler)
		}
	})
}

// Wake tells idle workers to look for jobs now.
func (r *Runner) Wake() {
	r.init()
	select {
	case r.wake <- struct{}{}:
	default:
	}
}

// Run works until ctx ends; running jobs are cancelled with it (their
// leases then expire and another instance takes them over).
func (r *Runner) Run(ctx context.Context) {
	r.init()
	var wg sync.WaitGroup
	for range r.Workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r.work(ctx)
		}()
	}
	wg.Wait()
}

func (r *Runner) work(ctx context.Context) {
	for ctx.Err() == nil {
		ran, err := r.Once(ctx)
		if err != nil && ctx.Err() == nil {
			r.Log.Warn("jobs: claim failed", "err", err)
		}
		if ran {
			continue
		}
		select {
		case <-ctx.Done():
		case <-r.wake:
		case <-time.After(r.Poll):
		}
	}
}

// Once claims and runs one job; ran is false when there was none.
func (r *Runner) Once(ctx context.Context) (ran bool, err error) {
	r.init()
	j, ok, err := r.Store.Claim(ctx, r.Owner, r.Now().UTC(), r.Lease)
	if err != nil || !ok {
		return false, err
	}
	r.run(ctx, j)
	return true, nil
}

func (r *Runner) run(parent context.Context, j Job) {
	log := r.Log.With("job_id", j.ID, "kind", j.Kind, "attempt", j.Attempts)
	if j.Attempts > r.MaxAttempts {
		r.finish(parent, log, j, nil, fmt.Errorf("jobs: gave up after %d attempts: %w", j.Attempts-1,
			errs.New(errs.Internal, "")), "halt")
		return
	}
	h, ok := r.Handlers[j.Kind]
	if !ok {
		r.finish(parent, log, j, nil, errs.New(errs.Invalid, "Unknown job kind %q.", j.Kind), "halt")
		return
	}
	ctx, cancel := context.WithCancelCause(parent)
	defer cancel(nil)
	p := &Progress{r: r, job: j, cancel: cancel, last: Report{Progression: j.Progression, Step: j.Step}}
	stop := p.keepLease(ctx)
	log.Info("job started")
	result, err := h(ctx, j, p)
	stop()
	if lost := context.Cause(ctx); errors.Is(lost, errLeaseLost) {
		log.Warn("job: lease lost; another worker has it")
		return
	}
	if parent.Err() != nil {
		// Shutting down: leave the job working; its lease expires and
		// another worker starts it again.
		log.Info("job interrupted by shutdown")
		return
	}
	if err != nil {
		r.finish(parent, log, j, nil, err, "halt")
		return
	}
	r.finish(parent, log, j, result, nil, "done")
}

func (r *Runner) finish(ctx context.Context, log *slog.Logger, j Job, result any, failure error, how string) {
	var body []byte
	msg := ""
	status := StatusDone
	if failure != nil {
		status, msg = StatusHalt, errs.PublicMessage(failure)
		if e := errs.From(failure); e.Kind == errs.Internal {
			log.Error("job failed", "err", failure)
		} else {
			log.Info("job halted", "err", failure)
		}
	} else {
		if result == nil {
			result = struct{}{}
		}
		b, err := json.Marshal(result)
		if err != nil {
			status, msg = StatusHalt, errs.PublicMessage(err)
		}
		body = b
	}
	if _, err := r.Store.Finish(context.WithoutCancel(ctx), j.ID, r.Owner, status, body, msg, r.Now().UTC()); err != nil {
		log.Warn("job: could not record its end", "status", status, "err", err)
		return
	}
	r.Metrics.Finished(j, status)
	log.Info("job finished", "status", status, "how", how)
}

var errLeaseLost = errors.New("jobs: lease lost")

// Progress is a running job's link to its record: reports and the lease.
type Progress struct {
	r      *Runner
	job    Job
	cancel context.CancelCauseFunc

	mu       sync.Mutex
	last     Report
	lastSent time.Time
}

// minReport spaces progress writes.
const minReport = 250 * time.Millisecond

// Set records progression pct (0..100) and step. Writes are spaced unless
// the step changes. An error means the lease is lost: stop.
func (p *Progress) Set(ctx context.Context, pct int, step string) error {
	pct = max(0, min(pct, 100))
	p.mu.Lock()
	changed := step != p.last.Step
	p.last.Progression, p.last.Step = pct, step
	due := changed || time.Since(p.lastSent) >= minReport
	p.mu.Unlock()
	if !due {
		return context.Cause(ctx)
	}
	return p.send(ctx, 0)
}

// Func returns a percentage callback for step that maps 0..100 onto
// from..to (errors are left to the lease keeper).
func (p *Progress) Func(ctx context.Context, step string, from, to int) func(int) {
	return func(pct int) { _ = p.Set(ctx, from+(to-from)*pct/100, step) }
}

// SetSite records the site a creation job made.
func (p *Progress) SetSite(ctx context.Context, siteID int64) error { return p.send(ctx, siteID) }

func (p *Progress) send(ctx context.Context, siteID int64) error {
	p.mu.Lock()
	rep := p.last
	p.lastSent = time.Now()
	p.mu.Unlock()
	now := p.r.Now().UTC()
	rep.SiteID, rep.Now, rep.LeaseUntil = siteID, now, now.Add(p.r.Lease)
	err := p.r.Store.Report(context.WithoutCancel(ctx), p.job.ID, p.r.Owner, rep)
	if errs.KindOf(err) == errs.Conflict {
		p.cancel(errLeaseLost)
		return errLeaseLost
	}
	return err
}

// keepLease renews the lease every third of it until stopped.
func (p *Progress) keepLease(ctx context.Context) (stop func()) {
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(p.r.Lease / 3)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-ctx.Done():
				return
			case <-t.C:
				if err := p.send(ctx, 0); errors.Is(err, errLeaseLost) {
					return
				}
			}
		}
	}()
	return func() { close(done); wg.Wait() }
}
