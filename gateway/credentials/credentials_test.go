package credentials

import (
	"encoding/base64"
	"errors"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestFrom(t *testing.T) {
	basic := func(s string) string { return "Basic " + base64.StdEncoding.EncodeToString([]byte(s)) }
	tests := []struct {
		name, target, auth string
		want               Credential
		malformed          bool
	}{
		{"basic", "/x", basic("k1:s1"), Credential{"k1", "s1", Basic}, false},
		{"basic secret with colon", "/x", basic("k1:s:1"), Credential{"k1", "s:1", Basic}, false},
		{"basic lower-case scheme", "/x", strings.Replace(basic("k1:s1"), "Basic", "basic", 1), Credential{"k1", "s1", Basic}, false},
		{"basic no colon", "/x", basic("k1s1"), Credential{}, true},
		{"basic bad base64", "/x", "Basic !!!", Credential{}, true},
		{"bearer", "/x", "Bearer k1.s1", Credential{"k1", "s1", Bearer}, false},
		{"bearer secret with dot", "/x", "Bearer k1.s.1", Credential{"k1", "s.1", Bearer}, false},
		{"bearer no dot", "/x", "Bearer k1s1", Credential{}, true},
		{"token", "/x", "token k1.s1", Credential{"k1", "s1", Token}, false},
		{"unknown scheme", "/x", "Digest abc", Credential{}, true},
		{"header wins over query", "/x?api_key=q&api_secret=q", "Bearer k1.s1", Credential{"k1", "s1", Bearer}, false},
		{"query", "/x?api_key=k1&api_secret=s1", "", Credential{"k1", "s1", Query}, false},
		{"query dashes", "/x?api-key=k1&api-secret=s1", "", Credential{"k1", "s1", Query}, false},
		{"query half", "/x?api_key=k1", "", Credential{}, true},
		{"none", "/x?page=2", "", Credential{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest("GET", tt.target, nil)
			if tt.auth != "" {
				r.Header.Set("Authorization", tt.auth)
			}
			got, err := From(r)
			var m Malformed
			if tt.malformed != errors.As(err, &m) {
				t.Fatalf("err = %v, malformed want %v", err, tt.malformed)
			}
			if got != tt.want {
				t.Fatalf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestStripQuery(t *testing.T) {
	tests := map[string]string{
		"":                                    "",
		"page=2":                              "page=2",
		"api_key=k&api_secret=s":              "",
		"page=2&api_key=k&api_secret=s&x=1":   "page=2&x=1",
		"api-key=k&api%5Fsecret=s&search=a+b": "search=a+b",
		"apiary=1":                            "apiary=1",
	}
	for in, want := range tests {
		if got := StripQuery(in); got != want {
			t.Errorf("StripQuery(%q) = %q, want %q", in, got, want)
		}
	}
}

func FuzzFrom(f *testing.F) {
	f.Add("Basic "+base64.StdEncoding.EncodeToString([]byte("k:s")), "api_key=a&api_secret=b")
	f.Add("Bearer a.b", "")
	f.Add("token .", "api-key=&api-secret=x")
	f.Add("", "%zz")
	f.Fuzz(func(t *testing.T, auth, query string) {
		r := httptest.NewRequest("GET", "/x", nil)
		r.URL.RawQuery = query
		if auth != "" {
			r.Header["Authorization"] = []string{auth}
		}
		c, err := From(r)
		if err == nil && c.Scheme != None && (c.APIKey == "" || c.Secret == "") {
			t.Fatalf("accepted an empty half: %+v", c)
		}
		stripped := StripQuery(query)
		if strings.Contains(stripped, "api_secret=") && !strings.Contains(query, "api_secret=") {
			t.Fatal("StripQuery invented a secret")
		}
	})
}
