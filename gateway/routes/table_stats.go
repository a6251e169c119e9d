package routes

// statsRoutes are the stats service's public routes: the sb statistics of
// a site (activity log, dashboard, live visitors, daily report, resource
// usage, the collect key) and its front-office event batches, the cx
// statistics, and the public pageview beacon with its CORS preflight
// (under the sb prefix: every route of the table is in a dialect).
func statsRoutes() []Route {
	const site = "/v1/sites/{code}"
	const tag = "sb: statistics"
	return []Route{
		{Method: "GET", Pattern: site + "/logs.json", Service: Stats, Scope: "logs:index", Tag: tag,
			Summary: "A site's activity log, newest first (type[]=login|update|comment|checkout|form, since, limit, page)"},
		{Method: "GET", Pattern: site + "/stats.json", Service: Stats, Scope: "stats:index", Tag: tag,
			Summary: "A site's dashboard: unread form responses, pending orders, average cart, 30-day transformation, stock"},
		{Method: "GET", Pattern: site + "/stats/live.json", Service: Stats, Scope: "stats:index", Tag: tag,
			Summary: "Visitors seen on a site in the last 5 minutes"},
		{Method: "GET", Pattern: site + "/stats/report.json", Service: Stats, Scope: "stats:index", Tag: tag,
			Summary: "Daily visits, pageviews, API hits and sales between start_date and end_date (at most 366 days)"},
		{Method: "GET", Pattern: site + "/stats/usage.json", Service: Stats, Scope: "stats:index", Tag: tag,
			Summary: "A site's disk space, and with extra_fields[]=bp|api_pfo|forms|products|users its other quotas"},
		{Method: "GET", Pattern: site + "/stats/collect.json", Service: Stats, Scope: "stats:index", Tag: tag,
			Summary: "The public key a site's pages send with the /collect beacon"},
		{Method: "POST", Pattern: site + "/events.json", Service: Stats, Scope: "events:create", Tag: tag, Body: "SbEventsBatch",
			Summary: "Report up to 1,000 front-office events (pageview, visit, order, cart, form_response, stock), all or none"},
		{Method: "GET", Pattern: "/api/application/statistics", Service: Stats, Scope: "statistics", Tag: "cx: general",
			Summary: "Customers and services by status, revenue per currency"},
		{Method: "POST", Pattern: "/v1/collect.json", Service: Stats, Access: Public, Tag: "sb: beacon", Body: "CollectBeacon",
			Summary: "Count a pageview from a site's page, with the site's public key (no credential; limited per client address)"},
		{Method: "OPTIONS", Pattern: "/v1/collect.json", Service: Stats, Access: Public, Tag: "sb: beacon",
			Summary: "CORS preflight of the beacon"},
		{Method: "POST", Pattern: "/collect", Service: Stats, Access: Public, Tag: "sb: beacon", Body: "CollectBeacon",
			Summary: "The same beacon at the short address pages embed"},
		{Method: "OPTIONS", Pattern: "/collect", Service: Stats, Access: Public, Tag: "sb: beacon",
			Summary: "CORS preflight of the /collect beacon"},
	}
}
