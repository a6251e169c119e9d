package gateway

import (
	"context"
	"log/slog"
	"sync/atomic"
	"time"

	authclient "github.com/hostplane/hostplane/services/auth/client"
)

// gatewaySettings follows the settings every gateway applies (enable_api),
// polling the auth service twice a second: a change is in force on every
// gateway within one second. When auth cannot be reached the last known
// values stay.
type gatewaySettings struct {
	disabled atomic.Bool
}

func (s *gatewaySettings) apiEnabled() bool { return !s.disabled.Load() }

func (s *gatewaySettings) run(ctx context.Context, auth *authclient.Client, every time.Duration, log *slog.Logger) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		cctx, cancel := context.WithTimeout(ctx, every)
		got, err := auth.GatewaySettings(cctx)
		cancel()
		if err == nil {
			if was := s.disabled.Swap(!got.EnableAPI); was != !got.EnableAPI {
				log.Info("setting enable_api changed", "enable_api", got.EnableAPI)
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
