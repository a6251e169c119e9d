package jobs

import (
	"context"
	"time"

	"github.com/hostplane/hostplane/services/sites/idempotency"
)

// Store is the persistence port of jobs. A missing job is errs.NotFound
// with resource "job"; a worker that no longer holds a job's lease gets
// errs.Conflict from Report and Finish.
type Store interface {
	// Create inserts j (status todo), sets its ID and dates, and records
	// idem (if any) pointing at it.
	Create(ctx context.Context, j *Job, idem *idempotency.Record) error
	Get(ctx context.Context, id int64) (Job, error)
	// Claim gives owner the oldest job that is todo, or working with a
	// lease expired at now, as working with a lease until now+lease and one
	// more attempt. ok is false when there is none. Concurrent claimers
	// never get the same job.
	Claim(ctx context.Context, owner string, now time.Time, lease time.Duration) (j Job, ok bool, err error)
	// Report records progress of a job owner holds and extends its lease.
	Report(ctx context.Context, id int64, owner string, r Report) error
	// Finish ends a job owner holds: done with result, or halt with msg.
	Finish(ctx context.Context, id int64, owner string, status string, result []byte, msg string, now time.Time) (Job, error)
	// Queued counts the jobs not finished yet (todo or working).
	Queued(ctx context.Context) (int, error)
	idempotency.Store
}

// Report is a worker's news of a job.
type Report struct {
	Progression int
	Step        string
	SiteID      int64 // set when not 0
	LeaseUntil  time.Time
	Now         time.Time
}
