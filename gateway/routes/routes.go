// Package routes is the gateway's route table: one declarative list naming,
// for every public route, the upstream service that serves it and the
// permission it needs. Matching, scope checks and the OpenAPI document all
// come from it.
package routes

import (
	"github.com/hostplane/hostplane/libs/dialect"
	"github.com/hostplane/hostplane/libs/route"
)

// Gateway is the pseudo-service of routes the gateway answers itself.
const Gateway = "gateway"

// Access says what a route requires of the caller.
type Access int

// Access levels.
const (
	Scoped        Access = iota // an authenticated key holding Scope
	Authenticated               // any authenticated key
	Public                      // no credential
)

// Route is one public route.
type Route struct {
	Method  string
	Pattern string
	Service string
	Scope   string
	Access  Access
	// Summary and Tag document the route (OpenAPI).
	Summary string
	Tag     string
	// Body names the request body schema in the OpenAPI document, if any.
	Body string
}

// Dialect is the dialect of the route's prefix.
func (r Route) Dialect() dialect.Name { return dialect.Of(r.Pattern) }

// Table is the compiled route table.
type Table struct {
	routes []Route
	router *route.Router[*Route]
}

// New compiles routes; a duplicate or malformed pattern is an error.
func New(rs []Route) (*Table, error) {
	t := &Table{routes: rs, router: route.New[*Route]()}
	for i := range t.routes {
		r := &t.routes[i]
		if err := t.router.Add(r.Method, r.Pattern, r); err != nil {
			return nil, err
		}
	}
	return t, nil
}

// Match finds the route of method and path.
func (t *Table) Match(method, path string) (route.Result[*Route], bool) {
	return t.router.Match(method, path)
}

// Routes lists every route in table order.
func (t *Table) Routes() []Route { return t.routes }
