package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"time"
)

// benchBackup times backups and restores by the service against tar|gzip.
func benchBackup(ctx context.Context, s *service, o options, work string) ([]string, error) {
	status, body, err := s.do(ctx, "POST", "/wp-json/wu/v2/sites", `{"slug":"benchsite","title":"Bench"}`)
	if err != nil || status != 200 {
		return nil, fmt.Errorf("create site: %d %s %v", status, body, err)
	}
	var st struct {
		ID       int64 `json:"id"`
		SitePath string
	}
	if err := json.Unmarshal(body, &st); err != nil {
		return nil, err
	}
	st.SitePath = filepath.Join(work, "data", "sites", strconv.FormatInt(st.ID, 10))
	say("writing %d files, %d MiB, under %s", o.files, o.bytes>>20, st.SitePath)
	if err := makeTree(st.SitePath, o.files, o.bytes); err != nil {
		return nil, err
	}
	mib := float64(o.bytes) / (1 << 20)
	tgz := filepath.Join(work, "baseline.tar.gz")
	var ours, theirs, oursRestore, theirsRestore []float64
	var oursSize, theirsSize int64
	var lastBackup string
	for round := 1; round <= o.rounds; round++ {
		// tar | gzip of the same tree.
		start := time.Now()
		if out, err := exec.CommandContext(ctx, "bash", "-c", `set -o pipefail; tar -C "$1" -cf - . | gzip > "$2"`, "bash", st.SitePath, tgz).CombinedOutput(); err != nil {
			return nil, fmt.Errorf("tar | gzip: %v %s", err, out)
		}
		theirs = append(theirs, time.Since(start).Seconds())
		if fi, err := os.Stat(tgz); err == nil {
			theirsSize = fi.Size()
		}
		say("round %d: tar | gzip %.1fs", round, theirs[len(theirs)-1])

		start = time.Now()
		j, err := s.job(ctx, "POST", "/v1/sites/benchsite/backups.json", "benchsite")
		if err != nil {
			return nil, err
		}
		ours = append(ours, time.Since(start).Seconds())
		res := j["result"].(map[string]any)
		lastBackup = res["backup_id"].(string)
		oursSize = int64(res["size"].(float64))
		say("round %d: backup job %.1fs", round, ours[len(ours)-1])

		// gzip -d | tar x into a fresh directory.
		x := filepath.Join(work, "baseline-x")
		_ = os.RemoveAll(x)
		if err := os.Mkdir(x, 0o750); err != nil {
			return nil, err
		}
		start = time.Now()
		if out, err := exec.CommandContext(ctx, "bash", "-c", `set -o pipefail; gzip -dc "$1" | tar -C "$2" -xf -`, "bash", tgz, x).CombinedOutput(); err != nil {
			return nil, fmt.Errorf("gzip -d | tar x: %v %s", err, out)
		}
		theirsRestore = append(theirsRestore, time.Since(start).Seconds())
		say("round %d: gzip -d | tar x %.1fs", round, theirsRestore[len(theirsRestore)-1])

		// The baseline's copy is removed after the restore job, not just
		// before it: on an ext4 without a journal (this machine's), creating
		// a file scans past every inode deleted in the last minute or more,
		// so a restore started right after 10,000 deletions pays for them
		// and tar x, which ran after none, does not.
		start = time.Now()
		if _, err := s.job(ctx, "PUT", "/v1/sites/benchsite/backups/"+lastBackup+".json", "benchsite"); err != nil {
			return nil, err
		}
		oursRestore = append(oursRestore, time.Since(start).Seconds())
		say("round %d: restore job %.1fs", round, oursRestore[len(oursRestore)-1])
		_ = os.RemoveAll(x)
		time.Sleep(1100 * time.Millisecond) // backup ids are to the second
	}
	_ = os.Remove(tgz)
	b, tb, r, tr := median(ours), median(theirs), median(oursRestore), median(theirsRestore)
	return []string{
		fmt.Sprintf("site: %d files, %.0f MiB (half text-like, half random), %d rounds interleaved, medians", o.files, mib, o.rounds),
		fmt.Sprintf("backup   hostplane (tar+zstd job)  %6.1f s  %7.1f MiB/s  archive %5.0f MiB", b, mib/b, float64(oursSize)/(1<<20)),
		fmt.Sprintf("backup   tar | gzip                %6.1f s  %7.1f MiB/s  archive %5.0f MiB", tb, mib/tb, float64(theirsSize)/(1<<20)),
		fmt.Sprintf("restore  hostplane (verify, swap)  %6.1f s  %7.1f MiB/s", r, mib/r),
		fmt.Sprintf("restore  gzip -d | tar x           %6.1f s  %7.1f MiB/s", tr, mib/tr),
		fmt.Sprintf("sites_backup_mib_s=%.1f sites_backup_tar_gzip_mib_s=%.1f sites_restore_mib_s=%.1f sites_restore_tar_gzip_mib_s=%.1f", mib/b, mib/tb, mib/r, mib/tr),
	}, nil
}

func median(v []float64) float64 {
	s := slices.Clone(v)
	slices.Sort(s)
	if len(s) == 0 {
		return 0
	}
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}
