package gateway

import (
	"encoding/base64"
	"encoding/json"
	"strconv"

	"github.com/hostplane/hostplane/gateway/authcache"
	"github.com/hostplane/hostplane/libs/principal"
)

// principalPrefix is the JSON of a key's principal without its per-request
// fields and closing brace, computed once per cached verification.
type principalPrefix []byte

func preparePrincipal(id *authcache.Identity) {
	b, _ := json.Marshal(principal.Principal{
		KeyID: id.KeyID, KeyName: id.Name, AccountID: id.AccountID,
		CustomerID: id.CustomerID, Permissions: id.Permissions,
	})
	id.Extra = principalPrefix(b[:len(b)-1])
}

// encodePrincipal completes the cached prefix with the request id and the
// limiter state, as principal.Decode reads it.
func encodePrincipal(id *authcache.Identity, requestID string, limit, remaining int) string {
	prefix, _ := id.Extra.(principalPrefix)
	if prefix == nil {
		preparePrincipal(id)
		prefix = id.Extra.(principalPrefix)
	}
	buf := make([]byte, 0, len(prefix)+64+len(requestID))
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
