package transport_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hostplane/hostplane/libs/events"
	"github.com/hostplane/hostplane/services/sites/archive"
)

func (h *harness) job(rec map[string]any) int64 { return int64(rec["job_id"].(float64)) }

func (h *harness) backup(code string, headers ...string) map[string]any {
	h.t.Helper()
	id := h.job(sbData(h.t, h.ok("POST", "/v1/sites/"+code+"/backups.json", "", headers...)).(map[string]any))
	j := h.waitJob(code, id)
	if j["status"] != "done" {
		h.t.Fatalf("backup job %v", j)
	}
	return j["result"].(map[string]any)
}

func TestSBBackupAndRestore(t *testing.T) {
	h := newHarness(t)
	j := h.sbCreate("shop")
	id := int64(j["result"].(map[string]any)["site_id"].(float64))
	dir := h.root(id)
	writeFile(t, filepath.Join(dir, "datas", "page.html"), "version 1")
	writeFile(t, filepath.Join(dir, "medias", "deep", "dir", "img.bin"), strings.Repeat("x", 100000))

	b1 := h.backup("shop")
	if b1["backup_id"] == "" || b1["size"].(float64) <= 0 || len(b1["checksum"].(string)) != 64 {
		t.Fatalf("backup result %v", b1)
	}
	list := sbData(t, h.ok("GET", "/v1/sites/shop/backups.json", "")).([]any)
	if len(list) != 1 || list[0].(map[string]any)["id"] != b1["backup_id"] || list[0].(map[string]any)["creation_date"] == "" {
		t.Fatalf("list %v", list)
	}

	// Change the files, then restore by id: back to version 1, the new
	// file gone.
	writeFile(t, filepath.Join(dir, "datas", "page.html"), "version 2")
	writeFile(t, filepath.Join(dir, "ftp", "new.txt"), "new")
	rid := h.job(sbData(t, h.ok("PUT", "/v1/sites/shop/backups/"+b1["backup_id"].(string)+".json", "")).(map[string]any))
	if r := h.waitJob("shop", rid); r["status"] != "done" || r["progression"] != 100.0 {
		t.Fatalf("restore %v", r)
	}
	if got := readFile(t, filepath.Join(dir, "datas", "page.html")); got != "version 1" {
		t.Fatalf("restored %q", got)
	}
	if _, err := os.Stat(filepath.Join(dir, "ftp", "new.txt")); !os.IsNotExist(err) {
		t.Fatal("a file made after the backup survived the restore")
	}
	if len(readFile(t, filepath.Join(dir, "medias", "deep", "dir", "img.bin"))) != 100000 {
		t.Fatal("deep file not restored")
	}
	// By its date, as the reference's {date} suggests.
	date := list[0].(map[string]any)["creation_date"].(string)
	rid = h.job(sbData(t, h.ok("PUT", "/v1/sites/shop/backups/"+strings.ReplaceAll(date, " ", "%20")+".json", "")).(map[string]any))
	if r := h.waitJob("shop", rid); r["status"] != "done" {
		t.Fatalf("restore by date %v", r)
	}
	sbError(t, h.do("PUT", "/v1/sites/shop/backups/19990101-000000.json", "", root), 404, 4401)

	// Idempotency-Key: a retried POST gets the same job.
	a := sbData(t, h.ok("POST", "/v1/sites/shop/backups.json", "", "Idempotency-Key", "k-1")).(map[string]any)
	b := sbData(t, h.ok("POST", "/v1/sites/shop/backups.json", "", "Idempotency-Key", "k-1")).(map[string]any)
	if a["job_id"] != b["job_id"] {
		t.Fatalf("retried POST made another job: %v %v", a, b)
	}
	h.waitJob("shop", h.job(a))

	// Retention: 3 kept, the oldest removed with their archives.
	for range 3 {
		time.Sleep(1100 * time.Millisecond) // ids are to the second
		h.backup("shop")
	}
	list = sbData(t, h.ok("GET", "/v1/sites/shop/backups.json", "")).([]any)
	if len(list) != 3 {
		t.Fatalf("retention: %d backups", len(list))
	}
	archives, _ := filepath.Glob(filepath.Join(h.app.Layout.BackupDir(id), "*"+archive.Extension))
	if len(archives) != 3 {
		t.Fatalf("%d archives on disk", len(archives))
	}

	// A deleted site's backup cannot be restored: 4401.
	newest := list[0].(map[string]any)["id"].(string)
	h.ok("DELETE", "/v1/sites/shop.json", "")
	sbError(t, h.do("PUT", "/v1/sites/shop/backups/"+newest+".json", "", root), 404, 4401)
	sbError(t, h.do("GET", "/v1/sites/shop/backups.json", "", root), 404, 4401)
	if _, err := os.Stat(h.app.Layout.BackupDir(id)); !os.IsNotExist(err) {
		t.Fatal("a deleted site's archives remain")
	}
}

// A corrupted archive halts the restore and leaves the site as it was.
func TestSBRestoreCorruptedArchive(t *testing.T) {
	h := newHarness(t)
	id := int64(h.sbCreate("shop")["result"].(map[string]any)["site_id"].(float64))
	root := h.root(id)
	writeFile(t, filepath.Join(root, "datas", "page.html"), strings.Repeat("version 1 ", 5000))
	b := h.backup("shop")
	writeFile(t, filepath.Join(root, "datas", "page.html"), "version 2")
	path := filepath.Join(h.app.Layout.BackupDir(id), b["backup_id"].(string)+archive.Extension)
	for name, corrupt := range map[string]func([]byte) []byte{
		"flipped byte": func(d []byte) []byte { d[len(d)/2] ^= 0xff; return d },
		"truncated":    func(d []byte) []byte { return d[:len(d)/2] },
		"appended":     func(d []byte) []byte { return append(d, 0, 1, 2) },
	} {
		t.Run(name, func(t *testing.T) {
			good, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, corrupt(append([]byte(nil), good...)), 0o640); err != nil {
				t.Fatal(err)
			}
			defer os.WriteFile(path, good, 0o640)
			rid := h.job(sbData(t, h.ok("PUT", "/v1/sites/shop/backups/"+b["backup_id"].(string)+".json", "")).(map[string]any))
			r := h.waitJob("shop", rid)
			if r["status"] != "halt" || !strings.Contains(r["error"].(string), "left as it was") {
				t.Fatalf("restore of a corrupted archive: %v", r)
			}
			if got := readFile(t, filepath.Join(root, "datas", "page.html")); got != "version 2" {
				t.Fatalf("the site changed: %q", got)
			}
			if left, _ := filepath.Glob(filepath.Join(h.app.Layout.Dir, "tmp", "restore-*")); len(left) != 0 {
				t.Fatalf("work left behind: %v", left)
			}
		})
	}
}

// Billing's membership events suspend and reopen the membership's sites,
// each event once.
func TestMembershipEvents(t *testing.T) {
	h := newHarness(t)
	h.ok("POST", "/wp-json/wu/v2/sites", `{"slug":"member","customer_id":5,"membership_id":10}`)
	h.ok("POST", "/wp-json/wu/v2/sites", `{"slug":"bystander","customer_id":5}`)
	publish := func(typ, id string) {
		t.Helper()
		e, _ := events.New("billing", typ, "membership:10", map[string]any{"membership_id": 10, "customer_id": 5, "plan_id": 3, "status": "x"})
		e.ID = id
		if err := h.bus.Publish(context.Background(), events.Stream("billing"), []events.Event{e}); err != nil {
			t.Fatal(err)
		}
	}
	plan := func(code string) map[string]any {
		return sbData(t, h.ok("GET", "/v1/sites/"+code+".json", "")).(map[string]any)["plan"].(map[string]any)
	}
	h.billing.setStatus(10, "on-hold")
	publish("membership.suspended", "e1")
	if p := plan("member"); p["is_closed"] != true {
		t.Fatalf("not suspended: %v", p)
	}
	if p := plan("bystander"); p["is_closed"] != false {
		t.Fatalf("another site suspended: %v", p)
	}
	h.billing.setStatus(10, "active")
	publish("membership.unsuspended", "e2")
	if p := plan("member"); p["is_closed"] != false {
		t.Fatalf("not reopened: %v", p)
	}
	// e1 redelivered: already applied, nothing changes.
	publish("membership.suspended", "e1")
	if p := plan("member"); p["is_closed"] != false {
		t.Fatalf("a redelivered event applied again: %v", p)
	}
	publish("membership.cancelled", "e3")
	l := array(t, h.ok("GET", "/wp-json/wu/v2/sites?search=member&status=closed", ""))
	if len(l) != 1 || l[0]["active"] != false {
		t.Fatalf("cancelled: %v", l)
	}
	publish("membership.renewed", "e4")
	publish("customer.updated", "e5") // not ours: ignored
	if l := array(t, h.ok("GET", "/wp-json/wu/v2/sites?status=open&search=member", "")); len(l) != 1 {
		t.Fatalf("renewed: %v", l)
	}
}
