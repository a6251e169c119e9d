package routes

// authRoutes are the auth service's public routes: cx API keys (with their
// rotation and activity) and license, sb account and contact, wu settings.
func authRoutes() []Route {
	const keys = "/api/application/keys"
	const keyTag = "cx: keys"
	const settings = "/wp-json/wu/v2/settings"
	const settingsTag = "wu: settings"
	return []Route{
		{Method: "GET", Pattern: keys, Service: Auth, Scope: "keys:index", Tag: keyTag, Summary: "List API keys"},
		{Method: "POST", Pattern: keys, Service: Auth, Scope: "keys:create", Tag: keyTag, Summary: "Create an API key", Body: "KeyCreate"},
		{Method: "GET", Pattern: keys + "/{id}", Service: Auth, Scope: "keys:index", Tag: keyTag, Summary: "Show an API key"},
		{Method: "PUT", Pattern: keys + "/{id}", Service: Auth, Scope: "keys:update", Tag: keyTag, Summary: "Update an API key (name, permissions, allowed IPs, rate limit, expiry)", Body: "KeyUpdate"},
		{Method: "POST", Pattern: keys + "/{id}", Service: Auth, Scope: "keys:update", Tag: keyTag, Summary: "Update an API key (POST)", Body: "KeyUpdate"},
		{Method: "DELETE", Pattern: keys + "/{id}", Service: Auth, Scope: "keys:delete", Tag: keyTag, Summary: "Revoke an API key"},
		{Method: "POST", Pattern: keys + "/{id}/rotate", Service: Auth, Scope: "keys:update", Tag: keyTag, Summary: "Rotate an API key's secret (the old one stays valid for a grace period)", Body: "KeyRotate"},
		{Method: "GET", Pattern: keys + "/{id}/activity", Service: Auth, Scope: "keys:index", Tag: keyTag, Summary: "An API key's last 1,000 calls, newest first"},
		{Method: "GET", Pattern: "/api/application/license", Service: Auth, Scope: "license", Tag: "cx: general", Summary: "License of the installation"},

		{Method: "GET", Pattern: "/v1/account.json", Service: Auth, Scope: "account:index", Tag: "sb: account", Summary: "The account (number, type, level, creation date)"},
		{Method: "GET", Pattern: "/v1/account/contact.json", Service: Auth, Scope: "account:index", Tag: "sb: account", Summary: "The account's contact details"},
		{Method: "PUT", Pattern: "/v1/account/contact.json", Service: Auth, Scope: "account:update", Tag: "sb: account", Summary: "Update the account's contact details", Body: "AccountContact"},

		{Method: "GET", Pattern: settings, Service: Auth, Scope: "settings:index", Tag: settingsTag, Summary: "Every setting's value (secrets left out)"},
		{Method: "GET", Pattern: settings + "/{key}", Service: Auth, Scope: "settings:index", Tag: settingsTag, Summary: "Get a setting with its type and default"},
		{Method: "PUT", Pattern: settings + "/{key}", Service: Auth, Scope: "settings:update", Tag: settingsTag, Summary: "Change a setting", Body: "Setting"},
		{Method: "PATCH", Pattern: settings + "/{key}", Service: Auth, Scope: "settings:update", Tag: settingsTag, Summary: "Change a setting", Body: "Setting"},
		{Method: "POST", Pattern: settings + "/{key}", Service: Auth, Scope: "settings:update", Tag: settingsTag, Summary: "Change a setting (POST)", Body: "Setting"},
	}
}
