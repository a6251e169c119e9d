// Package credentials extracts an API credential from a request in every
// presentation the three dialects document, in this order: HTTP Basic
// (api_key:api_secret), Authorization Bearer or token (<api_key>.<api_secret>),
// then the api_key/api_secret (or api-key/api-secret) query parameters.
package credentials

import (
	"encoding/base64"
	"net/http"
	"net/url"
	"strings"
)

// Scheme says how a credential was presented.
type Scheme string

// The presentations the gateway accepts.
const (
	None   Scheme = ""
	Basic  Scheme = "basic"
	Bearer Scheme = "bearer"
	Token  Scheme = "token"
	Query  Scheme = "query"
)

// Credential is a presented key pair.
type Credential struct {
	APIKey, Secret string
	Scheme         Scheme
}

// Malformed is returned for a presented but unparseable credential (it is
// an authentication failure, not an absent credential).
type Malformed struct{ Scheme Scheme }

func (m Malformed) Error() string { return "malformed " + string(m.Scheme) + " credential" }

// QueryParams are the query parameter names that carry credentials; the
// gateway removes them before proxying.
var QueryParams = []string{"api_key", "api_secret", "api-key", "api-secret"}

// From extracts the credential of r. It returns (Credential{}, nil) when
// none is presented.
func From(r *http.Request) (Credential, error) {
	if h := r.Header.Get("Authorization"); h != "" {
		return fromHeader(h)
	}
	if r.URL.RawQuery == "" || !strings.Contains(r.URL.RawQuery, "api") {
		return Credential{}, nil
	}
	q := r.URL.Query()
	key, secret := first(q, "api_key", "api-key"), first(q, "api_secret", "api-secret")
	if key == "" && secret == "" {
		return Credential{}, nil
	}
	if key == "" || secret == "" {
		return Credential{}, Malformed{Query}
	}
	return Credential{APIKey: key, Secret: secret, Scheme: Query}, nil
}

func first(q url.Values, names ...string) string {
	for _, n := range names {
		if v := q.Get(n); v != "" {
			return v
		}
	}
	return ""
}

func fromHeader(h string) (Credential, error) {
	scheme, rest, _ := strings.Cut(strings.TrimSpace(h), " ")
	rest = strings.TrimSpace(rest)
	switch strings.ToLower(scheme) {
	case "basic":
		raw, err := base64.StdEncoding.DecodeString(rest)
		if err != nil {
			return Credential{}, Malformed{Basic}
		}
		key, secret, ok := strings.Cut(string(raw), ":")
		if !ok || key == "" || secret == "" {
			return Credential{}, Malformed{Basic}
		}
		return Credential{APIKey: key, Secret: secret, Scheme: Basic}, nil
	case "bearer":
		return fromToken(rest, Bearer)
	case "token":
		return fromToken(rest, Token)
	}
	return Credential{}, Malformed{Scheme(strings.ToLower(scheme))}
}

// fromToken splits <api_key>.<api_secret> at the first '.'.
func fromToken(tok string, s Scheme) (Credential, error) {
	key, secret, ok := strings.Cut(tok, ".")
	if !ok || key == "" || secret == "" {
		return Credential{}, Malformed{s}
	}
	return Credential{APIKey: key, Secret: secret, Scheme: s}, nil
}

// StripQuery removes the credential parameters from a raw query string,
// keeping every other parameter byte for byte.
func StripQuery(raw string) string {
	if raw == "" || !strings.Contains(raw, "api") {
		return raw
	}
	parts := strings.Split(raw, "&")
	out := parts[:0]
	for _, p := range parts {
		name, _, _ := strings.Cut(p, "=")
		if n, err := url.QueryUnescape(name); err == nil && isCredentialParam(n) {
			continue
		}
		out = append(out, p)
	}
	return strings.Join(out, "&")
}

func isCredentialParam(name string) bool {
	for _, q := range QueryParams {
		if name == q {
			return true
		}
	}
	return false
}
