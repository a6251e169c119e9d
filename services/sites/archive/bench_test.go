package archive

import (
	"bytes"
	"context"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"testing"
)

// benchTree writes files of size bytes each under a new directory, half
// text-like (compressible), half random.
func benchTree(b *testing.B, files, size int) (dir string, total int64) {
	b.Helper()
	dir = b.TempDir()
	rng := rand.New(rand.NewPCG(1, 2))
	text := bytes.Repeat([]byte("<p>Hostplane site page, lorem ipsum dolor sit amet.</p>\n"), size/56+1)[:size]
	for i := range files {
		data := text
		if i%2 == 1 {
			data = make([]byte, size)
			for j := range data {
				data[j] = byte(rng.Uint32())
			}
		}
		p := filepath.Join(dir, "datas", strconv.Itoa(i%10), "f"+strconv.Itoa(i))
		if err := os.MkdirAll(filepath.Dir(p), 0o750); err != nil {
			b.Fatal(err)
		}
		if err := os.WriteFile(p, data, 0o640); err != nil {
			b.Fatal(err)
		}
		total += int64(size)
	}
	return dir, total
}

// BenchmarkWrite archives 200 files of 32 KiB (6.25 MiB); MB/s is of the
// files' bytes.
func BenchmarkWrite(b *testing.B) {
	dir, total := benchTree(b, 200, 32<<10)
	b.SetBytes(total)
	b.ResetTimer()
	for range b.N {
		if _, err := Write(context.Background(), dir, io.Discard, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkExtract extracts the same tree's archive into a fresh directory.
func BenchmarkExtract(b *testing.B) {
	dir, total := benchTree(b, 200, 32<<10)
	var buf bytes.Buffer
	if _, err := Write(context.Background(), dir, &buf, Options{}); err != nil {
		b.Fatal(err)
	}
	out := b.TempDir()
	b.SetBytes(total)
	b.ResetTimer()
	for i := range b.N {
		dst := filepath.Join(out, strconv.Itoa(i))
		if err := os.Mkdir(dst, 0o750); err != nil {
			b.Fatal(err)
		}
		if _, err := Extract(context.Background(), bytes.NewReader(buf.Bytes()), dst, ExtractOptions{}); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		_ = os.RemoveAll(dst)
		b.StartTimer()
	}
}

// BenchmarkExtractSite extracts 640 files of 100 KiB (62.5 MiB), the
// sites bench's file size (1 GiB in 10,000 files), with 1 writer (files
// written one after the other) and with the default pool. The trees are
// kept until the end: on an ext4 without a journal, creating a file right
// after thousands were deleted scans past the recently deleted inodes, which
// would measure the file system's state rather than Extract.
func BenchmarkExtractSite(b *testing.B) {
	dir, total := benchTree(b, 640, 100<<10)
	var buf bytes.Buffer
	if _, err := Write(context.Background(), dir, &buf, Options{}); err != nil {
		b.Fatal(err)
	}
	for _, writers := range []int{1, 0} {
		b.Run("writers="+strconv.Itoa(writers), func(b *testing.B) {
			out := b.TempDir()
			b.SetBytes(total)
			b.ResetTimer()
			for i := range b.N {
				dst := filepath.Join(out, strconv.Itoa(i))
				if err := os.Mkdir(dst, 0o750); err != nil {
					b.Fatal(err)
				}
				if _, err := Extract(context.Background(), bytes.NewReader(buf.Bytes()), dst, ExtractOptions{Writers: writers}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
