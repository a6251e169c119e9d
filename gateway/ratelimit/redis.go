package ratelimit

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/go-redis/redis_rate/v10"
	"github.com/redis/go-redis/v9"
)

// Redis is a GCRA limiter in Redis (go-redis/redis_rate): one script call,
// one round trip per decision, shared by every gateway.
type Redis struct {
	limiter *redis_rate.Limiter
	client  *redis.Client
	prefix  string
}

// NewRedis returns a limiter on client. Keys are stored under prefix.
func NewRedis(client *redis.Client, prefix string) *Redis {
	return &Redis{limiter: redis_rate.NewLimiter(client), client: client, prefix: prefix}
}

// Allow asks Redis.
func (r *Redis) Allow(ctx context.Context, key string, l Limit) (Result, error) {
	res, err := r.limiter.Allow(ctx, r.prefix+key, redis_rate.Limit{Rate: l.Rate, Period: l.Period, Burst: l.Burst})
	if err != nil {
		return Result{}, err
	}
	out := Result{Allowed: res.Allowed > 0, Limit: l.Rate, Remaining: res.Remaining, ResetAfter: res.ResetAfter}
	if !out.Allowed {
		out.RetryAfter = res.RetryAfter
	}
	return out, nil
}

// AllowAtMost takes up to n requests' worth of the key's budget at once and
// reports how many it got (0 when the key is limited right now).
//
// It runs allowAtMost, not redis_rate's AllowAtMost: when fewer than n
// requests are available, that one charges the fractional budget left but
// grants its integer part, losing up to one request's worth per partial
// grant (measured: a key hammered past its limit admitted 2-5% less than
// its rate). This one grants and charges whole requests only.
func (r *Redis) AllowAtMost(ctx context.Context, key string, l Limit, n int) (Result, int, error) {
	v, err := allowAtMost.Run(ctx, r.client, []string{"rate:" + r.prefix + key}, l.Burst, l.Rate, l.Period.Seconds(), n).Slice()
	if err != nil {
		return Result{}, 0, err
	}
	if len(v) != 4 {
		return Result{}, 0, fmt.Errorf("ratelimit: unexpected script answer %v", v)
	}
	granted, _ := v[0].(int64)
	remaining, _ := v[1].(int64)
	retry, _ := strconv.ParseFloat(fmt.Sprint(v[2]), 64)
	reset, _ := strconv.ParseFloat(fmt.Sprint(v[3]), 64)
	out := Result{Allowed: granted > 0, Limit: l.Rate, Remaining: int(remaining), ResetAfter: seconds(reset)}
	if !out.Allowed {
		out.RetryAfter = seconds(retry)
	}
	return out, int(granted), nil
}

func seconds(s float64) time.Duration { return time.Duration(s * float64(time.Second)) }

// allowAtMost is GCRA over a key's theoretical arrival time, as redis_rate
// keeps it (same key, "rate:" + prefix + key, and arithmetic), granting
// whole requests only.
var allowAtMost = redis.NewScript(`
redis.replicate_commands()
local key = KEYS[1]
local burst = tonumber(ARGV[1])
local rate = tonumber(ARGV[2])
local period = tonumber(ARGV[3])
local want = tonumber(ARGV[4])
local interval = period / rate
local burst_offset = interval * burst
local t = redis.call("TIME")
local now = (t[1] - 1483228800) + (t[2] / 1000000)
local tat = tonumber(redis.call("GET", key) or now)
if tat < now then tat = now end
local available = math.floor((now - (tat - burst_offset)) / interval)
if available < 1 then
  return {0, 0, tostring(interval - (now - (tat - burst_offset))), tostring(tat - now)}
end
local granted = math.min(want, available)
local new_tat = tat + interval * granted
local reset_after = new_tat - now
redis.call("SET", key, new_tat, "EX", math.ceil(reset_after))
return {granted, available - granted, "-1", tostring(reset_after)}
`)
