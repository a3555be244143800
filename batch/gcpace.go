package batch

import (
	"runtime/debug"
	"sync"
)

// DefaultLargeApp is the file size from which an app is scanned at the
// collector's usual pace: its live heap can approach a HeapFloor of the
// usual size.
const DefaultLargeApp = 32 << 20

// gcPace switches the collector between a heap floor, while only small
// apps are being scanned, and the pace it had before, while a large one
// is. The zero floor leaves the collector alone.
type gcPace struct {
	floor, large int64

	mu       sync.Mutex
	inFlight int // large apps being scanned
	percent  int // GOGC before Run
	limit    int64
}

func newGCPace(floor, large int64) *gcPace {
	p := &gcPace{floor: floor, large: large}
	if p.large <= 0 {
		p.large = DefaultLargeApp
	}
	if floor > 0 {
		// With the proportional pace off, the collector runs when the
		// heap reaches the limit; a heap that stays above it is collected
		// with at most about half the CPU (Go's limiter), not without end.
		p.percent = debug.SetGCPercent(-1)
		p.limit = debug.SetMemoryLimit(floor)
	}
	return p
}

// enter records that an app of size bytes is being scanned; done records
// that it is finished.
func (p *gcPace) enter(size int64) (done func()) {
	if p.floor <= 0 || size < p.large {
		return func() {}
	}
	p.mu.Lock()
	if p.inFlight++; p.inFlight == 1 {
		p.usual()
	}
	p.mu.Unlock()
	return func() {
		p.mu.Lock()
		if p.inFlight--; p.inFlight == 0 {
			p.floored()
		}
		p.mu.Unlock()
	}
}

func (p *gcPace) usual() {
	debug.SetGCPercent(p.percent)
	debug.SetMemoryLimit(p.limit)
}

func (p *gcPace) floored() {
	debug.SetGCPercent(-1)
	debug.SetMemoryLimit(p.floor)
}

// stop restores the collector's settings from before Run.
func (p *gcPace) stop() {
	if p.floor > 0 {
		p.mu.Lock()
		p.usual()
		p.mu.Unlock()
	}
}
