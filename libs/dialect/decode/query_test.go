package decode

import (
	"math"
	"net/http/httptest"
	"net/url"
	"reflect"
	"testing"

	"github.com/hostplane/hostplane/libs/errs"
)

func TestInt(t *testing.T) {
	tests := []struct {
		name    string
		query   string
		min     int
		max     int
		want    int
		wantErr bool
	}{
		{"absent", "", 1, 100, 20, false},
		{"empty", "n=", 1, 100, 20, false},
		{"value", "n=5", 1, 100, 5, false},
		{"spaces", "n=+5", 1, 100, 5, false},
		{"min", "n=1", 1, 100, 1, false},
		{"max", "n=100", 1, 100, 100, false},
		{"below", "n=0", 1, 100, 20, true},
		{"above", "n=101", 1, 100, 20, true},
		{"not a number", "n=abc", 1, 100, 20, true},
		{"float", "n=1.5", 1, 100, 20, true},
		{"no upper bound", "n=99999", 0, math.MaxInt, 99999, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q, _ := url.ParseQuery(tt.query)
			got, err := Int(q, "n", 20, tt.min, tt.max)
			if got != tt.want {
				t.Errorf("got %d, want %d", got, tt.want)
			}
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, wantErr %v", err, tt.wantErr)
			}
			if err != nil {
				e := errs.From(err)
				if e.Kind != errs.Invalid || e.Params["n"] == "" {
					t.Errorf("error %#v does not name n", e)
				}
			}
		})
	}
}

func TestBool(t *testing.T) {
	tests := []struct {
		query   string
		want    bool
		wantErr bool
	}{
		{"", true, false},
		{"b=1", true, false},
		{"b=0", false, false},
		{"b=TRUE", true, false},
		{"b=no", false, false},
		{"b=x", true, true},
	}
	for _, tt := range tests {
		q, _ := url.ParseQuery(tt.query)
		got, err := Bool(q, "b", true)
		if got != tt.want || (err != nil) != tt.wantErr {
			t.Errorf("Bool(%q) = %v, %v", tt.query, got, err)
		}
	}
}

func TestQuery(t *testing.T) {
	type filter struct {
		Type  []string `json:"type"`
		Since string   `json:"since"`
		Limit int      `json:"limit"`
	}
	tests := []struct {
		name    string
		query   string
		want    filter
		wantErr bool
	}{
		{"nested", "type[]=login&type[]=form&since=01/02/2024&limit=5", filter{Type: []string{"login", "form"}, Since: "01/02/2024", Limit: 5}, false},
		{"bad", "limit=x", filter{}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got filter
			err := Query(httptest.NewRequest("GET", "/x?"+tt.query, nil), &got, Options{})
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v", err)
			}
			if !tt.wantErr && !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}
