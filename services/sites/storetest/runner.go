package storetest

import (
	"context"
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/hostplane/hostplane/libs/errs"
	"github.com/hostplane/hostplane/services/sites/jobs"
)

// Runner checks the job runner over a store: a job whose worker dies
// mid-job is resumed by another once its lease expires; a failing handler
// halts its job with the error's public message.
func Runner(t *testing.T, store jobs.Store) {
	ctx := context.Background()
	svc := jobs.NewService(store, nil, nil)
	started := make(chan int64, 4)
	handlers := map[string]jobs.Handler{
		"test.block": func(ctx context.Context, j jobs.Job, p *jobs.Progress) (any, error) {
			_ = p.Set(ctx, 10, "working")
			started <- j.ID
			<-ctx.Done() // dies here
			return nil, ctx.Err()
		},
		"test.fail": func(context.Context, jobs.Job, *jobs.Progress) (any, error) {
			return nil, errs.New(errs.Conflict, "The archive is corrupted.")
		},
		"test.internal": func(context.Context, jobs.Job, *jobs.Progress) (any, error) {
			return nil, errors.New("disk on fire at /secret/path")
		},
	}
	j, err := svc.Enqueue(ctx, jobs.New{Kind: "test.block", SiteCode: "s", Params: map[string]int{"n": 1}})
	if err != nil {
		t.Fatal(err)
	}
	lease := 600 * time.Millisecond
	dying := &jobs.Runner{Store: store, Handlers: handlers, Owner: "dying", Lease: lease, Poll: 20 * time.Millisecond}
	dctx, kill := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { dying.Run(dctx); close(done) }()
	select {
	case <-started:
	case <-time.After(10 * time.Second):
		t.Fatal("the job never started")
	}
	kill() // the worker dies: no finish, no more lease renewals
	<-done
	if got, _ := store.Get(ctx, j.ID); got.Status != jobs.StatusWorking || got.Owner != "dying" || got.Progression != 10 {
		t.Fatalf("after the death: %+v", got)
	}
	// The survivor takes it over once the lease has expired, and runs it
	// from the start with a handler that now completes.
	handlers["test.block"] = func(ctx context.Context, j jobs.Job, p *jobs.Progress) (any, error) {
		return map[string]any{"attempt": j.Attempts}, p.Set(ctx, 100, "done")
	}
	survivor := &jobs.Runner{Store: store, Handlers: handlers, Owner: "survivor", Lease: lease}
	deadline := time.Now().Add(10 * time.Second)
	for {
		ran, err := survivor.Once(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if ran {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("never taken over")
		}
		time.Sleep(50 * time.Millisecond)
	}
	got, _ := store.Get(ctx, j.ID)
	var res map[string]int
	_ = json.Unmarshal(got.Result, &res)
	if got.Status != jobs.StatusDone || got.Owner != "survivor" || got.Attempts != 2 || res["attempt"] != 2 || got.Progression != 100 {
		t.Fatalf("taken over: %+v %s", got, got.Result)
	}
	if time.Since(got.DateCreated) < lease-100*time.Millisecond {
		t.Fatalf("taken over before the lease expired")
	}

	for kind, want := range map[string]string{"test.fail": "The archive is corrupted.", "test.internal": "An unexpected error occurred.", "test.unknown": `Unknown job kind "test.unknown".`} {
		j, err := svc.Enqueue(ctx, jobs.New{Kind: kind, SiteCode: "s"})
		if err != nil {
			t.Fatal(err)
		}
		if ran, err := survivor.Once(ctx); !ran || err != nil {
			t.Fatalf("%s: %v %v", kind, ran, err)
		}
		if got, _ := store.Get(ctx, j.ID); got.Status != jobs.StatusHalt || got.Error != want {
			t.Fatalf("%s: %+v", kind, got)
		}
	}
	// A job that keeps killing its workers is halted after MaxAttempts.
	j, _ = svc.Enqueue(ctx, jobs.New{Kind: "test.fail", SiteCode: "s"})
	now := time.Now()
	for i := range 2 {
		if _, ok, err := store.Claim(ctx, "killer", now.Add(time.Duration(i)*time.Hour), time.Second); !ok || err != nil {
			t.Fatalf("claim %d: %v %v", i, ok, err)
		}
	}
	limited := &jobs.Runner{Store: store, Handlers: handlers, Owner: "third", Lease: lease, MaxAttempts: 2,
		Now: func() time.Time { return now.Add(3 * time.Hour) }}
	if ran, _ := limited.Once(ctx); !ran {
		t.Fatal("not claimed")
	}
	if got, _ := store.Get(ctx, j.ID); got.Status != jobs.StatusHalt || got.Attempts != 3 {
		t.Fatalf("after too many attempts: %+v", got)
	}
}
