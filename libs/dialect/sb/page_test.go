package sb

import (
	"net/url"
	"reflect"
	"testing"

	"github.com/hostplane/hostplane/libs/errs"
)

func TestParsePage(t *testing.T) {
	tests := []struct {
		query      string
		want       Page
		wantFields []string
	}{
		{"", Page{Page: 0, Limit: 20}, nil},
		{"limit=5&page=3", Page{Page: 3, Limit: 5}, nil},
		{"limit=20", Page{Limit: 20}, nil},
		{"limit=21", Page{}, []string{"limit"}},
		{"limit=0", Page{}, []string{"limit"}},
		{"page=-1", Page{}, []string{"page"}},
		{"page=x&limit=y", Page{}, []string{"limit", "page"}},
	}
	for _, tt := range tests {
		q, _ := url.ParseQuery(tt.query)
		got, err := ParsePage(q)
		if tt.wantFields != nil {
			e, ok := err.(*errs.Error)
			if !ok || e.Kind != errs.Invalid || !reflect.DeepEqual(e.Fields(), tt.wantFields) {
				t.Errorf("ParsePage(%q) err = %v, want fields %v", tt.query, err, tt.wantFields)
			} else if status, info := ErrorFor(err); status != 400 || info.Code != CodeInvalid {
				t.Errorf("ParsePage(%q) renders as %d/%d", tt.query, status, info.Code)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("ParsePage(%q) = %+v, %v; want %+v", tt.query, got, err, tt.want)
		}
	}
}

func TestOffset(t *testing.T) {
	if got := (Page{Page: 2, Limit: 20}).Offset(); got != 40 {
		t.Errorf("Offset = %d", got)
	}
	if got := (Page{Page: -1, Limit: 20}).Offset(); got != 0 {
		t.Errorf("Offset = %d", got)
	}
}

func FuzzParsePage(f *testing.F) {
	for _, s := range []string{"", "limit=5&page=3", "limit=99", "page=-1", "page=99999999999999999999"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		q, _ := url.ParseQuery(raw)
		p, err := ParsePage(q)
		if err != nil {
			if _, ok := err.(*errs.Error); !ok {
				t.Fatalf("error %T", err)
			}
			return
		}
		if p.Limit < 1 || p.Limit > MaxLimit || p.Page < 0 || p.Offset() < 0 {
			t.Fatalf("out of range %+v", p)
		}
	})
}
