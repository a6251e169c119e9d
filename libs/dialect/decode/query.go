package decode

import (
	"fmt"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/hostplane/hostplane/libs/errs"
)

// Int reads the integer query parameter name: def when absent or empty,
// otherwise an integer within [min, max] (pass math.MaxInt for no upper
// bound). A bad value is errs.InvalidField(name, …).
func Int(q url.Values, name string, def, min, max int) (int, error) {
	s := strings.TrimSpace(q.Get(name))
	if s == "" {
		return def, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		return def, errs.InvalidField(name, "Invalid parameter type: expected integer")
	}
	if n < min || n > max {
		return def, errs.InvalidField(name, rangeMessage(name, min, max))
	}
	return n, nil
}

func rangeMessage(name string, min, max int) string {
	switch {
	case max == math.MaxInt && min == math.MinInt:
		return name + " must be an integer."
	case max == math.MaxInt:
		return fmt.Sprintf("%s must be greater than or equal to %d.", name, min)
	case min == math.MinInt:
		return fmt.Sprintf("%s must be less than or equal to %d.", name, max)
	}
	return fmt.Sprintf("%s must be between %d (inclusive) and %d (inclusive).", name, min, max)
}

// Bool reads the boolean query parameter name ("1", "true", "on", "yes" or
// "0", "false", "off", "no"): def when absent or empty.
func Bool(q url.Values, name string, def bool) (bool, error) {
	s := strings.TrimSpace(q.Get(name))
	if s == "" {
		return def, nil
	}
	b, ok := parseBool(s)
	if !ok {
		return def, errs.InvalidField(name, "Invalid parameter type: expected boolean")
	}
	return b, nil
}

// Query decodes the URL query of r into dst exactly as Body decodes a form
// (nested keys, json tags, the same errors). Use it for GET filters.
func Query(r *http.Request, dst any, opts Options) error {
	pairs, err := parseForm(r.URL.RawQuery)
	if err != nil {
		return err
	}
	return coerce(pairs, dst, opts)
}
