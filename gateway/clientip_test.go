package gateway

import (
	"net/http/httptest"
	"testing"

	"github.com/hostplane/hostplane/gateway/authcache"
)

func TestClientIP(t *testing.T) {
	trusted, _ := parsePrefixes([]string{"10.0.0.0/8", "127.0.0.1"})
	g := &Gateway{trusted: trusted}
	tests := []struct {
		name, remote string
		xff          []string
		want         string
	}{
		{"direct, header ignored", "203.0.113.9:5000", []string{"1.2.3.4"}, "203.0.113.9"},
		{"through a trusted proxy", "10.1.2.3:5000", []string{"198.51.100.7"}, "198.51.100.7"},
		{"a client's forged entry stays left", "10.1.2.3:5000", []string{"6.6.6.6, 198.51.100.7"}, "198.51.100.7"},
		{"two trusted hops", "127.0.0.1:5000", []string{"198.51.100.7, 10.9.9.9"}, "198.51.100.7"},
		{"several header lines", "10.1.2.3:5000", []string{"6.6.6.6", "198.51.100.7"}, "198.51.100.7"},
		{"only trusted addresses", "10.1.2.3:5000", []string{"10.2.2.2"}, "10.1.2.3"},
		{"no header", "10.1.2.3:5000", nil, "10.1.2.3"},
	}
	for _, tt := range tests {
		r := httptest.NewRequest("GET", "/", nil)
		r.RemoteAddr = tt.remote
		for _, v := range tt.xff {
			r.Header.Add("X-Forwarded-For", v)
		}
		if got := g.clientIP(r); got != tt.want {
			t.Errorf("%s: %q, want %q", tt.name, got, tt.want)
		}
	}
	if got := (&Gateway{}).clientIP(httptest.NewRequest("GET", "/", nil)); got != "192.0.2.1" {
		t.Errorf("no trusted proxies: %q", got)
	}
}

func TestKeyAllowList(t *testing.T) {
	tests := []struct {
		allowed []string
		ip      string
		ok      bool
	}{
		{nil, "203.0.113.9", true},
		{[]string{"203.0.113.0/24"}, "203.0.113.9", true},
		{[]string{"203.0.113.0/24"}, "198.51.100.7", false},
		{[]string{"198.51.100.7"}, "198.51.100.7", true},
		{[]string{"2001:db8::/32"}, "2001:db8::1", true},
		{[]string{"2001:db8::/32"}, "::ffff:203.0.113.9", false},
		{[]string{"198.51.100.7"}, "::ffff:198.51.100.7", true},
		{[]string{"not-a-cidr"}, "198.51.100.7", false},
	}
	for _, tt := range tests {
		id := &authcache.Identity{APIKey: "k", AllowedIPs: tt.allowed}
		prepare(id)
		if got := preparedOf(id).allows(tt.ip); got != tt.ok {
			t.Errorf("%v from %s: %v, want %v", tt.allowed, tt.ip, got, tt.ok)
		}
	}
}
