package bench

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestQuickBench runs `BENCH_QUICK=1 bash run.sh` (about a minute: it
// starts real processes and loads them) when HOSTPLANE_BENCH_SMOKE=1, and
// checks that the report ends with the three machine-readable lines. It is
// skipped otherwise, so `make test` never runs the benchmark; `make bench`
// runs the full one.
func TestQuickBench(t *testing.T) {
	if os.Getenv("HOSTPLANE_BENCH_SMOKE") != "1" || testing.Short() {
		t.Skip("set HOSTPLANE_BENCH_SMOKE=1 to run the quick benchmark")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "bash", filepath.Join(".", "run.sh"))
	cmd.Env = append(os.Environ(), "BENCH_QUICK=1")
	var out bytes.Buffer
	cmd.Stdout = &out
	cmd.Stderr = os.Stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("run.sh: %v\n%s", err, out.String())
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) < 3 {
		t.Fatalf("no report:\n%s", out.String())
	}
	tail := lines[len(lines)-3:]
	for i, name := range []string{"gateway_vs_nginx", "gateway_vs_goproxy", "gateway_p99_added_ms"} {
		if !regexp.MustCompile(`^` + name + `=-?[0-9]+\.[0-9]+$`).MatchString(tail[i]) {
			t.Errorf("line %d from the end is %q, want %s=<number>", 3-i, tail[i], name)
		}
	}
}
