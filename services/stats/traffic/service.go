package traffic

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"log/slog"
	"strings"
	"time"

	"github.com/hostplane/hostplane/libs/errs"
	"github.com/hostplane/hostplane/services/stats/activity"
	"github.com/hostplane/hostplane/services/stats/directory"
)

// Service takes a site's front-office events and reads its figures. Every
// method names the site by its code; a caller restricted to a customer
// sees only that customer's sites (others are not found).
type Service interface {
	// Ingest validates a batch whole and stores it, or none of it.
	Ingest(ctx context.Context, code string, in IngestRequest) (Appended, error)
	// Collect stores one pageview of the public beacon, checked against
	// the site's collect key.
	Collect(ctx context.Context, b Beacon) error
	// Report is the daily report between two days (zero: the last 30 days
	// to today), at most MaxReportDays.
	Report(ctx context.Context, code string, start, end time.Time) (Report, error)
	// Stats are the site's dashboard figures.
	Stats(ctx context.Context, code string) (SiteStats, error)
	// Live is the number of visitors seen in the last LiveWindow.
	Live(ctx context.Context, code string) (int64, error)
	// CollectKey is the public key a site's pages send with the beacon.
	CollectKey(ctx context.Context, code string) (CollectInfo, error)
}

// IngestRequest is a batch as a client sent it.
type IngestRequest struct {
	Events []RawEvent
	// IdempotencyKey (optional) makes a batch sent again count once;
	// Fingerprint identifies the request that first used it.
	IdempotencyKey string
	Fingerprint    []byte
}

// Beacon is one pageview sent by a site's pages to POST /collect.
type Beacon struct {
	Site      string // code_site
	Key       string // the site's collect key
	VisitorID string
	Path      string
	Bytes     string
	Visit     bool // the first pageview of a visit: counts a visit too
}

// CollectInfo is what a site's pages need to send beacons.
type CollectInfo struct {
	Site string
	Key  string
}

// Sites finds a site by code for the caller in ctx (directory.Directory).
type Sites interface {
	ByCode(ctx context.Context, code string) (directory.Site, error)
}

// Options tune the service.
type Options struct {
	// Currency is the default of orders and carts without one (EUR).
	Currency string
	// CollectSecret derives each site's collect key.
	CollectSecret string
	Now           func() time.Time
	Log           *slog.Logger
}

type service struct {
	store Store
	live  Live
	sites Sites
	opt   Options
}

// NewService returns the traffic service.
func NewService(store Store, live Live, sites Sites, opt Options) Service {
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.Currency == "" {
		opt.Currency = "EUR"
	}
	if opt.Log == nil {
		opt.Log = slog.New(slog.DiscardHandler)
	}
	return &service{store: store, live: live, sites: sites, opt: opt}
}

func (s *service) now() time.Time { return s.opt.Now().UTC() }

func (s *service) Ingest(ctx context.Context, code string, in IngestRequest) (Appended, error) {
	site, err := s.sites.ByCode(ctx, code)
	if err != nil {
		return Appended{}, err
	}
	now := s.now()
	evs, err := Validate(in.Events, now, s.opt.Currency)
	if err != nil {
		return Appended{}, err
	}
	b := Batch{SiteID: site.ID, Events: evs, Days: DayTotals(evs), Activity: entriesOf(site, evs)}
	if in.IdempotencyKey != "" {
		b.Key = &IdempotencyKey{Key: in.IdempotencyKey, Fingerprint: in.Fingerprint, At: now}
	}
	res, err := s.store.Append(ctx, b)
	if err != nil || res.Replayed {
		return res, err
	}
	s.touch(ctx, site.ID, evs, now)
	return res, nil
}

// touch records the batch's live visitors; live counts are best effort.
func (s *service) touch(ctx context.Context, siteID int64, evs []Event, now time.Time) {
	seen := seenIn(evs, now.Add(-LiveWindow))
	if len(seen) == 0 || s.live == nil {
		return
	}
	if err := s.live.Touch(ctx, siteID, seen, now.Add(-LiveWindow)); err != nil {
		s.opt.Log.WarnContext(ctx, "live visitors not recorded", "site_id", siteID, "err", err)
	}
}

func (s *service) Collect(ctx context.Context, b Beacon) error {
	site, err := s.sites.ByCode(ctx, strings.TrimSpace(b.Site))
	if err != nil {
		if errs.KindOf(err) == errs.NotFound {
			return errs.InvalidField("key", "Unknown site or key.")
		}
		return err
	}
	if !hmac.Equal([]byte(b.Key), []byte(s.collectKey(site.Code))) {
		return errs.InvalidField("key", "Unknown site or key.")
	}
	raw := []RawEvent{{Type: Pageview.String(), VisitorID: b.VisitorID, Path: b.Path, Bytes: b.Bytes}}
	if b.Visit {
		if strings.TrimSpace(b.VisitorID) == "" {
			return errs.MissingFields("visitor_id")
		}
		raw = append(raw, RawEvent{Type: Visit.String(), VisitorID: b.VisitorID})
	}
	now := s.now()
	evs, err := Validate(raw, now, s.opt.Currency)
	if err != nil {
		return unprefixed(err)
	}
	if _, err := s.store.Append(ctx, Batch{SiteID: site.ID, Events: evs, Days: DayTotals(evs)}); err != nil {
		return err
	}
	s.touch(ctx, site.ID, evs, now)
	return nil
}

// unprefixed names a beacon's fields without the batch's events[i].
func unprefixed(err error) error {
	e := errs.From(err)
	if len(e.Params) == 0 {
		return err
	}
	params := map[string]string{}
	for k, v := range e.Params {
		if i := strings.Index(k, "]."); i >= 0 {
			k = k[i+2:]
		}
		params[k] = v
	}
	out := *e
	out.Params = params
	out.Message = "Invalid parameter(s): " + strings.Join(out.Fields(), ", ")
	if e.Kind == errs.Missing {
		out.Message = "Missing parameter(s): " + strings.Join(out.Fields(), ", ")
	}
	return &out
}

func (s *service) collectKey(code string) string {
	m := hmac.New(sha256.New, []byte(s.opt.CollectSecret))
	m.Write([]byte("hostplane-stats-collect\x00" + code))
	return "pk_" + hex.EncodeToString(m.Sum(nil)[:16])
}

func (s *service) CollectKey(ctx context.Context, code string) (CollectInfo, error) {
	site, err := s.sites.ByCode(ctx, code)
	if err != nil {
		return CollectInfo{}, err
	}
	return CollectInfo{Site: site.Code, Key: s.collectKey(site.Code)}, nil
}

func (s *service) Report(ctx context.Context, code string, start, end time.Time) (Report, error) {
	start, end, err := ReportRange(start, end, s.now())
	if err != nil {
		return Report{}, err
	}
	site, err := s.sites.ByCode(ctx, code)
	if err != nil {
		return Report{}, err
	}
	days, sales, err := s.store.Days(ctx, site.ID, start, end)
	if err != nil {
		return Report{}, err
	}
	return buildReport(start, end, days, sales, s.opt.Currency), nil
}

// ReportRange applies a report's defaults and checks its range: end
// defaults to today, start to 29 days before end; start must not be after
// end, and the range is at most MaxReportDays days.
func ReportRange(start, end, now time.Time) (time.Time, time.Time, error) {
	if end.IsZero() {
		end = DayOf(now)
	}
	if start.IsZero() {
		start = end.AddDate(0, 0, -29)
	}
	start, end = DayOf(start), DayOf(end)
	if start.After(end) {
		return start, end, errs.InvalidField("start_date", "Must not be after end_date.")
	}
	if end.Sub(start) >= MaxReportDays*24*time.Hour {
		return start, end, errs.InvalidField("end_date", "A report covers at most 366 days.")
	}
	return start, end, nil
}

func (s *service) Stats(ctx context.Context, code string) (SiteStats, error) {
	site, err := s.sites.ByCode(ctx, code)
	if err != nil {
		return SiteStats{}, err
	}
	snap, err := s.store.Snapshot(ctx, site.ID, s.now().Add(-StatsWindow))
	if err != nil {
		return SiteStats{}, err
	}
	return buildStats(snap, s.opt.Currency), nil
}

func (s *service) Live(ctx context.Context, code string) (int64, error) {
	site, err := s.sites.ByCode(ctx, code)
	if err != nil {
		return 0, err
	}
	if s.live == nil {
		return 0, nil
	}
	n, err := s.live.Count(ctx, site.ID, s.now().Add(-LiveWindow))
	if err != nil {
		return 0, errs.Wrap(errs.Unavailable, err, "Live visitors cannot be counted right now.")
	}
	return n, nil
}

// entriesOf are the activity entries of a batch: each order and each form
// response.
func entriesOf(site directory.Site, evs []Event) []activity.Entry {
	var out []activity.Entry
	for _, e := range evs {
		var en activity.Entry
		switch e.Type {
		case Order:
			en = activity.Entry{Type: activity.TypeCheckout, URN: "order:" + e.Ref,
				Text: "Order " + e.Ref + " " + orderStatusName(e.Status) + ": " + formatMoney(e.Amount, e.Currency)}
		case FormResponse:
			en = activity.Entry{Type: activity.TypeForm, URN: "response:" + e.Ref}
			if e.Status == FormRead {
				en.Text = "Form response " + e.Ref + " read"
			} else {
				en.Text = "New form response " + e.Ref
				if e.FormID != "" {
					en.Text += " to form " + e.FormID
				}
			}
		default:
			continue
		}
		en.SiteID, en.CustomerID, en.At = site.ID, site.CustomerID, e.At
		en.UserName, en.UserProfil = e.UserID, activity.ProfileCustomer
		if en.UserName == "" {
			en.UserName = "visitor"
		}
		en.Text = activity.Clip(en.Text)
		out = append(out, en)
	}
	return out
}

func orderStatusName(st uint8) string {
	for n, v := range OrderStatusNames {
		if v == st {
			return n
		}
	}
	return ""
}
