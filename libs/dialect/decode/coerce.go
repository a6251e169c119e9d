package decode

import (
	"encoding"
	"encoding/json"
	"math"
	"reflect"
	"strconv"
	"strings"

	"github.com/hostplane/hostplane/libs/errs"
)

// tunnelKey is the form key of method tunnelling, never a field.
const tunnelKey = "method"

func numberType() reflect.Type      { return reflect.TypeFor[json.Number]() }
func jsonUnmarshaler() reflect.Type { return reflect.TypeFor[json.Unmarshaler]() }
func textUnmarshaler() reflect.Type { return reflect.TypeFor[encoding.TextUnmarshaler]() }

// coercer fills a Go value from a form tree by reflection, collecting
// every problem rather than stopping at the first.
type coercer struct {
	disallowUnknown bool
	problems        errs.Collector
}

// coerce decodes form pairs into dst through its json tags.
func coerce(pairs []pair, dst any, opts Options) error {
	root, err := buildTree(pairs)
	if err != nil {
		return err
	}
	delete(root.kids, tunnelKey)
	for i, name := range root.names {
		if name == tunnelKey {
			root.names = append(root.names[:i:i], root.names[i+1:]...)
			break
		}
	}
	v := reflect.ValueOf(dst)
	if v.Kind() != reflect.Pointer || v.IsNil() {
		return errs.New(errs.Internal, "decode: destination must be a non-nil pointer, got %T", dst)
	}
	c := &coercer{disallowUnknown: opts.DisallowUnknown}
	c.value("", root, v.Elem())
	return c.problems.Err()
}

func join(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}

func (c *coercer) wrongType(path string, t reflect.Type) {
	if path == "" {
		path = "body"
	}
	c.problems.Invalid(path, "Invalid parameter type: expected "+jsonType(t))
}

// value sets v (settable) from n.
func (c *coercer) value(path string, n *node, v reflect.Value) {
	for v.Kind() == reflect.Pointer {
		if v.IsNil() {
			v.Set(reflect.New(v.Type().Elem()))
		}
		v = v.Elem()
	}
	t := v.Type()
	if t != numberType() && v.CanAddr() &&
		(reflect.PointerTo(t).Implements(jsonUnmarshaler()) || reflect.PointerTo(t).Implements(textUnmarshaler())) {
		c.unmarshal(path, n, v)
		return
	}
	switch t.Kind() {
	case reflect.Interface:
		if t.NumMethod() != 0 {
			c.wrongType(path, t)
			return
		}
		v.Set(reflect.ValueOf(n.generic()))
	case reflect.Struct:
		c.structure(path, n, v)
	case reflect.Map:
		c.mapping(path, n, v)
	case reflect.Slice:
		if t.Elem().Kind() == reflect.Uint8 && !reflect.PointerTo(t.Elem()).Implements(jsonUnmarshaler()) {
			if s, ok := c.scalar(path, n, t); ok {
				v.SetBytes([]byte(s))
			}
			return
		}
		c.sequence(path, n, v)
	case reflect.Array:
		c.sequence(path, n, v)
	default:
		s, ok := c.scalar(path, n, t)
		if ok {
			c.primitive(path, s, v)
		}
	}
}

// scalar is the text a scalar field takes; a node that is an object or a
// list is the wrong type.
func (c *coercer) scalar(path string, n *node, t reflect.Type) (string, bool) {
	s, ok := n.last()
	if !ok || !n.leaf() {
		c.wrongType(path, t)
		return "", false
	}
	return s, true
}

// primitive parses s into a string, number or boolean value.
func (c *coercer) primitive(path, s string, v reflect.Value) {
	t := v.Type()
	trimmed := strings.TrimSpace(s)
	switch t.Kind() {
	case reflect.String:
		if t == numberType() {
			if !isNumber(trimmed) {
				c.wrongType(path, t)
				return
			}
			s = trimmed
		}
		v.SetString(s)
	case reflect.Bool:
		b, ok := parseBool(trimmed)
		if !ok {
			c.wrongType(path, t)
			return
		}
		v.SetBool(b)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		i, err := strconv.ParseInt(trimmed, 10, t.Bits())
		if err != nil {
			c.wrongType(path, t)
			return
		}
		v.SetInt(i)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		u, err := strconv.ParseUint(trimmed, 10, t.Bits())
		if err != nil {
			c.wrongType(path, t)
			return
		}
		v.SetUint(u)
	case reflect.Float32, reflect.Float64:
		f, err := strconv.ParseFloat(trimmed, t.Bits())
		if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
			c.wrongType(path, t)
			return
		}
		v.SetFloat(f)
	default:
		c.problems.Invalid(orBody(path), "Unsupported parameter type.")
	}
}

func orBody(path string) string {
	if path == "" {
		return "body"
	}
	return path
}

// parseBool reads the boolean spellings forms use.
func parseBool(s string) (value, ok bool) {
	switch strings.ToLower(s) {
	case "1", "true", "on", "yes":
		return true, true
	case "0", "false", "off", "no", "":
		return false, true
	}
	return false, false
}

// isNumber reports whether s is a JSON number.
func isNumber(s string) bool {
	if s == "" {
		return false
	}
	var n json.Number
	return json.Unmarshal([]byte(s), &n) == nil
}

// unmarshal hands a field with its own decoding the JSON a JSON body would
// have carried: the quoted string for a single value (or the bare literal
// when the type refuses the string but the text is a JSON number), the
// equivalent JSON otherwise.
func (c *coercer) unmarshal(path string, n *node, v reflect.Value) {
	dst := v.Addr().Interface()
	var data []byte
	if s, ok := n.last(); ok && n.leaf() {
		data, _ = json.Marshal(s)
		if json.Unmarshal(data, dst) == nil {
			return
		}
		if !isNumber(strings.TrimSpace(s)) {
			c.problems.Invalid(orBody(path), "Invalid value.")
			return
		}
		data = []byte(strings.TrimSpace(s))
	} else {
		var err error
		if data, err = json.Marshal(n.generic()); err != nil {
			c.problems.Invalid(orBody(path), "Invalid value.")
			return
		}
	}
	if err := json.Unmarshal(data, dst); err != nil {
		c.problems.Invalid(orBody(path), "Invalid value.")
	}
}

// structure fills a struct from the node's named children.
func (c *coercer) structure(path string, n *node, v reflect.Value) {
	if len(n.values) > 0 || len(n.items) > 0 {
		c.wrongType(path, v.Type())
		return
	}
	fields := fieldsOf(v.Type())
	for _, name := range n.names {
		f, ok := lookup(fields, name)
		if !ok {
			if c.disallowUnknown {
				c.problems.Invalid(join(path, name), "Unknown parameter.")
			}
			continue
		}
		fv, ok := fieldByIndex(v, f.index)
		if !ok {
			continue
		}
		c.value(join(path, f.name), n.kids[name], fv)
	}
}

// mapping fills a map with string or integer keys from named children.
func (c *coercer) mapping(path string, n *node, v reflect.Value) {
	t := v.Type()
	if len(n.values) > 0 || len(n.items) > 0 {
		c.wrongType(path, t)
		return
	}
	if v.IsNil() {
		v.Set(reflect.MakeMapWithSize(t, len(n.names)))
	}
	for _, name := range n.names {
		key := reflect.New(t.Key()).Elem()
		switch t.Key().Kind() {
		case reflect.String:
			key.SetString(name)
		case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
			i, err := strconv.ParseInt(name, 10, t.Key().Bits())
			if err != nil {
				c.problems.Invalid(join(path, name), "Invalid key: expected integer")
				continue
			}
			key.SetInt(i)
		case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
			u, err := strconv.ParseUint(name, 10, t.Key().Bits())
			if err != nil {
				c.problems.Invalid(join(path, name), "Invalid key: expected integer")
				continue
			}
			key.SetUint(u)
		default:
			c.problems.Invalid(orBody(path), "Unsupported parameter type.")
			return
		}
		elem := reflect.New(t.Elem()).Elem()
		c.value(join(path, name), n.kids[name], elem)
		v.SetMapIndex(key, elem)
	}
}

// sequence fills a slice or an array from the node read as a list.
func (c *coercer) sequence(path string, n *node, v reflect.Value) {
	elems, ok := n.list()
	if !ok {
		c.wrongType(path, v.Type())
		return
	}
	if v.Kind() == reflect.Slice {
		v.Set(reflect.MakeSlice(v.Type(), len(elems), len(elems)))
	}
	for i, e := range elems {
		if i >= v.Len() {
			break // an array keeps what fits, as encoding/json does
		}
		c.value(join(path, strconv.Itoa(i)), e, v.Index(i))
	}
}
