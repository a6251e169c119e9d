package tenants_test

import (
	"context"
	"errors"
	"reflect"
	"testing"

	"github.com/hostplane/hostplane/services/tenancy/tenants"
	"github.com/prometheus/client_golang/prometheus"
)

// samples gathers reg's tenancy series: counters by name{label}, and a
// histogram's observation count under its name.
func samples(t *testing.T, reg prometheus.Gatherer) map[string]float64 {
	t.Helper()
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]float64{}
	for _, mf := range mfs {
		for _, m := range mf.GetMetric() {
			key := mf.GetName()
			for _, l := range m.GetLabel() {
				key += "{" + l.GetName() + "=" + l.GetValue() + "}"
			}
			switch {
			case m.GetCounter() != nil:
				out[key] = m.GetCounter().GetValue()
			case m.GetHistogram() != nil:
				out[key] = float64(m.GetHistogram().GetSampleCount())
			}
		}
	}
	return out
}

// The dashboards' series exist at zero on a fresh process, and count
// bootstraps by result, their duration, and verification runs by result.
func TestMetrics(t *testing.T) {
	reg := prometheus.NewPedanticRegistry()
	m := tenants.NewMetrics(reg)
	want := map[string]float64{
		"hostplane_tenancy_bootstraps_total{result=ready}":     0,
		"hostplane_tenancy_bootstraps_total{result=failed}":    0,
		"hostplane_tenancy_bootstrap_duration_seconds":         0,
		"hostplane_tenancy_verifications_total{result=passed}": 0,
		"hostplane_tenancy_verifications_total{result=failed}": 0,
	}
	if got := samples(t, reg); !reflect.DeepEqual(got, want) {
		t.Fatalf("fresh process:\n got %v\nwant %v", got, want)
	}

	w := newWorld(t, func(o *tenants.Options) { o.Metrics = m })
	ctx := context.Background()
	w.bootstrapReady(t, 1) // ready; its verify step passed

	// Site 3 fails at copy; resumed, it fails its verify step; fixed, it is
	// verified by hand.
	if _, err := w.svc.CreateSharedTables(ctx, 3); err != nil {
		t.Fatal(err)
	}
	w.iso.setFail("copy", errors.New("COPY failed: disk full"))
	if _, _, err := w.svc.Bootstrap(ctx, 3); err != nil {
		t.Fatal(err)
	}
	w.jobs.Wait()
	w.iso.setFail("copy", nil)
	w.iso.setFail("push", errors.New("read-only transaction"))
	if _, _, err := w.svc.Bootstrap(ctx, 3); err != nil {
		t.Fatal(err)
	}
	w.jobs.Wait()
	w.iso.setFail("push", nil)
	if st, err := w.svc.Verify(ctx, 3); err != nil || !st.Ready {
		t.Fatalf("verify: %+v %v", st, err)
	}

	want = map[string]float64{
		"hostplane_tenancy_bootstraps_total{result=ready}":     1,
		"hostplane_tenancy_bootstraps_total{result=failed}":    2,
		"hostplane_tenancy_bootstrap_duration_seconds":         1,
		"hostplane_tenancy_verifications_total{result=passed}": 2,
		"hostplane_tenancy_verifications_total{result=failed}": 1,
	}
	if got := samples(t, reg); !reflect.DeepEqual(got, want) {
		t.Fatalf("after the bootstraps:\n got %v\nwant %v", got, want)
	}
}
