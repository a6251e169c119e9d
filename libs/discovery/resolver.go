package discovery

// Resolver lists the healthy instances of services.
type Resolver interface {
	// Instances returns host:port of every healthy instance of service,
	// sorted, or nothing for an unknown service. The slice is shared by all
	// callers and must not be modified.
	Instances(service string) []string
}

// Watcher is a Resolver whose instances change over time; the gateway uses it
// to notice changes (to log them, or to refresh its health detail).
type Watcher interface {
	Resolver
	// Changed returns a channel that is closed at the next change of the
	// instances of service. Read Instances after it is closed, then call
	// Changed again for the change after that.
	Changed(service string) <-chan struct{}
}
