package main

import (
	"bytes"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"appxray/internal/testapp"
)

// APPXRAY_PPROF writes the CPU profile, both heap profiles and the
// execution trace of a scan.
func TestProfilesOnDemand(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "prof")
	t.Setenv(profileEnv, dir)
	var stderr bytes.Buffer
	stop := startProfiles(&stderr)
	if code, _, errs := runCLI("scan", "--format", "json", testapp.Demo(t)); code != 0 {
		t.Fatalf("scan: %d %s", code, errs)
	}
	stop()
	for _, f := range []string{"cpu.pprof", "heap.pprof", "heap-peak.pprof", "trace.out"} {
		st, err := os.Stat(filepath.Join(dir, f))
		if err != nil || st.Size() == 0 {
			t.Errorf("%s: %v", f, err)
		}
	}
	// What go tool trace reads: a header naming the Go version, then events.
	if b, err := os.ReadFile(filepath.Join(dir, "trace.out")); err != nil || !bytes.HasPrefix(b, []byte("go 1.")) || len(b) < 1024 {
		t.Errorf("trace.out: %d bytes, %q..., %v", len(b), b[:min(len(b), 16)], err)
	}
	if stderr.Len() != 0 {
		t.Errorf("stderr: %s", stderr.String())
	}
}

// The peak watcher's reading follows what the last GC found live.
func TestLiveHeap(t *testing.T) {
	const size = 64 << 20
	held := make([]byte, size)
	runtime.GC()
	with, buf := liveHeap(nil)
	runtime.KeepAlive(held)
	held = nil
	runtime.GC()
	runtime.GC()
	without, _ := liveHeap(buf)
	if with < size*3/4 || with-without < size*3/4 {
		t.Errorf("live heap with a %d-byte buffer %d, without %d", size, with, without)
	}
}
