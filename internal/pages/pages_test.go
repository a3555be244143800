package pages

import (
	"bytes"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"testing"
	"time"
)

func TestAlloc(t *testing.T) {
	var p Pool
	small := p.Alloc(MinSize - 1)
	if len(small) != MinSize-1 || p.Mapped() != 0 {
		t.Fatalf("a buffer under MinSize: len %d, %d bytes mapped; want %d, 0", len(small), p.Mapped(), MinSize-1)
	}
	big := p.Alloc(MinSize + 5)
	if len(big) != MinSize+5 || cap(big) != MinSize+5 {
		t.Fatalf("len %d cap %d, want %d", len(big), cap(big), MinSize+5)
	}
	if runtime.GOOS != "windows" && p.Mapped() < MinSize+5 {
		t.Fatalf("%d bytes mapped, want at least %d", p.Mapped(), MinSize+5)
	}
	if !bytes.Equal(big, make([]byte, len(big))) {
		t.Fatal("a new buffer is not zeroed")
	}
	big[0], big[len(big)-1] = 1, 2
	p.Free()
	if p.Mapped() != 0 {
		t.Fatalf("%d bytes still mapped after Free", p.Mapped())
	}
	after := p.Alloc(2 * MinSize)
	if len(after) != 2*MinSize || p.Mapped() != 0 {
		t.Fatalf("after Free: len %d, %d bytes mapped; want a heap buffer", len(after), p.Mapped())
	}
}

func TestDrop(t *testing.T) {
	var p Pool
	a, b := p.Alloc(MinSize), p.Alloc(MinSize)
	p.Drop(a)
	p.Drop(make([]byte, 10)) // not the pool's: ignored
	if got := p.Mapped(); got != 0 && got != cap(b) {
		t.Fatalf("%d bytes mapped after dropping one of two, want %d", got, cap(b))
	}
	b[0] = 1
	p.Free()
}

// waitMapped collects garbage until p maps want bytes or rounds pass.
func waitMapped(p *Pool, want, rounds int) int {
	for range rounds {
		runtime.GC()
		if p.Mapped() == want {
			break
		}
		time.Sleep(time.Millisecond)
	}
	return p.Mapped()
}

type owner struct{ b []byte }

func TestOwn(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no mappings")
	}
	var p Pool
	b := p.Alloc(MinSize)
	keep := &owner{b}
	Own(&p, keep, b)
	Own(&p, &owner{b}, b)
	if got := waitMapped(&p, 0, 20); got != MinSize {
		t.Fatalf("%d bytes mapped with one owner left, want %d", got, MinSize)
	}
	keep.b[0] = 1
	runtime.KeepAlive(keep)
	if got := waitMapped(&p, 0, 500); got != 0 {
		t.Fatalf("%d bytes mapped once every owner is gone, want 0", got)
	}
}

// TestGuard checks that with GuardEnv set a read after Free faults, in a
// child process, since the fault ends it.
func TestGuard(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no mappings")
	}
	if os.Getenv("PAGES_GUARD_CHILD") == "1" {
		var p Pool
		b := p.Alloc(MinSize)
		b[100] = 7
		p.Free()
		println("read", b[100])
		os.Exit(0)
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestGuard$")
	cmd.Env = append(os.Environ(), "PAGES_GUARD_CHILD=1", GuardEnv+"=1")
	out, err := cmd.CombinedOutput()
	if err == nil || !strings.Contains(string(out), "unexpected fault address") {
		t.Fatalf("a read after Free did not fault: %v\n%s", err, out)
	}
}
