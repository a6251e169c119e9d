package meter_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/hostplane/hostplane/libs/redisx"
	"github.com/hostplane/hostplane/libs/testenv"
	"github.com/hostplane/hostplane/services/stats/meter"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
	"github.com/redis/go-redis/v9"
)

// TestIngestedStartsAtZeroPerSource: every source's series exists on a
// fresh registry, at zero, and counts what is added.
func TestIngestedStartsAtZeroPerSource(t *testing.T) {
	reg := prometheus.NewRegistry()
	in := meter.NewIngested(reg)
	if n := testutil.CollectAndCount(reg, "hostplane_stats_events_ingested_total"); n != len(meter.Sources) {
		t.Fatalf("%d series, want one per source (%d)", n, len(meter.Sources))
	}
	in.Add(meter.SourceAPI, 3)
	in.Add(meter.SourceBeacon, 0)
	var none *meter.Ingested
	none.Add(meter.SourceAPI, 1) // a nil counter counts nothing
	for src, want := range map[string]float64{"api": 3, "beacon": 0, "stream": 0, "usage": 0} {
		if got := testutil.ToFloat64(in.Vec().WithLabelValues(src)); got != want {
			t.Errorf("%s = %v, want %v", src, got, want)
		}
	}
}

// TestLagAgainstRedis follows a group on a real stream: entries not yet
// delivered and delivered but unacknowledged count; acknowledged ones do
// not; a group not created yet is behind the whole stream when it will
// start at 0 and not at all when at $.
func TestLagAgainstRedis(t *testing.T) {
	ctx := context.Background()
	c, err := redisx.Open(testenv.NeedRedis(t), redisx.Options{Timeout: 2 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	stream := fmt.Sprintf("hostplane:test:meter:%d", rand.Int64())
	missing := stream + ":none"
	defer c.Del(ctx, stream)

	reg := prometheus.NewRegistry()
	lag := meter.NewLag(reg, c, "g", "0", []string{stream, missing})
	if n := testutil.CollectAndCount(reg, "hostplane_stats_consumer_lag"); n != 2 {
		t.Fatalf("%d series at start, want 2", n)
	}
	gauge := func() float64 {
		t.Helper()
		if err := lag.Update(ctx); err != nil {
			t.Fatal(err)
		}
		return testutil.ToFloat64(lag.Vec().WithLabelValues(stream))
	}
	var ids []string
	for i := range 6 {
		id, err := c.XAdd(ctx, &redis.XAddArgs{Stream: stream, Values: map[string]any{"n": i}}).Result()
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	if got := gauge(); got != 6 {
		t.Fatalf("no group yet, starting at 0: lag %v, want 6", got)
	}
	lag.From = "$"
	if got := gauge(); got != 0 {
		t.Fatalf("no group yet, starting at $: lag %v, want 0", got)
	}
	lag.From = "0"
	if err := c.XGroupCreate(ctx, stream, "g", "0").Err(); err != nil {
		t.Fatal(err)
	}
	read := func(n int64) []string {
		res, err := c.XReadGroup(ctx, &redis.XReadGroupArgs{Group: "g", Consumer: "c", Streams: []string{stream, ">"}, Count: n, Block: -1}).Result()
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, m := range res[0].Messages {
			out = append(out, m.ID)
		}
		return out
	}
	got := read(4)
	if g := gauge(); g != 6 {
		t.Fatalf("4 delivered, none acknowledged: lag %v, want 6", g)
	}
	c.XAck(ctx, stream, "g", got[:3]...)
	if g := gauge(); g != 3 {
		t.Fatalf("3 acknowledged: lag %v, want 3", g)
	}
	// An entry deleted ahead of the group: Redis cannot say its lag; the
	// entries after the last delivered one are counted instead.
	c.XDel(ctx, stream, ids[4])
	if g := gauge(); g != 2 {
		t.Fatalf("after a deletion: lag %v, want 2 (1 pending, 1 not delivered)", g)
	}
	c.XAck(ctx, stream, "g", append(got[3:], read(10)...)...)
	if g := gauge(); g != 0 {
		t.Fatalf("caught up: lag %v, want 0", g)
	}
	if g := testutil.ToFloat64(lag.Vec().WithLabelValues(missing)); g != 0 {
		t.Fatalf("a stream that does not exist: lag %v", g)
	}
}
