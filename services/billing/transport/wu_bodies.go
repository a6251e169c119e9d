package transport

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"

	"github.com/hostplane/hostplane/libs/dialect/decode"
	"github.com/hostplane/hostplane/libs/errs"
	"github.com/hostplane/hostplane/services/billing/checkout"
	"github.com/hostplane/hostplane/services/billing/memberships"
	"github.com/hostplane/hostplane/services/billing/payments"
	"github.com/hostplane/hostplane/services/billing/products"
)

// plugin lists fields the plugin's objects carry that Hostplane keeps no
// value for: a client echoing an object back may send them, and they are
// accepted and ignored (any other unknown field is refused).
type plugin struct {
	ID                       any `json:"id"`
	Model                    any `json:"model"`
	DateCreated              any `json:"date_created"`
	DateModified             any `json:"date_modified"`
	MigratedFromID           any `json:"migrated_from_id"`
	NetworkID                any `json:"network_id"`
	Notes                    any `json:"notes"`
	FeaturedImageID          any `json:"featured_image_id"`
	FeatureList              any `json:"feature_list"`
	CustomerRole             any `json:"customer_role"`
	PriceVariations          any `json:"price_variations"`
	ProductGroup             any `json:"product_group"`
	LegacyOptions            any `json:"legacy_options"`
	Limitations              any `json:"limitations"`
	FeaturedPlan             any `json:"featured_plan"`
	UserID                   any `json:"user_id"`
	UpgradedFrom             any `json:"upgraded_from"`
	Disabled                 any `json:"disabled"`
	DiscountCodeObj          any `json:"discount_code_id"`
	GatewayInfo              any `json:"gateway_info"`
	BillingAddress           any `json:"billing_address"`
	CompiledProductList      any `json:"compiled_product_list"`
	LineItems                any `json:"line_items"`
	CancelMembershipOnRefund any `json:"cancel_membership_on_refund"`
	InvoiceNumber            any `json:"invoice_number"`
	DatePaymentPlanCompleted any `json:"date_payment_plan_completed"`
	DateActivated            any `json:"date_activated"`
	DateRenewed              any `json:"date_renewed"`
	DateCancellation         any `json:"date_cancellation"`
}

// productBody is the body of wu POST /products and of updates.
type productBody struct {
	plugin
	Slug              *string           `json:"slug"`
	Name              *string           `json:"name"`
	Description       *string           `json:"description"`
	Type              *string           `json:"type"`
	PricingType       *string           `json:"pricing_type"`
	Currency          *string           `json:"currency"`
	Amount            *amountText       `json:"amount"`
	SetupFee          *amountText       `json:"setup_fee"`
	Duration          *int              `json:"duration"`
	DurationUnit      *string           `json:"duration_unit"`
	TrialDuration     *int              `json:"trial_duration"`
	TrialDurationUnit *string           `json:"trial_duration_unit"`
	Recurring         *bool             `json:"recurring"`
	BillingCycles     *int              `json:"billing_cycles"`
	Active            *bool             `json:"active"`
	Status            *string           `json:"status"`
	GroupID           *int64            `json:"group_id"`
	Stock             *int              `json:"stock"`
	Pinned            *bool             `json:"pinned"`
	ListOrder         *int              `json:"list_order"`
	ParentID          *int64            `json:"parent_id"`
	Taxable           *bool             `json:"taxable"`
	TaxCategory       *string           `json:"tax_category"`
	AvailableAddons   *[]int64          `json:"available_addons"`
	QuantityMax       *int              `json:"quantity_max"`
	Limits            *map[string]int64 `json:"limits"`
	ContactUsLabel    *string           `json:"contact_us_label"`
	ContactUsLink     *string           `json:"contact_us_link"`
}

func (b productBody) input() products.Input {
	return products.Input{
		Slug: b.Slug, Name: b.Name, Description: b.Description, Type: b.Type, PricingType: b.PricingType,
		Currency: b.Currency, Amount: text(b.Amount), SetupFee: text(b.SetupFee), Duration: b.Duration,
		DurationUnit: b.DurationUnit, TrialDuration: b.TrialDuration, TrialDurationUnit: b.TrialDurationUnit,
		Recurring: b.Recurring, BillingCycles: b.BillingCycles, Active: b.Active, Status: b.Status, GroupID: b.GroupID,
		Stock: b.Stock, Pinned: b.Pinned, SortOrder: b.ListOrder, ParentID: b.ParentID, Taxable: b.Taxable,
		TaxCategory: b.TaxCategory, Addons: b.AvailableAddons, QuantityMax: b.QuantityMax, Limits: b.Limits,
		ContactUsLabel: b.ContactUsLabel, ContactUsLink: b.ContactUsLink,
	}
}

func readProduct(r *http.Request) (products.Input, error) {
	var b productBody
	if err := decode.Body(r, &b, bodyOptions); err != nil {
		return products.Input{}, err
	}
	return b.input(), nil
}

// membershipBody is the body of wu POST /memberships and of updates.
type membershipBody struct {
	plugin
	CustomerID            *int64               `json:"customer_id"`
	PlanID                *int64               `json:"plan_id"`
	AddonProducts         *[]memberships.Addon `json:"addon_products"`
	Currency              *string              `json:"currency"`
	Amount                *amountText          `json:"amount"`
	InitialAmount         *amountText          `json:"initial_amount"`
	Recurring             *bool                `json:"recurring"`
	AutoRenew             *bool                `json:"auto_renew"`
	Duration              *int                 `json:"duration"`
	DurationUnit          *string              `json:"duration_unit"`
	Status                *string              `json:"status"`
	TimesBilled           *int                 `json:"times_billed"`
	BillingCycles         *int                 `json:"billing_cycles"`
	Gateway               *string              `json:"gateway"`
	GatewayCustomerID     *string              `json:"gateway_customer_id"`
	GatewaySubscriptionID *string              `json:"gateway_subscription_id"`
	SiteID                *int64               `json:"site_id"`
	SignupMethod          *string              `json:"signup_method"`
	DateExpiration        *string              `json:"date_expiration"`
	DateTrialEnd          *string              `json:"date_trial_end"`
	CancellationReason    *string              `json:"cancellation_reason"`
	DiscountCode          any                  `json:"discount_code"`
}

func readMembership(r *http.Request) (memberships.Input, error) {
	var b membershipBody
	if err := decode.Body(r, &b, bodyOptions); err != nil {
		return memberships.Input{}, err
	}
	in := memberships.Input{
		CustomerID: b.CustomerID, PlanID: b.PlanID, Addons: b.AddonProducts, Currency: b.Currency,
		Amount: text(b.Amount), InitialAmount: text(b.InitialAmount), Recurring: b.Recurring, AutoRenew: b.AutoRenew,
		Duration: b.Duration, DurationUnit: b.DurationUnit, Status: b.Status, TimesBilled: b.TimesBilled,
		BillingCycles: b.BillingCycles, Gateway: b.Gateway, GatewayCustomerID: b.GatewayCustomerID,
		GatewaySubscriptionID: b.GatewaySubscriptionID, SiteID: b.SiteID, SignupMethod: b.SignupMethod,
		Reason: b.CancellationReason,
	}
	var c errs.Collector
	if b.DateExpiration != nil {
		in.DateExpiration = date(&c, "date_expiration", *b.DateExpiration)
		in.ClearExpiration = *b.DateExpiration == ""
	}
	if b.DateTrialEnd != nil {
		in.DateTrialEnd = date(&c, "date_trial_end", *b.DateTrialEnd)
	}
	return in, c.Err()
}

// paymentBody is the body of wu POST /payments and of updates.
type paymentBody struct {
	plugin
	CustomerID       *int64      `json:"customer_id"`
	MembershipID     *int64      `json:"membership_id"`
	ProductID        *int64      `json:"product_id"`
	ParentID         *int64      `json:"parent_id"`
	Currency         *string     `json:"currency"`
	Subtotal         *amountText `json:"subtotal"`
	TaxTotal         *amountText `json:"tax_total"`
	DiscountTotal    *amountText `json:"discount_total"`
	RefundTotal      *amountText `json:"refund_total"`
	Total            *amountText `json:"total"`
	Status           *string     `json:"status"`
	Gateway          *string     `json:"gateway"`
	GatewayPaymentID *string     `json:"gateway_payment_id"`
	DiscountCode     *string     `json:"discount_code"`
}

func readPayment(r *http.Request) (payments.Input, error) {
	var b paymentBody
	if err := decode.Body(r, &b, bodyOptions); err != nil {
		return payments.Input{}, err
	}
	return payments.Input{
		CustomerID: b.CustomerID, MembershipID: b.MembershipID, ProductID: b.ProductID, ParentID: b.ParentID,
		Currency: b.Currency, Subtotal: text(b.Subtotal), TaxTotal: text(b.TaxTotal), DiscountTotal: text(b.DiscountTotal),
		RefundTotal: text(b.RefundTotal), Total: text(b.Total), Status: b.Status, Gateway: b.Gateway,
		GatewayPaymentID: b.GatewayPaymentID, DiscountCode: b.DiscountCode,
	}, nil
}

// registerBody is the body of wu POST /register (the reference's, plus
// customer_id for an existing customer and gateway).
type registerBody struct {
	CustomerID int64 `json:"customer_id"`
	Customer   *struct {
		Username  string `json:"username"`
		Password  string `json:"password"`
		Email     string `json:"email"`
		Firstname string `json:"firstname"`
		Lastname  string `json:"lastname"`
	} `json:"customer"`
	Products     []any  `json:"products"`
	Duration     int    `json:"duration"`
	DurationUnit string `json:"duration_unit"`
	AutoRenew    *bool  `json:"auto_renew"`
	Gateway      string `json:"gateway"`
	Site         *struct {
		SiteURL    string `json:"site_url"`
		SiteTitle  string `json:"site_title"`
		TemplateID int64  `json:"template_id"`
	} `json:"site"`
	Payment *struct {
		Status  string `json:"status"`
		Gateway string `json:"gateway"`
	} `json:"payment"`
	Membership *struct {
		Status string `json:"status"`
	} `json:"membership"`
}

func readRegister(r *http.Request) (checkout.Request, error) {
	var b registerBody
	if err := decode.Body(r, &b, bodyOptions); err != nil {
		return checkout.Request{}, err
	}
	req := checkout.Request{
		CustomerID: b.CustomerID, Duration: b.Duration, DurationUnit: strings.TrimSpace(b.DurationUnit),
		AutoRenew: b.AutoRenew, Gateway: b.Gateway, IdempotencyKey: r.Header.Get(idempotencyHeader),
	}
	if c := b.Customer; c != nil {
		req.Customer = &checkout.NewCustomer{Username: c.Username, Email: c.Email, Password: c.Password,
			Firstname: c.Firstname, Lastname: c.Lastname}
	}
	for i, p := range b.Products {
		switch v := p.(type) {
		case string:
			req.Products = append(req.Products, v)
		case json.Number:
			req.Products = append(req.Products, v.String())
		default:
			return checkout.Request{}, errs.InvalidField("products", fmt.Sprintf("Item %d must be a product id or slug.", i))
		}
	}
	if s := b.Site; s != nil {
		req.Site = &checkout.Site{URL: s.SiteURL, Title: s.SiteTitle, TemplateID: s.TemplateID}
	}
	if b.Payment != nil {
		req.PaymentStatus = strings.TrimSpace(b.Payment.Status)
		if b.Payment.Gateway != "" {
			req.Gateway = b.Payment.Gateway
		}
	}
	if b.Membership != nil {
		req.MembershipStatus = strings.TrimSpace(b.Membership.Status)
	}
	return req, nil
}
