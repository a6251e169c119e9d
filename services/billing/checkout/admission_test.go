package checkout

import (
	"context"
	"errors"
	"runtime"
	"testing"

	"github.com/hostplane/hostplane/libs/errs"
)

func TestAdmissionDefaults(t *testing.T) {
	n := runtime.GOMAXPROCS(0)
	for _, tt := range []struct {
		hashing, queue         int
		wantSlots, wantWaiting int
	}{
		{0, 0, 2 * n, 4 * n},
		{3, 0, 3, 6},
		{3, 5, 3, 5},
		{3, -1, 3, 0},
	} {
		a := newAdmission(tt.hashing, tt.queue)
		if cap(a.slots) != tt.wantSlots || cap(a.waiting) != tt.wantWaiting {
			t.Errorf("newAdmission(%d, %d): %d slots, %d waiting; want %d, %d", tt.hashing, tt.queue,
				cap(a.slots), cap(a.waiting), tt.wantSlots, tt.wantWaiting)
		}
	}
}

// TestAdmissionQueue: a registration waiting for a slot gives its place
// back when its request ends, and one past the queue is refused at once.
func TestAdmissionQueue(t *testing.T) {
	a := newAdmission(1, 1)
	release, err := a.enter(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	waited := make(chan error)
	go func() {
		_, err := a.enter(ctx)
		waited <- err
	}()
	for len(a.waiting) == 0 {
		runtime.Gosched()
	}
	if _, err := a.enter(context.Background()); !errors.Is(err, errs.Unavailable) || errs.From(err).RetryAfter != RetryAfter {
		t.Fatalf("past the queue: %v", err)
	}
	cancel()
	if err := <-waited; !errors.Is(err, errs.Unavailable) || !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled while waiting: %v", err)
	}
	if len(a.waiting) != 0 {
		t.Fatal("the cancelled registration kept its place in the queue")
	}
	release()
	again, err := a.enter(context.Background())
	if err != nil {
		t.Fatalf("after release: %v", err)
	}
	again()
}
