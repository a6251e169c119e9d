package cx

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"io"
	"strings"
)

// XML element names the conversion uses.
const (
	rootElement = "response"
	itemElement = "item"
)

// ContentTypeXML is the Content-Type of every XML answer.
const ContentTypeXML = "application/xml; charset=UTF-8"

// MarshalXML encodes v as cx XML: v is encoded as JSON, and the JSON is
// rewritten token by token (so object keys keep their JSON order) into a
// <response> document. Object keys become elements (names made valid XML);
// an array becomes its key's element repeated once per item (items of a
// top-level array or of an array inside an array are <item>); an empty
// array gives no element; null is <name nil="true"/>; booleans and numbers
// are written as in JSON.
func MarshalXML(v any) ([]byte, error) {
	js, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	return jsonToXML(js)
}

// jsonToXML converts one JSON document to cx XML.
func jsonToXML(js []byte) ([]byte, error) {
	c := converter{dec: json.NewDecoder(bytes.NewReader(js))}
	c.dec.UseNumber()
	c.buf.WriteString(xml.Header)
	tok, err := c.dec.Token()
	if err != nil {
		return nil, err
	}
	if d, ok := tok.(json.Delim); ok && d == '[' {
		c.open(rootElement, false)
		if err := c.items(itemElement); err != nil {
			return nil, err
		}
		c.close(rootElement)
	} else if err := c.element(rootElement, tok); err != nil {
		return nil, err
	}
	if _, err := c.dec.Token(); err != io.EOF {
		return nil, errors.New("cx: trailing data after JSON value")
	}
	return c.buf.Bytes(), nil
}

type converter struct {
	dec *json.Decoder
	buf bytes.Buffer
}

func (c *converter) open(name string, empty bool) {
	c.buf.WriteByte('<')
	c.buf.WriteString(name)
	if empty {
		c.buf.WriteString(` nil="true"/>`)
		return
	}
	c.buf.WriteByte('>')
}

func (c *converter) close(name string) {
	c.buf.WriteString("</")
	c.buf.WriteString(name)
	c.buf.WriteByte('>')
}

// element writes the value starting with tok as element(s) named name.
func (c *converter) element(name string, tok json.Token) error {
	switch t := tok.(type) {
	case json.Delim:
		if t == '[' {
			return c.items(name)
		}
		if t != '{' {
			return errors.New("cx: unexpected JSON delimiter")
		}
		c.open(name, false)
		for c.dec.More() {
			key, err := c.dec.Token()
			if err != nil {
				return err
			}
			k, ok := key.(string)
			if !ok {
				return errors.New("cx: object key is not a string")
			}
			value, err := c.dec.Token()
			if err != nil {
				return err
			}
			if err := c.element(ElementName(k), value); err != nil {
				return err
			}
		}
		if _, err := c.dec.Token(); err != nil { // '}'
			return err
		}
		c.close(name)
	case nil:
		c.open(name, true)
	case string:
		c.open(name, false)
		xml.EscapeText(&c.buf, []byte(t))
		c.close(name)
	case json.Number:
		c.open(name, false)
		c.buf.WriteString(t.String())
		c.close(name)
	case bool:
		c.open(name, false)
		if t {
			c.buf.WriteString("true")
		} else {
			c.buf.WriteString("false")
		}
		c.close(name)
	default:
		return errors.New("cx: unexpected JSON token")
	}
	return nil
}

// items writes the rest of an array (after '[') as one element named name
// per item; an item that is itself an array becomes an element named name
// holding <item> elements.
func (c *converter) items(name string) error {
	for c.dec.More() {
		tok, err := c.dec.Token()
		if err != nil {
			return err
		}
		if d, ok := tok.(json.Delim); ok && d == '[' {
			c.open(name, false)
			if err := c.items(itemElement); err != nil {
				return err
			}
			c.close(name)
			continue
		}
		if err := c.element(name, tok); err != nil {
			return err
		}
	}
	_, err := c.dec.Token() // ']'
	return err
}

// ElementName turns a JSON key into a valid XML element name: characters
// other than ASCII letters, digits, "_", "-" and "." become "_", and a
// name that does not start with a letter or "_" is prefixed with "_".
func ElementName(key string) string {
	if key == "" {
		return "_"
	}
	var b strings.Builder
	for _, r := range key {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '_', r == '-', r == '.':
			b.WriteRune(r)
		default:
			b.WriteByte('_')
		}
	}
	name := b.String()
	if c := name[0]; c == '-' || c == '.' || (c >= '0' && c <= '9') {
		name = "_" + name
	}
	return name
}
