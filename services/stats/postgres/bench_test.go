package postgres_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/hostplane/hostplane/services/stats/traffic"
)

// BenchmarkAppend stores batches of 1,000 pageviews and visits, spread
// over one day or over 366 (every batch then adds to 366 rollup rows).
func BenchmarkAppend(b *testing.B) {
	for _, days := range []int{1, 366} {
		b.Run(fmt.Sprint(days, " days"), func(b *testing.B) {
			s := freshB(b)
			r := rand.New(rand.NewPCG(1, 2))
			now := time.Now().UTC().Truncate(time.Microsecond)
			evs := make([]traffic.Event, 1000)
			for i := range evs {
				evs[i] = traffic.Event{Type: traffic.Pageview, At: now.Add(-time.Duration(r.IntN(days*24)) * time.Hour),
					Visitor: fmt.Sprint("v", r.IntN(100000)), Path: fmt.Sprint("/p/", r.IntN(500)), Bytes: int64(r.IntN(50000))}
				if i%10 == 0 {
					evs[i].Type, evs[i].Path, evs[i].Bytes = traffic.Visit, "", 0
				}
			}
			batch := traffic.Batch{SiteID: 1, Events: evs, Days: traffic.DayTotals(evs)}
			b.ResetTimer()
			for b.Loop() {
				if _, err := s.Append(context.Background(), batch); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N*len(evs)), "µs/event")
		})
	}
}
