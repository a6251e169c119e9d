package transport

import (
	"net/http"
	"strings"

	"github.com/hostplane/hostplane/libs/dialect/sb"
)

// Untunnel undoes Kiubi's method tunnelling (a form POST with
// method=GET|PUT|DELETE) on sb paths before routing, for callers that
// reach the service without the gateway (which does the same). Bodies are
// read up to maxBody bytes.
func Untunnel(next http.Handler, maxBody int64) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost && strings.HasPrefix(r.URL.Path, "/v1/") {
			tunnelled, err := sb.UntunnelLimit(r, maxBody)
			if err != nil {
				sb.WriteError(w, r, err)
				return
			}
			r = tunnelled
		}
		next.ServeHTTP(w, r)
	})
}
