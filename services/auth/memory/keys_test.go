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
