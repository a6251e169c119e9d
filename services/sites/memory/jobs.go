package memory

import (
	"context"
	"slices"
	"time"

	"github.com/hostplane/hostplane/libs/errs"
	"github.com/hostplane/hostplane/services/sites/idempotency"
	"github.com/hostplane/hostplane/services/sites/jobs"
)

// Jobs is an in-memory jobs.Store.
type Jobs struct{ db *DB }

func jobNotFound() error { return errs.NotFoundResource("job", "") }

func lostLease() error { return errs.New(errs.Conflict, "This worker no longer holds the job.") }

// Create inserts j.
func (m *Jobs) Create(_ context.Context, j *jobs.Job, idem *idempotency.Record) error {
	db := m.db
	db.mu.Lock()
	defer db.mu.Unlock()
	if idem != nil {
		if _, dup := db.idem[[2]string{idem.Scope, idem.Key}]; dup {
			return errs.New(errs.Conflict, "Idempotency key already used.")
		}
	}
	db.nextJob++
	j.ID = db.nextJob
	j.Status = jobs.StatusTodo
	j.DateCreated, j.DateModified = micro(j.DateCreated), micro(j.DateModified)
	c := j.Clone()
	db.jobs[j.ID] = &c
	if idem != nil {
		r := *idem
		r.RefID = j.ID
		db.idem[[2]string{r.Scope, r.Key}] = r
	}
	return nil
}

// Get returns job id.
func (m *Jobs) Get(_ context.Context, id int64) (jobs.Job, error) {
	m.db.mu.Lock()
	defer m.db.mu.Unlock()
	j, ok := m.db.jobs[id]
	if !ok {
		return jobs.Job{}, jobNotFound()
	}
	return j.Clone(), nil
}

// Claim gives owner the oldest claimable job.
func (m *Jobs) Claim(_ context.Context, owner string, now time.Time, lease time.Duration) (jobs.Job, bool, error) {
	db := m.db
	db.mu.Lock()
	defer db.mu.Unlock()
	var ids []int64
	for id, j := range db.jobs {
		if j.Status == jobs.StatusTodo || j.Status == jobs.StatusWorking && j.LeaseUntil != nil && j.LeaseUntil.Before(now) {
			ids = append(ids, id)
		}
	}
	if len(ids) == 0 {
		return jobs.Job{}, false, nil
	}
	j := db.jobs[slices.Min(ids)]
	until := micro(now.Add(lease))
	j.Status, j.Owner, j.LeaseUntil = jobs.StatusWorking, owner, &until
	j.Attempts++
	j.DateModified = micro(now)
	return j.Clone(), true, nil
}

// Report records a worker's progress.
func (m *Jobs) Report(_ context.Context, id int64, owner string, r jobs.Report) error {
	db := m.db
	db.mu.Lock()
	defer db.mu.Unlock()
	j, ok := db.jobs[id]
	if !ok {
		return jobNotFound()
	}
	if j.Status != jobs.StatusWorking || j.Owner != owner {
		return lostLease()
	}
	until := micro(r.LeaseUntil)
	j.Progression, j.Step, j.LeaseUntil, j.DateModified = r.Progression, r.Step, &until, micro(r.Now)
	if r.SiteID != 0 {
		j.SiteID = r.SiteID
	}
	return nil
}

// Finish ends a job.
func (m *Jobs) Finish(_ context.Context, id int64, owner, status string, result []byte, msg string, now time.Time) (jobs.Job, error) {
	db := m.db
	db.mu.Lock()
	defer db.mu.Unlock()
	j, ok := db.jobs[id]
	if !ok {
		return jobs.Job{}, jobNotFound()
	}
	if j.Status != jobs.StatusWorking || j.Owner != owner {
		return jobs.Job{}, lostLease()
	}
	j.Status, j.Result, j.Error, j.LeaseUntil, j.DateModified = status, append([]byte(nil), result...), msg, nil, micro(now)
	if status == jobs.StatusDone {
		j.Progression = 100
	}
	return j.Clone(), nil
}

// Queued counts the jobs that are todo or working.
func (m *Jobs) Queued(context.Context) (int, error) {
	m.db.mu.Lock()
	defer m.db.mu.Unlock()
	n := 0
	for _, j := range m.db.jobs {
		if !j.Finished() {
			n++
		}
	}
	return n, nil
}

// Lookup finds an idempotency record.
func (m *Jobs) Lookup(_ context.Context, scope, key string) (idempotency.Record, bool, error) {
	r, ok := m.db.lookup(scope, key)
	return r, ok, nil
}
