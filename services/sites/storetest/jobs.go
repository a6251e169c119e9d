package storetest

import (
	"context"
	"encoding/json"
	"sync"
	"testing"
	"time"

	"github.com/hostplane/hostplane/libs/errs"
	"github.com/hostplane/hostplane/services/sites/idempotency"
	"github.com/hostplane/hostplane/services/sites/jobs"
)

func newJob(kind string) *jobs.Job {
	return &jobs.Job{Kind: kind, SiteID: 3, SiteCode: "alpha", CustomerID: 4, Params: json.RawMessage(`{"x":1}`),
		DateCreated: base, DateModified: base}
}

func jobsContract(t *testing.T, fresh Factory) {
	ctx := context.Background()
	t.Run("create, claim in order, report, finish", func(t *testing.T) {
		st := fresh(t)
		a, b := newJob(jobs.KindBackupCreate), newJob(jobs.KindBackupRestore)
		rec := &idempotency.Record{Scope: "key:1", Key: "k", Fingerprint: "f", Kind: "job"}
		if err := st.Jobs.Create(ctx, a, rec); err != nil || a.ID == 0 || a.Status != jobs.StatusTodo {
			t.Fatalf("create %+v %v", a, err)
		}
		if r, found, _ := st.Jobs.Lookup(ctx, "key:1", "k"); !found || r.RefID != a.ID {
			t.Fatalf("idempotency %+v", r)
		}
		if err := st.Jobs.Create(ctx, b, rec); errs.KindOf(err) != errs.Conflict {
			t.Fatalf("reused key: %v", err)
		}
		b.ID = 0
		if err := st.Jobs.Create(ctx, b, nil); err != nil {
			t.Fatal(err)
		}
		queued := func(want int) {
			t.Helper()
			if n, err := st.Jobs.Queued(ctx); err != nil || n != want {
				t.Fatalf("queued %d %v, want %d", n, err, want)
			}
		}
		queued(2)
		got, err := st.Jobs.Get(ctx, a.ID)
		if err != nil || string(got.Params) != `{"x": 1}` && string(got.Params) != `{"x":1}` || got.SiteCode != "alpha" || got.CustomerID != 4 {
			t.Fatalf("get %+v %v", got, err)
		}
		j, ok, err := st.Jobs.Claim(ctx, "w1", base, time.Minute)
		if err != nil || !ok || j.ID != a.ID || j.Status != jobs.StatusWorking || j.Owner != "w1" || j.Attempts != 1 ||
			!j.LeaseUntil.Equal(base.Add(time.Minute)) {
			t.Fatalf("claim %+v %v %v", j, ok, err)
		}
		if err := st.Jobs.Report(ctx, a.ID, "w1", jobs.Report{Progression: 40, Step: "archiving", SiteID: 9, LeaseUntil: base.Add(2 * time.Minute), Now: base}); err != nil {
			t.Fatal(err)
		}
		if got, _ := st.Jobs.Get(ctx, a.ID); got.Progression != 40 || got.Step != "archiving" || got.SiteID != 9 {
			t.Fatalf("report not saved: %+v", got)
		}
		if err := st.Jobs.Report(ctx, a.ID, "w2", jobs.Report{LeaseUntil: base, Now: base}); errs.KindOf(err) != errs.Conflict {
			t.Fatalf("report by another worker: %v", err)
		}
		if _, err := st.Jobs.Finish(ctx, a.ID, "w2", jobs.StatusDone, nil, "", base); errs.KindOf(err) != errs.Conflict {
			t.Fatalf("finish by another worker: %v", err)
		}
		queued(2) // one working, one todo
		done, err := st.Jobs.Finish(ctx, a.ID, "w1", jobs.StatusDone, []byte(`{"backup_id":"x"}`), "", base)
		if err != nil || done.Status != jobs.StatusDone || done.Progression != 100 || done.LeaseUntil != nil {
			t.Fatalf("finish %+v %v", done, err)
		}
		var res map[string]string
		if json.Unmarshal(done.Result, &res) != nil || res["backup_id"] != "x" {
			t.Fatalf("result %s", done.Result)
		}
		if _, err := st.Jobs.Finish(ctx, a.ID, "w1", jobs.StatusDone, nil, "", base); errs.KindOf(err) != errs.Conflict {
			t.Fatalf("finished twice: %v", err)
		}
		j, ok, _ = st.Jobs.Claim(ctx, "w1", base, time.Minute)
		if !ok || j.ID != b.ID {
			t.Fatalf("second claim %+v", j)
		}
		halted, err := st.Jobs.Finish(ctx, b.ID, "w1", jobs.StatusHalt, nil, "corrupted", base)
		if err != nil || halted.Status != jobs.StatusHalt || halted.Error != "corrupted" || halted.Progression == 100 {
			t.Fatalf("halt %+v %v", halted, err)
		}
		if _, ok, _ := st.Jobs.Claim(ctx, "w1", base.Add(time.Hour), time.Minute); ok {
			t.Fatal("a finished job was claimed")
		}
		queued(0)
		if _, err := st.Jobs.Get(ctx, 999); errs.KindOf(err) != errs.NotFound {
			t.Fatalf("missing: %v", err)
		}
	})
	t.Run("an expired lease is taken over", func(t *testing.T) {
		st := fresh(t)
		a := newJob(jobs.KindBackupCreate)
		if err := st.Jobs.Create(ctx, a, nil); err != nil {
			t.Fatal(err)
		}
		if _, ok, _ := st.Jobs.Claim(ctx, "dead", base, time.Minute); !ok {
			t.Fatal("no claim")
		}
		if _, ok, _ := st.Jobs.Claim(ctx, "w2", base.Add(30*time.Second), time.Minute); ok {
			t.Fatal("taken over before the lease expired")
		}
		j, ok, err := st.Jobs.Claim(ctx, "w2", base.Add(61*time.Second), time.Minute)
		if err != nil || !ok || j.Owner != "w2" || j.Attempts != 2 {
			t.Fatalf("takeover %+v %v %v", j, ok, err)
		}
		if err := st.Jobs.Report(ctx, a.ID, "dead", jobs.Report{LeaseUntil: base, Now: base}); errs.KindOf(err) != errs.Conflict {
			t.Fatalf("the dead worker still reports: %v", err)
		}
	})
	t.Run("concurrent claimers never share a job", func(t *testing.T) {
		st := fresh(t)
		const n = 20
		for range n {
			if err := st.Jobs.Create(ctx, newJob(jobs.KindBackupCreate), nil); err != nil {
				t.Fatal(err)
			}
		}
		var mu sync.Mutex
		seen := map[int64]int{}
		var wg sync.WaitGroup
		for w := range 4 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for {
					j, ok, err := st.Jobs.Claim(ctx, "w"+string(rune('0'+w)), base, time.Hour)
					if err != nil || !ok {
						return
					}
					mu.Lock()
					seen[j.ID]++
					mu.Unlock()
				}
			}()
		}
		wg.Wait()
		if len(seen) != n {
			t.Fatalf("claimed %d jobs, want %d", len(seen), n)
		}
		for id, c := range seen {
			if c != 1 {
				t.Fatalf("job %d claimed %d times", id, c)
			}
		}
	})
}
