package cx

import (
	"net/url"
	"reflect"
	"testing"

	"github.com/hostplane/hostplane/libs/errs"
)

func TestParseList(t *testing.T) {
	spec := ListSpec{
		Filters:  []string{"email", "group_id"},
		Sorts:    []string{"-created_at", "name"},
		Includes: []string{"pricing", "group"},
	}
	base := func(mod func(*ListQuery)) ListQuery {
		q := ListQuery{Page: 1, PerPage: 25, Sort: "created_at", Desc: true, Filters: map[string]string{}, Extra: url.Values{}}
		if mod != nil {
			mod(&q)
		}
		return q
	}
	tests := []struct {
		name       string
		query      string
		spec       ListSpec
		want       ListQuery
		wantFields []string
	}{
		{name: "defaults", query: "", spec: spec, want: base(nil)},
		{name: "no spec", query: "", spec: ListSpec{},
			want: ListQuery{Page: 1, PerPage: 25, Filters: map[string]string{}, Extra: url.Values{}}},
		{name: "everything", query: "page=2&per_page=100&filter[email]=a@b.c&sort=name&include=group,pricing&q=+john+&other=1", spec: spec,
			want: base(func(q *ListQuery) {
				q.Page, q.PerPage, q.Sort, q.Desc, q.Q = 2, 100, "name", false, "john"
				q.Filters["email"] = "a@b.c"
				q.Include = []string{"group", "pricing"}
				q.Extra = url.Values{"other": {"1"}}
			})},
		{name: "sort descending", query: "sort=-name", spec: spec, want: base(func(q *ListQuery) { q.Sort, q.Desc = "name", true })},
		{name: "sort ascending default field", query: "sort=created_at", spec: spec, want: base(func(q *ListQuery) { q.Desc = false })},
		{name: "legacy group_id", query: "group_id=3", spec: spec, want: base(func(q *ListQuery) { q.Filters["group_id"] = "3" })},
		{name: "filter wins over group_id", query: "group_id=3&filter[group_id]=4", spec: spec, want: base(func(q *ListQuery) { q.Filters["group_id"] = "4" })},
		{name: "legacy pricing", query: "pricing=1&include=group", spec: spec, want: base(func(q *ListQuery) { q.Include = []string{"group", "pricing"} })},
		{name: "pricing off", query: "pricing=0", spec: spec, want: base(nil)},
		{name: "pricing not allowed stays extra", query: "pricing=1&group_id=2", spec: ListSpec{},
			want: ListQuery{Page: 1, PerPage: 25, Filters: map[string]string{}, Extra: url.Values{"pricing": {"1"}, "group_id": {"2"}}}},
		{name: "duplicate include", query: "include=group,group,+pricing&pricing=1", spec: spec, want: base(func(q *ListQuery) { q.Include = []string{"group", "pricing"} })},
		{name: "bad per_page", query: "per_page=101", spec: spec, wantFields: []string{"per_page"}},
		{name: "bad page", query: "page=0", spec: spec, wantFields: []string{"page"}},
		{name: "bad filter", query: "filter[password]=x", spec: spec, wantFields: []string{"filter[password]"}},
		{name: "bad sort", query: "sort=-password", spec: spec, wantFields: []string{"sort"}},
		{name: "bad include", query: "include=secrets", spec: spec, wantFields: []string{"include"}},
		{name: "bad pricing", query: "pricing=maybe", spec: spec, wantFields: []string{"pricing"}},
		{name: "all collected", query: "per_page=x&page=x&filter[x]=1&sort=x&include=x", spec: spec,
			wantFields: []string{"filter[x]", "include", "page", "per_page", "sort"}},
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
					t.Fatalf("fields %v, want %v", e.Fields(), tt.wantFields)
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

func TestOffset(t *testing.T) {
	if got := (ListQuery{Page: 3, PerPage: 25}).Offset(); got != 50 {
		t.Errorf("Offset = %d", got)
	}
	if got := (ListQuery{}).Offset(); got != 0 {
		t.Errorf("Offset = %d", got)
	}
}

func FuzzParseList(f *testing.F) {
	for _, s := range []string{"", "page=2&per_page=5", "filter[email]=x&sort=-name&include=group", "group_id=1&pricing=1", "filter[=1", "sort=-", "include=,,"} {
		f.Add(s)
	}
	spec := ListSpec{Filters: []string{"email", "group_id"}, Sorts: []string{"name"}, Includes: []string{"group", "pricing"}}
	f.Fuzz(func(t *testing.T, raw string) {
		q, _ := url.ParseQuery(raw)
		lq, err := ParseList(q, spec)
		if err != nil {
			if _, ok := err.(*errs.Error); !ok {
				t.Fatalf("error %T", err)
			}
			return
		}
		if lq.Page < 1 || lq.PerPage < 1 || lq.PerPage > MaxPerPage || lq.Filters == nil || lq.Extra == nil {
			t.Fatalf("bad query %+v", lq)
		}
		for k := range lq.Filters {
			if !allowed(spec.Filters, k) {
				t.Fatalf("filter %q not allow-listed", k)
			}
		}
		if !allowed(spec.Sorts, lq.Sort) {
			t.Fatalf("sort %q not allow-listed", lq.Sort)
		}
	})
}
