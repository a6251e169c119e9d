// Package apiusage takes the gateways' usage batches (POST
// /internal/v1/usage, once a second per gateway): API hits per site or
// customer and day, added to the daily rollups (api_hits of reports,
// api_pfo of usage), and the successful writes made through the gateway,
// added to the sites' activity logs with the key that made them.
//
// Delivery is at least once (a gateway sends a failed batch again, merged
// with newer counts). Writes are stored once: each carries its key, time
// to the nanosecond, method and path, which make its dedupe key. Hits are
// counts without an identity and are not deduplicated: a batch stored
// whose answer never reached the gateway is counted twice. Writes are
// stored before hits, so a failure between the two only repeats writes,
// which are dropped.
package apiusage

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/hostplane/hostplane/libs/errs"
	"github.com/hostplane/hostplane/services/stats/activity"
	"github.com/hostplane/hostplane/services/stats/client"
	"github.com/hostplane/hostplane/services/stats/directory"
	"github.com/hostplane/hostplane/services/stats/traffic"
)

// Service records gateways' batches.
type Service interface {
	Record(ctx context.Context, u client.Usage) (Recorded, error)
}

// Recorded counts what a batch brought.
type Recorded struct {
	Hits    int // hit counts stored
	Writes  int // new activity entries
	Dropped int // hits and writes of unknown sites or malformed
}

// Sites finds sites (directory.Directory).
type Sites interface {
	ByCode(ctx context.Context, code string) (directory.Site, error)
	ByID(ctx context.Context, id int64) (directory.Site, error)
}

// HitStore adds hits to the rollups (traffic.Store).
type HitStore interface {
	AddHits(ctx context.Context, hits []traffic.Hits) error
}

type service struct {
	sites    Sites
	hits     HitStore
	activity activity.Store
}

// NewService returns the usage service.
func NewService(sites Sites, hits HitStore, entries activity.Store) Service {
	return &service{sites: sites, hits: hits, activity: entries}
}

// resolver finds each site of a batch once.
type resolver struct {
	sites  Sites
	byCode map[string]directory.Site
	byID   map[int64]directory.Site
}

// site is the site a hit or write names: found, or ok=false when the
// path named no site, or a site that does not exist (dropped). Only an
// unavailable sites service is an error.
func (r *resolver) site(ctx context.Context, code string, id int64) (s directory.Site, named, ok bool, err error) {
	switch {
	case code != "":
		if s, seen := r.byCode[code]; seen {
			return s, true, s.ID != 0, nil
		}
		s, err = r.sites.ByCode(ctx, code)
		if err == nil || errors.Is(err, errs.NotFound) {
			r.byCode[code] = s
			return s, true, err == nil, nil
		}
		return s, true, false, err
	case id != 0:
		if s, seen := r.byID[id]; seen {
			return s, true, s.ID != 0, nil
		}
		s, err = r.sites.ByID(ctx, id)
		if err == nil || errors.Is(err, errs.NotFound) {
			r.byID[id] = s
			return s, true, err == nil, nil
		}
		return s, true, false, err
	}
	return directory.Site{}, false, false, nil
}

func (s *service) Record(ctx context.Context, u client.Usage) (Recorded, error) {
	var out Recorded
	r := &resolver{sites: s.sites, byCode: map[string]directory.Site{}, byID: map[int64]directory.Site{}}
	entries := make([]activity.Entry, 0, len(u.Writes))
	for _, w := range u.Writes {
		site, named, ok, err := r.site(ctx, w.SiteCode, w.SiteID)
		if err != nil {
			return Recorded{}, err
		}
		if (named && !ok) || w.Method == "" || w.Path == "" || w.At.IsZero() {
			out.Dropped++
			continue
		}
		entries = append(entries, writeEntry(w, site))
	}
	hits := make([]traffic.Hits, 0, len(u.Hits))
	for _, h := range u.Hits {
		day, err := time.Parse(time.DateOnly, h.Day)
		if err != nil || h.Count <= 0 {
			out.Dropped++
			continue
		}
		site, named, ok, err := r.site(ctx, h.SiteCode, h.SiteID)
		if err != nil {
			return Recorded{}, err
		}
		switch {
		case ok:
			hits = append(hits, traffic.Hits{SiteID: site.ID, Day: day, Count: h.Count})
		case !named && h.CustomerID > 0:
			hits = append(hits, traffic.Hits{CustomerID: h.CustomerID, Day: day, Count: h.Count})
		default:
			out.Dropped++
		}
	}
	if len(entries) > 0 {
		n, err := s.activity.Add(ctx, entries)
		if err != nil {
			return Recorded{}, err
		}
		out.Writes = n
	}
	if len(hits) > 0 {
		if err := s.hits.AddHits(ctx, hits); err != nil {
			return out, err
		}
		out.Hits = len(hits)
	}
	return out, nil
}

// writeEntry is the activity entry of a write through the gateway.
func writeEntry(w client.Write, site directory.Site) activity.Entry {
	customer := w.CustomerID
	if customer == 0 {
		customer = site.CustomerID
	}
	name := w.KeyName
	if name == "" {
		name = "#" + strconv.FormatInt(w.KeyID, 10)
	}
	typ := activity.TypeUpdate
	if strings.Contains(w.Path, "/register") || strings.Contains(w.Path, "/checkout") {
		typ = activity.TypeCheckout
	}
	sum := sha256.Sum256(fmt.Appendf(nil, "%d\x00%d\x00%s\x00%s\x00%s\x00%d", w.KeyID, w.At.UnixNano(), w.Method, w.Path, w.SiteCode, w.SiteID))
	return activity.Entry{
		SiteID: site.ID, CustomerID: customer, Type: typ,
		Text:     activity.Clip(fmt.Sprintf("%s %s (%d) by API key %q (#%d)", w.Method, w.Path, w.Status, name, w.KeyID)),
		URN:      activity.Clip(w.Path),
		UserName: activity.Clip(name), UserProfil: activity.ProfileAPIKey,
		At:     w.At.UTC().Truncate(time.Microsecond),
		Dedupe: "write:" + hex.EncodeToString(sum[:16]),
	}
}
