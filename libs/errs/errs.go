// Package errs holds Hostplane's typed errors. An error carries its own kind
// (and so its HTTP status), a safe public message and, for invalid input, the
// offending fields. Dialects render these; nothing else inspects raw errors.
package errs

import (
	"errors"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"time"
)

// Kind classifies an error. A Kind is itself an error so callers can write
// errors.Is(err, errs.NotFound).
type Kind string

// The kinds of error every layer may return.
const (
	Invalid          Kind = "invalid"   // a field value is wrong (400/422)
	Missing          Kind = "missing"   // a required field is absent (400/422)
	BadJSON          Kind = "bad_json"  // the body is not parseable
	NotFound         Kind = "not_found" // the resource does not exist (or is not the caller's)
	NoRoute          Kind = "no_route"  // no such endpoint
	MethodNotAllowed Kind = "method_not_allowed"
	Conflict         Kind = "conflict"     // uniqueness or state-transition violation
	Unauthorized     Kind = "unauthorized" // no or bad credentials
	Forbidden        Kind = "forbidden"    // credentials lack the scope
	RateLimited      Kind = "rate_limited" // too many requests
	TooLarge         Kind = "too_large"    // request body over the limit
	Unavailable      Kind = "unavailable"  // a dependency or upstream is down
	Timeout          Kind = "timeout"      // an upstream did not answer in time
	Internal         Kind = "internal"     // anything else; never shown in detail
)

// Error implements error so that errors.Is(err, errs.NotFound) works.
func (k Kind) Error() string { return string(k) }

// Status is the HTTP status a kind maps to by default.
func (k Kind) Status() int {
	switch k {
	case Invalid, Missing, BadJSON:
		return http.StatusBadRequest
	case NotFound, NoRoute:
		return http.StatusNotFound
	case MethodNotAllowed:
		return http.StatusMethodNotAllowed
	case Conflict:
		return http.StatusConflict
	case Unauthorized:
		return http.StatusUnauthorized
	case Forbidden:
		return http.StatusForbidden
	case RateLimited:
		return http.StatusTooManyRequests
	case TooLarge:
		return http.StatusRequestEntityTooLarge
	case Unavailable:
		return http.StatusServiceUnavailable
	case Timeout:
		return http.StatusGatewayTimeout
	default:
		return http.StatusInternalServerError
	}
}

// Error is a typed error with a public message.
type Error struct {
	Kind Kind
	// Message is safe to show to API consumers.
	Message string
	// Params maps a field name to what is wrong with it (invalid/missing input).
	Params map[string]string
	// Resource names the resource for not-found errors ("customer", "site").
	Resource string
	// Reason is a machine-readable cause, the same in every dialect
	// ("bad_token", "scope_missing", "revoked"); dialects may pick a more
	// precise code from it (sb 4311, 4312).
	Reason string
	// RetryAfter is set on rate-limited errors.
	RetryAfter time.Duration
	// Err is the underlying cause; never rendered.
	Err error
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(string(e.Kind))
	if e.Message != "" {
		b.WriteString(": ")
		b.WriteString(e.Message)
	}
	if len(e.Params) > 0 {
		b.WriteString(" (")
		for i, k := range e.Fields() {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(k)
			b.WriteString(": ")
			b.WriteString(e.Params[k])
		}
		b.WriteString(")")
	}
	if e.Err != nil {
		b.WriteString(": ")
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

// Unwrap exposes the cause.
func (e *Error) Unwrap() error { return e.Err }

// Is reports whether target is this error's Kind.
func (e *Error) Is(target error) bool {
	k, ok := target.(Kind)
	return ok && k == e.Kind
}

// Status is the HTTP status of the error.
func (e *Error) Status() int { return e.Kind.Status() }

// Fields lists the parameter names in a stable order.
func (e *Error) Fields() []string {
	keys := make([]string, 0, len(e.Params))
	for k := range e.Params {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// New builds an error of a kind with a public message.
func New(kind Kind, format string, args ...any) *Error {
	return &Error{Kind: kind, Message: fmt.Sprintf(format, args...)}
}

// Wrap builds an error of a kind around a cause, with a public message.
func Wrap(kind Kind, cause error, message string) *Error {
	return &Error{Kind: kind, Message: message, Err: cause}
}

// InvalidField reports one invalid field.
func InvalidField(field, message string) *Error {
	return &Error{Kind: Invalid, Message: "Invalid parameter(s): " + field, Params: map[string]string{field: message}}
}

// MissingFields reports required fields that are absent.
func MissingFields(fields ...string) *Error {
	p := make(map[string]string, len(fields))
	for _, f := range fields {
		p[f] = "This field is required."
	}
	return &Error{Kind: Missing, Message: "Missing parameter(s): " + strings.Join(fields, ", "), Params: p}
}

// NotFoundResource reports a missing resource of a kind ("customer", 12).
func NotFoundResource(resource string, message string) *Error {
	if message == "" {
		message = "Item not found."
	}
	return &Error{Kind: NotFound, Resource: resource, Message: message}
}

// From returns err as an *Error, classifying unknown errors as Internal.
// A nil err gives nil.
func From(err error) *Error {
	if err == nil {
		return nil
	}
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	var k Kind
	if errors.As(err, &k) {
		return &Error{Kind: k, Message: defaultMessage(k), Err: err}
	}
	return &Error{Kind: Internal, Message: defaultMessage(Internal), Err: err}
}

// KindOf returns the kind of err: "" for nil, Internal when it has none.
func KindOf(err error) Kind {
	if err == nil {
		return ""
	}
	return From(err).Kind
}

func defaultMessage(k Kind) string {
	switch k {
	case NotFound:
		return "Item not found."
	case NoRoute, MethodNotAllowed:
		return "No route was found matching the URL and request method."
	case Unauthorized:
		return "Unauthenticated."
	case Forbidden:
		return "Sorry, you are not allowed to do that."
	case RateLimited:
		return "Too many requests."
	case TooLarge:
		return "Request body too large."
	case Unavailable:
		return "Service unavailable."
	case Timeout:
		return "Upstream timed out."
	case Conflict:
		return "Conflict."
	case BadJSON:
		return "Invalid JSON body passed."
	case Invalid, Missing:
		return "Invalid parameter(s)."
	default:
		return "An unexpected error occurred."
	}
}

// PublicMessage is what may be shown for err: its own message, or the kind's
// default. Internal errors never expose their cause.
func PublicMessage(err error) string {
	e := From(err)
	if e.Kind == Internal || e.Message == "" {
		return defaultMessage(e.Kind)
	}
	return e.Message
}

// Collector gathers per-field validation problems and yields one Invalid
// (or Missing) error.
type Collector struct {
	missing []string
	params  map[string]string
}

// Missing records a required field that is absent.
func (c *Collector) Missing(field string) {
	c.missing = append(c.missing, field)
	c.add(field, "This field is required.")
}

// Invalid records an invalid field; the first message for a field wins.
func (c *Collector) Invalid(field, message string) { c.add(field, message) }

func (c *Collector) add(field, message string) {
	if c.params == nil {
		c.params = map[string]string{}
	}
	if _, ok := c.params[field]; !ok {
		c.params[field] = message
	}
}

// Has reports whether field already has a problem.
func (c *Collector) Has(field string) bool { _, ok := c.params[field]; return ok }

// Err returns nil when nothing was recorded. When only missing fields were
// recorded the kind is Missing, otherwise Invalid.
func (c *Collector) Err() error {
	if len(c.params) == 0 {
		return nil
	}
	kind := Invalid
	if len(c.missing) == len(c.params) {
		kind = Missing
	}
	e := &Error{Kind: kind, Params: c.params}
	fields := e.Fields()
	if kind == Missing {
		e.Message = "Missing parameter(s): " + strings.Join(fields, ", ")
	} else {
		e.Message = "Invalid parameter(s): " + strings.Join(fields, ", ")
	}
	return e
}
