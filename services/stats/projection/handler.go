package projection

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/hostplane/hostplane/libs/errs"
	"github.com/hostplane/hostplane/libs/events"
	"github.com/hostplane/hostplane/libs/money"
	"github.com/hostplane/hostplane/services/stats/activity"
	"github.com/hostplane/hostplane/services/stats/meter"
)

// Streams the stats service follows.
var (
	BillingStream = events.Stream("billing")
	SitesStream   = events.Stream("sites")
	AuthStream    = events.Stream(AuthSource)
)

// Streams are every stream the service follows.
var Streams = []string{BillingStream, SitesStream, AuthStream}

// Customers looks up whether a customer's email is verified when its
// event does not say (billing's client; nil: unknown is unverified).
type Customers interface {
	EmailVerification(ctx context.Context, id int64) (string, error)
}

// Forgetter drops what is cached of a site that changed.
type Forgetter interface {
	Forget(id int64, code string)
}

// Handler applies billing's, sites' and auth's events to the records, once
// per event id for group.
type Handler struct {
	Store     Store
	Group     string
	Customers Customers
	Sites     Forgetter
	// Ingested counts the events applied (source stream); nil counts
	// nothing.
	Ingested *meter.Ingested
}

// customerData, membershipData, … are the data of the events consumed.
type customerData struct {
	CustomerID        int64  `json:"customer_id"`
	Status            string `json:"status"`
	EmailVerification string `json:"email_verification"`
	EmailVerified     *bool  `json:"email_verified"`
}

type membershipData struct {
	MembershipID int64  `json:"membership_id"`
	CustomerID   int64  `json:"customer_id"`
	PlanID       int64  `json:"plan_id"`
	SiteID       int64  `json:"site_id"`
	Status       string `json:"status"`
}

type paymentData struct {
	PaymentID    int64  `json:"payment_id"`
	CustomerID   int64  `json:"customer_id"`
	MembershipID int64  `json:"membership_id"`
	Total        string `json:"total"`
	Currency     string `json:"currency"`
	Status       string `json:"status"`
}

type siteData struct {
	SiteID     int64  `json:"site_id"`
	Code       string `json:"code"`
	CustomerID int64  `json:"customer_id"`
	Status     string `json:"status"`
}

type domainData struct {
	SiteID int64  `json:"site_id"`
	Domain string `json:"domain"`
}

type backupData struct {
	SiteID   int64  `json:"site_id"`
	BackupID string `json:"backup_id"`
	Size     int64  `json:"size"`
}

// Handle applies one event. Events of other kinds, and events whose data
// cannot be read, are acknowledged without a change; a failure to store
// leaves the event unacknowledged (delivered again).
func (h *Handler) Handle(ctx context.Context, e events.Event) error {
	if e.ID == "" {
		return nil
	}
	c, ok, err := h.change(ctx, e)
	if err != nil || !ok {
		return err
	}
	if c.Entry != nil {
		c.Entry.At = e.Time.UTC()
		c.Entry.Dedupe = "event:" + e.ID
		c.Entry.UserName, c.Entry.UserProfil = e.Source, activity.ProfileSystem
		if c.Entry.UserName == "" {
			c.Entry.UserName = "system"
		}
		c.Entry.Text = activity.Clip(c.Entry.Text)
	}
	applied, err := h.Store.Apply(ctx, h.Group, e.ID, c)
	if err != nil {
		return err
	}
	if applied {
		h.Ingested.Add(meter.SourceStream, 1)
	}
	if c.Site != nil && h.Sites != nil {
		h.Sites.Forget(c.Site.ID, c.Site.Code)
	}
	return nil
}

// action is the verb of an event type ("membership.activated" → "activated").
func action(typ string) string {
	_, a, _ := strings.Cut(typ, ".")
	return a
}

func (h *Handler) change(ctx context.Context, e events.Event) (Change, bool, error) {
	kind, _, _ := strings.Cut(e.Type, ".")
	at := e.Time.UTC()
	verb := action(e.Type)
	deleted := verb == "deleted"
	if e.Source == AuthSource {
		c, ok := authChange(e)
		return c, ok, nil
	}
	switch kind {
	case "customer":
		var d customerData
		if e.Decode(&d) != nil || d.CustomerID <= 0 {
			return Change{}, false, nil
		}
		verified, err := h.verified(ctx, d)
		if err != nil {
			return Change{}, false, err
		}
		text := fmt.Sprintf("Customer #%d %s", d.CustomerID, verb)
		if d.Status != "" && !deleted {
			text += " (" + d.Status + ")"
		}
		return Change{
			Customer: &Customer{ID: d.CustomerID, Status: d.Status, EmailVerified: verified, Deleted: deleted, At: at},
			Entry:    &activity.Entry{CustomerID: d.CustomerID, Type: activity.TypeUpdate, URN: e.Subject, Text: text},
		}, true, nil
	case "membership":
		var d membershipData
		if e.Decode(&d) != nil || d.MembershipID <= 0 {
			return Change{}, false, nil
		}
		text := fmt.Sprintf("Membership #%d %s", d.MembershipID, verb)
		if d.PlanID != 0 {
			text += fmt.Sprintf(" (plan #%d)", d.PlanID)
		}
		return Change{
			Membership: &Membership{ID: d.MembershipID, CustomerID: d.CustomerID, PlanID: d.PlanID, SiteID: d.SiteID,
				Status: d.Status, Deleted: deleted, At: at},
			Entry: &activity.Entry{SiteID: d.SiteID, CustomerID: d.CustomerID, Type: activity.TypeUpdate, URN: e.Subject, Text: text},
		}, true, nil
	case "payment":
		var d paymentData
		if e.Decode(&d) != nil || d.PaymentID <= 0 {
			return Change{}, false, nil
		}
		cur := strings.ToUpper(strings.TrimSpace(d.Currency))
		digits := 2
		if c, ok := money.Lookup(cur); ok {
			digits = c.Digits
		}
		total, err := money.Parse(d.Total, digits)
		if err != nil {
			total = 0
		}
		site, err := h.Store.MembershipSite(ctx, d.MembershipID)
		if err != nil {
			return Change{}, false, err
		}
		return Change{
			Payment: &Payment{ID: d.PaymentID, CustomerID: d.CustomerID, MembershipID: d.MembershipID, Total: total,
				Currency: cur, Status: d.Status, Deleted: deleted, At: at},
			Entry: &activity.Entry{SiteID: site, CustomerID: d.CustomerID, Type: activity.TypeCheckout, URN: e.Subject,
				Text: fmt.Sprintf("Payment #%d %s: %s %s", d.PaymentID, verb, money.Format(total, digits), cur)},
		}, true, nil
	case "site":
		var d siteData
		if e.Decode(&d) != nil || d.SiteID <= 0 {
			return Change{}, false, nil
		}
		return Change{
			Site: &Site{ID: d.SiteID, Code: d.Code, CustomerID: d.CustomerID, Status: d.Status, Deleted: deleted, At: at},
			Entry: &activity.Entry{SiteID: d.SiteID, CustomerID: d.CustomerID, Type: activity.TypeUpdate, URN: e.Subject,
				Text: fmt.Sprintf("Site %s %s", d.Code, verb)},
		}, true, nil
	case "domain":
		var d domainData
		if e.Decode(&d) != nil || d.SiteID <= 0 {
			return Change{}, false, nil
		}
		return Change{Entry: &activity.Entry{SiteID: d.SiteID, Type: activity.TypeUpdate, URN: e.Subject,
			Text: fmt.Sprintf("Domain %s %s", d.Domain, verb)}}, true, nil
	case "backup":
		var d backupData
		if e.Decode(&d) != nil || d.SiteID <= 0 {
			return Change{}, false, nil
		}
		return Change{Entry: &activity.Entry{SiteID: d.SiteID, Type: activity.TypeUpdate, URN: "backup:" + d.BackupID,
			Text: fmt.Sprintf("Backup %s %s (%s)", d.BackupID, verb, byteSize(d.Size))}}, true, nil
	}
	return Change{}, false, nil
}

// verified reads the email state of a customer event, asking billing when
// the event does not carry it.
func (h *Handler) verified(ctx context.Context, d customerData) (bool, error) {
	switch {
	case d.EmailVerified != nil:
		return *d.EmailVerified, nil
	case d.EmailVerification != "":
		return d.EmailVerification == "verified", nil
	case h.Customers == nil:
		return false, nil
	}
	v, err := h.Customers.EmailVerification(ctx, d.CustomerID)
	if errors.Is(err, errs.NotFound) {
		return false, nil
	}
	return v == "verified", err
}

// byteSize writes a size for people: "12.3 MB".
func byteSize(n int64) string {
	const unit = 1000
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %cB", float64(n)/float64(div), "kMGTPE"[exp])
}
