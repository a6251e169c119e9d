package transport

import (
	"net/http"

	"github.com/hostplane/hostplane/libs/dialect/httpio"
	"github.com/hostplane/hostplane/libs/httpkit"
	"github.com/hostplane/hostplane/libs/upstream"
	"github.com/hostplane/hostplane/services/billing/client"
	"github.com/hostplane/hostplane/services/billing/customers"
)

// MountInternal mounts the routes other services call (never exposed by the
// gateway): GET /internal/v1/customers/{id}.
func MountInternal(r *httpkit.Router, e customers.Endpoints) {
	writeErr := func(w http.ResponseWriter, _ *http.Request, err error) { upstream.WriteError(w, err) }
	r.Handle(http.MethodGet, client.CustomersPath+"{id}", httpkit.Endpoint(e.Get, decodeID,
		func(w http.ResponseWriter, _ *http.Request, resp any) error {
			return httpio.WriteJSON(w, http.StatusOK, internalView(resp.(customers.Customer)))
		}, writeErr))
}

func internalView(c customers.Customer) client.Customer {
	v := client.Customer{
		ID: c.ID, UserID: c.UserID, Username: c.User.Username, Email: c.User.Email, DisplayName: c.User.DisplayName,
		Type: c.Type, Status: c.Status, EmailVerification: c.EmailVerification, HasTrialed: c.HasTrialed, VIP: c.VIP,
		IPs: c.IPs, ExtraInformation: c.ExtraInformation, SignupForm: c.SignupForm,
		DateRegistered: c.DateRegistered.UTC(), DateCreated: c.DateCreated.UTC(), DateModified: c.DateModified.UTC(),
	}
	if v.IPs == nil {
		v.IPs = []string{}
	}
	if c.LastLogin != nil {
		t := c.LastLogin.UTC()
		v.LastLogin = &t
	}
	return v
}
