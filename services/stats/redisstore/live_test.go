package redisstore_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/hostplane/hostplane/libs/redisx"
	"github.com/hostplane/hostplane/libs/testenv"
	"github.com/hostplane/hostplane/services/stats/redisstore"
	"github.com/hostplane/hostplane/services/stats/storetest"
	"github.com/hostplane/hostplane/services/stats/traffic"
)

func TestLiveContract(t *testing.T) {
	c, err := redisx.Open(testenv.NeedRedis(t), redisx.Options{Timeout: 2 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close() })
	storetest.Live(t, func(t *testing.T) traffic.Live {
		prefix := fmt.Sprintf("hostplane:test:%d:", rand.Int64())
		t.Cleanup(func() {
			keys, _ := c.Keys(context.Background(), prefix+"*").Result()
			if len(keys) > 0 {
				c.Del(context.Background(), keys...)
			}
		})
		return &redisstore.Live{Client: c, Prefix: prefix}
	})
}

func TestLiveKeysExpire(t *testing.T) {
	c, err := redisx.Open(testenv.NeedRedis(t), redisx.Options{Timeout: 2 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	prefix := fmt.Sprintf("hostplane:test:%d:", rand.Int64())
	l := &redisstore.Live{Client: c, Prefix: prefix}
	now := time.Now()
	ctx := context.Background()
	if err := l.Touch(ctx, 1, []traffic.Seen{{Visitor: "a", At: now}, {Visitor: "old", At: now.Add(-time.Hour)}}, now.Add(-traffic.LiveWindow)); err != nil {
		t.Fatal(err)
	}
	defer c.Del(ctx, prefix+"live:1")
	ttl, _ := c.PTTL(ctx, prefix+"live:1").Result()
	if ttl <= 0 || ttl > 2*traffic.LiveWindow {
		t.Fatalf("ttl %s", ttl)
	}
	if n, _ := c.ZCard(ctx, prefix+"live:1").Result(); n != 1 {
		t.Fatalf("%d members: the old visitor was kept", n)
	}
}
