// Package storetest is the one contract suite every store adapter of the
// sites service passes (memory and PostgreSQL): sites, domains, jobs and
// backups, with their events and idempotency records.
package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/hostplane/hostplane/services/sites/backups"
	"github.com/hostplane/hostplane/services/sites/domains"
	"github.com/hostplane/hostplane/services/sites/jobs"
	"github.com/hostplane/hostplane/services/sites/site"
)

// Stores are one adapter's stores over one fresh, empty database.
type Stores struct {
	Sites   site.Store
	Domains domains.Store
	Jobs    jobs.Store
	Backups backups.Store
	// Events lists the types of the events written so far, in order.
	Events func(t *testing.T) []string
}

// Factory returns fresh stores for each subtest.
type Factory func(t *testing.T) Stores

// Run runs the whole contract.
func Run(t *testing.T, fresh Factory) {
	t.Run("sites", func(t *testing.T) { sitesContract(t, fresh) })
	t.Run("site lists", func(t *testing.T) { listContract(t, fresh(t).Sites) })
	t.Run("domains", func(t *testing.T) { domainsContract(t, fresh) })
	t.Run("jobs", func(t *testing.T) { jobsContract(t, fresh) })
	t.Run("backups", func(t *testing.T) { backupsContract(t, fresh) })
}

var base = time.Date(2026, 11, 23, 21, 2, 51, 0, time.UTC)

func at(day int) time.Time { return base.AddDate(0, 0, day) }

func ptr[T any](v T) *T { return &v }

func newSite(code string) *site.Site {
	return &site.Site{Code: code, Title: "Site " + code, Domain: code + ".example.com", Path: "/", Type: site.TypeDefault,
		Active: true, Public: true, Status: site.StatusOpen, DateCreated: base, DateModified: base}
}

func mustCreate(t *testing.T, s site.Store, st *site.Site) *site.Site {
	t.Helper()
	if err := s.Create(context.Background(), st, nil, ""); err != nil {
		t.Fatal(err)
	}
	return st
}

func ids(ss []site.Site) []int64 {
	out := make([]int64, len(ss))
	for i, s := range ss {
		out[i] = s.ID
	}
	return out
}
