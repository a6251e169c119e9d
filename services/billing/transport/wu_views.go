package transport

import (
	"encoding/json"

	"github.com/hostplane/hostplane/libs/dialect/wu"
	sites "github.com/hostplane/hostplane/services/sites/client"

	"github.com/hostplane/hostplane/services/billing/memberships"
	"github.com/hostplane/hostplane/services/billing/payments"
	"github.com/hostplane/hostplane/services/billing/products"
)

// productView is a product as the plugin shows it (reference 25), with
// amounts as decimals and Hostplane's catalogue fields (status, group_id,
// stock, pinned, quantity_max, limits) after the plugin's.
type productView struct {
	ID                int64            `json:"id"`
	Model             string           `json:"model"`
	Slug              string           `json:"slug"`
	DateCreated       string           `json:"date_created"`
	DateModified      string           `json:"date_modified"`
	MigratedFromID    int64            `json:"migrated_from_id"`
	Name              string           `json:"name"`
	Description       string           `json:"description"`
	Currency          string           `json:"currency"`
	PricingType       string           `json:"pricing_type"`
	SetupFee          json.Number      `json:"setup_fee"`
	ParentID          int64            `json:"parent_id"`
	Recurring         bool             `json:"recurring"`
	TrialDuration     int              `json:"trial_duration"`
	TrialDurationUnit string           `json:"trial_duration_unit"`
	Duration          int              `json:"duration"`
	DurationUnit      string           `json:"duration_unit"`
	Amount            json.Number      `json:"amount"`
	BillingCycles     int              `json:"billing_cycles"`
	ListOrder         int              `json:"list_order"`
	Active            bool             `json:"active"`
	Type              string           `json:"type"`
	FeaturedImageID   int64            `json:"featured_image_id"`
	Taxable           bool             `json:"taxable"`
	TaxCategory       string           `json:"tax_category"`
	FeatureList       *string          `json:"feature_list"`
	CustomerRole      *string          `json:"customer_role"`
	PriceVariations   *string          `json:"price_variations"`
	AvailableAddons   []int64          `json:"available_addons"`
	ProductGroup      string           `json:"product_group"`
	NetworkID         *int64           `json:"network_id"`
	ContactUsLabel    string           `json:"contact_us_label"`
	ContactUsLink     string           `json:"contact_us_link"`
	LegacyOptions     *string          `json:"legacy_options"`
	Limitations       []string         `json:"limitations"`
	FeaturedPlan      *bool            `json:"featured_plan"`
	Status            string           `json:"status"`
	GroupID           int64            `json:"group_id"`
	Stock             int              `json:"stock"`
	Pinned            bool             `json:"pinned"`
	QuantityMax       int              `json:"quantity_max"`
	Limits            map[string]int64 `json:"limits"`
}

func wuProduct(p products.Product) productView {
	p = p.Clone()
	return productView{
		ID: p.ID, Model: "product", Slug: p.Slug, DateCreated: wu.FormatDate(p.DateCreated),
		DateModified: wu.FormatDate(p.DateModified), Name: p.Name, Description: p.Description, Currency: p.Currency,
		PricingType: p.PricingType, SetupFee: decimal(p.SetupFee, p.Currency), ParentID: p.ParentID,
		Recurring: p.Recurring, TrialDuration: p.TrialDuration, TrialDurationUnit: p.TrialDurationUnit,
		Duration: p.Duration, DurationUnit: p.DurationUnit, Amount: decimal(p.Amount, p.Currency),
		BillingCycles: p.BillingCycles, ListOrder: p.SortOrder, Active: p.Active(), Type: p.Type,
		Taxable: p.Taxable, TaxCategory: p.TaxCategory, AvailableAddons: p.Addons, ContactUsLabel: p.ContactUsLabel,
		ContactUsLink: p.ContactUsLink, Limitations: []string{}, Status: p.Status, GroupID: p.GroupID,
		Stock: p.Stock, Pinned: p.Pinned, QuantityMax: p.QuantityMax, Limits: p.Limits,
	}
}

// membershipView is a membership as the plugin shows it (references 26,
// 28), amounts as decimals, plus site_id.
type membershipView struct {
	ID                       int64       `json:"id"`
	Model                    string      `json:"model"`
	Slug                     string      `json:"slug"`
	DateCreated              string      `json:"date_created"`
	DateModified             string      `json:"date_modified"`
	MigratedFromID           int64       `json:"migrated_from_id"`
	CustomerID               int64       `json:"customer_id"`
	UserID                   int64       `json:"user_id"`
	PlanID                   int64       `json:"plan_id"`
	AddonProducts            []addonView `json:"addon_products"`
	Currency                 string      `json:"currency"`
	InitialAmount            json.Number `json:"initial_amount"`
	Recurring                bool        `json:"recurring"`
	AutoRenew                bool        `json:"auto_renew"`
	Duration                 int         `json:"duration"`
	DurationUnit             string      `json:"duration_unit"`
	Amount                   json.Number `json:"amount"`
	DateActivated            *string     `json:"date_activated"`
	DateTrialEnd             *string     `json:"date_trial_end"`
	DateRenewed              *string     `json:"date_renewed"`
	DateCancellation         *string     `json:"date_cancellation"`
	DateExpiration           *string     `json:"date_expiration"`
	DatePaymentPlanCompleted *string     `json:"date_payment_plan_completed"`
	TimesBilled              int         `json:"times_billed"`
	BillingCycles            int         `json:"billing_cycles"`
	Status                   string      `json:"status"`
	GatewayCustomerID        string      `json:"gateway_customer_id"`
	GatewaySubscriptionID    string      `json:"gateway_subscription_id"`
	Gateway                  string      `json:"gateway"`
	SignupMethod             string      `json:"signup_method"`
	UpgradedFrom             bool        `json:"upgraded_from"`
	Disabled                 bool        `json:"disabled"`
	DiscountCode             *string     `json:"discount_code"`
	CancellationReason       *string     `json:"cancellation_reason"`
	NetworkID                *int64      `json:"network_id"`
	GatewayInfo              gatewayInfo `json:"gateway_info"`
	Limitations              []string    `json:"limitations"`
	BillingAddress           *string     `json:"billing_address"`
	Notes                    *string     `json:"notes"`
	SiteID                   int64       `json:"site_id"`
}

type addonView struct {
	ProductID int64 `json:"product_id"`
	Quantity  int   `json:"quantity"`
}

type gatewayInfo struct {
	Gateway               string `json:"gateway"`
	GatewayCustomerID     string `json:"gateway_customer_id"`
	GatewaySubscriptionID string `json:"gateway_subscription_id"`
}

func wuMembership(m memberships.Membership) membershipView {
	v := membershipView{
		ID: m.ID, Model: "membership", DateCreated: wu.FormatDate(m.DateCreated), DateModified: wu.FormatDate(m.DateModified),
		CustomerID: m.CustomerID, PlanID: m.PlanID, AddonProducts: []addonView{}, Currency: m.Currency,
		InitialAmount: decimal(m.InitialAmount, m.Currency), Recurring: m.Recurring, AutoRenew: m.AutoRenew,
		Duration: m.Duration, DurationUnit: m.DurationUnit, Amount: decimal(m.Amount, m.Currency),
		DateActivated: wuDate(m.DateActivated), DateTrialEnd: wuDate(m.DateTrialEnd), DateRenewed: wuDate(m.DateRenewed),
		DateCancellation: wuDate(m.DateCancellation), DateExpiration: wuDate(m.DateExpiration),
		TimesBilled: m.TimesBilled, BillingCycles: m.BillingCycles, Status: m.Status,
		GatewayCustomerID: m.GatewayCustomerID, GatewaySubscriptionID: m.GatewaySubscriptionID, Gateway: m.Gateway,
		SignupMethod: m.SignupMethod, GatewayInfo: gatewayInfo{m.Gateway, m.GatewayCustomerID, m.GatewaySubscriptionID},
		Limitations: []string{}, SiteID: m.SiteID,
	}
	for _, a := range m.Addons {
		v.AddonProducts = append(v.AddonProducts, addonView{a.ProductID, a.Quantity})
	}
	if m.CancellationReason != "" {
		r := m.CancellationReason
		v.CancellationReason = &r
	}
	return v
}

// paymentView is a payment as the plugin shows it (references 26, 29),
// amounts as decimals.
type paymentView struct {
	ID                       int64       `json:"id"`
	Model                    string      `json:"model"`
	Slug                     string      `json:"slug"`
	DateCreated              string      `json:"date_created"`
	DateModified             string      `json:"date_modified"`
	MigratedFromID           int64       `json:"migrated_from_id"`
	ProductID                int64       `json:"product_id"`
	CustomerID               int64       `json:"customer_id"`
	MembershipID             int64       `json:"membership_id"`
	ParentID                 int64       `json:"parent_id"`
	Currency                 string      `json:"currency"`
	Subtotal                 json.Number `json:"subtotal"`
	RefundTotal              json.Number `json:"refund_total"`
	DiscountTotal            json.Number `json:"discount_total"`
	TaxTotal                 json.Number `json:"tax_total"`
	DiscountCode             string      `json:"discount_code"`
	Total                    json.Number `json:"total"`
	Status                   string      `json:"status"`
	Gateway                  string      `json:"gateway"`
	GatewayPaymentID         string      `json:"gateway_payment_id"`
	LineItems                *string     `json:"line_items"`
	InvoiceNumber            string      `json:"invoice_number"`
	CancelMembershipOnRefund bool        `json:"cancel_membership_on_refund"`
	Notes                    *string     `json:"notes"`
}

func wuPayment(p payments.Payment) paymentView {
	return paymentView{
		ID: p.ID, Model: "payment", DateCreated: wu.FormatDate(p.DateCreated), DateModified: wu.FormatDate(p.DateModified),
		ProductID: p.ProductID, CustomerID: p.CustomerID, MembershipID: p.MembershipID, ParentID: p.ParentID,
		Currency: p.Currency, Subtotal: decimal(p.Subtotal, p.Currency), RefundTotal: decimal(p.RefundTotal, p.Currency),
		DiscountTotal: decimal(p.DiscountTotal, p.Currency), TaxTotal: decimal(p.TaxTotal, p.Currency),
		DiscountCode: p.DiscountCode, Total: decimal(p.Total, p.Currency), Status: p.Status, Gateway: p.Gateway,
		GatewayPaymentID: p.GatewayPaymentID, InvoiceNumber: p.InvoiceNumber,
	}
}

// siteView is the site of a registration (reference 26's fields, typed).
type siteView struct {
	ID           int64  `json:"id"`
	Code         string `json:"site_url"`
	Domain       string `json:"domain"`
	Path         string `json:"path"`
	Title        string `json:"title"`
	TemplateID   int64  `json:"template_id"`
	CustomerID   int64  `json:"customer_id"`
	MembershipID int64  `json:"membership_id"`
	Type         string `json:"type"`
	Status       string `json:"status"`
}

func wuSite(s sites.Site, templateID int64) siteView {
	return siteView{ID: s.ID, Code: s.Code, Domain: s.Domain, Path: s.Path, Title: s.Title, TemplateID: templateID,
		CustomerID: s.CustomerID, MembershipID: s.MembershipID, Type: s.Type, Status: s.Status}
}
