package routes

// gatewayRoutes are the routes the gateway answers itself.
func gatewayRoutes() []Route {
	return []Route{
		{Method: "GET", Pattern: "/wp-json/wu/v2/auth", Service: Gateway, Access: Authenticated, Tag: "wu: auth", Summary: "Test the credentials"},
		{Method: "GET", Pattern: "/api/application/health", Service: Gateway, Scope: "health", Tag: "cx: general", Summary: "Health of the API and every service"},
		{Method: "GET", Pattern: "/v1/rate.json", Service: Gateway, Access: Authenticated, Tag: "sb: account", Summary: "Remaining rate-limit quota of the caller"},
	}
}
