package transport

import (
	"math"
	"net/http"
	"strconv"
	"strings"

	"github.com/hostplane/hostplane/libs/dialect/decode"
	"github.com/hostplane/hostplane/libs/dialect/wu"
	"github.com/hostplane/hostplane/libs/errs"
	"github.com/hostplane/hostplane/services/sites/domains"
	"github.com/hostplane/hostplane/services/sites/site"
)

var wuBody = decode.Options{DisallowUnknown: true}

// siteBody is the body of POST /sites and of updates: the reference's
// fields (customer_id, membership_id, domain, path, title, template_id,
// type), the plugin's others, and slug (or site_url, code) for the code.
// Fields the plugin shows but Hostplane does not keep (mature, spam,
// lang_id, …) are accepted and ignored.
type siteBody struct {
	CustomerID      *int64   `json:"customer_id"`
	MembershipID    *int64   `json:"membership_id"`
	TemplateID      *int64   `json:"template_id"`
	Domain          *string  `json:"domain"`
	Path            *string  `json:"path"`
	Title           *string  `json:"title"`
	Name            *string  `json:"name"`
	Description     *string  `json:"description"`
	Type            *string  `json:"type"`
	Slug            *string  `json:"slug"`
	SiteURL         *string  `json:"site_url"`
	Code            *string  `json:"code"`
	Active          flexBool `json:"active"`
	Public          flexBool `json:"public"`
	Archived        flexBool `json:"archived"`
	SiteID          *int64   `json:"site_id"` // the WordPress network: always 1
	Mature          flexBool `json:"mature"`
	Spam            flexBool `json:"spam"`
	Deleted         flexBool `json:"deleted"`
	LangID          *int64   `json:"lang_id"`
	FeaturedImageID *int64   `json:"featured_image_id"`
	Categories      []string `json:"categories"`
	Notes           *string  `json:"notes"`
}

func str(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

func num(p *int64) int64 {
	if p == nil {
		return 0
	}
	return *p
}

// code is the code the body names, first of slug, site_url and code.
func (b siteBody) code() *string {
	for _, p := range []*string{b.Slug, b.SiteURL, b.Code} {
		if p != nil && *p != "" {
			v := strings.ToLower(strings.TrimSpace(*p))
			return &v
		}
	}
	return nil
}

func (b siteBody) title() *string {
	if b.Title != nil {
		return b.Title
	}
	return b.Name
}

// readSiteCreate decodes a wu create body into a new site.
func readSiteCreate(r *http.Request) (site.NewSite, error) {
	var b siteBody
	if err := decode.Body(r, &b, wuBody); err != nil {
		return site.NewSite{}, err
	}
	in := site.NewSite{
		Code: str(b.code()), CustomerID: num(b.CustomerID), MembershipID: num(b.MembershipID), TemplateID: num(b.TemplateID),
		Title: str(b.title()), Description: str(b.Description), Domain: str(b.Domain), Path: str(b.Path), Type: str(b.Type),
		Active: b.Active.ptr(), Public: b.Public.ptr(), Archived: b.Archived.ptr(),
		IdempotencyKey: r.Header.Get("Idempotency-Key"),
	}
	return in, nil
}

// readSitePatch decodes a wu update body.
func readSitePatch(r *http.Request) (site.Patch, error) {
	var b siteBody
	if err := decode.Body(r, &b, wuBody); err != nil {
		return site.Patch{}, err
	}
	if c := b.code(); c != nil {
		return site.Patch{}, errs.InvalidField("slug", "The code of a site cannot change.")
	}
	return site.Patch{
		Title: b.title(), Description: b.Description, Domain: b.Domain, Path: b.Path, Type: b.Type,
		Active: b.Active.ptr(), Public: b.Public.ptr(), Archived: b.Archived.ptr(), CustomerID: b.CustomerID,
		MembershipID: b.MembershipID, TemplateID: b.TemplateID,
	}, nil
}

// siteOrders are the orderby values of wu site lists.
var siteOrders = map[string]site.Order{
	"id": site.ByID, "title": site.ByTitle, "name": site.ByTitle, "domain": site.ByDomain, "slug": site.ByCode,
	"date_created": site.ByDateCreated, "registered": site.ByDateCreated, "date_modified": site.ByDateModified,
	"last_updated": site.ByDateModified,
}

var siteList = wu.ListSpec{
	OrderBy:  []string{"id", "title", "name", "domain", "slug", "date_created", "registered", "date_modified", "last_updated"},
	Statuses: site.Statuses,
}

// idParam reads an optional positive integer query filter.
func idParam(c *errs.Collector, r *http.Request, name string) int64 {
	s := strings.TrimSpace(r.URL.Query().Get(name))
	if s == "" {
		return 0
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n <= 0 {
		c.Invalid(name, "Must be a positive integer.")
		return 0
	}
	return n
}

// readSiteList decodes the list parameters of wu sites.
func readSiteList(r *http.Request) (site.ListFilter, wu.ListQuery, error) {
	q, err := wu.ParseList(r.URL.Query(), siteList)
	var c errs.Collector
	if e := errs.From(err); e != nil {
		for _, f := range e.Fields() {
			c.Invalid(f, e.Params[f])
		}
	}
	f := site.ListFilter{
		Term: q.Search, Status: q.Status, CreatedFrom: q.DateFrom, CreatedTo: q.DateTo,
		OrderBy: siteOrders[q.OrderBy], Desc: q.Order == "desc", Offset: q.Offset(), Limit: q.PerPage,
		CustomerID: idParam(&c, r, "customer_id"), MembershipID: idParam(&c, r, "membership_id"),
		TemplateID: idParam(&c, r, "template_id"), Type: strings.TrimSpace(r.URL.Query().Get("type")),
	}
	if q.PerPage > 0 && q.Page > math.MaxInt32/q.PerPage {
		c.Invalid("page", "page is too large.")
	}
	return f, q, c.Err()
}

// domainBody is the body of POST /domains and of updates: the reference's
// fields (domain, customer_id, primary_domain, stage) and the plugin's
// (blog_id, active, secure).
type domainBody struct {
	Domain        *string  `json:"domain"`
	BlogID        *int64   `json:"blog_id"`
	CustomerID    *int64   `json:"customer_id"`
	PrimaryDomain flexBool `json:"primary_domain"`
	Active        flexBool `json:"active"`
	Secure        flexBool `json:"secure"`
	Stage         *string  `json:"stage"`
}

func readDomainCreate(r *http.Request) (domains.NewDomain, error) {
	var b domainBody
	if err := decode.Body(r, &b, wuBody); err != nil {
		return domains.NewDomain{}, err
	}
	return domains.NewDomain{Name: str(b.Domain), SiteID: num(b.BlogID), CustomerID: num(b.CustomerID),
		Active: b.Active.ptr(), Primary: b.PrimaryDomain.Value, Secure: b.Secure.Value, Stage: str(b.Stage)}, nil
}

func readDomainPatch(r *http.Request) (domains.Patch, error) {
	var b domainBody
	if err := decode.Body(r, &b, wuBody); err != nil {
		return domains.Patch{}, err
	}
	if b.CustomerID != nil {
		return domains.Patch{}, errs.InvalidField("customer_id", "Give blog_id to move a domain to another site.")
	}
	return domains.Patch{Name: b.Domain, SiteID: b.BlogID, Active: b.Active.ptr(), Primary: b.PrimaryDomain.ptr(),
		Secure: b.Secure.ptr(), Stage: b.Stage}, nil
}

var domainOrders = map[string]domains.Order{
	"id": domains.ByID, "domain": domains.ByDomain, "date_created": domains.ByDateCreated, "blog_id": domains.ByBlogID,
}

var domainList = wu.ListSpec{OrderBy: []string{"id", "domain", "date_created", "blog_id"}, Statuses: domains.Stages}

func readDomainList(r *http.Request) (domains.ListFilter, wu.ListQuery, error) {
	q, err := wu.ParseList(r.URL.Query(), domainList)
	var c errs.Collector
	if e := errs.From(err); e != nil {
		for _, f := range e.Fields() {
			c.Invalid(f, e.Params[f])
		}
	}
	stage := q.Status
	if s := strings.TrimSpace(r.URL.Query().Get("stage")); s != "" {
		stage = s
	}
	f := domains.ListFilter{
		SiteID: idParam(&c, r, "blog_id"), Search: q.Search, Stage: stage, CreatedFrom: q.DateFrom, CreatedTo: q.DateTo,
		OrderBy: domainOrders[q.OrderBy], Desc: q.Order == "desc", Offset: q.Offset(), Limit: q.PerPage,
	}
	if q.PerPage > 0 && q.Page > math.MaxInt32/q.PerPage {
		c.Invalid("page", "page is too large.")
	}
	return f, q, c.Err()
}
