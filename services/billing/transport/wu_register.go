package transport

import (
	"net/http"

	"github.com/hostplane/hostplane/libs/dialect/wu"
	"github.com/hostplane/hostplane/libs/httpkit"
	"github.com/hostplane/hostplane/services/billing/checkout"
)

// registerView is the answer to POST /register (reference 26).
type registerView struct {
	Customer   customerView   `json:"customer"`
	Membership membershipView `json:"membership"`
	Payment    paymentView    `json:"payment"`
	Site       *siteView      `json:"site"`
}

// mountWURegister mounts GET /register (is registration open) and POST
// /register (checkout), which honours Idempotency-Key.
func mountWURegister(r *httpkit.Router, e checkout.Endpoints, rt Retries) {
	const path = wuPrefix + "register"
	r.HandleFunc(http.MethodGet, path, func(w http.ResponseWriter, _ *http.Request) {
		wu.WriteJSON(w, http.StatusOK, map[string]string{"registration_status": "open"})
	})
	r.Handle(http.MethodPost, path, idempotent(rt, httpkit.Endpoint(e.Register, func(r *http.Request) (any, error) {
		return readRegister(r)
	}, func(w http.ResponseWriter, _ *http.Request, resp any) error {
		res := resp.(checkout.Result)
		v := registerView{Customer: wuView(res.Customer), Membership: wuMembership(res.Membership), Payment: wuPayment(res.Payment)}
		if res.Site != nil {
			s := wuSite(*res.Site, res.TemplateID)
			v.Site = &s
		}
		wu.WriteJSON(w, http.StatusOK, v)
		return nil
	}, wu.WriteError)))
}
