package routes

// tenancyRoutes are the tenancy service's public routes: the wu dialect's
// sovereign tenant endpoints.
func tenancyRoutes() []Route {
	const base, tag = "/wp-json/wu/v2/tenants/{site_id}", "wu: tenants"
	return []Route{
		{Method: "POST", Pattern: base + "/bootstrap", Service: Tenancy, Scope: "tenants:create", Tag: tag,
			Summary: "Bootstrap a sovereign tenant: database, role, data, files and routing (asynchronous: 202 with the status)", Body: "TenantBootstrap"},
		{Method: "GET", Pattern: base + "/migration-status", Service: Tenancy, Scope: "tenants:index", Tag: tag,
			Summary: "Migration status: isolation model, database host, verification, ready, state, step, error"},
		{Method: "POST", Pattern: base + "/verify", Service: Tenancy, Scope: "tenants:update", Tag: tag,
			Summary: "Run the verification checks now (no_legacy, sovereign_push, tenant_users)"},
		{Method: "DELETE", Pattern: base, Service: Tenancy, Scope: "tenants:delete", Tag: tag,
			Summary: "Sovereign teardown: sessions ended, database, role, routing entry and tenant directory removed"},
	}
}
