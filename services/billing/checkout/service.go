package checkout

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/hostplane/hostplane/libs/errs"
	sites "github.com/hostplane/hostplane/services/sites/client"

	"github.com/hostplane/hostplane/services/billing/amounts"
	"github.com/hostplane/hostplane/services/billing/customers"
	"github.com/hostplane/hostplane/services/billing/memberships"
	"github.com/hostplane/hostplane/services/billing/payments"
	"github.com/hostplane/hostplane/services/billing/products"
	"github.com/hostplane/hostplane/services/billing/txn"
)

// Service registers customers.
type Service interface {
	Register(ctx context.Context, r Request) (Result, error)
}

// Catalog finds products and their pricings (products.Service).
type Catalog interface {
	Find(ctx context.Context, ref string) (products.Product, error)
	ListPricings(ctx context.Context, f products.PricingFilter) ([]products.Pricing, int, error)
}

// Deps are the services a registration goes through.
type Deps struct {
	Customers   customers.Service
	Hasher      customers.PasswordHasher
	Catalog     Catalog
	Memberships memberships.Service
	Payments    payments.Service
	Sites       Sites
	Tx          txn.Runner
	Log         *slog.Logger
	// Concurrency bounds the registrations inside their transaction at
	// once (0: no bound). A registration holds a database connection while
	// the sites service creates its site, and the sites service reads
	// billing back meanwhile: the bound keeps connections free for those
	// reads (set it below the pool size).
	Concurrency int
	// Hashing bounds the registrations of a new customer validating and
	// hashing its password at once (0: twice GOMAXPROCS), HashQueue those
	// waiting for a turn (0: twice Hashing; negative: none): past both, a
	// registration is unavailable at once, with Retry-After (admission).
	Hashing, HashQueue int
}

type service struct {
	Deps
	slots chan struct{}
	admit *admission
}

// NewService returns the checkout service.
func NewService(d Deps) Service {
	s := &service{Deps: d, admit: newAdmission(d.Hashing, d.HashQueue)}
	if d.Concurrency > 0 {
		s.slots = make(chan struct{}, d.Concurrency)
	}
	return s
}

// enter waits for a transaction slot; leave gives it back.
func (s *service) enter(ctx context.Context) error {
	if s.slots == nil {
		return nil
	}
	select {
	case s.slots <- struct{}{}:
		return nil
	case <-ctx.Done():
		return stepError(StepValidate, "", errs.Wrap(errs.Unavailable, ctx.Err(), "Too many registrations at once: retry."))
	}
}

func (s *service) leave() {
	if s.slots != nil {
		<-s.slots
	}
}

// Limits of a registration.
const (
	MinSiteURL   = 4
	MaxSiteURL   = 63
	MinSiteTitle = 4
	MaxSiteTitle = 200
	MaxProducts  = 20
)

// HiddenEmail is what the register example of the wu reference carries
// as its email: the documentation site's e-mail protection replaced the
// address. A registration sent as written gets the reserved address
// <username>@users.invalid (RFC 2606) instead of a refusal; any other bad
// email is refused.
const HiddenEmail = "[email protected]"

// isHiddenEmail reports whether email is HiddenEmail as the reference's
// page carries it: its space is a no-break space (U+00A0), which a copy
// and paste keeps.
func isHiddenEmail(email string) bool {
	return strings.EqualFold(strings.Join(strings.Fields(strings.ReplaceAll(email, "\u00a0", " ")), " "), HiddenEmail)
}

// plan is what validation chose.
type plan struct {
	product products.Product
	addons  []products.Product
	// amount and initial override the plan's when another period was
	// asked for ("" keeps the plan's).
	amount, initial string
}

func (s *service) Register(ctx context.Context, r Request) (Result, error) {
	// The rows read and written on the way are kept for the services
	// after: each checks the references it is given without reading them
	// again (txn.Memo).
	ctx = txn.WithMemo(ctx)
	p, hash, err := s.admitted(ctx, r)
	if err != nil {
		return Result{}, err
	}
	if err := s.enter(ctx); err != nil {
		return Result{}, err
	}
	defer s.leave()
	var res Result
	var site *sites.Site
	// Any error below rolls the whole registration back: the stores need
	// no savepoints of their own.
	err = s.Tx.InTx(txn.AllOrNothing(ctx), func(ctx context.Context) error {
		var err error
		if res.Customer, err = s.customer(ctx, r, hash); err != nil {
			return stepError(StepCustomer, "customer", err)
		}
		if res.Membership, err = s.membership(ctx, r, p, res.Customer.ID); err != nil {
			return stepError(StepMembership, "membership", err)
		}
		if res.Payment, err = s.payment(ctx, r, p, res.Membership); err != nil {
			return stepError(StepPayment, "payment", err)
		}
		if r.Site == nil {
			return nil
		}
		created, err := s.Sites.Create(ctx, sites.CreateSite{
			Code: r.Site.URL, CustomerID: res.Customer.ID, MembershipID: res.Membership.ID, Title: r.Site.Title,
			TemplateID: r.Site.TemplateID, IdempotencyKey: r.IdempotencyKey,
		})
		if err != nil {
			return stepError(StepSite, "site", err)
		}
		site = &created
		siteID := created.ID
		if res.Membership, err = s.Memberships.Update(ctx, res.Membership.ID, memberships.Input{SiteID: &siteID}); err != nil {
			return stepError(StepSite, "site", err)
		}
		return nil
	})
	if err != nil {
		if site != nil {
			s.undoSite(ctx, site.ID)
		}
		if e := errs.From(err); e.Reason == "" || !strings.HasPrefix(e.Reason, "checkout_") {
			err = stepError(StepCommit, "", err)
		}
		return Result{}, err
	}
	res.Site = site
	if r.Site != nil {
		res.TemplateID = r.Site.TemplateID
	}
	return res, nil
}

// admitted validates r, once admitted when it hashes a new customer's
// password.
func (s *service) admitted(ctx context.Context, r Request) (plan, string, error) {
	if r.Customer != nil {
		release, err := s.admit.enter(ctx)
		if err != nil {
			return plan{}, "", err
		}
		defer release()
	}
	return s.validate(ctx, r)
}

// undoSite deletes the site of a registration that did not commit, even
// when the request was cancelled.
func (s *service) undoSite(ctx context.Context, id int64) {
	dctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	if err := s.Sites.Delete(dctx, id); err != nil && s.Log != nil {
		s.Log.ErrorContext(ctx, "checkout: could not delete the site of a failed registration", "site_id", id, "err", err)
	}
}

func (s *service) customer(ctx context.Context, r Request, hash string) (customers.Customer, error) {
	if r.CustomerID != 0 {
		return s.Customers.Get(ctx, r.CustomerID)
	}
	c := r.Customer
	return s.Customers.Create(ctx, customers.NewCustomer{
		Username: c.Username, Email: c.Email, PasswordHash: hash, SignupForm: "checkout",
		Contact: customers.Contact{Firstname: c.Firstname, Lastname: c.Lastname},
	})
}

func (s *service) membership(ctx context.Context, r Request, p plan, customerID int64) (memberships.Membership, error) {
	in := memberships.Input{CustomerID: &customerID, PlanID: &p.product.ID, AutoRenew: r.AutoRenew}
	addons := make([]memberships.Addon, len(p.addons))
	for i, a := range p.addons {
		addons[i] = memberships.Addon{ProductID: a.ID, Quantity: 1}
	}
	in.Addons = &addons
	if r.Duration > 0 {
		in.Duration, in.DurationUnit = &r.Duration, &r.DurationUnit
	}
	if p.amount != "" {
		in.Amount, in.InitialAmount = &p.amount, &p.initial
	}
	status := r.MembershipStatus
	if status == "" {
		status = memberships.StatusPending
		if r.PaymentStatus == payments.StatusCompleted {
			status = memberships.StatusActive
		}
	}
	in.Status = &status
	if r.Gateway != "" {
		in.Gateway = &r.Gateway
	}
	method := "checkout"
	in.SignupMethod = &method
	return s.Memberships.Create(ctx, in)
}

func (s *service) payment(ctx context.Context, r Request, p plan, m memberships.Membership) (payments.Payment, error) {
	total := amounts.Format(m.InitialAmount, m.Currency)
	status := r.PaymentStatus
	if status == "" {
		status = payments.StatusPending
	}
	in := payments.Input{
		CustomerID: &m.CustomerID, MembershipID: &m.ID, ProductID: &p.product.ID, Currency: &m.Currency,
		Total: &total, Status: &status, Kind: payments.KindInitial,
	}
	if r.Gateway != "" {
		in.Gateway = &r.Gateway
	}
	return s.Payments.Create(ctx, in)
}

// stepError names the step err happened at, and prefixes the fields it
// names with the part of the request they belong to ("customer.email").
func stepError(step, prefix string, err error) error {
	e := errs.From(err)
	out := &errs.Error{Kind: e.Kind, Message: e.Message, Resource: e.Resource, Reason: "checkout_" + step,
		RetryAfter: e.RetryAfter, Err: err}
	if e.Kind != errs.Internal {
		out.Message = "Registration failed at the " + step + " step: " + errs.PublicMessage(e)
	}
	if e.Kind == errs.NotFound && step == StepCustomer {
		// An existing customer_id that is unknown is bad input.
		return &errs.Error{Kind: errs.Invalid, Message: "Invalid parameter(s): customer_id", Reason: out.Reason,
			Params: map[string]string{"customer_id": "No customer has this id."}, Err: err}
	}
	if len(e.Params) > 0 {
		out.Params = map[string]string{}
		for k, v := range e.Params {
			if prefix != "" && k != "customer_id" && k != "products" {
				k = prefix + "." + k
			}
			out.Params[k] = v
		}
	}
	if e.Reason == "out_of_stock" {
		out.Params = map[string]string{"products": e.Message}
	}
	return out
}

// validate checks the whole request before anything is written, naming
// every bad field, and hashes the new customer's password.
func (s *service) validate(ctx context.Context, r Request) (plan, string, error) {
	var c errs.Collector
	var p plan
	switch {
	case r.CustomerID < 0:
		c.Invalid("customer_id", "Must be a positive integer.")
	case r.CustomerID > 0 && r.Customer != nil:
		c.Invalid("customer", "Give customer_id or customer, not both.")
	case r.CustomerID == 0 && r.Customer == nil:
		c.Missing("customer")
	case r.Customer != nil:
		if isHiddenEmail(r.Customer.Email) && r.Customer.Username != "" {
			r.Customer.Email = strings.ToLower(strings.TrimSpace(r.Customer.Username)) + "@users.invalid"
		}
		nc := customers.NewCustomer{Username: r.Customer.Username, Email: r.Customer.Email, Password: r.Customer.Password,
			Contact: customers.Contact{Firstname: r.Customer.Firstname, Lastname: r.Customer.Lastname}}
		if strings.TrimSpace(nc.Username) == "" {
			c.Missing("customer.username")
		}
		if e := errs.From(nc.Validate()); e != nil {
			for _, f := range e.Fields() {
				c.Invalid("customer."+f, e.Params[f])
			}
		}
	}
	// The site's address is looked up at the sites service while the
	// products are read here: two round trips at once instead of in turn.
	taken := s.lookupSite(ctx, r.Site)
	if err := s.products(ctx, &c, r, &p); err != nil {
		return plan{}, "", err
	}
	if r.Site != nil {
		if err := s.checkSite(&c, r.Site, taken); err != nil {
			return plan{}, "", err
		}
	}
	for _, st := range []struct {
		field, value string
		allowed      []string
	}{{"payment.status", r.PaymentStatus, payments.Statuses}, {"membership.status", r.MembershipStatus, memberships.Statuses}} {
		if st.value != "" && !contains(st.allowed, st.value) {
			c.Invalid(st.field, "Must be one of: "+strings.Join(st.allowed, ", ")+".")
		}
	}
	if err := c.Err(); err != nil {
		return plan{}, "", stepError(StepValidate, "", err)
	}
	if r.Customer == nil {
		return p, "", nil
	}
	hash, err := customers.HashPassword(s.Hasher, r.Customer.Password)
	if err != nil {
		return plan{}, "", stepError(StepCustomer, "customer", err)
	}
	return p, hash, nil
}

func contains(list []string, v string) bool { return slices.Contains(list, v) }

// products resolves the products of r into the plan and its add-ons, and
// the price of the period r asks for.
func (s *service) products(ctx context.Context, c *errs.Collector, r Request, p *plan) error {
	if len(r.Products) == 0 {
		c.Missing("products")
		return nil
	}
	if len(r.Products) > MaxProducts {
		c.Invalid("products", fmt.Sprintf("At most %d products.", MaxProducts))
		return nil
	}
	var found []products.Product
	for _, ref := range r.Products {
		pr, err := s.Catalog.Find(ctx, ref)
		switch {
		case errors.Is(err, errs.NotFound):
			c.Invalid("products", fmt.Sprintf("No product has the id or slug %.64q.", ref))
			return nil
		case err != nil:
			return stepError(StepValidate, "", err)
		case !pr.Active():
			c.Invalid("products", "The product "+pr.Slug+" is not for sale.")
			return nil
		}
		found = append(found, pr)
	}
	planAt := 0
	for i, pr := range found {
		if pr.Type == products.TypePlan {
			planAt = i
			break
		}
	}
	p.product = found[planAt]
	p.addons = append(append([]products.Product{}, found[:planAt]...), found[planAt+1:]...)
	if r.Duration == 0 && r.DurationUnit == "" {
		return nil
	}
	if r.Duration <= 0 || !contains(memberships.Units, r.DurationUnit) {
		c.Invalid("duration", "Give duration (at least 1) and duration_unit (day, week, month or year) together.")
		return nil
	}
	pl := p.product
	if r.Duration == pl.Duration && r.DurationUnit == pl.DurationUnit {
		return nil
	}
	cycle := products.CycleOf(pl.Recurring, r.Duration, r.DurationUnit)
	prices, _, err := s.Catalog.ListPricings(ctx, products.PricingFilter{ProductIDs: []int64{pl.ID}, Currency: pl.Currency})
	if err != nil {
		return stepError(StepValidate, "", err)
	}
	if cycle == "" || len(prices) == 0 {
		c.Invalid("duration", fmt.Sprintf("The plan %s is not sold for %d %s(s).", pl.Slug, r.Duration, r.DurationUnit))
		return nil
	}
	price, ok := prices[0].Prices[cycle]
	if !ok {
		c.Invalid("duration", fmt.Sprintf("The plan %s is not sold for %d %s(s).", pl.Slug, r.Duration, r.DurationUnit))
		return nil
	}
	amount, initial := price, price+prices[0].Setup[cycle]
	for _, a := range p.addons {
		amount += a.Amount
		initial += a.Amount + a.SetupFee
	}
	p.amount, p.initial = amounts.Format(amount, pl.Currency), amounts.Format(initial, pl.Currency)
	return nil
}

// siteURLOK reports whether u has the shape of a site address.
func siteURLOK(u string) bool {
	return len(u) >= MinSiteURL && len(u) <= MaxSiteURL && strings.Trim(u, "abcdefghijklmnopqrstuvwxyz0123456789") == ""
}

// lookupSite starts looking up the address of site at the sites service
// and returns what waits for the answer (nil: no address to look up). The
// lookup ends on its own when nobody waits.
func (s *service) lookupSite(ctx context.Context, site *Site) func() error {
	if site == nil || !siteURLOK(site.URL) {
		return nil
	}
	done := make(chan error, 1)
	go func() {
		_, err := s.Sites.SiteByCode(ctx, site.URL)
		done <- err
	}()
	return func() error { return <-done }
}

// checkSite checks the site's address (free, lower case letters and
// digits: taken waits for the lookup of lookupSite) and title.
func (s *service) checkSite(c *errs.Collector, site *Site, taken func() error) error {
	u := site.URL
	switch {
	case u == "":
		c.Missing("site.site_url")
	case !siteURLOK(u) || taken == nil:
		c.Invalid("site.site_url", fmt.Sprintf("Must be %d to %d lower case letters and digits.", MinSiteURL, MaxSiteURL))
	default:
		err := taken()
		switch {
		case err == nil:
			c.Invalid("site.site_url", "This address is already taken.")
		case !errors.Is(err, errs.NotFound):
			return stepError(StepSite, "site", err)
		}
	}
	t := strings.TrimSpace(site.Title)
	site.Title = t
	switch {
	case t == "":
		c.Missing("site.site_title")
	case !utf8.ValidString(t) || utf8.RuneCountInString(t) < MinSiteTitle || utf8.RuneCountInString(t) > MaxSiteTitle:
		c.Invalid("site.site_title", fmt.Sprintf("Must be %d to %d characters.", MinSiteTitle, MaxSiteTitle))
	}
	if site.TemplateID < 0 {
		c.Invalid("site.template_id", "Must be a positive integer.")
	}
	return nil
}
