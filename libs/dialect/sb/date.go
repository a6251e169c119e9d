package sb

import (
	"strings"
	"time"

	"github.com/hostplane/hostplane/libs/errs"
)

// Date layouts of the sb dialect.
const (
	DateLayout = "2006-01-02 15:04:05" // dates in answers (UTC)
	DayLayout  = "2006-01-02"          // days in answers and queries
	frenchDay  = "2/1/2006"            // DD/MM/YYYY in queries (one or two digits)
)

// ParseDate reads a day given as DD/MM/YYYY or YYYY-MM-DD (midnight UTC).
// A bad date is an Invalid error without a field; callers name the field.
func ParseDate(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	for _, layout := range [...]string{frenchDay, DayLayout} {
		if t, err := time.ParseInLocation(layout, s, time.UTC); err == nil {
			return t, nil
		}
	}
	return time.Time{}, &errs.Error{Kind: errs.Invalid, Message: "Invalid date: expected DD/MM/YYYY or YYYY-MM-DD."}
}

// FormatDate renders t in UTC as "YYYY-MM-DD HH:MM:SS"; the zero time is "".
func FormatDate(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(DateLayout)
}

// FormatDay renders t's UTC day as "YYYY-MM-DD"; the zero time is "".
func FormatDay(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(DayLayout)
}
