// Package archive writes and reads the backups of site files: a tar stream
// of a directory's regular files and directories, compressed with zstd
// (several cores at once). Reading refuses anything that could land outside
// the destination: absolute names, "..", links, devices; it writes files
// from a few goroutines, each file named only once written where the
// system allows it.
package archive

import (
	"archive/tar"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/klauspost/compress/zstd"
)

// Extension is the file name extension of archives.
const Extension = ".tar.zst"

// Format names the archive format in backup records.
const Format = "tar+zstd"

// Stats describe what an archive holds.
type Stats struct {
	Files int64
	Dirs  int64
	Bytes int64 // file contents, uncompressed
}

// Measure walks root and counts what Write would store.
func Measure(root string) (Stats, error) {
	var st Stats
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		switch {
		case d.IsDir():
			st.Dirs++
		case d.Type().IsRegular():
			info, err := d.Info()
			if err != nil {
				return err
			}
			st.Files++
			st.Bytes += info.Size()
		}
		return nil
	})
	return st, err
}

// Options tune Write.
type Options struct {
	// Level is the zstd level (zstd.SpeedFastest when 0).
	Level zstd.EncoderLevel
	// Concurrency is how many cores compress (GOMAXPROCS when 0).
	Concurrency int
	// Progress hears the bytes of file contents stored so far (may be nil).
	Progress func(done int64)
}

// Write stores the contents of root (not root itself) into w: directories
// and regular files with their modes and modification times. Symbolic
// links and special files are skipped.
func Write(ctx context.Context, root string, w io.Writer, o Options) (Stats, error) {
	level := o.Level
	if level == 0 {
		level = zstd.SpeedFastest
	}
	conc := o.Concurrency
	if conc <= 0 {
		conc = runtime.GOMAXPROCS(0)
	}
	zw, err := zstd.NewWriter(w, zstd.WithEncoderLevel(level), zstd.WithEncoderConcurrency(conc), zstd.WithLowerEncoderMem(false))
	if err != nil {
		return Stats{}, err
	}
	tw := tar.NewWriter(zw)
	var st Stats
	buf := make([]byte, 256<<10)
	lastReport := time.Now()
	err = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		rel, err := filepath.Rel(root, p)
		if err != nil || rel == "." {
			return err
		}
		name := filepath.ToSlash(rel)
		switch {
		case d.IsDir():
			info, err := d.Info()
			if err != nil {
				return err
			}
			st.Dirs++
			return tw.WriteHeader(&tar.Header{Typeflag: tar.TypeDir, Name: name + "/", Mode: int64(info.Mode().Perm()), ModTime: info.ModTime(), Format: tar.FormatPAX})
		case d.Type().IsRegular():
			f, err := os.Open(p)
			if err != nil {
				return err
			}
			defer f.Close()
			info, err := f.Stat()
			if err != nil {
				return err
			}
			if err := tw.WriteHeader(&tar.Header{Typeflag: tar.TypeReg, Name: name, Size: info.Size(), Mode: int64(info.Mode().Perm()), ModTime: info.ModTime(), Format: tar.FormatPAX}); err != nil {
				return err
			}
			n, err := io.CopyBuffer(tw, io.LimitReader(f, info.Size()), buf)
			if err != nil {
				return err
			}
			if n != info.Size() {
				return fmt.Errorf("archive: %s changed size while being read", name)
			}
			st.Files++
			st.Bytes += n
			if o.Progress != nil && time.Since(lastReport) > 100*time.Millisecond {
				o.Progress(st.Bytes)
				lastReport = time.Now()
			}
		}
		return nil
	})
	if err != nil {
		zw.Close()
		return st, err
	}
	if err := tw.Close(); err != nil {
		zw.Close()
		return st, err
	}
	if err := zw.Close(); err != nil {
		return st, err
	}
	if o.Progress != nil {
		o.Progress(st.Bytes)
	}
	return st, nil
}

// ErrUnsafe is the error of an entry that could escape the destination or
// is not a plain file or directory.
var ErrUnsafe = errors.New("archive: unsafe entry")

// SafeName checks an entry name: relative, clean, without "..", and
// returns it without its trailing slash.
func SafeName(name string) (string, error) {
	n := strings.TrimSuffix(name, "/")
	if n == "" || strings.HasPrefix(n, "/") || strings.Contains(n, "\\") || strings.ContainsRune(n, 0) ||
		path.Clean(n) != n || n == ".." || strings.HasPrefix(n, "../") || strings.Contains(n, "/../") || strings.HasSuffix(n, "/..") ||
		filepath.IsAbs(n) || n == "." {
		return "", fmt.Errorf("%w: name %q", ErrUnsafe, name)
	}
	return n, nil
}
