package sb

import (
	"net/url"

	"github.com/hostplane/hostplane/libs/dialect/decode"
	"github.com/hostplane/hostplane/libs/errs"
)

// Paging limits of sb lists.
const (
	DefaultLimit = 20
	MaxLimit     = 20
)

// Page is a parsed sb page request: Page counts from 0.
type Page struct {
	Page  int
	Limit int
}

// Offset is the number of rows before the page.
func (p Page) Offset() int {
	if p.Page < 0 || p.Limit < 1 {
		return 0
	}
	return p.Page * p.Limit
}

// ParsePage reads limit (default 20, 1..20) and page (default 0, ≥ 0),
// collecting problems into one Invalid error (code 4002) naming them.
func ParsePage(q url.Values) (Page, error) {
	var c errs.Collector
	p := Page{}
	p.Limit = intParam(&c, q, "limit", DefaultLimit, 1, MaxLimit)
	p.Page = intParam(&c, q, "page", 0, 0, MaxPage)
	return p, c.Err()
}

func intParam(c *errs.Collector, q url.Values, name string, def, min, max int) int {
	n, err := decode.Int(q, name, def, min, max)
	if err != nil {
		c.Invalid(name, errs.From(err).Params[name])
	}
	return n
}

// MaxPage bounds the page number so that offsets cannot overflow.
const MaxPage = 1_000_000
