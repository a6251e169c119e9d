package accounts

import (
	"net/mail"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/hostplane/hostplane/libs/errs"
)

// Civilities are the accepted values of civility.
var Civilities = []string{"Mr", "Mrs", "Miss"}

// Limits of contact fields.
const (
	MaxText    = 255
	MaxZipcode = 16
	MaxPhone   = 32
)

// Formats of contact fields (constant tables).
var (
	phoneFormat   = regexp.MustCompile(`^\+?[0-9][0-9 ().\-/]*[0-9]$`)
	zipcodeFormat = regexp.MustCompile(`^[0-9A-Za-z][0-9A-Za-z \-]*$`)
	nafFormat     = regexp.MustCompile(`^(\d{2})\.?(\d{2})([A-Z])$`)
)

// required are the fields a patch cannot clear.
var required = map[string]bool{"firstname": true, "lastname": true, "email": true}

// normalized returns p with every set text trimmed and written the one way
// it is kept (civility's canonical case, SIRET without spaces, VAT and NAF
// upper case), into new strings: the caller's are left alone.
func (p ContactPatch) normalized() ContactPatch {
	out := p
	for _, f := range out.texts(&Contact{}) {
		if *f.patch == nil {
			continue
		}
		v := strings.TrimSpace(**f.patch)
		switch f.name {
		case "civility":
			for _, c := range Civilities {
				if strings.EqualFold(v, c) || strings.EqualFold(strings.TrimSuffix(v, "."), c) {
					v = c
				}
			}
		case "company_siret":
			v = NormalizeSIRET(v)
		case "company_tva":
			v = NormalizeVAT(v)
		case "company_naf":
			v = strings.ToUpper(strings.ReplaceAll(v, " ", ""))
			if m := nafFormat.FindStringSubmatch(v); m != nil {
				v = m[1] + "." + m[2] + m[3]
			}
		}
		*f.patch = &v
	}
	return out
}

// validate checks a normalized patch and names every bad field: a cleared
// required field is missing (sb 4001), anything else out of format invalid
// (4002).
func (p ContactPatch) validate() error {
	var c errs.Collector
	for _, f := range p.texts(&Contact{}) {
		if *f.patch == nil {
			continue
		}
		v := **f.patch
		if v == "" {
			if required[f.name] {
				c.Missing(f.name)
			}
			continue
		}
		if !plainText(v) {
			c.Invalid(f.name, "Must be text without control characters.")
			continue
		}
		if utf8.RuneCountInString(v) > MaxText {
			c.Invalid(f.name, "Must be at most 255 characters.")
			continue
		}
		if msg := checkFormat(f.name, v); msg != "" {
			c.Invalid(f.name, msg)
		}
	}
	if p.CompanyCountryID != nil && *p.CompanyCountryID != 0 {
		if _, ok := CountryName(*p.CompanyCountryID); !ok {
			c.Invalid("company_country_id", "Must be an ISO 3166-1 numeric country code (250 for France, 276 for Germany, …).")
		}
	}
	return c.Err()
}

// checkFormat is what is wrong with v as field name ("" when nothing).
func checkFormat(name, v string) string {
	switch name {
	case "civility":
		for _, c := range Civilities {
			if v == c {
				return ""
			}
		}
		return "Must be one of: Mr, Mrs, Miss."
	case "email":
		if a, err := mail.ParseAddress(v); err != nil || a.Address != v || len(v) > 254 {
			return "Invalid email format."
		}
	case "phone":
		digits := 0
		for _, r := range v {
			if r >= '0' && r <= '9' {
				digits++
			}
		}
		if len(v) > MaxPhone || digits < 4 || !phoneFormat.MatchString(v) {
			return "Must be a phone number: digits, spaces, dots, dashes or parentheses, optionally after a +."
		}
	case "company_zipcode":
		if len(v) > MaxZipcode || !zipcodeFormat.MatchString(v) {
			return "Must be a postal code: at most 16 letters, digits, spaces or dashes."
		}
	case "company_siret":
		if !ValidSIRET(v) {
			return "Must be a SIRET: 14 digits with a valid check digit."
		}
	case "company_tva":
		if !ValidVAT(v) {
			return "Must be a VAT number of an EU country: its prefix (FR, DE, EL, …) then its national format (FR: 2 characters and the 9-digit SIREN)."
		}
	case "company_naf":
		if !nafFormat.MatchString(v) {
			return "Must be a NAF (APE) code such as 62.01Z."
		}
	}
	return ""
}

// plainText reports whether s is valid UTF-8 without control characters.
func plainText(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if unicode.IsControl(r) {
			return false
		}
	}
	return true
}

// apply writes a validated patch into c.
func (p ContactPatch) apply(c *Contact) {
	for _, f := range p.texts(c) {
		if *f.patch != nil {
			*f.value = **f.patch
		}
	}
	if p.CompanyCountryID != nil {
		c.CompanyCountryID = *p.CompanyCountryID
	}
}

// Validate reports every problem of p, as UpdateContact would.
func (p ContactPatch) Validate() error { return p.normalized().validate() }
