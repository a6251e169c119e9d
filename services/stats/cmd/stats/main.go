// Command stats runs Hostplane's stats service on its own.
package main

import (
	"github.com/hostplane/hostplane/libs/component"
	"github.com/hostplane/hostplane/services/stats"
)

func main() { component.Main(stats.Name, stats.Run) }
