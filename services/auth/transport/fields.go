package transport

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"
	"time"

	"github.com/hostplane/hostplane/libs/errs"
)

// Body fields that take several forms (JSON or form-encoded) are read as
// raw JSON and interpreted here, so that a wrong value names its field.

// isNull reports whether a raw field was sent as JSON null.
func isNull(raw json.RawMessage) bool { return string(bytes.TrimSpace(raw)) == "null" }

// stringList reads a list of strings given as a JSON array (or form
// list) or as one comma-separated string; blanks are dropped.
func stringList(raw json.RawMessage, field string) ([]string, error) {
	var list []string
	if err := json.Unmarshal(raw, &list); err != nil {
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return nil, errs.InvalidField(field, "Must be a list of strings or one comma-separated string.")
		}
		list = strings.Split(s, ",")
	}
	out := make([]string, 0, len(list))
	for _, s := range list {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out, nil
}

// text reads a string field.
func text(raw json.RawMessage, field string) (string, error) {
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return "", errs.InvalidField(field, "Invalid parameter type: expected string")
	}
	return s, nil
}

// instant reads a time: RFC 3339, "YYYY-MM-DD HH:MM:SS" (UTC) or a day.
func instant(raw json.RawMessage, field string) (time.Time, error) {
	s, err := text(raw, field)
	if err != nil {
		return time.Time{}, err
	}
	s = strings.TrimSpace(s)
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02 15:04:05", "2006-01-02T15:04:05", "2006-01-02"} {
		if t, err := time.ParseInLocation(layout, s, time.UTC); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, errs.InvalidField(field, "Must be a date and time such as 2027-01-01T00:00:00Z.")
}

// duration reads a Go duration ("24h", "90m") or a number of seconds.
func duration(raw json.RawMessage, field string) (time.Duration, error) {
	bad := errs.InvalidField(field, "Must be a duration such as 24h or 90m, or a number of seconds.")
	var n json.Number
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return 0, bad
	}
	switch x := v.(type) {
	case json.Number:
		n = x
	case string:
		s := strings.TrimSpace(x)
		if _, err := strconv.ParseInt(s, 10, 64); err == nil {
			n = json.Number(s)
		} else if d, err := time.ParseDuration(s); err == nil {
			return d, nil
		} else {
			return 0, bad
		}
	default:
		return 0, bad
	}
	secs, err := n.Int64()
	if err != nil || secs < 0 || secs > int64(1<<62/time.Second) {
		return 0, bad
	}
	return time.Duration(secs) * time.Second, nil
}

// integer reads an integer given as a JSON number or as text.
func integer(raw json.RawMessage, field string) (int64, error) {
	bad := errs.InvalidField(field, "Invalid parameter type: expected integer")
	var v any
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(&v); err != nil {
		return 0, bad
	}
	var s string
	switch x := v.(type) {
	case json.Number:
		s = x.String()
	case string:
		s = strings.TrimSpace(x)
		if s == "" {
			return 0, nil
		}
	default:
		return 0, bad
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return 0, bad
	}
	return n, nil
}

// collect runs field readers and merges their problems into one error.
type collect struct{ c errs.Collector }

func (c *collect) add(err error) {
	if err == nil {
		return
	}
	e := errs.From(err)
	for _, f := range e.Fields() {
		if e.Kind == errs.Missing {
			c.c.Missing(f)
		} else {
			c.c.Invalid(f, e.Params[f])
		}
	}
}

func (c *collect) err() error { return c.c.Err() }
