package settings

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/mail"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/hostplane/hostplane/libs/errs"
	"github.com/hostplane/hostplane/libs/money"
)

// ValueField is the field a wrong value is reported under.
const ValueField = "value"

// Canonical checks raw, a JSON value given for the setting d, and returns
// it in the type's canonical JSON form. Forms cannot carry types, so text
// is read too where it is unambiguous: "true"/"false"/"1"/"0" for a
// boolean, "3600" (seconds) for a duration. A wrong value is an
// errs.Invalid naming ValueField.
func Canonical(d Definition, raw json.RawMessage) (json.RawMessage, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return nil, wrong(d, "must not be null")
	}
	var v any
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(&v); err != nil {
		return nil, wrong(d, "is not a JSON value")
	}
	var out any
	var err error
	switch d.Type {
	case TypeBoolean:
		out, err = asBool(v)
	case TypeString:
		out, err = asText(v, d.MaxLength)
	case TypeEmail:
		out, err = asEmail(v)
	case TypeCurrency:
		out, err = asCurrency(v)
	case TypeDuration:
		out, err = asDuration(v, d.Min, d.Max)
	default:
		err = fmt.Errorf("has an unknown type")
	}
	if err != nil {
		return nil, wrong(d, err.Error())
	}
	b, err := json.Marshal(out)
	if err != nil {
		return nil, fmt.Errorf("settings: encode %s: %w", d.Key, err)
	}
	return b, nil
}

func wrong(d Definition, why string) error {
	return errs.InvalidField(ValueField, fmt.Sprintf("%s: %s %s.", d.Key, expected(d), why))
}

// expected describes the values d takes.
func expected(d Definition) string {
	switch d.Type {
	case TypeBoolean:
		return "expects a boolean (true or false), but the value"
	case TypeEmail:
		return "expects an e-mail address (or \"\"), but the value"
	case TypeCurrency:
		return "expects an ISO 4217 currency code (USD, EUR, …), but the value"
	case TypeDuration:
		return fmt.Sprintf("expects a duration between %s and %s (\"24h\", \"90m\" or seconds), but the value", formatDuration(d.Min), formatDuration(d.Max))
	}
	return "expects text, but the value"
}

func asBool(v any) (bool, error) {
	switch x := v.(type) {
	case bool:
		return x, nil
	case json.Number:
		switch x.String() {
		case "1":
			return true, nil
		case "0":
			return false, nil
		}
	case string:
		switch strings.ToLower(strings.TrimSpace(x)) {
		case "true", "1", "yes", "on":
			return true, nil
		case "false", "0", "no", "off":
			return false, nil
		}
	}
	return false, fmt.Errorf("is %s", describe(v))
}

func asText(v any, max int) (string, error) {
	s, ok := v.(string)
	if !ok {
		return "", fmt.Errorf("is %s", describe(v))
	}
	if max <= 0 {
		max = 255
	}
	if !utf8.ValidString(s) || strings.IndexFunc(s, unicode.IsControl) >= 0 {
		return "", fmt.Errorf("has control characters")
	}
	if utf8.RuneCountInString(s) > max {
		return "", fmt.Errorf("is longer than %d characters", max)
	}
	return s, nil
}

func asEmail(v any) (string, error) {
	s, err := asText(v, 254)
	if err != nil || s == "" {
		return s, err
	}
	s = strings.TrimSpace(s)
	if a, err := mail.ParseAddress(s); err != nil || a.Address != s {
		return "", fmt.Errorf("is not one")
	}
	return s, nil
}

func asCurrency(v any) (string, error) {
	s, ok := v.(string)
	if !ok {
		return "", fmt.Errorf("is %s", describe(v))
	}
	code := strings.ToUpper(strings.TrimSpace(s))
	if _, ok := money.Lookup(code); !ok {
		return "", fmt.Errorf("is not an active one")
	}
	return code, nil
}

func asDuration(v any, min, max time.Duration) (string, error) {
	var d time.Duration
	switch x := v.(type) {
	case json.Number:
		n, err := strconv.ParseInt(x.String(), 10, 64)
		if err != nil || n < 0 || n > int64(max/time.Second)+1 {
			return "", fmt.Errorf("is out of range")
		}
		d = time.Duration(n) * time.Second
	case string:
		s := strings.TrimSpace(x)
		if n, err := strconv.ParseInt(s, 10, 64); err == nil {
			if n < 0 || n > int64(max/time.Second)+1 {
				return "", fmt.Errorf("is out of range")
			}
			d = time.Duration(n) * time.Second
		} else if d, err = time.ParseDuration(s); err != nil {
			return "", fmt.Errorf("is not one")
		}
	default:
		return "", fmt.Errorf("is %s", describe(v))
	}
	if d < min || d > max {
		return "", fmt.Errorf("is out of range")
	}
	return formatDuration(d), nil
}

// formatDuration writes d the short way: "24h", "90m", "1h30m", "45s".
func formatDuration(d time.Duration) string {
	if d == 0 {
		return "0s"
	}
	s := d.String()
	for _, unit := range []string{"h", "m"} {
		s = strings.Replace(s, unit+"0m0s", unit, 1)
		s = strings.Replace(s, unit+"0s", unit, 1)
	}
	return s
}

// ParseDuration reads a canonical duration value.
func ParseDuration(raw json.RawMessage) (time.Duration, error) {
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return 0, fmt.Errorf("settings: duration %s: %w", raw, err)
	}
	return time.ParseDuration(s)
}

// describe names the JSON type of v for an error.
func describe(v any) string {
	switch v.(type) {
	case bool:
		return "a boolean"
	case json.Number:
		return "a number"
	case string:
		return "text"
	case []any:
		return "a list"
	case map[string]any:
		return "an object"
	}
	return "null"
}
