package sb

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/hostplane/hostplane/libs/errs"
)

const formType = "application/x-www-form-urlencoded"

func post(target, contentType, body string) *http.Request {
	r := httptest.NewRequest(http.MethodPost, target, strings.NewReader(body))
	if contentType != "" {
		r.Header.Set("Content-Type", contentType)
	}
	return r
}

func readBody(t *testing.T, r *http.Request) string {
	t.Helper()
	if r.Body == nil {
		return ""
	}
	b, err := io.ReadAll(r.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestUntunnel(t *testing.T) {
	tests := []struct {
		name       string
		r          *http.Request
		wantMethod string
		wantQuery  string
		wantBody   string
		wantKind   errs.Kind
	}{
		{name: "tunnelled GET", r: post("/v1/sites.json?term=x", formType, "method=GET&limit=5&type%5B%5D=a+b&page=1"),
			wantMethod: "GET", wantQuery: "term=x&limit=5&type%5B%5D=a+b&page=1"},
		{name: "tunnelled GET lower case", r: post("/v1/sites.json", formType+"; charset=UTF-8", "method=get&term=%C3%A9"),
			wantMethod: "GET", wantQuery: "term=%C3%A9"},
		{name: "tunnelled DELETE", r: post("/v1/sites/abc.json", formType, "method=DELETE"),
			wantMethod: "DELETE", wantQuery: ""},
		{name: "tunnelled PUT keeps body", r: post("/v1/account/contact.json", formType, "method=PUT&firstname=Jo"),
			wantMethod: "PUT", wantBody: "method=PUT&firstname=Jo"},
		{name: "tunnelled PATCH", r: post("/v1/x.json", formType, "firstname=Jo&method=patch"),
			wantMethod: "PATCH", wantBody: "firstname=Jo&method=patch"},
		{name: "tunnelled POST", r: post("/v1/sites.json", formType, "method=POST&code_site=a"),
			wantMethod: "POST", wantBody: "method=POST&code_site=a"},
		{name: "last method wins", r: post("/v1/x.json", formType, "method=PUT&method=GET&a=1"),
			wantMethod: "GET", wantQuery: "a=1"},
		{name: "form without method", r: post("/v1/sites.json", formType, "code_site=a"),
			wantMethod: "POST", wantBody: "code_site=a"},
		{name: "json untouched", r: post("/v1/sites.json", "application/json", `{"method":"GET"}`),
			wantMethod: "POST", wantBody: `{"method":"GET"}`},
		{name: "no content type untouched", r: post("/v1/sites.json", "", "method=GET"),
			wantMethod: "POST", wantBody: "method=GET"},
		{name: "GET untouched", r: httptest.NewRequest("GET", "/v1/sites.json?method=DELETE", nil),
			wantMethod: "GET", wantQuery: "method=DELETE"},
		{name: "odd escapes are made safe", r: post("/v1/x.json", formType, "method=GET&a=%zz&b=c d&%zz=1"),
			wantMethod: "GET", wantQuery: "a=%25zz&b=c+d&%25zz=1"},
		{name: "bad method", r: post("/v1/x.json", formType, "method=HEAD"), wantKind: errs.Invalid},
		{name: "empty method", r: post("/v1/x.json", formType, "method="), wantKind: errs.Invalid},
		{name: "malformed method", r: post("/v1/x.json", formType, "method=%zz"), wantKind: errs.Invalid},
		{name: "too large", r: post("/v1/x.json", formType, "method=GET&a="+strings.Repeat("x", DefaultTunnelLimit)), wantKind: errs.TooLarge},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Untunnel(tt.r)
			if tt.wantKind != "" {
				e, ok := err.(*errs.Error)
				if !ok || e.Kind != tt.wantKind {
					t.Fatalf("err = %v, want %s", err, tt.wantKind)
				}
				if tt.wantKind == errs.Invalid && e.Params["method"] == "" {
					t.Errorf("error does not name method: %v", e)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got.Method != tt.wantMethod || got.URL.RawQuery != tt.wantQuery {
				t.Errorf("got %s ?%s, want %s ?%s", got.Method, got.URL.RawQuery, tt.wantMethod, tt.wantQuery)
			}
			if got.RequestURI != "" && got.RequestURI != got.URL.RequestURI() {
				t.Errorf("RequestURI %q, URL %q", got.RequestURI, got.URL.RequestURI())
			}
			if body := readBody(t, got); body != tt.wantBody {
				t.Errorf("body %q, want %q", body, tt.wantBody)
			}
			if (got.Method == "GET" || got.Method == "DELETE") && got.Header.Get("Content-Type") != "" && got != tt.r {
				t.Errorf("Content-Type kept on a bodiless request")
			}
			if got.GetBody != nil && tt.wantBody != "" && got != tt.r {
				again, _ := got.GetBody()
				b, _ := io.ReadAll(again)
				if string(b) != tt.wantBody || got.ContentLength != int64(len(tt.wantBody)) {
					t.Errorf("GetBody %q, ContentLength %d", b, got.ContentLength)
				}
			}
		})
	}
}

func TestUntunnelLeavesOthersUnread(t *testing.T) {
	body := &countingReader{r: strings.NewReader(`{"a":1}`)}
	r := httptest.NewRequest(http.MethodPut, "/v1/x.json", body)
	r.Header.Set("Content-Type", formType)
	got, err := Untunnel(r)
	if err != nil || got != r || body.n != 0 {
		t.Errorf("got %p (in %p), err %v, %d bytes read", got, r, err, body.n)
	}
}

type countingReader struct {
	r io.Reader
	n int
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += n
	return n, err
}

func TestUntunnelIdempotent(t *testing.T) {
	tests := []struct{ body, wantBody string }{
		{"method=GET&a=1", ""},
		{"method=DELETE", ""},
		{"method=PUT&a=1", "method=PUT&a=1"},
		{"method=POST&a=1", "method=POST&a=1"},
		{"a=1", "a=1"},
	}
	for _, tt := range tests {
		once, err := Untunnel(post("/v1/x.json?z=9", formType, tt.body))
		if err != nil {
			t.Fatal(err)
		}
		method, u := once.Method, once.URL.String()
		twice, err := Untunnel(once)
		if err != nil {
			t.Fatal(err)
		}
		if twice.Method != method || twice.URL.String() != u || readBody(t, twice) != tt.wantBody {
			t.Errorf("%q: %s %s then %s %s", tt.body, method, u, twice.Method, twice.URL)
		}
	}
}

func TestUntunnelLimit(t *testing.T) {
	if _, err := UntunnelLimit(post("/v1/x.json", formType, "method=GET&a=123456"), 10); errs.KindOf(err) != errs.TooLarge {
		t.Errorf("err = %v, want TooLarge", err)
	}
	r := post("/v1/x.json", formType, "method=GET&a=123456")
	r.ContentLength = -1 // unknown length: the read enforces the limit
	if _, err := UntunnelLimit(r, 10); errs.KindOf(err) != errs.TooLarge {
		t.Errorf("err = %v, want TooLarge", err)
	}
	r = post("/v1/x.json", formType, "method=GET&a=123456")
	r.Body = http.MaxBytesReader(httptest.NewRecorder(), r.Body, 5)
	r.ContentLength = -1
	if _, err := Untunnel(r); errs.KindOf(err) != errs.TooLarge {
		t.Errorf("err = %v, want TooLarge from an outer limit", err)
	}
	if got, err := UntunnelLimit(post("/v1/x.json", formType, "method=GET&a=1"), 0); err != nil || got.Method != "GET" {
		t.Errorf("limit 0: %v %v", got, err)
	}
}

func FuzzUntunnel(f *testing.F) {
	for _, s := range []string{"method=GET&a=1", "method=put&b[]=2", "method=DELETE", "a=1", "method=HEAD", "method=%zz", "=&&=", "method=GET&%zz=%zz", "method=GET&a=b;c"} {
		f.Add("z=1", s)
	}
	f.Add("\x00", "method=GET")
	f.Fuzz(func(t *testing.T, query, body string) {
		r := httptest.NewRequest(http.MethodPost, "/v1/x.json", strings.NewReader(body))
		r.URL.RawQuery = query
		r.Header.Set("Content-Type", formType)
		once, err := UntunnelLimit(r, 4096)
		if err != nil {
			if _, ok := err.(*errs.Error); !ok {
				t.Fatalf("error %T", err)
			}
			return
		}
		switch once.Method {
		case "GET", "POST", "PUT", "DELETE", "PATCH":
		default:
			t.Fatalf("method %q", once.Method)
		}
		_, qerr := http.NewRequest("GET", "http://h/?"+query, nil)
		if (once.Method == "GET" || once.Method == "DELETE") && qerr == nil {
			if _, perr := http.NewRequest(once.Method, "http://h"+once.URL.RequestURI(), nil); perr != nil {
				t.Fatalf("unusable URL %q: %v", once.URL.RequestURI(), perr)
			}
		}
		twice, err := UntunnelLimit(once, 4096)
		if err != nil {
			t.Fatalf("second pass: %v", err)
		}
		if twice.Method != once.Method || twice.URL.String() != once.URL.String() {
			t.Fatalf("not idempotent: %s %s then %s %s", once.Method, once.URL, twice.Method, twice.URL)
		}
	})
}
