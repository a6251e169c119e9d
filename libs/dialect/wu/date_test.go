package wu

import (
	"testing"
	"time"

	"github.com/hostplane/hostplane/libs/errs"
)

func TestFormatDate(t *testing.T) {
	paris := time.FixedZone("CET", 3600)
	tests := []struct {
		in   time.Time
		want string
	}{
		{time.Time{}, ""},
		{time.Date(2026, 11, 23, 21, 2, 51, 0, time.UTC), "2026-11-23 21:02:51"},
		{time.Date(2026, 11, 23, 22, 2, 51, 999, paris), "2026-11-23 21:02:51"},
	}
	for _, tt := range tests {
		if got := FormatDate(tt.in); got != tt.want {
			t.Errorf("FormatDate(%v) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestParseDate(t *testing.T) {
	tests := []struct {
		in      string
		want    time.Time
		wantErr bool
	}{
		{"2026-11-23 21:02:51", time.Date(2026, 11, 23, 21, 2, 51, 0, time.UTC), false},
		{"2026-11-23", time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC), false},
		{"2026-11-23T22:02:51+01:00", time.Date(2026, 11, 23, 21, 2, 51, 0, time.UTC), false},
		{"2026-11-23T21:02:51Z", time.Date(2026, 11, 23, 21, 2, 51, 0, time.UTC), false},
		{" 2026-11-23 ", time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC), false},
		{"23/11/2026", time.Time{}, true},
		{"2026-13-01", time.Time{}, true},
		{"", time.Time{}, true},
	}
	for _, tt := range tests {
		got, err := ParseDate(tt.in)
		if (err != nil) != tt.wantErr || !got.Equal(tt.want) {
			t.Errorf("ParseDate(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
		}
		if err != nil && errs.KindOf(err) != errs.Invalid {
			t.Errorf("ParseDate(%q) error kind %s", tt.in, errs.KindOf(err))
		}
	}
}

func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"2026-11-23 21:02:51", "2026-11-23", "2026-11-23T21:02:51Z", "x", ""} {
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
		if d.Location() != time.UTC {
			t.Fatalf("ParseDate(%q) not in UTC", s)
		}
	})
}
