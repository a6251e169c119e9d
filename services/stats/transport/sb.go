package transport

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/hostplane/hostplane/libs/dialect/sb"
	"github.com/hostplane/hostplane/libs/errs"
	"github.com/hostplane/hostplane/libs/httpkit"
	"github.com/hostplane/hostplane/services/stats/activity"
	"github.com/hostplane/hostplane/services/stats/quota"
	"github.com/hostplane/hostplane/services/stats/traffic"
)

// Endpoints are every endpoint the transports mount.
type Endpoints struct {
	Traffic  traffic.Endpoints
	Activity activity.Endpoints
	Quota    quota.Endpoints
}

// MountSB mounts the sb statistics routes under /v1/sites/{code}/:
// logs.json, stats.json, stats/live.json, stats/report.json,
// stats/usage.json, stats/collect.json (GET) and events.json (POST).
func MountSB(r *httpkit.Router, e Endpoints) {
	const site = "/v1/sites/{code}"
	code := func(r *http.Request) string { return r.PathValue("code") }
	bySite := func(r *http.Request) (any, error) { return traffic.SiteRequest{Code: code(r)}, nil }
	data := func(view func(any) any) httpkit.Encoder {
		return func(w http.ResponseWriter, r *http.Request, resp any) error {
			sb.WriteData(w, r, http.StatusOK, view(resp))
			return nil
		}
	}

	r.Handle(http.MethodGet, site+"/logs.json", httpkit.Endpoint(e.Activity.List, func(r *http.Request) (any, error) {
		q, err := logsQuery(r.URL.Query())
		return activity.ListRequest{Code: code(r), Query: q}, err
	}, func(w http.ResponseWriter, r *http.Request, resp any) error {
		lr := resp.(activity.ListResponse)
		views := make([]sbActivity, len(lr.Entries))
		for i, en := range lr.Entries {
			views[i] = activityView(en)
		}
		p, _ := sb.ParsePage(r.URL.Query())
		sb.WriteList(w, r, views, lr.Total, p)
		return nil
	}, sb.WriteError))

	r.Handle(http.MethodGet, site+"/stats.json", httpkit.Endpoint(e.Traffic.Stats, bySite,
		data(func(v any) any { return statsView(v.(traffic.SiteStats)) }), sb.WriteError))
	r.Handle(http.MethodGet, site+"/stats/live.json", httpkit.Endpoint(e.Traffic.Live, bySite,
		data(func(v any) any { return sbLive{Visitors: v.(traffic.LiveResponse).Visitors} }), sb.WriteError))
	r.Handle(http.MethodGet, site+"/stats/report.json", httpkit.Endpoint(e.Traffic.Report, func(r *http.Request) (any, error) {
		req := traffic.ReportRequest{Code: code(r)}
		var c errs.Collector
		q := r.URL.Query()
		req.Start = day(&c, q, "start_date")
		req.End = day(&c, q, "end_date")
		return req, c.Err()
	}, data(func(v any) any { return reportView(v.(traffic.Report)) }), sb.WriteError))
	r.Handle(http.MethodGet, site+"/stats/usage.json", httpkit.Endpoint(e.Quota.Usage, func(r *http.Request) (any, error) {
		_, err := extraFields(r.URL.Query())
		return quota.UsageRequest{Code: code(r)}, err
	}, func(w http.ResponseWriter, r *http.Request, resp any) error {
		extra, _ := extraFields(r.URL.Query())
		sb.WriteData(w, r, http.StatusOK, usageView(resp.(quota.Usage), extra))
		return nil
	}, sb.WriteError))
	r.Handle(http.MethodGet, site+"/stats/collect.json", httpkit.Endpoint(e.Traffic.CollectKey, bySite,
		data(func(v any) any {
			c := v.(traffic.CollectInfo)
			return sbCollect{CodeSite: c.Site, PublicKey: c.Key, BeaconURL: CollectPath}
		}), sb.WriteError))

	r.Handle(http.MethodPost, site+"/events.json", httpkit.Endpoint(e.Traffic.Ingest, func(r *http.Request) (any, error) {
		in, err := decodeBatch(r)
		return traffic.IngestEndpointRequest{Code: code(r), In: in}, err
	}, func(w http.ResponseWriter, r *http.Request, resp any) error {
		a := resp.(traffic.Appended)
		status := http.StatusCreated
		if a.Replayed {
			status = http.StatusOK
			w.Header().Set("Idempotent-Replayed", "true")
		}
		sb.WriteData(w, r, status, sbAccepted{Accepted: a.Accepted})
		return nil
	}, sb.WriteError))
}

// values are the values of a list parameter however it is sent: name,
// name[] or name[i], repeated or comma-separated.
func values(q url.Values, name string) []string {
	var out []string
	for k, vs := range q {
		if k != name && !strings.HasPrefix(k, name+"[") {
			continue
		}
		for _, v := range vs {
			for _, part := range strings.Split(v, ",") {
				if part = strings.TrimSpace(part); part != "" {
					out = append(out, part)
				}
			}
		}
	}
	return out
}

// day reads an optional date parameter (DD/MM/YYYY or YYYY-MM-DD).
func day(c *errs.Collector, q url.Values, name string) time.Time {
	s := strings.TrimSpace(q.Get(name))
	if s == "" {
		return time.Time{}
	}
	d, err := sb.ParseDate(s)
	if err != nil {
		c.Invalid(name, "Invalid date: expected DD/MM/YYYY or YYYY-MM-DD.")
	}
	return d
}

// sinceLayouts are the written forms of logs.json's since beyond a day.
var sinceLayouts = []string{sb.DateLayout, time.RFC3339, "02/01/2006 15:04:05"}

func logsQuery(q url.Values) (activity.Query, error) {
	var out activity.Query
	var c errs.Collector
	p, err := sb.ParsePage(q)
	if err != nil {
		return out, err
	}
	out.Offset, out.Limit = p.Offset(), p.Limit
	out.Types = values(q, "type")
	for _, t := range out.Types {
		if !contains(activity.Types, t) {
			c.Invalid("type", "Must be one of: "+strings.Join(activity.Types, ", ")+".")
		}
	}
	if s := strings.TrimSpace(q.Get("since")); s != "" {
		if d, err := sb.ParseDate(s); err == nil {
			out.Since = d
		} else {
			ok := false
			for _, l := range sinceLayouts {
				if t, err := time.Parse(l, s); err == nil {
					out.Since, ok = t.UTC(), true
					break
				}
			}
			if !ok {
				c.Invalid("since", "Invalid date: expected DD/MM/YYYY, YYYY-MM-DD or YYYY-MM-DD HH:MM:SS.")
			}
		}
	}
	return out, c.Err()
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// extraFieldNames are usage.json's extra_fields values.
var extraFieldNames = []string{"bp", "api_pfo", "forms", "products", "users"}

func extraFields(q url.Values) (map[string]bool, error) {
	out := map[string]bool{}
	for _, v := range values(q, "extra_fields") {
		if !contains(extraFieldNames, v) {
			return nil, errs.InvalidField("extra_fields", "Must be among: "+strings.Join(extraFieldNames, ", ")+".")
		}
		out[v] = true
	}
	return out, nil
}

// sbActivity is a log entry as sb shows it.
type sbActivity struct {
	ActivityID     int64  `json:"activity_id"`
	Text           string `json:"text"`
	URN            string `json:"urn"`
	Type           string `json:"type"`
	UserName       string `json:"user_name"`
	UserProfil     string `json:"user_profil"`
	AvatarURL      string `json:"avatar_url"`
	AvatarThumbURL string `json:"avatar_thumb_url"`
	CustomerID     *int64 `json:"customer_id"`
	CreationDate   string `json:"creation_date"`
}

func activityView(e activity.Entry) sbActivity {
	v := sbActivity{ActivityID: e.ID, Text: e.Text, URN: e.URN, Type: e.Type, UserName: e.UserName, UserProfil: e.UserProfil,
		AvatarURL: e.AvatarURL, AvatarThumbURL: e.AvatarURL, CreationDate: sb.FormatDate(e.At)}
	if e.CustomerID != 0 {
		id := e.CustomerID
		v.CustomerID = &id
	}
	return v
}

// decimal renders minor units as a JSON number with the currency's
// decimals ("29.90" is written 29.90).
func decimal(minor int64, currency string) json.Number {
	return json.Number(traffic.Decimal(minor, currency))
}

type sbStats struct {
	Forms struct {
		UnreadResponses int64 `json:"unread_responses"`
	} `json:"forms"`
	Checkout struct {
		PendingOrders              int64       `json:"pending_orders"`
		PendingOrdersAmount        json.Number `json:"pending_orders_amount"`
		PendingOrdersAmountLabel   string      `json:"pending_orders_amount_label"`
		AverageCart                json.Number `json:"average_cart"`
		AverageCartLabel           string      `json:"average_cart_label"`
		MonthlyTransformation      json.Number `json:"monthly_transformation"`
		MonthlyTransformationLabel string      `json:"monthly_transformation_label"`
		Currency                   string      `json:"currency"`
		MonthlyOrders              int64       `json:"monthly_orders"`
		MonthlyVisits              int64       `json:"monthly_visits"`
	} `json:"checkout"`
	Catalog struct {
		StockShortageCount int64 `json:"stock_shortage_count"`
		RefillableCount    int64 `json:"refillable_count"`
	} `json:"catalog"`
}

func statsView(s traffic.SiteStats) sbStats {
	var v sbStats
	v.Forms.UnreadResponses = s.UnreadResponses
	c := &v.Checkout
	c.PendingOrders = s.PendingOrders
	c.PendingOrdersAmount, c.PendingOrdersAmountLabel = decimal(s.PendingAmount, s.Currency), traffic.Label(s.PendingAmount, s.Currency)
	c.AverageCart, c.AverageCartLabel = decimal(s.AverageCart, s.Currency), traffic.Label(s.AverageCart, s.Currency)
	pct := fmt.Sprintf("%d.%02d", s.Transformation/100, s.Transformation%100)
	c.MonthlyTransformation, c.MonthlyTransformationLabel = json.Number(pct), pct+" %"
	c.Currency, c.MonthlyOrders, c.MonthlyVisits = s.Currency, s.PaidOrders, s.Visits
	v.Catalog.StockShortageCount, v.Catalog.RefillableCount = s.StockShortage, s.Refillable
	return v
}

type sbLive struct {
	Visitors int64 `json:"visitors"`
}

type sbReportDay struct {
	Date      string      `json:"date"`
	Pageviews int64       `json:"pageviews"`
	Visitors  int64       `json:"visitors"`
	APIHits   int64       `json:"api_hits"`
	Sales     json.Number `json:"sales"`
}

type sbOtherSales struct {
	Currency   string      `json:"currency"`
	Sales      json.Number `json:"sales"`
	SalesLabel string      `json:"sales_label"`
	Orders     int64       `json:"orders"`
}

type sbReport struct {
	StartDate  string         `json:"start_date"`
	EndDate    string         `json:"end_date"`
	Visitors   int64          `json:"visitors"`
	Pageviews  int64          `json:"pageviews"`
	APIHits    int64          `json:"api_hits"`
	Sales      json.Number    `json:"sales"`
	SalesLabel string         `json:"sales_label"`
	Currency   string         `json:"currency"`
	OtherSales []sbOtherSales `json:"other_sales,omitempty"`
	Days       []sbReportDay  `json:"days"`
}

func reportView(r traffic.Report) sbReport {
	v := sbReport{StartDate: sb.FormatDay(r.Start), EndDate: sb.FormatDay(r.End), Visitors: r.Totals.Visits,
		Pageviews: r.Totals.Pageviews, APIHits: r.Totals.APIHits, Sales: decimal(r.Sales, r.Currency),
		SalesLabel: traffic.Label(r.Sales, r.Currency), Currency: r.Currency, Days: make([]sbReportDay, len(r.Days))}
	for i, d := range r.Days {
		v.Days[i] = sbReportDay{Date: sb.FormatDay(d.Date), Pageviews: d.Pageviews, Visitors: d.Visits, APIHits: d.APIHits,
			Sales: decimal(r.DaySales[i], r.Currency)}
	}
	for _, m := range r.OtherSales {
		v.OtherSales = append(v.OtherSales, sbOtherSales{Currency: m.Currency, Sales: decimal(m.Amount, m.Currency),
			SalesLabel: traffic.Label(m.Amount, m.Currency), Orders: m.Orders})
	}
	return v
}

type sbQuota struct {
	Used      int64 `json:"used"`
	Free      int64 `json:"free"`
	Total     int64 `json:"total"`
	Unlimited bool  `json:"unlimited"`
}

type sbSpace struct {
	Medias int64 `json:"medias"`
	Datas  int64 `json:"datas"`
	FTP    int64 `json:"ftp"`
	sbQuota
}

type sbUsage struct {
	Space     sbSpace  `json:"space"`
	Bandwidth *sbQuota `json:"bandwidth,omitempty"`
	APIPFO    *sbQuota `json:"api_pfo,omitempty"`
	Forms     *sbQuota `json:"forms,omitempty"`
	Products  *sbQuota `json:"products,omitempty"`
	Users     *sbQuota `json:"users,omitempty"`
}

func quotaView(q quota.Quota) *sbQuota {
	return &sbQuota{Used: q.Used, Free: q.Free, Total: q.Total, Unlimited: q.Unlimited}
}

func usageView(u quota.Usage, extra map[string]bool) sbUsage {
	v := sbUsage{Space: sbSpace{Medias: u.Medias, Datas: u.Datas, FTP: u.FTP, sbQuota: *quotaView(u.Space)}}
	if extra["bp"] {
		v.Bandwidth = quotaView(u.Bandwidth)
	}
	if extra["api_pfo"] {
		v.APIPFO = quotaView(u.APIPFO)
	}
	if extra["forms"] {
		v.Forms = quotaView(u.Forms)
	}
	if extra["products"] {
		v.Products = quotaView(u.Products)
	}
	if extra["users"] {
		v.Users = quotaView(u.Users)
	}
	return v
}

type sbCollect struct {
	CodeSite  string `json:"code_site"`
	PublicKey string `json:"public_key"`
	BeaconURL string `json:"beacon_url"`
}

type sbAccepted struct {
	Accepted int `json:"accepted"`
}
