// Package files moves site roots under tenant directories in the data
// directory (HOSTPLANE_DATA_DIR): <data>/tenants/<name>/ (mode 0750) holds
// the site's files in site/, and the site's old root becomes a symbolic
// link to it, so that what still refers to the old path keeps working.
package files

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/hostplane/hostplane/libs/errs"
)

// DirMode is the mode of tenant directories.
const DirMode = 0o750

// Local works on the local filesystem under DataDir.
type Local struct {
	DataDir string
}

// Dir implements tenants.Files.
func (l *Local) Dir(name string) string { return filepath.Join(l.DataDir, "tenants", name) }

// siteDir is where a tenant's site root lives.
func siteDir(tenantDir string) string { return filepath.Join(tenantDir, "site") }

// inside reports whether path is strictly inside dir (both cleaned,
// absolute; symbolic links in dir resolved).
func inside(dir, path string) bool {
	if real, err := filepath.EvalSymlinks(dir); err == nil {
		if p, err := filepath.EvalSymlinks(filepath.Dir(path)); err == nil {
			dir, path = real, filepath.Join(p, filepath.Base(path))
		}
	}
	rel, err := filepath.Rel(dir, path)
	return err == nil && rel != "." && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) && !filepath.IsAbs(rel)
}

// check refuses a tenant directory or site root outside the data
// directory, or a root inside the tenants area.
func (l *Local) check(root, tenantDir string) error {
	if l.DataDir == "" {
		return errs.New(errs.Unavailable, "No data directory: set HOSTPLANE_DATA_DIR.")
	}
	if !filepath.IsAbs(tenantDir) || !inside(filepath.Join(l.DataDir, "tenants"), tenantDir) {
		return errs.New(errs.Invalid, "Tenant directory %q is outside %s.", tenantDir, filepath.Join(l.DataDir, "tenants"))
	}
	if root == "" {
		return nil
	}
	if !filepath.IsAbs(root) || filepath.Clean(root) != root || !inside(l.DataDir, root) {
		return errs.New(errs.Invalid, "The site's root %q is not inside the data directory %s: it is not moved.", root, l.DataDir)
	}
	if inside(filepath.Join(l.DataDir, "tenants"), root) {
		return errs.New(errs.Invalid, "The site's root %q is inside the tenants directory.", root)
	}
	return nil
}

// Adopt implements tenants.Files. Each move is one rename, so a crash
// leaves either the old state, or the files moved without the link, which
// Adopt finishes when run again.
func (l *Local) Adopt(_ context.Context, root, tenantDir string) error {
	if err := l.check(root, tenantDir); err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(tenantDir), DirMode); err != nil {
		return fmt.Errorf("files: %w", err)
	}
	if err := os.Mkdir(tenantDir, DirMode); err != nil && !errors.Is(err, fs.ErrExist) {
		return fmt.Errorf("files: %w", err)
	}
	if err := os.Chmod(tenantDir, DirMode); err != nil {
		return fmt.Errorf("files: %w", err)
	}
	target := siteDir(tenantDir)
	if root == "" {
		return mkdir(target)
	}
	fi, err := os.Lstat(root)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		if err := mkdir(target); err != nil {
			return err
		}
	case err != nil:
		return fmt.Errorf("files: %w", err)
	case fi.Mode()&fs.ModeSymlink != 0:
		if dest, _ := os.Readlink(root); dest == target {
			return nil
		}
		return errs.New(errs.Conflict, "The site's root %q is a link that does not lead to its tenant directory.", root)
	case !fi.IsDir():
		return errs.New(errs.Conflict, "The site's root %q is not a directory.", root)
	default:
		if _, err := os.Lstat(target); err == nil {
			return errs.New(errs.Conflict, "Both the site's root %q and %q exist: move one away.", root, target)
		}
		if err := os.Rename(root, target); err != nil {
			return fmt.Errorf("files: move the site's root: %w", err)
		}
	}
	if err := os.MkdirAll(filepath.Dir(root), 0o755); err != nil {
		return fmt.Errorf("files: %w", err)
	}
	if err := os.Symlink(target, root); err != nil {
		return fmt.Errorf("files: link the old root: %w", err)
	}
	return nil
}

func mkdir(dir string) error {
	if err := os.Mkdir(dir, DirMode); err != nil && !errors.Is(err, fs.ErrExist) {
		return fmt.Errorf("files: %w", err)
	}
	return nil
}

// unlink removes root when it is the link Adopt left.
func unlink(root, target string) error {
	if root == "" {
		return nil
	}
	if dest, err := os.Readlink(root); err == nil && dest == target {
		if err := os.Remove(root); err != nil {
			return fmt.Errorf("files: %w", err)
		}
	}
	return nil
}

// Release implements tenants.Files.
func (l *Local) Release(_ context.Context, root, tenantDir string) error {
	if err := l.check(root, tenantDir); err != nil {
		return err
	}
	target := siteDir(tenantDir)
	if err := unlink(root, target); err != nil {
		return err
	}
	if root != "" {
		if _, err := os.Lstat(root); errors.Is(err, fs.ErrNotExist) {
			if _, err := os.Stat(target); err == nil {
				if err := os.Rename(target, root); err != nil {
					return fmt.Errorf("files: move the site's root back: %w", err)
				}
			}
		}
	}
	if err := os.RemoveAll(tenantDir); err != nil {
		return fmt.Errorf("files: %w", err)
	}
	return nil
}

// Remove implements tenants.Files.
func (l *Local) Remove(_ context.Context, root, tenantDir string) error {
	if err := l.check(root, tenantDir); err != nil {
		return err
	}
	if err := unlink(root, siteDir(tenantDir)); err != nil {
		return err
	}
	if err := os.RemoveAll(tenantDir); err != nil {
		return fmt.Errorf("files: %w", err)
	}
	return nil
}
