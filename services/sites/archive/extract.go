package archive

import (
	"archive/tar"
	"context"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/klauspost/compress/zstd"
)

// ExtractOptions tune Extract.
type ExtractOptions struct {
	// MaxBytes bounds the uncompressed contents (0: no bound).
	MaxBytes int64
	// Progress hears the bytes of file contents read so far.
	Progress func(done int64)
	// Writers is how many goroutines write small files (4 when 0).
	Writers int
}

// smallFile is the largest file handed whole to a writer; bigger ones are
// streamed to disk by the reading goroutine itself.
const smallFile = 1 << 20

// dirTime is a directory's modification time, set once all is written.
type dirTime struct {
	path string
	t    time.Time
}

// Extract reads an archive from r into dst (an existing, empty directory).
// The reading goroutine checks every entry and makes the directories;
// small files are read whole into pooled buffers and written by a few
// goroutines at once (creating a file costs far more than its bytes), big
// ones streamed inline. It fails on the first unsafe or unreadable entry
// or failed write; the caller removes dst then.
func Extract(ctx context.Context, r io.Reader, dst string, o ExtractOptions) (Stats, error) {
	zr, err := zstd.NewReader(r, zstd.WithDecoderConcurrency(0), zstd.WithDecoderLowmem(false))
	if err != nil {
		return Stats{}, err
	}
	defer zr.Close()
	workers := o.Writers
	if workers <= 0 {
		workers = 4
	}
	pool := newWriterPool(workers, 4*workers)
	st, dirs, err := extractEntries(ctx, tar.NewReader(zr), dst, o, pool)
	if perr := pool.close(); err == nil {
		err = perr
	}
	if err != nil {
		return st, err
	}
	// Writing a directory's entries changed its time: set them last,
	// children first.
	for i := len(dirs) - 1; i >= 0; i-- {
		_ = os.Chtimes(dirs[i].path, dirs[i].t, dirs[i].t)
	}
	if o.Progress != nil {
		o.Progress(st.Bytes)
	}
	return st, nil
}

// extractEntries reads the entries, makes directories and big files, and
// hands small files to pool.
func extractEntries(ctx context.Context, tr *tar.Reader, dst string, o ExtractOptions, pool *writerPool) (Stats, []dirTime, error) {
	var st Stats
	var dirs []dirTime
	made := map[string]bool{dst: true} // directories known to exist
	mkdir := func(p string) error {
		if made[p] {
			return nil
		}
		if err := os.MkdirAll(p, 0o750); err != nil {
			return err
		}
		made[p] = true
		return nil
	}
	buf := make([]byte, 256<<10)
	c := newCreator()
	lastReport := time.Now()
	for {
		if err := ctx.Err(); err != nil {
			return st, dirs, err
		}
		if pool.failed.Load() {
			return st, dirs, nil // pool.close has the error
		}
		h, err := tr.Next()
		if err == io.EOF {
			return st, dirs, nil
		}
		if err != nil {
			return st, dirs, fmt.Errorf("archive: read: %w", err)
		}
		name, err := SafeName(h.Name)
		if err != nil {
			return st, dirs, err
		}
		target := filepath.Join(dst, filepath.FromSlash(name))
		mode := fs.FileMode(h.Mode).Perm()
		switch h.Typeflag {
		case tar.TypeDir:
			if err := mkdir(target); err != nil {
				return st, dirs, err
			}
			if err := os.Chmod(target, mode|0o700); err != nil {
				return st, dirs, err
			}
			dirs = append(dirs, dirTime{target, h.ModTime})
			st.Dirs++
		case tar.TypeReg:
			if h.Size < 0 || (o.MaxBytes > 0 && st.Bytes+h.Size > o.MaxBytes) {
				return st, dirs, fmt.Errorf("%w: more than %d bytes", ErrUnsafe, o.MaxBytes)
			}
			if err := mkdir(filepath.Dir(target)); err != nil {
				return st, dirs, err
			}
			f := file{path: target, mode: mode | 0o600, mtime: h.ModTime, c: c}
			var n int64
			if h.Size <= smallFile {
				b, err := pool.take(ctx, int(h.Size))
				if err != nil {
					return st, dirs, err
				}
				if _, err := io.ReadFull(tr, *b); err != nil {
					pool.give(b)
					return st, dirs, fmt.Errorf("archive: read %s: %w", name, err)
				}
				f.data = b
				pool.files <- f
				n = h.Size
			} else if n, err = f.stream(tr, buf); err != nil {
				return st, dirs, err
			}
			st.Files++
			st.Bytes += n
			if o.Progress != nil && time.Since(lastReport) > 100*time.Millisecond {
				o.Progress(st.Bytes)
				lastReport = time.Now()
			}
		default:
			return st, dirs, fmt.Errorf("%w: %q is not a file or directory", ErrUnsafe, h.Name)
		}
	}
}
