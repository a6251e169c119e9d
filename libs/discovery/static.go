package discovery

// Static is a Resolver with addresses given by the program: single-node
// mode, where every service runs in one process on a known port, and tests.
type Static struct {
	t *table
}

// NewStatic resolves each service of m to its addresses (host:port).
func NewStatic(m map[string][]string) *Static {
	s := &Static{t: newTable()}
	for service, addrs := range m {
		s.t.set(service, addrs)
	}
	return s
}

// Instances implements Resolver.
func (s *Static) Instances(service string) []string { return s.t.instances(service) }

// Changed implements Watcher.
func (s *Static) Changed(service string) <-chan struct{} { return s.t.changed(service) }

// Set replaces the addresses of service (none removes them).
func (s *Static) Set(service string, addrs ...string) { s.t.set(service, addrs) }
