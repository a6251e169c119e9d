// Package docs serves the gateway's API documentation at /api/documentation:
// a Swagger UI page and the OpenAPI 3.0.3 document it shows.
//
// The document is generated from the gateway's route table when the handler
// is built, so it cannot drift from what the gateway serves: one operation
// per route, with its path parameters, its permission, its upstream service,
// every credential presentation the gateway accepts, and the error bodies of
// the route's dialect. Request bodies that routes name are JSON Schemas kept
// by hand in schemas/*.json.
//
// Swagger UI (swagger-ui-dist 5.35.0, Apache-2.0, see swaggerui/LICENSE and
// swaggerui/NOTICE) is embedded: the page loads nothing from another origin
// and runs under the Content-Security-Policy "default-src 'self'", which
// only lets images be data: URIs too, as Swagger UI's icons are.
package docs
