package decode

import (
	"encoding/json"
	"errors"
	"io"
	"reflect"
	"strconv"
	"strings"

	"github.com/hostplane/hostplane/libs/errs"
)

// badJSON is the one error for a body that is not a single JSON value.
func badJSON(cause error) error {
	return &errs.Error{Kind: errs.BadJSON, Message: "Invalid JSON body passed.", Err: cause}
}

func decodeJSON(body *tracker, dst any, opts Options) error {
	dec := json.NewDecoder(body)
	dec.UseNumber()
	if opts.DisallowUnknown {
		dec.DisallowUnknownFields()
	}
	err := dec.Decode(dst)
	if err == io.EOF {
		return body.readFailure() // nothing but whitespace
	}
	if err != nil {
		if rf := body.readFailure(); rf != nil {
			return rf
		}
		return jsonError(err)
	}
	// Exactly one value: whatever follows it, even another value, is garbage.
	if _, err := dec.Token(); err != io.EOF {
		if rf := body.readFailure(); rf != nil {
			return rf
		}
		return badJSON(err)
	}
	return nil
}

// jsonError maps an encoding/json error to an *errs.Error.
func jsonError(err error) error {
	var (
		syntax   *json.SyntaxError
		typ      *json.UnmarshalTypeError
		invalid  *json.InvalidUnmarshalError
		ours     *errs.Error
		readable = err.Error()
	)
	switch {
	case errors.As(err, &ours):
		return ours
	case errors.As(err, &syntax), errors.Is(err, io.ErrUnexpectedEOF):
		return badJSON(err)
	case errors.As(err, &typ):
		field := typ.Field
		if field == "" {
			field = "body"
		}
		return withCause(errs.InvalidField(field, "Invalid parameter type: expected "+jsonType(typ.Type)), err)
	case errors.As(err, &invalid):
		return errs.Wrap(errs.Internal, err, "")
	case strings.HasPrefix(readable, "json: unknown field "):
		name, uerr := strconv.Unquote(strings.TrimPrefix(readable, "json: unknown field "))
		if uerr != nil {
			name = strings.TrimPrefix(readable, "json: unknown field ")
		}
		return withCause(errs.InvalidField(name, "Unknown parameter."), err)
	default:
		// A field's own UnmarshalJSON refused its value.
		return withCause(errs.InvalidField("body", "Invalid value."), err)
	}
}

func withCause(e *errs.Error, cause error) *errs.Error {
	e.Err = cause
	return e
}

// jsonType names a Go type the way an API consumer thinks of it.
func jsonType(t reflect.Type) string {
	if t == nil {
		return "value"
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t == numberType() {
		return "number"
	}
	switch t.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return "integer"
	case reflect.Float32, reflect.Float64:
		return "number"
	case reflect.Bool:
		return "boolean"
	case reflect.String:
		return "string"
	case reflect.Slice, reflect.Array:
		return "array"
	case reflect.Struct, reflect.Map:
		return "object"
	default:
		return "value"
	}
}
