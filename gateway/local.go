package gateway

import (
	"net/http"
	"time"

	"github.com/hostplane/hostplane/gateway/authcache"
	"github.com/hostplane/hostplane/gateway/ratelimit"
	"github.com/hostplane/hostplane/gateway/routes"
	"github.com/hostplane/hostplane/libs/dialect/cx"
	"github.com/hostplane/hostplane/libs/dialect/sb"
	"github.com/hostplane/hostplane/libs/dialect/wu"
	"github.com/hostplane/hostplane/libs/errs"
)

// local answers the routes the gateway owns.
func (g *Gateway) local(w http.ResponseWriter, r *http.Request, rt *routes.Route, id *authcache.Identity, quota ratelimit.Result) error {
	switch rt.Pattern {
	case "/wp-json/wu/v2/auth":
		wu.WriteJSON(w, http.StatusOK, wuAuth{Success: true, Label: g.cfg.Name, Message: "Welcome to our API"})
		return nil
	case "/api/application/health":
		rep := g.health.report(r.Context())
		status := http.StatusOK
		if rep.Status != "ok" {
			status = http.StatusServiceUnavailable
		}
		cx.WriteJSON(w, r, status, rep)
		return nil
	case "/v1/rate.json":
		sb.WriteData(w, r, http.StatusOK, sbRate{
			RateLimit: quota.Limit, RateRemaining: quota.Remaining,
			RateReset: int((quota.ResetAfter + time.Second - 1) / time.Second),
		})
		return nil
	}
	return errs.New(errs.NoRoute, "No route was found matching the URL and request method.")
}

// wuAuth is the answer of wu GET /auth, in the plugin's field order.
type wuAuth struct {
	Success bool   `json:"success"`
	Label   string `json:"label"`
	Message string `json:"message"`
}

// sbRate is the answer of sb GET /v1/rate.json.
type sbRate struct {
	RateLimit     int `json:"rate_limit"`
	RateRemaining int `json:"rate_remaining"`
	RateReset     int `json:"rate_reset"`
}
