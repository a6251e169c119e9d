package jobs_test

import (
	"context"
	"testing"

	"github.com/hostplane/hostplane/services/sites/jobs"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
)

func TestMetrics(t *testing.T) {
	reg := prometheus.NewRegistry()
	m := jobs.NewMetrics(reg, func(context.Context) (int, error) { return 3, nil })
	if n := testutil.CollectAndCount(reg, "hostplane_sites_jobs_total"); n != 8 {
		t.Fatalf("%d jobs_total series at start, want 8 (4 types × 2 states)", n)
	}
	for _, tc := range []struct {
		kind, state, typ string
	}{
		{jobs.KindSiteCreate, jobs.StatusDone, "create"},
		{jobs.KindSiteCopy, jobs.StatusHalt, "copy"},
		{jobs.KindBackupCreate, jobs.StatusDone, "backup"},
		{jobs.KindBackupRestore, jobs.StatusHalt, "restore"},
	} {
		m.Finished(jobs.Job{Kind: tc.kind}, tc.state)
		c, err := reg.Gather()
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, mf := range c {
			if mf.GetName() != "hostplane_sites_jobs_total" {
				continue
			}
			for _, s := range mf.GetMetric() {
				l := map[string]string{}
				for _, p := range s.GetLabel() {
					l[p.GetName()] = p.GetValue()
				}
				want := 0.0
				if l["type"] == tc.typ && l["state"] == tc.state {
					want, found = 1, true
				}
				if l["type"] == tc.typ && s.GetCounter().GetValue() != want {
					t.Fatalf("%s %v = %v, want %v", tc.kind, l, s.GetCounter().GetValue(), want)
				}
			}
		}
		if !found {
			t.Fatalf("no series for %s/%s", tc.typ, tc.state)
		}
	}
	m.Finished(jobs.Job{Kind: "test.unknown"}, jobs.StatusDone) // not counted, no new series
	if n := testutil.CollectAndCount(reg, "hostplane_sites_jobs_total"); n != 8 {
		t.Fatalf("%d series after an unknown kind", n)
	}
	var nilMetrics *jobs.Metrics
	nilMetrics.Finished(jobs.Job{Kind: jobs.KindSiteCreate}, jobs.StatusDone)

	g, _ := reg.Gather()
	for _, mf := range g {
		if mf.GetName() == "hostplane_sites_jobs_queued" {
			if v := mf.GetMetric()[0].GetGauge().GetValue(); v != 3 {
				t.Fatalf("queued %v, want 3", v)
			}
			return
		}
	}
	t.Fatal("no hostplane_sites_jobs_queued")
}
