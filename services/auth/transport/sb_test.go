package transport_test

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"

	"github.com/hostplane/hostplane/libs/principal"
)

// sbEnvelope is an sb answer.
type sbEnvelope struct {
	Meta struct {
		Success    bool `json:"success"`
		StatusCode int  `json:"status_code"`
	} `json:"meta"`
	Error *struct {
		Code    int               `json:"code"`
		Message string            `json:"message"`
		Fields  map[string]string `json:"fields"`
	} `json:"error"`
	Data map[string]any `json:"data"`
}

func sbDecode(t *testing.T, body string) sbEnvelope {
	t.Helper()
	var e sbEnvelope
	if err := json.Unmarshal([]byte(body), &e); err != nil {
		t.Fatalf("not an sb envelope: %s", body)
	}
	return e
}

// contactFields are every field of the reference's contact.
var contactFields = []string{"firstname", "lastname", "civility", "function", "phone", "email", "company_name",
	"company_address", "company_zipcode", "company_city", "company_country_id", "company_country", "company_forme",
	"company_siret", "company_capital", "company_rcs", "company_naf", "company_tva"}

func TestAccount(t *testing.T) {
	a := newAPI(t)
	code, body, _ := a.call(root, "GET", "/v1/account.json", "")
	e := sbDecode(t, body)
	if code != 200 || !e.Meta.Success || e.Data["account_number"] != "000001" || e.Data["account_type"] != "operator" ||
		e.Data["account_level"] != "standard" || !regexp.MustCompile(`^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$`).MatchString(e.Data["creation_date"].(string)) {
		t.Fatalf("account: %d %s", code, body)
	}
	code, body, _ = a.call(root, "GET", "/v1/account/contact.json", "")
	e = sbDecode(t, body)
	if code != 200 || len(e.Data) != len(contactFields) {
		t.Fatalf("contact: %d %s", code, body)
	}
	for _, f := range contactFields {
		if _, ok := e.Data[f]; !ok {
			t.Errorf("contact lacks %s", f)
		}
	}
	if e.Data["company_country_id"] != float64(0) {
		t.Errorf("unset country id: %v", e.Data["company_country_id"])
	}
}

func TestContactUpdate(t *testing.T) {
	a := newAPI(t)
	// JSON.
	code, body, _ := a.call(root, "PUT", "/v1/account/contact.json",
		`{"firstname":"Ada","lastname":"Lovelace","civility":"Mrs","email":"ada@example.com","company_country_id":250,`+
			`"company_siret":"732 829 320 00074","company_tva":"FR44732829320","company_naf":"6201Z","phone":"+33 1 23 45 67 89"}`)
	e := sbDecode(t, body)
	if code != 200 || e.Data["company_country"] != "France" || e.Data["company_country_id"] != float64(250) ||
		e.Data["company_siret"] != "73282932000074" || e.Data["company_naf"] != "62.01Z" || e.Data["firstname"] != "Ada" {
		t.Fatalf("json put: %d %s", code, body)
	}
	// A form, with the method tunnelled as Kiubi's client sends it.
	code, body, _ = a.call(root, "POST", "/v1/account/contact.json",
		"method=PUT&company_name=Analytical+Engines&company_country_id=276&company_tva=DE123456789&civility=Miss")
	e = sbDecode(t, body)
	if code != 200 || e.Data["company_country"] != "Germany" || e.Data["company_name"] != "Analytical Engines" ||
		e.Data["civility"] != "Miss" || e.Data["firstname"] != "Ada" {
		t.Fatalf("tunnelled form put: %d %s", code, body)
	}
	// method=GET tunnelled reads.
	code, body, _ = a.call(root, "POST", "/v1/account/contact.json", "method=GET")
	if e := sbDecode(t, body); code != 200 || e.Data["company_name"] != "Analytical Engines" {
		t.Fatalf("tunnelled get: %d %s", code, body)
	}

	bad := []struct {
		body  string
		code  int
		field string
	}{
		{`{"civility":"Dr"}`, 4002, "civility"},
		{`{"email":"nope"}`, 4002, "email"},
		{`{"company_siret":"73282932000075"}`, 4002, "company_siret"},
		{`{"company_tva":"FR123"}`, 4002, "company_tva"},
		{`{"company_country_id":999}`, 4002, "company_country_id"},
		{`{"company_country_id":"France"}`, 4002, "company_country_id"},
		{`{"company_zipcode":"<script>"}`, 4002, "company_zipcode"},
		{`{"phone":"call me"}`, 4002, "phone"},
		{`{"email":""}`, 4001, "email"},
		{"method=PUT&lastname=", 4001, "lastname"},
		{"method=PUT&company_siret=123", 4002, "company_siret"},
	}
	_, before, _ := a.call(root, "GET", "/v1/account/contact.json", "")
	for _, tt := range bad {
		method := "PUT"
		if strings.HasPrefix(tt.body, "method=") {
			method = "POST"
		}
		code, body, _ := a.call(root, method, "/v1/account/contact.json", tt.body)
		e := sbDecode(t, body)
		if code != 400 || e.Meta.Success || e.Error == nil || e.Error.Code != tt.code || e.Error.Fields[tt.field] == "" {
			t.Errorf("%s: %d %s, want 400 %d naming %s", tt.body, code, body, tt.code, tt.field)
		}
	}
	if _, after, _ := a.call(root, "GET", "/v1/account/contact.json", ""); after != before {
		t.Errorf("refused updates changed the contact:\n%s\n%s", before, after)
	}
	// Several bad fields are named together.
	_, body, _ = a.call(root, "PUT", "/v1/account/contact.json", `{"civility":"Dr","company_siret":"1","company_country_id":"x"}`)
	if e := sbDecode(t, body); e.Error == nil || len(e.Error.Fields) != 3 {
		t.Errorf("several problems: %s", body)
	}
	restricted := &principal.Principal{KeyID: 9, AccountID: 1, CustomerID: 3, Permissions: []string{"*"}}
	if code, body, _ := a.call(restricted, "PUT", "/v1/account/contact.json", `{"lastname":"X"}`); code != 403 || sbDecode(t, body).Error.Code != 4308 {
		t.Errorf("customer-restricted key: %d %s", code, body)
	}
}
