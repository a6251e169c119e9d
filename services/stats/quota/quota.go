// Package quota serves a site's resource usage (sb GET
// /v1/sites/{code}/stats/usage.json): disk space from the site's real
// directories (medias, datas, ftp), bandwidth from this month's pageview
// bytes, API requests from this month's API hits, forms, products and
// users from the site's counters, each against its plan's limit.
package quota

import (
	"context"
	"path/filepath"
	"time"

	"github.com/hostplane/hostplane/services/stats/directory"
	"github.com/hostplane/hostplane/services/stats/traffic"
)

// Limit keys of a plan (billing's Product.Limits).
const (
	LimitSpace     = "space_bytes"
	LimitBandwidth = "bandwidth_bytes"
	LimitAPI       = "api_pfo"
	LimitForms     = "forms"
	LimitProducts  = "products"
	LimitUsers     = "users"
)

// Usage is a site's consumption against its plan.
type Usage struct {
	Medias, Datas, FTP int64 // bytes
	Space              Quota
	Bandwidth          Quota
	APIPFO             Quota
	Forms              Quota
	Products           Quota
	Users              Quota
}

// Quota is one resource: used, and the plan's total unless unlimited.
type Quota struct {
	Used, Free, Total int64
	Unlimited         bool
}

func quota(used int64, limits map[string]int64, key string) Quota {
	total, ok := limits[key]
	if !ok || total < 0 {
		return Quota{Used: used, Unlimited: true}
	}
	return Quota{Used: used, Total: total, Free: max(total-used, 0)}
}

// Sites finds sites (directory.Directory): by code for the caller, fresh
// from the sites service for the filesystem root.
type Sites interface {
	ByCode(ctx context.Context, code string) (directory.Site, error)
	Fresh(ctx context.Context, id int64) (directory.Site, error)
}

// Plans gives the limits of a site's plan (nil map: no plan, unlimited).
type Plans interface {
	Limits(ctx context.Context, siteID int64) (map[string]int64, error)
}

// Disk measures directories.
type Disk interface {
	// Size is the bytes of the files under dir (0 when it does not exist).
	Size(ctx context.Context, dir string) (int64, error)
}

// Counters reads a site's counters (traffic.Store).
type Counters interface {
	Counters(ctx context.Context, siteID int64, since time.Time) (traffic.Counters, error)
}

// Service computes usage.
type Service interface {
	Usage(ctx context.Context, code string) (Usage, error)
}

type service struct {
	sites    Sites
	plans    Plans
	disk     Disk
	counters Counters
	now      func() time.Time
}

// NewService returns the usage service.
func NewService(sites Sites, plans Plans, disk Disk, counters Counters, now func() time.Time) Service {
	if now == nil {
		now = time.Now
	}
	return &service{sites: sites, plans: plans, disk: disk, counters: counters, now: now}
}

// SiteDirs are the directories of a site's root that its space counts.
var SiteDirs = []string{"medias", "datas", "ftp"}

func (s *service) Usage(ctx context.Context, code string) (Usage, error) {
	site, err := s.sites.ByCode(ctx, code)
	if err != nil {
		return Usage{}, err
	}
	now := s.now().UTC()
	month := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, time.UTC)
	c, err := s.counters.Counters(ctx, site.ID, month)
	if err != nil {
		return Usage{}, err
	}
	var limits map[string]int64
	if s.plans != nil {
		if limits, err = s.plans.Limits(ctx, site.ID); err != nil {
			return Usage{}, err
		}
	}
	var u Usage
	if s.disk != nil {
		root := site.Root
		if root == "" {
			fresh, err := s.sites.Fresh(ctx, site.ID)
			if err != nil {
				return Usage{}, err
			}
			root = fresh.Root
		}
		if root != "" {
			sizes := make([]int64, len(SiteDirs))
			for i, d := range SiteDirs {
				if sizes[i], err = s.disk.Size(ctx, filepath.Join(root, d)); err != nil {
					return Usage{}, err
				}
			}
			u.Medias, u.Datas, u.FTP = sizes[0], sizes[1], sizes[2]
		}
	}
	u.Space = quota(u.Medias+u.Datas+u.FTP, limits, LimitSpace)
	u.Bandwidth = quota(c.Bytes, limits, LimitBandwidth)
	u.APIPFO = quota(c.APIHits, limits, LimitAPI)
	u.Forms = quota(c.Forms, limits, LimitForms)
	u.Products = quota(c.Products, limits, LimitProducts)
	u.Users = quota(c.Users, limits, LimitUsers)
	return u, nil
}
