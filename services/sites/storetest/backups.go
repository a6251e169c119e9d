package storetest

import (
	"context"
	"slices"
	"testing"

	"github.com/hostplane/hostplane/libs/errs"
	"github.com/hostplane/hostplane/services/sites/backups"
)

func backupsContract(t *testing.T, fresh Factory) {
	ctx := context.Background()
	st := fresh(t)
	s1 := mustCreate(t, st.Sites, newSite("one"))
	s2 := mustCreate(t, st.Sites, newSite("two"))
	mk := func(siteID int64, id string, job int64, day int) backups.Backup {
		b := backups.Backup{ID: id, SiteID: siteID, JobID: job, Size: 10, Checksum: "abc", Format: "tar+zstd", Files: 2, Bytes: 30, DateCreated: at(day)}
		if err := st.Backups.Create(ctx, &b); err != nil {
			t.Fatal(err)
		}
		return b
	}
	a := mk(s1.ID, "20261123-210251", 1, 0)
	b := mk(s1.ID, "20261123-210251-2", 2, 0)
	c := mk(s1.ID, "20261124-210251", 3, 1)
	mk(s2.ID, "20261123-210251", 4, 0)
	if err := st.Backups.Create(ctx, &backups.Backup{ID: a.ID, SiteID: s1.ID, JobID: 9, DateCreated: base}); errs.KindOf(err) != errs.Conflict {
		t.Fatalf("same id: %v", err)
	}
	if err := st.Backups.Create(ctx, &backups.Backup{ID: "x", SiteID: s1.ID, JobID: 1, DateCreated: base}); errs.KindOf(err) != errs.Conflict {
		t.Fatalf("same job: %v", err)
	}
	if err := st.Backups.Create(ctx, &backups.Backup{ID: "x", SiteID: 999, JobID: 11, DateCreated: base}); errs.KindOf(err) != errs.NotFound {
		t.Fatalf("unknown site: %v", err)
	}
	list, err := st.Backups.List(ctx, s1.ID)
	var got []string
	for _, x := range list {
		got = append(got, x.ID)
	}
	if err != nil || !slices.Equal(got, []string{c.ID, b.ID, a.ID}) {
		t.Fatalf("newest first: %v %v", got, err)
	}
	if g, err := st.Backups.Get(ctx, s1.ID, a.ID); err != nil || g != a {
		t.Fatalf("get %+v %v", g, err)
	}
	if g, err := st.Backups.ByJob(ctx, 3); err != nil || g.ID != c.ID {
		t.Fatalf("by job %+v %v", g, err)
	}
	if _, err := st.Backups.Get(ctx, s2.ID, b.ID); errs.KindOf(err) != errs.NotFound {
		t.Fatalf("another site's: %v", err)
	}
	if err := st.Backups.Delete(ctx, s1.ID, a.ID); err != nil {
		t.Fatal(err)
	}
	if err := st.Backups.Delete(ctx, s1.ID, a.ID); errs.KindOf(err) != errs.NotFound {
		t.Fatalf("deleted twice: %v", err)
	}
	if _, err := st.Sites.Delete(ctx, s1.ID, ""); err != nil {
		t.Fatal(err)
	}
	if l, _ := st.Backups.List(ctx, s1.ID); len(l) != 0 {
		t.Fatalf("a deleted site's backups remain: %v", l)
	}
	if empty, err := st.Backups.List(ctx, 12345); err != nil || empty == nil || len(empty) != 0 {
		t.Fatalf("empty list %v %v", empty, err)
	}
	ev, _ := backups.NewEvent(backups.EventRestored, c)
	if err := st.Backups.Emit(ctx, ev); err != nil {
		t.Fatal(err)
	}
	evs := st.Events(t)
	if len(evs) != 5 || evs[4] != backups.EventRestored {
		t.Fatalf("events %v", evs)
	}
}
