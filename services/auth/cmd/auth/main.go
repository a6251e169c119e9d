// Command auth runs Hostplane's auth service on its own.
package main

import (
	"github.com/hostplane/hostplane/libs/component"
	"github.com/hostplane/hostplane/services/auth"
)

func main() { component.Main(auth.Name, auth.Run) }
