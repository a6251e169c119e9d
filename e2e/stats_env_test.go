package e2e

import (
	"bufio"
	"fmt"
	"net"
	"net/url"
	"testing"
	"time"

	"github.com/hostplane/hostplane/libs/pgkit/pgtest"
	"github.com/hostplane/hostplane/libs/testenv"
)

// statsEnv gives a stack's stats service a database of its own, and a
// consumer group and Redis keys of its own: the event streams are shared
// by every stack running on this Redis, and a group of its own starting at
// the streams' end ($) sees every event published during the test and
// nothing of the others' history.
func statsEnv(t *testing.T) []string {
	t.Helper()
	tag := randomHex(4)
	t.Cleanup(func() { dropGroup(t, "stats-e2e-"+tag) })
	return []string{
		"HOSTPLANE_STATS_DATABASE_URL=" + pgtest.Fresh(t),
		"HOSTPLANE_STATS_CONSUMER_GROUP=stats-e2e-" + tag,
		"HOSTPLANE_STATS_EVENTS_FROM=$",
		"HOSTPLANE_STATS_REDIS_PREFIX=hostplane:e2e:" + tag + ":stats:",
	}
}

// dropGroup removes a stack's consumer group from the shared streams
// (a few lines of RESP: the e2e module has no Redis client).
func dropGroup(t *testing.T, group string) {
	u, err := url.Parse(testenv.RedisURL())
	if err != nil {
		return
	}
	conn, err := net.DialTimeout("tcp", u.Host, 2*time.Second)
	if err != nil {
		return
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(2 * time.Second))
	r := bufio.NewReader(conn)
	for _, stream := range []string{"hostplane:events:billing", "hostplane:events:sites", "hostplane:events:auth"} {
		args := []string{"XGROUP", "DESTROY", stream, group}
		cmd := fmt.Sprintf("*%d\r\n", len(args))
		for _, a := range args {
			cmd += fmt.Sprintf("$%d\r\n%s\r\n", len(a), a)
		}
		if _, err := conn.Write([]byte(cmd)); err != nil {
			return
		}
		if _, err := r.ReadString('\n'); err != nil {
			return
		}
	}
}
