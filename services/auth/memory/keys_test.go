package memory_test

import (
	"testing"

	"github.com/hostplane/hostplane/services/auth/keys"
	"github.com/hostplane/hostplane/services/auth/memory"
	"github.com/hostplane/hostplane/services/auth/storetest"
)

func TestKeysContract(t *testing.T) {
	storetest.Keys(t, func(*testing.T) keys.Store { return memory.NewKeys() })
}

func TestAuthContract(t *testing.T) {
	storetest.Auth(t, func(*testing.T) storetest.Stores {
		m := memory.NewStores()
		return storetest.Stores{Keys: m.Keys, Accounts: m.Accounts, Settings: m.Settings, Activity: m.Activity, Installation: m.Installation}
	})
}
