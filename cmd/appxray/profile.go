package main

import (
	"bytes"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"runtime/trace"
	"time"
)

// profileEnv names a directory into which any appxray command writes a CPU
// profile (cpu.pprof), a heap profile taken at the end (heap.pprof), one
// taken when the live heap was largest (heap-peak.pprof) and an execution
// trace (trace.out), for anyone who finds an app slow or heavy to scan:
// read the profiles with `go tool pprof`, the trace with `go tool trace`,
// which shows what ran on each core and what the rest waited for.
const profileEnv = "APPXRAY_PPROF"

// peakEvery is how often the peak watcher reads the live heap. A heap
// profile describes the heap as of the last finished GC, so sampling
// faster than GCs happen only repeats the same profile.
const peakEvery = 20 * time.Millisecond

// startProfiles starts the CPU profile when APPXRAY_PPROF is set and
// returns the function that ends it and writes the heap profiles.
func startProfiles(stderr io.Writer) (stop func()) {
	dir := os.Getenv(profileEnv)
	if dir == "" {
		return func() {}
	}
	fail := func(err error) func() {
		fmt.Fprintf(stderr, "appxray: %s: %v\n", profileEnv, err)
		return func() {}
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fail(err)
	}
	cpu, err := os.Create(filepath.Join(dir, "cpu.pprof"))
	if err != nil {
		return fail(err)
	}
	if err := pprof.StartCPUProfile(cpu); err != nil {
		cpu.Close()
		return fail(err)
	}
	tr, err := os.Create(filepath.Join(dir, "trace.out"))
	if err != nil {
		pprof.StopCPUProfile()
		cpu.Close()
		return fail(err)
	}
	if err := trace.Start(tr); err != nil {
		tr.Close()
		pprof.StopCPUProfile()
		cpu.Close()
		return fail(err)
	}
	done, peak := make(chan struct{}), make(chan []byte)
	go watchPeak(done, peak)
	write := func(name string, b []byte) {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			fail(err)
		}
	}
	return func() {
		trace.Stop()
		tr.Close()
		pprof.StopCPUProfile()
		cpu.Close()
		close(done)
		write("heap-peak.pprof", <-peak)
		runtime.GC() // the heap profile shows what is live at the end
		var b bytes.Buffer
		if err := pprof.Lookup("heap").WriteTo(&b, 0); err != nil {
			fail(err)
			return
		}
		write("heap.pprof", b.Bytes())
	}
}

// watchPeak keeps the heap profile of the largest live heap seen (what the
// last GC marked) until done is closed, then sends it.
func watchPeak(done <-chan struct{}, out chan<- []byte) {
	var best []byte
	var max int64
	var recs []runtime.MemProfileRecord
	take := func() {
		var v int64
		// The records are read into one buffer for the whole watch, so
		// that the watcher's own allocations stay out of the profiles.
		if v, recs = liveHeap(recs); v > max || best == nil {
			var b bytes.Buffer
			if pprof.Lookup("heap").WriteTo(&b, 0) == nil {
				max, best = v, b.Bytes()
			}
		}
	}
	t := time.NewTicker(peakEvery)
	defer t.Stop()
	for {
		take()
		select {
		case <-done:
			take()
			out <- best
			return
		case <-t.C:
		}
	}
}

// liveHeap is the in-use total the heap profile would show now: the bytes
// the last GC found live, estimated from the sampled allocations as pprof
// does. (runtime/metrics' /gc/heap/live:bytes says the same exactly, but
// importing that package costs every appxray process its initialiser.)
// It reads the records into buf, grown when too small, and returns it.
func liveHeap(buf []runtime.MemProfileRecord) (int64, []runtime.MemProfileRecord) {
	n, ok := runtime.MemProfile(buf, true)
	for !ok {
		buf = make([]runtime.MemProfileRecord, n+50)
		n, ok = runtime.MemProfile(buf, true)
	}
	recs := buf[:n]
	rate := float64(runtime.MemProfileRate)
	if rate <= 0 {
		return 0, buf // no sampling, no profile to choose
	}
	var total float64
	for _, r := range recs {
		objs, bytes := r.InUseObjects(), r.InUseBytes()
		if objs <= 0 || bytes <= 0 {
			continue
		}
		// A sample stands for 1/(1-e^(-size/rate)) allocations of its size.
		avg := float64(bytes) / float64(objs)
		total += float64(bytes) / (1 - math.Exp(-avg/rate))
	}
	return int64(total), buf
}
