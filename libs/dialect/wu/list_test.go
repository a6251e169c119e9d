package wu

import (
	"net/url"
	"reflect"
	"testing"
	"time"

	"github.com/hostplane/hostplane/libs/errs"
)

func tp(t time.Time) *time.Time { return &t }

func TestParseList(t *testing.T) {
	spec := ListSpec{OrderBy: []string{"id", "date_created"}, Statuses: []string{"active", "pending"}}
	tests := []struct {
		name       string
		query      string
		spec       ListSpec
		want       ListQuery
		wantFields []string // fields of the Invalid error, nil for success
	}{
		{name: "defaults", query: "", spec: spec,
			want: ListQuery{Page: 1, PerPage: 20, OrderBy: "id", Order: "desc"}},
		{name: "everything", query: "per_page=100&page=3&search=+john+&orderby=date_created&order=ASC&status=active&date_created=2024-01-01,2024-01-31", spec: spec,
			want: ListQuery{Page: 3, PerPage: 100, Search: "john", OrderBy: "date_created", Order: "asc", Status: "active",
				DateFrom: tp(time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)),
				DateTo:   tp(time.Date(2024, 1, 31, 23, 59, 59, 999999999, time.UTC))}},
		{name: "from only", query: "date_created=2024-01-01", spec: spec,
			want: ListQuery{Page: 1, PerPage: 20, OrderBy: "id", Order: "desc", DateFrom: tp(time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC))}},
		{name: "from with comma", query: "date_created=2024-01-01,", spec: spec,
			want: ListQuery{Page: 1, PerPage: 20, OrderBy: "id", Order: "desc", DateFrom: tp(time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC))}},
		{name: "to with time", query: "date_created=,2024-01-31+10:00:00", spec: spec,
			want: ListQuery{Page: 1, PerPage: 20, OrderBy: "id", Order: "desc", DateTo: tp(time.Date(2024, 1, 31, 10, 0, 0, 0, time.UTC))}},
		{name: "no orderby allowed", query: "", spec: ListSpec{},
			want: ListQuery{Page: 1, PerPage: 20, Order: "desc"}},
		{name: "per_page zero", query: "per_page=0", spec: spec, wantFields: []string{"per_page"}},
		{name: "per_page too big", query: "per_page=101", spec: spec, wantFields: []string{"per_page"}},
		{name: "per_page text", query: "per_page=all", spec: spec, wantFields: []string{"per_page"}},
		{name: "page zero", query: "page=0", spec: spec, wantFields: []string{"page"}},
		{name: "bad orderby", query: "orderby=password", spec: spec, wantFields: []string{"orderby"}},
		{name: "bad order", query: "order=up", spec: spec, wantFields: []string{"order"}},
		{name: "bad status", query: "status=deleted", spec: spec, wantFields: []string{"status"}},
		{name: "status not filterable", query: "status=active", spec: ListSpec{OrderBy: []string{"id"}}, wantFields: []string{"status"}},
		{name: "bad date", query: "date_created=yesterday", spec: spec, wantFields: []string{"date_created"}},
		{name: "empty range", query: "date_created=,", spec: spec, wantFields: []string{"date_created"}},
		{name: "reversed range", query: "date_created=2024-02-01,2024-01-01", spec: spec, wantFields: []string{"date_created"}},
		{name: "all collected", query: "per_page=0&page=-1&orderby=x&order=x&status=x&date_created=x", spec: spec,
			wantFields: []string{"date_created", "order", "orderby", "page", "per_page", "status"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q, err := url.ParseQuery(tt.query)
			if err != nil {
				t.Fatal(err)
			}
			got, err := ParseList(q, tt.spec)
			if tt.wantFields != nil {
				e, ok := err.(*errs.Error)
				if !ok || e.Kind != errs.Invalid {
					t.Fatalf("err = %v, want Invalid", err)
				}
				if !reflect.DeepEqual(e.Fields(), tt.wantFields) {
					t.Fatalf("fields = %v, want %v", e.Fields(), tt.wantFields)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got  %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

func TestParseListMessages(t *testing.T) {
	q := url.Values{"orderby": {"x"}}
	_, err := ParseList(q, ListSpec{OrderBy: []string{"a", "b"}})
	e := errs.From(err)
	if want := "Invalid parameter(s): orderby (must be one of: a, b)"; e.Params["orderby"] != want {
		t.Errorf("orderby message = %q, want %q", e.Params["orderby"], want)
	}
	if e.Message != "Invalid parameter(s): orderby" {
		t.Errorf("message = %q", e.Message)
	}
}

func TestOffset(t *testing.T) {
	tests := []struct {
		q    ListQuery
		want int
	}{
		{ListQuery{Page: 1, PerPage: 20}, 0},
		{ListQuery{Page: 3, PerPage: 20}, 40},
		{ListQuery{Page: 0, PerPage: 20}, 0},
		{ListQuery{}, 0},
	}
	for _, tt := range tests {
		if got := tt.q.Offset(); got != tt.want {
			t.Errorf("%+v.Offset() = %d, want %d", tt.q, got, tt.want)
		}
	}
}

func FuzzParseList(f *testing.F) {
	for _, s := range []string{"", "per_page=5&page=2", "orderby=id&order=asc", "status=active", "date_created=2024-01-01,2024-02-01", "date_created=,", "page=99999999999999999999"} {
		f.Add(s)
	}
	spec := ListSpec{OrderBy: []string{"id"}, Statuses: []string{"active"}}
	f.Fuzz(func(t *testing.T, raw string) {
		q, _ := url.ParseQuery(raw)
		lq, err := ParseList(q, spec)
		if err != nil {
			if _, ok := err.(*errs.Error); !ok {
				t.Fatalf("error %T", err)
			}
			return
		}
		if lq.Page < 1 || lq.PerPage < 1 || lq.PerPage > MaxPerPage || lq.Offset() < 0 {
			t.Fatalf("out of range: %+v", lq)
		}
	})
}
