// Package directory finds the sites the stats service counts for: by code
// (sb paths) or id (wu paths, events), from a short-lived cache, then the
// sites service (authoritative), then, when the sites service cannot be
// reached, the stats service's own record of site events. A caller whose
// key is restricted to a customer finds only that customer's sites: any
// other is not found.
package directory

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/hostplane/hostplane/libs/errs"
	"github.com/hostplane/hostplane/libs/principal"
)

// Site is what stats needs of a site.
type Site struct {
	ID         int64
	Code       string
	CustomerID int64
	Status     string // open|suspended|closed
	Root       string // filesystem root (empty when only known from events)
}

// Remote is the sites service. Both methods answer errs.NotFound for a
// site that does not exist.
type Remote interface {
	SiteByCode(ctx context.Context, code string) (Site, error)
	Site(ctx context.Context, id int64) (Site, error)
}

// Local is the stats service's record of site events (errs.NotFound when
// it has none, or the site was deleted).
type Local interface {
	SiteByCode(ctx context.Context, code string) (Site, error)
	SiteByID(ctx context.Context, id int64) (Site, error)
}

// TTLs of cached answers.
const (
	FoundTTL    = time.Minute
	NotFoundTTL = 5 * time.Second
)

// Directory resolves sites. Its zero value is not usable: use New.
type Directory struct {
	remote Remote
	local  Local
	now    func() time.Time

	mu     sync.Mutex
	byCode map[string]cached
	byID   map[int64]cached
}

type cached struct {
	site    Site
	missing bool
	until   time.Time
}

// New returns a directory over the sites service (remote, may be nil when
// there is none) and the local record (may be nil).
func New(remote Remote, local Local, now func() time.Time) *Directory {
	if now == nil {
		now = time.Now
	}
	return &Directory{remote: remote, local: local, now: now, byCode: map[string]cached{}, byID: map[int64]cached{}}
}

func notFound() error { return errs.NotFoundResource("site", "") }

// ByCode returns the site of code, if the caller in ctx may see it.
func (d *Directory) ByCode(ctx context.Context, code string) (Site, error) {
	if code == "" || len(code) > 255 {
		return Site{}, notFound()
	}
	s, err := d.resolve(ctx, func() (cached, bool) { c, ok := d.byCode[code]; return c, ok },
		func(ctx context.Context) (Site, error) { return d.remote.SiteByCode(ctx, code) },
		func(ctx context.Context) (Site, error) { return d.local.SiteByCode(ctx, code) },
		func(c cached) { d.byCode[code] = c })
	if err != nil {
		return Site{}, err
	}
	return visible(ctx, s)
}

// ByID returns site id, if the caller in ctx may see it.
func (d *Directory) ByID(ctx context.Context, id int64) (Site, error) {
	if id <= 0 {
		return Site{}, notFound()
	}
	s, err := d.resolve(ctx, func() (cached, bool) { c, ok := d.byID[id]; return c, ok },
		func(ctx context.Context) (Site, error) { return d.remote.Site(ctx, id) },
		func(ctx context.Context) (Site, error) { return d.local.SiteByID(ctx, id) },
		func(c cached) { d.byID[id] = c })
	if err != nil {
		return Site{}, err
	}
	return visible(ctx, s)
}

// Fresh returns site id straight from the sites service (its filesystem
// root), if the caller may see it.
func (d *Directory) Fresh(ctx context.Context, id int64) (Site, error) {
	if d.remote == nil {
		return d.ByID(ctx, id)
	}
	s, err := d.remote.Site(system(ctx), id)
	if err != nil {
		return Site{}, err
	}
	return visible(ctx, s)
}

// Forget drops what is cached of a site (its events say it changed).
func (d *Directory) Forget(id int64, code string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if c, ok := d.byID[id]; ok {
		delete(d.byCode, c.site.Code)
	}
	delete(d.byID, id)
	if code != "" {
		delete(d.byCode, code)
	}
}

func (d *Directory) resolve(ctx context.Context, get func() (cached, bool), remote, local func(context.Context) (Site, error), put func(cached)) (Site, error) {
	now := d.now()
	d.mu.Lock()
	c, ok := get()
	d.mu.Unlock()
	if ok && now.Before(c.until) {
		if c.missing {
			return Site{}, notFound()
		}
		return c.site, nil
	}
	sctx := system(ctx)
	var s Site
	var err error = errs.New(errs.Unavailable, "The sites service is unavailable.")
	if d.remote != nil {
		s, err = remote(sctx)
	}
	switch {
	case err == nil:
		d.store(put, cached{site: s, until: now.Add(FoundTTL)}, s)
		return s, nil
	case errors.Is(err, errs.NotFound):
		d.mu.Lock()
		d.trim()
		put(cached{missing: true, until: now.Add(NotFoundTTL)})
		d.mu.Unlock()
		return Site{}, notFound()
	}
	// The sites service cannot answer: what its events said will do.
	if d.local != nil {
		if ls, lerr := local(sctx); lerr == nil {
			return ls, nil
		} else if !errors.Is(lerr, errs.NotFound) {
			return Site{}, lerr
		}
	}
	return Site{}, err
}

// maxCached bounds each cache: past it, the cache starts afresh.
const maxCached = 10000

// store caches s under both its id and its code.
func (d *Directory) store(put func(cached), c cached, s Site) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.trim()
	put(c)
	d.byID[s.ID] = c
	d.byCode[s.Code] = c
}

// visible hides a site of another customer from a restricted caller.
func visible(ctx context.Context, s Site) (Site, error) {
	if scope := principal.CustomerScope(ctx); scope != 0 && s.CustomerID != scope {
		return Site{}, notFound()
	}
	return s, nil
}

// system is ctx without the caller's principal: the directory looks sites
// up as the service itself and applies the caller's restriction after.
func system(ctx context.Context) context.Context { return principal.With(ctx, nil) }

// trim empties the caches when they grew past maxCached (codes that name
// no site are cached too, and there is no end to them). d.mu is held.
func (d *Directory) trim() {
	if len(d.byCode) >= maxCached || len(d.byID) >= maxCached {
		d.byCode, d.byID = map[string]cached{}, map[int64]cached{}
	}
}
