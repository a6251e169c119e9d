package transport

import (
	"bytes"
	"fmt"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/hostplane/hostplane/services/stats/traffic"
)

// benchBody is a batch of 1,000 events like the ingestion benchmark's.
func benchBody() []byte {
	var b bytes.Buffer
	b.WriteString(`{"events":[`)
	for i := range 1000 {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"type":"pageview","time":%d,"visitor_id":"v%d","path":"/p/%d","bytes":%d}`, 1795600000-i*3600, i*7919%1000000, i%500, 2000+i)
	}
	b.WriteString("]}")
	return b.Bytes()
}

// BenchmarkDecodeAndValidate is the service's CPU per batch before the
// store: decoding, validation, day totals.
func BenchmarkDecodeAndValidate(b *testing.B) {
	body := benchBody()
	now := time.Unix(1795600000, 0)
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		r := httptest.NewRequest("POST", "/v1/sites/s/events.json", bytes.NewReader(body))
		r.Header.Set("Content-Type", "application/json")
		in, err := decodeBatch(r)
		if err != nil {
			b.Fatal(err)
		}
		evs, err := traffic.Validate(in.Events, now, "EUR")
		if err != nil {
			b.Fatal(err)
		}
		_ = traffic.DayTotals(evs)
	}
}
