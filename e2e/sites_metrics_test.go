package e2e

import (
	"io"
	"strconv"
	"strings"
	"testing"
	"time"
)

// waitSitesMetric waits until a series of the sites process's /metrics
// reaches at least min (a job's end is counted just after it is recorded).
func waitSitesMetric(t *testing.T, s *stack, series string, min float64) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		got := -1.0
		resp, err := client.Get("http://" + s.proc("sites", 0).addr + "/metrics")
		if err == nil {
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			for _, line := range strings.Split(string(b), "\n") {
				if v, ok := strings.CutPrefix(line, series+" "); ok {
					got, _ = strconv.ParseFloat(strings.TrimSpace(v), 64)
				}
			}
		}
		if got >= min {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("sites metric %s = %v, want at least %v (err %v)", series, got, min, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
