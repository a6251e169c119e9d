package archive

import (
	"context"
	"io"
	"io/fs"
	"os"
	"sync"
	"sync/atomic"
	"time"
)

// file is a regular file to create (it must not exist yet).
type file struct {
	path  string
	mode  fs.FileMode
	mtime time.Time
	data  *[]byte // whole contents, for a writer (from the pool)
	c     *creator
}

// write creates f with its whole contents.
func (f file) write() error {
	out, link, err := f.c.create(f.path, f.mode)
	if err != nil {
		return err
	}
	if len(*f.data) > 0 {
		_, err = out.Write(*f.data)
	}
	return f.finish(out, link, err)
}

// stream creates f with the contents read from r.
func (f file) stream(r io.Reader, buf []byte) (int64, error) {
	out, link, err := f.c.create(f.path, f.mode)
	if err != nil {
		return 0, err
	}
	n, err := io.CopyBuffer(out, r, buf)
	return n, f.finish(out, link, err)
}

// finish names the written file, closes it and sets its time.
func (f file) finish(out *os.File, link func() error, err error) error {
	if err == nil {
		err = link()
	}
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	_ = os.Chtimes(f.path, f.mtime, f.mtime)
	return nil
}

// writerPool is a few goroutines writing whole files, fed through files
// with buffers taken from a bounded free list (so memory stays at most
// buffers × smallFile bytes).
type writerPool struct {
	files  chan file
	free   chan *[]byte
	wg     sync.WaitGroup
	failed atomic.Bool
	once   sync.Once
	err    error
}

func newWriterPool(workers, buffers int) *writerPool {
	p := &writerPool{files: make(chan file, buffers), free: make(chan *[]byte, buffers)}
	for range buffers {
		p.free <- new([]byte)
	}
	for range workers {
		p.wg.Add(1)
		go p.work()
	}
	return p
}

func (p *writerPool) work() {
	defer p.wg.Done()
	for f := range p.files {
		if !p.failed.Load() {
			if err := f.write(); err != nil {
				p.once.Do(func() { p.err = err })
				p.failed.Store(true)
			}
		}
		p.give(f.data)
	}
}

// take returns a free buffer of n bytes, waiting for one.
func (p *writerPool) take(ctx context.Context, n int) (*[]byte, error) {
	select {
	case b := <-p.free:
		if cap(*b) < n {
			*b = make([]byte, n, (n+64<<10-1)&^(64<<10-1))
		}
		*b = (*b)[:n]
		return b, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// give puts a buffer back on the free list.
func (p *writerPool) give(b *[]byte) { p.free <- b }

// close waits for the queued files and returns the first write error.
func (p *writerPool) close() error {
	close(p.files)
	p.wg.Wait()
	return p.err
}
