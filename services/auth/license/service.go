package license

import (
	"context"
	"sync"
	"time"
)

// Service describes the installation's license.
type Service interface {
	Get(ctx context.Context) (License, error)
}

// Options configure the license service.
type Options struct {
	// Version is the running version (empty: BuildVersion()).
	Version string
	// IssuedTo names the licensee (the company_name setting, else the
	// operator's company, else the installation's name).
	IssuedTo func(ctx context.Context) (string, error)
	Now      func() time.Time
}

type service struct {
	store Store
	opts  Options

	mu       sync.Mutex
	instance string // cached once read: it never changes
}

// NewService returns the license service over store.
func NewService(store Store, opts Options) Service {
	if opts.Version == "" {
		opts.Version = BuildVersion()
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	return &service{store: store, opts: opts}
}

func (s *service) instanceID(ctx context.Context) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.instance != "" {
		return s.instance, nil
	}
	in, err := s.store.Instance(ctx, NewInstanceID(), s.opts.Now().UTC().Truncate(time.Microsecond))
	if err != nil {
		return "", err
	}
	s.instance = in.ID
	return in.ID, nil
}

func (s *service) Get(ctx context.Context) (License, error) {
	id, err := s.instanceID(ctx)
	if err != nil {
		return License{}, err
	}
	l := License{Edition: Edition, Version: s.opts.Version, InstanceID: id, Features: Features()}
	if s.opts.IssuedTo != nil {
		if l.IssuedTo, err = s.opts.IssuedTo(ctx); err != nil {
			return License{}, err
		}
	}
	return l, nil
}
