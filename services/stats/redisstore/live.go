// Package redisstore holds the stats service's Redis adapter: live
// visitors, one sorted set per site of visitor ids scored by the time they
// were last seen, so that counting those of the last minutes is one
// O(log n) ZCOUNT whatever the number of visitors.
package redisstore

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/hostplane/hostplane/services/stats/traffic"
	"github.com/redis/go-redis/v9"
)

// DefaultPrefix prefixes the keys of live visitors.
const DefaultPrefix = "hostplane:stats:"

// Live is the Redis traffic.Live.
type Live struct {
	Client *redis.Client
	// Prefix of the keys (DefaultPrefix): "<prefix>live:<site id>".
	Prefix string
}

func (l *Live) key(siteID int64) string {
	p := l.Prefix
	if p == "" {
		p = DefaultPrefix
	}
	return p + "live:" + strconv.FormatInt(siteID, 10)
}

func ms(t time.Time) float64 { return float64(t.UnixMilli()) }

// Touch adds visitors (a later time wins), drops those seen before
// forgetBefore and lets a site's set expire once nobody is seen for twice
// the live window: one round trip.
func (l *Live) Touch(ctx context.Context, siteID int64, seen []traffic.Seen, forgetBefore time.Time) error {
	if len(seen) == 0 {
		return nil
	}
	k := l.key(siteID)
	members := make([]redis.Z, len(seen))
	for i, s := range seen {
		members[i] = redis.Z{Score: ms(s.At), Member: s.Visitor}
	}
	_, err := l.Client.TxPipelined(ctx, func(p redis.Pipeliner) error {
		p.ZAddArgs(ctx, k, redis.ZAddArgs{GT: true, Members: members})
		p.ZRemRangeByScore(ctx, k, "-inf", "("+strconv.FormatInt(forgetBefore.UnixMilli(), 10))
		p.PExpire(ctx, k, 2*traffic.LiveWindow)
		return nil
	})
	if err != nil {
		return fmt.Errorf("redisstore: touch live visitors: %w", err)
	}
	return nil
}

// Count counts the visitors seen since a time.
func (l *Live) Count(ctx context.Context, siteID int64, since time.Time) (int64, error) {
	n, err := l.Client.ZCount(ctx, l.key(siteID), strconv.FormatInt(since.UnixMilli(), 10), "+inf").Result()
	if err != nil {
		return 0, fmt.Errorf("redisstore: count live visitors: %w", err)
	}
	return n, nil
}
