package wu

import (
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/hostplane/hostplane/libs/dialect/decode"
	"github.com/hostplane/hostplane/libs/errs"
)

// Paging limits of wu lists.
const (
	DefaultPerPage = 20
	MaxPerPage     = 100
)

// ListQuery is a parsed wu list request.
type ListQuery struct {
	Page    int // from 1
	PerPage int // 1..100
	Search  string
	OrderBy string // one of ListSpec.OrderBy
	Order   string // "asc" or "desc"
	Status  string // "" or one of ListSpec.Statuses
	// DateFrom and DateTo bound date_created, both inclusive; a TO given as
	// a bare day means the end of that day.
	DateFrom, DateTo *time.Time
}

// Offset is the number of rows before the page.
func (q ListQuery) Offset() int {
	if q.Page < 1 || q.PerPage < 1 {
		return 0
	}
	return (q.Page - 1) * q.PerPage
}

// ListSpec is what one resource allows in a list request.
type ListSpec struct {
	// OrderBy allow-lists orderby values; the first is the default.
	OrderBy []string
	// Statuses allow-lists status values; empty means no status filter.
	Statuses []string
}

// ParseList reads the WordPress list parameters of q against spec. Every
// problem is collected into one Invalid error naming each parameter.
func ParseList(q url.Values, spec ListSpec) (ListQuery, error) {
	var c errs.Collector
	lq := ListQuery{Order: "desc"}
	lq.PerPage = intParam(&c, q, "per_page", DefaultPerPage, 1, MaxPerPage)
	lq.Page = intParam(&c, q, "page", 1, 1, MaxPage)
	lq.Search = strings.TrimSpace(q.Get("search"))

	if len(spec.OrderBy) > 0 {
		lq.OrderBy = spec.OrderBy[0]
	}
	if v := q.Get("orderby"); v != "" {
		if slices.Contains(spec.OrderBy, v) {
			lq.OrderBy = v
		} else {
			c.Invalid("orderby", oneOf("orderby", spec.OrderBy))
		}
	}
	if v := q.Get("order"); v != "" {
		switch strings.ToLower(v) {
		case "asc", "desc":
			lq.Order = strings.ToLower(v)
		default:
			c.Invalid("order", oneOf("order", []string{"asc", "desc"}))
		}
	}
	if v := q.Get("status"); v != "" {
		switch {
		case len(spec.Statuses) == 0:
			c.Invalid("status", "Invalid parameter(s): status (this list has no status filter)")
		case slices.Contains(spec.Statuses, v):
			lq.Status = v
		default:
			c.Invalid("status", oneOf("status", spec.Statuses))
		}
	}
	if v, ok := q["date_created"]; ok && len(v) > 0 && v[0] != "" {
		from, to, err := parseRange(v[0])
		if err != nil {
			c.Invalid("date_created", "Invalid parameter(s): date_created (expected FROM,TO, either side optional, as YYYY-MM-DD, YYYY-MM-DD HH:MM:SS or RFC 3339)")
		} else {
			lq.DateFrom, lq.DateTo = from, to
		}
	}
	return lq, c.Err()
}

func oneOf(param string, allowed []string) string {
	return "Invalid parameter(s): " + param + " (must be one of: " + strings.Join(allowed, ", ") + ")"
}

// intParam reads an integer parameter, recording a problem in c.
func intParam(c *errs.Collector, q url.Values, name string, def, min, max int) int {
	n, err := decode.Int(q, name, def, min, max)
	if err != nil {
		c.Invalid(name, errs.From(err).Params[name])
	}
	return n
}

// parseRange reads "FROM,TO" with either side optional. Without a comma
// the value is FROM alone. A TO that is a bare day extends to its end.
func parseRange(s string) (from, to *time.Time, err error) {
	a, b, _ := strings.Cut(s, ",")
	if a = strings.TrimSpace(a); a != "" {
		t, err := ParseDate(a)
		if err != nil {
			return nil, nil, err
		}
		from = &t
	}
	if b = strings.TrimSpace(b); b != "" {
		t, err := ParseDate(b)
		if err != nil {
			return nil, nil, err
		}
		if isDay(b) {
			t = t.Add(24*time.Hour - time.Nanosecond)
		}
		to = &t
	}
	if from == nil && to == nil {
		return nil, nil, errs.Invalid
	}
	if from != nil && to != nil && to.Before(*from) {
		return nil, nil, errs.Invalid
	}
	return from, to, nil
}

// MaxPage bounds the page number so that offsets cannot overflow.
const MaxPage = 1_000_000
