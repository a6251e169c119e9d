//go:build linux

package archive

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"

	"golang.org/x/sys/unix"
)

// newCreator returns a creator for one extraction: by name when /proc,
// which links an unnamed file, is missing.
func newCreator() *creator {
	c := &creator{}
	if _, err := os.Stat("/proc/self/fd"); err != nil {
		c.byName.Store(true)
	}
	return c
}

// create opens a new, unnamed file in path's directory (O_TMPFILE) and
// returns it with link, which names it path (failing if path exists) once
// it is written. Allocating a file's inode is the dear part of making it
// (ext4 without a journal scans past every recently deleted inode), and
// done this way it does not hold the directory's lock, so writers making
// files in the same directory do it at once. Where O_TMPFILE or /proc is
// missing, the file is created by name.
func (c *creator) create(path string, mode fs.FileMode) (*os.File, func() error, error) {
	if !c.byName.Load() {
		fd, err := unix.Open(filepath.Dir(path), unix.O_TMPFILE|unix.O_WRONLY|unix.O_CLOEXEC, uint32(mode))
		if err == nil {
			f := os.NewFile(uintptr(fd), path)
			link := func() error {
				if err := unix.Linkat(unix.AT_FDCWD, "/proc/self/fd/"+strconv.Itoa(fd), unix.AT_FDCWD, path, unix.AT_SYMLINK_FOLLOW); err != nil {
					return &fs.PathError{Op: "link", Path: path, Err: err}
				}
				return nil
			}
			return f, link, nil
		}
		if !errors.Is(err, unix.EOPNOTSUPP) && !errors.Is(err, unix.EISDIR) && !errors.Is(err, unix.EINVAL) {
			return nil, nil, &fs.PathError{Op: "open", Path: path, Err: err}
		}
		c.byName.Store(true)
	}
	return c.createByName(path, mode)
}
