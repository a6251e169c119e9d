// Package domains is the domain-mapping aggregate of the sites service: a
// host name mapped to a site (wu domain: blog_id, domain, active,
// primary_domain, secure, stage). Names are unique, lower case and
// IDNA-checked; a site has at most one primary domain (making one primary
// demotes the other). A background check moves each new domain through its
// stages with a resolver and a certificate prober behind ports.
package domains

import "time"

// Domain is a host name mapped to a site.
type Domain struct {
	ID         int64
	SiteID     int64
	CustomerID int64 // the site's customer (read from the site)
	Name       string
	Active     bool
	Primary    bool
	Secure     bool
	// SSLRequired makes a failed certificate check ssl-failed instead of
	// done-without-ssl (the mapping was created secure).
	SSLRequired bool
	Stage       string
	// Attempts counts the checks of the current stage.
	Attempts     int
	NextCheck    time.Time
	DateCreated  time.Time
	DateModified time.Time
}

// Stages of a domain mapping.
const (
	StageCheckingDNS    = "checking-dns"
	StageCheckingSSL    = "checking-ssl-cert"
	StageDoneWithoutSSL = "done-without-ssl"
	StageDone           = "done"
	StageFailed         = "failed"
	StageSSLFailed      = "ssl-failed"
	// StageDomainMapping is accepted on input (the reference's example)
	// and starts the checks, as checking-dns.
	StageDomainMapping = "domain-mapping"
)

// Stages lists the stages a domain can be in.
var Stages = []string{StageCheckingDNS, StageCheckingSSL, StageDoneWithoutSSL, StageDone, StageFailed, StageSSLFailed}

// SameView reports whether a and b look the same to API consumers (the
// check's bookkeeping aside): no domain.updated event between them.
func SameView(a, b Domain) bool {
	return a.Name == b.Name && a.SiteID == b.SiteID && a.Active == b.Active && a.Primary == b.Primary &&
		a.Secure == b.Secure && a.Stage == b.Stage
}

// Checking reports whether the background check still works on d.
func (d Domain) Checking() bool { return d.Stage == StageCheckingDNS || d.Stage == StageCheckingSSL }

// Order is a sort key of domain lists.
type Order string

// Sort keys (ties broken by id).
const (
	ByID          Order = "id"
	ByDomain      Order = "domain"
	ByDateCreated Order = "date_created"
	ByBlogID      Order = "blog_id"
)

// Orders lists every sort key, the default first.
var Orders = []Order{ByID, ByDomain, ByDateCreated, ByBlogID}
