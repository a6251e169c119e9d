package traffic

import (
	"errors"
	"testing"
	"time"

	"github.com/hostplane/hostplane/libs/errs"
)

func TestValidate(t *testing.T) {
	now := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	tests := []struct {
		name  string
		raw   RawEvent
		want  Event
		field string // the refusal's field, "" when accepted
		kind  errs.Kind
	}{
		{"pageview defaults to now", RawEvent{Type: "pageview", Path: "/a", Bytes: "10"}, Event{Type: Pageview, At: now, Path: "/a", Bytes: 10}, "", ""},
		{"RFC 3339 with an offset", RawEvent{Type: "visit", VisitorID: "v", Time: "2026-11-25T12:00:00+02:00"}, Event{Type: Visit, Visitor: "v", At: now}, "", ""},
		{"sb date time", RawEvent{Type: "visit", VisitorID: "v", Time: "2026-11-24 08:00:00"}, Event{Type: Visit, Visitor: "v", At: now.Add(-26 * time.Hour)}, "", ""},
		{"Unix seconds", RawEvent{Type: "visit", VisitorID: "v", Time: "1795600800"}, Event{Type: Visit, Visitor: "v", At: time.Unix(1795600800, 0).UTC()}, "", ""},
		{"order in JPY", RawEvent{Type: "order", OrderID: "1", Amount: "1200", Currency: "jpy", Status: "PAID"},
			Event{Type: Order, At: now, Ref: "1", Amount: 1200, Currency: "JPY", Status: OrderPaid}, "", ""},
		{"order in the default currency", RawEvent{Type: "order", OrderID: "1", Amount: "12.3", Status: "pending"},
			Event{Type: Order, At: now, Ref: "1", Amount: 1230, Currency: "EUR", Status: OrderPending}, "", ""},
		{"form response unread by default", RawEvent{Type: "form_response", ResponseID: "r"}, Event{Type: FormResponse, At: now, Ref: "r", Status: FormUnread}, "", ""},
		{"stock may go negative", RawEvent{Type: "stock", ProductID: "p", Quantity: "-2"}, Event{Type: Stock, At: now, Ref: "p", Quantity: -2}, "", ""},
		{"exactly a day ahead", RawEvent{Type: "pageview", Time: "2026-11-26T10:00:00Z"}, Event{Type: Pageview, At: now.Add(Future)}, "", ""},
		{"more than a day ahead", RawEvent{Type: "pageview", Time: "2026-11-26T10:00:00.000001Z"}, Event{}, "time", errs.Invalid},
		{"before 2000", RawEvent{Type: "pageview", Time: "1999-12-31T23:59:59Z"}, Event{}, "time", errs.Invalid},
		{"unknown type", RawEvent{Type: "purchase"}, Event{}, "type", errs.Invalid},
		{"negative amount", RawEvent{Type: "cart", Amount: "-0.01"}, Event{}, "amount", errs.Invalid},
		{"amount in exponent form", RawEvent{Type: "cart", Amount: "1e3"}, Event{}, "amount", errs.Invalid},
		{"amount too large", RawEvent{Type: "cart", Amount: "100000000000.01"}, Event{}, "amount", errs.Invalid},
		{"id too long", RawEvent{Type: "visit", VisitorID: string(make([]byte, 129))}, Event{}, "visitor_id", errs.Invalid},
		{"control character", RawEvent{Type: "pageview", Path: "/a\nb"}, Event{}, "path", errs.Invalid},
		{"missing order status", RawEvent{Type: "order", OrderID: "1", Amount: "1"}, Event{}, "status", errs.Missing},
		{"threshold below zero", RawEvent{Type: "stock", ProductID: "p", Quantity: "1", Threshold: "-1"}, Event{}, "threshold", errs.Invalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Validate([]RawEvent{tt.raw}, now, "EUR")
			if tt.field == "" {
				if err != nil || len(got) != 1 || got[0] != tt.want {
					t.Fatalf("got %+v %v, want %+v", got, err, tt.want)
				}
				return
			}
			e := errs.From(err)
			if e == nil || e.Kind != tt.kind || e.Params["events[0]."+tt.field] == "" {
				t.Fatalf("err %v, want %s naming events[0].%s", err, tt.kind, tt.field)
			}
		})
	}
}

func TestValidateBatchLimits(t *testing.T) {
	now := time.Now()
	if _, err := Validate(nil, now, "EUR"); !errors.Is(err, errs.Missing) {
		t.Fatalf("empty: %v", err)
	}
	if _, err := Validate(make([]RawEvent, MaxBatch+1), now, "EUR"); errs.From(err).Params["events"] == "" {
		t.Fatalf("over the limit: %v", err)
	}
	// A batch full of errors names at most maxProblems of them.
	bad := make([]RawEvent, MaxBatch)
	for i := range bad {
		bad[i] = RawEvent{Type: "nope"}
	}
	if _, err := Validate(bad, now, "EUR"); len(errs.From(err).Params) != maxProblems {
		t.Fatalf("%d problems named", len(errs.From(err).Params))
	}
}

func TestReportRange(t *testing.T) {
	now := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	d := func(s string) time.Time { t, _ := time.Parse(time.DateOnly, s); return t }
	tests := []struct {
		start, end         string
		wantStart, wantEnd string
		field              string
	}{
		{"", "", "2026-10-27", "2026-11-25", ""},
		{"2026-01-01", "", "2026-01-01", "2026-11-25", ""},
		{"", "2026-03-31", "2026-03-02", "2026-03-31", ""},
		{"2024-01-01", "2024-12-31", "2024-01-01", "2024-12-31", ""}, // 366 days (leap year)
		{"2025-01-01", "2026-01-01", "", "", "end_date"},             // 366 days? 2025 has 365: 366 days, allowed
		{"2024-01-01", "2025-01-01", "", "", "end_date"},             // 367 days
		{"2026-02-02", "2026-02-01", "", "", "start_date"},
	}
	for _, tt := range tests {
		var s, e time.Time
		if tt.start != "" {
			s = d(tt.start)
		}
		if tt.end != "" {
			e = d(tt.end)
		}
		gs, ge, err := ReportRange(s, e, now)
		switch {
		case tt.start == "2025-01-01":
			if err != nil {
				t.Errorf("%s..%s (366 days): %v", tt.start, tt.end, err)
			}
		case tt.field != "":
			if errs.From(err) == nil || errs.From(err).Params[tt.field] == "" {
				t.Errorf("%s..%s: %v, want an error naming %s", tt.start, tt.end, err, tt.field)
			}
		case err != nil || !gs.Equal(d(tt.wantStart)) || !ge.Equal(d(tt.wantEnd)):
			t.Errorf("%s..%s = %s..%s %v", tt.start, tt.end, gs, ge, err)
		}
	}
}

func TestApplyOrders(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 23, 0, 0, 0, time.UTC)
	evs := []Event{
		{Type: Order, Ref: "a", Status: OrderPending, Amount: 100, Currency: "EUR", At: t0},
		{Type: Order, Ref: "a", Status: OrderPaid, Amount: 120, Currency: "EUR", At: t0.Add(2 * time.Hour)}, // next day
		{Type: Order, Ref: "a", Status: OrderPaid, Amount: 120, Currency: "EUR", At: t0.Add(3 * time.Hour)}, // paid again: no sale
		{Type: Order, Ref: "b", Status: OrderPaid, Amount: 5, Currency: "USD", At: t0},
		{Type: Order, Ref: "b", Status: OrderCancelled, Amount: 5, Currency: "USD", At: t0.Add(-time.Hour)}, // older: state stays paid
		{Type: Pageview, At: t0},
	}
	states, sales := ApplyOrders(map[string]OrderState{"c": {ID: "c", Status: OrderPending}}, evs)
	if len(states) != 2 || states[0].ID != "a" || states[0].Status != OrderPaid || states[0].PaidAt == nil ||
		!states[0].PaidAt.Equal(t0.Add(2*time.Hour)) || states[1].Status != OrderPaid || states[1].Pending() {
		t.Fatalf("states %+v", states)
	}
	want := []Sale{{Date: DayOf(t0), Currency: "USD", Amount: 5, Orders: 1}, {Date: DayOf(t0).AddDate(0, 0, 1), Currency: "EUR", Amount: 120, Orders: 1}}
	if len(sales) != 2 || sales[0] != want[0] || sales[1] != want[1] {
		t.Fatalf("sales %+v, want %+v", sales, want)
	}
	// Already paid before the batch: no sale.
	paid := t0
	if _, sales := ApplyOrders(map[string]OrderState{"a": {ID: "a", Status: OrderPaid, PaidAt: &paid, At: t0}}, evs[:2]); len(sales) != 0 {
		t.Fatalf("sales of a paid order: %+v", sales)
	}
}

func TestBuildReportPicksTheMainCurrency(t *testing.T) {
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	sales := []Sale{{Date: start, Currency: "USD", Amount: 100000, Orders: 1}, {Date: start, Currency: "EUR", Amount: 100, Orders: 2},
		{Date: start.AddDate(0, 0, 1), Currency: "EUR", Amount: 50, Orders: 1}}
	r := buildReport(start, start.AddDate(0, 0, 2), []Day{{Date: start.AddDate(0, 0, 1), Visits: 3}}, sales, "GBP")
	if r.Currency != "EUR" || r.Sales != 150 || r.DaySales[0] != 100 || r.DaySales[1] != 50 || r.DaySales[2] != 0 ||
		len(r.OtherSales) != 1 || r.OtherSales[0].Currency != "USD" || r.Totals.Visits != 3 || len(r.Days) != 3 {
		t.Fatalf("report %+v", r)
	}
	if r := buildReport(start, start, nil, nil, "GBP"); r.Currency != "GBP" || r.Sales != 0 {
		t.Fatalf("without sales: %+v", r)
	}
}
