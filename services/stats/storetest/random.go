package storetest

import (
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/hostplane/hostplane/services/stats/traffic"
)

// RandomEvents makes n valid events of every type around base, with few
// ids (so that orders, responses and products change several times), few
// distinct times (so that ties happen) and days on both sides of midnight.
func RandomEvents(r *rand.Rand, n int, base time.Time) []traffic.Event {
	currencies := []string{"EUR", "USD", "JPY"}
	out := make([]traffic.Event, n)
	for i := range out {
		at := base.Add(time.Duration(r.IntN(72)-36) * time.Hour).Add(time.Duration(r.IntN(3)) * time.Minute).UTC()
		e := traffic.Event{Type: traffic.Type(1 + r.IntN(6)), At: at}
		switch e.Type {
		case traffic.Pageview:
			e.Visitor = fmt.Sprint("v", r.IntN(20))
			e.Path = fmt.Sprint("/p/", r.IntN(5))
			e.Bytes = int64(r.IntN(100000))
		case traffic.Visit:
			e.Visitor = fmt.Sprint("v", r.IntN(20))
		case traffic.Order:
			e.Ref = fmt.Sprint("o", r.IntN(8))
			e.Status = uint8(1 + r.IntN(3))
			e.Currency = currencies[r.IntN(len(currencies))]
			e.Amount = int64(r.IntN(50000))
			if r.IntN(2) == 0 {
				e.UserID = fmt.Sprint("u", r.IntN(5))
			}
		case traffic.Cart:
			e.Ref = fmt.Sprint("c", r.IntN(10))
			e.Currency = "EUR"
			e.Amount = int64(r.IntN(10000))
		case traffic.FormResponse:
			e.Ref = fmt.Sprint("r", r.IntN(6))
			e.FormID = fmt.Sprint("f", r.IntN(3))
			e.Status = uint8(1 + r.IntN(2))
		case traffic.Stock:
			e.Ref = fmt.Sprint("p", r.IntN(6))
			e.Quantity = int64(r.IntN(10) - 2)
			e.Threshold = int64(r.IntN(5))
		}
		out[i] = e
	}
	return out
}

// Batch makes the batch a service would make of evs.
func Batch(siteID int64, evs []traffic.Event) traffic.Batch {
	return traffic.Batch{SiteID: siteID, Events: evs, Days: traffic.DayTotals(evs)}
}
