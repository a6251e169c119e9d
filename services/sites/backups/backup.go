// Package backups is the backup aggregate of the sites service: a
// compressed archive of a site's files (tar + zstd) with its record (size,
// checksum), made and restored by jobs. A restore extracts into a
// temporary directory, checks the archive's checksum, and only then swaps
// the files in: a corrupted archive leaves the site as it was. Each site
// keeps its newest backups (10 by default); older ones are removed.
package backups

import (
	"strconv"
	"time"

	"github.com/hostplane/hostplane/libs/events"
)

// Backup is one archive of a site's files.
type Backup struct {
	ID          string // the creation time, "20261123-210251" (UTC), unique per site
	SiteID      int64
	JobID       int64
	Size        int64  // archive bytes
	Checksum    string // SHA-256 of the archive, hex
	Format      string
	Files       int64
	Bytes       int64 // file contents, uncompressed
	DateCreated time.Time
}

// IDLayout is how a backup id spells its creation time.
const IDLayout = "20060102-150405"

// Event types of backups.
const (
	EventCreated  = "backup.created"
	EventRestored = "backup.restored"
)

// EventData is the data of backup events.
type EventData struct {
	SiteID   int64  `json:"site_id"`
	BackupID string `json:"backup_id"`
	Size     int64  `json:"size"`
}

// NewEvent makes the event typ about b.
func NewEvent(typ string, b Backup) (events.Event, error) {
	return events.New("sites", typ, "site:"+strconv.FormatInt(b.SiteID, 10), EventData{SiteID: b.SiteID, BackupID: b.ID, Size: b.Size})
}
