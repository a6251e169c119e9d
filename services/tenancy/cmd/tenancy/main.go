// Command tenancy runs Hostplane's tenancy service on its own.
package main

import (
	"github.com/hostplane/hostplane/libs/component"
	"github.com/hostplane/hostplane/services/tenancy"
)

func main() { component.Main(tenancy.Name, tenancy.Run) }
