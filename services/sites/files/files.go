// Package files lays out the sites service's data directory
// (HOSTPLANE_DATA_DIR) and changes it atomically:
//
//	sites/<site_id>/{medias,datas,ftp}   each site's root
//	backups/<site_id>/<backup>.tar.zst   its backups
//	tmp/                                 work in progress (same file system,
//	                                     so that renames are atomic)
package files

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// Dirs every site root has.
var Dirs = []string{"medias", "datas", "ftp"}

// Layout is a data directory.
type Layout struct{ Dir string }

// Open makes sure the layout's directories exist.
func Open(dir string) (Layout, error) {
	if dir == "" {
		return Layout{}, errors.New("files: no data directory")
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return Layout{}, err
	}
	l := Layout{Dir: abs}
	for _, d := range []string{"sites", "backups", "tmp"} {
		if err := os.MkdirAll(filepath.Join(abs, d), 0o750); err != nil {
			return Layout{}, fmt.Errorf("files: %w", err)
		}
	}
	return l, nil
}

func itoa(id int64) string { return strconv.FormatInt(id, 10) }

// Root is the root directory of site id.
func (l Layout) Root(id int64) string { return filepath.Join(l.Dir, "sites", itoa(id)) }

// BackupDir holds the backups of site id.
func (l Layout) BackupDir(id int64) string { return filepath.Join(l.Dir, "backups", itoa(id)) }

// Temp returns a fresh path under tmp/ (not created) named after what.
func (l Layout) Temp(what string) string {
	var b [6]byte
	_, _ = rand.Read(b[:])
	return filepath.Join(l.Dir, "tmp", what+"-"+hex.EncodeToString(b[:]))
}

// Make creates the root of site id, empty or as a copy of site from's,
// built under tmp/ and renamed into place. A root left by an earlier
// attempt is replaced.
func (l Layout) Make(ctx context.Context, id, from int64, progress func(pct int)) error {
	tmp := l.Temp("make-" + itoa(id))
	defer os.RemoveAll(tmp)
	if from != 0 {
		if err := CopyTree(ctx, l.Root(from), tmp, progress); err != nil {
			return err
		}
	} else if err := os.Mkdir(tmp, 0o750); err != nil {
		return err
	}
	for _, d := range Dirs {
		if err := os.MkdirAll(filepath.Join(tmp, d), 0o750); err != nil {
			return err
		}
	}
	root := l.Root(id)
	if _, err := os.Lstat(root); err == nil {
		if err := l.discard(root); err != nil {
			return err
		}
	}
	return os.Rename(tmp, root)
}

// discard moves path under tmp/ (atomic) and deletes it there.
func (l Layout) discard(path string) error {
	trash := l.Temp("trash")
	if err := os.Rename(path, trash); err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil
		}
		return err
	}
	return os.RemoveAll(trash)
}

// Remove deletes the root and the backups of site id.
func (l Layout) Remove(_ context.Context, id int64) error {
	return errors.Join(l.discard(l.Root(id)), l.discard(l.BackupDir(id)))
}

// CleanTemp removes what interrupted work left under tmp/ more than age
// ago, but for the old roots of interrupted restores (their job needs them
// to put the files back).
func (l Layout) CleanTemp(age time.Duration) error {
	entries, err := os.ReadDir(filepath.Join(l.Dir, "tmp"))
	if err != nil {
		return err
	}
	var errsOut []error
	for _, e := range entries {
		info, err := e.Info()
		if err != nil || time.Since(info.ModTime()) < age || strings.HasPrefix(e.Name(), "restore-old-") {
			continue
		}
		errsOut = append(errsOut, os.RemoveAll(filepath.Join(l.Dir, "tmp", e.Name())))
	}
	return errors.Join(errsOut...)
}

// Usage is the bytes under each of a site's directories.
func (l Layout) Usage(id int64) (map[string]int64, error) {
	out := map[string]int64{}
	for _, d := range Dirs {
		var n int64
		err := filepath.WalkDir(filepath.Join(l.Root(id), d), func(_ string, e fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if e.Type().IsRegular() {
				if info, err := e.Info(); err == nil {
					n += info.Size()
				}
			}
			return nil
		})
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return nil, err
		}
		out[d] = n
	}
	return out, nil
}

// CopyTree copies the directories and regular files under src into dst
// (created), reporting the share of bytes copied. Links and special files
// are skipped.
func CopyTree(ctx context.Context, src, dst string, progress func(pct int)) error {
	var total, done int64
	err := filepath.WalkDir(src, func(_ string, d fs.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() {
			if info, err := d.Info(); err == nil {
				total += info.Size()
			}
		}
		return err
	})
	if err != nil {
		return fmt.Errorf("files: copy: %w", err)
	}
	last := time.Now()
	return filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		rel, err := filepath.Rel(src, p)
		if err != nil {
			return err
		}
		target := filepath.Join(dst, rel)
		info, err := d.Info()
		if err != nil {
			return err
		}
		switch {
		case d.IsDir():
			return os.MkdirAll(target, info.Mode().Perm()|0o700)
		case d.Type().IsRegular():
			n, err := copyFile(p, target, info.Mode().Perm())
			done += n
			if progress != nil && total > 0 && time.Since(last) > 100*time.Millisecond {
				progress(int(done * 100 / total))
				last = time.Now()
			}
			return err
		}
		return nil
	})
}

func copyFile(src, dst string, mode fs.FileMode) (int64, error) {
	in, err := os.Open(src)
	if err != nil {
		return 0, err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_CREATE|os.O_EXCL|os.O_WRONLY, mode|0o600)
	if err != nil {
		return 0, err
	}
	n, err := io.Copy(out, in) // copy_file_range where the kernel can
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	return n, err
}
