package backups

import (
	"context"

	"github.com/hostplane/hostplane/libs/events"
)

// Store is the persistence port of backup records. A missing backup is
// errs.NotFound with resource "backup"; an id taken for the site is
// errs.Conflict.
type Store interface {
	// Create records b and writes backup.created with it.
	Create(ctx context.Context, b *Backup) error
	Get(ctx context.Context, siteID int64, id string) (Backup, error)
	// ByJob returns the backup job jobID made.
	ByJob(ctx context.Context, jobID int64) (Backup, error)
	// List returns a site's backups, newest first.
	List(ctx context.Context, siteID int64) ([]Backup, error)
	Delete(ctx context.Context, siteID int64, id string) error
	// Emit writes events that go with no change of record.
	Emit(ctx context.Context, evs ...events.Event) error
}
