package cx

import (
	"net/url"
	"slices"
	"strings"

	"github.com/hostplane/hostplane/libs/dialect/decode"
	"github.com/hostplane/hostplane/libs/errs"
)

// Paging limits of cx lists.
const (
	DefaultPerPage = 25
	MaxPerPage     = 100
)

// ListQuery is a parsed cx list request.
type ListQuery struct {
	Page    int               // from 1
	PerPage int               // 1..100
	Filters map[string]string // allow-listed field → value (never nil)
	Sort    string            // allow-listed field, without "-"
	Desc    bool              // sort descending ("sort=-field")
	Include []string          // allow-listed relations, in request order
	Q       string            // free-text search
	Extra   url.Values        // every parameter ParseList did not consume
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
	// Filters allow-lists the fields of filter[field]= (and the older
	// group_id parameter when "group_id" is listed).
	Filters []string
	// Sorts allow-lists sort fields; the first is the default, descending
	// when written "-field".
	Sorts []string
	// Includes allow-lists include= relations (and pricing=1 when
	// "pricing" is listed).
	Includes []string
}

// ParseList reads the Laravel-style list parameters of q against spec,
// collecting every problem into one Invalid error.
func ParseList(q url.Values, spec ListSpec) (ListQuery, error) {
	var c errs.Collector
	lq := ListQuery{Filters: map[string]string{}, Extra: url.Values{}}
	lq.PerPage = intParam(&c, q, "per_page", DefaultPerPage, 1, MaxPerPage)
	lq.Page = intParam(&c, q, "page", 1, 1, MaxPage)
	lq.Q = strings.TrimSpace(q.Get("q"))
	if len(spec.Sorts) > 0 {
		lq.Sort, lq.Desc = strings.CutPrefix(spec.Sorts[0], "-")
	}
	for key, values := range q {
		value := ""
		if len(values) > 0 {
			value = values[0]
		}
		switch {
		case key == "page", key == "per_page", key == "q":
		case key == "sort":
			parseSort(&c, &lq, value, spec.Sorts)
		case key == "include":
			parseInclude(&c, &lq, value, spec.Includes)
		case strings.HasPrefix(key, "filter[") && strings.HasSuffix(key, "]"):
			field := key[len("filter[") : len(key)-1]
			if !allowed(spec.Filters, field) {
				c.Invalid(key, "The selected "+key+" is invalid. Filterable fields: "+list(spec.Filters)+".")
				continue
			}
			lq.Filters[field] = value
		default:
			lq.Extra[key] = values
		}
	}
	legacy(&c, &lq, spec)
	return lq, c.Err()
}

// legacy maps the older parameters group_id and pricing=1 when the
// resource allows them; otherwise they stay in Extra.
func legacy(c *errs.Collector, lq *ListQuery, spec ListSpec) {
	if v, ok := lq.Extra["group_id"]; ok && allowed(spec.Filters, "group_id") {
		if _, set := lq.Filters["group_id"]; !set && len(v) > 0 {
			lq.Filters["group_id"] = v[0]
		}
		delete(lq.Extra, "group_id")
	}
	if _, ok := lq.Extra["pricing"]; ok && allowed(spec.Includes, "pricing") {
		on, err := decode.Bool(lq.Extra, "pricing", false)
		if err != nil {
			c.Invalid("pricing", "The pricing field must be true or false.")
			return
		}
		delete(lq.Extra, "pricing")
		if on && !slices.Contains(lq.Include, "pricing") {
			lq.Include = append(lq.Include, "pricing")
		}
	}
}

func parseSort(c *errs.Collector, lq *ListQuery, value string, sorts []string) {
	value = strings.TrimSpace(value)
	if value == "" {
		return
	}
	field, desc := strings.CutPrefix(value, "-")
	if !allowed(sorts, field) {
		c.Invalid("sort", "The selected sort is invalid. Sortable fields: "+list(sorts)+".")
		return
	}
	lq.Sort, lq.Desc = field, desc
}

func parseInclude(c *errs.Collector, lq *ListQuery, value string, includes []string) {
	for _, name := range strings.Split(value, ",") {
		name = strings.TrimSpace(name)
		switch {
		case name == "":
		case !allowed(includes, name):
			c.Invalid("include", "The selected include is invalid. Includable relations: "+list(includes)+".")
			return
		case !slices.Contains(lq.Include, name):
			lq.Include = append(lq.Include, name)
		}
	}
}

// allowed reports whether name is in the allow-list (entries may carry a
// leading "-", which only marks a default direction).
func allowed(list []string, name string) bool {
	if name == "" {
		return false
	}
	for _, a := range list {
		if strings.TrimPrefix(a, "-") == name {
			return true
		}
	}
	return false
}

func list(names []string) string {
	if len(names) == 0 {
		return "none"
	}
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = strings.TrimPrefix(n, "-")
	}
	return strings.Join(out, ", ")
}

// intParam reads an integer parameter with Laravel's wording on error.
func intParam(c *errs.Collector, q url.Values, name string, def, min, max int) int {
	n, err := decode.Int(q, name, def, min, max)
	if err != nil {
		c.Invalid(name, errs.From(err).Params[name])
	}
	return n
}

// MaxPage bounds the page number so that offsets cannot overflow.
const MaxPage = 1_000_000
