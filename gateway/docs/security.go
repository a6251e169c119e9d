package docs

// Names of the security schemes: one per credential presentation the
// gateway accepts. Every credential works on every dialect, so every
// operation that needs one accepts any of them.
const (
	schemeBasic       = "basicAuth"
	schemeBearer      = "bearerAuth"
	schemeToken       = "tokenAuth"
	schemeQueryKey    = "apiKeyQuery"
	schemeQuerySecret = "apiSecretQuery"
)

func securitySchemes() map[string]*securityScheme {
	return map[string]*securityScheme{
		schemeBasic: {
			Type: "http", Scheme: "basic",
			Description: "HTTP Basic with the API key as user name and the API secret as password (`curl -u api_key:api_secret`), as Ultimate Multisite documents it.",
		},
		schemeBearer: {
			Type: "http", Scheme: "bearer", BearerFormat: "<api_key>.<api_secret>",
			Description: "`Authorization: Bearer <api_key>.<api_secret>`, as CLIENTXCMS documents it.",
		},
		schemeToken: {
			Type: "apiKey", In: "header", Name: "Authorization",
			Description: "Kiubi's scheme: the whole header value is `token <api_key>.<api_secret>` (type the word token, a space, then the token).",
		},
		schemeQueryKey: {
			Type: "apiKey", In: "query", Name: "api_key",
			Description: "The API key as the query parameter api_key, with api_secret beside it (`api-key` is accepted too). The gateway removes both before proxying.",
		},
		schemeQuerySecret: {
			Type: "apiKey", In: "query", Name: "api_secret",
			Description: "The API secret as the query parameter api_secret, with api_key beside it (`api-secret` is accepted too).",
		},
	}
}

// anyCredential lists the alternatives the gateway accepts, in the order it
// looks for them; the query pair is one requirement needing both schemes.
func anyCredential() []requirement {
	return []requirement{
		{schemeBasic: {}},
		{schemeBearer: {}},
		{schemeToken: {}},
		{schemeQueryKey: {}, schemeQuerySecret: {}},
	}
}
