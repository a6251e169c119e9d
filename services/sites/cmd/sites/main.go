// Command sites runs Hostplane's sites service on its own.
package main

import (
	"github.com/hostplane/hostplane/libs/component"
	"github.com/hostplane/hostplane/services/sites"
)

func main() { component.Main(sites.Name, sites.Run) }
