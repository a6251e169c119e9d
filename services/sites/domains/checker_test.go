package domains_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/hostplane/hostplane/services/sites/domains"
	"github.com/hostplane/hostplane/services/sites/memory"
	"github.com/hostplane/hostplane/services/sites/site"
)

type resolver map[string][]string

func (r resolver) LookupHost(_ context.Context, h string) ([]string, error) {
	if a, ok := r[h]; ok {
		return a, nil
	}
	return nil, errors.New("no such host")
}

type prober map[string]bool

func (p prober) Probe(_ context.Context, h string) error {
	if p[h] {
		return nil
	}
	return errors.New("bad certificate")
}

func TestCheckerStages(t *testing.T) {
	ctx := context.Background()
	db := memory.New(nil)
	s := &site.Site{Code: "a", Title: "a", Domain: "a.example.com", Path: "/", Type: site.TypeDefault, Status: site.StatusOpen}
	if err := db.Sites().Create(ctx, s, nil, ""); err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)
	mk := func(name string, secure bool) int64 {
		d := &domains.Domain{SiteID: s.ID, Name: name, Active: true, Secure: secure, SSLRequired: secure,
			Stage: domains.StageCheckingDNS, NextCheck: now, DateCreated: now, DateModified: now}
		if err := db.Domains().Create(ctx, d); err != nil {
			t.Fatal(err)
		}
		return d.ID
	}
	ok, wrongIP, never, sslBad := mk("ok.example.com", true), mk("wrong.example.com", false), mk("never.example.com", false), mk("ssl.example.com", true)
	c := &domains.Checker{
		Store:    db.Domains(),
		Resolver: resolver{"ok.example.com": {"192.0.2.1"}, "wrong.example.com": {"198.51.100.9"}, "ssl.example.com": {"192.0.2.1"}},
		Prober:   prober{"ok.example.com": true}, Targets: []string{"192.0.2.1"},
		Interval: time.Minute, MaxDNSAttempts: 3, MaxSSLAttempts: 2,
		Now: func() time.Time { return now },
	}
	for range 6 {
		if _, err := c.Once(ctx); err != nil {
			t.Fatal(err)
		}
		now = now.Add(2 * time.Minute)
	}
	for id, want := range map[int64]string{ok: domains.StageDone, wrongIP: domains.StageFailed, never: domains.StageFailed, sslBad: domains.StageSSLFailed} {
		d, _ := db.Domains().Get(ctx, id)
		if d.Stage != want {
			t.Errorf("%s: %s, want %s", d.Name, d.Stage, want)
		}
		if d.Name == "ok.example.com" && !d.Secure {
			t.Error("a valid certificate did not make the domain secure")
		}
	}
	// Finished domains are not checked again.
	if n, _ := c.Once(ctx); n != 0 {
		t.Fatalf("%d finished domains checked", n)
	}
}
