package transport

import (
	"errors"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/hostplane/hostplane/libs/dialect/decode"
	"github.com/hostplane/hostplane/libs/errs"
	"github.com/hostplane/hostplane/services/stats/traffic"
)

// FuzzBatchDecoder feeds the events batch decoder and the batch
// validation any body: they never panic, fail only with typed errors, and
// what they accept is within the batch limits.
func FuzzBatchDecoder(f *testing.F) {
	seeds := []struct{ body, contentType string }{
		{`{"events":[{"type":"pageview","visitor_id":"v","path":"/","bytes":12}]}`, "application/json"},
		{`{"events":[{"type":"order","order_id":"1","amount":"29.99","currency":"EUR","status":"paid","time":"2026-11-25T10:00:00Z"}]}`, "application/json"},
		{`{"events":[{"type":"stock","product_id":"p","quantity":-3,"threshold":2},{"type":"form_response","response_id":1}]}`, ""},
		{`{"events":[{"type":"visit","visitor_id":{"a":[1]}}]}`, "application/json"},
		{`{"events":[{"type":"cart","amount":1e3,"time":1795600000.5}]}`, "application/json"},
		{`events[0][type]=pageview&events[0][path]=%2Fa&events[1][type]=visit&events[1][visitor_id]=x`, "application/x-www-form-urlencoded"},
		{`events[][type]=order&events[][order_id]=1`, "application/x-www-form-urlencoded"},
		{`{"events":"x"}`, "application/json"},
		{`[1,2]`, "application/json"},
		{"\x00\xff", "text/plain"},
	}
	for _, s := range seeds {
		f.Add(s.body, s.contentType)
	}
	now := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, body, contentType string) {
		r := httptest.NewRequest("POST", "/v1/sites/shop/events.json", strings.NewReader(body))
		if contentType != "" {
			r.Header.Set("Content-Type", contentType)
		}
		in, err := decodeBatch(r)
		if err != nil {
			var e *errs.Error
			if !errors.As(err, &e) {
				t.Fatalf("untyped decode error %T %v", err, err)
			}
			return
		}
		evs, err := traffic.Validate(in.Events, now, "EUR")
		if err != nil {
			if e := errs.From(err); e.Kind != errs.Invalid && e.Kind != errs.Missing || len(e.Params) == 0 {
				t.Fatalf("validation error without a field: %v", err)
			}
			return
		}
		if len(evs) == 0 || len(evs) > traffic.MaxBatch {
			t.Fatalf("%d events accepted", len(evs))
		}
		for _, e := range evs {
			if e.Type < traffic.Pageview || e.Type > traffic.Stock || e.At.After(now.Add(traffic.Future)) || e.Amount < 0 || e.Bytes < 0 ||
				len(e.Ref) > traffic.MaxID || len(e.Visitor) > traffic.MaxID {
				t.Fatalf("accepted a bad event %+v from %q", e, body)
			}
		}
	})
}

// FuzzBeaconDecoder feeds the beacon decoder any body and query.
func FuzzBeaconDecoder(f *testing.F) {
	f.Add(`{"site":"shop","key":"pk_x","visitor_id":"v","visit":true}`, "text/plain", "")
	f.Add(`site=shop&key=k&path=%2F`, "application/x-www-form-urlencoded", "bytes=12")
	f.Add(``, "", "site=shop&key=k&visit=1")
	f.Add(`{"site":["x"]}`, "application/json", "site[]=a")
	f.Fuzz(func(t *testing.T, body, contentType, query string) {
		r := httptest.NewRequest("POST", "/collect", strings.NewReader(body))
		r.URL.RawQuery = query
		if contentType != "" {
			r.Header.Set("Content-Type", contentType)
		}
		v, err := decodeBeacon(r)
		if err != nil {
			var e *errs.Error
			if !errors.As(err, &e) {
				t.Fatalf("untyped error %T %v", err, err)
			}
			return
		}
		if _, ok := v.(traffic.Beacon); !ok {
			t.Fatalf("decoded %T", v)
		}
	})
}

// FuzzFastBatchMatchesDecoder checks the fast path against the general
// decoder: whatever the fast path accepts, the general decoder reads the
// same way.
func FuzzFastBatchMatchesDecoder(f *testing.F) {
	for _, s := range []string{
		`{"events":[{"type":"pageview","visitor_id":"v","path":"/é","bytes":12,"time":1795600000.5}]}`,
		` { "events" : [ { "type" : "order" , "amount" : -0.5e+3 , "status" : null , "user_id" : true } ] } `,
		`{"events":[]}`, `{}`, `{"events":[{}]}`, `{"events":[{"Type":"visit"}]}`, `{"events":[{"path":"a\"b"}]}`,
		`{"events":[{"bytes":01}]}`, `{"events":[{"path":"\xff"}]}`, `{"events":[{"type":"x"}],"events":[]}`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		fast, ok := fastBatch([]byte(body))
		if !ok {
			return
		}
		r := httptest.NewRequest("POST", "/", strings.NewReader(body))
		r.Header.Set("Content-Type", "application/json")
		var b batchBody
		if err := decode.Body(r, &b, decode.Options{}); err != nil {
			if body == "" {
				return
			}
			t.Fatalf("fast path accepted %q, the decoder refuses it: %v", body, err)
		}
		if len(b.Events) != len(fast) {
			t.Fatalf("%q: %d events, decoder %d", body, len(fast), len(b.Events))
		}
		for i := range fast {
			if fast[i] != b.Events[i].raw() {
				t.Fatalf("%q event %d: fast %+v, decoder %+v", body, i, fast[i], b.Events[i].raw())
			}
		}
	})
}
