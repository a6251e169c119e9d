package cx

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"io"
	"strings"
	"testing"
)

func TestMarshalXML(t *testing.T) {
	type nested struct {
		ID      int               `json:"id"`
		Name    string            `json:"name"`
		Price   json.Number       `json:"price"`
		Active  bool              `json:"active"`
		Deleted *string           `json:"deleted_at"`
		Tags    []string          `json:"tags"`
		Empty   []string          `json:"empty"`
		Matrix  [][]int           `json:"matrix"`
		Meta    map[string]string `json:"meta"`
		Weird   map[string]int    `json:"weird"`
	}
	tests := []struct {
		name string
		v    any
		want string
	}{
		{"nested object", map[string]any{"data": nested{
			ID: 1, Name: "A & <B>", Price: "29.99", Active: true,
			Tags: []string{"x", "y"}, Empty: []string{}, Matrix: [][]int{{1, 2}, {3}},
			Meta: map[string]string{"b": "2", "a": "1"}, Weird: map[string]int{"1st": 1, "a b": 2, "é": 3, "": 4},
		}},
			`<response><data><id>1</id><name>A &amp; &lt;B&gt;</name><price>29.99</price><active>true</active>` +
				`<deleted_at nil="true"/><tags>x</tags><tags>y</tags>` +
				`<matrix><item>1</item><item>2</item></matrix><matrix><item>3</item></matrix>` +
				`<meta><a>1</a><b>2</b></meta><weird><_>4</_><_1st>1</_1st><a_b>2</a_b><_>3</_></weird></data></response>`},
		{"top-level array", []any{1, "a", nil, []int{2}, map[string]int{"k": 1}},
			`<response><item>1</item><item>a</item><item nil="true"/><item><item>2</item></item><item><k>1</k></item></response>`},
		{"scalar", 5, `<response>5</response>`},
		{"null", nil, `<response nil="true"/>`},
		{"empty object", struct{}{}, `<response></response>`},
		{"false", map[string]bool{"ok": false}, `<response><ok>false</ok></response>`},
		{"control characters", map[string]string{"s": "a\x00b"}, "<response><s>a\uFFFDb</s></response>"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := MarshalXML(tt.v)
			if err != nil {
				t.Fatal(err)
			}
			if want := xml.Header + tt.want; string(got) != want {
				t.Errorf("got\n%s\nwant\n%s", got, want)
			}
			wellFormed(t, got)
		})
	}
}

func TestMarshalXMLKeepsStructOrder(t *testing.T) {
	got, err := MarshalXML(struct {
		Z int `json:"z"`
		A int `json:"a"`
	}{1, 2})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(string(got), "<response><z>1</z><a>2</a></response>") {
		t.Errorf("order lost: %s", got)
	}
}

func TestMarshalXMLError(t *testing.T) {
	if _, err := MarshalXML(func() {}); err == nil {
		t.Error("no error for an unencodable value")
	}
}

func TestElementName(t *testing.T) {
	tests := map[string]string{
		"name": "name", "first_page_url": "first_page_url", "a-b.c": "a-b.c", "1st": "_1st",
		"-x": "_-x", ".x": "_.x", "a b": "a_b", "a:b": "a_b", "é": "_", "": "_", "<x>": "_x_",
	}
	for in, want := range tests {
		if got := ElementName(in); got != want {
			t.Errorf("ElementName(%q) = %q, want %q", in, got, want)
		}
	}
}

// wellFormed fails unless doc parses as XML with one root element.
func wellFormed(t *testing.T, doc []byte) {
	t.Helper()
	dec := xml.NewDecoder(bytes.NewReader(doc))
	depth, roots := 0, 0
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("not well-formed: %v\n%s", err, doc)
		}
		switch tok.(type) {
		case xml.StartElement:
			if depth == 0 {
				roots++
			}
			depth++
		case xml.EndElement:
			depth--
		}
	}
	if roots != 1 || depth != 0 {
		t.Fatalf("%d roots, depth %d:\n%s", roots, depth, doc)
	}
}

func FuzzJSONToXML(f *testing.F) {
	for _, s := range []string{`{}`, `[]`, `null`, `{"a":[[1],[]],"b":{"":null}}`, `"x\u0000"`, `[[[]]]`, `{"1":true}`, `{"a":1}{}`, `{`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, js string) {
		doc, err := jsonToXML([]byte(js))
		if !json.Valid([]byte(js)) {
			return // must not panic; the error (if any) is irrelevant
		}
		if err != nil {
			t.Fatalf("valid JSON %q failed: %v", js, err)
		}
		wellFormed(t, doc)
	})
}
