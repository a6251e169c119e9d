package memory

import (
	"context"
	"slices"

	"github.com/hostplane/hostplane/libs/errs"
	"github.com/hostplane/hostplane/libs/events"
	"github.com/hostplane/hostplane/services/sites/backups"
)

// Backups is an in-memory backups.Store.
type Backups struct{ db *DB }

func backupNotFound() error { return errs.NotFoundResource("backup", "") }

// Create records b.
func (m *Backups) Create(_ context.Context, b *backups.Backup) error {
	db := m.db
	db.mu.Lock()
	defer db.mu.Unlock()
	if _, ok := db.sites[b.SiteID]; !ok {
		return errs.NotFoundResource("site", "")
	}
	for _, bs := range db.backups {
		for _, o := range bs {
			if o.SiteID == b.SiteID && o.ID == b.ID || o.JobID == b.JobID && b.JobID != 0 {
				return errs.New(errs.Conflict, "This backup exists already.")
			}
		}
	}
	b.DateCreated = micro(b.DateCreated)
	e, err := backups.NewEvent(backups.EventCreated, *b)
	if err != nil {
		return err
	}
	db.backups[b.SiteID] = append(db.backups[b.SiteID], *b)
	db.emit(e)
	return nil
}

// Get returns backup id of a site.
func (m *Backups) Get(_ context.Context, siteID int64, id string) (backups.Backup, error) {
	m.db.mu.Lock()
	defer m.db.mu.Unlock()
	for _, b := range m.db.backups[siteID] {
		if b.ID == id {
			return b, nil
		}
	}
	return backups.Backup{}, backupNotFound()
}

// ByJob returns the backup a job made.
func (m *Backups) ByJob(_ context.Context, jobID int64) (backups.Backup, error) {
	m.db.mu.Lock()
	defer m.db.mu.Unlock()
	for _, bs := range m.db.backups {
		for _, b := range bs {
			if b.JobID == jobID {
				return b, nil
			}
		}
	}
	return backups.Backup{}, backupNotFound()
}

// List returns a site's backups, newest first.
func (m *Backups) List(_ context.Context, siteID int64) ([]backups.Backup, error) {
	m.db.mu.Lock()
	out := slices.Clone(m.db.backups[siteID])
	m.db.mu.Unlock()
	slices.SortFunc(out, func(a, b backups.Backup) int {
		if n := b.DateCreated.Compare(a.DateCreated); n != 0 {
			return n
		}
		return compareIDs(b.ID, a.ID)
	})
	if out == nil {
		out = []backups.Backup{}
	}
	return out, nil
}

// compareIDs orders ids as PostgreSQL's collation "C" does.
func compareIDs(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// Delete removes a backup record.
func (m *Backups) Delete(_ context.Context, siteID int64, id string) error {
	m.db.mu.Lock()
	defer m.db.mu.Unlock()
	bs := m.db.backups[siteID]
	for i, b := range bs {
		if b.ID == id {
			m.db.backups[siteID] = slices.Delete(bs, i, i+1)
			return nil
		}
	}
	return backupNotFound()
}

// Emit queues events.
func (m *Backups) Emit(_ context.Context, evs ...events.Event) error {
	m.db.outbox.Add(evs...)
	return nil
}
