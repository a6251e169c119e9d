// Package transport mounts the tenancy service's endpoints on HTTP: the wu
// dialect's sovereign tenant routes (/wp-json/wu/v2/tenants/{site_id}/…)
// and the internal routes other services call through tenancy's client.
package transport

import (
	"github.com/hostplane/hostplane/services/tenancy/client"
	"github.com/hostplane/hostplane/services/tenancy/tenants"
)

// statusView is a status as migration-status shows it: the reference's
// shape {site_id, isolation_model, database_host, verification, ready}
// plus state, step and error (null when there is none).
func statusView(st tenants.Status) client.Status {
	v := client.Status{
		SiteID: st.SiteID, IsolationModel: st.IsolationModel, DatabaseHost: st.DatabaseHost, Ready: st.Ready,
		State: string(st.State),
		Verification: client.Verification{
			NoLegacy: string(st.Checks.NoLegacy), SovereignPush: string(st.Checks.SovereignPush), TenantUsers: string(st.Checks.TenantUsers),
		},
	}
	if st.Step != "" {
		s := string(st.Step)
		v.Step = &s
	}
	if st.Error != "" {
		e := st.Error
		v.Error = &e
	}
	return v
}
