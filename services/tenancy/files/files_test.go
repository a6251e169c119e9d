package files_test

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"github.com/hostplane/hostplane/libs/errs"
	"github.com/hostplane/hostplane/services/tenancy/files"
)

func setup(t *testing.T) (*files.Local, string, string) {
	t.Helper()
	data := t.TempDir()
	root := filepath.Join(data, "sites", "7")
	if err := os.MkdirAll(filepath.Join(root, "medias"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(root, "medias", "logo.png"), []byte("png"), 0o644); err != nil {
		t.Fatal(err)
	}
	l := &files.Local{DataDir: data}
	return l, root, l.Dir("tenant_7")
}

func read(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestAdoptMovesTheRootUnderTheTenantDirectory(t *testing.T) {
	l, root, dir := setup(t)
	ctx := context.Background()
	for range 2 { // idempotent
		if err := l.Adopt(ctx, root, dir); err != nil {
			t.Fatal(err)
		}
	}
	fi, err := os.Stat(dir)
	if err != nil || fi.Mode().Perm() != 0o750 {
		t.Fatalf("tenant directory %v %v", fi.Mode(), err)
	}
	if got := read(t, filepath.Join(dir, "site", "medias", "logo.png")); got != "png" {
		t.Fatal("file not moved")
	}
	if dest, err := os.Readlink(root); err != nil || dest != filepath.Join(dir, "site") {
		t.Fatalf("old root is not a link to the new one: %q %v", dest, err)
	}
	if got := read(t, filepath.Join(root, "medias", "logo.png")); got != "png" {
		t.Fatal("the old path does not lead to the files")
	}

	if err := l.Remove(ctx, root, dir); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{root, dir} {
		if _, err := os.Lstat(p); !errors.Is(err, fs.ErrNotExist) {
			t.Fatalf("%s left: %v", p, err)
		}
	}
	if err := l.Remove(ctx, root, dir); err != nil {
		t.Fatalf("remove twice: %v", err)
	}
}

// A crash between the move and the link is finished by the next Adopt.
func TestAdoptFinishesAnInterruptedMove(t *testing.T) {
	l, root, dir := setup(t)
	if err := os.MkdirAll(dir, 0o750); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(root, filepath.Join(dir, "site")); err != nil {
		t.Fatal(err)
	}
	if err := l.Adopt(context.Background(), root, dir); err != nil {
		t.Fatal(err)
	}
	if got := read(t, filepath.Join(root, "medias", "logo.png")); got != "png" {
		t.Fatal("not finished")
	}
}

func TestReleasePutsTheRootBack(t *testing.T) {
	l, root, dir := setup(t)
	ctx := context.Background()
	if err := l.Adopt(ctx, root, dir); err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if err := l.Release(ctx, root, dir); err != nil {
			t.Fatal(err)
		}
	}
	fi, err := os.Lstat(root)
	if err != nil || !fi.IsDir() {
		t.Fatalf("root is not a directory again: %v", err)
	}
	if got := read(t, filepath.Join(root, "medias", "logo.png")); got != "png" {
		t.Fatal("files lost")
	}
	if _, err := os.Lstat(dir); !errors.Is(err, fs.ErrNotExist) {
		t.Fatal("tenant directory left")
	}
}

func TestAdoptWithoutARoot(t *testing.T) {
	l, _, dir := setup(t)
	if err := l.Adopt(context.Background(), "", dir); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(filepath.Join(dir, "site")); err != nil || !fi.IsDir() {
		t.Fatalf("site directory: %v", err)
	}
	// A root that does not exist yet is created in the tenant directory.
	l2, root, dir2 := setup(t)
	if err := os.RemoveAll(root); err != nil {
		t.Fatal(err)
	}
	if err := l2.Adopt(context.Background(), root, dir2); err != nil {
		t.Fatal(err)
	}
	if dest, _ := os.Readlink(root); dest != filepath.Join(dir2, "site") {
		t.Fatalf("link %q", dest)
	}
}

func TestRefusesPathsOutsideTheDataDirectory(t *testing.T) {
	l, root, dir := setup(t)
	ctx := context.Background()
	outside := t.TempDir()
	for name, tc := range map[string][2]string{
		"root outside":       {outside, dir},
		"root relative":      {"sites/7", dir},
		"root unclean":       {filepath.Join(l.DataDir, "sites", "..", "..", filepath.Base(outside)), dir},
		"root is data dir":   {l.DataDir, dir},
		"tenant dir outside": {root, filepath.Join(outside, "t")},
		"root in tenants":    {filepath.Join(l.DataDir, "tenants", "x"), dir},
	} {
		for _, op := range []func(context.Context, string, string) error{l.Adopt, l.Release, l.Remove} {
			if err := op(ctx, tc[0], tc[1]); !errors.Is(err, errs.Invalid) {
				t.Errorf("%s: %v", name, err)
			}
		}
	}
	if _, err := os.Stat(outside); err != nil {
		t.Fatal("the outside directory was touched")
	}
	if err := (&files.Local{}).Adopt(ctx, "", "/x"); !errors.Is(err, errs.Unavailable) {
		t.Fatalf("no data dir: %v", err)
	}
}

func TestAdoptRefusesConflicts(t *testing.T) {
	l, root, dir := setup(t)
	if err := os.MkdirAll(filepath.Join(dir, "site"), 0o750); err != nil {
		t.Fatal(err)
	}
	if err := l.Adopt(context.Background(), root, dir); !errors.Is(err, errs.Conflict) {
		t.Fatalf("both exist: %v", err)
	}
}
