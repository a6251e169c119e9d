package accounts_test

import (
	"testing"

	"github.com/hostplane/hostplane/libs/errs"
	"github.com/hostplane/hostplane/services/auth/accounts"
)

func TestCountryName(t *testing.T) {
	tests := []struct {
		code int
		name string
		ok   bool
	}{
		{250, "France", true},
		{276, "Germany", true},
		{826, "United Kingdom", true},
		{840, "United States", true},
		{56, "Belgium", true},
		{756, "Switzerland", true},
		{4, "Afghanistan", true},
		{0, "", false},
		{-1, "", false},
		{1000, "", false},
		{1, "", false},   // the world
		{150, "", false}, // Europe
		{530, "", false}, // Netherlands Antilles, withdrawn
		{891, "", false}, // Serbia and Montenegro, withdrawn
		{249, "", false}, // Metropolitan France, replaced by 250
		{999, "", false},
	}
	for _, tt := range tests {
		name, ok := accounts.CountryName(tt.code)
		if name != tt.name || ok != tt.ok {
			t.Errorf("CountryName(%d) = %q, %v; want %q, %v", tt.code, name, ok, tt.name, tt.ok)
		}
	}
	n := 0
	for code := 1; code < 1000; code++ {
		if _, ok := accounts.CountryName(code); ok {
			n++
		}
	}
	if n < 245 || n > 260 {
		t.Errorf("%d countries, want about 249", n)
	}
}

func TestSIRET(t *testing.T) {
	tests := []struct {
		in string
		ok bool
	}{
		{"73282932000074", true},    // a real company's head office
		{"732 829 320 00074", true}, // written with spaces
		{"35600000000048", true},    // La Poste's head office (Luhn)
		{"35600000049837", true},    // a La Poste establishment: digits add up to 50
		{"73282932000075", false},   // check digit off
		{"7328293200007", false},    // 13 digits
		{"732829320000740", false},  // 15 digits
		{"7328293200007A", false},
		{"", false},
	}
	for _, tt := range tests {
		if got := accounts.ValidSIRET(accounts.NormalizeSIRET(tt.in)); got != tt.ok {
			t.Errorf("ValidSIRET(%q) = %v, want %v", tt.in, got, tt.ok)
		}
	}
}

func TestVAT(t *testing.T) {
	valid := []string{
		"FR44732829320", "fr 44 732 829 320", "FRXX732829320", "DE123456789", "ATU12345678", "BE0123456789",
		"BE1234567890", "BG123456789", "BG1234567890", "CY12345678L", "CZ12345678", "CZ1234567890", "DK12345678",
		"EE123456789", "EL123456789", "ESX1234567X", "ES12345678Z", "FI12345678", "HR12345678901", "HU12345678",
		"IE1234567WA", "IE1234567W", "IE1S23456A", "IT12345678901", "LT123456789", "LT123456789012", "LU12345678",
		"LV12345678901", "MT12345678", "NL123456789B01", "PL1234567890", "PT123456789", "RO1234567890", "RO12",
		"SE123456789001", "SI12345678", "SK1234567890", "XI123456789", "GB123456789", "GBGD123",
	}
	for _, s := range valid {
		if !accounts.ValidVAT(accounts.NormalizeVAT(s)) {
			t.Errorf("ValidVAT(%q) = false", s)
		}
	}
	invalid := []string{
		"", "FR", "FR4473282932", "FRIO732829320", "DE12345678", "DE1234567890", "ATU1234567", "BE2123456789",
		"GR123456789", "NL123456789A01", "SE123456789002", "US123456789", "CHE123456789", "123456789", "RO0123",
		"ES123456789", "IE12345678",
	}
	for _, s := range invalid {
		if accounts.ValidVAT(accounts.NormalizeVAT(s)) {
			t.Errorf("ValidVAT(%q) = true", s)
		}
	}
}

func ptr[T any](v T) *T { return &v }

func TestContactPatchValidate(t *testing.T) {
	tests := []struct {
		name  string
		patch accounts.ContactPatch
		kind  errs.Kind
		field string
	}{
		{"all good", accounts.ContactPatch{Firstname: ptr("Ada"), Civility: ptr("mrs"), Email: ptr("ada@example.com"),
			Phone: ptr("+33 1 23 45 67 89"), CompanyZipcode: ptr("75001"), CompanyCountryID: ptr(250),
			CompanySiret: ptr("732 829 320 00074"), CompanyTVA: ptr("fr44732829320"), CompanyNAF: ptr("6201z")}, "", ""},
		{"clearing optional fields", accounts.ContactPatch{Function: ptr(""), CompanyTVA: ptr(" "), CompanyCountryID: ptr(0)}, "", ""},
		{"civility", accounts.ContactPatch{Civility: ptr("Dr")}, errs.Invalid, "civility"},
		{"email", accounts.ContactPatch{Email: ptr("not-an-email")}, errs.Invalid, "email"},
		{"email with name", accounts.ContactPatch{Email: ptr("Ada <ada@example.com>")}, errs.Invalid, "email"},
		{"cleared email", accounts.ContactPatch{Email: ptr("  ")}, errs.Missing, "email"},
		{"cleared lastname", accounts.ContactPatch{Lastname: ptr("")}, errs.Missing, "lastname"},
		{"phone", accounts.ContactPatch{Phone: ptr("call me")}, errs.Invalid, "phone"},
		{"short phone", accounts.ContactPatch{Phone: ptr("12")}, errs.Invalid, "phone"},
		{"zipcode", accounts.ContactPatch{CompanyZipcode: ptr("75001;DROP")}, errs.Invalid, "company_zipcode"},
		{"country", accounts.ContactPatch{CompanyCountryID: ptr(999)}, errs.Invalid, "company_country_id"},
		{"siret luhn", accounts.ContactPatch{CompanySiret: ptr("73282932000075")}, errs.Invalid, "company_siret"},
		{"siret length", accounts.ContactPatch{CompanySiret: ptr("123")}, errs.Invalid, "company_siret"},
		{"vat", accounts.ContactPatch{CompanyTVA: ptr("FR123")}, errs.Invalid, "company_tva"},
		{"naf", accounts.ContactPatch{CompanyNAF: ptr("62011")}, errs.Invalid, "company_naf"},
		{"control characters", accounts.ContactPatch{CompanyName: ptr("ACME\x00")}, errs.Invalid, "company_name"},
		{"too long", accounts.ContactPatch{CompanyCity: ptr(string(make([]byte, 256)))}, errs.Invalid, "company_city"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.patch.Validate()
			if tt.field == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			e := errs.From(err)
			if e == nil || e.Kind != tt.kind || e.Params[tt.field] == "" || len(e.Params) != 1 {
				t.Fatalf("err = %v, want %s naming %s", err, tt.kind, tt.field)
			}
		})
	}
	// Every problem is named at once.
	err := accounts.ContactPatch{Civility: ptr("Dr"), CompanySiret: ptr("1"), Email: ptr("")}.Validate()
	if e := errs.From(err); e == nil || len(e.Params) != 3 || e.Kind != errs.Invalid {
		t.Fatalf("several problems: %v", err)
	}
}
