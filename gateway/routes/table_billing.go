package routes

// billingRoutes are the billing service's public routes: wu customers,
// products, memberships, payments and register; cx customers, products,
// groups, pricings and services; sb plans and subscriptions.
func billingRoutes() []Route {
	var rs []Route
	rs = append(rs, wuCRUD("customers", "customer", Billing, "Customer")...)
	rs = append(rs, wuCRUD("products", "product", Billing, "Product")...)
	rs = append(rs, wuCRUD("memberships", "membership", Billing, "Membership")...)
	rs = append(rs, wuCRUD("payments", "payment", Billing, "Payment")...)
	rs = append(rs,
		Route{Method: "GET", Pattern: "/wp-json/wu/v2/register", Service: Billing, Scope: "register:index", Tag: "wu: register", Summary: "Is registration open"},
		Route{Method: "POST", Pattern: "/wp-json/wu/v2/register", Service: Billing, Scope: "register:create", Tag: "wu: register",
			Summary: "Register: customer, membership, payment and site, all or nothing (Idempotency-Key)", Body: "Register"},
	)
	rs = append(rs, billingCX("customers", "customer", "CxCustomer")...)
	rs = append(rs, Route{Method: "POST", Pattern: "/api/application/customers/{id}/action/{action}", Service: Billing,
		Scope: "customers:update", Tag: "cx: customers", Summary: "Suspend, reactivate or ban a customer"})
	rs = append(rs, billingCX("products", "product", "CxProduct")...)
	rs = append(rs, billingCX("groups", "group", "CxGroup")...)
	rs = append(rs, billingCX("pricings", "pricing", "CxPricing")...)
	const svc = "/api/application/services"
	const tag = "cx: services"
	rs = append(rs,
		Route{Method: "GET", Pattern: svc, Service: Billing, Scope: "services:index", Tag: tag, Summary: "List services"},
		Route{Method: "GET", Pattern: svc + "/{id}", Service: Billing, Scope: "services:index", Tag: tag, Summary: "Show a service"},
		Route{Method: "PUT", Pattern: svc + "/{id}", Service: Billing, Scope: "services:update", Tag: tag, Summary: "Update a service", Body: "CxService"},
		Route{Method: "POST", Pattern: svc + "/{id}", Service: Billing, Scope: "services:update", Tag: tag, Summary: "Update a service (POST)", Body: "CxService"},
		Route{Method: "DELETE", Pattern: svc + "/{id}", Service: Billing, Scope: "services:delete", Tag: tag, Summary: "Cancel a service"},
		Route{Method: "POST", Pattern: svc + "/{id}/suspend", Service: Billing, Scope: "services:suspend", Tag: tag, Summary: "Suspend a service (with a reason)", Body: "CxReason"},
		Route{Method: "POST", Pattern: svc + "/{id}/unsuspend", Service: Billing, Scope: "services:unsuspend", Tag: tag, Summary: "Unsuspend a service"},
		Route{Method: "POST", Pattern: svc + "/{id}/expire", Service: Billing, Scope: "services:expire", Tag: tag, Summary: "Expire a service now"},
		Route{Method: "GET", Pattern: "/v1/plans.json", Service: Billing, Scope: "plans:index", Tag: "sb: plans", Summary: "List the plans on offer"},
		Route{Method: "GET", Pattern: "/v1/sites/{code_site}/subscriptions.json", Service: Billing, Scope: "subscriptions:index", Tag: "sb: subscriptions", Summary: "A site's subscription (plan, cost, dates)"},
		Route{Method: "GET", Pattern: "/v1/sites/{code_site}/subscriptions/options.json", Service: Billing, Scope: "subscriptions:index", Tag: "sb: subscriptions", Summary: "A site's subscribed options"},
	)
	return rs
}

// billingCX gives the CLIENTXCMS routes of one billing resource: list,
// create, show, update by PUT or POST, delete.
func billingCX(plural, singular, body string) []Route {
	base := "/api/application/" + plural
	tag := "cx: " + plural
	scope := plural + ":"
	return []Route{
		{Method: "GET", Pattern: base, Service: Billing, Scope: scope + "index", Tag: tag, Summary: "List " + plural},
		{Method: "POST", Pattern: base, Service: Billing, Scope: scope + "create", Tag: tag, Summary: "Create a " + singular, Body: body},
		{Method: "GET", Pattern: base + "/{id}", Service: Billing, Scope: scope + "index", Tag: tag, Summary: "Show a " + singular},
		{Method: "PUT", Pattern: base + "/{id}", Service: Billing, Scope: scope + "update", Tag: tag, Summary: "Update a " + singular, Body: body},
		{Method: "POST", Pattern: base + "/{id}", Service: Billing, Scope: scope + "update", Tag: tag, Summary: "Update a " + singular + " (POST)", Body: body},
		{Method: "DELETE", Pattern: base + "/{id}", Service: Billing, Scope: scope + "delete", Tag: tag, Summary: "Delete a " + singular},
	}
}
