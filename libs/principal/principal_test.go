package principal

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

func TestAllows(t *testing.T) {
	tests := []struct {
		perms []string
		want  string
		ok    bool
	}{
		{[]string{"*"}, "customers:index", true},
		{[]string{"customers:*"}, "customers:delete", true},
		{[]string{"customers:*"}, "products:index", false},
		{[]string{"customers:index"}, "customers:index", true},
		{[]string{"customers:index"}, "customers:create", false},
		{[]string{"statitics"}, "statistics", true},
		{[]string{"statistics"}, "statitics", true},
		{[]string{"health"}, "health", true},
		{[]string{"health"}, "license", false},
		{nil, "health", false},
		{[]string{"customers:*"}, "customers", false},
	}
	for _, tt := range tests {
		if got := Allows(tt.perms, tt.want); got != tt.ok {
			t.Errorf("Allows(%v, %q) = %v, want %v", tt.perms, tt.want, got, tt.ok)
		}
	}
}

func TestSignVerify(t *testing.T) {
	s := NewSigner("secret")
	now := time.Unix(1_700_000_000, 0)
	s.now = func() time.Time { return now }
	p := &Principal{KeyID: 7, Permissions: []string{"*"}, CustomerID: 3, RequestID: "r1"}

	req := httptest.NewRequest(http.MethodGet, "/wp-json/wu/v2/customers/3?x=1", nil)
	if err := s.Apply(req.Header, req.Method, req.URL.Path, p); err != nil {
		t.Fatal(err)
	}
	got, err := s.Verify(req)
	if err != nil {
		t.Fatalf("Verify: %v", err)
	}
	if got.KeyID != 7 || got.CustomerID != 3 || got.RequestID != "r1" {
		t.Fatalf("got %+v", got)
	}

	tests := []struct {
		name   string
		mutate func(r *http.Request)
		verify *Signer
		want   error
	}{
		{"other path", func(r *http.Request) { r.URL.Path = "/wp-json/wu/v2/customers/4" }, s, ErrBadSig},
		{"other method", func(r *http.Request) { r.Method = http.MethodDelete }, s, ErrBadSig},
		{"forged principal", func(r *http.Request) {
			enc, _ := Encode(&Principal{KeyID: 7, Permissions: []string{"*"}})
			r.Header.Set(HeaderPrincipal, enc)
		}, s, ErrBadSig},
		{"missing", func(r *http.Request) { r.Header.Del(HeaderSignature) }, s, ErrMissing},
		{"other secret", func(r *http.Request) {}, &Signer{secret: []byte("other"), now: s.now}, ErrBadSig},
		{"too old", func(r *http.Request) {}, &Signer{secret: []byte("secret"), now: func() time.Time { return now.Add(61 * time.Second) }}, ErrExpired},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := req.Clone(req.Context())
			r.Header = req.Header.Clone()
			tt.mutate(r)
			if _, err := tt.verify.Verify(r); err != tt.want {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
		})
	}
}

func TestStripHeaders(t *testing.T) {
	h := http.Header{}
	h.Set("X-Hostplane-Principal", "x")
	h["x-hostplane-signature"] = []string{"y"}
	h.Set("X-Other", "z")
	StripHeaders(h)
	if len(h) != 1 || h.Get("X-Other") != "z" {
		t.Fatalf("headers left: %v", h)
	}
}

func FuzzDecode(f *testing.F) {
	enc, _ := Encode(&Principal{KeyID: 1, Permissions: []string{"*"}})
	f.Add(enc)
	f.Add("")
	f.Add("!!!")
	f.Fuzz(func(t *testing.T, s string) {
		p, err := Decode(s)
		if err == nil && p == nil {
			t.Fatal("nil principal without error")
		}
	})
}

func TestKnownAndSubset(t *testing.T) {
	for _, p := range []string{"*", "health", "statitics", "statistics", "license", "customers:index", "services:suspend", "keys:*"} {
		if !Known(p) {
			t.Errorf("Known(%q) = false", p)
		}
	}
	for _, p := range []string{"", "customers", "customers:fly", "nope:index", "products:suspend"} {
		if Known(p) {
			t.Errorf("Known(%q) = true", p)
		}
	}
	tests := []struct {
		have, want []string
		ok         bool
	}{
		{[]string{"*"}, []string{"customers:index", "*"}, true},
		{[]string{"customers:*"}, []string{"customers:index", "customers:*"}, true},
		{[]string{"customers:index"}, []string{"customers:delete"}, false},
		{[]string{"customers:index"}, []string{"*"}, false},
		{[]string{"customers:index", "customers:create", "customers:update", "customers:delete"}, []string{"customers:*"}, true},
		{[]string{"keys:create"}, []string{"keys:*"}, false},
	}
	for _, tt := range tests {
		if _, ok := Subset(tt.have, tt.want); ok != tt.ok {
			t.Errorf("Subset(%v, %v) = %v", tt.have, tt.want, ok)
		}
	}
}
