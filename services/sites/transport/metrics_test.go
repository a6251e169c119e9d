package transport_test

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hostplane/hostplane/services/sites/archive"
)

// metric returns the value of one series in the service's /metrics page,
// and whether it is there.
func (h *harness) metric(series string) (float64, bool) {
	h.t.Helper()
	rec := h.do("GET", "/metrics", "", nil)
	for _, line := range strings.Split(rec.Body.String(), "\n") {
		if v, ok := strings.CutPrefix(line, series+" "); ok {
			f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
			if err != nil {
				h.t.Fatalf("%s: %q", series, line)
			}
			return f, true
		}
	}
	return 0, false
}

// waitMetric waits until a series has value want: a job's end is counted
// just after the job is recorded as finished.
func (h *harness) waitMetric(series string, want float64) {
	h.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		got, ok := h.metric(series)
		if ok && got == want {
			return
		}
		if time.Now().After(deadline) {
			h.t.Fatalf("%s = %v (present %v), want %v", series, got, ok, want)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func jobsTotal(typ, state string) string {
	return `hostplane_sites_jobs_total{state="` + state + `",type="` + typ + `"}`
}

// The series the operations dashboards use exist at zero on a fresh
// process and count what the job system does.
func TestDashboardMetrics(t *testing.T) {
	h := newHarness(t)
	for _, typ := range []string{"create", "copy", "backup", "restore"} {
		for _, state := range []string{"done", "halt"} {
			if v, ok := h.metric(jobsTotal(typ, state)); !ok || v != 0 {
				t.Fatalf("%s on a fresh process: %v %v", jobsTotal(typ, state), v, ok)
			}
		}
	}
	for _, s := range []string{"hostplane_sites_jobs_queued", "hostplane_sites_backup_bytes_total"} {
		if v, ok := h.metric(s); !ok || v != 0 {
			t.Fatalf("%s on a fresh process: %v %v", s, v, ok)
		}
	}

	id := int64(h.sbCreate("shop")["result"].(map[string]any)["site_id"].(float64))
	h.waitMetric(jobsTotal("create", "done"), 1)
	h.sbCreate("shop-copy", "copy_site", "shop")
	h.waitMetric(jobsTotal("copy", "done"), 1)
	h.waitMetric(jobsTotal("create", "done"), 1)

	writeFile(t, filepath.Join(h.root(id), "datas", "page.html"), strings.Repeat("page ", 2000))
	b := h.backup("shop")
	h.waitMetric(jobsTotal("backup", "done"), 1)
	h.waitMetric("hostplane_sites_backup_bytes_total", b["size"].(float64))

	// A corrupted archive: the restore halts.
	path := filepath.Join(h.app.Layout.BackupDir(id), b["backup_id"].(string)+archive.Extension)
	if err := os.WriteFile(path, []byte("not an archive"), 0o640); err != nil {
		t.Fatal(err)
	}
	rid := h.job(sbData(t, h.ok("PUT", "/v1/sites/shop/backups/"+b["backup_id"].(string)+".json", "")).(map[string]any))
	if r := h.waitJob("shop", rid); r["status"] != "halt" {
		t.Fatalf("restore of a corrupted archive: %v", r)
	}
	h.waitMetric(jobsTotal("restore", "halt"), 1)
	h.waitMetric(jobsTotal("restore", "done"), 0)
	h.waitMetric("hostplane_sites_jobs_queued", 0)
}
