package gateway

import (
	"fmt"
	"testing"
	"time"

	authclient "github.com/hostplane/hostplane/services/auth/client"
)

func TestNewestPerKey(t *testing.T) {
	t0 := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	call := func(key int64, sec int, path string) authclient.Call {
		return authclient.Call{KeyID: key, Method: "GET", Path: path, Status: 200, At: t0.Add(time.Duration(sec) * time.Second)}
	}
	paths := func(calls []authclient.Call) string {
		s := ""
		for _, c := range calls {
			s += fmt.Sprintf("%d%s ", c.KeyID, c.Path)
		}
		return s
	}
	tests := []struct {
		name  string
		calls []authclient.Call
		keep  int
		want  string
	}{
		{"under the cap", []authclient.Call{call(1, 1, "a"), call(1, 2, "b")}, 2, "1a 1b "},
		{"oldest of a busy key dropped", []authclient.Call{call(1, 1, "a"), call(1, 2, "b"), call(1, 3, "c")}, 2, "1b 1c "},
		{"other keys untouched", []authclient.Call{call(1, 1, "a"), call(2, 0, "x"), call(1, 2, "b"), call(1, 3, "c"), call(2, 1, "y")}, 2, "2x 1b 1c 2y "},
		// A call that started later but finished first arrives first: the
		// newest by time is kept, as auth ranks them.
		{"ranked by time, not arrival", []authclient.Call{call(1, 3, "late"), call(1, 1, "a"), call(1, 2, "b")}, 2, "1late 1b "},
		{"ties keep the later arrival", []authclient.Call{call(1, 1, "a"), call(1, 1, "b"), call(1, 1, "c")}, 2, "1b 1c "},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := paths(newestPerKey(tt.calls, tt.keep)); got != tt.want {
				t.Fatalf("got %q, want %q", got, tt.want)
			}
		})
	}
}
