package transport

import (
	"encoding/json"
	"net/http"

	"github.com/hostplane/hostplane/libs/dialect/cx"
	"github.com/hostplane/hostplane/libs/httpkit"
	"github.com/hostplane/hostplane/services/stats/statistics"
	"github.com/hostplane/hostplane/services/stats/traffic"
)

// MountCX mounts GET /api/application/statistics.
func MountCX(r *httpkit.Router, e statistics.Endpoints) {
	r.Handle(http.MethodGet, "/api/application/statistics", httpkit.Endpoint(e.Get,
		func(*http.Request) (any, error) { return nil, nil },
		func(w http.ResponseWriter, r *http.Request, resp any) error {
			cx.WriteItem(w, r, http.StatusOK, statisticsView(resp.(statistics.Statistics)))
			return nil
		}, cx.WriteError))
}

type cxCustomers struct {
	Total     int64 `json:"total"`
	Active    int64 `json:"active"`
	Suspended int64 `json:"suspended"`
	Pending   int64 `json:"pending"`
	Confirmed int64 `json:"confirmed"`
	Banned    int64 `json:"banned"`
}

type cxRevenue struct {
	Currency string      `json:"currency"`
	Total    json.Number `json:"total"`
	Label    string      `json:"label"`
	Payments int64       `json:"payments"`
}

type cxStatistics struct {
	Customers cxCustomers      `json:"customers"`
	Services  map[string]int64 `json:"services"`
	Revenue   []cxRevenue      `json:"revenue"`
}

func statisticsView(s statistics.Statistics) cxStatistics {
	c := s.Customers
	v := cxStatistics{
		Customers: cxCustomers{Total: c.Total, Active: c.Active, Suspended: c.Suspended, Pending: c.Pending,
			Confirmed: c.Confirmed, Banned: c.Banned},
		Services: map[string]int64{"total": s.Total},
		Revenue:  make([]cxRevenue, len(s.Revenue)),
	}
	for st, n := range s.Services {
		v.Services[st] = n
	}
	for i, r := range s.Revenue {
		v.Revenue[i] = cxRevenue{Currency: r.Currency, Total: decimal(r.Total, r.Currency),
			Label: traffic.Label(r.Total, r.Currency), Payments: r.Payments}
	}
	return v
}
