package transport

import (
	"encoding/json"
	"net/http"

	"github.com/hostplane/hostplane/libs/dialect/decode"
	"github.com/hostplane/hostplane/libs/errs"
	"github.com/hostplane/hostplane/libs/httpkit"
	"github.com/hostplane/hostplane/libs/principal"
	"github.com/hostplane/hostplane/libs/upstream"
	"github.com/hostplane/hostplane/services/stats/apiusage"
	"github.com/hostplane/hostplane/services/stats/client"
)

// MountInternal mounts the routes other components call (never exposed by
// the gateway): POST /internal/v1/usage, the gateways' usage batches,
// which only a service-to-service call (a system principal) may send.
func MountInternal(r *httpkit.Router, e apiusage.Endpoints) {
	writeErr := func(w http.ResponseWriter, r *http.Request, err error) { upstream.WriteError(w, err) }
	r.Handle(http.MethodPost, client.UsagePath, httpkit.Endpoint(e.Record, func(r *http.Request) (any, error) {
		if p := principal.From(r.Context()); p == nil || !p.System {
			return nil, errs.New(errs.Forbidden, "Only Hostplane's components may report usage.")
		}
		var u client.Usage
		err := decode.Body(r, &u, decode.Options{})
		return u, err
	}, func(w http.ResponseWriter, r *http.Request, resp any) error {
		rec := resp.(apiusage.Recorded)
		w.Header().Set("Content-Type", "application/json")
		return json.NewEncoder(w).Encode(map[string]int{"hits": rec.Hits, "writes": rec.Writes, "dropped": rec.Dropped})
	}, writeErr))
}
