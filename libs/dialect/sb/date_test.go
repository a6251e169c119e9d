package sb

import (
	"testing"
	"time"

	"github.com/hostplane/hostplane/libs/errs"
)

func TestParseDate(t *testing.T) {
	day := time.Date(2024, 3, 7, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		in      string
		want    time.Time
		wantErr bool
	}{
		{"07/03/2024", day, false},
		{"7/3/2024", day, false},
		{"2024-03-07", day, false},
		{" 2024-03-07 ", day, false},
		{"31/02/2024", time.Time{}, true},
		{"2024/03/07", time.Time{}, true},
		{"03-07-2024", time.Time{}, true},
		{"2024-03-07 10:00:00", time.Time{}, true},
		{"", time.Time{}, true},
	}
	for _, tt := range tests {
		got, err := ParseDate(tt.in)
		if (err != nil) != tt.wantErr || !got.Equal(tt.want) {
			t.Errorf("ParseDate(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
		}
	}
}

func TestFormat(t *testing.T) {
	ts := time.Date(2024, 3, 7, 23, 30, 5, 0, time.FixedZone("X", -2*3600))
	if got := FormatDate(ts); got != "2024-03-08 01:30:05" {
		t.Errorf("FormatDate = %q", got)
	}
	if got := FormatDay(ts); got != "2024-03-08" {
		t.Errorf("FormatDay = %q", got)
	}
	if FormatDate(time.Time{}) != "" || FormatDay(time.Time{}) != "" {
		t.Error("zero time not empty")
	}
}

func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"07/03/2024", "2024-03-07", "1/1/0001", "x", "99/99/9999"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseDate(s)
		if err != nil {
			if _, ok := err.(*errs.Error); !ok {
				t.Fatalf("error %T", err)
			}
			return
		}
		if d.Location() != time.UTC || d.Hour() != 0 || d.Minute() != 0 {
			t.Fatalf("ParseDate(%q) = %v, not a UTC day", s, d)
		}
		if d.IsZero() {
			return // 01/01/0001 is the zero time, which formats as ""
		}
		if back, err := ParseDate(FormatDay(d)); err != nil || !back.Equal(d) {
			t.Fatalf("%q does not round-trip: %v %v", s, back, err)
		}
	})
}
