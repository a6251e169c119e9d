package docs

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"strings"

	"github.com/hostplane/hostplane/gateway/routes"
)

// Paths the handler serves.
const (
	// Prefix is where the documentation lives; the gateway sends every
	// request under it to the handler.
	Prefix = "/api/documentation"
	// SpecPath is the OpenAPI document.
	SpecPath = Prefix + "/openapi.json"
	// AssetsPath holds Swagger UI's files and init.js.
	AssetsPath = Prefix + "/assets/"
)

// ContentSecurityPolicy is sent with every answer: the page loads nothing
// but its own files, and no inline script or style element runs. Images may
// be data: URIs, which swagger-ui.css uses for its icons.
const ContentSecurityPolicy = "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'self'; form-action 'self'"

// Swagger UI's distribution (swaggerui/) and the page's own files (web/).
//
//go:embed swaggerui web
var files embed.FS

var pageTemplate = template.Must(template.ParseFS(files, "web/index.html"))

type handler struct {
	page, spec *asset
	assets     map[string]*asset
}

// New returns the handler of the documentation of t's routes: the Swagger
// UI page at Prefix (with or without a trailing slash), the OpenAPI
// document at SpecPath and the page's files under AssetsPath. It answers
// GET and HEAD, 405 to other methods, 404 to any other path. The document
// is built once, here: an error means a route cannot be documented.
func New(t *routes.Table, o Options) (http.Handler, error) {
	o = o.withDefaults()
	spec, err := Document(t, o)
	if err != nil {
		return nil, err
	}
	var page bytes.Buffer
	err = pageTemplate.Execute(&page, struct{ Title, Assets, Spec string }{
		Title: o.Title, Assets: strings.TrimSuffix(AssetsPath, "/"), Spec: SpecPath,
	})
	if err != nil {
		return nil, fmt.Errorf("docs: page: %w", err)
	}
	h := &handler{
		page:   newAsset("index.html", page.Bytes(), cacheRevalidate),
		spec:   newAsset("openapi.json", spec, cacheRevalidate),
		assets: map[string]*asset{},
	}
	ui, err := fs.ReadDir(files, "swaggerui")
	if err != nil {
		return nil, err
	}
	for _, e := range ui {
		name := "swaggerui/" + e.Name()
		h.assets[e.Name()] = lazyAsset(e.Name(), cacheStatic, func() []byte {
			body, _ := files.ReadFile(name) // listed above: it exists
			return body
		})
	}
	initJS, err := files.ReadFile("web/init.js")
	if err != nil {
		return nil, err
	}
	h.assets["init.js"] = newAsset("init.js", initJS, cacheRevalidate)
	return h, nil
}

func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	a := h.find(r.URL.Path)
	if a == nil {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Security-Policy", ContentSecurityPolicy)
	w.Header().Set("X-Content-Type-Options", "nosniff")
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "405 method not allowed", http.StatusMethodNotAllowed)
		return
	}
	a.serve(w, r)
}

// find maps a path to what it serves, nil for none.
func (h *handler) find(path string) *asset {
	switch path {
	case Prefix, Prefix + "/":
		return h.page
	case SpecPath:
		return h.spec
	}
	if name, ok := strings.CutPrefix(path, AssetsPath); ok && !strings.Contains(name, "/") {
		return h.assets[name]
	}
	return nil
}
