package storetest

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/hostplane/hostplane/services/stats/traffic"
)

// Live runs the traffic.Live contract. newLive returns an empty counter.
func Live(t *testing.T, newLive func(t *testing.T) traffic.Live) {
	ctx := context.Background()
	now := time.Now().UTC().Truncate(time.Millisecond)

	t.Run("counts distinct visitors seen since a time, per site", func(t *testing.T) {
		l := newLive(t)
		seen := []traffic.Seen{{Visitor: "a", At: now}, {Visitor: "b", At: now.Add(-time.Minute)}, {Visitor: "c", At: now.Add(-10 * time.Minute)}}
		if err := l.Touch(ctx, 1, seen, now.Add(-time.Hour)); err != nil {
			t.Fatal(err)
		}
		// Seen again, earlier: the later time stays.
		if err := l.Touch(ctx, 1, []traffic.Seen{{Visitor: "a", At: now.Add(-20 * time.Minute)}}, now.Add(-time.Hour)); err != nil {
			t.Fatal(err)
		}
		if err := l.Touch(ctx, 2, []traffic.Seen{{Visitor: "a", At: now}}, now.Add(-time.Hour)); err != nil {
			t.Fatal(err)
		}
		for _, tt := range []struct {
			site  int64
			since time.Time
			want  int64
		}{{1, now.Add(-5 * time.Minute), 2}, {1, now.Add(-time.Hour), 3}, {1, now.Add(time.Second), 0}, {2, now.Add(-5 * time.Minute), 1}, {3, now, 0}} {
			n, err := l.Count(ctx, tt.site, tt.since)
			if err != nil || n != tt.want {
				t.Errorf("site %d since %s: %d %v, want %d", tt.site, tt.since, n, err, tt.want)
			}
		}
	})

	t.Run("100,000 visitors", func(t *testing.T) {
		l := newLive(t)
		seen := make([]traffic.Seen, 1000)
		for b := range 100 {
			for i := range seen {
				seen[i] = traffic.Seen{Visitor: fmt.Sprint("v", b*1000+i), At: now}
			}
			if err := l.Touch(ctx, 9, seen, now.Add(-traffic.LiveWindow)); err != nil {
				t.Fatal(err)
			}
		}
		if n, err := l.Count(ctx, 9, now.Add(-traffic.LiveWindow)); err != nil || n != 100000 {
			t.Fatalf("count %d %v", n, err)
		}
	})
}
