package transport

import (
	"encoding/json"
	"net/http"

	"github.com/hostplane/hostplane/libs/dialect/decode"
	"github.com/hostplane/hostplane/libs/httpkit"
	"github.com/hostplane/hostplane/libs/upstream"
	"github.com/hostplane/hostplane/services/auth/client"
	"github.com/hostplane/hostplane/services/auth/keys"
)

// MountInternal mounts the routes other components call (never exposed by
// the gateway): credential verification.
func MountInternal(r *httpkit.Router, e keys.Endpoints) {
	writeErr := func(w http.ResponseWriter, r *http.Request, err error) { upstream.WriteError(w, err) }
	r.Handle(http.MethodPost, client.VerifyPath, httpkit.Endpoint(e.Verify,
		func(r *http.Request) (any, error) {
			var b client.VerifyRequest
			if err := decode.Body(r, &b, decode.Options{DisallowUnknown: true}); err != nil {
				return nil, err
			}
			return keys.VerifyRequest{APIKey: b.APIKey, Secret: b.APISecret}, nil
		},
		func(w http.ResponseWriter, r *http.Request, resp any) error {
			return writeJSON(w, identityOf(resp.(keys.Key)))
		}, writeErr))
}

func identityOf(k keys.Key) client.Identity {
	id := client.Identity{
		KeyID: k.ID, AccountID: k.AccountID, Name: k.Name, APIKey: k.APIKey,
		Permissions: k.Permissions, CustomerID: k.CustomerID,
		RateLimit: k.RateLimit.Count, RatePeriod: k.RateLimit.Period,
	}
	if k.ExpiresAt != nil {
		t := k.ExpiresAt.UTC()
		id.ExpiresAt = &t
	}
	return id
}

func writeJSON(w http.ResponseWriter, v any) error {
	w.Header().Set("Content-Type", "application/json")
	return json.NewEncoder(w).Encode(v)
}
