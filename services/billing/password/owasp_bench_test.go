package password

import (
	"fmt"
	"syscall"
	"testing"
	"time"
)

// OWASP lists these Argon2id settings as equally strong minimums (Password
// Storage Cheat Sheet): m=47 MiB t=1, m=19 MiB t=2, m=12 MiB t=3,
// m=9 MiB t=4, m=7 MiB t=5, all with one lane.
var owasp = []Params{
	{Memory: 47 * 1024, Time: 1, Threads: 1},
	{Memory: 19 * 1024, Time: 2, Threads: 1},
	{Memory: 12 * 1024, Time: 3, Threads: 1},
	{Memory: 9 * 1024, Time: 4, Threads: 1},
	{Memory: 7 * 1024, Time: 5, Threads: 1},
}

// TestDefaultIsAnOWASPMinimum keeps the default at one of OWASP's settings
// (never below them).
func TestDefaultIsAnOWASPMinimum(t *testing.T) {
	for _, p := range owasp {
		if DefaultParams == p {
			return
		}
	}
	t.Fatalf("DefaultParams %+v is none of OWASP's Argon2id settings %+v", DefaultParams, owasp)
}

// BenchmarkOWASP measures one hash at each of OWASP's settings, to choose
// the one costing the least CPU here (the default):
//
//	go test -run '^$' -bench OWASP -benchtime 40x ./password/
func BenchmarkOWASP(b *testing.B) {
	for _, p := range owasp {
		b.Run(fmt.Sprintf("m=%dMiB_t=%d", p.Memory/1024, p.Time), func(b *testing.B) {
			a, err := NewArgon2id(p)
			if err != nil {
				b.Fatal(err)
			}
			before := cpuTime(b)
			for b.Loop() {
				if _, err := a.Hash("correct horse battery staple"); err != nil {
					b.Fatal(err)
				}
			}
			// CPU time is what a loaded, shared machine cannot distort.
			b.ReportMetric(float64((cpuTime(b)-before).Microseconds())/1000/float64(b.N), "cpu-ms/op")
		})
	}
}

// cpuTime is the user and system CPU time the process has used.
func cpuTime(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
