package gateway

import (
	"encoding/base64"
	"encoding/json"
	"net/netip"
	"strconv"

	"github.com/hostplane/hostplane/gateway/authcache"
	"github.com/hostplane/hostplane/libs/principal"
)

// prepared is what the gateway computes once per cached verification: the
// JSON of the key's principal without its per-request fields and closing
// brace, and the key's rate-limit bucket name.
type prepared struct {
	principalPrefix []byte
	limiterKey      string
	allowed         []netip.Prefix // nil: any address
	badAllowList    bool           // an unparseable allow-list admits nobody
}

// allows reports whether the key may be used from ip.
func (p *prepared) allows(ip string) bool {
	if p.badAllowList {
		return false
	}
	if p.allowed == nil {
		return true
	}
	a, err := netip.ParseAddr(ip)
	return err == nil && containsAddr(p.allowed, a.Unmap())
}

func prepare(id *authcache.Identity) {
	b, _ := json.Marshal(principal.Principal{
		KeyID: id.KeyID, KeyName: id.Name, AccountID: id.AccountID,
		CustomerID: id.CustomerID, Permissions: id.Permissions,
	})
	p := &prepared{principalPrefix: b[:len(b)-1], limiterKey: "key:" + id.APIKey}
	if len(id.AllowedIPs) > 0 {
		allowed, err := parsePrefixes(id.AllowedIPs)
		p.allowed, p.badAllowList = allowed, err != nil
	}
	id.Extra = p
}

func preparedOf(id *authcache.Identity) *prepared {
	p, ok := id.Extra.(*prepared)
	if !ok {
		prepare(id)
		p = id.Extra.(*prepared)
	}
	return p
}

// encodePrincipal completes the cached prefix with the request id and the
// limiter state, as principal.Decode reads it.
func encodePrincipal(id *authcache.Identity, requestID string, limit, remaining int) string {
	prefix := preparedOf(id).principalPrefix
	var stack [512]byte
	buf := stack[:0]
	buf = append(buf, prefix...)
	buf = append(buf, `,"rid":`...)
	buf = strconv.AppendQuote(buf, requestID)
	buf = append(buf, `,"rl":`...)
	buf = strconv.AppendInt(buf, int64(limit), 10)
	buf = append(buf, `,"rr":`...)
	buf = strconv.AppendInt(buf, int64(remaining), 10)
	buf = append(buf, '}')
	return base64.RawURLEncoding.EncodeToString(buf)
}
