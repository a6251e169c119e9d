package decode

import (
	"reflect"
	"strings"
)

// field is a struct field reachable under a JSON name, possibly through
// embedded structs (index is the path of field numbers).
type field struct {
	name  string
	index []int
}

// fieldsOf lists the fields of a struct type by their JSON names, as
// encoding/json sees them: json tag name or Go name, "-" skipped,
// unexported skipped, embedded structs without a tag flattened, and a
// shallower field hiding a deeper one of the same name.
func fieldsOf(t reflect.Type) []field {
	var out []field
	seen := map[string]bool{}
	type level struct {
		t     reflect.Type
		index []int
	}
	current := []level{{t: t}}
	visited := map[reflect.Type]bool{}
	for len(current) > 0 {
		var next []level
		var found []field
		for _, l := range current {
			if visited[l.t] {
				continue
			}
			visited[l.t] = true
			for i := 0; i < l.t.NumField(); i++ {
				sf := l.t.Field(i)
				index := append(append([]int(nil), l.index...), i)
				tag := sf.Tag.Get("json")
				if tag == "-" {
					continue
				}
				name, _, _ := strings.Cut(tag, ",")
				if sf.Anonymous && name == "" {
					ft := sf.Type
					if ft.Kind() == reflect.Pointer {
						ft = ft.Elem()
					}
					if ft.Kind() == reflect.Struct {
						next = append(next, level{t: ft, index: index})
						continue
					}
				}
				if !sf.IsExported() {
					continue
				}
				if name == "" {
					name = sf.Name
				}
				found = append(found, field{name: name, index: index})
			}
		}
		for _, f := range found {
			if !seen[f.name] {
				seen[f.name] = true
				out = append(out, f)
			}
		}
		current = next
	}
	return out
}

// lookup finds the field named name: exactly, else case-insensitively as
// encoding/json does.
func lookup(fields []field, name string) (field, bool) {
	for _, f := range fields {
		if f.name == name {
			return f, true
		}
	}
	for _, f := range fields {
		if strings.EqualFold(f.name, name) {
			return f, true
		}
	}
	return field{}, false
}

// fieldByIndex walks index from v, allocating nil embedded pointers. ok is
// false when an embedded pointer cannot be set (unexported embedded type).
func fieldByIndex(v reflect.Value, index []int) (reflect.Value, bool) {
	for i, x := range index {
		if i > 0 && v.Kind() == reflect.Pointer {
			if v.IsNil() {
				if !v.CanSet() {
					return reflect.Value{}, false
				}
				v.Set(reflect.New(v.Type().Elem()))
			}
			v = v.Elem()
		}
		v = v.Field(x)
	}
	return v, v.CanSet()
}
