package routes

// authRoutes are the auth service's public routes.
func authRoutes() []Route {
	return []Route{
		{Method: "GET", Pattern: "/api/application/keys", Service: Auth, Scope: "keys:index", Tag: "cx: keys", Summary: "List API keys"},
		{Method: "POST", Pattern: "/api/application/keys", Service: Auth, Scope: "keys:create", Tag: "cx: keys", Summary: "Create an API key", Body: "KeyCreate"},
		{Method: "GET", Pattern: "/api/application/keys/{id}", Service: Auth, Scope: "keys:index", Tag: "cx: keys", Summary: "Show an API key"},
		{Method: "DELETE", Pattern: "/api/application/keys/{id}", Service: Auth, Scope: "keys:delete", Tag: "cx: keys", Summary: "Revoke an API key"},
	}
}
