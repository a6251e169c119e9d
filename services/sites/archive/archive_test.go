package archive

import (
	"archive/tar"
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/klauspost/compress/zstd"
)

func TestRoundTrip(t *testing.T) {
	src := t.TempDir()
	files := map[string]string{"datas/a.txt": "alpha", "medias/x/y/z.bin": strings.Repeat("z", 70000), "ftp/empty": ""}
	for name, content := range files {
		p := filepath.Join(src, name)
		_ = os.MkdirAll(filepath.Dir(p), 0o750)
		if err := os.WriteFile(p, []byte(content), 0o640); err != nil {
			t.Fatal(err)
		}
	}
	_ = os.MkdirAll(filepath.Join(src, "medias", "emptydir"), 0o750)
	_ = os.Symlink("/etc/passwd", filepath.Join(src, "datas", "link"))
	var buf bytes.Buffer
	st, err := Write(context.Background(), src, &buf, Options{})
	if err != nil || st.Files != 3 || st.Bytes != 70005 {
		t.Fatalf("write %+v %v", st, err)
	}
	if m, _ := Measure(src); m.Files != 3 || m.Bytes != 70005 {
		t.Fatalf("measure %+v", m)
	}
	dst := t.TempDir()
	got, err := Extract(context.Background(), &buf, dst, ExtractOptions{})
	if err != nil || got.Files != 3 {
		t.Fatalf("extract %+v %v", got, err)
	}
	for name, content := range files {
		b, err := os.ReadFile(filepath.Join(dst, name))
		if err != nil || string(b) != content {
			t.Fatalf("%s: %q %v", name, b, err)
		}
	}
	if fi, err := os.Stat(filepath.Join(dst, "medias", "emptydir")); err != nil || !fi.IsDir() {
		t.Fatal("empty directory lost")
	}
	if _, err := os.Lstat(filepath.Join(dst, "datas", "link")); !os.IsNotExist(err) {
		t.Fatal("a symbolic link was archived")
	}
}

// evil builds an archive with one hand-made entry.
func evil(t testing.TB, h *tar.Header, body string) []byte {
	var raw bytes.Buffer
	tw := tar.NewWriter(&raw)
	if err := tw.WriteHeader(h); err != nil {
		t.Fatal(err)
	}
	_, _ = tw.Write([]byte(body))
	_ = tw.Close()
	var out bytes.Buffer
	zw, _ := zstd.NewWriter(&out)
	_, _ = zw.Write(raw.Bytes())
	_ = zw.Close()
	return out.Bytes()
}

func TestExtractRefusesUnsafeEntries(t *testing.T) {
	for name, h := range map[string]*tar.Header{
		"parent":       {Name: "../escape.txt", Typeflag: tar.TypeReg, Size: 1, Mode: 0o644},
		"deep parent":  {Name: "datas/../../escape.txt", Typeflag: tar.TypeReg, Size: 1, Mode: 0o644},
		"absolute":     {Name: "/etc/cron.d/x", Typeflag: tar.TypeReg, Size: 1, Mode: 0o644},
		"symlink":      {Name: "datas/link", Typeflag: tar.TypeSymlink, Linkname: "/etc/passwd"},
		"hard link":    {Name: "datas/link", Typeflag: tar.TypeLink, Linkname: "../../x"},
		"device":       {Name: "datas/dev", Typeflag: tar.TypeChar},
		"backslash":    {Name: `datas\..\..\x`, Typeflag: tar.TypeReg, Size: 1, Mode: 0o644},
		"dot":          {Name: "./", Typeflag: tar.TypeDir, Mode: 0o755},
		"unclean path": {Name: "datas//x", Typeflag: tar.TypeReg, Size: 1, Mode: 0o644},
	} {
		t.Run(name, func(t *testing.T) {
			dst := filepath.Join(t.TempDir(), "root")
			_ = os.Mkdir(dst, 0o750)
			_, err := Extract(context.Background(), bytes.NewReader(evil(t, h, "x")), dst, ExtractOptions{})
			if !errors.Is(err, ErrUnsafe) {
				t.Fatalf("err = %v, want ErrUnsafe", err)
			}
			if _, err := os.Stat(filepath.Join(filepath.Dir(dst), "escape.txt")); err == nil {
				t.Fatal("a file escaped")
			}
		})
	}
	// A size bomb is stopped at MaxBytes.
	big := evil(t, &tar.Header{Name: "big", Typeflag: tar.TypeReg, Size: 1 << 20, Mode: 0o644}, strings.Repeat("0", 1<<20))
	if _, err := Extract(context.Background(), bytes.NewReader(big), t.TempDir(), ExtractOptions{MaxBytes: 1000}); !errors.Is(err, ErrUnsafe) {
		t.Fatalf("bomb: %v", err)
	}
}

func FuzzSafeName(f *testing.F) {
	for _, s := range []string{"a", "a/b", "a/", "../a", "a/../b", "/a", "a//b", ".", "..", "a\\b", "a/./b", "a/.."} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, name string) {
		n, err := SafeName(name)
		if err != nil {
			return
		}
		if filepath.IsAbs(n) || strings.HasPrefix(n, "..") || strings.Contains(n, "/../") || strings.HasSuffix(n, "/..") ||
			filepath.Clean(n) != n || !filepath.IsLocal(n) {
			t.Fatalf("SafeName(%q) = %q accepted", name, n)
		}
	})
}

func FuzzExtract(f *testing.F) {
	f.Add(evil(f, &tar.Header{Name: "datas/a", Typeflag: tar.TypeReg, Size: 1, Mode: 0o644}, "x"))
	f.Add(evil(f, &tar.Header{Name: "../a", Typeflag: tar.TypeReg, Size: 1, Mode: 0o644}, "x"))
	f.Add([]byte("not an archive"))
	f.Fuzz(func(t *testing.T, data []byte) {
		dir := t.TempDir()
		dst := filepath.Join(dir, "root")
		_ = os.Mkdir(dst, 0o750)
		_, _ = Extract(context.Background(), bytes.NewReader(data), dst, ExtractOptions{MaxBytes: 1 << 20})
		entries, _ := os.ReadDir(dir)
		if len(entries) != 1 {
			t.Fatalf("something landed beside the destination: %v", entries)
		}
	})
}
