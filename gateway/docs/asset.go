package docs

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"mime"
	"net/http"
	"path"
	"strings"
	"sync"
	"time"
)

// Cache policies: Swagger UI's files change only with the gateway's
// version; the page, init.js and the document are revalidated every time
// (their ETag makes that a 304).
const (
	cacheStatic     = "public, max-age=86400"
	cacheRevalidate = "no-cache"
)

// asset is one file the handler serves.
type asset struct {
	// load, when set, reads the body on first use (Swagger UI's 1.9 MB stay
	// out of the heap of a gateway nobody asks for documentation).
	load     func() []byte
	loadOnce sync.Once

	body              []byte
	etag, contentType string
	cache             string
	compress          bool // worth a gzip variant
	zipOnce           sync.Once
	gzipped           []byte // nil when gzip saves too little
	gzipETag          string
}

// newAsset prepares body, served as name.
func newAsset(name string, body []byte, cache string) *asset {
	sum := sha256.Sum256(body)
	ct := contentType(name)
	return &asset{
		body: body, etag: `"` + hex.EncodeToString(sum[:12]) + `"`, contentType: ct, cache: cache,
		compress: compressible(ct) && len(body) >= 1024,
	}
}

// lazyAsset is an asset whose body is read on first use.
func lazyAsset(name string, cache string, load func() []byte) *asset {
	ct := contentType(name)
	return &asset{load: load, contentType: ct, cache: cache, compress: compressible(ct)}
}

// ready loads a lazy asset's body and ETag.
func (a *asset) ready() {
	if a.load == nil {
		return
	}
	a.loadOnce.Do(func() {
		a.body = a.load()
		sum := sha256.Sum256(a.body)
		a.etag = `"` + hex.EncodeToString(sum[:12]) + `"`
		a.compress = a.compress && len(a.body) >= 1024
	})
}

// gzip returns the gzip variant and its ETag, compressed on first use so
// that building the handler stays cheap; nil when not worth it.
func (a *asset) gzip() ([]byte, string) {
	a.zipOnce.Do(func() {
		var buf bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
		zw.Write(a.body)
		zw.Close()
		if buf.Len() < len(a.body)*9/10 {
			a.gzipped, a.gzipETag = buf.Bytes(), strings.TrimSuffix(a.etag, `"`)+`-gzip"`
		}
	})
	return a.gzipped, a.gzipETag
}

// contentType is the media type of a file by its extension; files without
// one (LICENSE, NOTICE) are plain text.
func contentType(name string) string {
	switch ext := path.Ext(name); ext {
	case "":
		return "text/plain; charset=utf-8"
	case ".html":
		return "text/html; charset=utf-8"
	case ".js":
		return "text/javascript; charset=utf-8"
	case ".css":
		return "text/css; charset=utf-8"
	case ".json":
		return "application/json"
	case ".png":
		return "image/png"
	default:
		if t := mime.TypeByExtension(ext); t != "" {
			return t
		}
		return "application/octet-stream"
	}
}

func compressible(ct string) bool {
	return strings.HasPrefix(ct, "text/") || ct == "application/json"
}

// serve writes a, or 304 when the client holds it, honouring HEAD and
// Range through http.ServeContent.
func (a *asset) serve(w http.ResponseWriter, r *http.Request) {
	a.ready()
	h := w.Header()
	h.Set("Content-Type", a.contentType)
	h.Set("Cache-Control", a.cache)
	body, etag := a.body, a.etag
	if a.compress {
		h.Add("Vary", "Accept-Encoding")
		if acceptsGzip(r) {
			if z, zetag := a.gzip(); z != nil {
				body, etag = z, zetag
				h.Set("Content-Encoding", "gzip")
			}
		}
	}
	h.Set("ETag", etag)
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(body))
}

// acceptsGzip reports whether the request's Accept-Encoding takes gzip.
func acceptsGzip(r *http.Request) bool {
	for _, v := range r.Header.Values("Accept-Encoding") {
		for _, part := range strings.Split(v, ",") {
			coding, params, _ := strings.Cut(strings.TrimSpace(part), ";")
			if !strings.EqualFold(strings.TrimSpace(coding), "gzip") {
				continue
			}
			q := strings.ReplaceAll(strings.TrimSpace(params), " ", "")
			return q != "q=0" && q != "q=0.0" && q != "q=0.00" && q != "q=0.000"
		}
	}
	return false
}
