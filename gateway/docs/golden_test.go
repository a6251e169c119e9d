package docs

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/hostplane/hostplane/gateway/routes"
)

var update = flag.Bool("update", false, "rewrite testdata/openapi.golden.json")

// goldenOptions are the options the golden document is generated with.
var goldenOptions = Options{Title: "Hostplane API", Version: "golden"}

func defaultTable(t testing.TB) *routes.Table {
	t.Helper()
	tbl, err := routes.New(routes.Default())
	if err != nil {
		t.Fatal(err)
	}
	return tbl
}

// TestGolden regenerates the document of routes.Default() and compares it
// with testdata/openapi.golden.json; run with -update after changing the
// route table or the generator, and review the diff.
func TestGolden(t *testing.T) {
	got, err := Document(defaultTable(t), goldenOptions)
	if err != nil {
		t.Fatal(err)
	}
	golden := filepath.Join("testdata", "openapi.golden.json")
	if *update {
		if err := os.WriteFile(golden, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test ./docs/ -run TestGolden -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("the document differs from %s: run go test ./docs/ -run TestGolden -update and review the diff\n%s", golden, firstDiff(got, want))
	}
}

// firstDiff shows the first line where got and want differ.
func firstDiff(got, want []byte) string {
	g, w := bytes.Split(got, []byte("\n")), bytes.Split(want, []byte("\n"))
	for i := 0; i < len(g) || i < len(w); i++ {
		var gl, wl []byte
		if i < len(g) {
			gl = g[i]
		}
		if i < len(w) {
			wl = w[i]
		}
		if !bytes.Equal(gl, wl) {
			return fmt.Sprintf("line %d:\n  got:  %s\n  want: %s", i+1, gl, wl)
		}
	}
	return ""
}
