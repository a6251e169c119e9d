package memory_test

import (
	"context"
	"testing"

	"github.com/hostplane/hostplane/services/sites/memory"
	"github.com/hostplane/hostplane/services/sites/storetest"
)

func TestContract(t *testing.T) {
	storetest.Run(t, func(*testing.T) storetest.Stores {
		db := memory.New(nil)
		return storetest.Stores{
			Sites: db.Sites(), Domains: db.Domains(), Jobs: db.Jobs(), Backups: db.Backups(),
			Events: func(*testing.T) []string {
				b, _ := db.Outbox().Pending(context.Background(), 1000)
				var out []string
				for _, e := range b.Events {
					out = append(out, e.Type)
				}
				return out
			},
		}
	})
}

func TestRunner(t *testing.T) { storetest.Runner(t, memory.New(nil).Jobs()) }
