package decode

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/hostplane/hostplane/libs/errs"
)

// mustBeErrs fails unless err is nil or an *errs.Error.
func mustBeErrs(t *testing.T, err error) {
	t.Helper()
	if err == nil {
		return
	}
	if _, ok := err.(*errs.Error); !ok {
		t.Fatalf("error %v is %T, not *errs.Error", err, err)
	}
}

func FuzzBodyJSON(f *testing.F) {
	for _, s := range []string{
		``, `{}`, `null`, `[]`, `{"name":"a","count":1,"tags":["x"],"addr":{"city":"c"}}`,
		`{"count":"x"}`, `{"name":`, `{"a":1} x`, `{"zzz":1}`, `{"when":"bad"}`, `{"amount":1e400}`,
		`{"extra":{"a":[1,{"b":null}]}}`, strings.Repeat("[", 10001), `{"raw":{"a":1}}`, "\xff",
	} {
		f.Add(s, false, int64(0))
		f.Add(s, true, int64(16))
	}
	f.Fuzz(func(t *testing.T, body string, strict bool, max int64) {
		r := httptest.NewRequest(http.MethodPost, "/x", strings.NewReader(body))
		r.Header.Set("Content-Type", "application/json")
		var dst target
		mustBeErrs(t, Body(r, &dst, Options{DisallowUnknown: strict, MaxBytes: max}))
	})
}

func FuzzBodyForm(f *testing.F) {
	for _, s := range []string{
		``, `name=a`, `a[b][c]=1`, `tags[]=x&tags[]=y`, `ids[0]=1&ids[5]=2`, `addrs[][city]=x`,
		`addr=1&addr[city]=2`, `meta[a][b]=1`, `extra[x][]=1&extra[x][y]=2`, `any[0]=a&any[a]=b`,
		`count=%zz`, `method=PUT`, `price=1e400`, `[]=1`, `a[]]=1`, `ids[-1]=3`, `ids[99999999999999999999]=1`,
		`a` + strings.Repeat("[]", 40) + `=1`, `when=2024-01-01T00:00:00Z`, `raw[a]=1`,
	} {
		f.Add(s, false, int64(0))
		f.Add(s, true, int64(32))
	}
	f.Fuzz(func(t *testing.T, body string, strict bool, max int64) {
		r := httptest.NewRequest(http.MethodPost, "/x", strings.NewReader(body))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		var dst target
		mustBeErrs(t, Body(r, &dst, Options{DisallowUnknown: strict, MaxBytes: max}))
		var m map[string]any
		r = httptest.NewRequest(http.MethodPost, "/x", strings.NewReader(body))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		mustBeErrs(t, Body(r, &m, Options{DisallowUnknown: strict}))
	})
}

func FuzzInt(f *testing.F) {
	for _, s := range []string{"", "1", "-1", "abc", "99999999999999999999", " 7 "} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, err := Int(url.Values{"n": {s}}, "n", 20, 1, 100)
		mustBeErrs(t, err)
		if n < 1 || n > 100 {
			t.Fatalf("Int gave %d outside [1, 100]", n)
		}
	})
}
