package wu

import (
	"strings"
	"time"

	"github.com/hostplane/hostplane/libs/errs"
)

// DateLayout is how wu renders every date (always UTC).
const DateLayout = "2006-01-02 15:04:05"

// dayLayout is a date without a time.
const dayLayout = "2006-01-02"

// FormatDate renders t in UTC with DateLayout; the zero time is "".
func FormatDate(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(DateLayout)
}

// ParseDate reads a date as DateLayout (UTC), RFC 3339 or YYYY-MM-DD
// (midnight UTC). A bad date is an Invalid error without a field; callers
// name the field.
func ParseDate(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	for _, layout := range [...]string{DateLayout, time.RFC3339Nano, dayLayout, "2006-01-02T15:04:05"} {
		if t, err := time.ParseInLocation(layout, s, time.UTC); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, &errs.Error{Kind: errs.Invalid, Message: "Invalid date: expected YYYY-MM-DD HH:MM:SS, YYYY-MM-DD or RFC 3339."}
}

// isDay reports whether s (as given to ParseDate) is a date without a time.
func isDay(s string) bool {
	_, err := time.Parse(dayLayout, strings.TrimSpace(s))
	return err == nil
}
