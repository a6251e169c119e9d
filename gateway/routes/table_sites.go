package routes

// sitesRoutes are the sites service's public routes: wu sites and domains
// (plural and singular paths), sb sites, backups and jobs.
func sitesRoutes() []Route {
	var rs []Route
	rs = append(rs, wuCRUD("sites", "site", Sites, "Site")...)
	rs = append(rs, wuCRUD("domains", "domain", Sites, "Domain")...)
	const sb = "sb: sites"
	rs = append(rs,
		Route{Method: "GET", Pattern: "/v1/sites.json", Service: Sites, Scope: "sites:index", Tag: sb, Summary: "List sites (term, type, sort, limit, page)"},
		Route{Method: "POST", Pattern: "/v1/sites.json", Service: Sites, Scope: "sites:create", Tag: sb, Summary: "Create a site (asynchronous: answers a job_id)", Body: "SbSiteCreate"},
		Route{Method: "GET", Pattern: "/v1/sites/{code_site}.json", Service: Sites, Scope: "sites:index", Tag: sb, Summary: "Show a site with its plan (extra_fields: scopes, features, account)"},
		Route{Method: "DELETE", Pattern: "/v1/sites/{code_site}.json", Service: Sites, Scope: "sites:delete", Tag: sb, Summary: "Delete a site, its domains, files and backups"},
		Route{Method: "GET", Pattern: "/v1/sites/{code_site}/backups.json", Service: Sites, Scope: "backups:index", Tag: "sb: backups", Summary: "List a site's backups"},
		Route{Method: "POST", Pattern: "/v1/sites/{code_site}/backups.json", Service: Sites, Scope: "backups:create", Tag: "sb: backups", Summary: "Back a site up (asynchronous: answers a job_id)"},
		Route{Method: "PUT", Pattern: "/v1/sites/{code_site}/backups/{date}.json", Service: Sites, Scope: "backups:update", Tag: "sb: backups", Summary: "Restore a backup, named by id or date (asynchronous: answers a job_id)"},
		Route{Method: "GET", Pattern: "/v1/sites/{code_site}/jobs/{job_id}.json", Service: Sites, Scope: "jobs:index", Tag: "sb: jobs", Summary: "Follow a job: status todo|working|done|halt, progression, step, result, error"},
	)
	return rs
}
