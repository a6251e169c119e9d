// Command gateway runs Hostplane's API gateway on its own.
package main

import (
	"github.com/hostplane/hostplane/gateway"
	"github.com/hostplane/hostplane/libs/component"
)

func main() { component.Main(gateway.Name, gateway.Run) }
