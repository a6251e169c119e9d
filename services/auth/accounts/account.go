// Package accounts is the account aggregate of the auth service: the
// operator's account (id 1, made at start) and resellers' accounts, to
// which every API key belongs, with the account owner's and company's
// contact details (the sb dialect's /v1/account.json and
// /v1/account/contact.json). Contact details are checked: civility,
// e-mail, phone, ISO 3166-1 numeric country, SIRET (Luhn), VAT number
// (per EU country format) and NAF code.
package accounts

import (
	"fmt"
	"time"
)

// OperatorID is the operator's account, made at start.
const OperatorID = 1

// Account types.
const (
	TypeOperator = "operator"
	TypeReseller = "reseller"
)

// DefaultLevel is the level of a new account.
const DefaultLevel = "standard"

// Account is an operator's or reseller's account.
type Account struct {
	ID        int64
	Type      string
	Level     string
	Contact   Contact
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Number is the account number shown to API consumers.
func (a Account) Number() string { return fmt.Sprintf("%06d", a.ID) }

// Contact is an account's owner and company. The JSON names are the sb
// dialect's (and how the contact is stored).
type Contact struct {
	Firstname        string `json:"firstname"`
	Lastname         string `json:"lastname"`
	Civility         string `json:"civility"` // Mr, Mrs or Miss
	Function         string `json:"function"`
	Phone            string `json:"phone"`
	Email            string `json:"email"`
	CompanyName      string `json:"company_name"`
	CompanyAddress   string `json:"company_address"`
	CompanyZipcode   string `json:"company_zipcode"`
	CompanyCity      string `json:"company_city"`
	CompanyCountryID int    `json:"company_country_id"` // ISO 3166-1 numeric; 0: unset
	CompanyForme     string `json:"company_forme"`      // legal form
	CompanySiret     string `json:"company_siret"`
	CompanyCapital   string `json:"company_capital"`
	CompanyRCS       string `json:"company_rcs"`
	CompanyNAF       string `json:"company_naf"`
	CompanyTVA       string `json:"company_tva"` // VAT number
}

// CompanyCountry is the English name of the company's country ("" when
// unset).
func (c Contact) CompanyCountry() string {
	name, _ := CountryName(c.CompanyCountryID)
	return name
}

// ContactPatch changes the fields it sets; "" clears a field (but
// firstname, lastname and email, which cannot be cleared), 0 the country.
type ContactPatch struct {
	Firstname        *string
	Lastname         *string
	Civility         *string
	Function         *string
	Phone            *string
	Email            *string
	CompanyName      *string
	CompanyAddress   *string
	CompanyZipcode   *string
	CompanyCity      *string
	CompanyCountryID *int
	CompanyForme     *string
	CompanySiret     *string
	CompanyCapital   *string
	CompanyRCS       *string
	CompanyNAF       *string
	CompanyTVA       *string
}

// textField is one text field of a patch and of a contact.
type textField struct {
	name  string
	patch **string
	value *string
}

// texts pairs p's text fields with c's, by sb name.
func (p *ContactPatch) texts(c *Contact) []textField {
	return []textField{
		{"firstname", &p.Firstname, &c.Firstname},
		{"lastname", &p.Lastname, &c.Lastname},
		{"civility", &p.Civility, &c.Civility},
		{"function", &p.Function, &c.Function},
		{"phone", &p.Phone, &c.Phone},
		{"email", &p.Email, &c.Email},
		{"company_name", &p.CompanyName, &c.CompanyName},
		{"company_address", &p.CompanyAddress, &c.CompanyAddress},
		{"company_zipcode", &p.CompanyZipcode, &c.CompanyZipcode},
		{"company_city", &p.CompanyCity, &c.CompanyCity},
		{"company_forme", &p.CompanyForme, &c.CompanyForme},
		{"company_siret", &p.CompanySiret, &c.CompanySiret},
		{"company_capital", &p.CompanyCapital, &c.CompanyCapital},
		{"company_rcs", &p.CompanyRCS, &c.CompanyRCS},
		{"company_naf", &p.CompanyNAF, &c.CompanyNAF},
		{"company_tva", &p.CompanyTVA, &c.CompanyTVA},
	}
}

// Empty reports whether p changes nothing.
func (p ContactPatch) Empty() bool {
	for _, f := range p.texts(&Contact{}) {
		if *f.patch != nil {
			return false
		}
	}
	return p.CompanyCountryID == nil
}
