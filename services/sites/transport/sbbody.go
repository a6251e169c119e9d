package transport

import (
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/hostplane/hostplane/libs/dialect/decode"
	"github.com/hostplane/hostplane/libs/dialect/sb"
	"github.com/hostplane/hostplane/libs/errs"
	"github.com/hostplane/hostplane/services/sites/site"
)

// sbCreateBody is the body of POST /v1/sites.json (JSON or form), with
// every field the reference lists.
type sbCreateBody struct {
	CopySite         string `json:"copy_site"`
	PlanID           flexID `json:"plan_id"`
	CodeSite         string `json:"code_site"`
	SiteName         string `json:"site_name"`
	ContactFirstname string `json:"contact_firstname"`
	ContactLastname  string `json:"contact_lastname"`
	ContactCivility  string `json:"contact_civility"`
	ContactEmail     string `json:"contact_email"`
	ContactAddress   string `json:"contact_address"`
	ContactZipcode   string `json:"contact_zipcode"`
	ContactCity      string `json:"contact_city"`
	ContactCountryID flexID `json:"contact_country_id"`
	ContactPhone     string `json:"contact_phone"`
	ContactFax       string `json:"contact_fax"`
	CompanyName      string `json:"company_name"`
	CompanyForme     string `json:"company_forme"`
	CompanyCNIL      string `json:"company_cnil"`
	CompanyCapital   string `json:"company_capital"`
	CompanySiret     string `json:"company_siret"`
	CompanyRCS       string `json:"company_rcs"`
	CompanyTVA       string `json:"company_tva"`
}

// readSBCreate decodes and checks an sb create body: every missing
// required field is named in one 4001 error; then every invalid one in a
// 4002.
func readSBCreate(r *http.Request) (site.NewSite, error) {
	var b sbCreateBody
	if err := decode.Body(r, &b, decode.Options{}); err != nil {
		return site.NewSite{}, err
	}
	var missing errs.Collector
	for field, v := range map[string]string{
		"code_site": b.CodeSite, "site_name": b.SiteName, "contact_firstname": b.ContactFirstname,
		"contact_lastname": b.ContactLastname, "contact_civility": b.ContactCivility, "contact_email": b.ContactEmail,
		"contact_address": b.ContactAddress, "contact_zipcode": b.ContactZipcode, "contact_city": b.ContactCity,
		"contact_phone": b.ContactPhone,
	} {
		if strings.TrimSpace(v) == "" {
			missing.Missing(field)
		}
	}
	if !b.PlanID.Set || b.PlanID.Value == 0 {
		missing.Missing("plan_id")
	}
	if !b.ContactCountryID.Set || b.ContactCountryID.Value == 0 {
		missing.Missing("contact_country_id")
	}
	if err := missing.Err(); err != nil {
		return site.NewSite{}, err
	}
	in := site.NewSite{
		Code: strings.TrimSpace(b.CodeSite), CopySite: strings.ToLower(strings.TrimSpace(b.CopySite)), PlanID: b.PlanID.Value,
		Title: b.SiteName, RequireCode: true, IdempotencyKey: r.Header.Get("Idempotency-Key"),
		Contact: site.Contact{
			Firstname: b.ContactFirstname, Lastname: b.ContactLastname, Civility: strings.TrimSpace(b.ContactCivility),
			Email: b.ContactEmail, Address: b.ContactAddress, Zipcode: b.ContactZipcode, City: b.ContactCity,
			CountryID: itoa(b.ContactCountryID.Value), Phone: b.ContactPhone, Fax: b.ContactFax,
			CompanyName: b.CompanyName, CompanyForm: b.CompanyForme, CompanyCNIL: b.CompanyCNIL,
			Capital: b.CompanyCapital, SIRET: b.CompanySiret, RCS: b.CompanyRCS, TVA: b.CompanyTVA,
		},
	}
	return in, in.Validate()
}

// sbSorts are the sort values of sb site lists.
var sbSorts = map[string]struct {
	by   site.Order
	desc bool
}{
	"code_site": {site.ByCode, false}, "-code_site": {site.ByCode, true}, "relevance": {site.ByRelevance, false},
	"creation_date": {site.ByDateCreated, false}, "-creation_date": {site.ByDateCreated, true},
	"closing_date": {site.ByClosingDate, false}, "-closing_date": {site.ByClosingDate, true},
}

// readSBList decodes term, type, sort, limit and page.
func readSBList(r *http.Request) (site.ListFilter, sb.Page, error) {
	q := r.URL.Query()
	p, err := sb.ParsePage(q)
	var c errs.Collector
	if e := errs.From(err); e != nil {
		for _, f := range e.Fields() {
			c.Invalid(f, e.Params[f])
		}
	}
	f := site.ListFilter{Term: strings.TrimSpace(q.Get("term")), OrderBy: site.ByCode, Offset: p.Offset(), Limit: p.Limit}
	if t := strings.TrimSpace(q.Get("type")); t != "" {
		if !slices.Contains(site.Selections, t) {
			c.Invalid("type", "Must be one of: "+strings.Join(site.Selections, ", ")+".")
		}
		f.Select = t
	}
	if s := strings.TrimSpace(q.Get("sort")); s != "" {
		o, ok := sbSorts[s]
		if !ok {
			c.Invalid("sort", "Must be one of: code_site, -code_site, relevance, creation_date, -creation_date, closing_date, -closing_date.")
		}
		f.OrderBy, f.Desc = o.by, o.desc
	}
	return f, p, c.Err()
}

// extraFields reads extra_fields as a list (extra_fields[]=a,
// extra_fields[0]=a, or extra_fields=a,b).
func extraFields(q url.Values) (map[string]bool, error) {
	out := map[string]bool{}
	for k, vs := range q {
		if k != "extra_fields" && !strings.HasPrefix(k, "extra_fields[") {
			continue
		}
		for _, v := range vs {
			for _, f := range strings.Split(v, ",") {
				f = strings.TrimSpace(f)
				switch f {
				case "":
				case "scopes", "features", "account":
					out[f] = true
				default:
					return nil, errs.InvalidField("extra_fields", "Must be among: scopes, features, account.")
				}
			}
		}
	}
	return out, nil
}
