// Command billing runs Hostplane's billing service on its own.
package main

import (
	"github.com/hostplane/hostplane/libs/component"
	"github.com/hostplane/hostplane/services/billing"
)

func main() { component.Main(billing.Name, billing.Run) }
