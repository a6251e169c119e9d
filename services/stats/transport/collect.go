package transport

import (
	"bytes"
	"errors"
	"io"
	"mime"
	"net/http"

	"github.com/hostplane/hostplane/libs/dialect"
	"github.com/hostplane/hostplane/libs/dialect/decode"
	"github.com/hostplane/hostplane/libs/errs"
	"github.com/hostplane/hostplane/libs/httpkit"
	"github.com/hostplane/hostplane/services/stats/traffic"
)

// CollectPath and CollectAlias are the public pageview beacon; the gateway
// routes both, and both answer in the sb envelope (dialect.PathCollect).
const (
	CollectPath  = "/v1/collect.json"
	CollectAlias = dialect.PathCollect
)

// CollectRoutes are the beacon's routes, which need no credential (the
// ServeMux patterns component.Runtime.Public takes).
var CollectRoutes = []string{"POST " + CollectPath, "OPTIONS " + CollectPath, "POST " + CollectAlias, "OPTIONS " + CollectAlias}

// beaconBody is a beacon: JSON (navigator.sendBeacon sends it as
// text/plain), a form, or query parameters.
type beaconBody struct {
	Site      text `json:"site"`
	Key       text `json:"key"`
	VisitorID text `json:"visitor_id"`
	Path      text `json:"path"`
	Bytes     text `json:"bytes"`
	Visit     text `json:"visit"`
}

// MountCollect mounts the public beacon: POST /v1/collect.json (204; also
// /collect), limited per client address, and its CORS preflight (OPTIONS).
// Browsers call it from the sites' pages, on any origin.
func MountCollect(r *httpkit.Router, e traffic.Endpoints, limit *IPLimit) {
	cors := func(w http.ResponseWriter) {
		h := w.Header()
		h.Set("Access-Control-Allow-Origin", "*")
		h.Set("Access-Control-Allow-Methods", "POST, OPTIONS")
		h.Set("Access-Control-Allow-Headers", "Content-Type")
		h.Set("Access-Control-Max-Age", "86400")
	}
	preflight := func(w http.ResponseWriter, r *http.Request) {
		cors(w)
		w.WriteHeader(http.StatusNoContent)
	}
	serve := httpkit.Endpoint(e.Collect, decodeBeacon, func(w http.ResponseWriter, r *http.Request, _ any) error {
		w.WriteHeader(http.StatusNoContent)
		return nil
	}, dialect.WriteError)
	collect := func(w http.ResponseWriter, r *http.Request) {
		cors(w)
		if ok, wait := limit.Allow(clientIP(r)); !ok {
			dialect.WriteError(w, r, &errs.Error{Kind: errs.RateLimited, RetryAfter: wait, Message: "Too many beacons from your address."})
			return
		}
		serve.ServeHTTP(w, r)
	}
	for _, p := range []string{CollectPath, CollectAlias} {
		r.HandleFunc(http.MethodOptions, p, preflight)
		r.HandleFunc(http.MethodPost, p, collect)
	}
}

func decodeBeacon(r *http.Request) (any, error) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return nil, &errs.Error{Kind: errs.TooLarge, Message: "Request body too large.", Err: err}
		}
		return nil, errs.InvalidField("body", "The request body could not be read.")
	}
	req := r.Clone(r.Context())
	req.Body = io.NopCloser(bytes.NewReader(body))
	if media, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); media == "text/plain" || media == "" {
		req.Header.Set("Content-Type", "application/json")
	}
	var b beaconBody
	if err := decode.Body(req, &b, decode.Options{}); err != nil {
		return nil, err
	}
	var q beaconBody
	if err := decode.Query(r, &q, decode.Options{}); err != nil {
		return nil, err
	}
	or := func(a, b text) string {
		if a != "" {
			return string(a)
		}
		return string(b)
	}
	visit := or(b.Visit, q.Visit)
	return traffic.Beacon{Site: or(b.Site, q.Site), Key: or(b.Key, q.Key), VisitorID: or(b.VisitorID, q.VisitorID),
		Path: or(b.Path, q.Path), Bytes: or(b.Bytes, q.Bytes), Visit: visit == "true" || visit == "1"}, nil
}
