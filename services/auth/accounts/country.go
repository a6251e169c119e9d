package accounts

import (
	"golang.org/x/text/language"
	"golang.org/x/text/language/display"
)

// CountryName returns the English name of the country whose ISO 3166-1
// numeric code (a UN M49 code) is code, and whether it is one. Regions that
// are not countries (continents, "world"), withdrawn codes (Netherlands
// Antilles, Serbia and Montenegro, …) and codes replaced by another are
// not. The table is CLDR's, through golang.org/x/text.
func CountryName(code int) (string, bool) {
	if code <= 0 || code > 999 {
		return "", false
	}
	r, err := language.EncodeM49(code)
	if err != nil || !r.IsCountry() || r.Canonicalize() != r {
		return "", false
	}
	name := display.English.Regions().Name(r)
	return name, name != ""
}
