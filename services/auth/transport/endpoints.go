package transport

import (
	"github.com/hostplane/hostplane/services/auth/accounts"
	"github.com/hostplane/hostplane/services/auth/activity"
	"github.com/hostplane/hostplane/services/auth/keys"
	"github.com/hostplane/hostplane/services/auth/license"
	"github.com/hostplane/hostplane/services/auth/settings"
)

// Endpoints are every aggregate's endpoints, which the dialects mount.
type Endpoints struct {
	Keys     keys.Endpoints
	Accounts accounts.Endpoints
	Settings settings.Endpoints
	License  license.Endpoints
	Activity activity.Endpoints
}
