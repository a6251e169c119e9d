package memory_test

import (
	"testing"

	"github.com/hostplane/hostplane/services/stats/activity"
	"github.com/hostplane/hostplane/services/stats/memory"
	"github.com/hostplane/hostplane/services/stats/storetest"
	"github.com/hostplane/hostplane/services/stats/traffic"
)

func TestTrafficContract(t *testing.T) {
	storetest.Traffic(t, func(*testing.T) traffic.Store { return memory.New() })
}

func TestActivityContract(t *testing.T) {
	storetest.Activity(t, func(*testing.T) activity.Store { return memory.New() })
}

func TestProjectionContract(t *testing.T) {
	storetest.Projection(t, func(*testing.T) storetest.Store { return memory.New() })
}

func TestLiveContract(t *testing.T) {
	storetest.Live(t, func(*testing.T) traffic.Live { return memory.NewLive() })
}
