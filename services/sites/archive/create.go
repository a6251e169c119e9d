package archive

import (
	"io/fs"
	"os"
	"sync/atomic"
)

// creator makes the files of one extraction.
type creator struct {
	byName atomic.Bool // create files by name (the portable way)
}

// createByName creates path, which must not exist yet; link does nothing.
func (c *creator) createByName(path string, mode fs.FileMode) (*os.File, func() error, error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, mode)
	return f, func() error { return nil }, err
}
