package quota

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"time"
)

// DirSizes is the Disk of this host's filesystem: it walks a directory and
// adds up its regular files' sizes, and remembers the answer for TTL (a
// site's files do not need walking on every request).
type DirSizes struct {
	TTL time.Duration // 0: a minute
	Now func() time.Time

	mu    sync.Mutex
	sizes map[string]sized
}

type sized struct {
	bytes int64
	until time.Time
}

// Size walks dir (0 when it does not exist).
func (d *DirSizes) Size(ctx context.Context, dir string) (int64, error) {
	now := time.Now
	if d.Now != nil {
		now = d.Now
	}
	ttl := d.TTL
	if ttl <= 0 {
		ttl = time.Minute
	}
	d.mu.Lock()
	if s, ok := d.sizes[dir]; ok && now().Before(s.until) {
		d.mu.Unlock()
		return s.bytes, nil
	}
	d.mu.Unlock()
	var total int64
	err := filepath.WalkDir(dir, func(_ string, e fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil
			}
			return err
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if e.Type().IsRegular() {
			info, err := e.Info()
			if err != nil {
				if errors.Is(err, os.ErrNotExist) {
					return nil // removed while walking
				}
				return err
			}
			total += info.Size()
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	d.mu.Lock()
	if d.sizes == nil || len(d.sizes) > 10000 {
		d.sizes = map[string]sized{}
	}
	d.sizes[dir] = sized{bytes: total, until: now().Add(ttl)}
	d.mu.Unlock()
	return total, nil
}
