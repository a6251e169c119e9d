package main

import (
	"bufio"
	"io"
	"os"
	"strconv"
	"strings"
)

// MemStats is the part of runtime.MemStats that /debug/pprof/heap?debug=1
// prints ("# Name = value" lines) that the report uses.
type MemStats struct {
	TotalAlloc, Mallocs, NumGC                 uint64
	HeapInuse, HeapIdle, HeapReleased, HeapSys uint64
	StackInuse, Sys, NextGC                    uint64
	PauseNs, PauseEnd                          []uint64
	ok                                         bool
}

// ParseMemStats reads the MemStats block of a debug=1 heap profile.
func ParseMemStats(r io.Reader) MemStats {
	var m MemStats
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		line := strings.TrimPrefix(sc.Text(), "# ")
		name, value, ok := strings.Cut(line, " = ")
		if !ok {
			continue
		}
		num := func() uint64 {
			v, _ := strconv.ParseUint(strings.Fields(value)[0], 10, 64)
			return v
		}
		list := func() []uint64 {
			var out []uint64
			for _, f := range strings.Fields(strings.Trim(value, "[]")) {
				v, _ := strconv.ParseUint(f, 10, 64)
				out = append(out, v)
			}
			return out
		}
		m.ok = true
		switch name {
		case "TotalAlloc":
			m.TotalAlloc = num()
		case "Mallocs":
			m.Mallocs = num()
		case "NumGC":
			m.NumGC = num()
		case "HeapInuse":
			m.HeapInuse = num()
		case "HeapIdle":
			m.HeapIdle = num()
		case "HeapReleased":
			m.HeapReleased = num()
		case "HeapSys":
			m.HeapSys = num()
		case "Stack":
			m.StackInuse = num() // "inuse / sys"
		case "Sys":
			m.Sys = num()
		case "NextGC":
			m.NextGC = num()
		case "PauseNs":
			m.PauseNs = list()
		case "PauseEnd":
			m.PauseEnd = list()
		}
	}
	return m
}

func readMemStats(path string) (MemStats, bool) {
	f, err := os.Open(path)
	if err != nil {
		return MemStats{}, false
	}
	defer f.Close()
	m := ParseMemStats(f)
	return m, m.ok
}

// GCWindow describes the allocation and GC activity between two MemStats
// snapshots, with the stop-the-world pauses that ended in [fromNS, toNS].
type GCWindow struct {
	Bytes, Allocs, Cycles uint64
	Pauses                int
	PausesOver1ms         int
	MaxPauseMS            float64
	TotalPauseMS          float64
}

// Window compares two snapshots.
func Window(before, after MemStats, fromNS, toNS uint64) GCWindow {
	w := GCWindow{
		Bytes: after.TotalAlloc - before.TotalAlloc, Allocs: after.Mallocs - before.Mallocs,
		Cycles: after.NumGC - before.NumGC,
	}
	for i, end := range after.PauseEnd {
		if i >= len(after.PauseNs) || end < fromNS || end > toNS || end == 0 {
			continue
		}
		ms := float64(after.PauseNs[i]) / 1e6
		w.Pauses++
		w.TotalPauseMS += ms
		if ms > w.MaxPauseMS {
			w.MaxPauseMS = ms
		}
		if ms > 1 {
			w.PausesOver1ms++
		}
	}
	return w
}
