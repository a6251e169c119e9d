package discovery

import (
	"context"
	"fmt"

	"github.com/hashicorp/consul/api"

	"github.com/hostplane/hostplane/libs/errs"
)

// PutKV stores value under key in the Consul KV store at addr.
func PutKV(ctx context.Context, addr, key string, value []byte) error {
	return withConsul(addr, func(c *api.Client) error {
		w := (&api.WriteOptions{}).WithContext(ctx)
		if _, err := c.KV().Put(&api.KVPair{Key: key, Value: value}, w); err != nil {
			return fmt.Errorf("discovery: put %s at consul %s: %w", key, addr, err)
		}
		return nil
	})
}

// GetKV reads key from the Consul KV store at addr. A missing key is an
// errs.NotFound error.
func GetKV(ctx context.Context, addr, key string) ([]byte, error) {
	var value []byte
	err := withConsul(addr, func(c *api.Client) error {
		q := (&api.QueryOptions{}).WithContext(ctx)
		p, _, err := c.KV().Get(key, q)
		if err != nil {
			return fmt.Errorf("discovery: get %s at consul %s: %w", key, addr, err)
		}
		if p == nil {
			return &errs.Error{Kind: errs.NotFound, Message: "no key " + key, Resource: "key"}
		}
		value = p.Value
		return nil
	})
	return value, err
}

// DeleteKV removes key from the Consul KV store at addr; a missing key is
// not an error.
func DeleteKV(ctx context.Context, addr, key string) error {
	return withConsul(addr, func(c *api.Client) error {
		w := (&api.WriteOptions{}).WithContext(ctx)
		if _, err := c.KV().Delete(key, w); err != nil {
			return fmt.Errorf("discovery: delete %s at consul %s: %w", key, addr, err)
		}
		return nil
	})
}
