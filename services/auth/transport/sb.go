package transport

import (
	"encoding/json"
	"net/http"

	"github.com/hostplane/hostplane/libs/dialect/decode"
	"github.com/hostplane/hostplane/libs/dialect/sb"
	"github.com/hostplane/hostplane/libs/httpkit"
	"github.com/hostplane/hostplane/services/auth/accounts"
)

// sbAccount is GET /v1/account.json's data.
type sbAccount struct {
	AccountNumber string `json:"account_number"`
	AccountType   string `json:"account_type"`
	AccountLevel  string `json:"account_level"`
	CreationDate  string `json:"creation_date"`
}

// sbContact is GET /v1/account/contact.json's data: every field of the
// reference, company_country being the English name of
// company_country_id (ISO 3166-1 numeric, 0 when unset).
type sbContact struct {
	Firstname        string `json:"firstname"`
	Lastname         string `json:"lastname"`
	Civility         string `json:"civility"`
	Function         string `json:"function"`
	Phone            string `json:"phone"`
	Email            string `json:"email"`
	CompanyName      string `json:"company_name"`
	CompanyAddress   string `json:"company_address"`
	CompanyZipcode   string `json:"company_zipcode"`
	CompanyCity      string `json:"company_city"`
	CompanyCountryID int    `json:"company_country_id"`
	CompanyCountry   string `json:"company_country"`
	CompanyForme     string `json:"company_forme"`
	CompanySiret     string `json:"company_siret"`
	CompanyCapital   string `json:"company_capital"`
	CompanyRCS       string `json:"company_rcs"`
	CompanyNAF       string `json:"company_naf"`
	CompanyTVA       string `json:"company_tva"`
}

func sbAccountView(a accounts.Account) sbAccount {
	return sbAccount{AccountNumber: a.Number(), AccountType: a.Type, AccountLevel: a.Level, CreationDate: sb.FormatDate(a.CreatedAt)}
}

func sbContactView(c accounts.Contact) sbContact {
	return sbContact{
		Firstname: c.Firstname, Lastname: c.Lastname, Civility: c.Civility, Function: c.Function, Phone: c.Phone,
		Email: c.Email, CompanyName: c.CompanyName, CompanyAddress: c.CompanyAddress, CompanyZipcode: c.CompanyZipcode,
		CompanyCity: c.CompanyCity, CompanyCountryID: c.CompanyCountryID, CompanyCountry: c.CompanyCountry(),
		CompanyForme: c.CompanyForme, CompanySiret: c.CompanySiret, CompanyCapital: c.CompanyCapital,
		CompanyRCS: c.CompanyRCS, CompanyNAF: c.CompanyNAF, CompanyTVA: c.CompanyTVA,
	}
}

// contactBody is the body of PUT /v1/account/contact.json (JSON or form):
// every field is optional and only the fields sent change.
type contactBody struct {
	Firstname        *string         `json:"firstname"`
	Lastname         *string         `json:"lastname"`
	Civility         *string         `json:"civility"`
	Function         *string         `json:"function"`
	Phone            *string         `json:"phone"`
	Email            *string         `json:"email"`
	CompanyName      *string         `json:"company_name"`
	CompanyAddress   *string         `json:"company_address"`
	CompanyZipcode   *string         `json:"company_zipcode"`
	CompanyCity      *string         `json:"company_city"`
	CompanyCountryID json.RawMessage `json:"company_country_id"`
	CompanyForme     *string         `json:"company_forme"`
	CompanySiret     *string         `json:"company_siret"`
	CompanyCapital   *string         `json:"company_capital"`
	CompanyRCS       *string         `json:"company_rcs"`
	CompanyNAF       *string         `json:"company_naf"`
	CompanyTVA       *string         `json:"company_tva"`
}

// MountSB mounts the sb dialect: GET /v1/account.json, GET and PUT
// /v1/account/contact.json (a form POST with method=PUT reaches PUT: see
// Untunnel).
func MountSB(r *httpkit.Router, e Endpoints) {
	get := func(*http.Request) (any, error) { return accounts.GetRequest{}, nil }
	r.Handle(http.MethodGet, "/v1/account.json", httpkit.Endpoint(e.Accounts.Get, get,
		func(w http.ResponseWriter, r *http.Request, resp any) error {
			sb.WriteData(w, r, http.StatusOK, sbAccountView(resp.(accounts.Account)))
			return nil
		}, sb.WriteError))
	contact := func(w http.ResponseWriter, r *http.Request, resp any) error {
		sb.WriteData(w, r, http.StatusOK, sbContactView(resp.(accounts.Account).Contact))
		return nil
	}
	r.Handle(http.MethodGet, "/v1/account/contact.json", httpkit.Endpoint(e.Accounts.Get, get, contact, sb.WriteError))
	r.Handle(http.MethodPut, "/v1/account/contact.json", httpkit.Endpoint(e.Accounts.UpdateContact, decodeContact, contact, sb.WriteError))
}

func decodeContact(r *http.Request) (any, error) {
	var b contactBody
	if err := decode.Body(r, &b, decode.Options{}); err != nil {
		return nil, err
	}
	p := accounts.ContactPatch{
		Firstname: b.Firstname, Lastname: b.Lastname, Civility: b.Civility, Function: b.Function, Phone: b.Phone,
		Email: b.Email, CompanyName: b.CompanyName, CompanyAddress: b.CompanyAddress, CompanyZipcode: b.CompanyZipcode,
		CompanyCity: b.CompanyCity, CompanyForme: b.CompanyForme, CompanySiret: b.CompanySiret,
		CompanyCapital: b.CompanyCapital, CompanyRCS: b.CompanyRCS, CompanyNAF: b.CompanyNAF, CompanyTVA: b.CompanyTVA,
	}
	var c collect
	if b.CompanyCountryID != nil {
		id := 0
		if !isNull(b.CompanyCountryID) {
			n, err := integer(b.CompanyCountryID, "company_country_id")
			c.add(err)
			if n < 0 || n > 999 {
				n = -1 // out of every table: refused by validation
			}
			id = int(n)
		}
		p.CompanyCountryID = &id
	}
	// Name every bad field at once: the transport's and the service's.
	if err := p.Validate(); err != nil {
		c.add(err)
	}
	if err := c.err(); err != nil {
		return nil, err
	}
	return accounts.UpdateContactRequest{Patch: p}, nil
}
