// Package route matches request paths against patterns made of literal
// segments and parameters. A parameter may carry a literal prefix and suffix
// inside its segment ("{code}.json", "v{n}"), which the standard library's
// ServeMux does not allow and the sb dialect needs ("/v1/sites/{code}.json").
//
// The gateway's route table and every service's transport share it.
package route

import (
	"fmt"
	"sort"
	"strings"
)

// Param is one matched path parameter.
type Param struct {
	Name, Value string
}

// Params are the parameters of one match, in pattern order.
type Params []Param

// Get returns the value of the named parameter.
func (ps Params) Get(name string) string {
	for _, p := range ps {
		if p.Name == name {
			return p.Value
		}
	}
	return ""
}

type segment struct {
	literal        string // when !param
	param          bool
	name           string
	prefix, suffix string
	rest           bool // {name...}: matches the remainder of the path
}

type entry[T any] struct {
	pattern string
	segs    []segment
	methods map[string]T
}

// Router maps (method, path) to a value of type T.
// Add everything before the first Match; Match is safe for concurrent use.
type Router[T any] struct {
	// byCount indexes patterns by their number of segments; rest holds
	// patterns ending in a {name...} parameter.
	byCount map[int][]*entry[T]
	rest    []*entry[T]
	all     map[string]*entry[T]
}

// New returns an empty router.
func New[T any]() *Router[T] {
	return &Router[T]{byCount: map[int][]*entry[T]{}, all: map[string]*entry[T]{}}
}

// Add registers v for method and pattern. Patterns are absolute paths whose
// segments are literals or "{name}" optionally with literal text around it in
// the same segment, or a final "{name...}".
func (r *Router[T]) Add(method, pattern string, v T) error {
	e, ok := r.all[pattern]
	if !ok {
		segs, err := parse(pattern)
		if err != nil {
			return err
		}
		e = &entry[T]{pattern: pattern, segs: segs, methods: map[string]T{}}
		r.all[pattern] = e
		if n := len(segs); n > 0 && segs[n-1].rest {
			r.rest = append(r.rest, e)
		} else {
			r.byCount[n] = append(r.byCount[n], e)
			// Literal segments win over parameters: order by specificity.
			list := r.byCount[n]
			sort.SliceStable(list, func(i, j int) bool { return specificity(list[i].segs) > specificity(list[j].segs) })
		}
	}
	if _, dup := e.methods[method]; dup {
		return fmt.Errorf("route: %s %s registered twice", method, pattern)
	}
	e.methods[method] = v
	return nil
}

// MustAdd is Add that panics on a programming error in a static table.
func (r *Router[T]) MustAdd(method, pattern string, v T) {
	if err := r.Add(method, pattern, v); err != nil {
		panic(err)
	}
}

func specificity(segs []segment) int {
	n := 0
	for _, s := range segs {
		switch {
		case !s.param:
			n += 4
		case s.prefix != "" || s.suffix != "":
			n += 2
		}
	}
	return n
}

// Result of a match.
type Result[T any] struct {
	Value   T
	Params  Params
	Pattern string
	// Allowed lists the methods of the path when the method did not match.
	Allowed []string
}

// Match finds the value for method and path. found is false when no pattern
// matches the path; when a pattern matches but not the method, found is
// false and Allowed is set.
func (r *Router[T]) Match(method, path string) (res Result[T], found bool) {
	parts := split(path)
	var params Params
	for _, e := range r.byCount[len(parts)] {
		params = params[:0]
		if ps, ok := matchSegs(e.segs, parts, params); ok {
			if v, ok := e.methods[method]; ok {
				return Result[T]{Value: v, Params: ps, Pattern: e.pattern}, true
			}
			if res.Allowed == nil {
				res.Allowed = methodsOf(e)
				res.Pattern = e.pattern
			}
		}
	}
	for _, e := range r.rest {
		params = params[:0]
		if ps, ok := matchSegs(e.segs, parts, params); ok {
			if v, ok := e.methods[method]; ok {
				return Result[T]{Value: v, Params: ps, Pattern: e.pattern}, true
			}
			if res.Allowed == nil {
				res.Allowed = methodsOf(e)
				res.Pattern = e.pattern
			}
		}
	}
	return res, false
}

// Patterns lists every registered (method, pattern, value), sorted by pattern.
func (r *Router[T]) Patterns() []Result[T] {
	var out []Result[T]
	for p, e := range r.all {
		for m, v := range e.methods {
			out = append(out, Result[T]{Value: v, Pattern: p, Allowed: []string{m}})
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Pattern != out[j].Pattern {
			return out[i].Pattern < out[j].Pattern
		}
		return out[i].Allowed[0] < out[j].Allowed[0]
	})
	return out
}

func methodsOf[T any](e *entry[T]) []string {
	ms := make([]string, 0, len(e.methods))
	for m := range e.methods {
		ms = append(ms, m)
	}
	sort.Strings(ms)
	return ms
}

func matchSegs(segs []segment, parts []string, params Params) (Params, bool) {
	for i, s := range segs {
		if s.rest {
			return append(params, Param{s.name, strings.Join(parts[i:], "/")}), true
		}
		if i >= len(parts) {
			return nil, false
		}
		p := parts[i]
		if !s.param {
			if p != s.literal {
				return nil, false
			}
			continue
		}
		if len(p) <= len(s.prefix)+len(s.suffix) || !strings.HasPrefix(p, s.prefix) || !strings.HasSuffix(p, s.suffix) {
			return nil, false
		}
		params = append(params, Param{s.name, p[len(s.prefix) : len(p)-len(s.suffix)]})
	}
	return params, len(segs) == len(parts)
}

// split cuts a path into segments, ignoring one trailing slash.
func split(path string) []string {
	path = strings.TrimPrefix(path, "/")
	path = strings.TrimSuffix(path, "/")
	if path == "" {
		return nil
	}
	return strings.Split(path, "/")
}

func parse(pattern string) ([]segment, error) {
	if !strings.HasPrefix(pattern, "/") {
		return nil, fmt.Errorf("route: pattern %q must start with /", pattern)
	}
	parts := split(pattern)
	segs := make([]segment, 0, len(parts))
	for i, p := range parts {
		open := strings.IndexByte(p, '{')
		if open < 0 {
			segs = append(segs, segment{literal: p})
			continue
		}
		end := strings.IndexByte(p, '}')
		if end < open || strings.Count(p, "{") != 1 {
			return nil, fmt.Errorf("route: bad segment %q in %q", p, pattern)
		}
		name := p[open+1 : end]
		s := segment{param: true, prefix: p[:open], suffix: p[end+1:]}
		if strings.HasSuffix(name, "...") {
			if i != len(parts)-1 || s.prefix != "" || s.suffix != "" {
				return nil, fmt.Errorf("route: %q: {name...} must be a whole last segment", pattern)
			}
			s.rest = true
			name = strings.TrimSuffix(name, "...")
		}
		if name == "" {
			return nil, fmt.Errorf("route: empty parameter name in %q", pattern)
		}
		s.name = name
		segs = append(segs, s)
	}
	return segs, nil
}
