package transport

import (
	"unicode/utf8"
	"unsafe"

	"github.com/hostplane/hostplane/services/stats/traffic"
)

// fastBatch reads the common shape of a JSON batch — {"events":[{…},…]}
// whose events hold known fields with plain strings, numbers, booleans or
// null — without reflection and without copying its text (fields are
// substrings of the body). Anything else (escapes, nested
// values, unknown or differently cased names, bad syntax) returns ok
// false: the general decoder then reads the body, with its own errors.
//
// body must not change afterwards: the events' text points into it.
func fastBatch(body []byte) (evs []traffic.RawEvent, ok bool) {
	if len(body) == 0 {
		return nil, false
	}
	p := &scanner{s: unsafe.String(&body[0], len(body)), capacity: min(len(body)/40+1, traffic.MaxBatch+1)}
	if !p.byte('{') {
		return nil, false
	}
	if p.peek('}') {
		p.i++
		return []traffic.RawEvent{}, p.end()
	}
	seen := false
	for {
		key, ok := p.str()
		if !ok || key != "events" || seen || !p.byte(':') {
			return nil, false
		}
		seen = true
		if evs, ok = p.events(); !ok {
			return nil, false
		}
		if p.byte(',') {
			continue
		}
		if !p.byte('}') {
			return nil, false
		}
		return evs, p.end()
	}
}

type scanner struct {
	s        string
	i        int
	capacity int // of the events slice: a guess from the body's size
}

func (p *scanner) ws() {
	for p.i < len(p.s) {
		switch p.s[p.i] {
		case ' ', '\t', '\n', '\r':
			p.i++
		default:
			return
		}
	}
}

// byte consumes c (after white space).
func (p *scanner) byte(c byte) bool {
	p.ws()
	if p.i < len(p.s) && p.s[p.i] == c {
		p.i++
		return true
	}
	return false
}

func (p *scanner) peek(c byte) bool {
	p.ws()
	return p.i < len(p.s) && p.s[p.i] == c
}

// end reports whether only white space is left.
func (p *scanner) end() bool {
	p.ws()
	return p.i == len(p.s)
}

// str reads a string without escapes, valid UTF-8, no control characters.
func (p *scanner) str() (string, bool) {
	if !p.byte('"') {
		return "", false
	}
	start, high := p.i, false
	for p.i < len(p.s) {
		c := p.s[p.i]
		switch {
		case c == '"':
			v := p.s[start:p.i]
			p.i++
			if high && !utf8.ValidString(v) {
				return "", false
			}
			return v, true
		case c == '\\' || c < 0x20:
			return "", false
		case c >= 0x80:
			high = true
		}
		p.i++
	}
	return "", false
}

// number reads a JSON number's text, strictly by the grammar.
func (p *scanner) number() (string, bool) {
	start := p.i
	s := p.s
	if p.i < len(s) && s[p.i] == '-' {
		p.i++
	}
	switch {
	case p.i < len(s) && s[p.i] == '0':
		p.i++
	case p.i < len(s) && s[p.i] >= '1' && s[p.i] <= '9':
		for p.i < len(s) && s[p.i] >= '0' && s[p.i] <= '9' {
			p.i++
		}
	default:
		return "", false
	}
	if p.i < len(s) && s[p.i] == '.' {
		p.i++
		if !p.digits() {
			return "", false
		}
	}
	if p.i < len(s) && (s[p.i] == 'e' || s[p.i] == 'E') {
		p.i++
		if p.i < len(s) && (s[p.i] == '+' || s[p.i] == '-') {
			p.i++
		}
		if !p.digits() {
			return "", false
		}
	}
	return s[start:p.i], true
}

func (p *scanner) digits() bool {
	start := p.i
	for p.i < len(p.s) && p.s[p.i] >= '0' && p.s[p.i] <= '9' {
		p.i++
	}
	return p.i > start
}

// literal consumes word.
func (p *scanner) literal(word string) bool {
	if len(p.s)-p.i >= len(word) && p.s[p.i:p.i+len(word)] == word {
		p.i += len(word)
		return true
	}
	return false
}

// scalar reads a string, number, boolean or null as the text the general
// decoder's text type keeps.
func (p *scanner) scalar() (string, bool) {
	p.ws()
	if p.i >= len(p.s) {
		return "", false
	}
	switch c := p.s[p.i]; {
	case c == '"':
		return p.str()
	case c == '-' || c >= '0' && c <= '9':
		return p.number()
	case p.literal("true"):
		return "true", true
	case p.literal("false"):
		return "false", true
	case p.literal("null"):
		return "", true
	}
	return "", false
}

func (p *scanner) events() ([]traffic.RawEvent, bool) {
	if !p.byte('[') {
		return nil, false
	}
	out := make([]traffic.RawEvent, 0, p.capacity)
	if p.byte(']') {
		return out, true
	}
	for {
		var e traffic.RawEvent
		if !p.event(&e) {
			return nil, false
		}
		out = append(out, e)
		if p.byte(',') {
			continue
		}
		return out, p.byte(']')
	}
}

func (p *scanner) event(e *traffic.RawEvent) bool {
	if !p.byte('{') {
		return false
	}
	if p.byte('}') {
		return true
	}
	for {
		key, ok := p.str()
		if !ok || !p.byte(':') {
			return false
		}
		v, ok := p.scalar()
		if !ok {
			return false
		}
		var f *string
		switch key {
		case "type":
			f = &e.Type
		case "time":
			f = &e.Time
		case "visitor_id":
			f = &e.VisitorID
		case "path":
			f = &e.Path
		case "bytes":
			f = &e.Bytes
		case "order_id":
			f = &e.OrderID
		case "cart_id":
			f = &e.CartID
		case "response_id":
			f = &e.ResponseID
		case "form_id":
			f = &e.FormID
		case "product_id":
			f = &e.ProductID
		case "amount":
			f = &e.Amount
		case "currency":
			f = &e.Currency
		case "status":
			f = &e.Status
		case "quantity":
			f = &e.Quantity
		case "threshold":
			f = &e.Threshold
		case "user_id":
			f = &e.UserID
		default:
			return false // the general decoder knows how encoding/json matches names
		}
		*f = v
		if p.byte(',') {
			continue
		}
		return p.byte('}')
	}
}
