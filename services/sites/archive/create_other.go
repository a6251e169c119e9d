//go:build !linux

package archive

import (
	"io/fs"
	"os"
)

// newCreator returns a creator for one extraction.
func newCreator() *creator { return &creator{} }

// create creates path, which must not exist yet.
func (c *creator) create(path string, mode fs.FileMode) (*os.File, func() error, error) {
	return c.createByName(path, mode)
}
