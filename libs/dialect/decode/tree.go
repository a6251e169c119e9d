package decode

import (
	"sort"
	"strconv"
	"strings"

	"github.com/hostplane/hostplane/libs/errs"
)

// maxDepth bounds the nesting of a form key (a[b][c]…).
const maxDepth = 32

// node is one position of a form tree built from PHP-style keys:
// "a=1" gives a value, "a[b]=1" a named child, "a[]=1" a new list item and
// "a[0]=1" a child named "0" (read as index 0 when the target is a list).
type node struct {
	values []string         // values given to this very key, in order
	names  []string         // child names in first-seen order
	kids   map[string]*node // named children
	items  []*node          // children appended with []
}

func (n *node) child(name string) *node {
	if c, ok := n.kids[name]; ok {
		return c
	}
	if n.kids == nil {
		n.kids = map[string]*node{}
	}
	c := &node{}
	n.kids[name] = c
	n.names = append(n.names, name)
	return c
}

// leaf reports whether the node holds only values.
func (n *node) leaf() bool { return len(n.kids) == 0 && len(n.items) == 0 }

// last is the value a scalar takes: the last one sent, as PHP does.
func (n *node) last() (string, bool) {
	if len(n.values) == 0 {
		return "", false
	}
	return n.values[len(n.values)-1], true
}

// buildTree turns form pairs into a tree. A key that is not of the form
// name[seg][seg]… is taken literally.
func buildTree(pairs []pair) (*node, error) {
	root := &node{}
	for _, p := range pairs {
		segs := splitKey(p.key)
		if len(segs) > maxDepth {
			return nil, errs.InvalidField(segs[0], "Too deeply nested.")
		}
		n := root
		for _, s := range segs {
			if s == "" && n != root {
				item := &node{}
				n.items = append(n.items, item)
				n = item
				continue
			}
			n = n.child(s)
		}
		n.values = append(n.values, p.value)
	}
	return root, nil
}

// splitKey splits "a[b][][c]" into ["a", "b", "", "c"]. A malformed key
// ("a[b", "[x]", "a[b]c") is one literal segment.
func splitKey(key string) []string {
	open := strings.IndexByte(key, '[')
	if open <= 0 {
		return []string{key}
	}
	segs := []string{key[:open]}
	rest := key[open:]
	for rest != "" {
		if rest[0] != '[' {
			return []string{key}
		}
		end := strings.IndexByte(rest, ']')
		if end < 0 {
			return []string{key}
		}
		segs = append(segs, rest[1:end])
		rest = rest[end+1:]
	}
	return segs
}

// list returns the node's elements when read as a list: its values, then
// its numbered children in index order, then its [] items. ok is false
// when a child has a name that is not an index.
func (n *node) list() (elems []*node, ok bool) {
	for _, v := range n.values {
		elems = append(elems, &node{values: []string{v}})
	}
	type indexed struct {
		i int
		n *node
	}
	var numbered []indexed
	for _, name := range n.names {
		i, err := strconv.Atoi(name)
		if err != nil || i < 0 {
			return nil, false
		}
		numbered = append(numbered, indexed{i, n.kids[name]})
	}
	sort.SliceStable(numbered, func(a, b int) bool { return numbered[a].i < numbered[b].i })
	for _, x := range numbered {
		elems = append(elems, x.n)
	}
	return append(elems, n.items...), true
}

// generic is the node as encoding/json would decode the equivalent JSON
// into an interface value: a string, []any or map[string]any.
func (n *node) generic() any {
	switch {
	case len(n.kids) > 0:
		if elems, ok := n.list(); ok && len(n.values) == 0 {
			return genericList(elems)
		}
		m := make(map[string]any, len(n.kids)+len(n.items))
		for name, c := range n.kids {
			m[name] = c.generic()
		}
		for i, c := range n.items {
			if _, taken := m[strconv.Itoa(i)]; !taken {
				m[strconv.Itoa(i)] = c.generic()
			}
		}
		return m
	case len(n.items) > 0 || len(n.values) > 1:
		elems, _ := n.list()
		return genericList(elems)
	default:
		v, _ := n.last()
		return v
	}
}

func genericList(elems []*node) []any {
	out := make([]any, len(elems))
	for i, e := range elems {
		out[i] = e.generic()
	}
	return out
}
