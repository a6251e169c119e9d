package config

import (
	"net/url"
	"strings"
	"testing"
)

// FuzzMaskURL checks that the password of a well-formed URL never survives
// masking, alone or in a comma-separated list, and that other input is
// returned unchanged.
func FuzzMaskURL(f *testing.F) {
	seeds := []struct{ scheme, user, pass, host, rest string }{
		{"postgres", "hostplane", "s3cret", "db:5432", "/hostplane?sslmode=disable"},
		{"redis", "", "pw", "127.0.0.1:6379", "/0"},
		{"postgres", "u", "pa,ss", "h", "/db"},
		{"postgres", "u", "p@ss:w/rd?#", "h", ""},
		{"amqp", "guest", "with space", "[::1]:5672", "/vhost"},
		{"postgres", "u", "x", "h", "/db?password=other"},
	}
	for _, s := range seeds {
		f.Add(s.scheme, s.user, s.pass, s.host, s.rest)
	}
	f.Fuzz(func(t *testing.T, scheme, user, pass, host, rest string) {
		if len(pass) < 4 || !validScheme(scheme) || strings.ContainsAny(host, "/?#@,") {
			t.Skip()
		}
		raw := scheme + "://" + url.UserPassword(user, pass).String() + "@" + host + rest
		u, err := url.Parse(raw)
		if err != nil || u.User == nil {
			t.Skip() // not a URL (bad host or port)
		}
		if p, _ := u.User.Password(); p != pass {
			t.Skip()
		}
		encoded := strings.TrimPrefix(url.UserPassword("", pass).String(), ":")
		for _, in := range []string{raw, "redis://h:1/0," + raw, raw + ",redis://h:1/0"} {
			got := MaskURL(in)
			// The userinfo is what must go; the same text may legitimately
			// appear elsewhere (host, path), so look only before the host.
			if strings.Contains(got, ":"+encoded+"@") {
				t.Fatalf("MaskURL(%q) = %q leaks the password", in, got)
			}
			if !strings.Contains(got, ":****@") {
				t.Fatalf("MaskURL(%q) = %q, want the password replaced by ****", in, got)
			}
		}
	})
}

func validScheme(s string) bool {
	if s == "" || !(s[0] >= 'a' && s[0] <= 'z') {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '+' || r == '-' || r == '.') {
			return false
		}
	}
	return true
}

func TestMaskURLLeaks(t *testing.T) {
	tests := map[string]string{
		// RFC 3986 allows "," in a password unescaped: the list must not be
		// split inside it.
		"postgres://u:pa,ss@h/db":                 "postgres://u:****@h/db",
		"redis://:a,b,c@h:6379/0,redis://:d@h2/0": "redis://:****@h:6379/0,redis://:****@h2/0",
		// A password with reserved characters left unescaped makes the URL
		// unparseable; it must not reach a log either.
		"postgres://u:pa#ss@h/db":        "postgres://u:****@h/db",
		"postgres://u:p/w?d@h:5432/db":   "postgres://u:****@h:5432/db",
		"redis://:p@ss@h:6379/0":         "redis://:****@h:6379/0",
		"postgres://h:5432/x#frag":       "postgres://h:5432/x#frag",
		"postgres://h:bad port/no-at-db": "postgres://h:bad port/no-at-db",
		// Non-URL lists are left alone.
		"a,b,c":                "a,b,c",
		"x,postgres://u:p@h/d": "x,postgres://u:****@h/d",
		// The password query parameter is masked too.
		"postgres://h/db?password=secret&sslmode=disable": "postgres://h/db?password=%2A%2A%2A%2A&sslmode=disable",
	}
	for in, want := range tests {
		if got := MaskURL(in); got != want {
			t.Errorf("MaskURL(%q) = %q, want %q", in, got, want)
		}
	}
}

// FuzzMaskURLAny feeds arbitrary text: MaskURL never panics, and text
// without "://" comes back unchanged.
func FuzzMaskURLAny(f *testing.F) {
	for _, s := range []string{"", "plain", "a,b", "redis://:pw@h:1/0", "x://@", "://", "postgres://u:p#w@h", "a://b,c://d:e@f,g"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := MaskURL(s)
		if !strings.Contains(s, "://") && got != s {
			t.Fatalf("MaskURL(%q) = %q, want it unchanged", s, got)
		}
	})
}
