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

// Default is Hostplane's route table: the gateway's own routes, then each
// service's (one file each: table_<service>.go).
func Default() []Route {
	var rs []Route
	for _, part := range [][]Route{gatewayRoutes(), authRoutes(), billingRoutes(), sitesRoutes(), tenancyRoutes(), statsRoutes()} {
		rs = append(rs, part...)
	}
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
