package files

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"
)

func TestMakeCopyRemove(t *testing.T) {
	l, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if err := l.Make(ctx, 1, 0, nil); err != nil {
		t.Fatal(err)
	}
	for _, d := range Dirs {
		if fi, err := os.Stat(filepath.Join(l.Root(1), d)); err != nil || !fi.IsDir() {
			t.Fatalf("%s: %v", d, err)
		}
	}
	if err := os.WriteFile(filepath.Join(l.Root(1), "datas", "a.txt"), []byte("hello"), 0o640); err != nil {
		t.Fatal(err)
	}
	_ = os.Symlink("/etc/passwd", filepath.Join(l.Root(1), "datas", "link"))
	var last int
	if err := l.Make(ctx, 2, 1, func(p int) { last = p }); err != nil {
		t.Fatal(err)
	}
	if b, err := os.ReadFile(filepath.Join(l.Root(2), "datas", "a.txt")); err != nil || string(b) != "hello" {
		t.Fatalf("copy: %q %v", b, err)
	}
	if _, err := os.Lstat(filepath.Join(l.Root(2), "datas", "link")); !os.IsNotExist(err) {
		t.Fatal("a symbolic link was copied")
	}
	_ = last
	// A root left by an earlier attempt is replaced, whole.
	if err := l.Make(ctx, 2, 0, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(l.Root(2), "datas", "a.txt")); !os.IsNotExist(err) {
		t.Fatal("the old root survived")
	}
	// Copying a site that does not exist fails and leaves nothing.
	if err := l.Make(ctx, 3, 99, nil); err == nil {
		t.Fatal("copy of a missing site")
	}
	if _, err := os.Stat(l.Root(3)); !os.IsNotExist(err) {
		t.Fatal("a failed make left a root")
	}
	_ = os.MkdirAll(filepath.Join(l.BackupDir(1)), 0o750)
	if err := l.Remove(ctx, 1); err != nil {
		t.Fatal(err)
	}
	if err := l.Remove(ctx, 1); err != nil {
		t.Fatalf("removing twice: %v", err)
	}
	for _, p := range []string{l.Root(1), l.BackupDir(1)} {
		if _, err := os.Stat(p); !os.IsNotExist(err) {
			t.Fatalf("%s remains", p)
		}
	}
	if entries, _ := os.ReadDir(filepath.Join(l.Dir, "tmp")); len(entries) != 0 {
		t.Fatalf("tmp not clean: %v", entries)
	}
	usage, err := l.Usage(2)
	if err != nil || usage["datas"] != 0 || len(usage) != 3 {
		t.Fatalf("usage %v %v", usage, err)
	}
}

func TestCleanTempKeepsInterruptedRestores(t *testing.T) {
	l, _ := Open(t.TempDir())
	old := time.Now().Add(-48 * time.Hour)
	for _, n := range []string{"make-1-x", "restore-old-7", "trash-y"} {
		p := filepath.Join(l.Dir, "tmp", n)
		_ = os.Mkdir(p, 0o750)
		_ = os.Chtimes(p, old, old)
	}
	_ = os.Mkdir(filepath.Join(l.Dir, "tmp", "make-2-fresh"), 0o750)
	if err := l.CleanTemp(24 * time.Hour); err != nil {
		t.Fatal(err)
	}
	entries, _ := os.ReadDir(filepath.Join(l.Dir, "tmp"))
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if len(names) != 2 || names[0] != "make-2-fresh" || names[1] != "restore-old-7" {
		t.Fatalf("left %v", names)
	}
}
