package postgres

import (
	"context"

	"github.com/hostplane/hostplane/libs/errs"
	"github.com/hostplane/hostplane/libs/events"
	"github.com/hostplane/hostplane/services/sites/backups"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Backups is the PostgreSQL backups.Store.
type Backups struct{ pool *pgxpool.Pool }

// NewBackups returns a store on pool.
func NewBackups(pool *pgxpool.Pool) *Backups { return &Backups{pool: pool} }

const backupColumns = `id, site_id, job_id, size, checksum, format, files, bytes, date_created`

func scanBackup(row pgx.Row) (backups.Backup, error) {
	var b backups.Backup
	err := row.Scan(&b.ID, &b.SiteID, &b.JobID, &b.Size, &b.Checksum, &b.Format, &b.Files, &b.Bytes, &b.DateCreated)
	b.DateCreated = micro(b.DateCreated)
	return b, err
}

// Create records b with its event.
func (st *Backups) Create(ctx context.Context, b *backups.Backup) error {
	b.DateCreated = micro(b.DateCreated)
	err := pgx.BeginFunc(ctx, st.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `INSERT INTO backups (`+backupColumns+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
			b.ID, b.SiteID, b.JobID, b.Size, b.Checksum, b.Format, b.Files, b.Bytes, b.DateCreated); err != nil {
			return err
		}
		e, err := backups.NewEvent(backups.EventCreated, *b)
		if err != nil {
			return err
		}
		return events.Insert(ctx, tx, e)
	})
	if errs.KindOf(mapErr(err, "backup")) == errs.Invalid { // the site is gone
		return errs.NotFoundResource("site", "")
	}
	return mapErr(err, "backup")
}

// Get returns backup id of a site.
func (st *Backups) Get(ctx context.Context, siteID int64, id string) (backups.Backup, error) {
	b, err := scanBackup(st.pool.QueryRow(ctx, `SELECT `+backupColumns+` FROM backups WHERE site_id = $1 AND id = $2`, siteID, id))
	return b, mapErr(err, "backup")
}

// ByJob returns the backup a job made.
func (st *Backups) ByJob(ctx context.Context, jobID int64) (backups.Backup, error) {
	b, err := scanBackup(st.pool.QueryRow(ctx, `SELECT `+backupColumns+` FROM backups WHERE job_id = $1 AND job_id <> 0`, jobID))
	return b, mapErr(err, "backup")
}

// List returns a site's backups, newest first.
func (st *Backups) List(ctx context.Context, siteID int64) ([]backups.Backup, error) {
	rows, err := st.pool.Query(ctx, `SELECT `+backupColumns+` FROM backups WHERE site_id = $1 ORDER BY date_created DESC, id DESC`, siteID)
	if err != nil {
		return nil, mapErr(err, "backup")
	}
	defer rows.Close()
	out := []backups.Backup{}
	for rows.Next() {
		b, err := scanBackup(rows)
		if err != nil {
			return nil, mapErr(err, "backup")
		}
		out = append(out, b)
	}
	return out, mapErr(rows.Err(), "backup")
}

// Delete removes a backup record.
func (st *Backups) Delete(ctx context.Context, siteID int64, id string) error {
	tag, err := st.pool.Exec(ctx, `DELETE FROM backups WHERE site_id = $1 AND id = $2`, siteID, id)
	if err != nil {
		return mapErr(err, "backup")
	}
	if tag.RowsAffected() == 0 {
		return errs.NotFoundResource("backup", "")
	}
	return nil
}

// Emit writes events into the outbox.
func (st *Backups) Emit(ctx context.Context, evs ...events.Event) error {
	return mapErr(events.Insert(ctx, st.pool, evs...), "")
}
