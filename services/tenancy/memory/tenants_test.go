package memory_test

import (
	"testing"

	"github.com/hostplane/hostplane/services/tenancy/memory"
	"github.com/hostplane/hostplane/services/tenancy/storetest"
	"github.com/hostplane/hostplane/services/tenancy/tenants"
)

func TestTenantsContract(t *testing.T) {
	storetest.Tenants(t, func(*testing.T) tenants.Store { return memory.NewTenants() })
}
