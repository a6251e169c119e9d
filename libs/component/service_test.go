package component

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
)

type svcConfig struct {
	Addr     string `env:"HOSTPLANE_ADDR" flag:"addr" default:":8083"`
	Password string `env:"HOSTPLANE_PASSWORD" secret:"true"`
	Common   Config
}

func TestBuild(t *testing.T) {
	var logs syncBuffer
	cfg := svcConfig{Addr: ":9", Password: "hunter2-very-secret", Common: validConfig()}
	var closed bool
	b, err := Build(context.Background(), "stats", cfg.Common, &cfg, &logs, func(rt *Runtime) (http.Handler, func(), error) {
		if rt.Name != "stats" {
			t.Errorf("builder got runtime %q", rt.Name)
		}
		return echoAPI, func() { closed = true }, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Runtime.Tracing.Shutdown(context.Background())
	if b.API == nil || b.Runtime == nil {
		t.Fatalf("Built = %+v", b)
	}
	out := logs.String()
	if !strings.Contains(out, `"HOSTPLANE_ADDR":":9"`) || strings.Contains(out, "hunter2") || strings.Contains(out, secret) {
		t.Errorf("configuration log = %s, want the address and no secret", out)
	}
	b.Close()
	if !closed {
		t.Error("Close does not release what the builder returned")
	}

	// A nil close function is allowed; a builder error is wrapped with the name.
	b2, err := Build(context.Background(), "stats", validConfig(), &cfg, io.Discard, func(*Runtime) (http.Handler, func(), error) {
		return echoAPI, nil, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	b2.Close()
	boom := errors.New("boom")
	_, err = Build(context.Background(), "stats", validConfig(), &cfg, io.Discard, func(*Runtime) (http.Handler, func(), error) {
		return nil, nil, boom
	})
	if !errors.Is(err, boom) || !strings.HasPrefix(err.Error(), "stats: ") {
		t.Errorf("Build with a failing builder = %v", err)
	}
	bad := validConfig()
	bad.InternalSecret = ""
	if _, err := Build(context.Background(), "stats", bad, &cfg, io.Discard, nil); err == nil || !strings.HasPrefix(err.Error(), "stats: ") {
		t.Errorf("Build with an invalid configuration = %v", err)
	}
}

func TestBuiltServeCloses(t *testing.T) {
	var closed bool
	b, err := Build(context.Background(), "stats", validConfig(), &svcConfig{}, io.Discard, func(*Runtime) (http.Handler, func(), error) {
		return echoAPI, func() { closed = true }, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	ln := freeListener(t)
	addr := ln.Addr().String()
	ln.Close()
	ctx, cancel := context.WithCancel(context.Background())
	cancel() // serve and stop at once
	if err := b.Serve(ctx, addr); err != nil {
		t.Errorf("Serve = %v", err)
	}
	if !closed {
		t.Error("Serve did not release the service when it stopped")
	}
}

func TestLoad(t *testing.T) {
	env := map[string]string{"HOSTPLANE_PASSWORD": "pw", "HOSTPLANE_ADDR": ":1"}
	getenv := func(k string) string { return env[k] }
	var got svcConfig
	run := func(_ context.Context, c svcConfig, _ io.Writer) error { got = c; return nil }
	if err := Load(context.Background(), []string{"-addr", ":2"}, getenv, io.Discard, run); err != nil {
		t.Fatal(err)
	}
	if got.Addr != ":2" || got.Password != "pw" || got.Common.ConsulTag != "hostplane" || got.Common.MaxBodyBytes != 1<<20 {
		t.Errorf("loaded %+v, want flag over env and the common defaults", got)
	}
	if err := Load(context.Background(), []string{"-nope"}, getenv, io.Discard, run); err == nil {
		t.Error("Load with an unknown flag: want an error")
	}
}
