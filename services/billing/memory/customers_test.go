package memory_test

import (
	"testing"

	"github.com/hostplane/hostplane/services/billing/customers"
	"github.com/hostplane/hostplane/services/billing/memory"
	"github.com/hostplane/hostplane/services/billing/storetest"
)

func TestCustomersContract(t *testing.T) {
	storetest.Customers(t, func(*testing.T) customers.Store { return memory.NewCustomers(nil) })
}
