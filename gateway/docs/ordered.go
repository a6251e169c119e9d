package docs

import (
	"bytes"
	"encoding/json"
)

// ordered is a JSON object that keeps its keys in insertion order: paths
// and operations appear in route table order, which is the order Swagger
// UI shows them in (a Go map would sort them).
type ordered[V any] struct {
	keys []string
	m    map[string]V
}

func (o *ordered[V]) get(key string) (V, bool) {
	v, ok := o.m[key]
	return v, ok
}

func (o *ordered[V]) set(key string, v V) {
	if o.m == nil {
		o.m = map[string]V{}
	}
	if _, ok := o.m[key]; !ok {
		o.keys = append(o.keys, key)
	}
	o.m[key] = v
}

// MarshalJSON writes the object in insertion order, without escaping
// HTML characters (the document has "<api_key>" in its text).
func (o *ordered[V]) MarshalJSON() ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	buf.WriteByte('{')
	for i, k := range o.keys {
		if i > 0 {
			buf.WriteByte(',')
		}
		if err := enc.Encode(k); err != nil {
			return nil, err
		}
		buf.Truncate(buf.Len() - 1) // Encode's newline
		buf.WriteByte(':')
		if err := enc.Encode(o.m[k]); err != nil {
			return nil, err
		}
		buf.Truncate(buf.Len() - 1)
	}
	buf.WriteByte('}')
	return buf.Bytes(), nil
}
