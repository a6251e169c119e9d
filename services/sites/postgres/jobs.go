package postgres

import (
	"context"
	"time"

	"github.com/hostplane/hostplane/libs/errs"
	"github.com/hostplane/hostplane/services/sites/idempotency"
	"github.com/hostplane/hostplane/services/sites/jobs"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Jobs is the PostgreSQL jobs.Store.
type Jobs struct{ pool *pgxpool.Pool }

// NewJobs returns a store on pool.
func NewJobs(pool *pgxpool.Pool) *Jobs { return &Jobs{pool: pool} }

const jobColumns = `id, kind, site_id, site_code, customer_id, status, progression, step, result, error, params,
	attempts, owner, lease_until, date_created, date_modified`

func scanJob(row pgx.Row) (jobs.Job, error) {
	var j jobs.Job
	var result, params []byte
	err := row.Scan(&j.ID, &j.Kind, &j.SiteID, &j.SiteCode, &j.CustomerID, &j.Status, &j.Progression, &j.Step, &result,
		&j.Error, &params, &j.Attempts, &j.Owner, &j.LeaseUntil, &j.DateCreated, &j.DateModified)
	j.Result, j.Params = result, params
	j.DateCreated, j.DateModified, j.LeaseUntil = micro(j.DateCreated), micro(j.DateModified), microPtr(j.LeaseUntil)
	return j, err
}

func lostLease() error { return errs.New(errs.Conflict, "This worker no longer holds the job.") }

// Create inserts j and its idempotency record.
func (st *Jobs) Create(ctx context.Context, j *jobs.Job, idem *idempotency.Record) error {
	j.Status = jobs.StatusTodo
	j.DateCreated, j.DateModified = micro(j.DateCreated), micro(j.DateModified)
	params := []byte(j.Params)
	if len(params) == 0 {
		params = []byte("{}")
	}
	err := pgx.BeginFunc(ctx, st.pool, func(tx pgx.Tx) error {
		if err := tx.QueryRow(ctx, `INSERT INTO jobs (kind, site_id, site_code, customer_id, status, params, date_created, date_modified)
			VALUES ($1, $2, $3, $4, 'todo', $5, $6, $7) RETURNING id`,
			j.Kind, j.SiteID, j.SiteCode, j.CustomerID, string(params), j.DateCreated, j.DateModified).Scan(&j.ID); err != nil {
			return err
		}
		return insertIdem(ctx, tx, idem, j.ID)
	})
	if err != nil {
		j.ID = 0
	}
	return mapErr(err, "job")
}

// Get returns job id.
func (st *Jobs) Get(ctx context.Context, id int64) (jobs.Job, error) {
	j, err := scanJob(st.pool.QueryRow(ctx, `SELECT `+jobColumns+` FROM jobs WHERE id = $1`, id))
	return j, mapErr(err, "job")
}

// Claim takes the oldest claimable job with SKIP LOCKED.
func (st *Jobs) Claim(ctx context.Context, owner string, now time.Time, lease time.Duration) (jobs.Job, bool, error) {
	j, err := scanJob(st.pool.QueryRow(ctx, `WITH next AS (
			SELECT id FROM jobs
			WHERE status = 'todo' OR (status = 'working' AND lease_until < $2)
			ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED)
		UPDATE jobs j SET status = 'working', owner = $1, lease_until = $3, attempts = j.attempts + 1, date_modified = $2
		FROM next WHERE j.id = next.id
		RETURNING `+prefixed("j.", jobColumns), owner, now, now.Add(lease)))
	if err == pgx.ErrNoRows {
		return jobs.Job{}, false, nil
	}
	if err != nil {
		return jobs.Job{}, false, mapErr(err, "job")
	}
	return j, true, nil
}

// Report records a worker's progress if it still holds the job.
func (st *Jobs) Report(ctx context.Context, id int64, owner string, r jobs.Report) error {
	tag, err := st.pool.Exec(ctx, `UPDATE jobs SET progression = $3, step = $4, lease_until = $5, date_modified = $6,
			site_id = CASE WHEN $7::bigint <> 0 THEN $7 ELSE site_id END
		WHERE id = $1 AND owner = $2 AND status = 'working'`,
		id, owner, r.Progression, r.Step, r.LeaseUntil, r.Now, r.SiteID)
	if err != nil {
		return mapErr(err, "job")
	}
	if tag.RowsAffected() == 0 {
		return lostLease()
	}
	return nil
}

// Finish ends a job the worker still holds.
func (st *Jobs) Finish(ctx context.Context, id int64, owner, status string, result []byte, msg string, now time.Time) (jobs.Job, error) {
	var res any
	if len(result) > 0 {
		res = string(result)
	}
	j, err := scanJob(st.pool.QueryRow(ctx, `UPDATE jobs SET status = $3, result = $4::jsonb, error = $5, lease_until = NULL,
			date_modified = $6, progression = CASE WHEN $3 = 'done' THEN 100 ELSE progression END
		WHERE id = $1 AND owner = $2 AND status = 'working' RETURNING `+jobColumns, id, owner, status, res, msg, now))
	if err == pgx.ErrNoRows {
		return jobs.Job{}, lostLease()
	}
	return j, mapErr(err, "job")
}

// Queued counts the jobs that are todo or working (jobs_open_idx).
func (st *Jobs) Queued(ctx context.Context) (int, error) {
	var n int
	err := st.pool.QueryRow(ctx, `SELECT count(*) FROM jobs WHERE status IN ('todo', 'working')`).Scan(&n)
	return n, mapErr(err, "job")
}

// Lookup finds an idempotency record.
func (st *Jobs) Lookup(ctx context.Context, scope, key string) (idempotency.Record, bool, error) {
	return lookup(ctx, st.pool, scope, key)
}
