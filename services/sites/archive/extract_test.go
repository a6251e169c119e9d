package archive

import (
	"archive/tar"
	"bytes"
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/klauspost/compress/zstd"
)

// TestExtractKeepsFilesModesAndTimes round-trips a tree of small files
// (written by the pool) and big ones (streamed), with one writer and with
// the default pool.
func TestExtractKeepsFilesModesAndTimes(t *testing.T) {
	src := t.TempDir()
	when := time.Date(2024, 3, 4, 5, 6, 7, 0, time.UTC)
	want := map[string]string{}
	for i := range 60 {
		name := filepath.Join("datas", "d"+strconv.Itoa(i%7), "f"+strconv.Itoa(i))
		want[name] = strings.Repeat(strconv.Itoa(i), i*37)
	}
	want[filepath.Join("medias", "big.bin")] = strings.Repeat("big", smallFile/3+100) // streamed
	want[filepath.Join("medias", "edge.bin")] = strings.Repeat("e", smallFile)        // largest pooled
	for name, content := range want {
		p := filepath.Join(src, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o750); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o640); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(p, when, when); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Chmod(filepath.Join(src, "datas", "d0", "f0"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Chtimes(filepath.Join(src, "datas", "d3"), when, when); err != nil {
		t.Fatal(err)
	}
	var arc bytes.Buffer
	if _, err := Write(context.Background(), src, &arc, Options{}); err != nil {
		t.Fatal(err)
	}
	for _, writers := range []int{1, 0} {
		t.Run("writers="+strconv.Itoa(writers), func(t *testing.T) {
			dst := t.TempDir()
			var last int64
			st, err := Extract(context.Background(), bytes.NewReader(arc.Bytes()), dst, ExtractOptions{Writers: writers, Progress: func(d int64) { last = d }})
			if err != nil {
				t.Fatal(err)
			}
			var total int64
			for name, content := range want {
				total += int64(len(content))
				p := filepath.Join(dst, name)
				b, err := os.ReadFile(p)
				if err != nil || string(b) != content {
					t.Fatalf("%s: %d bytes, %v", name, len(b), err)
				}
				fi, _ := os.Stat(p)
				if !fi.ModTime().Equal(when) {
					t.Fatalf("%s: time %v, want %v", name, fi.ModTime(), when)
				}
			}
			if st.Files != int64(len(want)) || st.Bytes != total || last != total {
				t.Fatalf("stats %+v, progress %d, want %d files, %d bytes", st, last, len(want), total)
			}
			if fi, _ := os.Stat(filepath.Join(dst, "datas", "d0", "f0")); fi.Mode().Perm() != 0o600 {
				t.Fatalf("mode %v", fi.Mode())
			}
			if fi, _ := os.Stat(filepath.Join(dst, "datas", "d3")); !fi.ModTime().Equal(when) {
				t.Fatalf("directory time %v", fi.ModTime())
			}
		})
	}
}

// tarZst builds an archive of hand-made entries (body i for entry i).
func tarZst(t testing.TB, hs []*tar.Header, bodies []string) []byte {
	t.Helper()
	var raw bytes.Buffer
	tw := tar.NewWriter(&raw)
	for i, h := range hs {
		if err := tw.WriteHeader(h); err != nil {
			t.Fatal(err)
		}
		if _, err := tw.Write([]byte(bodies[i])); err != nil {
			t.Fatal(err)
		}
	}
	_ = tw.Close()
	var out bytes.Buffer
	zw, _ := zstd.NewWriter(&out)
	_, _ = zw.Write(raw.Bytes())
	_ = zw.Close()
	return out.Bytes()
}

// TestExtractFailures: a writer's failure, a truncated archive and a size
// bomb spread over small files all stop the extraction with an error.
func TestExtractFailures(t *testing.T) {
	reg := func(name string, size int64) *tar.Header {
		return &tar.Header{Name: name, Typeflag: tar.TypeReg, Size: size, Mode: 0o644}
	}
	many := func(n int, size int64) ([]*tar.Header, []string) {
		var hs []*tar.Header
		var bodies []string
		for i := range n {
			hs = append(hs, reg("datas/f"+strconv.Itoa(i), size))
			bodies = append(bodies, strings.Repeat("x", int(size)))
		}
		return hs, bodies
	}
	dupH, dupB := many(30, 10)
	dupH = append(dupH, reg("datas/f3", 2))
	dupB = append(dupB, "yy")
	fileDirH, fileDirB := many(3, 10)
	fileDirH = append(fileDirH, reg("datas/f1/inside", 1))
	fileDirB = append(fileDirB, "z")
	bombH, bombB := many(50, 1000)
	good := tarZst(t, dupH[:30], dupB[:30])
	for _, tc := range []struct {
		name string
		data []byte
		max  int64
		is   error
	}{
		{"duplicate file", tarZst(t, dupH, dupB), 0, fs.ErrExist},
		{"file used as a directory", tarZst(t, fileDirH, fileDirB), 0, nil},
		{"truncated", good[:len(good)/2], 0, nil},
		{"bomb of small files", tarZst(t, bombH, bombB), 20000, ErrUnsafe},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, writers := range []int{1, 4} {
				_, err := Extract(context.Background(), bytes.NewReader(tc.data), t.TempDir(), ExtractOptions{Writers: writers, MaxBytes: tc.max})
				if err == nil || (tc.is != nil && !errors.Is(err, tc.is)) {
					t.Fatalf("writers %d: err = %v, want %v", writers, err, tc.is)
				}
			}
		})
	}
}

// TestExtractCancelled stops at a cancelled context.
func TestExtractCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	data := tarZst(t, []*tar.Header{{Name: "a", Typeflag: tar.TypeReg, Size: 1, Mode: 0o644}}, []string{"a"})
	dst := t.TempDir()
	if _, err := Extract(ctx, bytes.NewReader(data), dst, ExtractOptions{}); !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v", err)
	}
	if entries, _ := os.ReadDir(dst); len(entries) != 0 {
		t.Fatalf("wrote %v", entries)
	}
}
