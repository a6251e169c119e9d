package activity_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/hostplane/hostplane/libs/errs"
	"github.com/hostplane/hostplane/libs/principal"
	"github.com/hostplane/hostplane/services/auth/activity"
	"github.com/hostplane/hostplane/services/auth/keys"
	"github.com/hostplane/hostplane/services/auth/memory"
)

func TestRecordAndList(t *testing.T) {
	ctx := context.Background()
	m := memory.NewStores()
	ks := keys.NewService(m.Keys, nil, nil)
	svc := activity.NewService(m.Activity, ks)
	mine, _ := ks.Create(ctx, keys.NewKey{Name: "a", Email: "a@example.com", Permissions: []string{"*"}, CustomerID: 4})
	other, _ := ks.Create(ctx, keys.NewKey{Name: "b", Email: "b@example.com", Permissions: []string{"*"}, CustomerID: 5})
	at := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	n, err := svc.Record(ctx, []activity.Call{
		{KeyID: mine.Key.ID, Method: "get", Path: "/v1/sites.json", Status: 200, At: at, IP: " 203.0.113.9 "},
		{KeyID: mine.Key.ID, Method: "POST", Path: "/x/" + strings.Repeat("a", 5000), Status: 201, At: at.Add(time.Second), IP: "203.0.113.9"},
		{KeyID: other.Key.ID, Method: "GET", Path: "/", Status: 200, At: at},
		{KeyID: 0, Method: "GET", Path: "/", Status: 200, At: at},                // no key: dropped
		{KeyID: mine.Key.ID, Method: "", Path: "/", Status: 200, At: at},         // no method: dropped
		{KeyID: mine.Key.ID, Method: "GET", Path: "/", Status: 200},              // no time: dropped
		{KeyID: mine.Key.ID, Method: "GET", Path: "/\xff", Status: 1200, At: at}, // cleaned
	})
	if err != nil || n != 4 {
		t.Fatalf("record: %d %v", n, err)
	}
	restricted := principal.With(ctx, &principal.Principal{KeyID: mine.Key.ID, CustomerID: 4, Permissions: []string{"keys:index"}})
	calls, total, err := svc.List(restricted, mine.Key.ID, 0, 10)
	if err != nil || total != 3 {
		t.Fatalf("list: %v %d %v", calls, total, err)
	}
	if calls[0].Method != "POST" || len(calls[0].Path) != activity.MaxPath || calls[2].IP != "203.0.113.9" || calls[2].Method != "GET" {
		t.Fatalf("cleaned calls: %+v", calls)
	}
	if _, _, err := svc.List(restricted, other.Key.ID, 0, 10); !errors.Is(err, errs.NotFound) {
		t.Fatalf("another customer's key's activity: %v", err)
	}
	if _, _, err := svc.List(ctx, 999, 0, 10); !errors.Is(err, errs.NotFound) {
		t.Fatalf("unknown key: %v", err)
	}
	if k, _ := ks.Get(ctx, mine.Key.ID); k.LastUsedAt == nil || !k.LastUsedAt.Equal(at.Add(time.Second)) {
		t.Fatalf("last used: %v", k.LastUsedAt)
	}
	big := make([]activity.Call, activity.MaxBatch+1)
	if _, err := svc.Record(ctx, big); !errors.Is(err, errs.Invalid) {
		t.Fatalf("oversized batch: %v", err)
	}
}
