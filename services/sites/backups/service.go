package backups

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/hostplane/hostplane/libs/errs"
	"github.com/hostplane/hostplane/libs/principal"
	"github.com/hostplane/hostplane/services/sites/archive"
	"github.com/hostplane/hostplane/services/sites/files"
	"github.com/hostplane/hostplane/services/sites/jobs"
	"github.com/hostplane/hostplane/services/sites/site"
)

// Service lists, makes and restores backups. Sites are named by code and
// seen as the caller in ctx may see them (another customer's site is not
// found).
type Service interface {
	List(ctx context.Context, code string) ([]Backup, error)
	// Create queues a backup job.
	Create(ctx context.Context, code, idempotencyKey string) (jobs.Job, error)
	// Restore queues a restore job of backup ref: its id, or its creation
	// date ("2026-11-23 21:02:51", RFC 3339, or a day for its latest).
	Restore(ctx context.Context, code, ref, idempotencyKey string) (jobs.Job, error)
	// RunBackup and RunRestore are the jobs' handlers.
	RunBackup(ctx context.Context, j jobs.Job, p *jobs.Progress) (any, error)
	RunRestore(ctx context.Context, j jobs.Job, p *jobs.Progress) (any, error)
}

// Sites finds sites (as the caller in ctx may see them).
type Sites interface {
	Get(ctx context.Context, id int64) (site.Site, error)
	GetByCode(ctx context.Context, code string) (site.Site, error)
}

// Options configure the service.
type Options struct {
	// Retention is how many backups a site keeps (10 when 0).
	Retention int
	// Archive tunes compression.
	Archive archive.Options
	Now     func() time.Time
}

type service struct {
	store  Store
	sites  Sites
	layout files.Layout
	jobs   jobs.Service
	opts   Options
}

// NewService returns the backup service.
func NewService(store Store, sites Sites, layout files.Layout, js jobs.Service, o Options) Service {
	if o.Retention <= 0 {
		o.Retention = 10
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return &service{store: store, sites: sites, layout: layout, jobs: js, opts: o}
}

func (s *service) List(ctx context.Context, code string) ([]Backup, error) {
	st, err := s.sites.GetByCode(ctx, code)
	if err != nil {
		return nil, err
	}
	return s.store.List(ctx, st.ID)
}

func (s *service) Create(ctx context.Context, code, key string) (jobs.Job, error) {
	st, err := s.sites.GetByCode(ctx, code)
	if err != nil {
		return jobs.Job{}, err
	}
	if st.Provisioning {
		return jobs.Job{}, errs.New(errs.Conflict, "The site is still being created.")
	}
	return s.jobs.Enqueue(ctx, jobs.New{Kind: jobs.KindBackupCreate, SiteID: st.ID, SiteCode: st.Code,
		CustomerID: st.CustomerID, Params: struct{}{}, IdempotencyKey: key, Request: st.ID})
}

type restoreParams struct {
	BackupID string `json:"backup_id"`
}

func (s *service) Restore(ctx context.Context, code, ref, key string) (jobs.Job, error) {
	st, err := s.sites.GetByCode(ctx, code)
	if err != nil {
		return jobs.Job{}, err
	}
	b, err := s.find(ctx, st.ID, ref)
	if err != nil {
		return jobs.Job{}, err
	}
	return s.jobs.Enqueue(ctx, jobs.New{Kind: jobs.KindBackupRestore, SiteID: st.ID, SiteCode: st.Code,
		CustomerID: st.CustomerID, Params: restoreParams{BackupID: b.ID}, IdempotencyKey: key,
		Request: []any{st.ID, b.ID}})
}

// dateLayouts are how a restore may name a backup by its date.
var dateLayouts = []string{"2006-01-02 15:04:05", time.RFC3339, "2006-01-02T15:04:05", "02/01/2006 15:04:05"}

// find resolves a backup reference: an id, or a creation date.
func (s *service) find(ctx context.Context, siteID int64, ref string) (Backup, error) {
	ref = strings.TrimSpace(ref)
	if b, err := s.store.Get(ctx, siteID, ref); err == nil || errs.KindOf(err) != errs.NotFound {
		return b, err
	}
	all, err := s.store.List(ctx, siteID)
	if err != nil {
		return Backup{}, err
	}
	for _, layout := range dateLayouts {
		if t, err := time.ParseInLocation(layout, ref, time.UTC); err == nil {
			for _, b := range all { // newest first
				if b.DateCreated.Equal(t.UTC()) {
					return b, nil
				}
			}
		}
	}
	for _, layout := range []string{"2006-01-02", "02/01/2006"} {
		if t, err := time.ParseInLocation(layout, ref, time.UTC); err == nil {
			for _, b := range all {
				if !b.DateCreated.Before(t) && b.DateCreated.Before(t.AddDate(0, 0, 1)) {
					return b, nil
				}
			}
		}
	}
	return Backup{}, errs.NotFoundResource("backup", "No backup of this site has this id or date.")
}

// system is the context of job work: the service itself, not a caller.
func system(ctx context.Context) context.Context {
	return principal.With(ctx, &principal.Principal{System: true, Permissions: []string{"*"}})
}

func siteGone(err error) error {
	if errs.KindOf(err) == errs.NotFound {
		return errs.NotFoundResource("site", "The site no longer exists.")
	}
	return err
}

func (s *service) RunBackup(ctx context.Context, j jobs.Job, p *jobs.Progress) (any, error) {
	ctx = system(ctx)
	st, err := s.sites.Get(ctx, j.SiteID)
	if err != nil {
		return nil, siteGone(err)
	}
	dir := s.layout.BackupDir(st.ID)
	// A previous attempt may have finished before its worker died.
	if b, err := s.store.ByJob(ctx, j.ID); err == nil {
		if _, serr := os.Stat(filepath.Join(dir, b.ID+archive.Extension)); serr == nil {
			return result(b), nil
		}
		if err := s.store.Delete(ctx, st.ID, b.ID); err != nil {
			return nil, err
		}
	} else if errs.KindOf(err) != errs.NotFound {
		return nil, err
	}
	_ = p.Set(ctx, 0, "measuring")
	root := s.layout.Root(st.ID)
	size, err := archive.Measure(root)
	if err != nil {
		return nil, fmt.Errorf("backups: measure %s: %w", root, err)
	}
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, err
	}
	partial := filepath.Join(dir, ".job-"+strconv.FormatInt(j.ID, 10)+".partial")
	defer os.Remove(partial)
	f, err := os.OpenFile(partial, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o640)
	if err != nil {
		return nil, err
	}
	h := sha256.New()
	cw := &countWriter{w: io.MultiWriter(f, h)}
	opts := s.opts.Archive
	report := p.Func(ctx, "archiving", 2, 95)
	opts.Progress = func(done int64) {
		if size.Bytes > 0 {
			report(int(done * 100 / size.Bytes))
		}
	}
	stats, err := archive.Write(ctx, root, cw, opts)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return nil, fmt.Errorf("backups: archive site %d: %w", st.ID, err)
	}
	_ = p.Set(ctx, 96, "recording")
	b := Backup{SiteID: st.ID, JobID: j.ID, Size: cw.n, Checksum: hex.EncodeToString(h.Sum(nil)),
		Format: archive.Format, Files: stats.Files, Bytes: stats.Bytes, DateCreated: s.opts.Now().UTC().Truncate(time.Second)}
	base := b.DateCreated.Format(IDLayout)
	for i := 1; ; i++ {
		b.ID = base
		if i > 1 {
			b.ID = base + "-" + strconv.Itoa(i)
		}
		err := s.store.Create(ctx, &b)
		if err == nil {
			break
		}
		if errs.KindOf(err) != errs.Conflict || i >= 50 {
			return nil, err
		}
	}
	if err := os.Rename(partial, filepath.Join(dir, b.ID+archive.Extension)); err != nil {
		_ = s.store.Delete(ctx, st.ID, b.ID)
		return nil, err
	}
	_ = p.Set(ctx, 98, "pruning")
	if err := s.prune(ctx, st.ID); err != nil {
		return nil, err
	}
	_ = p.Set(ctx, 100, "done")
	return result(b), nil
}

// Result is what a backup or restore job answers (the backup's record).
type Result struct {
	BackupID     string `json:"backup_id"`
	Checksum     string `json:"checksum"`
	CreationDate string `json:"creation_date"`
	SiteID       int64  `json:"site_id"`
	Size         int64  `json:"size"` // archive bytes
}

func result(b Backup) Result {
	return Result{BackupID: b.ID, SiteID: b.SiteID, Size: b.Size, Checksum: b.Checksum,
		CreationDate: b.DateCreated.UTC().Format("2006-01-02 15:04:05")}
}

// prune removes the oldest backups beyond the retention.
func (s *service) prune(ctx context.Context, siteID int64) error {
	all, err := s.store.List(ctx, siteID)
	if err != nil {
		return err
	}
	for i := s.opts.Retention; i < len(all); i++ {
		b := all[i]
		if err := os.Remove(filepath.Join(s.layout.BackupDir(siteID), b.ID+archive.Extension)); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
		if err := s.store.Delete(ctx, siteID, b.ID); err != nil && errs.KindOf(err) != errs.NotFound {
			return err
		}
	}
	return nil
}

type countWriter struct {
	w io.Writer
	n int64
}

func (c *countWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

// ErrCorrupted halts a restore whose archive does not match its record.
var ErrCorrupted = errors.New("backups: archive corrupted")

func (s *service) RunRestore(ctx context.Context, j jobs.Job, p *jobs.Progress) (any, error) {
	ctx = system(ctx)
	var params restoreParams
	if err := json.Unmarshal(j.Params, &params); err != nil {
		return nil, fmt.Errorf("backups: job %d params: %w", j.ID, err)
	}
	st, err := s.sites.Get(ctx, j.SiteID)
	if err != nil {
		return nil, siteGone(err)
	}
	b, err := s.store.Get(ctx, st.ID, params.BackupID)
	if err != nil {
		return nil, err
	}
	root := s.layout.Root(st.ID)
	tag := strconv.FormatInt(j.ID, 10)
	old := filepath.Join(s.layout.Dir, "tmp", "restore-old-"+tag)
	fresh := filepath.Join(s.layout.Dir, "tmp", "restore-new-"+tag)
	// A previous attempt that died between the two renames left the site
	// without its root: put the old files back first.
	if _, err := os.Lstat(root); errors.Is(err, fs.ErrNotExist) {
		if _, oerr := os.Lstat(old); oerr == nil {
			if err := os.Rename(old, root); err != nil {
				return nil, err
			}
		}
	}
	if err := os.RemoveAll(fresh); err != nil {
		return nil, err
	}
	defer os.RemoveAll(fresh)
	if err := os.Mkdir(fresh, 0o750); err != nil {
		return nil, err
	}
	_ = p.Set(ctx, 0, "extracting")
	if err := s.extract(ctx, b, fresh, p); err != nil {
		return nil, err
	}
	_ = p.Set(ctx, 95, "swapping")
	if err := swap(root, fresh, old); err != nil {
		return nil, fmt.Errorf("backups: swap the files of site %d: %w", st.ID, err)
	}
	// The old files are deleted after the job: renamed to trash first
	// (what a restart's clean-up removes), then removed in the background.
	trash := s.layout.Temp("trash-restore-" + tag)
	if err := os.Rename(old, trash); err == nil {
		go func() { _ = os.RemoveAll(trash) }()
	} else {
		_ = os.RemoveAll(old)
	}
	ev, err := NewEvent(EventRestored, b)
	if err != nil {
		return nil, err
	}
	if err := s.store.Emit(ctx, ev); err != nil {
		return nil, err
	}
	_ = p.Set(ctx, 100, "done")
	return result(b), nil
}

// extract unpacks b into dst and checks the archive's checksum; anything
// wrong with the archive is a halt that names the backup.
func (s *service) extract(ctx context.Context, b Backup, dst string, p *jobs.Progress) error {
	f, err := os.Open(filepath.Join(s.layout.BackupDir(b.SiteID), b.ID+archive.Extension))
	if errors.Is(err, fs.ErrNotExist) {
		return errs.New(errs.Conflict, "The archive of backup %s is missing.", b.ID)
	}
	if err != nil {
		return err
	}
	defer f.Close()
	h := sha256.New()
	r := io.TeeReader(f, h)
	report := p.Func(ctx, "extracting", 2, 94)
	_, xerr := archive.Extract(ctx, r, dst, archive.ExtractOptions{
		MaxBytes: b.Bytes + b.Bytes/10 + 1<<20,
		Progress: func(done int64) {
			if b.Bytes > 0 {
				report(int(done * 100 / b.Bytes))
			}
		},
	})
	if ctx.Err() != nil {
		return ctx.Err()
	}
	if xerr == nil {
		_, xerr = io.Copy(io.Discard, r)
	}
	if xerr != nil {
		return &errs.Error{Kind: errs.Conflict, Message: "The archive of backup " + b.ID + " is corrupted or unsafe; the site was left as it was.", Err: errors.Join(ErrCorrupted, xerr)}
	}
	if got := hex.EncodeToString(h.Sum(nil)); got != b.Checksum {
		return &errs.Error{Kind: errs.Conflict, Message: "The archive of backup " + b.ID + " does not match its checksum; the site was left as it was.", Err: ErrCorrupted}
	}
	return nil
}

// swap puts fresh in root's place, keeping the old root at old until the
// new one is in.
func swap(root, fresh, old string) error {
	if err := os.RemoveAll(old); err != nil {
		return err
	}
	if err := os.Rename(root, old); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	if err := os.Rename(fresh, root); err != nil {
		_ = os.Rename(old, root)
		return err
	}
	return nil
}
