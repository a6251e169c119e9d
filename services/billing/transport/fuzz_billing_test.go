package transport

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/hostplane/hostplane/services/billing/checkout"
	"github.com/hostplane/hostplane/services/billing/customers"
	"github.com/hostplane/hostplane/services/billing/memberships"
	"github.com/hostplane/hostplane/services/billing/payments"
	"github.com/hostplane/hostplane/services/billing/products"
)

var billingSeeds = []struct{ contentType, body string }{
	{"application/json", registerReference},
	{"application/json", `{"customer_id":1,"products":[1,"basic-plan"],"site":{"site_url":"abcd","site_title":"Site"}}`},
	{"application/json", `{"products":[{"x":1}],"customer":"x"}`},
	{"application/json", `{"name":"Basic Plan","amount":29.99,"currency":"USD","limits":{"users":3},"available_addons":[2]}`},
	{"application/json", `{"amount":"29.99","setup_fee":true,"duration":"x"}`},
	{"application/json", `{"customer_id":5,"plan_id":3,"status":"active","gateway":"stripe","auto_renew":true,"addon_products":[{"product_id":2,"quantity":1}]}`},
	{"application/json", `{"date_expiration":"2027-01-01","date_trial_end":"nope"}`},
	{"application/json", `{"customer_id":5,"membership_id":10,"status":"completed","total":29.99,"currency":"USD"}`},
	{"application/json", `{"product_id":1,"currency":"EUR","monthly":9.99,"setup_monthly":null,"annually":"","weekly":1}`},
	{"application/json", `{"email":"a@example.com","password":"secret12","country":"fr"}`},
	{"application/json", `{"status":"suspended","billing":"annually","expires_at":"2027-01-01","price":"1"}`},
	{"application/json", `{"reason":"unpaid"}`},
	{"application/json", `null`},
	{"application/json", `[1,2]`},
	{"application/json", `{"amount":1e400}`},
	{"application/x-www-form-urlencoded", `customer[username]=abcd&products[]=1&products[]=x&site[site_url]=abcd&amount=1.5&monthly=`},
	{"application/x-www-form-urlencoded", `addon_products[0][product_id]=1&addon_products[0][quantity]=x`},
	{"text/plain", `x`},
	{"", ``},
}

// fuzzBody runs a decoder on any body: it fails only with a client error,
// and whatever it reads the service's own checks accept or refuse without
// panicking.
func fuzzBody[T any](f *testing.F, read func(*http.Request) (T, error), check func(T) error) {
	for _, s := range billingSeeds {
		f.Add(s.contentType, s.body)
	}
	f.Fuzz(func(t *testing.T, contentType, body string) {
		v, err := read(bodyRequest(http.MethodPost, contentType, body))
		if err != nil {
			clientError(t, err)
			return
		}
		if check != nil {
			if err := check(v); err != nil {
				clientError(t, err)
			}
		}
	})
}

func FuzzReadProduct(f *testing.F) {
	fuzzBody(f, readProduct, func(in products.Input) error { return products.Check(in) })
}

func FuzzReadMembership(f *testing.F) {
	fuzzBody(f, readMembership, func(in memberships.Input) error { return memberships.Check(in) })
}

func FuzzReadPayment(f *testing.F) {
	fuzzBody(f, readPayment, func(in payments.Input) error { return payments.Check(in) })
}

func FuzzReadRegister(f *testing.F) { fuzzBody[checkout.Request](f, readRegister, nil) }

func FuzzReadCXProduct(f *testing.F) {
	fuzzBody(f, readCXProduct, func(in products.Input) error { return products.Check(in) })
}

func FuzzReadCXGroup(f *testing.F) { fuzzBody(f, readCXGroup, nil) }

func FuzzReadCXPricing(f *testing.F) {
	fuzzBody(f, readCXPricing, func(in products.PricingInput) error { return products.CheckPricing(in) })
}

func FuzzReadCXService(f *testing.F) {
	fuzzBody(f, readCXService, func(in memberships.Input) error { return memberships.Check(in) })
}

func FuzzDecodeCXCustomerCreate(f *testing.F) {
	fuzzBody(f, func(r *http.Request) (any, error) { return decodeCXCustomerCreate(r) }, func(v any) error {
		return v.(customers.CreateRequest).New.Validate()
	})
}

func FuzzDecodeCXCustomerUpdate(f *testing.F) {
	fuzzBody(f, func(r *http.Request) (any, error) { return decodeCXCustomerUpdate(r) }, func(v any) error {
		return v.(customers.UpdateRequest).Patch.Validate()
	})
}

func FuzzDecodeLists(f *testing.F) {
	for _, q := range []string{"", "per_page=5&page=2&orderby=amount&order=asc", "status=on-hold&customer_id=3&site_id=x",
		"type=plan&status=hidden&search=a", "filter[status]=suspended&sort=-expires_at&include=pricing,group&pricing=1",
		"filter[group_id]=x&q=abc&per_page=101", "limit=20&page=0", "date_created=2026-01-01,2026-02-01",
		"filter[email]=Jane%40Example.com&filter[email_verification]=verified", "filter[email]=%00%ff"} {
		f.Add(q)
	}
	decoders := []func(*http.Request) (any, error){decodeWUProductList, decodeWUMembershipList, decodeWUPaymentList,
		decodeCXCustomerList, decodeCXProductList, decodeCXServiceList}
	f.Fuzz(func(t *testing.T, raw string) {
		for _, dec := range decoders {
			r := httptest.NewRequest(http.MethodGet, "/x", nil)
			r.URL.RawQuery = raw
			if _, err := dec(r); err != nil {
				clientError(t, err)
			}
		}
	})
}
