package transport

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strconv"
	"strings"
)

// flexBool reads a boolean as integrations send it: true/false, 1/0, or
// those as strings ("1", "true", "yes", "on"). The reference's domain
// example sends "primary_domain": 1.
type flexBool struct {
	Set   bool
	Value bool
}

// UnmarshalJSON reads the accepted spellings.
func (b *flexBool) UnmarshalJSON(data []byte) error {
	data = bytes.TrimSpace(data)
	if string(data) == "null" {
		return nil
	}
	s := string(data)
	if len(data) > 0 && data[0] == '"' {
		var str string
		if err := json.Unmarshal(data, &str); err != nil {
			return err
		}
		s = str
	}
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "true", "1", "yes", "on":
		b.Set, b.Value = true, true
	case "false", "0", "no", "off", "":
		b.Set, b.Value = true, false
	default:
		return &json.UnmarshalTypeError{Value: "value", Type: reflect.TypeFor[bool]()}
	}
	return nil
}

// ptr is the value as a pointer (nil when absent).
func (b flexBool) ptr() *bool {
	if !b.Set {
		return nil
	}
	v := b.Value
	return &v
}

// flexID reads an id sent as a number or a numeric string (the sb
// reference types plan_id as a string).
type flexID struct {
	Set   bool
	Value int64
}

// UnmarshalJSON reads 3 or "3".
func (f *flexID) UnmarshalJSON(data []byte) error {
	data = bytes.TrimSpace(data)
	if string(data) == "null" {
		return nil
	}
	s := string(data)
	if len(data) > 0 && data[0] == '"' {
		if err := json.Unmarshal(data, &s); err != nil {
			return err
		}
	}
	s = strings.TrimSpace(s)
	if s == "" {
		f.Set = true
		return nil
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 0 {
		return &json.UnmarshalTypeError{Value: "value", Type: reflect.TypeFor[int64]()}
	}
	f.Set, f.Value = true, n
	return nil
}
