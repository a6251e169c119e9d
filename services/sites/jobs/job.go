// Package jobs is the one job system of the sites service: every
// asynchronous operation (site creation and copy, backup, restore) is a job
// with an integer id, a status (todo, working, done, halt), a progression
// from 0 to 100, a step, and a result or an error. Workers claim jobs with
// a lease (FOR UPDATE SKIP LOCKED in PostgreSQL); a job whose worker dies
// is taken over by another once its lease expires.
package jobs

import (
	"encoding/json"
	"time"
)

// Job is one asynchronous operation on a site.
type Job struct {
	ID          int64
	Kind        string
	SiteID      int64 // 0 until a creation job has made its site
	SiteCode    string
	CustomerID  int64 // the site's customer, for restricted callers
	Status      string
	Progression int
	Step        string
	Result      json.RawMessage // JSON object, set when done
	Error       string          // set when halted
	Params      json.RawMessage // what the handler needs, JSON
	Attempts    int             // claims so far
	Owner       string          // the worker holding the lease
	LeaseUntil  *time.Time
	DateCreated time.Time
	// DateModified changes with every report.
	DateModified time.Time
}

// Clone returns a copy of j sharing no memory with it.
func (j Job) Clone() Job {
	j.Result = append(json.RawMessage(nil), j.Result...)
	j.Params = append(json.RawMessage(nil), j.Params...)
	if j.LeaseUntil != nil {
		t := *j.LeaseUntil
		j.LeaseUntil = &t
	}
	return j
}

// Finished reports whether j will not change any more.
func (j Job) Finished() bool { return j.Status == StatusDone || j.Status == StatusHalt }

// Job statuses (the sb names).
const (
	StatusTodo    = "todo"
	StatusWorking = "working"
	StatusDone    = "done"
	StatusHalt    = "halt"
)

// Kinds of job.
const (
	KindSiteCreate    = "site.create"
	KindSiteCopy      = "site.copy" // a creation that copies another site (copy_site)
	KindBackupCreate  = "backup.create"
	KindBackupRestore = "backup.restore"
)
