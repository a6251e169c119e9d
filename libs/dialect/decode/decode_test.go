package decode

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/hostplane/hostplane/libs/errs"
)

type address struct {
	City string `json:"city"`
	Zip  string `json:"zip"`
}

type Embedded struct {
	Note string `json:"note"`
}

type target struct {
	Embedded
	Name     string            `json:"name"`
	Count    int               `json:"count"`
	Small    int8              `json:"small"`
	Size     uint              `json:"size"`
	Price    float64           `json:"price"`
	VIP      bool              `json:"vip"`
	Ptr      *int              `json:"ptr"`
	Tags     []string          `json:"tags"`
	IDs      []int             `json:"ids"`
	Addr     address           `json:"addr"`
	Addrs    []address         `json:"addrs"`
	Meta     map[string]string `json:"meta"`
	Extra    map[string]any    `json:"extra"`
	Any      any               `json:"any"`
	Amount   json.Number       `json:"amount"`
	When     time.Time         `json:"when"`
	Raw      json.RawMessage   `json:"raw"`
	Untagged string
	Skipped  string `json:"-"`
}

func intp(i int) *int { return &i }

func request(contentType, body string) *http.Request {
	r := httptest.NewRequest(http.MethodPost, "/x", strings.NewReader(body))
	if contentType != "" {
		r.Header.Set("Content-Type", contentType)
	}
	return r
}

func multipartRequest(t *testing.T, fields [][2]string, file string) *http.Request {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for _, f := range fields {
		if err := mw.WriteField(f[0], f[1]); err != nil {
			t.Fatal(err)
		}
	}
	if file != "" {
		fw, err := mw.CreateFormFile(file, "a.txt")
		if err != nil {
			t.Fatal(err)
		}
		io.WriteString(fw, "content")
	}
	mw.Close()
	return request(mw.FormDataContentType(), buf.String())
}

// wantErr describes the expected *errs.Error: its kind and, when set, the
// one field it names.
type wantErr struct {
	kind  errs.Kind
	field string
	msg   string // substring of Params[field]
}

func checkErr(t *testing.T, err error, want *wantErr) {
	t.Helper()
	if want == nil {
		if err != nil {
			t.Fatalf("unexpected error: %v", err)
		}
		return
	}
	var e *errs.Error
	if !errors.As(err, &e) {
		t.Fatalf("error %v (%T) is not *errs.Error", err, err)
	}
	if e.Kind != want.kind {
		t.Fatalf("kind = %s, want %s (%v)", e.Kind, want.kind, err)
	}
	if want.field != "" {
		msg, ok := e.Params[want.field]
		if !ok {
			t.Fatalf("params %v do not name %q", e.Params, want.field)
		}
		if !strings.Contains(msg, want.msg) {
			t.Fatalf("params[%q] = %q, want it to contain %q", want.field, msg, want.msg)
		}
	}
}

func TestBodyJSON(t *testing.T) {
	when := time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC)
	tests := []struct {
		name    string
		ct      string
		body    string
		opts    Options
		want    target
		wantErr *wantErr
	}{
		{name: "empty body", ct: "application/json", body: ""},
		{name: "whitespace body", ct: "application/json", body: " \n\t"},
		{name: "no content type", body: `{"name":"a"}`, want: target{Name: "a"}},
		{name: "charset", ct: "application/json; charset=utf-8", body: `{"count":3}`, want: target{Count: 3}},
		{name: "vendor json", ct: "application/vnd.api+json", body: `{"count":3}`, want: target{Count: 3}},
		{
			name: "all fields",
			ct:   "application/json",
			body: `{"note":"n","name":"a","count":1,"size":2,"price":29.99,"vip":true,"ptr":5,"tags":["x","y"],
				"addr":{"city":"Paris"},"meta":{"k":"v"},"any":1.50,"amount":12.30,"when":"2024-05-06T07:08:09Z","raw":{"a":1},"Untagged":"u"}`,
			want: target{
				Embedded: Embedded{Note: "n"}, Name: "a", Count: 1, Size: 2, Price: 29.99, VIP: true, Ptr: intp(5),
				Tags: []string{"x", "y"}, Addr: address{City: "Paris"}, Meta: map[string]string{"k": "v"},
				Any: json.Number("1.50"), Amount: "12.30", When: when, Raw: json.RawMessage(`{"a":1}`), Untagged: "u",
			},
		},
		{name: "null", ct: "application/json", body: `null`},
		{name: "syntax error", ct: "application/json", body: `{"name":}`, wantErr: &wantErr{kind: errs.BadJSON}},
		{name: "truncated", ct: "application/json", body: `{"name":"a"`, wantErr: &wantErr{kind: errs.BadJSON}},
		{name: "trailing garbage", ct: "application/json", body: `{"name":"a"} x`, wantErr: &wantErr{kind: errs.BadJSON}},
		{name: "two values", ct: "application/json", body: `{"name":"a"}{"name":"b"}`, wantErr: &wantErr{kind: errs.BadJSON}},
		{name: "trailing whitespace", ct: "application/json", body: "{\"name\":\"a\"}\n", want: target{Name: "a"}},
		{name: "type mismatch", ct: "application/json", body: `{"count":"x"}`, wantErr: &wantErr{errs.Invalid, "count", "expected integer"}},
		{name: "float into int", ct: "application/json", body: `{"count":1.5}`, wantErr: &wantErr{errs.Invalid, "count", "expected integer"}},
		{name: "nested mismatch", ct: "application/json", body: `{"addr":{"city":1}}`, wantErr: &wantErr{errs.Invalid, "addr.city", "expected string"}},
		{name: "array mismatch", ct: "application/json", body: `{"tags":"x"}`, wantErr: &wantErr{errs.Invalid, "tags", "expected array"}},
		{name: "top-level array", ct: "application/json", body: `[1]`, wantErr: &wantErr{errs.Invalid, "body", "expected object"}},
		{name: "unknown allowed", ct: "application/json", body: `{"zzz":1,"name":"a"}`, want: target{Name: "a"}},
		{name: "unknown refused", ct: "application/json", body: `{"zzz":1}`, opts: Options{DisallowUnknown: true}, wantErr: &wantErr{errs.Invalid, "zzz", "Unknown parameter."}},
		{name: "bad time", ct: "application/json", body: `{"when":"yesterday"}`, wantErr: &wantErr{errs.Invalid, "body", "Invalid value."}},
		{name: "too large", ct: "application/json", body: `{"name":"` + strings.Repeat("a", 100) + `"}`, opts: Options{MaxBytes: 50}, wantErr: &wantErr{kind: errs.TooLarge}},
		{name: "under limit", ct: "application/json", body: `{"name":"a"}`, opts: Options{MaxBytes: 50}, want: target{Name: "a"}},
		{name: "unsupported", ct: "text/plain", body: `hello`, wantErr: &wantErr{errs.Invalid, "Content-Type", "text/plain"}},
		{name: "unparseable content type", ct: "/;", body: `hello`, wantErr: &wantErr{errs.Invalid, "Content-Type", ""}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got target
			err := Body(request(tt.ct, tt.body), &got, tt.opts)
			checkErr(t, err, tt.wantErr)
			if tt.wantErr == nil && !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got  %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

func TestBodyTooLargeFromOuterLimit(t *testing.T) {
	r := request("application/json", `{"name":"`+strings.Repeat("a", 100)+`"}`)
	r.Body = http.MaxBytesReader(httptest.NewRecorder(), r.Body, 10)
	var got target
	checkErr(t, Body(r, &got, Options{}), &wantErr{kind: errs.TooLarge})
}

func TestBodyNoBody(t *testing.T) {
	r := httptest.NewRequest(http.MethodGet, "/x", nil)
	r.Header.Set("Content-Type", "text/plain")
	var got target
	if err := Body(r, &got, Options{DisallowUnknown: true}); err != nil {
		t.Fatal(err)
	}
}

func TestBodyForm(t *testing.T) {
	const form = "application/x-www-form-urlencoded"
	tests := []struct {
		name    string
		body    string
		opts    Options
		want    target
		wantErr *wantErr
	}{
		{name: "scalars", body: "name=a+b&count=-3&small=7&size=4&price=29.99&vip=on&ptr=9&note=n&Untagged=u",
			want: target{Name: "a b", Count: -3, Small: 7, Size: 4, Price: 29.99, VIP: true, Ptr: intp(9), Embedded: Embedded{Note: "n"}, Untagged: "u"}},
		{name: "last value wins", body: "name=a&name=b", want: target{Name: "b"}},
		{name: "case-insensitive key", body: "NAME=a", want: target{Name: "a"}},
		{name: "bool spellings", body: "vip=yes", want: target{VIP: true}},
		{name: "bool empty", body: "vip=", want: target{}},
		{name: "bool false", body: "vip=off", want: target{}},
		{name: "list with []", body: "tags[]=x&tags[]=y", want: target{Tags: []string{"x", "y"}}},
		{name: "list with indexes", body: "ids[1]=20&ids[0]=10", want: target{IDs: []int{10, 20}}},
		{name: "list repeated key", body: "tags=x&tags=y", want: target{Tags: []string{"x", "y"}}},
		{name: "nested object", body: "addr[city]=Paris&addr[zip]=75001", want: target{Addr: address{City: "Paris", Zip: "75001"}}},
		{name: "list of objects []", body: "addrs[][city]=A&addrs[][city]=B",
			want: target{Addrs: []address{{City: "A"}, {City: "B"}}}},
		{name: "list of objects indexed", body: "addrs[0][city]=A&addrs[0][zip]=1&addrs[1][city]=B",
			want: target{Addrs: []address{{City: "A", Zip: "1"}, {City: "B"}}}},
		{name: "map string", body: "meta[a]=1&meta[b]=2", want: target{Meta: map[string]string{"a": "1", "b": "2"}}},
		{name: "map any", body: "extra[a]=1&extra[b][]=x&extra[c][d]=y",
			want: target{Extra: map[string]any{"a": "1", "b": []any{"x"}, "c": map[string]any{"d": "y"}}}},
		{name: "any list", body: "any[0]=a&any[1]=b", want: target{Any: []any{"a", "b"}}},
		{name: "json number", body: "amount=12.50", want: target{Amount: "12.50"}},
		{name: "bad json number", body: "amount=12,50", wantErr: &wantErr{errs.Invalid, "amount", "expected number"}},
		{name: "text unmarshaler", body: "when=2024-05-06T07:08:09Z", want: target{When: time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC)}},
		{name: "bad text unmarshaler", body: "when=soon", wantErr: &wantErr{errs.Invalid, "when", "Invalid value."}},
		{name: "raw message gets quoted string", body: "raw=abc", want: target{Raw: json.RawMessage(`"abc"`)}},
		{name: "method ignored", body: "method=PUT&name=a", opts: Options{DisallowUnknown: true}, want: target{Name: "a"}},
		{name: "unknown ignored", body: "zzz=1&name=a", want: target{Name: "a"}},
		{name: "unknown refused", body: "zzz=1", opts: Options{DisallowUnknown: true}, wantErr: &wantErr{errs.Invalid, "zzz", "Unknown parameter."}},
		{name: "nested unknown refused", body: "addr[zzz]=1", opts: Options{DisallowUnknown: true}, wantErr: &wantErr{errs.Invalid, "addr.zzz", "Unknown parameter."}},
		{name: "skipped field is unknown", body: "Skipped=1", opts: Options{DisallowUnknown: true}, wantErr: &wantErr{errs.Invalid, "Skipped", "Unknown parameter."}},
		{name: "bad int", body: "count=abc", wantErr: &wantErr{errs.Invalid, "count", "expected integer"}},
		{name: "int overflow", body: "small=300", wantErr: &wantErr{errs.Invalid, "small", "expected integer"}},
		{name: "negative uint", body: "size=-1", wantErr: &wantErr{errs.Invalid, "size", "expected integer"}},
		{name: "bad float", body: "price=NaN", wantErr: &wantErr{errs.Invalid, "price", "expected number"}},
		{name: "bad bool", body: "vip=maybe", wantErr: &wantErr{errs.Invalid, "vip", "expected boolean"}},
		{name: "object for scalar", body: "name[a]=1", wantErr: &wantErr{errs.Invalid, "name", "expected string"}},
		{name: "scalar for object", body: "addr=x", wantErr: &wantErr{errs.Invalid, "addr", "expected object"}},
		{name: "named key in list", body: "tags[a]=x", wantErr: &wantErr{errs.Invalid, "tags", "expected array"}},
		{name: "nested error path", body: "addrs[0][city][x]=1", wantErr: &wantErr{errs.Invalid, "addrs.0.city", "expected string"}},
		{name: "malformed key is literal", body: "name[=a", opts: Options{DisallowUnknown: true}, wantErr: &wantErr{errs.Invalid, "name[", "Unknown parameter."}},
		{name: "bad escape", body: "name=%zz", wantErr: &wantErr{errs.Invalid, "body", "Malformed form"}},
		{name: "too deep", body: "a" + strings.Repeat("[b]", 40) + "=1", wantErr: &wantErr{errs.Invalid, "a", "Too deeply nested."}},
		{name: "too large", body: "name=" + strings.Repeat("a", 100), opts: Options{MaxBytes: 20}, wantErr: &wantErr{kind: errs.TooLarge}},
		{name: "empty segments", body: "&&name=a&", want: target{Name: "a"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got target
			err := Body(request(form, tt.body), &got, tt.opts)
			checkErr(t, err, tt.wantErr)
			if tt.wantErr == nil && !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got  %#v\nwant %#v", got, tt.want)
			}
		})
	}
}

func TestBodyFormCollectsEveryProblem(t *testing.T) {
	var got target
	err := Body(request("application/x-www-form-urlencoded", "count=x&vip=maybe"), &got, Options{})
	e := errs.From(err)
	if e.Kind != errs.Invalid || len(e.Params) != 2 {
		t.Fatalf("got %v, want two invalid fields", err)
	}
}

func TestBodyFormIntoMap(t *testing.T) {
	var got map[string]any
	err := Body(request("application/x-www-form-urlencoded", "a=1&b[]=2&method=GET"), &got, Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]any{"a": "1", "b": []any{"2"}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %#v, want %#v", got, want)
	}
}

func TestBodyMultipart(t *testing.T) {
	tests := []struct {
		name    string
		fields  [][2]string
		file    string
		want    target
		wantErr *wantErr
	}{
		{name: "fields", fields: [][2]string{{"name", "a"}, {"tags[]", "x"}, {"tags[]", "y"}, {"addr[city]", "P"}},
			want: target{Name: "a", Tags: []string{"x", "y"}, Addr: address{City: "P"}}},
		{name: "file refused", fields: [][2]string{{"name", "a"}}, file: "upload", wantErr: &wantErr{errs.Invalid, "upload", "File uploads"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got target
			err := Body(multipartRequest(t, tt.fields, tt.file), &got, Options{})
			checkErr(t, err, tt.wantErr)
			if tt.wantErr == nil && !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %#v, want %#v", got, tt.want)
			}
		})
	}
}

func TestBodyMultipartMalformed(t *testing.T) {
	tests := []struct{ name, ct, body string }{
		{"no boundary", "multipart/form-data", "--x\r\n"},
		{"garbage", "multipart/form-data; boundary=x", "garbage"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got target
			checkErr(t, Body(request(tt.ct, tt.body), &got, Options{}), &wantErr{errs.Invalid, "body", "Malformed multipart"})
		})
	}
}

func TestSplitKey(t *testing.T) {
	tests := []struct {
		key  string
		want []string
	}{
		{"a", []string{"a"}},
		{"a[b]", []string{"a", "b"}},
		{"a[b][]", []string{"a", "b", ""}},
		{"a[0][c]", []string{"a", "0", "c"}},
		{"a[b", []string{"a[b"}},
		{"[b]", []string{"[b]"}},
		{"a[b]c", []string{"a[b]c"}},
		{"", []string{""}},
	}
	for _, tt := range tests {
		if got := splitKey(tt.key); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("splitKey(%q) = %q, want %q", tt.key, got, tt.want)
		}
	}
}

// opaqueReader hides its type so http.NewRequest cannot know the length.
type opaqueReader struct{ r io.Reader }

func (o opaqueReader) Read(p []byte) (int, error) { return o.r.Read(p) }

func TestBodyUnknownLength(t *testing.T) {
	tests := []struct {
		name, body string
		want       target
	}{
		{"with content", `{"name":"a"}`, target{Name: "a"}},
		{"empty", ``, target{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := http.NewRequest("POST", "http://h/x", opaqueReader{strings.NewReader(tt.body)})
			if err != nil {
				t.Fatal(err)
			}
			if r.ContentLength != 0 {
				t.Fatalf("ContentLength %d, the test needs 0", r.ContentLength)
			}
			r.Header.Set("Content-Type", "application/json")
			var got target
			if err := Body(r, &got, Options{}); err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %+v", got)
			}
		})
	}
}
