package routes

import "strings"

// Services the gateway proxies to (their Consul names).
const (
	Auth    = "auth"
	Billing = "billing"
	Sites   = "sites"
	Tenancy = "tenancy"
	Stats   = "stats"
)

// Upstreams lists the services the gateway may route to.
var Upstreams = []string{Auth, Billing, Sites, Tenancy, Stats}

// Default is Hostplane's route table.
func Default() []Route {
	var rs []Route
	add := func(r ...Route) { rs = append(rs, r...) }

	// Routes the gateway answers itself.
	add(
		Route{Method: "GET", Pattern: "/wp-json/wu/v2/auth", Service: Gateway, Access: Authenticated, Tag: "wu: auth", Summary: "Test the credentials"},
		Route{Method: "GET", Pattern: "/api/application/health", Service: Gateway, Scope: "health", Tag: "cx: general", Summary: "Health of the API and every service"},
		Route{Method: "GET", Pattern: "/v1/rate.json", Service: Gateway, Access: Authenticated, Tag: "sb: account", Summary: "Remaining rate-limit quota of the caller"},
	)

	// auth: API keys (cx).
	add(
		Route{Method: "GET", Pattern: "/api/application/keys", Service: Auth, Scope: "keys:index", Tag: "cx: keys", Summary: "List API keys"},
		Route{Method: "POST", Pattern: "/api/application/keys", Service: Auth, Scope: "keys:create", Tag: "cx: keys", Summary: "Create an API key", Body: "KeyCreate"},
		Route{Method: "GET", Pattern: "/api/application/keys/{id}", Service: Auth, Scope: "keys:index", Tag: "cx: keys", Summary: "Show an API key"},
		Route{Method: "DELETE", Pattern: "/api/application/keys/{id}", Service: Auth, Scope: "keys:delete", Tag: "cx: keys", Summary: "Revoke an API key"},
	)

	// billing: customers (wu).
	add(wuCRUD("customers", "customer", Billing, "Customer")...)
	return rs
}

// wuCRUD gives the Ultimate Multisite routes of one resource, under both the
// plural path its documentation shows and the singular one the plugin
// serves. Updates accept PUT, PATCH and POST on /{id}.
func wuCRUD(plural, singular, service, body string) []Route {
	var rs []Route
	tag := "wu: " + plural
	for _, name := range []string{plural, singular} {
		base := "/wp-json/wu/v2/" + name
		one := base + "/{id}"
		title := strings.ToUpper(singular[:1]) + singular[1:]
		rs = append(rs,
			Route{Method: "GET", Pattern: base, Service: service, Scope: plural + ":index", Tag: tag, Summary: "List " + plural},
			Route{Method: "POST", Pattern: base, Service: service, Scope: plural + ":create", Tag: tag, Summary: "Create a " + singular, Body: body},
			Route{Method: "GET", Pattern: one, Service: service, Scope: plural + ":index", Tag: tag, Summary: "Get a " + singular},
			Route{Method: "PUT", Pattern: one, Service: service, Scope: plural + ":update", Tag: tag, Summary: "Update a " + singular, Body: body},
			Route{Method: "PATCH", Pattern: one, Service: service, Scope: plural + ":update", Tag: tag, Summary: "Update a " + singular, Body: body},
			Route{Method: "POST", Pattern: one, Service: service, Scope: plural + ":update", Tag: tag, Summary: title + " update (POST)", Body: body},
			Route{Method: "DELETE", Pattern: one, Service: service, Scope: plural + ":delete", Tag: tag, Summary: "Delete a " + singular},
		)
	}
	return rs
}
