package sb

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"

	"github.com/hostplane/hostplane/libs/dialect/httpio"
	"github.com/hostplane/hostplane/libs/principal"
)

// Envelope is every sb answer. Error is null on success; Data is null on
// error.
type Envelope struct {
	Meta  Meta       `json:"meta"`
	Error *ErrorInfo `json:"error"`
	Data  any        `json:"data"`
}

// Meta describes the answer; the list fields are only set on lists.
type Meta struct {
	Success       bool   `json:"success"`
	StatusCode    int    `json:"status_code"`
	RateRemaining int    `json:"rate_remaining"`
	ItemsCount    *int   `json:"items_count,omitempty"`
	ItemsPerPage  *int   `json:"items_per_page,omitempty"`
	CurrentPage   *int   `json:"current_page,omitempty"`
	Link          *Links `json:"link,omitempty"`
}

// Links lead to the other pages of a list.
type Links struct {
	FirstPage    Link `json:"first_page"`
	PreviousPage Link `json:"previous_page"`
	NextPage     Link `json:"next_page"`
	LastPage     Link `json:"last_page"`
}

// Link is a path with its query ("/v1/sites.json?limit=20&page=1"); the
// empty Link, meaning there is no such page, is JSON false.
type Link string

// MarshalJSON writes the path, or false when there is none.
func (l Link) MarshalJSON() ([]byte, error) {
	if l == "" {
		return []byte("false"), nil
	}
	return httpio.Marshal(string(l)) // keeps "&" readable
}

// UnmarshalJSON reads a path, or false (or null) as no link.
func (l *Link) UnmarshalJSON(b []byte) error {
	switch strings.TrimSpace(string(b)) {
	case "false", "null":
		*l = ""
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	*l = Link(s)
	return nil
}

// ErrorInfo is the "error" member: a Kiubi code, a message and, for invalid
// input, field → message.
type ErrorInfo struct {
	Code    int               `json:"code"`
	Message string            `json:"message"`
	Fields  map[string]string `json:"fields"`
}

// RateRemaining is what meta.rate_remaining reports: the
// X-RateLimit-Remaining header already set on w (by the gateway's limiter),
// else the caller's principal, else 0.
func RateRemaining(w http.ResponseWriter, r *http.Request) int {
	if w != nil {
		if v := w.Header().Get("X-RateLimit-Remaining"); v != "" {
			if n, err := strconv.Atoi(strings.TrimSpace(v)); err == nil && n >= 0 {
				return n
			}
		}
	}
	if r != nil {
		if p := principal.From(r.Context()); p != nil {
			return max(p.RateRemaining, 0)
		}
	}
	return 0
}
