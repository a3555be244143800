package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
)

// profileEnv names a directory into which any appxray command writes a CPU
// profile (cpu.pprof) and a heap profile taken at the end (heap.pprof),
// for anyone who finds an app slow to scan: read them with `go tool pprof`.
const profileEnv = "APPXRAY_PPROF"

// startProfiles starts the CPU profile when APPXRAY_PPROF is set and
// returns the function that ends it and writes the heap profile.
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
	return func() {
		pprof.StopCPUProfile()
		cpu.Close()
		heap, err := os.Create(filepath.Join(dir, "heap.pprof"))
		if err != nil {
			fail(err)
			return
		}
		defer heap.Close()
		runtime.GC() // the heap profile shows what is live at the end
		if err := pprof.Lookup("heap").WriteTo(heap, 0); err != nil {
			fail(err)
		}
	}
}
