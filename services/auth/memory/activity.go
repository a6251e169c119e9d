package memory

import (
	"context"
	"slices"
	"sync"

	"github.com/hostplane/hostplane/services/auth/activity"
)

// Activity is an in-memory activity.Store. It knows the keys through the
// Keys store it was made with.
type Activity struct {
	keys *Keys
	mu   sync.RWMutex
	logs map[int64][]activity.Call // per key, oldest first, at most activity.Keep
	next int64
}

// NewActivity returns an empty store over keys.
func NewActivity(keys *Keys) *Activity {
	return &Activity{keys: keys, logs: map[int64][]activity.Call{}}
}

// newer orders calls by time, then arrival.
func newer(a, b activity.Call) int {
	if c := a.At.Compare(b.At); c != 0 {
		return c
	}
	switch {
	case a.ID < b.ID:
		return -1
	case a.ID > b.ID:
		return 1
	}
	return 0
}

// Append stores the calls of known keys and trims each log.
func (s *Activity) Append(ctx context.Context, calls []activity.Call) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	stored := 0
	touched := map[int64]activity.Call{}
	for _, c := range calls {
		if _, err := s.keys.Get(ctx, c.KeyID); err != nil {
			continue
		}
		s.next++
		c.ID = s.next
		s.logs[c.KeyID] = append(s.logs[c.KeyID], c)
		stored++
		if last, ok := touched[c.KeyID]; !ok || c.At.After(last.At) {
			touched[c.KeyID] = c
		}
	}
	for id, last := range touched {
		log := s.logs[id]
		slices.SortStableFunc(log, newer)
		if over := len(log) - activity.Keep; over > 0 {
			log = slices.Clone(log[over:])
		}
		s.logs[id] = log
		_ = s.keys.Touch(ctx, id, last.At)
	}
	return stored, nil
}

// List pages one key's log, newest first.
func (s *Activity) List(_ context.Context, keyID int64, offset, limit int) ([]activity.Call, int, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	log := s.logs[keyID]
	total := len(log)
	out := []activity.Call{}
	for i := total - 1 - offset; i >= 0 && (limit <= 0 || len(out) < limit); i-- {
		out = append(out, log[i])
	}
	return out, total, nil
}
