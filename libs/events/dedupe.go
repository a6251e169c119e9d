package events

import (
	"context"
	"fmt"
	"sync"
)

// ProcessedSchema creates the table consumers record handled event ids in.
const ProcessedSchema = `
CREATE TABLE IF NOT EXISTS processed_events (
    consumer TEXT        NOT NULL,
    id       TEXT        NOT NULL,
    at       TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (consumer, id)
);
`

// FirstTime records that consumer handles event id, inside tx — the
// transaction of the handler's own change — and reports whether it is the
// first time: a redelivered event finds its id and changes nothing.
func FirstTime(ctx context.Context, tx Execer, consumer, id string) (bool, error) {
	tag, err := tx.Exec(ctx, `INSERT INTO processed_events (consumer, id) VALUES ($1, $2) ON CONFLICT DO NOTHING`, consumer, id)
	if err != nil {
		return false, fmt.Errorf("events: record %s: %w", id, err)
	}
	return tag.RowsAffected() == 1, nil
}

// MemorySeen is FirstTime for in-memory stores.
type MemorySeen struct {
	mu   sync.Mutex
	seen map[string]struct{}
}

// FirstTime reports whether consumer sees id for the first time, and
// records it.
func (m *MemorySeen) FirstTime(consumer, id string) bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.seen == nil {
		m.seen = map[string]struct{}{}
	}
	k := consumer + "\x00" + id
	if _, ok := m.seen[k]; ok {
		return false
	}
	m.seen[k] = struct{}{}
	return true
}
